"""The math font subset per site (``sphinx_article/features/mathfont.py``): what the formulas use,
the MATH table and stretchy variants kept, deterministic under ``-j``, incremental-safe,
the full font when fontTools is missing, and Chromium drawing every glyph from it."""

from __future__ import annotations

import io
import re
import shutil
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont

from sphinx_article.features import mathfont

from conftest import build_root, read_html, screenshot, serve, warning_lines

ROOT = "test-math-font"
FONTS = Path("_static") / "fonts"
SHIPPED = mathfont.components_dir() / "fonts"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return build_root(ROOT, tmp_path_factory.mktemp("mathfont"))


def cmap(path: Path) -> set[int]:
    return set(TTFont(io.BytesIO(path.read_bytes())).getBestCmap())


def drawn(outdir: Path) -> set[int]:
    """Every character inside <math> on every written page, and the italic forms
    MathML Core draws single-letter identifiers with."""
    codes: set[int] = set()
    for page in outdir.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for math in soup.find_all("math"):
            for annotation in math.find_all("annotation"):
                annotation.decompose()
            codes |= {ord(c) for c in math.get_text() if not c.isspace()}
            for mi in math.find_all("mi"):
                text = mi.get_text().strip()
                if len(text) == 1 and mi.get("mathvariant") != "normal":
                    codes.add(mathfont.ITALIC.get(ord(text), ord(text)))
    return codes


def test_codepoints_of_mathml() -> None:
    mathml = (
        '<math><semantics><mrow><mi>x</mi><mo>&lt;</mo><mi mathvariant="normal">'
        'd</mi><mi>sin</mi><mi>θ</mi></mrow><annotation encoding="application/x-tex">'
        "\\zeta</annotation></semantics></math>"
    )
    codes = mathfont.codepoints(mathml)
    assert {ord("x"), 0x1D465, ord("<"), ord("d"), ord("s"), ord("θ"), 0x1D703} <= codes
    assert 0x1D451 not in codes, "an upright <mi> is not italicised"
    assert ord("ζ") not in codes and ord("\\") not in codes, "annotations are not drawn"
    assert mathfont.ITALIC[ord("h")] == 0x210E and mathfont.ITALIC[0x3A9] == 0x1D6FA


def test_extra_ranges_match_the_stylesheet() -> None:
    css = (mathfont.components_dir() / "math.css").read_text(encoding="utf-8")
    ranges = ", ".join(f"U+{a:X}-{b:X}" for a, b in mathfont.EXTRA_RANGES)
    assert f"unicode-range: {ranges};" in css


def test_subset_has_what_the_pages_draw_and_is_small(built) -> None:  # type: ignore[no-untyped-def]
    assert not warning_lines(built), built.warnings
    main, extra = built.outdir / FONTS / mathfont.MAIN, built.outdir / FONTS / mathfont.EXTRA
    codes = drawn(built.outdir)
    assert {0x2211, 0x222B, ord("("), 0x1D6FC, 0x1D703, 0x1D524} <= codes  # ∑ ∫ ( 𝛼 𝜃 𝔤
    have = cmap(main)
    missing = {c for c in codes if not mathfont.in_extra(c)} - have
    assert not missing, f"subset lacks {[hex(c) for c in sorted(missing)]}"
    assert 0x1D524 in cmap(extra) and 0x1D524 not in have  # fraktur g, from the second face
    assert 0x221A in have, "the radical <msqrt> draws"
    assert ord("Q") not in have and 0x2A00 not in have, "nothing the site does not use"
    full = mathfont.full_font().stat().st_size
    size = main.stat().st_size + extra.stat().st_size
    assert size < 30_000 and size * 10 < full, (size, full)
    print(f"math font: {full} B shipped -> {main.stat().st_size} + {extra.stat().st_size} B")


def test_subset_keeps_the_math_table_and_stretchy_variants(built) -> None:  # type: ignore[no-untyped-def]
    font = TTFont(io.BytesIO((built.outdir / FONTS / mathfont.MAIN).read_bytes()))
    variants = font["MATH"].table.MathVariants
    order = set(font.getGlyphOrder())
    vertical = dict(
        zip(variants.VertGlyphCoverage.glyphs, variants.VertGlyphConstruction, strict=True)
    )
    cmap_ = font.getBestCmap()
    for char, least in (("(", 4), ("\u221a", 4), ("\u2211", 2), ("\u222b", 2)):
        construction = vertical[cmap_[ord(char)]]
        names = [record.VariantGlyph for record in construction.MathGlyphVariantRecord]
        assert len(names) >= least and set(names) <= order, (char, names)
    paren = vertical[cmap_[ord("(")]].GlyphAssembly
    assert paren is not None and {p.glyph for p in paren.PartRecords} <= order


def test_parallel_build_writes_the_same_bytes(built, tmp_path) -> None:  # type: ignore[no-untyped-def]
    parallel = build_root(ROOT, tmp_path, parallel=2)
    for name in (mathfont.MAIN, mathfont.EXTRA):
        assert (parallel.outdir / FONTS / name).read_bytes() == (
            built.outdir / FONTS / name
        ).read_bytes()


