"""``sphinx-article check`` and the build report the same problems on the same lines.

A problem is ``(file, line, subtype)``.  Compared are the subtypes ``check`` can judge
without rendering (:data:`parity.PARITY_SUBTYPES`: the front matter, read by the build's
own parser, and ``check.CHECKED_SUBTYPES`` for the body: images, alt text, citations,
colours, heroes); every other subtype (math, notes, PDF, site...) is build-only.  The
documented differences are :data:`parity.BUILD_ONLY` and :data:`parity.CHECK_ONLY`,
each with its reason.  Sites: the example site, the test-check root (one problem of each
kind), the real corpus (when present) and a batch of fuzz mutants.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOTS, CorpusBuild, sphinx_build
from fuzzing import make_mutants, read_posts, write_site
from parity import Problems, build_problems, check_problems, compare

MUTANTS, SEED = 50, 4242


def build_log(site: Path, out: Path) -> str:
    result = sphinx_build(site, out, "html", "--keep-going")
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout + result.stderr


def assert_same(site: Path, log: str) -> Problems:
    build, check = build_problems(log, site), check_problems(site)
    missed, extra = compare(build, check)
    assert not missed and not extra, (
        "build warns, check does not:\n"
        + "\n".join(missed)
        + "\n\ncheck reports, build does not:\n"
        + "\n".join(extra)
    )
    return check


def test_example_site_check_is_as_clean_as_its_build(example_html: Path) -> None:
    # example_html is built with -W: no warning at all, so check must find nothing either
    assert check_problems(EXAMPLE) == {}


def test_one_problem_of_each_kind_same_lines(tmp_path: Path) -> None:
    site = tmp_path / "test-check"
    shutil.copytree(ROOTS / "test-check", site)
    checked = assert_same(site, build_log(site, tmp_path / "out"))
    subtypes = {key[2] for key in checked}
    assert {"alt", "image", "citation", "contrast", "orcid"} <= subtypes


def test_citation_forms_and_block_lines(tmp_path: Path) -> None:
    """Pre/post notes are valid; stray commas and spaces are one located problem each;
    roles and images in a multi-line paragraph are reported at the paragraph's first
    line by both; images symlinked out of the site are refused by both."""
    site = tmp_path / "site"
    shutil.copytree(ROOTS / "test-check", site)
    post = site / "posts" / "clean"
    (tmp_path / "outside.png").write_bytes((post / "small.png").read_bytes())
    (post / "escape.png").symlink_to(tmp_path / "outside.png")
    index = post / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(
        text
        + (
            "\nAs shown {cite:p}`{see}known2020{Sec. 2}` and {cite:t}`known2020`,\n"
            "a second line {cite:p}`known2020,` then ![](small.png)\n"
            "and a third {cite:p}`a b` with {cite:p}`nope2020`.\n\n"
            "```{figure} escape.png\n:alt: A figure whose file is a symlink out.\n```\n"
        ),
        encoding="utf-8",
    )
    first = len(text.splitlines()) + 2
    checked = assert_same(site, build_log(site, tmp_path / "out"))
    rel = "posts/clean/index.md"
    mine = sorted(
        (line, subtype)
        for (file, line, subtype), messages in checked.items()
        for _ in messages
        if file == rel
    )
    assert mine == [
        (first, "alt"),
        (first, "citation"),
        (first, "citation"),
        (first, "citation"),
        (first + 4, "image"),
    ], checked
    texts = " ".join(m for messages in checked.values() for m in messages)
    assert "'known2020'" not in texts and "see" not in texts  # the notes form is valid


@pytest.mark.fuzz
def test_fuzz_mutants_same_problems(tmp_path: Path) -> None:
    mutants = make_mutants(read_posts(EXAMPLE), MUTANTS, SEED)
    site = write_site(EXAMPLE, mutants, tmp_path / "site")
    assert_same(site, build_log(site, tmp_path / "out"))


@pytest.mark.corpus
@pytest.mark.xdist_group("corpus")
def test_corpus_same_problems(corpus: CorpusBuild) -> None:
    checked = assert_same(corpus.source, corpus.log)
    assert len(checked) > 100  # the corpus has hundreds of real mistakes
