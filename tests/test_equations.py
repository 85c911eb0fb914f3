"""Coloured equations: post-wide term colours, legend, eqterm role, contrast, PDF."""

from __future__ import annotations

import re
import subprocess

import pytest

from sphinx_article.config import PALETTES
from sphinx_article.domain import get_record
from sphinx_article.features.equations import TERMS, term_colors
from sphinx_article.model import colors
from sphinx_article.model.eqterms import find_eqterms, parse_colors

from conftest import ARTIFACTS, article_warnings, build_root, need_latex, read_html

VISUAL = "posts/visual/index"
STYLE = re.compile(
    r"--eqterm-light:(#[0-9A-F]{6});--eqterm-dark:(#[0-9A-F]{6});"
    r"--eqterm-text-light:(#[0-9A-F]{6});--eqterm-text-dark:(#[0-9A-F]{6})"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-equations", tmp_path_factory.mktemp("eq"))


@pytest.fixture(scope="module")
def page(built):  # type: ignore[no-untyped-def]
    return read_html(built, VISUAL)


def _style(element) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    match = STYLE.fullmatch(element["style"])
    assert match, element["style"]
    return match.groups()


def test_terms_record_in_order_of_first_appearance(built) -> None:  # type: ignore[no-untyped-def]
    terms = get_record(built.env, VISUAL, TERMS)
    assert list(terms) == ["grad", "input", "score"]
    okabe = PALETTES["okabe-ito"]
    # score is overridden with #0072B2, so the palette skips that colour; grad and input
    # take the first two Okabe-Ito colours.
    assert terms["grad"]["color"] == okabe[0] and terms["input"]["color"] == okabe[1]
    assert terms["score"]["color"] == "#0072B2"


def test_same_term_same_colour_everywhere(page) -> None:  # type: ignore[no-untyped-def]
    for term in ("grad", "input", "score"):
        elements = page.select(f'[data-term="{term}"]')
        kinds = {e.name for e in elements}
        assert {"mrow", "span", "a"} <= kinds, (term, kinds)
        assert len({_style(e) for e in elements}) == 1, term
    math_grads = page.select('mrow.eqterm[data-term="grad"]')
    assert len(math_grads) == 2  # one per equation
    assert _style(page.select_one('mrow[data-term="grad"]')) != _style(
        page.select_one('mrow[data-term="input"]')
    )


def test_legend_and_prose_links(page) -> None:  # type: ignore[no-untyped-def]
    legends = page.select(".colored-equation .eqterm-legend li.eqterm-legend-item")
    assert [li.select_one(".eqterm-key").get_text() for li in legends] == [
        "grad",
        "input",
        "score",
        "grad",
        "input",
    ]
    assert legends[0]["id"] == "eqterm-grad" and not legends[3].get("id")
    assert legends[0].find("em").get_text() == "i"  # inline MyST in the description
    assert legends[2].find("strong").get_text() == "class score"
    refs = page.select("a.eqterm-ref")
    assert [(a.get_text(), a["href"]) for a in refs] == [
        ("gradient", "#eqterm-grad"),
        ("input", "#eqterm-input"),
        ("score", "#eqterm-score"),
    ]
    assert not any(key.get("tabindex") for key in page.select(".eqterm-key"))  # no extra tab stops


def test_numbering_and_references(page) -> None:  # type: ignore[no-untyped-def]
    assert page.select_one("#equation-first .eqno").get_text().startswith("(1)")
    assert page.select_one("#equation-second .eqno").get_text().startswith("(2)")
    refs = [a.get_text() for a in page.select('a.reference.internal[href^="#equation-"]')]
    assert refs == ["(1)", "(2)"]


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_every_palette_colour_reaches_contrast_in_both_modes(name: str) -> None:
    for color in PALETTES[name]:
        shades = term_colors(color)
        for mode, background in colors.BACKGROUNDS.items():
            assert colors.contrast(shades[mode], background) >= 3.0, (color, mode)
            assert colors.contrast(shades[f"text-{mode}"], background) >= 4.5, (color, mode)


def test_page_colours_are_the_checked_variants(built, page) -> None:  # type: ignore[no-untyped-def]
    terms = get_record(built.env, VISUAL, TERMS)
    for term, shades in terms.items():
        light, dark, text_light, _text_dark = _style(page.select_one(f'[data-term="{term}"]'))
        assert (light, dark) == (shades["light"], shades["dark"])
        assert colors.contrast(light, colors.BACKGROUNDS["light"]) >= 3
        assert colors.contrast(dark, colors.BACKGROUNDS["dark"]) >= 3
        assert colors.contrast(text_light, colors.BACKGROUNDS["light"]) >= 4.5


def test_no_author_text_reaches_css(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built, "posts/bad/index")
    for element in page.select("[style]"):
        if "eqterm" in " ".join(element.get("class", [])):
            _style(element)
    assert "vermilion" not in str(page.select(".colored-equation [style]"))


def test_parsers() -> None:
    assert find_eqterms(r"\eqterm{a}{x} + \eqterm {b} {y^{2}} + \eqterm{a}{z}") == (
        ["a", "b"],
        None,
    )
    _, problem = find_eqterms(r"\eqterm{a}{x + \eqterm{b}{y}")
    assert problem and "balanced braces" in problem
    assert find_eqterms(r"\eqterm{a b}{x}")[1]
    assert parse_colors("grad=#cc79a7, input=blue") == ({"grad": "#CC79A7", "input": "#0072B2"}, [])
    bad, problems = parse_colors("a=red;}, b=url(x), c")
    assert not bad and len(problems) == 3


@pytest.mark.parametrize(
    ("subtype", "line", "needle"),
    [
        ("term", 9, "Term 'nolegend' is used in the equation but has no legend entry"),
        ("term", 13, "Legend entry 'unused' is never used"),
        ("term", 16, "with balanced braces"),
        ("color", 22, "unknown colour name 'vermilion' for term 'grad'; did you mean 'vermillion'"),
        ("color", 22, "'#12' for term 'input' is not a colour"),
        (
            "contrast",
            22,
            "Colour #FFFF00 of term 'bias' has contrast 1.07:1 against the light-mode",
        ),
        (
            "term",
            31,
            "No colored-equation in this post defines the term 'grda'; did you mean 'grad'",
        ),
        ("math", 33, r"'\csname' is not allowed"),
    ],
)
def test_bad_input_is_located(built, subtype: str, line: int, needle: str) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(built, subtype) if "posts/bad/index.md" in w]
    assert any(f"index.md:{line}:" in w and needle in w for w in hits), hits