def test_incremental_build_keeps_pages_not_reread(built, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = build_root(ROOT, tmp_path)
    post = first.srcdir / "posts" / "stretchy" / "index.md"
    post.write_text(
        post.read_text(encoding="utf-8").replace("a fraktur $\\mathfrak{g}$", "no fraktur"),
        encoding="utf-8",
    )
    again = build_root(ROOT, tmp_path)
    assert "posts/integral/index" not in re.findall(r"\] (\S+)", again.status.split("writing")[0])
    have = cmap(again.outdir / FONTS / mathfont.MAIN)
    assert {0x222B, 0x1D703} <= have, "the unread post's integral and theta are still there"
    assert 0x1D524 not in cmap(again.outdir / FONTS / mathfont.EXTRA), "the removed fraktur went"
    clean = build_root(ROOT, tmp_path / "clean", src=first.srcdir)
    assert (clean.outdir / FONTS / mathfont.MAIN).read_bytes() == (
        again.outdir / FONTS / mathfont.MAIN
    ).read_bytes()


def test_subsets_are_kept_between_builds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every build subsets the font after reading (a no-change rebuild too); the doctree
    folder keeps the last build's two subsets, so the next build reads them instead of
    spending about a second in fontTools, and the folder never grows with edits."""
    first = build_root(ROOT, tmp_path)
    cache = Path(first.app.doctreedir) / "article-math-font"
    kept = {path.read_bytes(): path for path in cache.glob("*.woff2")}
    assert len(kept) == 2
    served = {
        name: (first.outdir / FONTS / name).read_bytes() for name in (mathfont.MAIN, mathfont.EXTRA)
    }
    assert set(kept) == set(served.values())
    mathfont._subset_cached.cache_clear()
    marker = b"wOF2 kept from the last build"
    kept[served[mathfont.MAIN]].write_bytes(marker)
    again = build_root(ROOT, tmp_path)  # nothing changed: the kept subset is served
    assert (again.outdir / FONTS / mathfont.MAIN).read_bytes() == marker
    post = first.srcdir / "posts" / "stretchy" / "index.md"
    post.write_text(
        post.read_text(encoding="utf-8").replace("a fraktur $\\mathfrak{g}$", "no fraktur"),
        encoding="utf-8",
    )
    build_root(ROOT, tmp_path)  # the rare alphabet lost a letter: its new subset is kept,
    names = {path.name for path in cache.glob("*.woff2")}  # the old one pruned
    assert len(names) == 2
    assert kept[served[mathfont.MAIN]].name in names
    assert kept[served[mathfont.EXTRA]].name not in names


def test_without_fonttools_the_full_font_is_served(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    mathfont._subset_cached.cache_clear()
    monkeypatch.setitem(sys.modules, "fontTools", None)
    result = build_root(ROOT, tmp_path)
    for name in (mathfont.MAIN, mathfont.EXTRA):
        assert (result.outdir / FONTS / name).read_bytes() == (SHIPPED / name).read_bytes()
    assert not warning_lines(result), result.warnings
    assert "math font is served whole" in result.status
    # no preload of a 224 KB font
    assert not read_html(result.app, "posts/stretchy/index").select("link[rel=preload][as=font]")


def test_small_subset_is_preloaded(built) -> None:  # type: ignore[no-untyped-def]
    links = read_html(built.app, "posts/stretchy/index").select("link[rel=preload][as=font]")
    assert [link["href"].split("?")[0].endswith("fonts/article-math.woff2") for link in links] == [
        True
    ]
    assert not read_html(built.app, "index").select("link[rel=preload][as=font]")


MEASURE = """() => [...document.querySelectorAll('.math-display math')].map(m => {
    const mo = [...m.querySelectorAll('mo')].map(o => o.getBoundingClientRect().height);
    const r = m.getBoundingClientRect();
    return [Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10, Math.max(0, ...mo)] })"""


def _measure(tab, url: str) -> tuple[list, list]:  # type: ignore[no-untyped-def]
    tab.goto(url)
    tab.wait_for_function("document.fonts.status === 'loaded'")
    faces = tab.evaluate("""() => [...document.fonts].filter(f => f.family.includes('Article Math'))
        .map(f => f.status)""")
    return tab.evaluate(MEASURE), faces


@pytest.mark.browser
def test_chromium_draws_every_glyph_from_the_subset(built, browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    full_site = tmp_path / "full"
    shutil.copytree(built.outdir, full_site)
    for name in (mathfont.MAIN, mathfont.EXTRA):
        shutil.copyfile(SHIPPED / name, full_site / FONTS / name)
    results = {}
    for label, outdir in (("subset", built.outdir), ("full", full_site)):
        for url in serve(outdir):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            tab = context.new_page()
            sizes: dict[str, int] = {}
            tab.on(
                "response",
                lambda r, s=sizes: (
                    s.__setitem__(r.url.split("/")[-1], len(r.body()))
                    if r.url.endswith(".woff2")
                    else None
                ),
            )
            shapes, faces = _measure(tab, url + "posts/stretchy/index.html")
            assert faces and all(status == "loaded" for status in faces), faces
            # every text node in the formulas is drawn with the Article fonts, none by fallback
            cdp = context.new_cdp_session(tab)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
            ids = cdp.send(
                "DOM.querySelectorAll",
                {"nodeId": root, "selector": "math mi, math mo, math mn, math mtext"},
            )["nodeIds"]
            used = {
                f["familyName"]
                for i in ids
                for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": i})["fonts"]
            }
            if label == "subset":
                screenshot(tab, "math-font-subset")
                assert (
                    sizes.get(mathfont.MAIN)
                    == (built.outdir / FONTS / mathfont.MAIN).stat().st_size
                )
            results[label] = (shapes, used)
            context.close()
    (subset_shapes, subset_used), (full_shapes, full_used) = results["subset"], results["full"]
    assert subset_used and subset_used <= {"Article Math", "Article Script"}, subset_used
    assert "Article Math" in full_used
    assert subset_shapes == full_shapes, (subset_shapes, full_shapes)
    paren, _radical, total = subset_shapes
    assert paren[2] > 1.5 * 16, f"\\left( ... \\right) around a fraction is stretched: {paren}"
    assert total[2] > 1.4 * 16, f"display \\sum is the large variant: {total}"
