"""Fuzz: mutated posts and bibliographies never take the build or ``check`` down.

Mutants come from :mod:`fuzzing` (seeded: the same seed gives the same mutants).  Many
mutants are built as ONE site (each is its own post, so warnings name their mutant); when
a build crashes, the batch is bisected until the crashing mutant is alone.  For every
mutant:

* the build has no traceback (and no ``article.internal`` warning: a crash caught by the
  per-post guard is still a crash to fix, found at its post without bisecting);
* a non-zero exit (``-W --keep-going``) comes with located warnings, and every warning
  names a file (``article.*`` ones a line too);
* ``sphinx-article check`` never raises.

Default: ``--fuzz-count 150`` with a fixed seed (a few minutes); ``pytest -m fuzz
--fuzz-count 2000 --fuzz-seed N`` for a longer run.  Failing mutants are written to
``tests/artifacts/fuzz/<name>/`` with ``steps.txt`` saying how each was made.
"""

from __future__ import annotations

import re
import shutil
import traceback
from pathlib import Path

import pytest

from sphinx_article.cli.check import PostChecker, find_posts, load_site

from conftest import ARTIFACTS, EXAMPLE, sphinx_build
from fuzzing import Mutant, make_mutants, read_posts, write_site

pytestmark = pytest.mark.fuzz

BATCH = 50  #: mutants per site build
_CRASH = re.compile(
    r"Traceback \(most recent call last\)|^Traceback$|Exception occurred|"
    r"Extension error|Recursion error",
    re.M,
)
_LOCATED = re.compile(
    r"^(?P<file>/[^:]+|[^\s:][^:]*\.(?:md|bib|rst|ipynb|py|html)):"
    r"(?P<line>\d*): (?:WARNING|ERROR|CRITICAL)"
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def build(site: Path, out: Path) -> tuple[int, str]:
    """Build ``site`` into ``out`` (HTML, ``-W --keep-going``): exit code and output."""
    if out.exists():
        shutil.rmtree(out)
    result = sphinx_build(site, out, "html", "-W", "--keep-going")
    return result.returncode, _ANSI.sub("", result.stdout + result.stderr)


def crash_of(code: int, log: str) -> str:
    """The crash that stopped a build ("" when there is none): its last lines.

    A handler's exception caught by the per-post guard is an ``article.internal``
    warning instead; :func:`warning_problems` reports those, at their post."""
    if code not in (0, 1) or _CRASH.search(log):
        return "\n".join(log.strip().splitlines()[-25:])
    return ""


def warning_problems(code: int, log: str) -> list[str]:
    """Warnings without a file (``article.*``: without a line); a failing exit without any
    located warning."""
    problems = []
    located = 0
    for line in log.split("\n"):  # not splitlines(): messages may hold U+2028
        if "[article.internal]" in line:
            problems.append(f"internal error: {line}")
            continue
        if not re.search(r"\b(WARNING|ERROR|CRITICAL)\b:", line):
            continue
        match = _LOCATED.match(line)
        if match is None or ("[article." in line and not match["line"]):
            problems.append(f"unlocated: {line}")
        else:
            located += 1
    if code == 1 and not located:
        problems.append("exit 1 without a located warning")
    return problems


def owner(line: str, mutants: list[Mutant]) -> Mutant | None:
    return next((m for m in mutants if f"posts/{m.name}/" in line), None)


def crash_alone(mutants: list[Mutant], work: Path) -> str:
    site = write_site(EXAMPLE, mutants, work / "site")
    return crash_of(*build(site, work / "out"))


def bisect(mutants: list[Mutant], work: Path, crash: str = "") -> list[tuple[Mutant, str]]:
    """The mutants that crash a build on their own.

    The post Sphinx was working on (named in the crash report) is tried alone first;
    otherwise the batch is halved until the crashing mutant is alone."""
    crash = crash or crash_alone(mutants, work)
    if not crash:
        return []
    if len(mutants) == 1:
        return [(mutants[0], crash)]
    named = [m for m in mutants if f"posts/{m.name}/" in crash]
    if len(named) == 1:
        alone = crash_alone(named, work / "named")
        if alone:
            rest = [m for m in mutants if m is not named[0]]
            return [(named[0], alone)] + bisect(rest, work / "rest")
    half = len(mutants) // 2
    found = bisect(mutants[:half], work / "a") + bisect(mutants[half:], work / "b")
    return found or [(mutants[0], "the batch crashes, no single half does:\n" + crash)]


def check_crashes(site: Path, mutants: list[Mutant]) -> list[tuple[Mutant, str]]:
    """Run ``check`` post by post, so an exception names its mutant."""
    loaded = load_site(site)
    found = []
    for docname, path in find_posts(loaded):
        try:
            PostChecker(loaded, docname, path, review=True).run()
        except Exception:  # noqa: BLE001 - any exception is the finding
            mutant = next(m for m in mutants if m.name == Path(docname).parent.name)
            found.append((mutant, traceback.format_exc(limit=-6)))
    return found


def save(mutant: Mutant, why: str) -> Path:
    folder = ARTIFACTS / "fuzz" / mutant.name
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in mutant.files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
        (folder / name).write_bytes(data)
    (folder / "steps.txt").write_text(mutant.describe() + "\n\n" + why + "\n", encoding="utf-8")
    return folder


def test_mutants_never_crash_build_or_check(
    tmp_path: Path, fuzz_count: int, fuzz_seed: int
) -> None:
    mutants = make_mutants(read_posts(EXAMPLE), fuzz_count, fuzz_seed)
    failures: list[str] = []
    for start in range(0, len(mutants), BATCH):
        batch = mutants[start : start + BATCH]
        work = tmp_path / f"batch{start // BATCH}"
        site = write_site(EXAMPLE, batch, work / "site")
        for mutant, why in check_crashes(site, batch):
            failures.append(
                f"check crashed on {mutant.describe()} (saved in {save(mutant, why)}):\n{why}"
            )
        code, log = build(site, work / "out")
        crash = crash_of(code, log)
        if crash:
            for mutant, why in bisect(batch, work / "bisect", crash):
                failures.append(
                    f"build crashed on {mutant.describe()} (saved in {save(mutant, why)}):\n{why}"
                )
            continue
        for problem in warning_problems(code, log):
            mutant = owner(problem, batch)
            where = f" ({mutant.describe()}, saved in {save(mutant, problem)})" if mutant else ""
            failures.append(f"{problem}{where}")
        shutil.rmtree(work, ignore_errors=True)
        print(
            f"fuzz: {start + len(batch)}/{len(mutants)} mutants, {len(failures)} failures",
            flush=True,
        )  # progress of a long run (pytest -s)
    assert not failures, f"{len(failures)} of {len(mutants)} mutants (seed {fuzz_seed}):\n\n" + (
        "\n\n".join(failures)
    )


def test_fuzzer_is_deterministic_and_covers_every_key() -> None:
    posts = read_posts(EXAMPLE)
    first, again = make_mutants(posts, 60, 7), make_mutants(posts, 60, 7)
    assert [m.files for m in first] == [m.files for m in again]
    assert [m.files for m in first] != [m.files for m in make_mutants(posts, 60, 8)]
    keys = {
        re.sub(r" \(line \d+\).*", "", step)
        for m in make_mutants(posts, 150, 1)
        for step in m.steps
        if step.startswith("front-matter key")
    }
    for key in (
        "title",
        "authors",
        "name",
        "orcid",
        "affiliations",
        "tags",
        "published",
        "updated",
        "doi",
        "license",
        "url",
        "email",
        "roles",
        "description",
    ):
        assert f"front-matter key '{key}'" in keys, key
