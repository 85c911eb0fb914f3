"""The registry of warning subtypes, and the one function that emits them.

Every author mistake is reported as ``type="article"`` with a subtype from
:class:`ArticleWarning`, so ``suppress_warnings = ["article.orcid"]`` works and the
docs list every subtype from this enum (they cannot drift from the code).  Sphinx
appends ``[article.<subtype>]`` itself: messages must not.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class ArticleWarning(Enum):
    """A warning subtype: ``value`` is the subtype, ``description`` says what triggers it."""

    description: str

    def __new__(cls, subtype: str, description: str) -> ArticleWarning:
        member = object.__new__(cls)
        member._value_ = subtype
        member.description = description
        return member

    # configuration and front matter
    CONFIG = ("config", "An ``article_*`` value in conf.py has the wrong type or value.")
    ENCODING = ("encoding", "A source file is not valid UTF-8; it is left out of the build.")
    YAML = (
        "yaml",
        "The front matter is not valid YAML, not a mapping, too large, too "
        "deeply nested, or uses anchors and aliases.",
    )
    KEY = ("key", "An unknown front-matter key (the closest known key is suggested).")
    TYPE = ("type", "A front-matter value has the wrong type (text, list or mapping).")
    REQUIRED = (
        "required",
        "A required front-matter key (title, description, authors, "
        "an author's name) is missing or empty.",
    )
    TITLE = ("title", "The post's first heading differs from its front-matter title.")
    DATE = ("date", "A date is not a real ISO date (YYYY-MM-DD).")
    ORCID = ("orcid", "An ORCID iD is malformed or fails its checksum.")
    URL = ("url", "A URL is not an absolute http(s) URL, or an email address is malformed.")
    AFFILIATION = (
        "affiliation",
        "An author names an affiliation id that is not defined, or affiliations are defined twice.",
    )
    ROLE = ("role", "An author role is not one of the 14 CRediT roles.")
    LICENSE = ("license", "A licence is not a known SPDX identifier.")
    DOI = ("doi", "A DOI does not look like ``10.NNNN/suffix``.")
    # post body and directives
    IMAGE = (
        "image",
        "An image or media file is missing, escapes the site, is not a valid "
        "image (empty, another format than its name says, absurd pixel size), or is over "
        "the image budget.",
    )
    ALT = ("alt", "An image, figure or hero figure has no alternative text.")
    HERO = (
        "hero",
        "A post has more than one hero figure, an animated hero has no poster, "
        "a notebook cell tagged ``hero`` shows no image, or a ``hero-figure`` names no "
        "image (neither a file nor a glued output it can show).",
    )
    OPTION = ("option", "A directive option has an unknown or invalid value.")
    NOTE = (
        "note",
        "A margin note or sidenote is misplaced (for example nested in another) "
        "or holds a figure, which the margin cannot carry.",
    )
    CONTRIBUTIONS = (
        "contributions",
        "Author contributions cannot be generated: no author "
        "has CRediT roles and the directive has no body.",
    )
    NESTING = (
        "nesting",
        "A post's text is nested too deeply to be read (emphasis, lists, "
        "quotes or directives hundreds of levels deep); its body is left out.",
    )
    TEXT = (
        "text",
        "Front matter holds control characters, bidirectional overrides or "
        "unpaired surrogates; they are removed.",
    )
    INTERNAL = (
        "internal",
        "sphinx-article itself failed on a post (a bug); that step is "
        "skipped for that post and the rest of the site is built.",
    )
    # math and colour
    MATH = (
        "math",
        "A formula cannot be rendered, uses a forbidden command, an unknown "
        "or not-yet-defined macro, a macro that expands without end, or an invalid "
        "colour; the LaTeX source is shown instead.",
    )
    TERM = ("term", "An equation term is undefined, unused, or has no legend entry.")
    COLOR = ("color", "A colour is neither a ``#rrggbb`` hex colour nor a palette name.")
    CONTRAST = (
        "contrast",
        "A term colour reaches less than 3:1 contrast against the page background.",
    )
    # citations and site
    CITATION = (
        "citation",
        "A citation key is not in the post's bibliography or is "
        "malformed (a space, a stray comma); the bibliography file is missing or "
        "malformed; or a cited entry has an unknown type, lacks a field its type "
        "needs, repeats a key, or has a URL, DOI or eprint that is not one (it is "
        "then left out, never linked).",
    )
    SITE = (
        "site",
        "A site-level feature lacks what it needs (for example a feed without "
        "``article_site_url``).",
    )
    INDEX = ("index", "A ``post-index`` option is invalid.")
    ANONYMITY = (
        "anonymity",
        "In a review build, an author's name, email or ORCID still appears in the post.",
    )
    NOTEBOOK = (
        "notebook",
        "A notebook post cannot be read (not JSON, not nbformat 4), a "
        "cell raised an error, an output is over the budget, an HTML output held "
        "script or event handlers (removed), or a ``dark-variant`` cell's images do "
        "not pair.",
    )
    CELL_TAG = (
        "cell-tag",
        "A notebook cell's tag (or a key of its ``article`` metadata) "
        "is a misspelling of a known one (``dark_variant``, ``heros``), so it does "
        "nothing; or ``hero``/``dark-variant`` is put on a Markdown cell.",
    )
    PDF = ("pdf", "A post's PDF could not be compiled (the relevant LaTeX log lines follow).")
    SECURITY = (
        "security",
        "A post names a file outside the site folder (symlinks followed), "
        "uses raw HTML or LaTeX while ``article_raw_html`` is off, overrides MyST's "
        "syntax settings in its front matter, or asks for ``http-equiv`` meta tags; "
        "nothing of it is read, published or emitted.",
    )


def warn(subtype: ArticleWarning, message: str, location: Any = None, **kwargs: Any) -> None:
    """Emit one located ``article.<subtype>`` warning.

    ``location`` is a node, a ``(docname, line)`` pair, or a ``"path:line"`` string.
    """
    # here: the model layer (frontmatter, bibfiles, ...) imports ArticleWarning and must not
    # load Sphinx; only emitting a warning needs Sphinx's logger
    from sphinx.util import logging

    message = notebook_cell_prefix(location, message) + message
    logging.getLogger("sphinx_article").warning(
        message, location=location, type="article", subtype=subtype.value, **kwargs
    )


#: docnames of ``.ipynb`` posts read by this process (``notebooks.py`` adds them)
NOTEBOOK_DOCS: set[str] = set()


def notebook_cell_prefix(location: Any, message: str) -> str:
    """In a notebook, MyST-NB's line ``(cell + 1) * 10000 + line + 1`` becomes "Cell N,
    line L: " in front of the message, so every warning names the cell."""
    if message.startswith("Cell "):
        return ""
    if isinstance(location, tuple) and len(location) == 2:
        in_notebook, line = location[0] in NOTEBOOK_DOCS, location[1]
    elif hasattr(location, "line") and hasattr(location, "source"):
        in_notebook, line = str(location.source or "").endswith(".ipynb"), location.line
    else:
        return ""
    if not in_notebook or not isinstance(line, int) or line < 10000:
        return ""
    cell, rest = divmod(line, 10000)
    return f"Cell {cell}, line {rest - 1}: " if rest > 1 else f"Cell {cell}: "


