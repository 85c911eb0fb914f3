"""Visitor pieces shared by the features' nodes.

A node that wraps content for one output (a web-only ``<details>``, an appendix
section) lets every other writer render its children unchanged: :func:`pass_node` is
that visitor, written once.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes


def pass_node(self: Any, node: nodes.Node) -> None:
    """Visit or depart without output: the node's children are written as they are."""
