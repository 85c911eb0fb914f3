"""The theme and the page frame: assets, other themes, LaTeX stays clean, search."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from conftest import build_root, read_html, warning_lines


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-theme", tmp_path_factory.mktemp("theme"))


def test_post_page_frame(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "posts/plain/index")
    assert page.html["lang"] == "en"
    assert page.select_one("a.skip-link")["href"] == "#main"
    main = page.select_one("main#main.page--post")
    assert main.select_one("header.article-titleblock h1").get_text() == "A plain post"
    assert main.select_one("nav.article-toc a").get_text() == "A section"
    body = main.select_one("article.article-body")
    assert [h.name for h in body.find_all(["h1", "h2", "h3"])][:2] == ["h2", "h3"]
    # smart quotes and dashes
    assert "“quotes” – and dashes" in body.get_text()
    assert page.select_one("button.theme-toggle[data-theme-toggle]")["aria-label"]


def test_assets_are_local(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "posts/plain/index")
    hrefs = [tag.get("href") for tag in page.find_all("link")] + [
        tag.get("src") for tag in page.find_all("script")
    ]
    styles = [h for h in hrefs if h and ".css" in h]
    assert any("sphinx-article.css" in h for h in styles)
    assert any("article-theme.css" in h for h in styles)
    assert not any("basic.css" in h for h in styles)  # the theme owns its frame
    external = [h for h in hrefs if h and urlparse(h).netloc and h != "rel"]
    assert not [h for h in external if not h.startswith("https://theme.example.org/")], external
    assert (built.outdir / "_static" / "sphinx-article.css").is_file()
    assert (built.outdir / "_static" / "sphinx-article.js").is_file()


def test_ordinary_page_has_plain_frame(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "index")
    assert page.select_one("main .plain-body h1").get_text().startswith("Theme home")
    assert page.select_one(".article-titleblock") is None


def test_search_still_works(built) -> None:  # type: ignore[no-untyped-def]
    search = read_html(built.app, "search")
    assert any("searchtools.js" in (s.get("src") or "") for s in search.find_all("script"))
    index = (built.outdir / "searchindex.js").read_text(encoding="utf-8")
    assert "A plain post" in index


def test_no_warnings(built) -> None:  # type: ignore[no-untyped-def]
    assert warning_lines(built) == []


def test_latex_gets_no_css(tmp_path) -> None:  # type: ignore[no-untyped-def]
    latex = build_root("test-theme", tmp_path, builder="latex")
    assert not list(latex.outdir.rglob("*.css"))
    tex = (latex.outdir / "plain.tex").read_text(encoding="utf-8")
    assert r"\ArticleTitle{A plain post}" in tex
    assert "sphinxarticle" in tex


def test_works_with_another_theme(tmp_path) -> None:  # type: ignore[no-untyped-def]
    other = build_root("test-theme", tmp_path, confoverrides={"html_theme": "alabaster"})
    page = read_html(other.app, "posts/plain/index")
    assert page.select_one("header.article-titleblock h1").get_text() == "A plain post"
    assert any("sphinx-article.css" in (link.get("href") or "") for link in page.find_all("link"))
    assert not warning_lines(other)
