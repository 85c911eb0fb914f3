"""Wide display equations in Chromium at 1400 and 390 px: a long formula scrolls in its
own row with a visible edge cue, the row is a keyboard-focusable group named after the
equation's number, the number drops below on a phone, the page never scrolls sideways,
and ``:width: page`` widens an equation into the margin column."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import build_root, run_axe, screenshot, serve

pytestmark = pytest.mark.browser

POST = "posts/constructs/index.html"
ROWS = """() => [...document.querySelectorAll('.math-display')].map((d) => {
  const rows = d.querySelector('.math-rows'), no = d.querySelector('.eqno');
  const r = rows.getBoundingClientRect();
  let n = null;
  if (no) { const range = document.createRange(); range.selectNodeContents(no.firstChild);
            n = range.getBoundingClientRect(); }  // the number's text, not its box
  return {number: no ? no.textContent.replace('¶', '').trim() : '',
          wide: d.classList.contains('article-width-page'),
          width: r.width, left: r.left, bottom: r.bottom, top: r.top,
          scrolls: rows.scrollWidth > rows.clientWidth + 1,
          tabindex: rows.getAttribute('tabindex'), role: rows.getAttribute('role'),
          label: rows.getAttribute('aria-label'),
          background: getComputedStyle(rows).backgroundImage,
          numberTop: n ? n.top : null, numberLeft: n ? n.left : null};
})"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    built = build_root("test-pdf-math", tmp_path_factory.mktemp("eqlayout"))
    yield from serve(built.outdir)


def _open(browser, site: str, width: int):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.goto(site + POST)
    tab.wait_for_function("document.fonts.status === 'loaded'")
    tab.wait_for_timeout(100)
    return context, tab


def _by_number(rows: list[dict], number: str) -> dict:
    return next(r for r in rows if r["number"] == number)


def test_wide_screen(browser, site) -> None:  # type: ignore[no-untyped-def]
    context, tab = _open(browser, site, 1400)
    try:
        rows = tab.evaluate(ROWS)
        body = _by_number(rows, "(2)")  # the long equation in the body column
        page_wide = _by_number(rows, "(3)")  # the same, with :width: page
        assert page_wide["wide"] and page_wide["width"] > body["width"] + 150
        assert all("radial-gradient" in r["background"] for r in rows)  # the edge cue
        for row in rows:  # only an overflowing row is a tab stop
            if row["scrolls"]:
                assert row["tabindex"] == "0" and row["role"] == "group"
                assert row["label"].startswith(f"Equation {row['number']}".rstrip())
            else:
                assert row["tabindex"] is None and row["label"] is None
        assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth")
        screenshot(tab, "equation-layout-1400")
        tab.locator(".math-display.article-width-page").screenshot(
            path=str(screenshot.__globals__["ARTIFACTS"] / "equation-layout-1400-page.png")
        )
    finally:
        context.close()


def test_phone(browser, site) -> None:  # type: ignore[no-untyped-def]
    context, tab = _open(browser, site, 390)
    try:
        rows = tab.evaluate(ROWS)
        long_one = _by_number(rows, "(2)")
        assert long_one["scrolls"] and long_one["tabindex"] == "0"
        assert long_one["label"] == "Equation (2), scrolls sideways"
        # the number sits under the formula, at the right
        assert long_one["numberTop"] >= long_one["bottom"] - 1
        assert long_one["numberLeft"] > 390 / 2
        # the page never scrolls sideways, even with a page-wide equation
        assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth")
        # the keyboard reaches the row and scrolls it
        tab.focus(".math-display:has(.eqno) .math-rows.article-scrolls >> nth=0")
        before = tab.evaluate("document.activeElement.scrollLeft")
        tab.keyboard.press("ArrowRight")
        tab.keyboard.press("ArrowRight")
        tab.wait_for_timeout(300)
        assert tab.evaluate("document.activeElement.scrollLeft") > before
        outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        screenshot(tab, "equation-layout-390")
        violations = [v["id"] for v in run_axe(tab)]
        assert "scrollable-region-focusable" not in violations, violations
        assert "aria-prohibited-attr" not in violations, violations
    finally:
        context.close()
