"""A post's YAML front matter -> one validated, typed :class:`Post` record.

myst-parser flattens nested front matter into strings, and a careless YAML load can be
made to explode (alias bombs) or crash (``2026-02-30`` raises ``ValueError``).  So the
YAML is composed here into nodes, refused if it uses aliases, and converted by hand
with every value's line kept for warnings.  The parser needs no Sphinx build:
``sphinx-article check`` calls :func:`parse_post` on the same text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

import yaml

from ..warnings_ import ArticleWarning
from .mathmacros import parse_table
from .people import PersonName, orcid_url, parse_name, ror_url
from .vocabularies import CREDIT_ROLES, LICENSES, normalise_role

MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_DEPTH = 16
_FENCE = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)
_ORCID = re.compile(r"(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")
_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+")
_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/[^\s\"'<>]+)", re.I)
_SLUG_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
#: invisible characters removed from front-matter text (and named in a warning): C0 and
#: C1 controls but tab and newline, bidirectional embeddings, overrides and isolates
#: (they reorder what readers see), unpaired surrogates, non-characters
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
#: the same in raw YAML text, which keeps its line breaks (CR, NEL)
_INVISIBLE_RAW = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f"
    "\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
#: a top-level ``key:`` line of the YAML block
_TOP_KEY = re.compile(r"(?:'[^']*'|\"[^\"]*\"|[^\s#'\"\-?:][^:]*?)\s*:(?:\s|$)")

TOP_KEYS = (
    "title",
    "description",
    "authors",
    "affiliations",
    "published",
    "date",
    "updated",
    "updates",
    "doi",
    "license",
    "tags",
    "keywords",
    "bibliography",
    "abstract",
    "funding",
    "acknowledgements",
    "lang",
    "draft",
    "math",
)
#: keys that belong to MyST or Sphinx; passed through to them untouched
PASSTHROUGH_KEYS = (
    "myst",
    "html_meta",
    "orphan",
    "nosearch",
    "tocdepth",
    # a MyST-NB text notebook (notebooks.py)
    "kernelspec",
    "jupytext",
    "file_format",
    "mystnb",
)
AUTHOR_KEYS = (
    "name",
    "url",
    "orcid",
    "email",
    "affiliations",
    "roles",
    "corresponding",
    "equal-contribution",
)
AFFILIATION_KEYS = ("id", "name", "url", "ror")
#: an author's ``name`` as a mapping (mystmd's and CSL-JSON's parts of a name)
NAME_KEYS = ("given", "family", "literal", "suffix", "non_dropping_particle", "dropping_particle")
#: other tools' spellings of author keys, accepted as the key they stand for
AUTHOR_ALIASES = {
    "equal_contribution": "equal-contribution",
    "equal_contributor": "equal-contribution",
}
UPDATE_KEYS = ("date", "note")


@dataclass(frozen=True)
class KeyDoc:
    """The documentation of one front-matter key (``authors.orcid`` for nested keys).

    The docs render :data:`KEY_DOCS` as the front-matter reference and warn about any key
    in the lists above that has no entry here, so schema and docs change together.
    """

    key: str
    type: str
    required: bool
    default: str
    example: str
    help: str


KEY_DOCS: tuple[KeyDoc, ...] = (
    KeyDoc(
        "title",
        "text",
        True,
        "",
        "Gradient times input, illustrated",
        "The post's title: title block, browser tab, toctrees, search, feed, citation and "
        "PDF. Plain text: never parsed as Markdown or HTML.",
    ),
    KeyDoc(
        "description",
        "text",
        True,
        "",
        "How a saliency score is computed.",
        "One or two sentences for index cards, the meta description, OpenGraph and "
        "Twitter cards and the feed.",
    ),
    KeyDoc(
        "authors",
        "list of authors",
        True,
        "",
        "[Ada Lovelace]",
        "At least one author. Each entry is a mapping with the author keys below, or just a name.",
    ),
    KeyDoc(
        "affiliations",
        "list of affiliations",
        False,
        "",
        "[{id: aes, name: Analytical Engine Society}]",
        "Institutions the authors name by ``id``.",
    ),
    KeyDoc(
        "published",
        "date",
        False,
        "",
        "2026-04-24",
        "Publication date (``YYYY-MM-DD``). Index pages and the feed list posts newest first.",
    ),
    KeyDoc(
        "date",
        "date",
        False,
        "",
        "2026-04-24",
        "Alias of ``published``, for posts written for other tools.",
    ),
    KeyDoc(
        "updated",
        "date",
        False,
        "latest update",
        "2026-05-02",
        "Date of the last change, shown in the byline and in the meta tags.",
    ),
    KeyDoc(
        "updates",
        "list of updates",
        False,
        "",
        "[{date: 2026-05-02, note: Fixed a sign.}]",
        'Entries of the "Updates and corrections" appendix, listed newest first.',
    ),
    KeyDoc(
        "doi",
        "DOI",
        False,
        "",
        "10.5281/zenodo.1234567",
        "The post's DOI: byline, citation, BibTeX entry and ``citation_doi`` meta tag. "
        "A ``https://doi.org/`` prefix is accepted.",
    ),
    KeyDoc(
        "license",
        "SPDX identifier",
        False,
        "``article_license``",
        "CC-BY-4.0",
        'Licence of the post, shown in the "Reuse" appendix. See the list of accepted '
        "identifiers below.",
    ),
    KeyDoc(
        "tags",
        "list of text",
        False,
        "",
        "[interpretability, saliency]",
        "Tags: shown on the post's card, one page per tag, categories in the feed.",
    ),
    KeyDoc(
        "keywords",
        "list of text",
        False,
        "",
        "[saliency, attribution]",
        "Keywords for search engines, JSON-LD and the PDF metadata.",
    ),
    KeyDoc(
        "bibliography",
        "list of paths",
        False,
        "``refs.bib`` if present",
        "refs.bib",
        "BibTeX files, relative to the post. Citation keys are scoped to the post.",
    ),
    KeyDoc(
        "abstract",
        "text",
        False,
        "",
        "We show how ...",
        "An abstract, separate from the shorter ``description``; written to the JSON-LD metadata.",
    ),
    KeyDoc(
        "funding",
        "text",
        False,
        "",
        "Supported by the Example Foundation.",
        "Funding statement (plain text), shown in the appendix's Funding section after the "
        "acknowledgements, on the page and in the PDF, and as the JSON-LD ``funding`` (a "
        "schema.org ``Grant`` named by it); hidden in review builds.",
    ),
    KeyDoc(
        "acknowledgements",
        "text",
        False,
        "",
        "We thank the reviewers.",
        "Acknowledgements, shown in the appendix (hidden in review builds).",
    ),
    KeyDoc(
        "lang",
        "language tag",
        False,
        "``language`` in conf.py",
        "en",
        "BCP 47 language of the post, when it differs from the site's.",
    ),
    KeyDoc(
        "draft",
        "true or false",
        False,
        "false",
        "true",
        'A draft is left out of the index, tags, feed and sitemap and shows a "draft" '
        "banner, unless ``article_show_drafts`` is on.",
    ),
    KeyDoc(
        "math",
        "mapping",
        False,
        "",
        "{macros: {R: '\\mathbb{R}'}}",
        "Math settings of the post; ``macros`` maps names to definitions in the shape "
        "of ``article_math_macros`` (a string, or ``[body, arguments]``, or ``[body, "
        "arguments, default of the first]``). They add to the site's macros.",
    ),
    KeyDoc(
        "authors.name",
        "text or mapping",
        True,
        "",
        "Ada Lovelace",
        "The author's full name. Citations split it as BibTeX does (\"Ludwig van "
        'Beethoven" cites as "Beethoven, L. van", "Martin Luther King Jr." as '
        '"King, M. L., Jr."); to say which part is which, write a mapping instead: '
        "``{given: Ludwig, family: Beethoven, non_dropping_particle: van}`` (also "
        "``suffix``, ``dropping_particle``, and ``literal`` for the form shown to "
        "readers), as in mystmd and CSL-JSON. Names in scripts without capitals keep "
        "their given names whole instead of initials.",
    ),
    KeyDoc(
        "authors.url",
        "http(s) URL",
        False,
        "",
        "https://example.org/ada",
        "The author's home page; their name links to it.",
    ),
    KeyDoc(
        "authors.orcid",
        "ORCID iD",
        False,
        "",
        "0000-0002-1825-0097",
        "ORCID iD (checksum-validated); shown as an ORCID link. A full "
        "``https://orcid.org/`` URL is accepted.",
    ),
    KeyDoc(
        "authors.email",
        "email address",
        False,
        "",
        "ada@example.org",
        "Contact address: a mail link beside the name on the web; for the "
        "corresponding author also in the PDF and the ``citation_author_email`` tag.",
    ),
    KeyDoc(
        "authors.affiliations",
        "list of ids or names",
        False,
        "",
        "[aes]",
        "Ids from ``affiliations``, or institution names written in full, or "
        "mappings with the keys of ``affiliations`` (``{name: ..., url: ..., ror: "
        "...}``, as mystmd writes them): those need a ``name`` unless their ``id`` "
        "is defined above.",
    ),
    KeyDoc(
        "authors.roles",
        "list of CRediT roles",
        False,
        "",
        "[conceptualization, writing-original-draft]",
        "Contributions, used by ``author-contributions``. "
        "Case, spaces and British spellings are normalised.",
    ),
    KeyDoc(
        "authors.corresponding",
        "true or false",
        False,
        "false",
        "true",
        "Marks the corresponding author.",
    ),
    KeyDoc(
        "authors.equal-contribution",
        "true or false",
        False,
        "false",
        "true",
        "Marks authors who contributed equally (``equal_contribution`` and mystmd's "
        "``equal_contributor`` also work).",
    ),
    KeyDoc(
        "affiliations.id",
        "text",
        False,
        "the name",
        "aes",
        "Short id that authors use in their ``affiliations``.",
    ),
    KeyDoc(
        "affiliations.name",
        "text",
        True,
        "",
        "Analytical Engine Society",
        "The institution's name as readers see it.",
    ),
    KeyDoc(
        "affiliations.url",
        "http(s) URL",
        False,
        "",
        "https://example.org",
        "The institution's web site.",
    ),
    KeyDoc(
        "affiliations.ror",
        "ROR id",
        False,
        "",
        "03yrm5c26",
        "Research Organization Registry id, written to the JSON-LD metadata; "
        "``https://ror.org/...`` is accepted.",
    ),
    KeyDoc("updates.date", "date", True, "", "2026-05-02", "When the change was made."),
    KeyDoc("updates.note", "text", True, "", "Fixed the sign in equation 2.", "What changed."),
    KeyDoc(
        "myst",
        "mapping",
        False,
        "",
        "{enable_extensions: [tasklist]}",
        "Passed to MyST-Parser: per-post MyST settings.",
    ),
    KeyDoc(
        "html_meta",
        "mapping",
        False,
        "",
        "{robots: noindex}",
        "Passed to MyST-Parser: extra ``<meta>`` tags.",
    ),
    KeyDoc(
        "orphan",
        "true or false",
        False,
        "true for posts",
        "true",
        "Passed to Sphinx. Posts are orphans already: they need no toctree.",
    ),
    KeyDoc(
        "nosearch",
        "true or false",
        False,
        "false",
        "true",
        "Passed to Sphinx: leaves the page out of the search index.",
    ),
    KeyDoc(
        "tocdepth",
        "number",
        False,
        "",
        "2",
        "Passed to Sphinx: the page's depth in "
        "toctrees (see ``article_toc_depth`` for the post's own contents).",
    ),
    KeyDoc(
        "kernelspec",
        "mapping",
        False,
        "",
        "{name: python3, display_name: Python 3}",
        "Passed to MyST-NB: makes an ``index.md`` post a text notebook whose "
        "``{code-cell}`` blocks run in this Jupyter kernel (needs ``article_notebooks``).",
    ),
    KeyDoc(
        "jupytext",
        "mapping",
        False,
        "",
        "{text_representation: {format_name: myst}}",
        "Passed to MyST-NB and Jupytext: the text-notebook format.",
    ),
    KeyDoc(
        "file_format",
        "text",
        False,
        "mystnb when kernelspec is given",
        "mystnb",
        "Passed to MyST-NB: marks the file as a text notebook.",
    ),
    KeyDoc(
        "mystnb",
        "mapping",
        False,
        "",
        "{execution_mode: 'off'}",
        "Passed to MyST-NB: per-post notebook settings, such as ``execution_mode``.",
    ),
)


@dataclass
class Problem:
    """One author mistake: its subtype, a message that says how to fix it, a line."""

    subtype: ArticleWarning
    message: str
    line: int


@dataclass
class Affiliation:
    id: str
    name: str
    url: str = ""
    ror: str = ""  # always the URL (people.ror_url)


@dataclass
class Author:
    name: str
    url: str = ""
    orcid: str = ""
    email: str = ""
    affiliations: list[str] = field(default_factory=list)  # Affiliation ids
    roles: list[str] = field(default_factory=list)  # CRediT role ids
    corresponding: bool = False
    equal_contribution: bool = False
    #: the name's parts when the front matter gives them (``name: {given, family}``);
    #: otherwise they are parsed from ``name`` (:func:`people.parse_name`)
    parts: PersonName | None = None

    @property
    def person(self) -> PersonName:
        """The name split into given, particle, family and suffix: one rule for all."""
        return self.parts or parse_name(self.name)

    @property
    def family(self) -> str:
        """ "Ludwig van Beethoven" -> "Beethoven" (citation keys, review checks)."""
        return self.person.family

    @property
    def given(self) -> str:
        return self.person.given

    @property
    def short_name(self) -> str:
        """ "Ada Lovelace" -> "A. Lovelace" (the CRediT statement's style)."""
        return self.person.short

    @property
    def cited_name(self) -> str:
        """ "Ludwig van Beethoven" -> "Beethoven, L. van" (the plain citation's style)."""
        return self.person.cited

    @property
    def orcid_url(self) -> str:
        """``https://orcid.org/<iD>`` or '' (the record keeps the bare iD)."""
        return orcid_url(self.orcid)


@dataclass
class Update:
    date: str
    note: str


@dataclass
class Post:
    """Everything the front matter says about a post, validated and normalised."""

    docname: str
    title: str = ""
    description: str = ""
    authors: list[Author] = field(default_factory=list)
    affiliations: list[Affiliation] = field(default_factory=list)
    published: str = ""
    updated: str = ""
    updates: list[Update] = field(default_factory=list)
    doi: str = ""
    license: str = ""
    tags: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    bibliography: list[str] = field(default_factory=list)
    abstract: str = ""
    funding: str = ""
    acknowledgements: str = ""
    lang: str = ""
    draft: bool = False
    #: ``math: {macros: ...}``: name (with backslash) -> mathmacros.Macro
    math_macros: dict[str, Any] = field(default_factory=dict)
    passthrough: dict[str, Any] = field(default_factory=dict)
    #: line of each key ("title", "authors.0.orcid", ...) for later warnings
    lines: dict[str, int] = field(default_factory=dict)
    #: lines the front matter takes in the source (0 when there is none)
    length: int = 0
    #: whether the body's first heading is a level-1 heading (a candidate title)
    h1_first: bool = False

    @property
    def slug(self) -> str:
        parts = self.docname.split("/")
        if len(parts) > 1 and parts[-1] == "index":
            return parts[-2]
        return parts[-1]

    def line(self, key: str) -> int:
        """Best line for ``key`` (falls back to its parent key, then to line 1)."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return 1

    def affiliation(self, ident: str) -> Affiliation | None:
        return next((a for a in self.affiliations if a.id == ident), None)

    @property
    def year(self) -> str:
        return self.published[:4]


class _Reader:
    """Turns composed YAML nodes into plain values, remembering each value's line."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.lines: dict[str, int] = {}
        self.problems: list[Problem] = []
        self._seen: set[int] = set()
        #: top-level keys lost to a YAML error (their "required" warnings would mislead)
        self.lost: set[str] = set()

    def problem(self, subtype: ArticleWarning, message: str, line: int) -> None:
        self.problems.append(Problem(subtype, message, line))

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.offset

    def value(self, node: yaml.Node, path: str, depth: int = 0) -> Any:
        if id(node) in self._seen:
            raise _Refused("uses YAML anchors and aliases; write each value out in full")
        self._seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _Refused(f"is nested more than {MAX_DEPTH} levels deep")
        self.lines.setdefault(path, self.line_of(node))
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = (
                    str(self.value(key_node, f"{path}.?", depth + 1))
                    if isinstance(key_node, yaml.ScalarNode)
                    else None
                )
                if key is None:
                    self.problem(
                        ArticleWarning.YAML,
                        "A front-matter key must be plain text.",
                        self.line_of(key_node),
                    )
                    continue
                sub = f"{path}.{key}" if path else key
                if key in result:
                    self.problem(
                        ArticleWarning.KEY,
                        f"Key '{key}' is given twice; keep one.",
                        self.line_of(key_node),
                    )
                self.lines[sub] = self.line_of(key_node)
                result[key] = self.value(value_node, sub, depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, f"{path}.{i}", depth + 1) for i, item in enumerate(node.value)]
        value = _scalar(cast(yaml.ScalarNode, node))
        if isinstance(value, str):
            value, found = strip_invisible(value)
            if found:
                self.problems.append(_invisible_problem(found, self.line_of(node)))
        return value


