"""A post's bib files: which ones it uses, and what they contain.

No Sphinx needed, so ``sphinx-article check`` can use the same rules as the build:
a listed path must stay inside the site folder (it is never opened otherwise), and
files are read by pybtex's own parser in capture mode, so one malformed entry is a
located problem while the rest of the file is still used.

Entries are taken as authors write them: every BibTeX and biblatex type and the
biblatex fields and name syntax are turned into what pybtex's styles format
(:func:`normalize_entry`), the formatting styles list an incomplete entry with what it
has and keep only http(s) links, and :func:`entry_problems` says what was wrong, for
the build and ``check`` alike.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pybtex.errors
import pybtex.plugin
from pybtex.bibtex.utils import split_name_list
from pybtex.database import Entry, Person
from pybtex.database.input.bibtex import LowLevelParser, Parser
from pybtex.exceptions import PybtexError
from pybtex.richtext import BaseMultipartText, BaseText, HRef, Protected, String, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import date
from pybtex.style.template import (
    FieldIsMissing,
    field,
    first_of,
    href,
    join,
    optional,
    optional_field,
    sentence,
    tag,
    words,
)
from pybtex.textutils import normalize_whitespace

from .._compat import cache_pybtex_plugins
from .frontmatter import Post
from .paths import resolve_inside

DEFAULT_BIB = "refs.bib"

cache_pybtex_plugins()  # thousands of plugin look-ups per build: see _compat


Problems = list[tuple[int, str]]  #: (line, message) pairs


def find_bibfiles(post: Post, post_dir: Path, site_root: Path) -> tuple[list[Path], Problems]:
    """The post's bib files, and (front-matter line, message) for each unusable one.

    Listed paths are relative to the post; one that leaves the site folder (``..``,
    an absolute path, a symlink out) is refused and never opened.
    """
    if not post.bibliography:
        default, _reason = resolve_inside(site_root, post_dir, DEFAULT_BIB)
        return ([default] if default is not None and default.is_file() else []), []
    found, problems = [], []
    for i, name in enumerate(post.bibliography):
        line = post.line(f"bibliography.{i}")
        path, _reason = resolve_inside(site_root, post_dir, name)
        if path is None:
            problems.append(
                (
                    line,
                    f"Bibliography '{name}' is outside the site folder and "
                    f"was not read; put the .bib file in the post's folder.",
                )
            )
        elif not path.is_file():
            problems.append(
                (
                    line,
                    f"Bibliography file '{name}' not found next to the "
                    f"post; fix the path or add the file.",
                )
            )
        elif path not in found:
            found.append(path)
    return found, problems


def unknown_key_message(key: str, post: Post, files: list[Path], site_root: Path) -> str:
    """The one message for a cited key that no bib file of the post defines."""
    root = site_root.resolve()
    names = " or ".join(
        path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        for path in files
    )
    where = names or (
        f"the post's bibliography ({', '.join(post.bibliography)}: not readable)"
        if post.bibliography
        else f"the post (it has no {DEFAULT_BIB})"
    )
    return f"Citation key '{key}' is not in {where}; add the entry or fix the key."


def parse_bibfile(path: Path, encoding: str = "utf-8-sig") -> tuple[dict[str, Entry], Problems]:
    """Entries of one bib file by key, and (line, message) for each problem
    (:func:`read_bibfile` without the lines)."""
    source = read_bibfile(path, encoding)
    return source.entries, source.problems


# -- reading with line numbers and biblatex names ---------------------------------------

_NAME_PART = re.compile(
    r"^\s*(family|given|prefix|suffix|useprefix|sortingnamekeystratum|"
    r"hash|id)\s*=\s*(.*?)\s*$",
    re.I | re.S,
)


def _split_top(text: str, sep: str = ",") -> list[str]:
    """Split on ``sep`` outside braces."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _unbrace(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return value[1:-1].strip()
    if (
        len(value) >= 2
        and value[0] == "{"
        and value[-1] == "}"
        and _split_top(value[1:-1], "}") == [value[1:-1]]
    ):
        return value[1:-1].strip()
    return value


