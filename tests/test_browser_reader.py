"""The reader's page in Chromium (issue 15): every theme-dependent style follows the
resolved theme (system, or the toggle when it disagrees), print is always light, the
table of contents works without ``::details-content``, the appendix spans the page,
home pages keep a reading measure.  Each test is named after the defect it guards."""

from __future__ import annotations

import re

import pytest

from conftest import run_axe, screenshot

pytestmark = pytest.mark.browser

POSTS = [
    "posts/gradient-times-input/index.html",
    "posts/attention-revisited/index.html",
    "posts/diffusion-in-motion/index.html",
    "posts/calibration-correction/index.html",
]
PAGES = ["index.html", "about.html", *POSTS]
CODE_POST = POSTS[0]  # has a highlighted code block, a dark hero variant, math
OPPOSITE = {"light": "dark", "dark": "light"}

# WCAG relative luminance and contrast, computed in the page from computed colours.
CONTRAST_JS = """
(args) => {
  const [selector, bgSelector] = args;
  const parse = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (rgb) => { const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const bgOf = (el) => { for (let e = el; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor; if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return parse(c); } return [255, 255, 255]; };
  return [...document.querySelectorAll(selector)].filter(el => el.getClientRects().length && el.textContent.trim())
    .map(el => [el.className || el.tagName, ratio(parse(getComputedStyle(el).color), bgSelector ? parse(getComputedStyle(el.closest(bgSelector)).backgroundColor) : bgOf(el))]);
}
"""


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']}: {v['help']} -> " + "; ".join(str(n["target"]) for n in v["nodes"][:4])
        for v in violations
    )


