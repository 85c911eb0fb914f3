"""Compare what ``sphinx-article check`` reports with what a build warns (no pytest here).

Used by ``test_check_parity.py`` (example site, corpus, fuzz mutants) and by the fuzz
test.  A problem is ``(file, line, subtype)``; only subtypes both sides can see are
compared (:data:`PARITY_SUBTYPES`), and the few documented differences are listed in
:data:`BUILD_ONLY` / :data:`CHECK_ONLY` by message, each with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx_article.cli.check import CHECKED_SUBTYPES, check_site, load_site

#: Front-matter subtypes: both sides get them from ``frontmatter.parse_post``.
FRONT_MATTER = frozenset(
    {
        "yaml",
        "key",
        "type",
        "required",
        "date",
        "orcid",
        "url",
        "affiliation",
        "role",
        "license",
        "doi",
        "encoding",
    }
)
#: What ``check`` and the build must agree on, line for line.
PARITY_SUBTYPES = CHECKED_SUBTYPES | FRONT_MATTER
#: Build warnings of a parity subtype that ``check`` cannot see without rendering,
#: matched on the message: (subtype, regex, why).
BUILD_ONLY: list[tuple[str, str, str]] = [
    (
        "color",
        r"by an earlier equation",
        "a term's colour across the equations of a post is settled after all of them are parsed",
    ),
]
#: ``check`` findings the build does not report (yet): (subtype, regex, why).
CHECK_ONLY: list[tuple[str, str, str]] = []

_WARNING = re.compile(
    r"^(?P<file>.+?):(?P<line>\d*): (?:WARNING|ERROR): (?P<message>.*?)"
    r" \[article\.(?P<subtype>[\w-]+)\]$"
)


Problems = dict[tuple[str, int, str], list[str]]  #: (file, line, subtype) -> messages


def build_problems(log: str, site: Path) -> Problems:
    """Located ``article.*`` warnings of a build log: (site-relative file, line, subtype)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", log)
    found: Problems = {}
    root = site.resolve()
    for line in text.split("\n"):  # not splitlines(): messages may hold U+2028
        match = _WARNING.match(line)
        if not match:
            continue
        file = match["file"]
        path = Path(file)
        if path.is_absolute() and path.resolve().is_relative_to(root):
            file = path.resolve().relative_to(root).as_posix()
        key = (file, int(match["line"] or 0), match["subtype"])
        found.setdefault(key, []).append(match["message"])
    return found


def check_problems(site: Path, review: bool = False) -> Problems:
    """``check``'s findings keyed like :func:`build_problems`."""
    _, findings = check_site(load_site(site), review=review)
    found: Problems = {}
    for finding in findings:
        file = Path(finding.file).resolve().relative_to(site.resolve()).as_posix()
        found.setdefault((file, finding.line, finding.subtype), []).append(finding.message)
    return found


def _kept(problems: Problems, excused: list[tuple[str, str, str]]) -> Problems:
    kept: Problems = {}
    for key, messages in problems.items():
        if key[2] not in PARITY_SUBTYPES:
            continue
        left = [
            m
            for m in messages
            if not any(
                key[2] == subtype and re.search(pattern, m) for subtype, pattern, _ in excused
            )
        ]
        if left:
            kept[key] = left
    return kept


def compare(build: Problems, check: Problems) -> tuple[list[str], list[str]]:
    """(missed by check, reported by check only): each problem as ``file:line: subtype:
    message``, counted (two problems on one line are two)."""
    built, checked = _kept(build, BUILD_ONLY), _kept(check, CHECK_ONLY)
    # a post nested too deeply for the parser loses its body (article.nesting): the
    # build cannot see what check still reads there, so such files are not compared
    deep = {key[0].rsplit("/", 1)[0] + "/" for key in build if key[2] == "nesting"}
    built = {k: v for k, v in built.items() if not k[0].startswith(tuple(deep) or ("\0",))}
    checked = {k: v for k, v in checked.items() if not k[0].startswith(tuple(deep) or ("\0",))}
    missed, extra = [], []
    for key in sorted(set(built) | set(checked)):
        ours, theirs = checked.get(key, []), built.get(key, [])
        where = f"{key[0]}:{key[1]}: {key[2]}: "
        missed += [where + m for m in theirs[len(ours) :]]
        extra += [where + m for m in ours[len(theirs) :]]
    return missed, extra
