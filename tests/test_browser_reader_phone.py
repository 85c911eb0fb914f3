"""Phone reading mode at 390 px (issue 15) and the current section in the contents:
one-row header, compact byline, a floating "Contents" button, tap targets of at least
24 px (WCAG 2.5.8), numbers kept with their words.  Plus screenshots of every example
post at 390 and 1400 px, light and dark, and printed from dark, to be looked at."""

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
POST = POSTS[0]
#: Controls that are not inline links in a sentence (those are exempt from 2.5.8).
TARGETS = (
    ".site-header a, .site-header button, .site-header input, a.orcid, a.corresponding, "
    "button.article-note__toggle, nav.article-toc a, nav.article-toc summary, .article-toc-fab, "
    ".article-zoom-button, button.copybtn, .article-copy, .article-download, .post-card__tags a"
)


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    tab = context.new_page()
    yield tab
    context.close()


def test_phone_header_is_one_row(phone, site_url) -> None:  # type: ignore[no-untyped-def]
    for path in ["index.html", POST]:
        phone.goto(site_url + path)
        rows = phone.evaluate("""() => { const h = document.querySelector('.site-header');
            const tops = [...h.querySelectorAll(':scope > *')].filter(e => e.getClientRects().length)
              .map(e => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2));
            return [new Set(tops.map(t => Math.round(t / 8))).size, h.getBoundingClientRect().height] }""")
        assert rows[0] == 1 and rows[1] <= 60, f"{path}: header in {rows[0]} rows, {rows[1]}px tall"
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_phone_byline_is_two_columns_and_text_starts_soon(phone, site_url) -> None:  # type: ignore[no-untyped-def]
    phone.goto(site_url + POST)
    columns = phone.evaluate("""() => new Set([...document.querySelectorAll('.article-byline > .byline-field')]
        .map(f => Math.round(f.getBoundingClientRect().left))).size""")
    assert columns == 2, f"the byline stacks into {columns} column(s)"
    byline = phone.locator(".article-byline").bounding_box()
    assert byline["y"] + byline["height"] < 844, "the byline ends below the first screen"
    screenshot(phone, "reader-phone-top", full_page=False)


def test_phone_has_a_contents_button_with_the_current_section(phone, site_url) -> None:  # type: ignore[no-untyped-def]
    phone.goto(site_url + POST)
    fab = phone.locator(".article-toc-fab")
    assert fab.is_hidden(), "the inline contents are in view at the top"
    heading = phone.locator("article.article-body section > h2").nth(1)
    heading.evaluate("h => window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 60)")
    phone.wait_for_timeout(300)
    assert fab.is_visible(), (
        "no floating Contents button once the inline contents have scrolled away"
    )
    box = fab.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    fab.tap()
    panel = phone.locator("#article-toc-panel")
    assert panel.is_visible() and fab.get_attribute("aria-expanded") == "true"
    current = panel.locator('a[aria-current="true"]')
    assert current.count() == 1
    title = heading.evaluate("h => h.firstChild.textContent.trim()")
    assert current.inner_text().strip() == title, (current.inner_text(), title)
    screenshot(phone, "reader-phone-contents", full_page=False)
    # following a link closes the panel
    panel.locator("a").first.tap()
    assert panel.is_hidden()


def test_sticky_toc_highlights_the_current_section_and_starts_at_the_first_line(
    page, site_url
) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + POST)
    # its top sits level with the text's first line
    toc_link = page.locator("nav.article-toc summary").bounding_box()
    first = page.locator("article.article-body p").first.bounding_box()
    assert abs(toc_link["y"] - first["y"]) <= 12, (
        f"toc starts at {toc_link['y']}, text at {first['y']}"
    )
    heading = page.locator("article.article-body section > h2").nth(2)
    heading.evaluate("h => window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 60)")
    page.wait_for_timeout(300)
    current = page.locator('nav.article-toc a[aria-current="true"]')
    assert current.count() == 1
    assert current.inner_text().strip() == heading.evaluate("h => h.firstChild.textContent.trim()")
    assert current.evaluate("a => getComputedStyle(a).borderLeftColor") != "rgba(0, 0, 0, 0)"
    screenshot(page, "reader-toc-current", full_page=False)


def test_tap_targets_are_at_least_24px(phone, site_url) -> None:  # type: ignore[no-untyped-def]
    small = {}
    for path in ["index.html", "search.html", *POSTS]:
        phone.goto(site_url + path)
        phone.evaluate(
            "document.querySelectorAll('nav.article-toc details').forEach(d => d.open = true)"
        )
        found = phone.evaluate(
            """(sel) => [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length)
            .map(e => { const r = e.getBoundingClientRect(); return [e.outerHTML.slice(0, 70), r.width, r.height] })
            .filter(([, w, h]) => w < 24 || h < 24)""",
            TARGETS,
        )
        if found:
            small[path] = found
    assert not small, small


def test_numbers_stay_with_their_words(phone, site_url) -> None:  # type: ignore[no-untyped-def]
    phone.goto(site_url + POST)
    styles = phone.evaluate("""() => [...document.querySelectorAll('.caption-number, span.std-numref, a.reference.internal span.std-ref, .eqno')]
        .map(e => [e.textContent, getComputedStyle(e).whiteSpace])""")
    assert styles
    assert all(ws == "nowrap" for _, ws in styles), styles


@pytest.mark.parametrize("post", POSTS)
def test_screenshots_of_every_post(browser, site_url, post) -> None:  # type: ignore[no-untyped-def]
    name = post.split("/")[1]
    for width in (390, 1400):
        for scheme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": width, "height": 900}, color_scheme=scheme
            )
            tab = context.new_page()
            tab.goto(site_url + post)
            tab.wait_for_load_state("networkidle")
            screenshot(tab, f"reader-{name}-{width}-{scheme}")
            if scheme == "dark" and width == 1400:
                tab.emulate_media(media="print")
                screenshot(tab, f"reader-{name}-print-from-dark")
            context.close()
