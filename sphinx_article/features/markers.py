"""What the post's header features share.

The title block (``titleblock``) puts a :class:`title_block` at the top of every post;
the hero figure (``hero``) places itself just after it, and both ask
:func:`header_in_layout` whether the page's layout renders them instead of the body.
They live here, not in either feature, so neither imports the other.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes


class title_block(nodes.General, nodes.Element):
    """Placeholder for a post's title block; rendered from the post's record."""


def header_in_layout(builder: Any, docname: str) -> bool:
    """Whether the page being written renders ``docname``'s header in its layout: this
    project's theme (EPUB's own theme does not), on the post's own page (not a page
    that assembles several documents, such as ``singlehtml``'s)."""
    get_theme_config = getattr(builder, "get_theme_config", None)
    theme = get_theme_config()[0] if callable(get_theme_config) else ""
    return bool(theme == "sphinx_article" and docname == builder.current_docname)
