"""Compare what ``sphinx-article check`` reports with what a build warns (no pytest here).

Used by ``test_check_parity.py`` (example site, corpus, fuzz mutants) and by the fuzz
test.  A problem is ``(file, line, subtype)``; only subtypes both sides can see are
compared (:data:`PARITY_SUBTYPES`), and the few documented differences are listed in
:data:`BUILD_ONLY` / :data:`CHECK_ONLY` by message, each with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx_article.check import CHECKED_SUBTYPES, check_site, load_site

#: Front-matter subtypes: both sides get them from ``frontmatter.parse_post``.
FRONT_MATTER = frozenset({"yaml", "key", "type", "required", "date", "orcid", "url",
                          "affiliation", "role", "license", "doi", "encoding"})
#: What ``check`` and the build must agree on, line for line.
PARITY_SUBTYPES = CHECKED_SUBTYPES | FRONT_MATTER
#: Build warnings of a parity subtype that ``check`` cannot see without rendering,
#: matched on the message: (subtype, regex, why).
BUILD_ONLY: list[tuple[str, str, str]] = [
    ("color", r"by an earlier equation", "a term's colour across the equations of a post "
     "is settled after all of them are parsed"),
]
#: ``check`` findings the build does not report (yet): (subtype, regex, why).
CHECK_ONLY: list[tuple[str, str, str]] = [
    ("image", r"over the image budget", "the build does not weigh image files yet"),
    ("contrast", r".", "check also rates colours of terms an equation does not use"),
]

_WARNING = re.compile(r"^(?P<file>.+?):(?P<line>\d*): (?:WARNING|ERROR): (?P<message>.*?)"
                      r" \[article\.(?P<subtype>[\w-]+)\]$")


def build_problems(log: str, site: Path) -> dict[tuple[str, int, str], str]:
    """Located ``article.*`` warnings of a build log: (site-relative file, line, subtype)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", log)
    found: dict[tuple[str, int, str], str] = {}
    root = str(site.resolve())
    for line in text.splitlines():
        match = _WARNING.match(line)
        if not match:
            continue
        file = match["file"]
        if file.startswith((root, str(site))):
            file = Path(file).resolve().relative_to(site.resolve()).as_posix()
        found[(file, int(match["line"] or 0), match["subtype"])] = match["message"]
    return found


def check_problems(site: Path, review: bool = False) -> dict[tuple[str, int, str], str]:
    """``check``'s findings keyed like :func:`build_problems`."""
    loaded = load_site(site)
    _, findings = check_site(loaded, review=review)
    found = {}
    for finding in findings:
        file = Path(finding.file).resolve().relative_to(site.resolve()).as_posix()
        found[(file, finding.line, finding.subtype)] = finding.message
    return found


def _excused(rules: list[tuple[str, str, str]], key: tuple[str, int, str], message: str) -> bool:
    return any(key[2] == subtype and re.search(pattern, message)
               for subtype, pattern, _ in rules)


def compare(build: dict[tuple[str, int, str], str], check: dict[tuple[str, int, str], str],
            ) -> tuple[list[str], list[str]]:
    """(missed by check, reported by check only), each a sorted list of readable lines."""
    built = {k: v for k, v in build.items() if k[2] in PARITY_SUBTYPES}
    checked = {k: v for k, v in check.items() if k[2] in PARITY_SUBTYPES}
    missed = [f"{k[0]}:{k[1]}: {k[2]}: {v}" for k, v in sorted(built.items())
              if k not in checked and not _excused(BUILD_ONLY, k, v)]
    extra = [f"{k[0]}:{k[1]}: {k[2]}: {v}" for k, v in sorted(checked.items())
             if k not in built and not _excused(CHECK_ONLY, k, v)]
    return missed, extra