class _Refused(Exception):
    pass


def invisible_names(found: list[str]) -> str:
    """``U+0000, U+202E`` for the characters a message names."""
    return ", ".join(sorted({f"U+{ord(c):04X}" for c in found}))


def strip_invisible(text: str, pattern: re.Pattern[str] = _INVISIBLE) -> tuple[str, list[str]]:
    """``text`` without control, bidi-override and surrogate characters, and those found."""
    found = pattern.findall(text)
    return (pattern.sub("", text), found) if found else (text, [])


def _invisible_problem(found: list[str], line: int) -> Problem:
    return Problem(
        ArticleWarning.TEXT,
        f"Removed invisible characters ({invisible_names(found)}) "
        "from the front matter on this line; they are control characters, "
        "bidirectional overrides or unpaired surrogates that would corrupt the "
        "page, the feed or the PDF. Delete them from the source.",
        line,
    )


_BOOL = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def _scalar(node: yaml.ScalarNode) -> Any:
    """Resolve a scalar without running YAML's constructors (dates stay text)."""
    tag, text = node.tag, node.value
    if tag.endswith(":bool"):
        return _BOOL.get(text.lower(), text)
    if tag.endswith(":null"):
        return None
    if tag.endswith(":int"):
        try:
            return int(text.replace("_", ""), 0)
        except ValueError:
            return text
    if tag.endswith(":float"):
        try:
            return float(text.replace("_", ""))
        except ValueError:
            return text
    return text


