"""Interoperating instead of forcing (issue 18, step 5).

sphinx-design and sphinx-copybutton stay set up for authors, but their files load only
on pages that use them, under this project's theme and under any other; a site that
loads sphinxext-opengraph or sphinx-sitemap gets their ``og:`` tags and sitemap, and
sphinx-article writes neither a second time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOTS, build_root, read_html, warning_lines

DESIGN, PLAIN = "posts/design/index", "posts/plain/index"
DESIGN_FILES = ("sphinx-design.min.css", "design-tabs.js")
COPY_FILES = ("copybutton.css", "copybutton.js", "clipboard.min.js")


def loaded(page) -> set[str]:  # type: ignore[no-untyped-def]
    """File names of the page's stylesheets and scripts."""
    urls = [link.get("href", "") for link in page.select('link[rel="stylesheet"]')]
    urls += [script.get("src", "") for script in page.select("script[src]")]
    return {url.split("?")[0].rsplit("/", 1)[-1] for url in urls}


@pytest.mark.parametrize("theme", ["sphinx_article", "alabaster"])
def test_component_assets_only_where_used(tmp_path: Path, theme: str) -> None:
    result = build_root("test-interop", tmp_path, confoverrides={"html_theme": theme})
    assert not warning_lines(result), warning_lines(result)
    design = read_html(result.app, DESIGN)
    assert design.select(".sd-card") and design.select("div.highlight")
    assert {"sphinx-design.min.css", *COPY_FILES} <= loaded(design)
    assert "design-tabs.js" not in loaded(design)  # a grid, no tab set
    for page in (PLAIN, "about"):
        files = loaded(read_html(result.app, page))
        assert not set(DESIGN_FILES + COPY_FILES) & files, (page, files)
        assert "sphinx-article.css" in files  # our own bundle stays
    # the files are still copied: a page that uses them can load them
    static = Path(result.app.outdir) / "_static"
    assert (static / "sphinx-design.min.css").is_file() and (static / "copybutton.js").is_file()


def test_tabs_script_where_a_tab_set_is(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-interop", src)
    post = src / "posts" / "plain" / "index.md"
    post.write_text(
        post.read_text() + "\n::::{tab-set}\n:::{tab-item} A\nOne.\n:::\n"
        ":::{tab-item} B\nTwo.\n:::\n::::\n"
    )
    result = build_root("test-interop", tmp_path, src=src)
    files = loaded(read_html(result.app, PLAIN))
    assert {"sphinx-design.min.css", "design-tabs.js"} <= files
    assert not set(COPY_FILES) & files


def _og(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [m["property"] for m in page.select("meta[property]") if m["property"].startswith("og:")]


def test_own_open_graph_tags_without_opengraph(tmp_path: Path) -> None:
    result = build_root("test-interop", tmp_path)
    tags = _og(read_html(result.app, DESIGN))
    assert tags.count("og:title") == 1 and tags.count("og:url") == 1


def test_opengraph_extension_owns_og_tags(tmp_path: Path) -> None:
    pytest.importorskip("sphinxext.opengraph")
    result = build_root(
        "test-interop",
        tmp_path,
        confoverrides={
            "extensions": ["sphinx_article", "sphinxext.opengraph"],
            "ogp_site_url": "https://interop.example.org/",
        },
    )
    page = read_html(result.app, DESIGN)
    tags = _og(page)
    assert tags and all(tags.count(name) == 1 for name in tags), tags  # no duplicates
    assert page.select_one('meta[property="og:url"]')["content"].startswith(
        "https://interop.example.org/"
    )
    # what sphinxext-opengraph does not write stays ours
    assert page.select_one('meta[property="article:published_time"]') is not None
    assert page.select_one('meta[name="citation_title"]') is not None
    assert len(page.select('meta[name="twitter:card"]')) <= 1


def test_sitemap_extension_owns_sitemap(tmp_path: Path) -> None:
    pytest.importorskip("sphinx_sitemap")
    from sphinx_article.site.feed import build_sitemap

    result = build_root(
        "test-interop",
        tmp_path,
        confoverrides={
            "extensions": ["sphinx_article", "sphinx_sitemap"],
            "html_baseurl": "https://interop.example.org/",
        },
    )
    out = Path(result.app.outdir)
    assert (out / "feed.xml").is_file()  # the feed is still ours
    sitemap = (out / "sitemap.xml").read_bytes()
    assert sitemap != build_sitemap(result.app)  # written by sphinx-sitemap, not by us
    assert b"interop.example.org" in sitemap


def test_own_sitemap_without_the_extension(tmp_path: Path) -> None:
    from sphinx_article.site.feed import build_sitemap

    result = build_root("test-interop", tmp_path)
    out = Path(result.app.outdir)
    assert (out / "sitemap.xml").read_bytes() == build_sitemap(result.app)
