"""A post's header (title block and hero): under this project's theme ``layout.html``
renders it from the page context (``article_titleblock``, ``article_hero``); under any
other theme the ``title_block`` node renders the same template into the body.  Either
way the post's heading is written once, and Sphinx's title, ``<title>``, the TOC and the
search index still know it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import build_root, read_html

POST = "posts/good/index"
TITLE = "A hero post"


@pytest.fixture(scope="module")
def article(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-hero", tmp_path_factory.mktemp("header-article"))


@pytest.fixture(scope="module")
def basic(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root(
        "test-hero", tmp_path_factory.mktemp("header-basic"), confoverrides={"html_theme": "basic"}
    )


def search_titles(built) -> dict[str, object]:  # type: ignore[no-untyped-def]
    text = (Path(built.outdir) / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"Search\.setIndex\((.*)\)\s*$", text, re.S).group(1))


def test_layout_renders_the_header(article) -> None:  # type: ignore[no-untyped-def]
    raw = (Path(article.outdir) / f"{POST}.html").read_text(encoding="utf-8")
    assert "end of header" not in raw  # no marker comment to split the body at
    page = read_html(article, POST)
    header = page.select_one("main > header.article-titleblock")
    assert header is not None and header.find_next_sibling().name == "figure"
    assert [h1.get_text() for h1 in page.select("h1")] == [TITLE]
    assert not page.select("article.article-body .article-titleblock")
    assert TITLE in page.title.get_text()
    assert page.select_one("article.article-body")["aria-label"] == TITLE


def test_other_themes_render_the_same_template_in_the_body(basic) -> None:  # type: ignore[no-untyped-def]
    raw = (Path(basic.outdir) / f"{POST}.html").read_text(encoding="utf-8")
    assert "end of header" not in raw
    page = read_html(basic, POST)
    body = page.select_one("div.body")
    header = body.select_one("header.article-titleblock")
    assert header is not None and header.find_next_sibling().name == "figure"
    assert [h1.get_text() for h1 in page.select("h1")] == [TITLE]
    assert TITLE in page.title.get_text()


def test_title_and_search_index_keep_the_title(article) -> None:  # type: ignore[no-untyped-def]
    assert article.env.titles[POST].astext() == TITLE
    index = search_titles(article)
    position = index["docnames"].index(POST)
    assert index["titles"][position] == TITLE


def test_epub_keeps_the_header_in_the_body(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """EPUB pages use EPUB's theme, whose layout renders no header: the body keeps it."""
    built = build_root("test-hero", tmp_path, builder="epub")
    page = (Path(built.outdir) / f"{POST}.xhtml").read_text(encoding="utf-8")
    assert '<header class="article-titleblock">' in page
    assert 'class="article-hero' in page