def split_front_matter(source: str) -> tuple[str | None, int]:
    """The YAML text between the ``---`` fences and the number of lines they span."""
    match = _FENCE.match(source)
    if not match:
        return None, 0
    return match.group(1) or "", match.group(0).count("\n") + (
        0 if match.group(0).endswith("\n") else 1
    )


def load_yaml(text: str, reader: _Reader) -> dict[str, Any] | None:
    """Compose and convert; a YAML error or refusal is one located problem."""
    if len(text.encode("utf-8", "replace")) > MAX_FRONT_MATTER_BYTES:
        reader.problem(
            ArticleWarning.YAML,
            f"The front matter is larger than "
            f"{MAX_FRONT_MATTER_BYTES // 1024} KB; move long text into the body.",
            reader.offset,
        )
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = reader.value(node, "") if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + reader.offset if mark else reader.offset
        reader.problem(
            ArticleWarning.YAML,
            f"The front matter is not valid YAML "
            f"({exc.problem or exc}); check the indentation and quote values "
            f"that contain ':' or '#'.",
            line,
        )
        return None
    except (yaml.YAMLError, RecursionError) as exc:
        reader.problem(
            ArticleWarning.YAML, f"The front matter is not valid YAML ({exc}).", reader.offset
        )
        return None
    except _Refused as exc:
        reader.problem(ArticleWarning.YAML, f"The front matter {exc}.", reader.offset)
        return None
    if not isinstance(data, dict):
        reader.problem(
            ArticleWarning.YAML,
            "The front matter must be a mapping of "
            "'key: value' lines (title:, description:, authors:...).",
            reader.offset,
        )
        return None
    return data