def test_each_mistake_is_reported_once(built) -> None:  # type: ignore[no-untyped-def]
    at_16 = [w for w in built.warnings.splitlines() if "bad/index.md:16:" in w]
    assert len(at_16) == 1, at_16
    assert not [w for w in built.warnings.splitlines() if "posts/visual" in w]


def test_unknown_palette_name_warns_and_falls_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-equations", tmp_path, confoverrides={"article_palette": "okabe-itoo"})
    hits = article_warnings(built, "config")
    assert any("article_palette = 'okabe-itoo'" in w and "okabe-ito" in w for w in hits), hits
    assert get_record(built.env, VISUAL, TERMS)["grad"]["color"] == PALETTES["okabe-ito"][0]


def test_custom_palette_contrast_is_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root(
        "test-equations", tmp_path, confoverrides={"article_palette": ["#FFFF00", "#0072B2"]}
    )
    hits = article_warnings(built, "contrast")
    assert any(
        "article_palette colour #FFFF00 has contrast 1.07:1 against the light-mode" in w
        for w in hits
    ), hits
    assert not any("#0072B2 has" in w for w in hits)
    assert get_record(built.env, VISUAL, TERMS)["grad"]["light"] != "#FFFF00"


def test_other_palette(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-equations", tmp_path, confoverrides={"article_palette": "tol-bright"})
    assert get_record(built.env, VISUAL, TERMS)["grad"]["color"] == PALETTES["tol-bright"][0]


@pytest.fixture(scope="module")
def latex(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-equations", tmp_path_factory.mktemp("eqtex"), builder="latex")


def test_tex_uses_xcolor_with_the_same_hex(latex, built) -> None:  # type: ignore[no-untyped-def]
    source = (latex.outdir / "visual.tex").read_text(encoding="utf-8")
    terms = get_record(built.env, VISUAL, TERMS)
    for term, shades in terms.items():
        # the swatch keeps the 3:1 variant; symbols and names, being text, the 4.5:1 shade
        swatch, text = shades["light"][1:], shades["text-light"][1:]
        assert rf"\ArticleTermKey{{{swatch}}}{{{text}}}{{{term}}}" in source
        assert rf"\ArticleTerm{{{text}}}" in source
    assert r"\eqterm" not in source
    assert r"\label{equation:posts/visual/index:first}" in source
    assert r"\eqref{equation:posts/visual/index:second}" in source
    assert source.index(r"\label{equation:posts/visual/index:first}") < source.index(
        r"\begin{ArticleLegend}"
    )
    sty = (latex.outdir / "sphinxarticle-equations.sty").read_text(encoding="utf-8")
    assert r"\color[HTML]{#1}" in sty


@pytest.mark.pdf
def test_pdf_compiles_with_legend(latex) -> None:  # type: ignore[no-untyped-def]
    need_latex()
    for name in ("visual", "bad"):
        result = subprocess.run(
            ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
            cwd=latex.outdir,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-3000:]
    text = subprocess.run(
        ["pdftotext", "visual.pdf", "-"],
        cwd=latex.outdir,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "grad: gradient of the class score" in text
    assert "score: the class score" in text and "(1)" in text and "(2)" in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "visual.pdf",
            str(ARTIFACTS / "equations-pdf"),
        ],
        cwd=latex.outdir,
        check=True,
    )


def test_parallel_build_gives_the_same_page(built, tmp_path) -> None:  # type: ignore[no-untyped-def]
    parallel = build_root("test-equations", tmp_path, parallel=2)
    for doc in ("posts/visual/index.html", "posts/bad/index.html"):
        one = (parallel.outdir / doc).read_text(encoding="utf-8").splitlines()
        two = (built.outdir / doc).read_text(encoding="utf-8").splitlines()
        assert [a for a, b in zip(one, two, strict=False) if a != b] == [], doc


def test_text_builder_shows_plain_latex_and_legend(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = build_root("test-equations", tmp_path, builder="text")
    page = (text.outdir / "posts" / "visual" / "index.txt").read_text(encoding="utf-8")
    assert r"\eqterm" not in page and r"{\nabla_{X_i} f_c}" in page
    assert "grad: gradient of the class score" in page
