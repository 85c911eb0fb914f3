"""How to cite a post: its URL, a plain-text citation and a BibTeX entry, all from the
front matter and conf.py (never from the page text).

The BibTeX is written by pybtex's own writer; every author string goes through
:func:`bib_text` first, so a title cannot unbalance braces or smuggle a
LaTeX command into a reader's bibliography.  In review builds nobody is named.
"""

from __future__ import annotations

import re
import unicodedata

from pybtex.database import BibliographyData, Entry
from pybtex.exceptions import PybtexError
from sphinx.config import Config

from ..model.frontmatter import Post
from ..model.people import bibtex_person
from ..model.urls import post_url
from ..warnings_ import ArticleWarning, warn

#: ``article_venue_type`` -> (BibTeX entry type, field that names the venue)
ENTRY_TYPES = {
    "conference": ("inproceedings", "booktitle"),
    "journal": ("article", "journal"),
    "blog": ("misc", "howpublished"),
}
_STOP = {"a", "an", "the", "on", "of", "in", "for", "and", "to", "with"}


def page_url(config: Config, docname: str, builder: str = "html") -> str:
    """The post's absolute web address as ``builder`` links it (``urls.post_url``), or ''
    when ``article_site_url`` is unset."""
    return post_url(config, docname, builder)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def citation_key(post: Post, review: bool = False) -> str:
    """Google Scholar's shape: ``lovelace2026gradient`` (``anonymous2026...`` without
    authors, as in review builds: ``anonymity.anonymise``)."""
    first = _ascii(post.authors[0].family) if post.authors else "anonymous"
    words = [w for w in (_ascii(w) for w in post.title.split()) if w and w not in _STOP]
    return f"{first or 'anonymous'}{post.year}{words[0] if words else ''}" or post.slug


def plain_citation(post: Post, config: Config, url: str) -> str:
    names = [a.cited_name for a in post.authors]  # none in review builds
    if len(names) > 1:
        people = ", ".join(names[:-1]) + " and " + names[-1]
    else:
        people = names[0] if names else "Anonymous"
    parts = [f"{people} ({post.year or 'n.d.'}).", f"\u201c{post.title}\u201d."]
    if config.article_venue:
        parts.append(f"{config.article_venue}.")
    link = f"https://doi.org/{post.doi}" if post.doi else url
    if link:
        parts.append(link)
    return " ".join(parts)


_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def printable(text: str) -> str:
    """``text`` without lone surrogates, control characters and bidi overrides (which
    no .bib file, LaTeX run or UTF-8 page can hold); any whitespace becomes a space."""
    return "".join(
        " " if c.isspace() else c
        for c in text
        if c.isspace() or (unicodedata.category(c) not in ("Cc", "Cs") and ord(c) not in _BIDI)
    )


#: What a BibTeX field escapes: LaTeX's special characters, braces as commands (BibTeX
#: counts ``\\{`` as a brace too). Everything else (apostrophes, hyphens, Unicode) stays
#: as written, so the entry reads as the author wrote it (issue 15).
BIB_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_BIB_SPECIAL = re.compile("[" + re.escape("".join(BIB_ESCAPES)) + "]")


def bib_text(text: str) -> str:
    """Author text for a BibTeX field: no command, group or comment survives it, and
    nothing else is touched (Sphinx's LaTeX escaping would write ``\\textquotesingle{}``
    for an apostrophe and ``\\sphinxhyphen{}`` for a hyphen, macros of Sphinx's own)."""
    text = " ".join(printable(text).split())
    return _BIB_SPECIAL.sub(lambda m: BIB_ESCAPES[m.group()], text)


def bibtex_entry(post: Post, config: Config, url: str) -> tuple[str, str]:
    """(key, BibTeX text) of the post."""
    kind, venue_field = ENTRY_TYPES.get(config.article_venue_type, ENTRY_TYPES["conference"])
    if not config.article_venue:
        kind = "misc"
    fields: dict[str, str] = {"title": bib_text(post.title)}
    if config.article_venue:
        fields[venue_field] = bib_text(config.article_venue)
    if post.year:
        fields["year"] = post.year
    if url:
        fields["url"] = url
    if post.doi:
        fields["doi"] = post.doi
    authors = [bibtex_person(a.person, bib_text) for a in post.authors]
    persons = {"author": authors} if authors else {}
    key = citation_key(post)
    data = BibliographyData({key: Entry(kind, fields, persons)})
    return key, data.to_string("bibtex")


def cite_record(config: Config, post: Post, docname: str, builder: str = "html") -> dict[str, str]:
    """Everything "Cite this post" shows, stored in the domain for the page and meta."""
    url = page_url(config, docname, builder)
    try:
        key, bibtex = bibtex_entry(post, config, url)
    except (PybtexError, UnicodeError, ValueError) as exc:  # never expected; never a crash
        warn(
            ArticleWarning.CITATION,
            f"The post's BibTeX entry cannot be written ({exc}); "
            f"simplify the title and author names.",
            location=(docname, post.line("title")),
        )
        key, bibtex = citation_key(post), ""
    return {
        "key": key,
        "url": url,
        "text": printable(plain_citation(post, config, url)),
        "bibtex": bibtex,
        "filename": f"{post.slug}.bib",
    }
