"""Double-blind review builds: a post's record is made anonymous once, before any
renderer sees it.

* :func:`anonymise` turns a post's record into its anonymous form (no authors,
  affiliations, acknowledgements, funding, DOI or ``html_meta``) when it is stored, so
  the title block, meta tags, JSON-LD, citation and its ``.bib``, feed, index cards and
  PDF have nobody to name; they only show the "anonymous" label where a byline stood;
* ``html_copy_source`` and ``html_show_sourcelink`` are forced off, or Sphinx would
  publish every post's raw front matter (names, emails, ORCIDs) under ``_sources/``;
* an output folder that last held a normal build is emptied first (its ``_sources/``,
  ``searchindex.js``, pages and downloads name the authors), and the other way round;
* the "under review" banner is shown under any theme (our theme's layout has it);
* an ``article.anonymity`` warning for each author name, email or ORCID still in a
  post's text, in the file names of its images, or in its bibliography (names in
  ``note``-like fields; emails and ORCIDs anywhere).

:func:`find_leaks` needs no Sphinx build: ``sphinx-article check --review`` calls it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from docutils import nodes

from ..domain import article_domain
from ..model.bibfiles import find_bibfiles
from ..model.frontmatter import Author, Post, Problem
from ..warnings_ import ArticleWarning, warn
from .pagetemplates import render

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


# -- the build ---------------------------------------------------------------------------


def store_anonymous_record(app: Any, docname: str, source: list[str]) -> None:
    """``source-read``, after every reader stored the post's record: in a review build,
    warn about each leak (checked against the real authors), then replace the record by
    its anonymous form, before any directive, transform or writer reads it."""
    posts = article_domain(app.env).posts
    post = posts.get(docname)
    if not app.config.article_review or post is None:
        return
    folder = Path(app.env.doc2path(docname)).parent
    problems, bib = find_leaks(source[0], post, folder, Path(app.srcdir))
    for problem in problems:
        warn(problem.subtype, problem.message, location=(docname, problem.line))
    for path, line, message in bib:
        warn(ArticleWarning.ANONYMITY, message, location=f"{path}:{line}")
    posts[docname] = anonymise(post)


MARKER = ".sphinx-article-build"  #: names the kind of build an output folder holds


def clear_stale_output(app: Any) -> None:
    """Switching an output folder between normal and review builds empties it first.

    A normal build leaves ``_sources/``, ``searchindex.js`` (Sphinx keeps old words in
    it), pages, downloads and PDFs that name the authors; a review build into the same
    folder would publish them beside the anonymous pages.  The doctree cache and any
    folder holding the sources are kept.
    """
    if app.builder.format not in ("html", "latex"):
        return
    outdir = Path(app.outdir)
    kind = "review" if app.config.article_review else "public"
    marker = outdir / MARKER
    previous = marker.read_text(encoding="utf-8").strip() if marker.is_file() else None
    if previous != kind and (previous is not None or kind == "review") and outdir.is_dir():
        keep = [
            Path(app.doctreedir).resolve(),
            Path(app.srcdir).resolve(),
            Path(app.confdir).resolve(),
        ]
        for child in outdir.iterdir():
            real = child.resolve()
            if any(k == real or k.is_relative_to(real) for k in keep):
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
    outdir.mkdir(parents=True, exist_ok=True)
    marker.write_text(kind + "\n", encoding="utf-8")


def force_private_sources(app: Any, config: Any) -> None:
    """A review build never publishes ``_sources/`` (raw posts name their authors)."""
    if config.article_review:
        config.html_copy_source = False
        config.html_show_sourcelink = False


def banner_for_other_themes(
    app: Any,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Our theme's layout shows the banner itself; other themes get it above the body."""
    other_theme = app.config.article_review and app.config.html_theme != "sphinx_article"
    if other_theme and "body" in context:
        banner = render(app.builder, "review-banner.html")  # the template the layout includes
        if banner not in context["body"]:
            context["body"] = banner + context["body"]


def setup_review(app: Any) -> None:
    app.connect("config-inited", force_private_sources, priority=900)
    app.connect("builder-inited", clear_stale_output, priority=100)
    app.connect("source-read", store_anonymous_record, priority=700)
    app.connect("html-page-context", banner_for_other_themes)
