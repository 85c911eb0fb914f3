"""The page frame in a real headless Chromium: widths, dark mode, print, no third-party
requests (the ``page`` fixture fails any test that makes one)."""

from __future__ import annotations

import pytest

from conftest import screenshot

pytestmark = pytest.mark.browser

POSTS = [
    "posts/gradient-times-input/index.html",
    "posts/attention-revisited/index.html",
    "posts/diffusion-in-motion/index.html",
    "posts/calibration-correction/index.html",
]
PAGES = ["index.html", "about.html", *POSTS]
POST = POSTS[0]


def background(tab) -> str:  # type: ignore[no-untyped-def]
    return tab.evaluate("getComputedStyle(document.body).backgroundColor")


def test_no_horizontal_scroll_at_320px(browser, site_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 320, "height": 720})
    tab = context.new_page()
    try:
        for path in PAGES:
            tab.goto(site_url + path)
            width = tab.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path} scrolls horizontally: {width}px wide"
        tab.goto(site_url + POST)
        screenshot(tab, "post-320-light", full_page=False)
        # the table of contents collapses on narrow screens and opens with the keyboard
        summary = tab.locator(".article-toc summary")
        assert summary.is_visible()
    finally:
        context.close()


def test_title_block_and_grid_at_1400px(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + POST)
    title = page.locator("h1.article-title").bounding_box()
    assert title and title["y"] < 900 and title["height"] > 0
    toc = page.locator("nav.article-toc").bounding_box()
    body = page.locator("article.article-body").bounding_box()
    assert toc and body and toc["x"] + toc["width"] <= body["x"], "toc sits left of the body"
    # the body leaves a margin column to its right
    assert body["x"] + body["width"] <= 1400 - 200
    screenshot(page, "post-1400-light", full_page=False)
    page.mouse.wheel(0, 1500)
    assert page.locator("nav.article-toc").bounding_box()["y"] >= 0, "toc is sticky"


def test_dark_mode_toggle_is_remembered(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + POST)
    light = background(page)
    toggle = page.locator("button[data-theme-toggle]")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert toggle.get_attribute("aria-pressed") == "true"
    dark = background(page)
    assert dark != light
    screenshot(page, "post-1400-dark", full_page=False)
    page.reload()
    assert background(page) == dark, "the choice survives a reload"
    page.keyboard.press("Tab")  # skip link, then header controls: the toggle is reachable
    toggle.focus()
    page.keyboard.press("Enter")
    assert background(page) == light


def test_system_dark_preference(browser, site_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme="dark")
    tab = context.new_page()
    try:
        tab.goto(site_url + POST)
        assert background(tab) == "rgb(22, 24, 29)"
        screenshot(tab, "post-1400-system-dark", full_page=False)
    finally:
        context.close()


def test_print_stylesheet(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + POST)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator("nav.article-toc").is_hidden()
    assert page.locator("h1.article-title").is_visible()
