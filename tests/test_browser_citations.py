"""Popovers and the copy button in a real headless Chromium (WCAG 1.4.13: hoverable,
persistent, dismissible), on the served example site."""

from __future__ import annotations

import pytest

from conftest import build_root, screenshot, serve

pytestmark = pytest.mark.browser

POST = "posts/gradient-times-input/index.html"
POPOVER = ".article-popover"


def first_cite(tab):  # type: ignore[no-untyped-def]
    return tab.locator("a.article-cite").first


def test_citation_popover_on_hover_stays_and_escapes(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + POST)
    cite = first_cite(page)
    cite.scroll_into_view_if_needed()
    cite.hover()
    popover = page.locator(POPOVER)
    popover.wait_for(state="visible", timeout=2000)
    href = cite.get_attribute("href")
    entry = page.locator(f"{href} .article-reference__text").inner_text()
    assert popover.inner_text().strip() == entry.strip()
    assert cite.get_attribute("aria-describedby") == popover.get_attribute("id")
    # the formatted reference keeps its DOI/URL link
    assert popover.locator("a[href^='http']").count() >= 1
    screenshot(page, "citation-popover-hover", full_page=False)
    # move the pointer from the link onto the popover, in small steps: it stays
    box = popover.bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    page.wait_for_timeout(700)
    assert popover.is_visible()
    # Escape dismisses it without moving the pointer
    page.keyboard.press("Escape")
    assert page.locator(POPOVER).count() == 0
    # leaving for elsewhere closes a reopened popover
    cite.hover()
    page.locator(POPOVER).wait_for(state="visible", timeout=2000)
    page.mouse.move(5, 5)
    page.wait_for_timeout(700)
    assert page.locator(POPOVER).count() == 0


def test_citation_popover_on_keyboard_focus(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + POST)
    page.locator("a.article-cite").first.focus()
    # Tab goes through the first citation's popover links (DOI, URL), then to the second citation
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.article-popover') === null"):
            break
    focused = page.evaluate("document.activeElement.className")
    assert "article-cite" in focused
    popover = page.locator(POPOVER)
    popover.wait_for(state="visible", timeout=2000)
    page.wait_for_timeout(700)
    assert popover.is_visible(), "stays while the link has focus"
    screenshot(page, "citation-popover-focus", full_page=False)
    page.keyboard.press("Escape")
    assert page.locator(POPOVER).count() == 0
    assert "article-cite" in page.evaluate("document.activeElement.className")
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")  # coming back reopens it
    page.locator(POPOVER).wait_for(state="visible", timeout=2000)


def test_without_script_a_citation_is_a_link_to_its_entry(browser, site_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1400, "height": 900}
    )
    tab = context.new_page()
    try:
        tab.goto(site_url + POST)
        cite = first_cite(tab)
        href = cite.get_attribute("href")
        cite.click()
        assert tab.evaluate("location.hash") == href
        assert tab.locator(f"li{href}").is_visible()
        assert tab.locator("button.article-copy").is_hidden()
        assert tab.locator("a.article-download").is_visible()
    finally:
        context.close()


def test_tap_opens_the_popover_on_touch(browser, site_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    tab = context.new_page()
    try:
        tab.goto(site_url + POST)
        cite = first_cite(tab)
        cite.scroll_into_view_if_needed()
        cite.tap()
        tab.locator(POPOVER).wait_for(state="visible", timeout=2000)
        assert tab.evaluate("location.hash") == "", "the first tap previews, it does not jump"
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        screenshot(tab, "citation-popover-touch", full_page=False)
    finally:
        context.close()


def test_figure_and_equation_previews(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "posts/attention-revisited/index.html")
    numref = page.locator("a.reference.internal[href='#fig-attention-map']").first
    numref.scroll_into_view_if_needed()
    numref.hover()
    popover = page.locator(".article-popover--figure")
    popover.wait_for(state="visible", timeout=2000)
    assert popover.locator("img").count() == 1
    assert popover.locator("[id]").count() == 0, "the preview repeats no id"
    screenshot(page, "figure-popover", full_page=False)
    page.keyboard.press("Escape")
    eq = page.locator("a.reference.internal[href='#equation-attention']").first
    eq.hover()
    page.locator(".article-popover--figure").wait_for(state="visible", timeout=2000)
    screenshot(page, "equation-popover", full_page=False)


def test_copy_button_copies_the_bibtex(browser, site_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    tab = context.new_page()
    try:
        tab.goto(site_url + POST)
        button = tab.locator("button.article-copy")
        button.scroll_into_view_if_needed()
        assert button.is_visible()
        button.click()
        status = tab.locator(".article-copy__status")
        status.wait_for(state="visible", timeout=2000)
        assert "Copied" in status.inner_text()
        copied = tab.evaluate("navigator.clipboard.readText()")
        shown = tab.locator("pre.article-bibtex").inner_text()
        assert copied.strip() == shown.strip()
        assert copied.startswith("@inproceedings{lovelace2026gradient,")
        screenshot(tab, "cite-this-copied", full_page=False)
        # the download is the same entry
        bib = tab.evaluate(
            "fetch(document.querySelector('a.article-download').href).then(r => r.text())"
        )
        assert bib.strip() == shown.strip()
    finally:
        context.close()


def test_appendix_screenshot(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + POST)
    page.locator(".article-appendix").scroll_into_view_if_needed()
    page.locator(".article-appendix").screenshot(
        path=str(screenshot(page, "appendix-1400", full_page=False))
    )


@pytest.fixture(scope="module")
def footnote_site(tmp_path_factory):  # type: ignore[no-untyped-def]
    built = build_root("test-appendix", tmp_path_factory.mktemp("fnsite"))
    yield from serve(built.outdir)


def test_footnote_popover_when_footnotes_are_not_sidenotes(page, footnote_site) -> None:  # type: ignore[no-untyped-def]
    page.goto(footnote_site + "posts/full/index.html")
    ref = page.locator("a.footnote-reference").first
    ref.hover()
    popover = page.locator(".article-popover--footnote")
    popover.wait_for(state="visible", timeout=2000)
    assert popover.inner_text().strip() == "The footnote\u2019s text."
    page.keyboard.press("Escape")
    assert page.locator(".article-popover").count() == 0
