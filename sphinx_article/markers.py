"""Marker nodes that one feature places and another finds.

The title block (``titleblock``) ends the page header with :class:`header_end`; the hero
figure (``hero``) places itself before it and the theme (``html_theme``) splits the
body there.  The marker lives here, not in either feature, so neither imports the other.
"""

from __future__ import annotations

from docutils import nodes

#: what ``header_end`` writes into the HTML body, where the theme lifts the header out
HEADER_END = "<!-- sphinx-article: end of header -->"


class header_end(nodes.General, nodes.Element):
    """Where the page header (title block, hero figure) ends."""
