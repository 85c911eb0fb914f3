"""Work per post does not grow with the number of posts: counted, not timed.

Citations (``citeindex``): sphinxcontrib-bibtex scans every citation or citation reference of the site for each
entry it formats, each citation it resolves and each bibliography it fills; that made
full builds quadratic (per-post CPU nearly tripled from 100 to 1000 posts).  Counted,
not timed: the lists those scans see must be as long on a site of many posts as on a
site of few.  The same holds for the PDF names every page links to (computed once per
build, not once per page), the site-wide equation table (rebuilt only when a document
with equations is cleared) and a post's own citation references (the tail of bibtex's
list, not the whole list).
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from sphinxcontrib.bibtex.domain import BibtexDomain
from sphinxcontrib.bibtex.nodes import bibliography
from sphinxcontrib.bibtex.transforms import BibliographyTransform

from sphinx_article.features import eqnumbers
from sphinx_article.features.citations import own_citation_refs
from sphinx_article.pdf import latex

from conftest import ROOTS, build_root, read_html


def site_with(tmp_path: Path, copies: int) -> Path:
    """test-citations plus ``copies`` copies of its alpha post (same cites, same bib)."""
    src = tmp_path / "test-citations"
    shutil.copytree(ROOTS / "test-citations", src)
    for i in range(copies):
        shutil.copytree(src / "posts" / "alpha", src / "posts" / f"alpha{i}")
    return src


def bibliography_lists(transform: Any) -> list[list[Any]]:
    """What a bibliography transform scans: nothing when its doctree has no bibliography
    left (bibtex's own, after ``citeindex``'s has filled them)."""
    if not any(True for _ in transform.document.findall(bibliography)):
        return []
    cite = transform.env.get_domain("cite")
    return [cite.citations, cite.citation_refs]


def scanned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, copies: int) -> dict[str, list[int]]:
    """Build; per bibtex scan, the length of each list it scanned, call by call."""
    seen: dict[str, list[int]] = defaultdict(list)

    def spy(cls: type, name: str, lists: Any) -> None:
        original = getattr(cls, name)

        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            seen[name].append(sum(len(items) for items in lists(self)))
            return original(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, wrapper)

    spy(BibtexDomain, "get_filtered_entries", lambda d: [d.citation_refs])
    spy(BibtexDomain, "resolve_xref", lambda d: [d.citations])
    spy(BibliographyTransform, "run", bibliography_lists)
    built = build_root("", tmp_path, src=site_with(tmp_path, copies))
    assert (
        len(read_html(built.app, f"posts/alpha{copies - 1}/index").select("li.article-reference"))
        == 2
    )  # the copies are cited as alpha is
    monkeypatch.undo()
    return seen


def test_bibtex_scans_do_not_grow_with_the_site(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    few = scanned(monkeypatch, tmp_path / "few", 1)
    many = scanned(monkeypatch, tmp_path / "many", 6)
    for name in ("get_filtered_entries", "resolve_xref", "run"):
        assert few[name] and many[name], name
        # more calls (one per post, entry or citation) but each as short as before
        assert len(many[name]) > len(few[name]), name
        assert max(many[name]) == max(few[name]), (name, few[name], many[name])


def counted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, copies: int) -> dict[str, int]:
    """Build; how often the site-wide PDF names and equation table were computed."""
    calls: dict[str, int] = defaultdict(int)

    def count(owner: Any, name: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)

    count(latex, "pdf_stems")
    count(eqnumbers.ScopedMathDomain, "_rebuild")
    build_root("", tmp_path, src=site_with(tmp_path, copies))
    monkeypatch.undo()
    return calls


def test_site_wide_tables_are_computed_once_per_build(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    few = counted(monkeypatch, tmp_path / "few", 1)
    many = counted(monkeypatch, tmp_path / "many", 6)
    assert few["pdf_stems"] >= 1
    assert many == few, (few, many)


class Ref:
    def __init__(self, docname: str, ref_id: str) -> None:
        self.docname, self.citation_ref_id = docname, ref_id


def test_own_citation_refs_reads_the_tail_and_falls_back() -> None:
    refs = [Ref("a", "a1"), Ref("b", "b1"), Ref("b", "b2")]
    assert own_citation_refs(refs, "b", ["b1", "b2"]) == {"b2": 2, "b1": 1}
    # a reference of the document earlier in the list: the whole list is read
    refs = [Ref("b", "b0"), Ref("a", "a1"), Ref("b", "b1")]
    assert own_citation_refs(refs, "b", ["b0", "b1"]) == {"b0": 0, "b1": 2}