def parse_name(text: str) -> Person:
    """One name, in BibTeX form (``Last, First``) or biblatex's extended form
    (``family=Ascoli, given=St\\'ephane, prefix=d'``), as a pybtex :class:`Person`."""
    parts = _split_top(text)
    matches = [_NAME_PART.match(part) for part in parts]
    if not parts or not all(matches):
        try:
            return Person(text)
        except PybtexError:  # too many commas (outside capture mode): keep it one name
            return Person(last=_no_latex(text).replace(",", " "))
    named = {m.group(1).lower(): _unbrace(m.group(2)) for m in matches if m}
    family, prefix = named.get("family", ""), named.get("prefix", "")
    if prefix.endswith(("'", "\u2019")):  # d'Ascoli, not d' Ascoli
        family, prefix = prefix + family, ""
    return Person(
        first=named.get("given", ""), prelast=prefix, last=family, lineage=named.get("suffix", "")
    )


def person_text(person: Person) -> str:
    """``First von Last, Jr`` as one LaTeX string (still to be turned into text)."""
    return " ".join(
        person.first_names
        + person.middle_names
        + person.prelast_names
        + person.last_names
        + person.lineage_names
    )


@dataclass
class BibSource:
    """One parsed bib file: entries by key, each key's line, and located problems."""

    entries: dict[str, Entry]
    lines: dict[str, int]  #: lower-cased key -> line of its ``@type{``
    problems: Problems


class _LocatingParser(Parser):
    """pybtex's BibTeX parser that also records where each entry starts, reports a
    repeated key at its own line, and reads biblatex's extended name syntax."""

    def __init__(self, encoding: str) -> None:
        super().__init__(encoding)
        self.lines: dict[str, int] = {}
        self.located: Problems = []
        self._line = 1

    def parse_string(self, text: str) -> Any:
        self.unnamed_entry_counter = 1
        self.command_start = 0
        lexer = LowLevelParser(
            text,
            keyless_entries=self.keyless_entries,
            handle_error=self.handle_error,
            want_entry=self.data.want_entry,
            filename=self.filename,
            macros=self.macros,
        )
        counted, line = 0, 1
        for command, body in lexer:
            line += text.count("\n", counted, lexer.command_start)
            counted = max(counted, lexer.command_start)
            self._line = line
            kind = command.lower()
            if kind == "preamble":
                self.process_preamble(*body)
            elif kind != "string":
                self.process_entry(command, *body)
        return self.data

    def process_entry(self, entry_type: str, key: str | None, fields: Any) -> None:
        if key is not None and key.lower() in self.lines:
            first = self.lines[key.lower()]
            self.located.append(
                (
                    self._line,
                    f"Entry '{key}' repeats the key of the entry "
                    f"at line {first}; this one is ignored. Remove "
                    f"it or give it its own key.",
                )
            )
            return
        if key is not None and _BAD_KEY.search(key):
            self.located.append(
                (
                    self._line,
                    f"Entry key '{key}' cannot be cited (keys "
                    f"have no spaces, commas or braces); rename it.",
                )
            )
        entry = Entry(entry_type)
        seen: set[str] = set()
        for name, values in fields:
            if name.lower() in seen:
                self.located.append(
                    (
                        self._line,
                        f"Entry '{key}' has the field '{name}' twice; the first one is used.",
                    )
                )
                continue
            seen.add(name.lower())
            value = normalize_whitespace(self.flatten_value_list(values))
            if name in self.person_fields:
                for one in split_name_list(value):
                    entry.add_person(parse_name(one), name)
            else:
                entry.fields[name] = value
        if key is None:
            key = f"unnamed-{self.unnamed_entry_counter}"
            self.unnamed_entry_counter += 1
        self.lines[key.lower()] = self._line
        self.data.add_entry(key, entry)