def new_tab(browser, width: int = 1400, scheme: str = "light", toggle: str | None = None):  # type: ignore[no-untyped-def]
    """A page in a context with the given system scheme and, optionally, a stored toggle."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    if toggle:
        context.add_init_script(f"localStorage.setItem('sphinx-article-theme', '{toggle}')")
    return context, context.new_page()


def min_contrast(tab, selector: str, bg: str | None = None) -> tuple[float, str]:  # type: ignore[no-untyped-def]
    found = tab.evaluate(CONTRAST_JS, [selector, bg])
    assert found, f"nothing matches {selector}"
    worst = min(found, key=lambda row: row[1])
    return worst[1], worst[0]


# -- Major 1: code follows the resolved theme -------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_code_blocks_follow_the_toggle_when_it_disagrees_with_the_system(
    browser, site_url, scheme
) -> None:  # type: ignore[no-untyped-def]
    context, tab = new_tab(browser, scheme=scheme, toggle=OPPOSITE[scheme])
    try:
        tab.goto(site_url + CODE_POST)
        assert tab.evaluate("document.documentElement.dataset.theme") == OPPOSITE[scheme]
        # against the background the reader sees behind each token (the nearest opaque one)
        ratio, which = min_contrast(tab, "div.highlight pre span")
        assert ratio >= 4.5, (
            f"code token {which} at {ratio:.2f}:1 with toggle {OPPOSITE[scheme]} on a {scheme} system"
        )
        block = tab.locator("div.highlight").first
        block.scroll_into_view_if_needed()
        screenshot(tab, f"reader-code-toggle-{OPPOSITE[scheme]}-on-{scheme}", full_page=False)
    finally:
        context.close()


def test_code_block_has_no_light_corners(browser, site_url) -> None:  # type: ignore[no-untyped-def]
    context, tab = new_tab(browser, scheme="dark")
    try:
        tab.goto(site_url + CODE_POST)
        styles = tab.evaluate("""() => { const d = document.querySelector('div.highlight'), p = d.querySelector('pre');
            const s = getComputedStyle(d), t = getComputedStyle(p);
            return [s.backgroundColor, t.backgroundColor, s.borderTopLeftRadius, t.borderTopLeftRadius,
                    getComputedStyle(document.documentElement).getPropertyValue('--article-code-bg').trim()] }""")
        block_bg, pre_bg, block_radius, pre_radius, token = styles
        assert block_bg == "rgb(34, 38, 46)", (
            f"the block behind the code is {block_bg}, not the dark code background"
        )
        assert pre_bg in ("rgba(0, 0, 0, 0)", block_bg)
        assert block_radius == pre_radius, "the block's corners are not rounded like its <pre>"
    finally:
        context.close()


# -- Major 2: print is always light ----------------------------------------------------


@pytest.mark.parametrize("how", ["system", "toggle"])
def test_printing_from_dark_mode_prints_light(browser, site_url, how) -> None:  # type: ignore[no-untyped-def]
    context, tab = (
        new_tab(browser, scheme="dark")
        if how == "system"
        else new_tab(browser, scheme="light", toggle="dark")
    )
    try:
        tab.goto(site_url + CODE_POST)
        tab.emulate_media(media="print")
        colours = tab.evaluate("""() => [getComputedStyle(document.documentElement).getPropertyValue('--article-bg').trim(),
            getComputedStyle(document.documentElement).getPropertyValue('--article-text-muted').trim(),
            getComputedStyle(document.body).backgroundColor, getComputedStyle(document.documentElement).colorScheme]""")
        assert colours[0] == "#ffffff" and colours[1] == "#555b65", (
            f"dark custom properties in print: {colours}"
        )
        assert colours[2] == "rgb(255, 255, 255)" and colours[3] == "light"
        for selector in (
            ".article-description",
            "figcaption",
            ".article-appendix p",
            ".byline-field a",
            "div.highlight pre span",
        ):
            ratio, which = min_contrast(tab, selector)
            assert ratio >= 4.5, f"{selector} ({which}) prints at {ratio:.2f}:1 from dark {how}"
        hero = tab.evaluate("""() => [...document.querySelectorAll('.article-hero img')]
            .map(i => [i.className, getComputedStyle(i).display])""")
        assert [d for c, d in hero if "only-dark" in c] == ["none"], hero
        assert [d for c, d in hero if "only-light" in c] == ["block"], hero
        code_bg = tab.evaluate(
            "getComputedStyle(document.querySelector('div.highlight')).backgroundColor"
        )
        assert code_bg == "rgb(243, 244, 246)", f"dark code printed: {code_bg}"
        tab.pdf(path=str(screenshot_dir() / f"reader-print-from-dark-{how}.pdf"))
    finally:
        context.close()


def screenshot_dir():  # type: ignore[no-untyped-def]
    from conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# -- Major 3: the desktop table of contents without ::details-content -------------------


def test_desktop_toc_is_open_without_details_content_pseudo_element(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + CODE_POST)
    toc = page.locator("nav.article-toc details")
    # open through the attribute, which every browser honours, not a ::details-content rule
    assert toc.evaluate("d => d.open"), "the desktop table of contents is closed"
    links = page.locator("nav.article-toc a")
    assert links.first.is_visible()
    sheets = page.evaluate("""() => [...document.styleSheets].flatMap(s => { try { return [...s.cssRules].map(r => r.cssText) } catch (e) { return [] } })
        .filter(t => t.includes('details-content') || (t.includes('summary') && t.includes('pointer-events: none')))""")
    assert not sheets, f"the contents still depend on: {sheets}"
    # it is a real control everywhere: a reader can fold it and open it again
    summary = page.locator("nav.article-toc summary")
    summary.click()
    assert not toc.evaluate("d => d.open")
    summary.click()
    assert toc.evaluate("d => d.open") and links.first.is_visible()


def test_narrow_toc_is_closed_and_opens(browser, site_url) -> None:  # type: ignore[no-untyped-def]
    context, tab = new_tab(browser, width=900)
    try:
        tab.goto(site_url + CODE_POST)
        toc = tab.locator("nav.article-toc details")
        assert not toc.evaluate("d => d.open"), "closed above the text on narrow screens"
        tab.locator("nav.article-toc summary").click()
        assert tab.locator("nav.article-toc a").first.is_visible()
    finally:
        context.close()


# -- every page: toggle != system, and print, pass axe ----------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1400, 390])
def test_every_page_passes_axe_with_toggle_opposite_the_system_and_in_print(
    browser, site_url, scheme, width
) -> None:  # type: ignore[no-untyped-def]
    context, tab = new_tab(browser, width=width, scheme=scheme, toggle=OPPOSITE[scheme])
    problems = {}
    try:
        for path in PAGES:
            tab.emulate_media(media="screen")
            tab.goto(site_url + path)
            violations = run_axe(tab)
            if violations:
                problems[f"{path} (toggle {OPPOSITE[scheme]})"] = describe(violations)
            tab.emulate_media(media="print")
            violations = run_axe(tab)
            if violations:
                problems[f"{path} (print from {OPPOSITE[scheme]})"] = describe(violations)
    finally:
        context.close()
    assert not problems, "\n\n".join(f"{p}:\n{d}" for p, d in problems.items())


# -- Minor: layout on wide screens -------------------------------------------------------


def test_appendix_and_references_span_body_and_margin_like_distill(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + CODE_POST)
    body = page.locator("article.article-body").bounding_box()
    appendix = page.locator(".article-appendix").bounding_box()
    refs = page.locator(".article-references").bounding_box()
    assert body and appendix and refs
    assert appendix["x"] == pytest.approx(body["x"], abs=2)
    assert appendix["width"] >= body["width"] + 200, (
        f"appendix {appendix['width']}px in a {body['width']}px body"
    )
    assert refs["width"] >= 600, f"references only {refs['width']}px wide"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400


@pytest.mark.parametrize("path", ["index.html", "about.html"])
def test_home_and_about_keep_a_reading_measure_on_the_header_frame(page, site_url, path) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + path)
    per_line = page.evaluate("""() => [...document.querySelectorAll('.plain-body p')].filter(p => p.textContent.length > 200).map(p => {
        const c = document.createElement('canvas').getContext('2d'); const s = getComputedStyle(p);
        c.font = `${s.fontSize} ${s.fontFamily}`; const t = p.textContent.replace(/\\s+/g, ' ');
        return p.clientWidth / (c.measureText(t).width / t.length) })""")
    assert per_line, "no long paragraph to measure"
    assert max(per_line) <= 78, f"{max(per_line):.0f} characters per line"
    home = page.locator(".site-header__home").bounding_box()
    heading = page.locator(".plain-body h1").bounding_box()
    assert heading["x"] == pytest.approx(home["x"], abs=2), (
        "the page frame does not line up with the header"
    )


# -- Major-adjacent: dark figure variants -------------------------------------------------


def test_dark_figure_variant_is_a_centred_block_without_a_jump(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + CODE_POST)
    box = page.locator(".article-hero")
    light_height = box.bounding_box()["height"]
    light_img = page.locator(".article-hero img.only-light").bounding_box()
    page.locator("button[data-theme-toggle]").click()
    dark = page.locator(".article-hero img.only-dark")
    assert dark.evaluate("i => getComputedStyle(i).display") == "block"
    dark_img = dark.bounding_box()
    assert dark_img["x"] == pytest.approx(light_img["x"], abs=1), "the dark hero is off-centre"
    assert box.bounding_box()["height"] == pytest.approx(light_height, abs=0.5), (
        "the figure jumps when toggling"
    )


def test_only_the_light_hero_is_fetched_with_high_priority(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + CODE_POST)
    priorities = page.evaluate("""() => [...document.querySelectorAll('.article-hero img')]
        .map(i => [i.className.includes('only-dark') ? 'dark' : 'light', i.getAttribute('fetchpriority'), i.getAttribute('loading')])""")
    assert ["light", "high", None] in priorities
    assert ["dark", None, "lazy"] in priorities, priorities


# -- small things every page has --------------------------------------------------------


def test_one_viewport_meta_and_a_favicon_without_404(page, site_url) -> None:  # type: ignore[no-untyped-def]
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(site_url + CODE_POST)
    page.wait_for_load_state("networkidle")
    assert page.locator('meta[name="viewport"]').count() == 1
    icon = page.locator('link[rel="icon"]')
    assert icon.count() == 1
    assert page.request.get(
        icon.get_attribute("href")
        and page.evaluate("document.querySelector('link[rel=icon]').href")
    ).ok
    assert not failed, failed


def test_pre_with_an_aria_label_has_a_role(browser, site_url) -> None:  # type: ignore[no-untyped-def]
    context, tab = new_tab(browser, width=390)
    try:
        for path in POSTS:
            tab.goto(site_url + path)
            bad = tab.evaluate("""() => [...document.querySelectorAll('pre[aria-label]')]
                .filter(p => !p.getAttribute('role')).map(p => p.outerHTML.slice(0, 60))""")
            assert not bad, f"{path}: {bad}"
    finally:
        context.close()


def test_equation_legend_keys_add_no_tab_stops(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + CODE_POST)
    keys = page.locator(".eqterm-key")
    assert keys.count() > 0
    assert (
        page.evaluate(
            "[...document.querySelectorAll('.eqterm-key')].filter(k => k.tabIndex >= 0).length"
        )
        == 0
    )


def test_explorable_follows_the_manual_theme(browser, site_url) -> None:  # type: ignore[no-untyped-def]
    context, tab = new_tab(browser, scheme="light")
    try:
        tab.goto(site_url + "posts/diffusion-in-motion/index.html")
        frame_el = tab.locator(".article-interactive__frame iframe")
        frame_el.scroll_into_view_if_needed()
        frame = frame_el.element_handle().content_frame()
        frame.wait_for_selector("canvas")
        light = frame.evaluate("getComputedStyle(document.body).backgroundColor")
        tab.locator("button[data-theme-toggle]").click()
        tab.wait_for_timeout(200)
        dark = frame.evaluate("getComputedStyle(document.body).backgroundColor")
        assert light != dark, "the explorable ignored the toggle"
        assert dark == "rgb(22, 24, 29)"
    finally:
        context.close()


def test_search_results_have_snippets_and_a_styled_form(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "search.html?q=saliency")
    page.locator("#search-results li").first.wait_for(timeout=15000)
    page.wait_for_function(
        "document.querySelector('#search-results .context') !== null", timeout=15000
    )
    snippets = page.locator("#search-results .context").all_inner_texts()
    assert any("saliency" in s.lower() for s in snippets), snippets
    height = page.locator("form.article-search-form input[type=search]").bounding_box()["height"]
    assert height >= 24
    screenshot(page, "reader-search", full_page=False)


def test_popover_links_are_reachable_by_keyboard(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + CODE_POST)
    cite = page.locator("a.article-cite").first
    cite.focus()
    popover = page.locator(".article-popover")
    popover.wait_for()
    links = popover.locator("a[href]")
    assert links.count() > 0, "this citation's popover has no DOI/URL link"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.article-popover') !== null"), (
        "Tab did not enter the popover"
    )
    assert page.evaluate("document.activeElement.tagName") == "A"
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.classList.contains('article-cite')"), (
        "Escape returns to the citation"
    )
    assert popover.count() == 0


def test_numeric_table_columns_are_right_aligned_and_cells_have_no_paragraph_margins(
    page, site_url
) -> None:  # type: ignore[no-untyped-def]
    found = []
    for path in POSTS:
        page.goto(site_url + path)
        found += page.evaluate("""() => [...document.querySelectorAll('main table')].flatMap(t => [...t.tBodies[0].rows].flatMap(r => [...r.cells]))
            .map(c => [c.textContent.trim(), getComputedStyle(c).textAlign, [...c.querySelectorAll('p')].map(p => getComputedStyle(p).marginBottom)])""")
    numbers = [row for row in found if re.fullmatch(r"[-+−]?\d[\d.,]*\s*%?", row[0])]
    assert numbers, "no numeric cell in the example tables"
    assert all(row[1] == "right" for row in numbers), [r for r in numbers if r[1] != "right"]
    assert all(m == "0px" for row in found for m in row[2])


def test_page_loads_only_what_it_uses(page, site_url) -> None:  # type: ignore[no-untyped-def]
    for path in PAGES:
        page.goto(site_url + path)
        info = page.evaluate("""() => ({
            css: [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.getAttribute('href').split('?')[0].split('/').pop()),
            js: [...document.querySelectorAll('script[src]')].map(s => s.getAttribute('src').split('?')[0].split('/').pop()),
            blocking: [...document.head.querySelectorAll('script[src]')].filter(s => !s.defer && !s.async).map(s => s.src),
            preload: [...document.querySelectorAll('link[rel=preload][as=font]')].length,
            sd: document.querySelector('[class*="sd-"]') !== null,
            code: document.querySelector('div.highlight') !== null,
            math: document.querySelector('math') !== null })""")
        assert not info["blocking"], f"{path}: parser-blocking scripts {info['blocking']}"
        if not info["sd"]:
            assert (
                "sphinx-design.min.css" not in info["css"] and "design-tabs.js" not in info["js"]
            ), path
        if not info["code"]:
            assert not {"copybutton.js", "clipboard.min.js"} & set(info["js"]), path
            assert "copybutton.css" not in info["css"], path
        # the math font is preloaded on pages with math, while it is small enough to help
        small = (
            len(page.request.get(site_url + "_static/fonts/article-math.woff2").body()) <= 96 * 1024
        )
        assert info["preload"] == (1 if info["math"] and small else 0), (
            f"{path}: math font preload {info}"
        )


# -- zoom -------------------------------------------------------------------------------


def test_zoom_button_sits_off_the_image_and_zoom_fills_the_window(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + CODE_POST)
    overlaps = page.evaluate("""() => [...document.querySelectorAll('figure.article-zoomable')].map(f => {
        const b = f.querySelector('.article-zoom-button').getBoundingClientRect();
        return [...f.querySelectorAll('img')].filter(i => i.getClientRects().length).some(i => { const r = i.getBoundingClientRect();
          return b.left < r.right && b.right > r.left && b.top < r.bottom && b.bottom > r.top }) })""")
    assert overlaps and not any(overlaps), f"zoom buttons over their image: {overlaps}"
    button = page.locator(".article-hero .article-zoom-button")
    natural = page.evaluate("document.querySelector('.article-hero img.only-light').naturalWidth")
    button.click()
    big = page.locator("dialog.article-zoom-dialog img")
    big.wait_for()
    page.wait_for_timeout(200)
    box = big.bounding_box()
    assert box["width"] > natural, f"zoom capped at the file's size ({box['width']} <= {natural})"
    assert box["width"] <= 1400 and box["height"] <= 900, "zoom larger than the window"
    assert big.evaluate("i => getComputedStyle(i).touchAction") in (
        "pinch-zoom",
        "auto",
        "manipulation",
    )
    assert "user-scalable=no" not in page.locator('meta[name="viewport"]').get_attribute("content")
    screenshot(page, "reader-zoom", full_page=False)


# -- cards ------------------------------------------------------------------------------


def test_card_thumbnail_keeps_its_focal_point_and_has_a_dark_variant(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "index.html")
    card = page.locator(".post-card", has_text="Gradient times input")
    light = card.locator(".post-card__media img.only-light")
    assert light.evaluate("i => getComputedStyle(i).objectPosition") == "85% 50%", (
        "the crop loses 'superb'"
    )
    dark = card.locator(".post-card__media img.only-dark")
    assert dark.is_hidden()
    page.locator("button[data-theme-toggle]").click()
    assert dark.is_visible() and light.is_hidden()
    screenshot(page, "reader-cards-dark", full_page=False)


def test_post_without_a_hero_gets_a_typographic_card_not_blobs(page, site_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "index.html")
    typo = page.locator(".post-card__typographic")
    assert typo.count() >= 1, "every example post has a hero: no typographic card to check"
    title = typo.first.locator(".post-card__typographic-title")
    card_title = typo.first.locator("xpath=ancestor::li").locator(".post-card__title").inner_text()
    assert title.inner_text().strip() == card_title.strip()
    ratio = page.evaluate(CONTRAST_JS, [".post-card__typographic-title", ".post-card__typographic"])
    assert all(r >= 4.5 for _, r in ratio), ratio
    assert "gradient" not in typo.first.evaluate("e => getComputedStyle(e).backgroundImage")
    screenshot(page, "reader-cards-light", full_page=False)
