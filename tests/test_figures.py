"""Figure widths, dark variants, animations, video-figure, interactive-figure, zoom
assets and the warnings for bad figures; HTML and LaTeX."""

from __future__ import annotations

import pytest

from conftest import article_warnings, build_root, read_html, warning_lines


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-figures", tmp_path_factory.mktemp("figures"))


@pytest.fixture(scope="module")
def latex(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-figures", tmp_path_factory.mktemp("figures-tex"), builder="latex")


@pytest.fixture(scope="module")
def page(built):  # type: ignore[no-untyped-def]
    return read_html(built, "posts/figures/index").select_one("article.article-body")


def test_widths_on_every_kind_of_block(page) -> None:  # type: ignore[no-untyped-def]
    saliency = page.select_one("figure#fig-saliency")
    assert "article-width-page" in saliency["class"]
    screen = page.select_one("figure.article-width-screen")  # from :class: screen
    assert "screen" not in screen["class"] and "article-width-screen" not in screen.img["class"]
    assert "article-width-body" in page.select_one("img[alt^='A plain image']")["class"]
    assert page.select_one("div.highlight-python.article-width-page")
    tables = page.select("table.article-width-page")
    assert len(tables) == 2  # list-table :width: page and a pipe table with {.page}
    half = page.select_one("img[alt='A figure with a length width']")
    assert "width: 50" in half.get("style", "") or half.get("width") == "50%"


def test_dark_variant(page) -> None:  # type: ignore[no-untyped-def]
    light, dark = page.select("figure#fig-saliency img")
    assert "only-light" in light["class"] and "only-dark" in dark["class"]
    assert dark["src"].endswith("dark.png") and dark["alt"] == light["alt"]


def test_images_carry_their_size(page) -> None:  # type: ignore[no-untyped-def]
    image = page.select_one("img[alt='A plain image at body width']")
    assert (image["width"], image["height"]) == ("440", "396")
    assert image.parent.name != "a"  # no scaled-image link


def test_animated_figure_has_poster_for_reduced_motion(page) -> None:  # type: ignore[no-untyped-def]
    picture = page.select_one("figure picture.article-animation")
    assert picture.select_one("source")["srcset"].endswith("poster.png")
    assert picture.select_one("img")["src"].endswith("anim.gif")
    assert (
        picture.find_parent("figure").select_one(".caption-number").get_text().startswith("Fig. 4")
    )


def test_video_figure(page) -> None:  # type: ignore[no-untyped-def]
    figure = page.select_one("figure#fig-video")
    assert "article-video-figure" in figure["class"] and "article-width-body" in figure["class"]
    video = figure.select_one("video")
    assert all(video.has_attr(a) for a in ("muted", "loop", "controls", "playsinline"))
    assert video["poster"].endswith("poster.png") and video["aria-label"] == "The sampler at work"
    assert figure.select_one("figcaption").get_text(" ", strip=True).startswith("Fig. 5")


def test_interactive_figure(built, page) -> None:  # type: ignore[no-untyped-def]
    figure = page.select_one("figure#fig-explorable")
    assert "article-width-page" in figure["class"]
    frame = figure.select_one(".article-interactive__frame")
    assert frame["style"] == "aspect-ratio: 4 / 3"
    iframe = frame.select_one("iframe")
    assert iframe["sandbox"] == ["allow-scripts"]  # no allow-same-origin: an opaque origin
    assert iframe["src"] == "explorable/index.html"
    assert iframe["title"] == "An explorable of the noise level"
    fallback = figure.select_one("img.article-interactive__fallback")
    assert fallback["src"].endswith("poster.png")
    assert figure.select_one("figcaption em").get_text() == "noise level"
    folder = built.outdir / "posts/figures/explorable"
    assert (folder / "index.html").is_file() and (folder / "app.js").is_file()


def test_video_in_an_ordinary_figure(page, latex) -> None:  # type: ignore[no-untyped-def]
    video = page.select_one("video[aria-label='The sampler as a plain figure']")
    assert video["poster"].endswith("poster.png") and video.find_parent("figure")
    tex = (latex.outdir / "figures.tex").read_text(encoding="utf-8")
    assert "A video in an ordinary figure." in tex and "clip}.mp4" not in tex


def test_numref_to_new_figures(page) -> None:  # type: ignore[no-untyped-def]
    refs = [a.get_text() for a in page.select("a.reference.internal span.std-numref")]
    assert refs == ["Fig. 5", "Fig. 6"]


def test_assets_are_bundled(built) -> None:  # type: ignore[no-untyped-def]
    css = (built.outdir / "_static/sphinx-article.css").read_text(encoding="utf-8")
    js = (built.outdir / "_static/sphinx-article.js").read_text(encoding="utf-8")
    for needle in (
        ".article-width-page",
        ".article-hero",
        ".article-margin-note",
        ".article-zoom-button",
        "button.copybtn",
    ):
        assert needle in css
    assert "showModal" in js and "prefers-reduced-motion" in js and "aria-expanded" in js


@pytest.mark.parametrize(
    ("subtype", "line", "needle"),
    [
        ("alt", 21, "'light.png' has no alternative text"),
        ("image", 26, "'nothere.png' does not exist"),
        ("image", 32, "points outside the site"),
        ("image", 38, "'/etc/passwd' does not exist"),
        ("option", 42, "Unknown width 'enormous' on 'figure'"),
        ("option", 47, "Unknown width '30%' on 'code-block'"),
        ("image", 53, "interactive-figure has no :fallback:"),
        ("image", 57, "video-figure has no :poster:"),
        ("alt", 61, "'light.png' has no alternative text"),  # a Markdown image
    ],
)
def test_each_mistake_is_located(built, subtype, line, needle) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(built, subtype) if f"posts/bad/index.md:{line}:" in w]
    assert any(needle in w for w in hits), article_warnings(built, subtype)