def read_bibfile(path: Path, encoding: str = "utf-8-sig") -> BibSource:
    """Entries of one bib file, the line of each, and (line, message) for each problem
    (syntax errors, repeated keys and fields), by pybtex's parser in capture mode: a
    malformed entry is reported and skipped, the rest of the file is still read."""
    parser = _LocatingParser(encoding)
    problems: Problems = []
    with pybtex.errors.capture() as captured:
        try:
            parser.parse_file(str(path))
        except (PybtexError, UnicodeDecodeError, OSError) as exc:
            problems.append((getattr(exc, "lineno", None) or 1, _unreadable(path, exc)))
    for error in captured:
        problems.append((getattr(error, "lineno", None) or parser._line, _unreadable(path, error)))
    problems.extend(parser.located)
    problems.sort(key=lambda p: p[0])
    return BibSource(dict(parser.data.entries), parser.lines, problems)


def _unreadable(path: Path, error: Exception) -> str:
    return (
        f"Bibliography {path.name} is malformed ({_short(str(error), 200)}); fix the "
        f"entry (the rest of the file is used)."
    )


# -- entry types, fields and links -------------------------------------------------------

#: the types pybtex's styles format (each has a ``get_<type>_template``)
FORMATTED_TYPES = (
    "article",
    "book",
    "booklet",
    "inbook",
    "incollection",
    "inproceedings",
    "manual",
    "mastersthesis",
    "misc",
    "phdthesis",
    "proceedings",
    "techreport",
    "unpublished",
    "online",
    "software",
    "dataset",
    "patent",
)
#: biblatex types (and BibTeX aliases) -> the type that formats them
TYPE_ALIASES = {
    "conference": "inproceedings",
    "electronic": "online",
    "www": "online",
    "report": "techreport",
    "thesis": "phdthesis",
    "mvbook": "book",
    "bookinbook": "inbook",
    "suppbook": "inbook",
    "collection": "book",
    "mvcollection": "book",
    "reference": "book",
    "mvreference": "book",
    "inreference": "incollection",
    "suppcollection": "incollection",
    "mvproceedings": "proceedings",
    "periodical": "misc",
    "suppperiodical": "article",
    "review": "article",
    "standard": "misc",
    "artwork": "misc",
    "audio": "misc",
    "image": "misc",
    "jurisdiction": "misc",
    "legislation": "misc",
    "legal": "misc",
    "letter": "misc",
    "movie": "misc",
    "music": "misc",
    "performance": "misc",
    "video": "misc",
    "commentary": "misc",
    "set": "misc",
    "bibnote": "misc",
    "xdata": "misc",
}
KNOWN_TYPES = tuple(sorted(set(FORMATTED_TYPES) | set(TYPE_ALIASES)))
#: wrong types authors write that difflib does not find
_TYPE_HINTS = {
    "journal": "article",
    "paper": "article",
    "webpage": "online",
    "website": "online",
    "web": "online",
    "url": "online",
    "blog": "online",
    "case": "jurisdiction",
    "preprint": "article",
}
#: biblatex field -> BibTeX field it stands in for (when that one is absent)
FIELD_ALIASES = {"journaltitle": "journal", "location": "address"}
_BAD_KEY = re.compile(r"[\s,{}]")
_DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/[^\s\x00-\x1f\x7f-\x9f]+|10/[a-z0-9]+", re.I)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_ARXIV_ID = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)
_ARXIV_CLASS = re.compile(r"[a-z-]+(?:\.[A-Za-z-]+)?", re.I)
_LATEX_URL = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}")
_LATEX_HREF = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_URL_COMMAND = re.compile(r"\\url\s*$")
_URL_UNSAFE = str.maketrans({c: f"%{ord(c):02X}" for c in '<>"{}\\|^`'})
_TEX_ESCAPES = {"\\_": "_", "\\%": "%", "\\&": "&", "\\#": "#", "\\$": "$", "\\~{}": "~"}


def _untex(value: str) -> str:
    for escaped, char in _TEX_ESCAPES.items():
        value = value.replace(escaped, char)
    return value.strip()


