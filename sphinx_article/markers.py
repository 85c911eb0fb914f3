"""Nodes that one feature places and another finds.

The title block (``titleblock``) puts a :class:`title_block` at the top of every post;
the hero figure (``hero``) places itself just after it.  The node class lives here, not
in either feature, so neither imports the other.
"""

from __future__ import annotations

from docutils import nodes


class title_block(nodes.General, nodes.Element):
    """Placeholder for a post's title block; rendered from the post's record."""
