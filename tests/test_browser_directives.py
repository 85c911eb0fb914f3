"""The directives in a real browser: margin notes in the margin column, level with their
anchors and never overlapping; collapsed toggles on phones; posters under reduced
motion; the figure zoom by keyboard; no layout shift on load."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLE, build_root, screenshot, serve, sphinx_build

pytestmark = pytest.mark.browser

CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""

NOTE_GEOMETRY = """() => {
  const body = document.querySelector(".article-body").getBoundingClientRect();
  const style = getComputedStyle(document.documentElement);
  const px = (name) => parseFloat(style.getPropertyValue(name)) * parseFloat(style.fontSize);
  const notes = [...document.querySelectorAll(".article-margin-note, .article-sidenote__body")];
  return {
    marginLeft: body.right + px("--article-gutter"),
    marginRight: body.right + px("--article-gutter") + px("--article-margin-width"),
    notes: notes.map((note) => {
      const box = note.getBoundingClientRect();
      let anchor;
      if (note.classList.contains("article-margin-note")) {
        anchor = note.nextElementSibling;
        while (anchor && anchor.classList.contains("article-margin-note")) anchor = anchor.nextElementSibling;
      } else {
        anchor = note.parentElement.querySelector(".article-sidenote__mark");
      }
      const line = parseFloat(getComputedStyle(anchor.closest("p") || anchor).lineHeight);
      return {text: note.textContent.trim().slice(0, 40), top: box.top, bottom: box.bottom,
              left: box.left, right: box.right, anchorTop: anchor.getBoundingClientRect().top,
              line};
    }),
  };
}"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    """The hero, notes and figures roots and the example site, built and served."""
    urls: dict[str, str] = {}
    servers = []
    for root in ("test-hero", "test-notes", "test-figures"):
        built = build_root(root, tmp_path_factory.mktemp(root))
        servers.append(serve(built.outdir))
        urls[root] = next(servers[-1])
    out = tmp_path_factory.mktemp("example")
    result = sphinx_build(EXAMPLE, out, "html")
    assert (out / "html" / "index.html").is_file(), result.stderr
    servers.append(serve(Path(out / "html")))
    urls["example"] = next(servers[-1])
    yield urls
    for server in servers:
        server.close()


def load(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)


def assert_notes_in_margin(page, level: bool) -> list[dict]:  # type: ignore[no-untyped-def]
    geometry = page.evaluate(NOTE_GEOMETRY)
    notes = geometry["notes"]
    assert notes
    for note in notes:
        assert note["left"] >= geometry["marginLeft"] - 1, note
        assert note["right"] <= geometry["marginRight"] + 1, note
        if level:
            assert abs(note["top"] - note["anchorTop"]) <= note["line"], note
    ordered = sorted(notes, key=lambda n: n["top"])
    for upper, lower in zip(ordered, ordered[1:], strict=False):
        assert upper["bottom"] <= lower["top"] + 0.5, (upper, lower)
    return notes


def test_three_notes_on_short_paragraphs_are_level(page, sites) -> None:  # type: ignore[no-untyped-def]
    load(page, sites["test-notes"] + "posts/short/index.html")
    notes = assert_notes_in_margin(page, level=True)
    assert len(notes) == 4
    screenshot(page, "notes-short-1400")


def test_dense_notes_stack_without_overlap(page, sites) -> None:  # type: ignore[no-untyped-def]
    load(page, sites["test-notes"] + "posts/notes/index.html")
    notes = assert_notes_in_margin(page, level=False)
    assert abs(notes[0]["top"] - notes[0]["anchorTop"]) <= notes[0]["line"]
    screenshot(page, "notes-dense-1400")


def test_example_post_notes_are_level(page, sites) -> None:  # type: ignore[no-untyped-def]
    load(page, sites["example"] + "posts/attention-revisited/index.html")
    assert_notes_in_margin(page, level=True)
    screenshot(page, "example-attention-1400")


def test_phone_notes_collapse_and_open_by_keyboard(page, sites) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 360, "height": 800})
    load(page, sites["test-notes"] + "posts/notes/index.html")
    hidden = page.evaluate("""() => [...document.querySelectorAll('.article-note__body')]
        .every((body) => getComputedStyle(body).display === 'none')""")
    assert hidden
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('.article-note__toggle')"):
            break
    else:
        pytest.fail("no note toggle reachable with Tab")
    toggle = page.evaluate_handle("() => document.activeElement")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    body_id = toggle.get_attribute("aria-controls")
    assert page.locator(f"#{body_id}").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, "notes-open-360")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator(f"#{body_id}").is_visible()


@pytest.mark.parametrize(
    "root,path",
    [
        ("test-notes", "posts/notes/index.html"),
        ("test-figures", "posts/figures/index.html"),
        ("test-hero", "posts/anim/index.html"),
        ("example", "posts/diffusion-in-motion/index.html"),
    ],
)
def test_no_horizontal_scroll_on_phones(page, sites, root, path) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 360, "height": 800})
    load(page, sites[root] + path)
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")


def test_hero_shows_poster_under_reduced_motion(page, sites) -> None:  # type: ignore[no-untyped-def]
    page.emulate_media(reduced_motion="reduce")
    load(page, sites["test-hero"] + "posts/anim/index.html")
    source = page.evaluate("() => document.querySelector('.article-hero img').currentSrc")
    assert re.search(r"/poster(-[0-9a-f]{8})?\.png$", source)  # shared names carry a hash
    screenshot(page, "hero-reduced-motion", full_page=False)
    load(page, sites["test-hero"] + "posts/video/index.html")
    state = page.evaluate("""() => { const v = document.querySelector('.article-hero video');
        return {paused: v.paused, time: v.currentTime, poster: v.poster}; }""")
    assert state["paused"] and state["time"] == 0 and "poster" in state["poster"]
    page.emulate_media(reduced_motion="no-preference")
    load(page, sites["test-hero"] + "posts/anim/index.html")
    source = page.evaluate("() => document.querySelector('.article-hero img').currentSrc")
    assert re.search(r"/anim(-[0-9a-f]{8})?\.gif$", source)


def test_gif_pause_button(page, sites) -> None:  # type: ignore[no-untyped-def]
    load(page, sites["test-hero"] + "posts/anim/index.html")
    button = page.locator(".article-motion-toggle")
    assert button.text_content() == "Pause animation"
    button.click()
    # currentSrc is "" until the browser has selected the new source: wait for it
    page.wait_for_function("() => document.querySelector('.article-hero img').currentSrc")
    assert re.search(
        r"/poster(-[0-9a-f]{8})?\.png$",
        page.evaluate("() => document.querySelector('.article-hero img').currentSrc"),
    )
    assert button.text_content() == "Play animation"


def test_figure_zoom_by_keyboard(page, sites) -> None:  # type: ignore[no-untyped-def]
    load(page, sites["test-figures"] + "posts/figures/index.html")
    button = page.locator("#fig-saliency .article-zoom-button")
    assert button.get_attribute("aria-label").startswith("Enlarge figure: A saliency map")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.article-zoom-dialog")
    assert dialog.is_visible()
    assert page.evaluate("() => document.activeElement.className") == "article-zoom-close"
    assert "A page-wide figure with a dark variant." in dialog.text_content()
    screenshot(page, "figure-zoom-open", full_page=False)
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate(
        "() => document.activeElement.matches('#fig-saliency .article-zoom-button')"
    )


def test_explorable_runs_in_its_frame(page, sites) -> None:  # type: ignore[no-untyped-def]
    load(page, sites["test-figures"] + "posts/figures/index.html")
    page.locator("#fig-explorable").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    frame = page.frame_locator("#fig-explorable iframe")
    assert "ok" in frame.locator("body").text_content()
    box = page.locator("#fig-explorable .article-interactive__frame").bounding_box()
    assert abs(box["width"] / box["height"] - 4 / 3) < 0.02
    assert not page.locator("#fig-explorable .article-interactive__fallback").is_visible()
    screenshot(page, "figures-1400")


@pytest.mark.parametrize("width", [1400, 360])
@pytest.mark.parametrize(
    "root,path",
    [
        ("test-notes", "posts/notes/index.html"),
        ("test-figures", "posts/figures/index.html"),
        ("test-hero", "posts/good/index.html"),
        ("test-hero", "posts/video/index.html"),
    ],
)
def test_no_layout_shift_on_load(page, sites, root, path, width) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 900})
    page.add_init_script(CLS_OBSERVER)
    load(page, sites[root] + path)
    page.wait_for_timeout(700)
    assert page.evaluate("() => window.__cls") == 0
    for _ in range(15):  # a reader scrolls: lazy images and frames load, nothing moves
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__cls") == 0
