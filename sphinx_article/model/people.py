"""Authors' names and identifiers: one rule for each, used by every output.

A name is split into given names, particle ("van", "de la"), family name and suffix
("Jr.", "III") once, here, by pybtex's :class:`~pybtex.database.Person` (BibTeX's own
rules), so "Ludwig van Beethoven" cites as "Beethoven, L. van" and keys as
``beethoven2026...`` in the "Cite this" box, the BibTeX entry, the CRediT statement
and the review checks alike.  Names given as ``{given, family}`` in the front matter
skip the guessing.  No Sphinx import: ``sphinx-article check`` uses this module too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pybtex.database import Person
from pybtex.textutils import abbreviate

ORCID_BASE = "https://orcid.org/"

#: generational suffixes, written last ("Martin Luther King Jr.") or after a comma
_SUFFIX = re.compile(r"(?:\s*,\s*|\s+)((?:Jr|Sr|Jnr|Snr)\.?|I{2,3}|IV|VI{0,3}|IX|X)\s*\Z", re.I)
#: Roman numerals must be written in capitals to count as a suffix ("Louis XIV", not
#: the family name "Vi")
_ROMAN = re.compile(r"I{2,3}|IV|VI{0,3}|IX|X")


def orcid_url(orcid: str) -> str:
    """The ORCID iD as its canonical URL (the front matter stores the bare iD)."""
    return f"{ORCID_BASE}{orcid}" if orcid else ""


ROR_BASE = "https://ror.org/"


def ror_url(ror: str) -> str:
    """A ROR id, bare (``03yrm5c26``) or as a URL, as its canonical URL ('' for none)."""
    return "" if not ror else ror if ror.startswith(ROR_BASE) else f"{ROR_BASE}{ror}"


@dataclass(frozen=True)
class PersonName:
    """A name in four parts; ``literal`` is the form shown to readers when set."""

    given: str = ""
    particle: str = ""
    family: str = ""
    suffix: str = ""
    literal: str = ""

    @property
    def display(self) -> str:
        """The name as readers see it: ``literal``, else the parts in reading order."""
        return self.literal or " ".join(
            p for p in (self.given, self.particle, self.family, self.suffix) if p
        )

    @property
    def initials(self) -> str:
        """ "Martin Luther" -> "M. L."; "Jean-Paul" -> "J.-P." (pybtex's rule).  Scripts
        without letter case (Chinese, Japanese, ...) have no initials: kept whole."""
        return " ".join(_abbreviate(word) if _cased(word) else word for word in self.given.split())

    @property
    def short(self) -> str:
        """The CRediT statement's form: "A. Lovelace", "L. van Beethoven"."""
        if not self.given:
            return self.display
        rest = " ".join(p for p in (self.particle, self.family) if p)
        return f"{self.initials} {rest}" + (f" {self.suffix}" if self.suffix else "")

    @property
    def cited(self) -> str:
        """The reference list's form: "Lovelace, A.", "Beethoven, L. van",
        "King, M. L., Jr."; a name with no given part stays as written."""
        if not self.given or not self.family:
            return self.display
        text = f"{self.family}, {self.initials}" + (f" {self.particle}" if self.particle else "")
        return text + (f", {self.suffix}" if self.suffix else "")

    @property
    def inverted(self) -> str:
        """BibTeX's "von Last, Jr, First" form: "van Beethoven, Ludwig"."""
        last = " ".join(p for p in (self.particle, self.family) if p)
        return ", ".join(p for p in (last, self.suffix, self.given) if p) or self.display


def _cased(word: str) -> bool:
    first = next((c for c in word if c.isalpha()), "")
    return first.upper() != first.lower()


def _abbreviate(word: str) -> str:
    try:
        return abbreviate(word)
    except Exception:  # pybtex parses TeX; an unbalanced brace must not crash a build
        return word[:1] + "."


def _suffix(text: str) -> tuple[str, str]:
    """(the name without its generational suffix, the suffix)."""
    match = _SUFFIX.search(text)
    if not match or not match.string[: match.start()].strip(" ,"):
        return text, ""
    suffix = match.group(1)
    if suffix[0] in "IVXivx" and not _ROMAN.fullmatch(suffix):
        return text, ""
    if suffix[0] not in "IVX":
        suffix = suffix[0].upper() + suffix[1:].lower()
    return text[: match.start()].strip(" ,"), suffix


def parse_name(text: str) -> PersonName:
    """Split a name written in full ("Ludwig van Beethoven", "King, Martin Luther, Jr.")
    as BibTeX would; text pybtex cannot read keeps its last word as the family name."""
    text = " ".join(text.split())
    if not text:
        return PersonName()
    rest, suffix = _suffix(text)
    try:
        person = Person(rest) if not re.search(r"[{}\\]", rest) else None
    except Exception:  # pybtex's own syntax errors (too many commas): the plain rule below
        person = None
    if person is not None and (person.last_names or person.first_names):
        given = " ".join(person.first_names + person.middle_names)
        particle = " ".join(person.prelast_names)
        family = " ".join(person.last_names)
        suffix = suffix or " ".join(person.lineage_names)
        if not family:  # "and" alone, or only lower-case words: no family name to find
            family, particle = particle, ""
        return PersonName(given, particle, family, suffix, literal=text)
    words = rest.replace(",", " ").split()
    return PersonName(" ".join(words[:-1]), "", words[-1] if words else text, suffix, literal=text)


def bibtex_person(name: PersonName, escape: Callable[[str], str]) -> Person:
    """A pybtex :class:`Person` for a BibTeX entry, each part escaped by ``escape``; a
    part holding a comma or the word "and" is braced so BibTeX keeps it one name."""

    def part(text: str) -> str:
        text = escape(text)
        return "{" + text + "}" if re.search(r",|\band\b", text, re.I) else text

    if not name.given and not name.particle and not name.suffix:
        return Person(last=part(name.family or name.display))
    return Person(
        first=part(name.given),
        prelast=part(name.particle),
        last=part(name.family),
        lineage=part(name.suffix),
    )
