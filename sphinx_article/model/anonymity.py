"""What makes a post anonymous for double-blind review, with no Sphinx: the anonymous
form of its record (:func:`anonymise`) and where its authors still show (:func:`find_leaks`:
names, emails and ORCIDs in its text, its image file names and its bibliography).

The review build (``features/review.py``) stores ``anonymise(post)`` and reports the
leaks as ``article.anonymity`` warnings; ``sphinx-article check --review`` reports the
same leaks without building.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from ..warnings_ import ArticleWarning
from .bibfiles import find_bibfiles
from .frontmatter import Author, Post, Problem

#: bibliography fields where authors write free text about the entry
NOTE_FIELDS = ("note", "annote", "annotation", "comment", "addendum", "howpublished")


@dataclass(frozen=True)
class Needle:
    """One identifying string of an author, and what it is (for the message)."""

    text: str
    kind: str
    author: str

    def pattern(self) -> re.Pattern[str]:
        words = [re.escape(w) for w in self.text.split()]
        return re.compile(r"(?<![\w@.-])" + r"\s+".join(words) + r"(?![\w@-])", re.I)


def needles(post: Post) -> list[Needle]:
    """Names (full and "A. Lovelace"), emails and ORCIDs of every author."""
    found: list[Needle] = []
    for author in post.authors:
        found.extend(_author_needles(author))
    return found


def _author_needles(author: Author) -> Iterator[Needle]:
    if author.name.strip():
        yield Needle(author.name, "name", author.name)
        if author.short_name != author.name:
            yield Needle(author.short_name, "name", author.name)
    if author.email:
        yield Needle(author.email, "email", author.name)
    if author.orcid:
        yield Needle(author.orcid, "ORCID", author.name)


def name_words(post: Post) -> list[str]:
    """Family names (4+ letters) and full names as file-name fragments: "lovelace",
    "beethoven" (not "jr" for "Martin Luther King Jr.": the name's parsed family)."""
    words = set()
    for author in post.authors:
        parts = re.findall(r"\w+", author.name.casefold())
        family = "".join(re.findall(r"\w+", author.family.casefold()))
        if len(family) >= 4:
            words.add(family)
        if len(parts) > 1:
            words.add("".join(parts))
    return sorted(words)


_HIDDEN_FENCE = re.compile(r"^\s*(`{3,}|:{3,})\s*\{author-contributions\}")


def _body_lines(source: str, post: Post) -> Iterator[tuple[int, str]]:
    """Lines of the post after its front matter (which names the authors), without the
    body of ``author-contributions`` (hidden in review builds)."""
    closing = ""
    for number, line in enumerate(source.splitlines(), start=1):
        if number <= post.length:
            continue
        if closing:
            if line.strip() == closing:
                closing = ""
            continue
        hidden = _HIDDEN_FENCE.match(line)
        if hidden:
            closing = hidden.group(1)
            continue
        yield number, line


def text_leaks(source: str, post: Post) -> list[Problem]:
    problems = []
    compiled = [(needle, needle.pattern()) for needle in needles(post)]
    for number, line in _body_lines(source, post):
        for needle, pattern in compiled:
            if pattern.search(line):
                problems.append(
                    Problem(
                        ArticleWarning.ANONYMITY,
                        (
                            f"The {needle.kind} of author '{needle.author}' appears in the text of "
                            f"a review build; remove it or refer to the work in the third person."
                        ),
                        number,
                    )
                )
    return problems


def file_leaks(source: str, post: Post, folder: Path) -> list[Problem]:
    """Files in the post's folder whose names contain an author's (sur)name."""
    words = name_words(post)
    problems: list[Problem] = []
    if not words or not folder.is_dir():
        return problems
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.name.casefold()
        word = next((w for w in words if w in name), None)
        if word is None or path.name in ("index.md", "index.rst"):
            continue
        line = next((n for n, text in _body_lines(source, post) if path.name in text), 1)
        problems.append(
            Problem(
                ArticleWarning.ANONYMITY,
                (
                    f"The file name '{path.relative_to(folder).as_posix()}' contains the author "
                    f"name '{word}'; rename the file (and its reference) for the review build."
                ),
                line,
            )
        )
    return problems


def bib_leaks(bibfile: Path, post: Post) -> list[tuple[int, str]]:
    """(line, message) for each author trace in a bibliography file."""
    try:
        text = bibfile.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    leaks: list[tuple[int, str]] = []
    field_re = re.compile(r"^\s*(" + "|".join(NOTE_FIELDS) + r")\s*=", re.I)
    current_field = ""
    for number, line in enumerate(text.splitlines(), start=1):
        match = field_re.match(line)
        if match:
            current_field = match.group(1).lower()
        elif re.match(r"^\s*(\w+\s*=|@|\})", line):
            current_field = ""
        for needle in needles(post):
            if needle.kind == "name" and not current_field:
                continue
            if needle.pattern().search(line):
                where = f"the '{current_field}' field" if current_field else "the bibliography"
                leaks.append(
                    (
                        number,
                        f"The {needle.kind} of author '{needle.author}' appears "
                        f"in {where} of {bibfile.name}; remove it for the review build.",
                    )
                )
    return leaks


def bib_files(post: Post, folder: Path, site_root: Path) -> list[Path]:
    """The post's bibliography files, by the build's own rule (:func:`.find_bibfiles`):
    a file outside the site folder is never opened, not even to look for names."""
    return find_bibfiles(post, folder, site_root)[0]


def find_leaks(
    source: str, post: Post, folder: Path, site_root: Path | None = None
) -> tuple[list[Problem], list[tuple[Path, int, str]]]:
    """Leaks in the post (its own lines) and in its bibliography files (path, line, msg).

    ``site_root`` bounds the bibliography files read (the post's folder when omitted).
    """
    problems = text_leaks(source, post) + file_leaks(source, post, folder)
    bib = [
        (path, line, message)
        for path in bib_files(post, folder, site_root or folder)
        for line, message in bib_leaks(path, post)
    ]
    return problems, bib


def anonymise(post: Post) -> Post:
    """The post's record as a review build stores it: nothing that names an author.

    Title, description, abstract, dates, tags and the body are the submission itself
    and stay (the leak warnings cover the body).  The DOI goes too: its record names
    the authors.
    """
    passthrough = {k: v for k, v in post.passthrough.items() if k != "html_meta"}
    if isinstance(passthrough.get("myst"), dict):
        passthrough["myst"] = {k: v for k, v in passthrough["myst"].items() if k != "html_meta"}
    return replace(
        post,
        authors=[],
        affiliations=[],
        acknowledgements="",
        funding="",
        doi="",
        passthrough=passthrough,
    )