def _clean_raw(text: str, reader: _Reader) -> str:
    """Invisible characters the YAML reader would reject, removed line by line."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        cleaned, found = strip_invisible(line, _INVISIBLE_RAW)
        if found:
            reader.problems.append(_invisible_problem(found, number + reader.offset))
            lines[number] = cleaned
    return "\n".join(lines)


def top_level_blocks(text: str) -> list[tuple[str, int, int]]:
    """``(key, first, last)`` 0-based line spans of the YAML block's top-level keys."""
    blocks: list[tuple[str, int, int]] = []
    lines = text.split("\n")
    for number, line in enumerate(lines):
        match = _TOP_KEY.match(line)
        if match and not line[:1].isspace():
            if blocks:
                key, first, _ = blocks[-1]
                blocks[-1] = (key, first, number - 1)
            blocks.append(
                (match.group(0).rstrip().rstrip(":").strip().strip("'\""), number, number)
            )
    if blocks:
        key, first, _ = blocks[-1]
        last = len(lines) - 1
        while last > first and not lines[last].strip():
            last -= 1
        blocks[-1] = (key, first, last)
    return blocks


def salvage(text: str, reader: _Reader) -> dict[str, Any] | None:
    """After a YAML error: read each top-level key on its own, keep those that parse,
    and say plainly which fields were lost (the error message alone rarely does)."""
    error = reader.problems.pop()
    lines = text.split("\n")
    data: dict[str, Any] = {}
    lost: list[str] = []
    for key, first, last in top_level_blocks(text):
        part = _Reader(offset=reader.offset + first)
        value = load_yaml("\n".join(lines[first : last + 1]) + "\n", part)
        if value is None or key not in value:
            lost.append(
                f"'{key}' (line{'s' if last > first else ''} {first + reader.offset}"
                + (f"-{last + reader.offset})" if last > first else ")")
            )
            reader.lost.add(key)
            continue
        data.update(value)
        reader.lines.update(part.lines)
        reader.problems.extend(part.problems)
    where = error.message.removeprefix("The front matter is not valid YAML").split("; check")[0]
    where = f"at line {error.line}{where.rstrip('.')}."
    if not data:
        reader.problem(
            ArticleWarning.YAML,
            "The front matter could not be read: it is not "
            f"valid YAML {where} No field of it is used (title, authors and the "
            "rest are all lost) until this is fixed; check the indentation.",
            error.line,
        )
        return None
    reader.problem(
        ArticleWarning.YAML,
        "The front matter could not be read as a whole: it "
        f"is not valid YAML {where} These fields were lost: {', '.join(lost)}; "
        "the others are used. Check the indentation and quoting of the lost fields.",
        error.line,
    )
    return data


