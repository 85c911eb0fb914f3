"""Coloured equations in Chromium: math without script, linked highlighting by hover
and keyboard focus, dark mode, and the example post."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import ARTIFACTS, EXAMPLE, build_root, run_axe, screenshot, serve

pytestmark = pytest.mark.browser

VISUAL = "posts/visual/index.html"
EXAMPLE_POST = "posts/gradient-times-input/index.html"
STYLES = """(term) => [...document.querySelectorAll(`.eqterm[data-term="${term}"]`)].map(
  (e) => { const s = getComputedStyle(e); return [e.tagName.toLowerCase(), s.backgroundColor,
  s.outlineStyle, s.color]; })"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    built = build_root("test-equations", tmp_path_factory.mktemp("eqbrowser"))
    yield from serve(built.outdir)


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    built = build_root("example", tmp_path_factory.mktemp("example-eq"), src=EXAMPLE)
    yield from serve(built.outdir)


def _styles(tab, term: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return tab.evaluate(STYLES, term)


def test_math_is_drawn_without_javascript(browser, site) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1200, "height": 900}
    )
    tab = context.new_page()
    try:
        tab.goto(site + VISUAL)
        boxes = tab.evaluate("""() => [...document.querySelectorAll('math')].map((m) => {
            const r = m.getBoundingClientRect(); return [r.width, r.height]; })""")
        assert len(boxes) >= 2 and all(w > 20 and h > 10 for w, h in boxes), boxes
        colours = {row[3] for row in _styles(tab, "grad")}
        assert len(colours) == 1 and "rgb(0, 0, 0)" not in colours  # static colours, no JS
        screenshot(tab, "equations-nojs")
        tab.locator("#equation-first").screenshot(
            path=str(ARTIFACTS / "equations-nojs-formula.png")
        )
    finally:
        context.close()


def test_hovering_a_legend_entry_highlights_every_matching_term(page, site) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + VISUAL)
    before = _styles(page, "grad")
    other = _styles(page, "input")
    page.hover('li.eqterm-legend-item:has(.eqterm-key[data-term="grad"]) >> nth=0')
    after = _styles(page, "grad")
    assert len(after) == 5  # two equations, two legend keys, one prose term
    assert all(a[1] != b[1] and a[2] == "solid" for a, b in zip(after, before, strict=False)), after
    assert _styles(page, "input") == other
    screenshot(page, "equations-hover-legend", full_page=False)
    page.mouse.move(0, 0)
    assert _styles(page, "grad") == before


def test_hovering_a_prose_term_highlights_the_equations(page, site) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + VISUAL)
    before = _styles(page, "input")
    page.hover('a.eqterm-ref[data-term="input"]')
    after = _styles(page, "input")
    assert {row[0] for row in after} == {"mrow", "span", "a"}
    assert all(a[1] != b[1] for a, b in zip(after, before, strict=False)), after


def test_keyboard_focus_highlights_every_matching_term(page, site) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + VISUAL)
    before = _styles(page, "score")
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.getAttribute('data-term')")
        if focused == "score":
            break
    assert focused == "score"
    after = _styles(page, "score")
    assert all(a[1] != b[1] for a, b in zip(after, before, strict=False)), after
    assert _styles(page, "grad")[0][1] == "rgba(0, 0, 0, 0)"
    screenshot(page, "equations-focus", full_page=False)


def test_dark_mode_uses_the_dark_variants(browser, site) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(color_scheme="dark", viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(site + VISUAL)
        key = tab.locator('.eqterm-key[data-term="score"]').first
        dark = key.evaluate("(e) => getComputedStyle(e).color")
        light_var = key.evaluate("(e) => e.style.getPropertyValue('--eqterm-text-light')")
        dark_var = key.evaluate("(e) => e.style.getPropertyValue('--eqterm-text-dark')")
        assert light_var != dark_var
        r, g, b = (int(dark_var[i : i + 2], 16) for i in (1, 3, 5))
        assert dark == f"rgb({r}, {g}, {b})"
        screenshot(tab, "equations-dark", full_page=False)
    finally:
        context.close()


def test_example_post_builds_a_visual_language(page, example_site) -> None:  # type: ignore[no-untyped-def]
    page.goto(example_site + EXAMPLE_POST)
    equations = page.locator(".colored-equation")
    assert equations.count() >= 3
    terms = page.evaluate("""() => [...new Set([...document.querySelectorAll(
        '.eqterm-ref[data-term]')].map((e) => e.dataset.term))]""")
    assert len(terms) >= 3
    page.locator(".colored-equation").first.scroll_into_view_if_needed()
    screenshot(page, "equations-example-post")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    page.locator("#equation-integrated-gradients").scroll_into_view_if_needed()
    screenshot(page, "equations-example-320px", full_page=False)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations(browser, site, scheme: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(site + VISUAL)
        violations = run_axe(tab)
        assert not violations, [
            (v["id"], [n["html"][:120] for n in v["nodes"]]) for v in violations
        ]
    finally:
        context.close()
