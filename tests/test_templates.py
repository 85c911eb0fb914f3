"""The page's HTML templates: a site overrides them from its ``_templates/``, and every
template escapes author text (Sphinx's Jinja environment does not autoescape)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_root, read_html

ROOT = "test-templates"
#: what each hostile field would run if a template forgot ``|e``
MARKERS = ("title", "description", "author", "url", "affiliation", "tag")


@pytest.fixture(scope="module")
def overridden(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return build_root(ROOT, tmp_path_factory.mktemp("override"))


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The same site with the shipped templates (its own _templates/ not on the path)."""
    return build_root(
        ROOT, tmp_path_factory.mktemp("shipped"), confoverrides={"templates_path": []}
    )


def pages(built) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        str(p.relative_to(built.outdir)): p.read_text(encoding="utf-8")
        for p in Path(built.outdir).rglob("*.html")
        if "_static" not in p.parts
    }


def test_site_title_block_overrides_the_shipped_one(overridden) -> None:  # type: ignore[no-untyped-def]
    page = read_html(overridden.app, "posts/plain/index")
    header = page.select_one('header[data-override="titleblock"]')
    assert header is not None
    assert header.select_one("h1").get_text() == "A plain post"
    assert header.select_one(".site-byline").get_text() == "Authors: Ada Lovelace"
    assert header.select_one("time")["datetime"] == "2026-04-04"
    assert page.select_one("header.article-titleblock") is None  # the shipped one is gone


def test_site_post_card_overrides_the_shipped_one(overridden) -> None:  # type: ignore[no-untyped-def]
    page = read_html(overridden.app, "index")
    cards = page.select('ul.post-index > li[data-override="post-card"]')
    assert [c.select_one("a").get_text() for c in cards][-1] == "A plain post"
    assert cards[-1].select_one("a")["href"] == "posts/plain/index.html"
    assert not page.select("li.post-card")
    # tag pages list their posts through the same card template
    tag = read_html(overridden.app, "tags/templates")
    assert tag.select('li[data-override="post-card"]')


def test_shipped_templates_without_override(shipped) -> None:  # type: ignore[no-untyped-def]
    page = read_html(shipped.app, "posts/plain/index")
    assert (
        page.select_one("header.article-titleblock h1.article-title").get_text() == "A plain post"
    )
    assert page.select_one("a.orcid svg.orcid-icon") is not None
    assert read_html(shipped.app, "index").select("li.post-card")


@pytest.mark.parametrize("which", ["shipped", "overridden"])
def test_author_text_is_escaped_in_every_template(
    which: str, request: pytest.FixtureRequest
) -> None:
    built = request.getfixturevalue(which)
    html = pages(built)
    for name, text in html.items():
        for marker in MARKERS:
            assert f'<script>alert("{marker}")' not in text, (name, marker)
            assert f"<script>alert(&#34;{marker}" not in text, (name, marker)
    post = html["posts/hostile/index.html"]
    assert "Title &lt;script&gt;alert(" in post  # the title block (or the site's)
    if which == "shipped":
        assert "Author &lt;script&gt;alert(" in post
        assert "Lab &lt;script&gt;alert(" in post  # affiliation
        assert "Description &lt;script&gt;alert(" in post
        assert (
            "Title &lt;script&gt;alert(" in post.split('class="article-cite-this"')[1]
        )  # Cite this
        card = html["index.html"].split('class="post-index"')[1]
        for marker in ("Title", "Author", "Tag", "Description"):
            assert f"{marker} &lt;script&gt;alert(" in card, marker
    tag_pages = [
        text for name, text in html.items() if name.startswith("tags/") and "hostile" in text
    ]
    assert tag_pages, "the hostile tag's page"
    assert any("Tag &lt;script&gt;alert(" in t.split("<h1>")[1] for t in tag_pages)  # heading
    assert "Tag &lt;script&gt;alert(" in html["tags/index.html"]  # tag index


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Under review."), ("de", "In Begutachtung.")]
)
def test_review_banner_template(tmp_path: Path, language: str, words: str) -> None:
    """One template under this theme (the layout includes it) and any other (put above
    the body), translated either way."""
    for theme in ("sphinx_article", "basic"):
        overrides = {"article_review": True, "html_theme": theme, "language": language}
        built = build_root(ROOT, tmp_path / theme, confoverrides=overrides)
        banner = read_html(built.app, "posts/plain/index").select(".article-banner--review")
        assert len(banner) == 1, theme
        assert banner[0].get_text().startswith(words), theme