#: How to fix each subtype, shown beside its description in the docs' warning list
#: (``sphinx_article/_docs.py``).  Add an entry with every new member: the docs build
#: warns about a subtype without one.
FIXES: dict[str, str] = {
    "config": "Correct the value in conf.py (the message names the expected type); until "
    "then the documented default is used.",
    "encoding": 'Save the file as UTF-8 (most editors offer it under "Save with '
    'encoding"); until then the file is not part of the site.',
    "yaml": "Fix the YAML at the line shown: check indentation, quote values that contain "
    "``:`` or ``#``, write repeated values out instead of using ``&anchors``, and "
    "keep the front matter a list of ``key: value`` lines.",
    "key": "Rename the key to the suggested one, or remove it. MyST's and Sphinx's own keys "
    "(``myst``, ``html_meta``, ``orphan``, ``nosearch``, ``tocdepth``) are allowed.",
    "type": "Write the value in the shape the key expects: text, a ``[one, two]`` list, "
    "``true``/``false``, or a list of ``- key: value`` entries.",
    "required": "Add the missing key: every post needs ``title``, ``description`` and at "
    "least one author with a ``name``.",
    "title": "Delete the first ``# heading`` (the title block shows the front-matter "
    "title) or make it identical to ``title``.",
    "date": "Write a real date as ``YYYY-MM-DD``, for example ``2026-04-24``.",
    "orcid": "Copy the iD again from orcid.org: 16 digits as ``0000-0002-1825-0097`` (the "
    "last one may be ``X``).",
    "url": "Write a full ``https://`` address, or a plain ``name@example.org`` email "
    "address, or a ROR id such as ``https://ror.org/03yrm5c26``.",
    "affiliation": "Define each affiliation once under ``affiliations:`` with ``- id:`` "
    "and ``name:``, and use exactly that id in the author's "
    "``affiliations`` (or write the institution's full name).",
    "role": "Use one of the 14 CRediT roles listed in the front-matter reference, such as "
    "``conceptualization`` or ``writing-original-draft``.",
    "license": "Use an SPDX identifier from the front-matter reference, such as "
    "``CC-BY-4.0``, or leave ``license`` out to get ``article_license``.",
    "doi": "Write the DOI itself, ``10.NNNN/suffix`` (a ``https://doi.org/`` prefix is accepted).",
    "image": "Put the file in the post's folder and use a relative path; shrink or "
    "compress images larger than ``article_image_budget_kb``.",
    "alt": "Add ``:alt:`` with a sentence describing what the image shows.",
    "hero": "Keep one ``hero-figure`` per post, and give an animated hero a still "
    "``:poster:`` image.",
    "option": "Use a value the directive's reference lists for that option.",
    "note": "Move the note out of the other note, footnote or caption and into the "
    "paragraph it belongs to.",
    "contributions": "Give authors CRediT ``roles`` in the front matter, or write the "
    "contributions statement as the directive's body.",
    "nesting": "Remove the excess nesting (usually a run of ``*``, ``>`` or list markers "
    "left by a conversion tool); real prose never needs more than a few levels.",
    "text": "Delete the invisible characters the message names (they often come from "
    "copying out of a PDF or a word processor) and retype the text around them.",
    "internal": "Report the message and the post's source to the sphinx-article "
    "maintainers; meanwhile, rewriting the construct the message names usually "
    "avoids the failure.",
    "math": "Fix what the message names: a misspelt command (it suggests the likely "
    "one), a macro used above the formula that defines it (move the definition "
    "up or into ``math: macros`` in the front matter), a colour that is not a "
    "name, ``#rrggbb`` or a ``\\definecolor`` name, or a command that reads, "
    "writes or links (``\\input``, ``\\write18``, ``\\csname``, ``\\href``...).",
    "term": "Define every ``\\eqterm{name}{...}`` in a legend line ``name: description`` "
    "below the equation, and use only defined names in ``{eqterm}`` roles.",
    "color": "Write a ``#rrggbb`` colour or a palette colour name.",
    "contrast": "Pick a darker (light mode) or lighter (dark mode) colour, or another "
    "palette colour; the message gives the ratio reached.",
    "citation": "Add the entry to the post's ``refs.bib`` (or the file named by "
    "``bibliography``), or correct the key; fix the BibTeX syntax, type or "
    "field at the ``refs.bib`` line shown (the message names the closest known "
    "type or the missing field); give links as ``https://`` URLs and DOIs as "
    "``10.NNNN/suffix``.",
    "site": "Set what the feature needs in conf.py, usually ``article_site_url``.",
    "index": "Use the option values listed in the ``post-index`` reference.",
    "anonymity": "Remove or anonymise the name, email or ORCID in the post's text (for "
    "example write 'the authors' or cite your own work in the third person).",
    "notebook": "Open the notebook in Jupyter and save it again (nbformat 4); fix the "
    "cell the message names, or tag it ``raises-exception``; print a summary "
    "instead of a huge output; display tables and charts with pandas, matplotlib "
    "or Plotly instead of hand-written HTML with script.",
    "cell-tag": "Rename the tag to the one suggested (in Jupyter: View > Cell toolbar > "
    "Tags), or move ``hero``/``dark-variant`` to the code cell that displays the "
    "figure. Tags no tool knows and close to no known one are left alone.",
    "pdf": "Read the LaTeX log lines in the message; most failures come from a package, "
    "font or command the PDF cannot use. Build with ``-M latexpdf`` again after "
    "fixing.",
    "security": "Copy the file into the post's folder and give a path relative to the post; "
    "write the content in Markdown instead of raw HTML (or ask the site to set "
    "``article_raw_html = True``); remove ``myst:`` syntax overrides and "
    "``http-equiv`` keys from the front matter.",
}
