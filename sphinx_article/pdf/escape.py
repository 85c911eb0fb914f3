"""Escaping author text for LaTeX: the one function every LaTeX visitor uses."""

from __future__ import annotations

from sphinx.util import texescape

texescape.init()  # idempotent; the maps are otherwise filled only by the LaTeX builder


def tex(text: str) -> str:
    """Author text as literal LaTeX: no command, group or comment can survive it.

    Sphinx's escape maps ``\\ { } % # & ~ ^ _ $`` and Unicode to safe forms; the result
    is therefore also brace-balanced whatever the input.
    """
    return texescape.escape(" ".join(str(text).split()))
