"""Dates as readers see them, in the site's language: one rule for every output.

A strftime pattern such as ``"%B %d, %Y"`` fixes English word order, so French would
read "avril 4, 2026"; babel's ``long`` format knows each language's order and words
("April 4, 2026", "4 avril 2026", "4. April 2026").  No Sphinx import: the title
block, post cards, indexes, appendix and PDF title pages all call :func:`display_date`.
"""

from __future__ import annotations

import functools
from datetime import date

from babel import Locale, UnknownLocaleError
from babel.dates import format_date


@functools.lru_cache(maxsize=64)
def _locale(language: str | None) -> Locale:
    """The babel locale of a Sphinx ``language`` ("fr", "pt_BR", "pt-BR"); English for
    none or one babel does not know (as Sphinx itself falls back)."""
    try:
        return Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


def display_date(iso: str, language: str | None) -> str:
    """``2026-04-04`` as a reader of ``language`` writes it: "April 4, 2026" in English,
    "4 avril 2026" in French.  ``iso`` is a front-matter date (already validated)."""
    return format_date(date.fromisoformat(iso), format="long", locale=_locale(language))
