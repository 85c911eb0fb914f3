"""A margin note written after a coloured equation sits beside the equation (issue 15),
and a table's caption carries its number, in Chromium, on a small test root."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import build_root, screenshot, serve, warning_lines

pytestmark = pytest.mark.browser
POST = "posts/notes/index.html"


@pytest.fixture(scope="module")
def reader_built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-reader", tmp_path_factory.mktemp("reader"))


@pytest.fixture(scope="module")
def reader_site(reader_built) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from serve(reader_built.outdir)


def test_only_the_bad_focal_point_warns_located_with_a_fix(reader_built) -> None:  # type: ignore[no-untyped-def]
    lines = [w for w in warning_lines(reader_built) if "article." in w]
    assert len(lines) == 1, lines
    assert "posts/focus/index.md:9" in lines[0] and "[article.option]" in lines[0], lines[0]
    assert "':focus: 80% 30%'" in lines[0]


def test_card_thumbnail_has_the_focal_point_or_is_centred(page, reader_site) -> None:  # type: ignore[no-untyped-def]
    page.goto(reader_site + "index.html")
    image = page.locator(".post-card", has_text="A badly focused hero").locator(
        ".post-card__media img"
    )
    assert image.evaluate("i => getComputedStyle(i).objectPosition") == "50% 50%"
    assert (
        page.locator(".post-card", has_text="Notes beside equations")
        .locator(".post-card__typographic")
        .count()
        == 1
    )


def test_margin_note_after_a_colored_equation_sits_beside_the_equation(page, reader_site) -> None:  # type: ignore[no-untyped-def]
    page.goto(reader_site + POST)
    note = page.locator(".article-margin-note").bounding_box()
    equation = page.locator(".colored-equation").bounding_box()
    after = page.locator(".colored-equation ~ p").first.bounding_box()
    assert note and equation and after
    assert note["x"] >= equation["x"] + equation["width"] - 1, (
        "the note is not in the margin column"
    )
    assert abs(note["y"] - equation["y"]) <= 12, f"note at {note['y']}, equation at {equation['y']}"
    assert note["y"] < after["y"] - 20, "the note sits beside the next paragraph"
    screenshot(page, "reader-margin-note-equation", full_page=False)


def test_table_caption_carries_its_number_and_numbers_align_right(page, reader_site) -> None:  # type: ignore[no-untyped-def]
    page.goto(reader_site + POST)
    caption = page.locator("table caption")
    assert caption.inner_text().startswith("Table 1")
    assert caption.evaluate("c => getComputedStyle(c).captionSide") == "top"
    cells = page.evaluate("""() => [...document.querySelectorAll('table tbody tr')].map(r =>
        [...r.cells].map(c => getComputedStyle(c).textAlign))""")
    assert all(row == ["left", "right"] for row in cells), cells
    head = page.evaluate(
        "[...document.querySelectorAll('table thead th')].map(c => getComputedStyle(c).textAlign)"
    )
    assert head == ["left", "right"]


def test_wide_table_shows_an_overflow_cue_at_390px(browser, reader_site) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    try:
        tab.goto(reader_site + POST)
        # widen the table beyond the column, as a many-column table would be
        tab.evaluate("""() => { const t = document.querySelector('table');
            t.querySelectorAll('tr').forEach(r => { for (let i = 0; i < 6; i++) { const c = document.createElement(r.parentElement.tagName === 'THEAD' ? 'th' : 'td'); c.textContent = 'wide column ' + i; r.append(c); } });
            window.dispatchEvent(new Event('resize')); }""")
        tab.wait_for_timeout(300)
        table = tab.locator("table")
        assert table.evaluate("t => t.scrollWidth > t.clientWidth")
        assert "article-scrolls" in table.get_attribute("class")
        assert "linear-gradient" in table.evaluate("t => getComputedStyle(t).backgroundImage")
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
