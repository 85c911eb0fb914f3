"""axe-core (from npm, injected from disk) finds no violation on any example page, in
light and dark mode and at 320 px; every control is reachable by keyboard with a
visible focus indicator."""

from __future__ import annotations

import pytest

from conftest import run_axe

pytestmark = pytest.mark.browser

PAGES = [
    "index.html",
    "about.html",
    "posts/gradient-times-input/index.html",
    "posts/attention-revisited/index.html",
    "posts/diffusion-in-motion/index.html",
    "posts/calibration-correction/index.html",
]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(
            n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
            for n in v["nodes"][:4]
        )
        for v in violations
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1400, 320])
def test_axe_finds_no_violation(browser, site_url, scheme, width) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    tab = context.new_page()
    try:
        problems = {}
        for path in PAGES:
            tab.goto(site_url + path)
            violations = run_axe(tab)
            if violations:
                problems[path] = describe(violations)
        assert not problems, "\n\n".join(f"{p}:\n{d}" for p, d in problems.items())
    finally:
        context.close()


def test_every_control_is_reachable_by_keyboard_with_visible_focus(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + PAGES[2])
    controls = page.evaluate(
        """() => [...document.querySelectorAll('a[href], button, input, summary, [tabindex]')]
             .filter(el => el.tabIndex >= 0 && el.offsetParent !== null
                      && getComputedStyle(el).visibility !== 'hidden').length"""
    )
    seen = set()
    for _ in range(controls):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const el = document.activeElement; const s = getComputedStyle(el);
                 return [el.outerHTML.slice(0, 80), s.outlineStyle !== 'none' || s.boxShadow !== 'none',
                         el === document.body || el.tagName === 'IFRAME'] }"""
        )
        if info[2]:  # focus left the page (end of the tab order) or entered a frame
            continue
        seen.add(info[0])
        assert info[1], f"no visible focus indicator on {info[0]}"
    assert len(seen) >= min(controls, 10)
