"""Math fidelity in Chromium: checks that fail when a formula is drawn wrong, not only
when it is refused. On a formula page of our own (tests/roots/test-math/posts/macros)
and on a sample of real corpus formulas (skipped when ../shared/corpus is absent)."""

from __future__ import annotations

import html
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import build_root, screenshot, serve

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "iclr-2025"
MACROS = "posts/macros/index.html"

# Boxes of MathML elements, by text, inside one block.
BOXES = """([root, tag, text]) => [...document.querySelectorAll(root + ' ' + tag)]
  .filter((e) => e.textContent.trim() === text)
  .map((e) => { const r = e.getBoundingClientRect();
                return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })"""
# Visible text of the article that is not a refused formula's source.
TEXT_OUTSIDE_SOURCES = """(root) => { const clone = document.querySelector(root).cloneNode(true);
  clone.querySelectorAll('code, pre, script, style, .headerlink').forEach((e) => e.remove());
  return clone.textContent; }"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-math", tmp_path_factory.mktemp("mathbrowser"))


@pytest.fixture(scope="module")
def site(built) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from serve(built.outdir)


def _boxes(tab, root: str, tag: str, text: str) -> list[dict[str, float]]:  # type: ignore[no-untyped-def]
    return tab.evaluate(BOXES, [root, tag, text])


def _open(page, url: str):  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(url)
    page.evaluate("document.fonts.ready")
    return page


def test_aligned_equals_signs_share_one_x(page, site) -> None:  # type: ignore[no-untyped-def]
    tab = _open(page, f"{site}/{MACROS}")
    for root in ('[id$="aligned"]', ".math-display:has(mtext.tml-tag)"):
        lefts = [box["left"] for box in _boxes(tab, root, "mo", "=")]
        assert len(lefts) >= 2, root
        assert max(lefts) - min(lefts) <= 1, (root, lefts)


def test_bold_renders_as_bold_glyphs(page, site) -> None:  # type: ignore[no-untyped-def]
    tab = _open(page, f"{site}/{MACROS}")
    texts = tab.evaluate("""() => [...document.querySelectorAll('[id$="bold"] mi')]
        .map((e) => [e.textContent, getComputedStyle(e).fontWeight])""")
    bold = [t for t, weight in texts if t in ("\U0001d431", "\U0001d499") or int(weight) >= 600]
    assert len(bold) >= 2, texts  # \mathbf{x} and \bm{x}
    # and the bold glyph is drawn wider than the italic x (the font has the glyph)
    widths = tab.evaluate("""() => ['x', '\\u{1D431}', '\\u{1D499}'].map((c) => {
        const m = document.createElementNS('http://www.w3.org/1998/Math/MathML', 'math');
        const i = document.createElementNS('http://www.w3.org/1998/Math/MathML', 'mi');
        i.textContent = c; m.appendChild(i); document.body.appendChild(m);
        const w = i.getBoundingClientRect().width; m.remove(); return w; })""")
    assert widths[1] > widths[0] * 1.05 and widths[2] > 0, widths


def test_log_has_operator_space(page, site) -> None:  # type: ignore[no-untyped-def]
    tab = _open(page, f"{site}/{MACROS}")
    log = _boxes(tab, '[id$="bold"]', "mi", "log")[0]
    after = [b for b in _boxes(tab, '[id$="bold"]', "mi", "p") if b["left"] >= log["right"] - 1]
    assert after and after[0]["left"] - log["right"] >= 2, (log, after)


def test_sim_is_a_spaced_relation(page, site) -> None:  # type: ignore[no-untyped-def]
    tab = _open(page, f"{site}/{MACROS}")
    sim = _boxes(tab, '[id$="bold"]', "mo", "\u223c")
    assert sim, "\\sim is not drawn as U+223C"
    z = _boxes(tab, '[id$="bold"]', "mi", "z")[0]
    calligraphic = _boxes(tab, '[id$="bold"]', "mi", "\U0001d4a9")[0]
    assert sim[0]["left"] - z["right"] >= 2 and calligraphic["left"] - sim[0]["right"] >= 2


def test_sum_limits_above_and_below_in_display(page, site) -> None:  # type: ignore[no-untyped-def]
    tab = _open(page, f"{site}/{MACROS}")
    sums = _boxes(tab, '[id$="sum"]', "mo", "\u2211")
    assert len(sums) == 2
    for total in sums:
        n = [
            b
            for b in _boxes(tab, '[id$="sum"]', "mi", "n")
            if b["bottom"] <= total["top"] + 2
            and b["left"] >= total["left"] - 4
            and b["right"] <= total["right"] + 4
        ]
        assert n, f"no upper limit above the sum at {total}"
    argmax = _boxes(tab, '[id$="argmax"]', "mi", "arg\u2009max") or _boxes(
        tab, '[id$="argmax"]', "mi", "arg max"
    )
    under = [
        b
        for b in _boxes(tab, '[id$="argmax"]', "mi", "\u03b8")
        if argmax and b["left"] >= argmax[0]["left"] and b["right"] <= argmax[0]["right"]
    ]
    assert argmax and under and under[0]["top"] >= argmax[0]["bottom"] - 2, (argmax, under)


def test_no_command_names_in_rendered_text(page, site) -> None:  # type: ignore[no-untyped-def]
    for post in (MACROS, "posts/formulas/index.html"):
        tab = _open(page, f"{site}/{post}")
        text = tab.evaluate(TEXT_OUTSIDE_SOURCES, "main")
        assert "\\" not in text, text[max(0, text.index("\\") - 80) : text.index("\\") + 80]
        assert tab.locator("merror").count() == 0
    screenshot(tab, "math-macros-post")


def test_macros_post_draws_every_construct(page, site) -> None:  # type: ignore[no-untyped-def]
    tab = _open(page, f"{site}/{MACROS}")
    assert tab.locator("code.math-source").count() == 0
    texts = tab.evaluate("() => [...document.querySelectorAll('math')].map((m) => m.textContent)")
    joined = "".join(texts)
    for char in ("\u2112", "\u2254", "\u27e6", "\U0001d524", "\U0001d5aa", "\U0001d736"):
        # script L, coloneqq, llbracket, fraktur g, sans K, bold italic alpha (\boldsymbol)
        assert char in joined, hex(ord(char))
    # \mathscr draws its letter in the round script font, \mathcal in the math font's
    fonts = tab.evaluate("""() => [...document.querySelectorAll('math mi')]
        .filter((e) => e.textContent === '\u2112').map((e) => getComputedStyle(e).fontFamily)""")
    assert any("Article Script" in f for f in fonts) and any(
        "Article Script" not in f for f in fonts
    ), fonts
    colour = tab.evaluate("""() => getComputedStyle(
        [...document.querySelectorAll('math .math-color')][0]).color""")
    assert colour.startswith("rgb(0, 114, 178") or colour.startswith("rgb(0,114,178"), colour
    tab.emulate_media(color_scheme="dark")
    dark = tab.evaluate("""() => getComputedStyle(
        [...document.querySelectorAll('math .math-color')][0]).color""")
    assert dark != colour, "the colour has no dark-mode shade"  # 4.5:1 on the dark page
    tab.emulate_media(color_scheme="light")
    screenshot(tab, "math-constructs", full_page=True)


# -- the corpus ----------------------------------------------------------------------


def _corpus_sample(count: int = 40) -> list[tuple[str, str, bool]]:
    """``count`` corpus formulas (seeded sample, half display), expanded with their
    post's macros: (label, expanded LaTeX, display)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "math_corpus.py"
    spec = importlib.util.spec_from_file_location("math_corpus", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["math_corpus"] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    from sphinx_article.model import mathmacros

    found: list[tuple[str, str, bool]] = []
    for post, macros, formulas in module.corpus(CORPUS):
        state = mathmacros.MacroState(dict(macros))
        for formula in formulas:
            try:
                latex = mathmacros.expand(formula.latex, state)
            except mathmacros.MacroError:
                continue
            if latex.strip() and 20 <= len(latex) <= 400:
                found.append((f"{post}:{formula.line}", latex, formula.display))
    rng = random.Random(2025)
    display = rng.sample([f for f in found if f[2]], count // 2)
    inline = rng.sample([f for f in found if not f[2]], count - count // 2)
    return display + inline


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus (../shared/corpus) is absent")
def test_corpus_contact_sheet(page, built, site) -> None:  # type: ignore[no-untyped-def]
    import json

    from sphinx_article.features.mathrender import MathRenderError, render_checked

    from conftest import ARTIFACTS

    sample = _corpus_sample()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)  # the same 40 for the PDF's contact sheet
    (ARTIFACTS / "math-corpus-sample.json").write_text(
        json.dumps([{"where": w, "latex": x, "display": d} for w, x, d in sample], indent=1),
        encoding="utf-8",
    )
    cells = []
    for label, latex, display in sample:
        try:
            mathml = render_checked(latex, display)
        except MathRenderError as error:
            mathml = f"<code class='math-source'>{html.escape(str(error))}</code>"
        cells.append(
            f"<figure><figcaption>{html.escape(label)}</figcaption>"
            f"<div class='cell'>{mathml}</div></figure>"
        )
    sheet = built.outdir / "contact-sheet.html"
    sheet.write_text(
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>Corpus formulas</title>"
        "<link rel='stylesheet' href='_static/sphinx-article.css'><style>"
        "main{display:grid;grid-template-columns:repeat(2,1fr);gap:4px;margin:8px;"
        "font:13px sans-serif} figure{margin:0;border:1px solid #ccc;padding:4px;"
        "overflow:hidden} figcaption{color:#555} .cell{font:20px serif}</style><main>"
        + "".join(cells)
        + "</main></html>",
        encoding="utf-8",
    )
    tab = _open(page, f"{site}/contact-sheet.html")
    tab.set_viewport_size({"width": 1400, "height": 900})
    assert tab.locator("code.math-source").count() == 0
    assert tab.locator("merror").count() == 0
    text = tab.evaluate(TEXT_OUTSIDE_SOURCES, "main")
    assert "\\" not in text
    # every formula is drawn: a box of real size
    sizes = tab.evaluate(
        "() => [...document.querySelectorAll('.cell math')].map((m) => "
        "{ const r = m.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert len(sizes) == 40 and all(w > 5 and h > 5 for w, h in sizes), sizes
    screenshot(tab, "math-corpus-contact-sheet", full_page=True)


def test_rare_alphabets_font_loads_only_where_used(page, site) -> None:  # type: ignore[no-untyped-def]
    fonts: list[str] = []
    page.on(
        "request",
        lambda request: (
            fonts.append(request.url.rsplit("/", 1)[-1]) if request.url.endswith(".woff2") else None
        ),
    )
    _open(page, f"{site}/posts/formulas/index.html")
    page.wait_for_load_state("networkidle")
    assert "article-math.woff2" in fonts and "article-math-extra.woff2" not in fonts, fonts
    fonts.clear()
    _open(page, f"{site}/{MACROS}")  # \mathfrak, \mathsf, \mathtt
    page.wait_for_load_state("networkidle")
    assert "article-math-extra.woff2" in fonts, fonts
    # and the fraktur g is drawn by it: wider than nothing, not a fallback box
    family = page.evaluate("""() => document.fonts.check('16px "Article Math"', '\\u{1D524}')""")
    assert family
