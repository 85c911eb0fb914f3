"""Per-post bibliographies: keys scoped to their post, references with back-links,
located warnings for bad bib files, and the same result under -j 2, incrementally and
in LaTeX/PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from sphinx_article.features.citations import find_bibfiles, parse_bibfile, qualify
from sphinx_article.model.frontmatter import Post

from conftest import (
    ROOTS,
    article_warnings,
    build_root,
    need_latex,
    read_html,
    reread_docs,
    sphinx_build,
    warning_lines,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-citations", tmp_path_factory.mktemp("cite"))


def references(built, post: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    page = read_html(built.app, f"posts/{post}/index")
    return {
        li["id"]: li.select_one(".article-reference__text").get_text(" ", strip=True)
        for li in page.select("li.article-reference")
    }


def test_same_key_resolves_to_each_posts_own_entry(built) -> None:  # type: ignore[no-untyped-def]
    alpha, beta = references(built, "alpha"), references(built, "beta")
    assert "The alpha work on shared keys" in alpha["ref-shared"]
    assert "Anna Alphonse" in alpha["ref-shared"]
    assert "The beta work that reuses the key" in beta["ref-shared"]
    assert "Bob Bertrand" in beta["ref-shared"]
    beta_page = read_html(built.app, "posts/beta/index")
    assert beta_page.select_one("a.article-cite").get_text() == "Bertrand, 2021"


def test_no_bibtex_warnings(built) -> None:  # type: ignore[no-untyped-def]
    assert not [w for w in warning_lines(built) if "[bibtex." in w], warning_lines(built)


def test_in_text_styles(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "posts/alpha/index")
    texts = [c.get_text() for c in page.select(".bibtex-citation")]
    assert texts[:3] == [
        "(Alphonse and Ampere, 2020)",
        "Aster (2019)",
        "(Alphonse and Ampere, 2020; Aster, 2019)",
    ]


def test_only_cited_entries_are_listed(built) -> None:  # type: ignore[no-untyped-def]
    assert set(references(built, "alpha")) == {"ref-shared", "ref-onlyalpha"}


def test_back_links_match_citations(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "posts/alpha/index")
    for li in page.select("li.article-reference"):
        cites = page.select(f'a.article-cite[href="#{li["id"]}"]')
        backs = li.select(".article-reference__backrefs a")
        assert len(backs) == len(cites) and cites, li["id"]
        assert [a.get_text() for a in backs] == [str(i) for i in range(1, len(cites) + 1)]
        for back in backs:  # each back-link lands on a citation that links here
            target = page.find(id=back["href"][1:])
            assert target.select_one(f'a[href="#{li["id"]}"]') is not None
    assert len(page.select('a.article-cite[href="#ref-shared"]')) == 3


def test_citation_links_reach_entries_with_doi(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "posts/alpha/index")
    entry = page.find(id="ref-shared")
    assert entry.select_one('a[href="https://doi.org/10.1234/alpha.2020"]')
    assert not page.select("a.article-cite[title]")  # the popover replaces the tooltip


def test_unknown_key_is_located_and_names_the_bib_file(built) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(built, "citation") if "nokey" in w]
    assert len(hits) == 1 and "posts/alpha/index.md:14:" in hits[0], hits
    assert "posts/alpha/refs.bib" in hits[0]
    page = read_html(built.app, "posts/alpha/index")
    assert page.select_one(".article-cite-missing").get_text() == "[nokey?]"


def test_malformed_bib_is_located_and_the_rest_used(built) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(built, "citation") if "broken.bib" in w]
    assert hits and re.search(
        r"broken\.bib:\d+: WARNING: Bibliography broken.bib "
        r"is malformed",
        hits[0],
    ), hits
    assert "A good entry" in references(built, "broken")["ref-good2020"]


def test_bibliography_outside_the_site_is_refused(built) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(built, "citation") if "posts/hostile" in w]
    assert any("hostile/index.md:7:" in w and "outside the site folder" in w for w in hits), hits
    assert "root:x:0" not in (built.outdir / "posts/hostile/index.html").read_text(encoding="utf-8")


def test_missing_bib_is_located(built) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(built, "citation") if "posts/missing" in w]
    assert len(hits) == 1 and "missing/index.md:7:" in hits[0] and "nothere.bib" in hits[0]


def test_post_without_citations_has_no_references(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "posts/plain/index")
    assert page.select_one("#appendix-references") is None
    assert page.select_one("#appendix-cite") is not None


def test_discovery_needs_no_sphinx(tmp_path: Path) -> None:
    post_dir = tmp_path / "posts" / "p"
    post_dir.mkdir(parents=True)
    (post_dir / "refs.bib").write_text("@misc{k, title={T}}\n", encoding="utf-8")
    files, problems = find_bibfiles(Post("posts/p/index"), post_dir, tmp_path)
    assert files == [(post_dir / "refs.bib").resolve()] and not problems
    entries, errors = parse_bibfile(files[0])
    assert list(entries) == ["k"] and not errors
    hostile = Post("posts/p/index", bibliography=["/etc/passwd", "../../../x.bib"])
    files, problems = find_bibfiles(hostile, post_dir, tmp_path)
    assert not files and len(problems) == 2
    assert qualify("posts/p/index", "k") == "posts/p/index#k"


def test_parallel_build_matches(built, tmp_path) -> None:  # type: ignore[no-untyped-def]
    par = build_root("test-citations", tmp_path, parallel=2)
    for post in ("alpha", "beta", "broken"):
        assert references(par, post) == references(built, post)
    assert not [w for w in warning_lines(par) if "[bibtex." in w]
    assert sorted(article_warnings(par, "citation")) == sorted(
        w.replace(str(built.srcdir), str(par.srcdir)) for w in article_warnings(built, "citation")
    )


def test_incremental_rebuild_after_bib_edit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = build_root("test-citations", tmp_path)
    bib = first.srcdir / "posts/beta/refs.bib"
    time.sleep(0.01)
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("Reuses the Key", "Was Edited"), encoding="utf-8"
    )
    plain = first.srcdir / "posts/plain"
    (plain / "refs.bib").write_text(
        "@misc{late, title={Late Arrival}, author={Late, Lee}, year={2024}}\n", encoding="utf-8"
    )
    second = build_root("test-citations", tmp_path)
    assert "The beta work that was edited" in references(second, "beta")["ref-shared"]
    assert "The alpha work on shared keys" in references(second, "alpha")["ref-shared"]
    assert not [w for w in warning_lines(second) if "[bibtex." in w]
    assert set(reread_docs(second)) - {"index"} == {"posts/beta/index", "posts/plain/index"}
    third = build_root("test-citations", tmp_path)
    assert set(reread_docs(third)) - {"index"} == set()


@pytest.fixture(scope="module")
def latex(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-citations", tmp_path_factory.mktemp("citelatex"), builder="latex")


def test_latex_has_the_posts_references(latex) -> None:  # type: ignore[no-untyped-def]
    alpha = (latex.outdir / "alpha.tex").read_text(encoding="utf-8")
    beta = (latex.outdir / "beta.tex").read_text(encoding="utf-8")
    assert "\\begin{ArticleReferences}" in alpha
    assert "\\ArticleReference{cite.posts/alpha/index:ref-shared}" in alpha
    assert "\\hyperlink{cite.posts/alpha/index:ref-shared}" in alpha
    assert "The alpha work on shared keys" in alpha and "beta work" not in alpha
    assert "The beta work that reuses the key" in beta
    # the BibTeX of the post comes last, after the references
    assert alpha.index("ArticleReferences") < alpha.index("\\begin{ArticleCiteThis}")
    assert "lovelace2026alpha" in alpha[alpha.index("\\begin{ArticleCiteThis}") :]
    assert not [w for w in warning_lines(latex) if "[bibtex." in w]


def test_other_builders_render_references(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = build_root("test-citations", tmp_path, builder="text")
    out = (text.outdir / "posts/alpha/index.txt").read_text(encoding="utf-8")
    assert "The alpha work on shared keys" in out and "@inproceedings{lovelace2026alpha" in out


@pytest.mark.pdf
def test_pdf_has_references_and_bibtex_on_last_page(tmp_path) -> None:  # type: ignore[no-untyped-def]
    need_latex()
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-citations", src)
    result = sphinx_build(src, tmp_path / "out", "latexpdf")
    pdf = tmp_path / "out" / "latex" / "alpha.pdf"
    assert pdf.is_file(), result.stdout[-3000:] + result.stderr[-3000:]
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    flat = re.sub(r"\s+", " ", " ".join(pages))
    assert "The alpha work on shared keys" in flat and "Alphonse and Ampere, 2020" in flat
    assert "REFERENCES" in flat
    assert "@inproceedings{lovelace2026alpha" in re.sub(r"\s+", "", pages[-1])


def test_numeric_style(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root(
        "test-citations", tmp_path, confoverrides={"article_citation_style": "numeric"}
    )
    page = read_html(built.app, "posts/alpha/index")
    assert [c.get_text() for c in page.select(".bibtex-citation")][:3] == [
        "[1]",
        "Aster [2]",
        "[1, 2]",
    ]
    labels = [s.get_text() for s in page.select(".article-reference__label")]
    assert labels == ["[1]", "[2]"]  # in order of first citation
    assert (
        read_html(built.app, "posts/beta/index").select_one(".article-reference__label").get_text()
        == "[1]"
    )
    assert not [w for w in warning_lines(built) if "[bibtex." in w]


@pytest.mark.parametrize("builder", ["man", "texinfo"])
def test_every_builder_has_visitors(tmp_path, builder) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-citations", tmp_path, builder=builder)
    assert not [w for w in warning_lines(built) if "Traceback" in w or "unknown node" in w]
