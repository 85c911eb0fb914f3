"""Citation work that grows with the site, not with its square.

sphinxcontrib-bibtex answers each question by scanning every citation, or every
citation reference, of the whole site: formatting one entry scans all references
(``get_filtered_entries``), resolving one ``{cite}`` scans all citations
(``resolve_xref``) and filling one bibliography scans all of both
(``BibliographyTransform``).  One scan is cheap; one per entry, citation and post is
quadratic (a 1000-post site spent most of its build there).

Every one of those scans keeps only the items about the keys or the documents at hand.
So the cite domain is shown just those items, in their order, for the duration of the
call (:func:`narrowed`): the same answer, from a short list.  The items are found
through :class:`CiteIndex`, built once per build after the citations are formatted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinxcontrib.bibtex.citation_target import parse_citation_targets
from sphinxcontrib.bibtex.domain import BibtexDomain
from sphinxcontrib.bibtex.nodes import bibliography
from sphinxcontrib.bibtex.transforms import BibliographyTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def _positions(items: Iterable[Any], keys_of: Any) -> dict[Any, list[int]]:
    """key -> positions (ascending) of the items that ``keys_of(item)`` names."""
    found: dict[Any, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        for key in keys_of(item):
            positions = found[key]
            if not positions or positions[-1] != i:
                positions.append(i)
    return dict(found)


def refs_by_key(refs: list[Any]) -> dict[str, list[int]]:
    """cite key -> positions of the citation references that cite it."""
    return _positions(refs, lambda ref: [target.key for target in ref.targets])


@dataclass
class CiteIndex:
    """Where each key's citations and each document's references are in the domain's
    lists; valid while those very lists are unchanged (:meth:`fresh`)."""

    citations: list[Any]
    refs: list[Any]
    sizes: tuple[int, int]
    citations_by_key: dict[str, list[int]] = field(default_factory=dict)
    citations_by_doc: dict[str, list[int]] = field(default_factory=dict)
    refs_by_doc: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, cite: Any) -> CiteIndex:
        citations, refs = cite.citations, cite.citation_refs
        return cls(
            citations,
            refs,
            (len(citations), len(refs)),
            citations_by_key=_positions(citations, lambda c: [c.key]),
            citations_by_doc=_positions(citations, lambda c: [c.bibliography_key.docname]),
            refs_by_doc=_positions(refs, lambda ref: [ref.docname]),
        )

    def fresh(self, cite: Any) -> bool:
        """A list replaced or grown since (a re-read, another build) voids the index."""
        return (
            cite.citations is self.citations
            and cite.citation_refs is self.refs
            and self.sizes == (len(self.citations), len(self.refs))
        )


#: cite domain -> its index (domains are not pickled; a new environment, a new entry)
_INDEXES: WeakKeyDictionary[Any, CiteIndex] = WeakKeyDictionary()


def index_citations(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``, last: the citations are final for this build's writing."""
    cite = env.domains["cite"]
    _INDEXES[cite] = CiteIndex.of(cite)
    return []


def current_index(cite: Any) -> CiteIndex | None:
    index = _INDEXES.get(cite)
    return index if index is not None and index.fresh(cite) else None


def pick(items: list[Any], groups: Iterable[list[int] | None]) -> list[Any]:
    """The items at the positions of the groups, in the list's order, once each."""
    return [items[i] for i in sorted({i for group in groups if group for i in group})]


def citations_of(env: BuildEnvironment, docname: str) -> list[Any]:
    """The citations of the bibliographies in ``docname``, in the domain's order."""
    cite: Any = env.domains["cite"]
    index = current_index(cite)
    if index is None:
        return [c for c in cite.citations if c.bibliography_key.docname == docname]
    return pick(index.citations, [index.citations_by_doc.get(docname)])


@contextmanager
def narrowed(
    cite: Any, citations: list[Any] | None = None, refs: list[Any] | None = None
) -> Iterator[None]:
    """Show the cite domain only these citations and/or references while inside."""
    saved = cite.data["citations"], cite.data["citation_refs"]
    if citations is not None:
        cite.data["citations"] = citations
    if refs is not None:
        cite.data["citation_refs"] = refs
    try:
        yield
    finally:
        cite.data["citations"], cite.data["citation_refs"] = saved


class ArticleBibtexDomain(BibtexDomain):
    """bibtex's cite domain; resolving a citation looks only at citations of its keys."""

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Any,
        typ: str,
        target: str,
        node: Any,
        contnode: nodes.Element,
    ) -> Any:
        index = current_index(self)
        if index is None:
            return super().resolve_xref(env, fromdocname, builder, typ, target, node, contnode)
        keys = [t.key for t in parse_citation_targets(target)]
        citations = pick(index.citations, [index.citations_by_key.get(k) for k in keys])
        with narrowed(self, citations=citations):
            return super().resolve_xref(env, fromdocname, builder, typ, target, node, contnode)


class ArticleBibliographyTransform(BibliographyTransform):
    """bibtex's bibliography filling, just before its own (which then finds nothing to
    fill), shown only the citations and references of this doctree's bibliographies."""

    default_priority = BibliographyTransform.default_priority - 1

    def run(self, **kwargs: Any) -> None:
        cite: Any = self.env.get_domain("cite")
        index = current_index(cite)
        if index is None:
            super().run(**kwargs)
            return
        docnames = {node["docname"] for node in self.document.findall(bibliography)}
        if not docnames:
            return
        citations = pick(index.citations, [index.citations_by_doc.get(d) for d in docnames])
        refs = pick(index.refs, [index.refs_by_doc.get(d) for d in docnames])
        with narrowed(cite, citations=citations, refs=refs):
            super().run(**kwargs)


def setup_citeindex(app: Sphinx) -> None:
    app.add_domain(ArticleBibtexDomain, override=True)
    app.add_post_transform(ArticleBibliographyTransform)
    app.connect("env-updated", index_citations, priority=900)
