"""hero-figure: under the title block, dark variant, animations, record, warnings, LaTeX."""

from __future__ import annotations

import re

import pytest

from sphinx_article.features.hero import hero_image

from conftest import article_warnings, build_root, read_html, warning_lines


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-hero", tmp_path_factory.mktemp("hero"))


@pytest.fixture(scope="module")
def latex(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-hero", tmp_path_factory.mktemp("hero-latex"), builder="latex")


def test_hero_is_moved_under_the_title_block(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built, "posts/good/index")
    header = page.select_one("main > header.article-titleblock")
    hero = header.find_next_sibling()
    assert hero.name == "figure" and "article-hero" in hero["class"]
    assert "article-width-page" in hero["class"]  # the default width
    assert not page.select("article.article-body .article-hero")
    body = page.select_one("article.article-body").get_text()
    assert "The opening paragraph comes before the hero" in body


def test_dark_variant_caption_and_credit(built) -> None:  # type: ignore[no-untyped-def]
    hero = read_html(built, "posts/good/index").select_one("figure.article-hero")
    light, dark = hero.select("img")
    assert "only-light" in light["class"] and "only-dark" in dark["class"]
    # several posts of this root have a light.png: each copy's name carries its path hash
    assert re.search(r"/light(-[0-9a-f]{8})?\.png$", light["src"])
    assert re.search(r"/dark(-[0-9a-f]{8})?\.png$", dark["src"])
    assert light["alt"] == "A saliency map over the tokens of a sentence"
    assert (light["width"], light["height"]) == ("880", "242")  # reserved space: no shift
    caption = hero.select_one("figcaption.article-hero__caption")
    assert caption.select_one("em").get_text() == "emphasis"
    credit = caption.select_one("p.article-hero__credit")
    assert credit.select_one("em").get_text() == "the authors"
    assert "<script>" in credit.get_text() and not hero.select("script")


def test_animated_hero_uses_poster_for_reduced_motion(built) -> None:  # type: ignore[no-untyped-def]
    hero = read_html(built, "posts/anim/index").select_one("figure.article-hero")
    assert "article-width-screen" in hero["class"]
    source = hero.select_one("picture > source")
    assert source["media"] == "(prefers-reduced-motion: reduce)"
    assert re.search(r"/poster(-[0-9a-f]{8})?\.png$", source["srcset"])
    assert re.search(r"/anim(-[0-9a-f]{8})?\.gif$", hero.select_one("picture > img")["src"])


def test_video_hero(built) -> None:  # type: ignore[no-untyped-def]
    hero = read_html(built, "posts/video/index").select_one("figure.article-hero")
    assert "article-width-body" in hero["class"]
    video = hero.select_one("video")
    for attribute in ("muted", "loop", "controls", "playsinline"):
        assert video.has_attr(attribute)
    assert not video.has_attr("autoplay")  # script starts it, unless reduced motion
    assert video["poster"].startswith("../../_images/poster")  # one image, several posts
    assert video.select_one("source")["type"] == "video/mp4"
    assert video["aria-label"] == 'A "clip" <b>of</b> the model & sampler'
    raw = (built.outdir / "posts/video/index.html").read_text(encoding="utf-8")
    assert "&quot;clip&quot; &lt;b&gt;of&lt;/b&gt;" in raw


def test_hero_record_for_cards_and_meta(built) -> None:  # type: ignore[no-untyped-def]
    good = hero_image(built.env, "posts/good/index")
    assert good["image"] == "posts/good/light.png" and good["dark"] == "posts/good/dark.png"
    assert good["alt"].startswith("A saliency map") and good["kind"] == "image"
    anim = hero_image(built.env, "posts/anim/index")
    assert anim["image"] == "posts/anim/poster.png" and anim["source"] == "posts/anim/anim.gif"
    assert anim["kind"] == "animation" and anim["poster"] == "posts/anim/poster.png"
    assert hero_image(built.env, "posts/missing/index") is None
    assert hero_image(built.env, "index") is None
    assert list((built.outdir / "_images").glob("poster*.png"))


@pytest.mark.parametrize(
    ("post", "subtype", "line", "needle"),
    [
        ("noalt", "alt", 19, "has no :alt: text"),
        ("noalt", "option", 19, "Unknown hero-figure width 'huge'"),
        ("twice", "hero", 27, "already has a hero figure (line 19)"),
        ("noposter", "hero", 19, "has no :poster:"),
        ("escape", "image", 19, "points outside the site"),
        ("escape", "image", 23, "'/etc/passwd' does not exist"),
        ("missing", "image", 19, "'nothere.png' does not exist"),
    ],
)
def test_each_mistake_is_located(built, post, subtype, line, needle) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(built, subtype) if f"posts/{post}/index.md:{line}:" in w]
    assert any(needle in w for w in hits), article_warnings(built, subtype)


def test_bad_heroes_leave_the_post_building(built) -> None:  # type: ignore[no-untyped-def]
    assert "Text survives after a bad hero." in read_html(built, "posts/noalt/index").get_text()
    assert "Still builds." in read_html(built, "posts/escape/index").get_text()
    missing = read_html(built, "posts/missing/index")
    assert "Caption of a missing hero." in missing.select_one("figure.article-hero").get_text()
    second = read_html(built, "posts/twice/index").select_one("article.article-body figure")
    assert "Second caption stays in place." in second.get_text()
    assert not [w for w in warning_lines(built) if "image.not_readable" in w]


def test_latex_hero_under_title_block(latex) -> None:  # type: ignore[no-untyped-def]
    tex = (latex.outdir / "good.tex").read_text(encoding="utf-8")
    title, hero, text = (
        tex.index(r"\end{ArticleTitleBlock}"),
        tex.index(r"\begin{ArticleHero}{page}"),
        tex.index("The opening paragraph"),
    )
    assert title < hero < text
    assert "light" in tex[hero:text] and "dark" not in tex[hero:text]
    assert r"\begin{ArticleHeroCaption}" in tex
    anim = (latex.outdir / "anim.tex").read_text(encoding="utf-8")
    assert "{{poster" in anim and "anim}.gif" not in anim
    assert r"\begin{ArticleHero}{screen}" in anim
    video = (latex.outdir / "video.tex").read_text(encoding="utf-8")
    assert "{{poster" in video and "clip}.mp4" not in video
    assert r"Watch the video in the web version" in video
    assert r"\textless{}b\textgreater{}of" in video  # the alt text, escaped


@pytest.mark.parametrize("builder", ["text", "man", "texinfo"])
def test_other_builders(tmp_path, builder) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-hero", tmp_path, builder=builder)
    assert not [w for w in built.warnings.splitlines() if "Traceback" in w or "unknown node" in w]
    if builder == "text":
        text = (built.outdir / "posts/good/index.txt").read_text(encoding="utf-8")
        assert "[image: A saliency map" in text and "The hero caption" in text