def parse_post(
    docname: str, source: str, default_license: str = "CC-BY-4.0"
) -> tuple[Post, list[Problem]]:
    """Read and validate a post's front matter from its whole source text."""
    post = Post(docname=docname, license=default_license)
    text, post.length = split_front_matter(source)
    reader = _Reader(offset=2)  # YAML line 0 is the file's line 2, after the '---'
    if text is None:
        reader.problem(
            ArticleWarning.REQUIRED,
            "The post has no front matter; start the file "
            "with a '---' block giving title, description and authors.",
            1,
        )
        return post, reader.problems
    text = _clean_raw(text, reader)
    data = load_yaml(text, reader)
    if data is None and reader.problems and reader.problems[-1].subtype is ArticleWarning.YAML:
        data = salvage(text, reader)
    post.lines = reader.lines
    if data is not None:
        _Validator(post, reader).run(data)
    return post, reader.problems


class _Validator:
    """Fills a Post from plain data, adding a Problem for each mistake."""

    def __init__(self, post: Post, reader: _Reader) -> None:
        self.post = post
        self.reader = reader

    def problem(self, subtype: ArticleWarning, message: str, key: str) -> None:
        if subtype is ArticleWarning.REQUIRED and key.split(".")[0] in self.reader.lost:
            return  # already reported as lost to a YAML error
        self.reader.problem(subtype, message, self.post.line(key))

    # typed getters -------------------------------------------------------------------
    def text(self, data: dict[str, Any], key: str, path: str, required: bool = False) -> str:
        value = data.get(key)
        if isinstance(value, str) and value and not value.strip():
            if required:
                self.problem(
                    ArticleWarning.REQUIRED,
                    f"'{key}' is blank; write the {key} itself after '{key}:'.",
                    path,
                )
            return ""
        if value is None or value == "":
            if required:
                self.problem(
                    ArticleWarning.REQUIRED,
                    f"'{key}' is required; add '{key}: ...' to the front matter.",
                    path.rpartition(".")[0] or key,
                )
            return ""
        if isinstance(value, (dict, list)):
            self.problem(
                ArticleWarning.TYPE,
                f"'{key}' must be text, not a {'list' if isinstance(value, list) else 'mapping'}.",
                path,
            )
            return ""
        return " ".join(str(value).split()) if key != "note" else str(value).strip()

    def strings(self, data: dict[str, Any], key: str, path: str) -> list[str]:
        value = data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [v for v in (part.strip() for part in value.split(",")) if v]
        if not isinstance(value, list) or any(isinstance(v, (dict, list)) for v in value):
            self.problem(
                ArticleWarning.TYPE,
                f"'{key}' must be a list of text, like '{key}: [one, two]'.",
                path,
            )
            return []
        return [str(v).strip() for v in value if v is not None and str(v).strip()]

    def flag(self, data: dict[str, Any], key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.problem(ArticleWarning.TYPE, f"'{key}' must be true or false.", path)
            return False
        return value

    def date(self, data: dict[str, Any], key: str, path: str) -> str:
        raw = self.text(data, key, path)
        if not raw:
            return ""
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            self.problem(
                ArticleWarning.DATE,
                f"'{key}: {raw}' is not a real date; write it "
                f"as YYYY-MM-DD, for example 2026-04-24.",
                path,
            )
            return ""

    def url(self, data: dict[str, Any], key: str, path: str) -> str:
        raw = self.text(data, key, path)
        if raw and not re.match(r"https?://[^\s/]+", raw, re.I):
            self.problem(
                ArticleWarning.URL,
                f"'{key}: {raw}' is not an http(s) URL; write "
                f"the full address, starting with https://.",
                path,
            )
            return ""
        return raw

    def unknown_keys(self, data: dict[str, Any], known: tuple[str, ...], path: str) -> None:
        for key in data:
            if key in known or (not path and key in PASSTHROUGH_KEYS):
                continue
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}."
            where = f"{path}.{key}" if path else key
            self.problem(ArticleWarning.KEY, f"Unknown front-matter key '{key}'; {hint}", where)

    def mappings(self, data: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(
                ArticleWarning.TYPE,
                f"'{key}' must be a list of entries, each starting with '- '.",
                key,
            )
            return []
        items = []
        for i, item in enumerate(value):
            if isinstance(item, str) and key == "authors":
                item = {"name": item}
            if not isinstance(item, dict):
                self.problem(
                    ArticleWarning.TYPE,
                    f"Each entry of '{key}' must be a mapping (name: ..., url: ...).",
                    f"{key}.{i}",
                )
                continue
            items.append((f"{key}.{i}", item))
        return items

    # the schema ----------------------------------------------------------------------
    def run(self, data: dict[str, Any]) -> None:
        post = self.post
        self.unknown_keys(data, TOP_KEYS, "")
        post.passthrough = {k: data[k] for k in PASSTHROUGH_KEYS if k in data}
        post.title = self.text(data, "title", "title", required=True)
        post.description = self.text(data, "description", "description", required=True)
        post.published = self.date(data, "published", "published")
        if "date" in data:
            alias = self.date(data, "date", "date")
            if "published" in data:
                self.problem(
                    ArticleWarning.DATE,
                    "Both 'date' and 'published' are given; "
                    "'date' is another name for 'published': keep only "
                    f"'published'{' (the two differ)' if alias != post.published else ''}"
                    ".",
                    "date",
                )
            post.published = post.published or alias
        post.updated = self.date(data, "updated", "updated")
        post.abstract = self.text(data, "abstract", "abstract")
        post.funding = self.text(data, "funding", "funding")
        post.acknowledgements = self.text(data, "acknowledgements", "acknowledgements")
        post.lang = self.text(data, "lang", "lang")
        if post.lang and not _LANG.fullmatch(post.lang):
            self.problem(
                ArticleWarning.TYPE,
                f"'lang: {post.lang}' is not a language tag; "
                f"write a BCP 47 tag such as en, de or pt-BR.",
                "lang",
            )
            post.lang = ""
        post.draft = self.flag(data, "draft", "draft")
        self.math(data)
        post.tags = self.strings(data, "tags", "tags")
        post.keywords = self.strings(data, "keywords", "keywords")
        post.bibliography = self.strings(data, "bibliography", "bibliography")
        self.doi(data)
        self.license(data)
        self.affiliations(data)
        self.authors(data)
        self.updates(data)

    def math(self, data: dict[str, Any]) -> None:
        value = data.get("math")
        if value is None:
            return
        if not isinstance(value, dict):
            self.problem(
                ArticleWarning.TYPE,
                "'math' must be a mapping, as in math: {macros: {R: '\\mathbb{R}'}}.",
                "math",
            )
            return
        self.unknown_keys(value, ("macros",), "math")

        macros, problems = parse_table(value.get("macros", {}), "math.macros")
        for message in problems:
            self.problem(ArticleWarning.TYPE, message + ".", "math")
        self.post.math_macros = macros

    def doi(self, data: dict[str, Any]) -> None:
        raw = self.text(data, "doi", "doi")
        match = _DOI.fullmatch(raw) if raw else None
        if raw and not match:
            self.problem(
                ArticleWarning.DOI,
                f"'doi: {raw}' is not a DOI; write it as "
                f"10.NNNN/suffix, for example 10.5281/zenodo.1234567.",
                "doi",
            )
        self.post.doi = match.group(1) if match else ""

    def license(self, data: dict[str, Any]) -> None:
        raw = self.text(data, "license", "license")
        if not raw:
            return
        known = {k.lower(): k for k in LICENSES}
        if raw.lower() in known:
            self.post.license = known[raw.lower()]
            return
        close = difflib.get_close_matches(raw, list(LICENSES), n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(LICENSES)}."
        self.problem(
            ArticleWarning.LICENSE,
            f"'license: {raw}' is not a known SPDX identifier; {hint}",
            "license",
        )

    def affiliations(self, data: dict[str, Any]) -> None:
        for path, item in self.mappings(data, "affiliations"):
            self.unknown_keys(item, AFFILIATION_KEYS, path)
            name = self.text(item, "name", f"{path}.name", required=True)
            ident = self.text(item, "id", f"{path}.id") or name
            if not name:
                continue
            if self.post.affiliation(ident):
                self.problem(
                    ArticleWarning.AFFILIATION,
                    f"Affiliation id '{ident}' is defined twice; give each affiliation its own id.",
                    f"{path}.id",
                )
                continue
            self.post.affiliations.append(self.affiliation(item, path, ident, name))

    def affiliation(self, item: dict[str, Any], path: str, ident: str, name: str) -> Affiliation:
        """One affiliation's record from its mapping (top-level or under an author)."""
        ror = self.text(item, "ror", f"{path}.ror")
        if ror and not re.fullmatch(r"(?:https://ror\.org/)?0[a-z0-9]{6}\d{2}", ror):
            self.problem(
                ArticleWarning.URL,
                f"'ror: {ror}' is not a ROR id; write it as https://ror.org/0xxxxxxNN.",
                f"{path}.ror",
            )
            ror = ""
        return Affiliation(ident, name, self.url(item, "url", f"{path}.url"), ror_url(ror))

    def authors(self, data: dict[str, Any]) -> None:
        entries = self.mappings(data, "authors")
        if not entries and "authors" not in data:
            self.problem(
                ArticleWarning.REQUIRED,
                "'authors' is required; add a list with at least one '- name: ...' entry.",
                "authors",
            )
        for path, item in entries:
            self.unknown_keys(item, AUTHOR_KEYS + tuple(AUTHOR_ALIASES), path)
            name, parts = self.author_name(item, f"{path}.name")
            if not name:
                continue
            author = Author(
                name=name,
                parts=parts,
                url=self.url(item, "url", f"{path}.url"),
                orcid=self.orcid(item, f"{path}.orcid"),
                email=self.email(item, f"{path}.email"),
                corresponding=self.flag(item, "corresponding", f"{path}.corresponding"),
                equal_contribution=any(
                    [
                        self.flag(item, key, f"{path}.{key}")
                        for key in ("equal-contribution", *AUTHOR_ALIASES)
                    ]
                ),
            )
            author.affiliations = self.author_affiliations(item, path)
            author.roles = self.roles(item, path)
            self.post.authors.append(author)
        if entries and not self.post.authors:
            self.problem(
                ArticleWarning.REQUIRED,
                "No author has a name; give each author '- name: ...'.",
                "authors",
            )

    def orcid(self, item: dict[str, Any], path: str) -> str:
        raw = self.text(item, "orcid", path)
        if not raw:
            return ""
        match = _ORCID.fullmatch(raw)
        if not match:
            self.problem(
                ArticleWarning.ORCID,
                f"'orcid: {raw}' is not an ORCID iD; write 16 digits as 0000-0002-1825-0097.",
                path,
            )
            return ""
        if not orcid_checksum_ok(match.group(1)):
            self.problem(
                ArticleWarning.ORCID,
                f"ORCID iD {match.group(1)} fails its "
                f"checksum (the last digit); copy it again from orcid.org.",
                path,
            )
            return ""
        return match.group(1)

    def email(self, item: dict[str, Any], path: str) -> str:
        raw = self.text(item, "email", path)
        if raw and not _EMAIL.fullmatch(raw):
            self.problem(ArticleWarning.URL, f"'email: {raw}' is not an email address.", path)
            return ""
        return raw

    def author_name(self, item: dict[str, Any], path: str) -> tuple[str, PersonName | None]:
        """The name as shown, and its parts when written as a mapping."""
        value = item.get("name")
        if not isinstance(value, dict):
            return self.text(item, "name", path, required=True), None
        self.unknown_keys(value, NAME_KEYS, path)
        got = {key: self.text(value, key, f"{path}.{key}") for key in NAME_KEYS}
        if not got["family"] and not got["literal"]:
            self.problem(
                ArticleWarning.REQUIRED,
                "An author's 'name' written as a mapping "
                "needs 'family' (and usually 'given'), as in name: {given: Ada, "
                "family: Lovelace}; or write the name as text.",
                path,
            )
            return "", None
        if not got["family"]:  # only the literal form: split it as a written name
            return got["literal"], None
        particle = " ".join(
            p for p in (got["dropping_particle"], got["non_dropping_particle"]) if p
        )
        parts = PersonName(got["given"], particle, got["family"], got["suffix"])
        name = got["literal"] or parts.display
        return name, PersonName(parts.given, particle, parts.family, parts.suffix, name)

    def author_affiliations(self, item: dict[str, Any], path: str) -> list[str]:
        raw = item.get("affiliations")
        if isinstance(raw, list) and any(isinstance(v, dict) for v in raw):
            values: list[tuple[int, Any]] = list(enumerate(raw))
        else:
            values = list(enumerate(self.strings(item, "affiliations", f"{path}.affiliations")))
        idents: list[str] = []
        for i, value in values:
            where = f"{path}.affiliations.{i}"
            if isinstance(value, dict):
                ident = self.inline_affiliation(value, where)
            elif isinstance(value, list):
                self.problem(
                    ArticleWarning.TYPE,
                    "Each of an author's 'affiliations' must "
                    "be an id, a name or a mapping with 'name', not a list.",
                    where,
                )
                ident = ""
            else:
                ident = self.affiliation_ref(str(value).strip() if value is not None else "", where)
            if ident and ident not in idents:
                idents.append(ident)
        return idents

    def inline_affiliation(self, value: dict[str, Any], path: str) -> str:
        """An affiliation written out under an author (mystmd's shape): its id."""
        self.unknown_keys(value, AFFILIATION_KEYS, path)
        name = self.text(value, "name", f"{path}.name")
        ident = self.text(value, "id", f"{path}.id") or name
        if ident and self.post.affiliation(ident):
            return ident  # defined under 'affiliations:' or by an earlier author
        if not name:
            if ident:
                return self.affiliation_ref(ident, f"{path}.id")
            self.problem(
                ArticleWarning.REQUIRED,
                "An affiliation written as a mapping "
                "needs 'name: ...' (the institution as readers see it).",
                path,
            )
            return ""
        self.post.affiliations.append(self.affiliation(value, path, ident, name))
        return ident

    def affiliation_ref(self, value: str, path: str) -> str:
        """An affiliation named by id or written in full: its id ('' when unknown)."""
        if not value:
            return ""
        if self.post.affiliation(value):
            return value
        if _SLUG_ID.fullmatch(value):
            known = [a.id for a in self.post.affiliations]
            close = difflib.get_close_matches(value, known, n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else "define it under 'affiliations:' with '- id: ...' and 'name: ...', "
                "or write the institution's full name."
            )
            self.problem(
                ArticleWarning.AFFILIATION, f"Unknown affiliation id '{value}'; {hint}", path
            )
            return ""
        self.post.affiliations.append(Affiliation(value, value))  # a literal name
        return value

    def roles(self, item: dict[str, Any], path: str) -> list[str]:
        roles = []
        for i, value in enumerate(self.strings(item, "roles", f"{path}.roles")):
            role = normalise_role(value)
            if role in CREDIT_ROLES:
                if role not in roles:
                    roles.append(role)
                continue
            close = difflib.get_close_matches(role, list(CREDIT_ROLES), n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else (f"use CRediT roles: {', '.join(CREDIT_ROLES)}.")
            )
            self.problem(
                ArticleWarning.ROLE, f"'{value}' is not a CRediT role; {hint}", f"{path}.roles.{i}"
            )
        return roles

    def updates(self, data: dict[str, Any]) -> None:
        for path, item in self.mappings(data, "updates"):
            self.unknown_keys(item, UPDATE_KEYS, path)
            when = self.date(item, "date", f"{path}.date")
            note = self.text(item, "note", f"{path}.note", required=True)
            if when and note:
                self.post.updates.append(Update(when, note))
            elif note and not when:
                self.problem(ArticleWarning.DATE, "Each update needs 'date: YYYY-MM-DD'.", path)
        self.post.updates.sort(key=lambda u: u.date, reverse=True)
        if self.post.updates and not self.post.updated:
            self.post.updated = self.post.updates[0].date
        post = self.post
        if post.updated and post.published and post.updated < post.published:
            self.problem(
                ArticleWarning.DATE,
                f"'updated: {post.updated}' is earlier than "
                f"'published: {post.published}'; a post is updated after it is "
                "published: correct one of the dates.",
                "updated" if "updated" in post.lines else "updates",
            )


def orcid_checksum_ok(orcid: str) -> bool:
    """ISO 7064 MOD 11-2, as ORCID specifies."""
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))
