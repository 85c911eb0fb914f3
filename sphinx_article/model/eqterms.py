"""Reading ``\\eqterm{name}{...}`` and ``:colors:`` without Sphinx.

Pure functions, so the ``colored-equation`` directive and ``sphinx-article check``
(which lints colours without building) share one parser and one set of messages.
"""

from __future__ import annotations

import difflib
import re

from . import colors

NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


def find_eqterms(latex: str) -> tuple[list[str], str | None]:
    """Term names in order of appearance, and the first problem with an ``\\eqterm``."""
    names: list[str] = []
    for match in re.finditer(r"\\eqterm(?![A-Za-z])", latex):
        position = match.end()
        args = []
        for _ in range(2):
            while position < len(latex) and latex[position].isspace():
                position += 1
            end = _group_end(latex, position)
            if end is None:
                return names, (
                    f"'\\eqterm' at '{latex[match.start() : match.start() + 30]}' "
                    "needs two brace groups, {name}{formula}, with balanced braces"
                )
            args.append(latex[position + 1 : end])
            position = end + 1
        if not NAME.fullmatch(args[0]):
            return names, (
                f"'{args[0]}' is not a term name; use letters, digits and "
                "hyphens, starting with a letter"
            )
        if args[0] not in names:
            names.append(args[0])
    return names, None


def _group_end(text: str, start: int) -> int | None:
    """Index of the ``}`` closing the group opened at ``start`` (None if unbalanced)."""
    if start >= len(text) or text[start] != "{":
        return None
    depth = 0
    position = start
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return position
        position += 1
    return None


def parse_colors(value: str) -> tuple[dict[str, str], list[str]]:
    """``grad=#CC79A7, input=blue`` -> ({name: #RRGGBB}, [problems with hints])."""
    result: dict[str, str] = {}
    problems: list[str] = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        name, sep, color = (s.strip() for s in item.partition("="))
        if not sep or not NAME.fullmatch(name):
            problems.append(f"':colors:' entry '{item}' must be 'term=colour'")
            continue
        parsed = colors.parse_color(color)
        if parsed is None:
            problems.append(_color_hint(name, color))
        else:
            result[name] = parsed
    return result, problems


def _color_hint(name: str, color: str) -> str:
    if re.fullmatch(r"[A-Za-z][A-Za-z-]*", color):
        close = difflib.get_close_matches(color.lower(), list(colors.NAMED), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return (
            f"unknown colour name '{color}' for term '{name}'; {hint}use a palette name "
            f"({', '.join(colors.NAMED)}) or '#rrggbb'"
        )
    return (
        f"'{color}' for term '{name}' is not a colour; use '#rrggbb', '#rgb' or a "
        "palette name such as 'vermillion'"
    )