def safe_url(url: str) -> str | None:
    """The URL if it is an absolute http(s) address (nothing else becomes a link);
    ``{...}`` and a lone ``\\url{...}`` around it are taken off."""
    url = _untex(url)
    while url.startswith("{") and url.endswith("}"):
        url = url[1:-1].strip()
    single = _LATEX_URL.fullmatch(url)
    url = single.group(1).strip() if single else url
    if not url or any(ord(c) < 33 or 0x7F <= ord(c) < 0xA0 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.translate(_URL_UNSAFE)  # characters no URL holds raw, for every output


def parse_doi(value: str) -> str | None:
    """The DOI in ``value`` by the DOI handbook's rule (``10.NNNN/`` then any printable
    suffix, SICI DOIs with ``<>;`` included, or a shortDOI such as ``10/cmwds4``); a
    ``https://doi.org/`` or ``doi:`` prefix is dropped.  None when it is not a DOI."""
    doi = _DOI_PREFIX.sub("", _untex(value))
    return doi if _DOI.fullmatch(doi) else None


def doi_url(doi: str) -> str:
    """The resolver address of a DOI, percent-encoded so any suffix is one safe URL."""
    return "https://doi.org/" + quote(doi, safe="/:;()[]-._~!$*+=@,")


def _year_of(date: str) -> str | None:
    match = re.match(r"\s*(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?\s*(?:[/~?%].*)?$", date)
    return match.group(1) if match else None


def normalize_entry(entry: Entry) -> tuple[Entry, list[str]]:
    """A copy of ``entry`` in the shape pybtex's styles format, and what was wrong.

    biblatex types become the BibTeX type that formats them (``@report`` ->
    ``@techreport``), an unknown type becomes ``@misc`` (with the closest known type as
    hint); biblatex fields fill the BibTeX ones (``date`` -> ``year``, ``journaltitle``,
    ``location``, a thesis's ``institution``, ``eprint``/``eprinttype``/``eprintclass``);
    a URL that is not http(s) and a DOI that is not a DOI are dropped.
    """
    key, messages = entry.key, []
    fields = dict(entry.fields)
    persons = {
        role: [
            parse_name(str(person)) if "=" in str(person) else person for person in people
        ]  # read by another parser (bibtex_bibfiles)
        for role, people in entry.persons.items()
    }
    kind = entry.type.lower()
    if kind not in FORMATTED_TYPES:
        if kind in TYPE_ALIASES:
            kind = TYPE_ALIASES[kind]
        else:
            hint = _TYPE_HINTS.get(kind) or next(
                iter(difflib.get_close_matches(kind, KNOWN_TYPES, n=1, cutoff=0.6)), None
            )
            messages.append(
                f"Entry '{key}' has the unknown type @{entry.type}; it is listed "
                f"as @misc. "
                + (
                    f"Did you mean @{hint}?"
                    if hint
                    else "Use a BibTeX or biblatex type such as @article."
                )
            )
            kind = "misc"
    lower = {name.lower(): name for name in fields}

    def take(name: str) -> str | None:
        real = lower.pop(name, None)
        return fields.pop(real) if real is not None else None

    for biblatex, bibtex in FIELD_ALIASES.items():
        value = take(biblatex)
        if value is not None and bibtex not in lower:
            fields[bibtex] = value
            lower[bibtex] = bibtex
    if entry.type.lower() in ("thesis", "mastersthesis", "phdthesis"):
        value = take("institution")
        if value is not None and "school" not in lower:
            fields["school"], lower["school"] = value, "school"
        thesis_type = (fields.get(lower.get("type", ""), "") or "").lower()
        if "master" in thesis_type or thesis_type in ("mathesis", "ma"):
            kind = "mastersthesis"
        if thesis_type in ("phdthesis", "phd", "mathesis", "mastersthesis", "ma"):
            take("type")
    if kind == "techreport" and (fields.get(lower.get("type", ""), "") or "").lower() in (
        "techreport",
        "report",
    ):
        take("type")
    date = take("date")
    if date is not None and "year" not in lower:
        year = _year_of(date)
        if year:
            fields["year"], lower["year"] = year, "year"
        else:
            messages.append(
                f"Entry '{key}' has the date '{date}', which is not "
                f"YYYY-MM-DD; write it so, or use year."
            )
    # links ------------------------------------------------------------------------------
    url = take("url")
    if url is not None:
        if safe_url(url):
            fields["url"] = safe_url(url) or ""
        else:
            messages.append(
                f"Entry '{key}' has the url '{_short(url)}', which is not an "
                f"http(s) address; it is left out. Give an https:// URL."
            )
    doi = take("doi")
    if doi is not None:
        if parse_doi(doi):
            fields["doi"] = parse_doi(doi) or ""
        else:
            messages.append(
                f"Entry '{key}' has the doi '{_short(doi)}', which is not a DOI "
                f"(10.NNNN/suffix); it is left out."
            )
    pubmed = take("pubmed")
    if pubmed is not None and pubmed.strip().isdigit():
        fields["pubmed"] = pubmed.strip()
    elif pubmed is not None:
        messages.append(
            f"Entry '{key}' has the pubmed '{_short(pubmed)}', which is not a "
            f"PubMed number; it is left out."
        )
    eprint, eprinttype = take("eprint"), take("eprinttype") or take("archiveprefix") or ""
    eprintclass = take("eprintclass") or take("primaryclass")
    if eprint is not None:
        eprint = _untex(eprint)
        if eprinttype.lower() in ("arxiv", "") and _ARXIV_ID.fullmatch(eprint):
            fields["eprint"] = eprint
            if eprintclass and _ARXIV_CLASS.fullmatch(eprintclass.strip()):
                fields["eprintclass"] = eprintclass.strip()
        elif eprinttype.lower() == "pubmed" and eprint.isdigit():
            fields["pubmed"] = eprint
        elif safe_url(eprint):  # an old BibTeX habit: the e-print's address
            fields.setdefault("url", safe_url(eprint) or "")
        elif eprinttype.lower() in ("arxiv", ""):
            messages.append(
                f"Entry '{key}' has the eprint '{_short(eprint)}', which is not "
                f"an arXiv identifier (such as 2101.00001); it is not linked."
            )
    for name, value in list(fields.items()):
        fields[name] = value = _LATEX_HREF.sub(r"\2 (\\url{\1})", value)
        for target in _LATEX_URL.findall(value):
            if not safe_url(target):
                messages.append(
                    f"Entry '{key}' links '{_short(target)}' in its {name}, "
                    f"which is not an http(s) address; it is shown as text."
                )
    for name, value in list(fields.items()):
        if not _latex_ok(value):
            fields[name] = _no_latex(value)
            messages.append(
                f"Entry '{key}' has a {name} that is not valid LaTeX "
                f"('{_short(value)}'); it is shown without its commands."
            )
    for role, people in persons.items():
        for i, person in enumerate(people):
            if not all(
                _latex_ok(part)
                for part in person.first_names
                + person.middle_names
                + person.prelast_names
                + person.last_names
                + person.lineage_names
            ):
                people[i] = Person(_no_latex(str(person)))
                messages.append(
                    f"Entry '{key}' has the {role} '{_short(str(person))}', "
                    f"which is not valid LaTeX; it is shown without its commands."
                )
    normalized = Entry(kind, fields, persons)
    normalized.key = key
    return normalized, messages


def _latex_ok(value: str) -> bool:
    """Whether pybtex can read ``value`` as LaTeX (a trailing ``\\`` makes its codec
    fail); only values with a backslash are tried, the others always can."""
    if "\\" not in value:
        return True
    try:
        Text.from_latex(value).render_as("text")
    except Exception:  # pybtex and latexcodec raise assorted errors on odd input
        return False
    return True


def _no_latex(value: str) -> str:
    return re.sub(r"[\\{}]", "", value)


def _short(value: str, limit: int = 60) -> str:
    value = "".join(c if c.isprintable() else "?" for c in value)
    return value if len(value) <= limit else value[: limit - 1] + "\u2026"


# -- formatting: pybtex's styles, never failing --------------------------------------------


def _doi_path(doi: str) -> str:
    return doi_url(doi)[len("https://doi.org/") :]


class _ArticleStyleMixin:
    """pybtex's formatting with three changes: an entry that lacks a field its type
    needs is listed with the fields it has (never pybtex's "missing booktitle in key"
    text); DOIs are percent-encoded and eprints name their arXiv class; and only
    http(s) links survive, whatever LaTeX a field holds."""

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> FormattedEntry:
        try:
            formatted = super().format_entry(label, entry, bib_data)  # type: ignore[misc]
        except (FieldIsMissing, AttributeError):
            text = self.get_lenient_template(entry).format_data(
                {"entry": entry, "style": self, "bib_data": bib_data}
            )
            formatted = FormattedEntry(entry.key, text, label)
        except Exception:  # never expected after normalize_entry; never a failed build
            words = [entry.fields.get("title", ""), entry.fields.get("year", "")]
            formatted = FormattedEntry(
                entry.key, Text(_no_latex(". ".join(w for w in words if w)) + "."), label
            )
        formatted.text = safe_links(formatted.text)
        return formatted

    def get_lenient_template(self, e: Entry) -> Any:
        """Every field optional: what an incomplete or unknown entry still says."""
        venue = first_of[
            optional[tag("em")[field("journal")]],
            optional[words["In", tag("em")[field("booktitle")]]],
            optional_field("howpublished"),
        ]
        return toplevel[
            first_of[
                optional[self.format_names("author")],  # type: ignore[attr-defined]
                optional[self.format_editor(e)],  # type: ignore[attr-defined]
            ],
            optional[self.format_title(e, "title")],  # type: ignore[attr-defined]
            sentence[
                optional[venue],
                optional_field("volume"),
                optional_field("number"),
                optional[words["pages", field("pages")]],
            ],
            optional[sentence[words["Version", field("version")]]],
            sentence[
                optional_field("school"),
                optional_field("institution"),
                optional_field("organization"),
                optional_field("publisher"),
                optional_field("address"),
                optional[date],
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),  # type: ignore[attr-defined]
        ]

    def get_misc_template(self, e: Entry) -> Any:
        """``@misc`` (and an unknown type) shows the venue fields it has, too."""
        return self.get_lenient_template(e)

    def format_doi(self, e: Entry) -> Any:
        url = join["https://doi.org/", field("doi", raw=True, apply_func=_doi_path)]
        return href(url)[join["doi:", field("doi", raw=True)]]

    def format_eprint(self, e: Entry) -> Any:
        url = join["https://arxiv.org/abs/", field("eprint", raw=True)]
        return href(url)[
            join[
                "arXiv:",
                field("eprint", raw=True),
                optional[" [", field("eprintclass", raw=True), "]"],
            ]
        ]


class ArticlePlainStyle(_ArticleStyleMixin, PlainStyle):
    """Author-year posts: pybtex's ``plain`` (sorted by author, year, title)."""


class ArticleUnsrtStyle(_ArticleStyleMixin, UnsrtStyle):
    """Numeric posts: pybtex's ``unsrt`` (in order of first citation)."""


#: ``article_citation_style`` -> the pybtex formatting style registered for it
FORMATTING_STYLES = {"author-year": "article_plain", "numeric": "article_unsrt"}
pybtex.plugin.register_plugin(
    "pybtex.style.formatting", "article_plain", ArticlePlainStyle, force=True
)
pybtex.plugin.register_plugin(
    "pybtex.style.formatting", "article_unsrt", ArticleUnsrtStyle, force=True
)


def safe_links(text: BaseText) -> BaseText:
    """``text`` with ``\\url{...}`` made a link when it is http(s) and plain words
    otherwise, and every other link that is not http(s) turned into its words."""
    if isinstance(text, HRef) and not safe_url(text.url):
        return Text(*[safe_links(part) for part in text.parts])
    if not isinstance(text, BaseMultipartText):
        return text
    parts: list[Any] = []
    pending = False  # the previous part ended in ``\url``
    for part in text.parts:
        if pending and isinstance(part, Protected):
            url = str(part)
            parts.append(HRef(url, url) if safe_url(url) else Text(url))
            pending = False
            continue
        if isinstance(part, String) and _URL_COMMAND.search(part.value):
            part = String(_URL_COMMAND.sub("", part.value))
            pending = True
        else:
            pending = False
        parts.append(safe_links(part))
    text.parts = [p for p in parts if not (isinstance(p, String) and not p.value)]
    return text


_PROBE_STYLE = ArticleUnsrtStyle()


def missing_fields(entry: Entry) -> list[str]:
    """The fields (or names) a normalized entry lacks for its type, found by formatting
    it with the build's own pybtex style until nothing is missing."""
    missing = list(
        _missing_for(
            entry.type,
            frozenset(f.lower() for f in entry.fields),
            frozenset(r for r, people in entry.persons.items() if people),
        )
    )
    if not missing and not (
        entry.persons.get("author") or entry.persons.get("editor") or entry.fields.get("title")
    ):
        missing.append("author, editor or title")
    return missing


@functools.lru_cache(maxsize=1024)
def _missing_for(kind: str, fields: frozenset[str], roles: frozenset[str]) -> tuple[str, ...]:
    """What is missing depends only on the type and which fields are present: a probe
    entry of that shape is formatted (once per shape) until nothing is missing."""
    probe = Entry(kind, dict.fromkeys(fields, "X"), {role: [Person("X")] for role in roles})
    probe.key = "probe"
    missing: list[str] = []
    for _ in range(8):
        try:
            PlainStyle.format_entry(_PROBE_STYLE, "", probe)
            break
        except FieldIsMissing as exc:
            name = exc.field_name
            if name in missing:
                break
            missing.append(name)
            if name in Person.valid_roles:
                probe.add_person(Person("X"), name)
            else:
                probe.fields[name] = "X"
    if "editor" in missing and "author" not in roles:
        missing[missing.index("editor")] = "author or editor"
    return tuple(missing)


def entry_problems(entry: Entry) -> tuple[Entry, list[str]]:
    """The entry as it will be formatted, and every problem of it (unknown type,
    missing fields, unsafe links): one function for the build and ``check``."""
    normalized, messages = normalize_entry(entry)
    missing = missing_fields(normalized)
    if missing:
        messages.append(
            f"Entry '{entry.key}' (@{normalized.type}) lacks "
            f"{' and '.join(missing)}; it is listed with the fields it has. "
            f"Add the field or choose a type that fits."
        )
    return normalized, messages


# -- citation roles ---------------------------------------------------------------------

_TARGET = re.compile(
    r"\s*(?:\{(?P<pre>[^{}]+)\})?\s*(?P<key>[^{}\s,]+)\s*"
    r"(?:\{(?P<post>[^{}]+)\})?\s*"
)


def parse_cite_targets(text: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(pre, key, post) of each target of a ``{cite:*}`` role, and what is malformed.

    The role's keys are separated by commas, each with optional ``{pre}`` and
    ``{post}`` notes.  A part with a space in its key or an empty part (a stray comma)
    is reported and skipped; the others are kept."""
    targets: list[tuple[str, str, str]] = []
    problems: list[str] = []
    for part in _split_top(text):
        match = _TARGET.fullmatch(part)
        if match:
            targets.append(
                (match.group("pre") or "", match.group("key"), match.group("post") or "")
            )
        elif not part.strip():
            if any("stray comma" in p for p in problems):
                continue
            problems.append(
                f"The citation '{_short(text)}' has an empty key (a stray comma); remove the comma."
            )
        else:
            problems.append(
                f"The citation key '{_short(part.strip())}' is malformed: keys "
                f"have no spaces or braces, several keys are separated by "
                f"commas, notes are written {{pre}}key{{post}}."
            )
    return targets, problems
