"""Equation labels scoped to their post, like citation keys.

Sphinx's math domain keeps one site-wide table ``label -> (docname, number)``: two posts
that both write ``$$...$$ (loss)`` collide (a duplicate-label warning, and the first
post's ``{eq}`loss``` links to the second post's equation, or shows "()").  This domain
keeps a table per document (``scoped``: docname -> label -> number) and resolves
``{eq}`` in a post only against that post's own equations; pages that are not posts
fall back to the site-wide table, as in Sphinx.  Numbers are per document already
(Sphinx's serial number restarts in each document), so a post's equations read (1),
(2)... on the web and, through ``\\tag{N}`` (``mathlatex``), in its PDF.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any, ClassVar

from docutils import nodes
from docutils.nodes import make_id
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.latex.nodes import math_reference
from sphinx.domains.math import MathDomain
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from ..domain import article_domain

logger = logging.getLogger(__name__)


class ScopedMathDomain(MathDomain):
    """The math domain with one equation table per document."""

    initial_data: ClassVar[dict[str, Any]] = {**MathDomain.initial_data, "scoped": {}}
    # an environment pickled with Sphinx's math domain has no per-document table: read
    # everything again rather than resolve against half the labels
    data_version: ClassVar[int] = MathDomain.data_version + 1

    @property
    def scoped(self) -> dict[str, dict[str, int]]:
        return self.data.setdefault("scoped", {})

    def note_equation(self, docname: str, labelid: str, location: Any = None) -> None:
        own = self.scoped.setdefault(docname, {})
        if labelid in own:
            logger.warning(
                "duplicate label of equation %s in this document",
                labelid,
                location=location,
                type="ref",
                subtype="equation",
            )
        number = self.env.new_serialno("eqno") + 1
        own[labelid] = number
        self.equations[labelid] = (docname, number)

    def get_equation_number_for(self, labelid: str) -> int | None:
        own = self.scoped.get(self.env.current_document.docname, {})
        if labelid in own:
            return own[labelid]
        return super().get_equation_number_for(labelid)

    def post_equations(self, docname: str) -> dict[str, int]:
        """label -> number of one document's equations."""
        return dict(self.scoped.get(docname, {}))

    def _rebuild(self) -> None:
        """The site-wide table from the per-document ones (first document wins)."""
        self.equations.clear()
        for docname in sorted(self.scoped, reverse=True):
            for label, number in self.scoped[docname].items():
                self.equations[label] = (docname, number)

    def clear_doc(self, docname: str) -> None:
        # Sphinx clears every document before reading it: rebuilding the site-wide table
        # only when this one had equations keeps a full build linear in its documents
        if self.scoped.pop(docname, None):
            self._rebuild()

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname, labels in otherdata.get("scoped", {}).items():
            if docname in docnames:
                self.scoped[docname] = dict(labels)
        self._rebuild()

    def lookup(
        self, env: BuildEnvironment, fromdocname: str, target: str
    ) -> tuple[str, int] | None:
        """Where ``{eq}`target``` written in ``fromdocname`` points: its own document's
        equation; from a page that is not a post, any document's (Sphinx's rule)."""
        own = self.scoped.get(fromdocname, {})
        if target in own:
            return fromdocname, own[target]
        if fromdocname in article_domain(env).posts:
            return None
        return self.equations.get(target)

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        found = self.lookup(env, fromdocname, target)
        if found is None:
            return None
        docname, number = found
        node_id = make_id(f"equation-{target}")
        eqno = str(number)
        if env.config.math_numfig and env.config.numfig:
            numbers = env.toc_fignumbers.get(docname, {}).get("displaymath", {})
            if node_id in numbers:
                eqno = ".".join(map(str, numbers[node_id]))
        try:
            title = (env.config.math_eqref_format or "({number})").format(number=eqno)
        except KeyError:
            title = f"({eqno})"
        return make_refnode(builder, fromdocname, docname, node_id, nodes.Text(title))


class ScopedMathReferences(SphinxPostTransform):
    """LaTeX: ``{eq}`` becomes ``\\eqref`` to the equation of the post it is written in
    (runs before Sphinx's own transform, which would pick the site-wide entry)."""

    default_priority = 4
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        domain = self.env.domains.math_domain
        if not isinstance(domain, ScopedMathDomain):
            return
        for node in list(self.document.findall(pending_xref)):
            if node.get("refdomain") != "math" or node.get("reftype") not in ("eq", "numref"):
                continue
            found = domain.lookup(self.env, node.get("refdoc", self.env.docname), node["reftarget"])
            if found:
                node.replace_self(math_reference("", docname=found[0], target=node["reftarget"]))


def setup_eqnumbers(app: Sphinx) -> None:
    app.add_domain(ScopedMathDomain, override=True)
    app.add_post_transform(ScopedMathReferences)
