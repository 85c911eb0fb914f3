"""Visitor pieces shared by the features' nodes.

A node that wraps content for one output (a web-only ``<details>``, an appendix
section) lets every other writer render its children unchanged: :func:`pass_node` is
that visitor, written once. A node whose content has no place in a writer's output is
dropped with its children by :func:`skip_node`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from docutils import nodes

from ._compat import settings_docname


def pass_node(self: Any, node: nodes.Node) -> None:
    """Visit or depart without output: the node's children are written as they are."""


def skip_node(self: Any, node: nodes.Node) -> None:
    """Visit a node and drop it with its children: what it holds has no place in this
    writer's output (web-only content such as the title block or a video under text, man
    or texinfo; a LaTeX-only marker such as a wide float's begin/end in HTML)."""
    raise nodes.SkipNode


def node_docname(self: Any, node: nodes.Node) -> str:
    """The docname a node came from (LaTeX assembles one doctree from several docs)."""
    current: nodes.Node | None = node
    while current is not None:
        if isinstance(current, nodes.Element) and current.get("docname"):
            return str(current["docname"])
        current = current.parent
    return settings_docname(self.settings)


def for_formats(formats: Iterable[str], visit: Any, depart: Any = None) -> dict[str, Any]:
    """``app.add_node`` keywords giving every format in ``formats`` the same visitors
    (typed ``Any`` so ``**`` of it type-checks against ``add_node(override: bool)``)."""
    return {fmt: (visit, depart) for fmt in formats}