def test_bad_figures_leave_the_post_building(built) -> None:  # type: ignore[no-untyped-def]
    text = read_html(built, "posts/bad/index").get_text()
    assert "Caption survives." in text and "Text after all the mistakes." in text
    assert not [
        w
        for w in warning_lines(built)
        if "not_readable" in w or "passwd" in w and "article." not in w
    ]
    assert not (built.outdir / "_images" / "passwd").exists()
    assert len([w for w in article_warnings(built, "alt") if "posts/bad/" in w]) == 2


def test_latex_widths_posters_and_links(latex) -> None:  # type: ignore[no-untyped-def]
    tex = (latex.outdir / "figures.tex").read_text(encoding="utf-8")
    saliency = tex[: tex.index(r"\label{\detokenize{posts/figures/index:fig-saliency}}")]
    last = saliency.rindex(r"\begin{figure}")
    assert r"\begin{ArticleWide}" in saliency[last:] and r"\capstart" in saliency[last:]
    assert "{{dark" not in tex
    assert "{{poster}.png}" in tex and ".gif}" not in tex and "clip}.mp4" not in tex
    assert (
        r"\href{https://blog.example.org/posts/figures/index.html\#fig-video}"
        r"{Watch the video in the web version}"
    ) in tex
    assert "Try the interactive figure in the web version" in tex
    assert tex.count(r"\begin{ArticleWide}") == 5  # 2 figures, 2 tables, explorable
    code = tex.index(r"\begin{ArticleWideBox}")  # code: a minipage as wide as text + margin
    assert code < tex.index("a page\\PYGZhy{}wide code block") < tex.index(r"\end{ArticleWideBox}")


@pytest.mark.parametrize("builder", ["text", "man", "texinfo"])
def test_other_builders(tmp_path, builder) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-figures", tmp_path, builder=builder)
    assert not [w for w in built.warnings.splitlines() if "Traceback" in w or "unknown node" in w]
