"""The PDF as a reader meets it (issue 15): page-wide figures never cover a margin note,
moving figures stay in their section with a note that sends the reader to the web
version, the "Cite this" box is never split from its label, and the BibTeX carries the
venue's apostrophe as written.

The root ``test-pdf-reader`` holds one post per defect: ``overlap`` (a long sidenote,
then a page-wide figure; a margin note, then another), ``blocks`` (the same before a
page-wide table and a page-wide code block), ``moving`` (an explorable and a
GIF that no longer fit on page one), ``cite-1`` ... ``cite-6`` (the same short post with
11, 13 ... 21 lines, so the "Cite this" box meets the page break in some of them).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_pdf import latexpdf, pdftotext, pdfurls

from sphinx_article.features.media import media_note_latex

from conftest import ARTIFACTS, ROOTS, build_root, read_html, screenshot, serve, sphinx_build

# A4 with a 22 mm left margin and a 118 mm text block: the margin column starts right
# of this x (in PDF points).
TEXT_RIGHT = (22 + 118) / 25.4 * 72
CITE_POSTS = [f"cite-{i}" for i in range(1, 7)]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("pdf-reader")
    result = latexpdf("test-pdf-reader", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "latex"


def words(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) of every word, in reading order."""
    out = []
    for number, page in enumerate(pdftotext(pdf, "-bbox").split("<page ")[1:], start=1):
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
            r"([^<]*)</word>",
            page,
        ):
            out.append((number, float(x0), float(y0), float(x1), float(y1), word))
    return out


def images(pdf: Path) -> list[tuple[int, int, float]]:
    """(page, pixel width, height in points) of every image, from ``pdfimages -list``."""
    out = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    rows = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        if cols and cols[2] == "image":
            rows.append((int(cols[0]), int(cols[3]), int(cols[4]) / float(cols[13]) * 72))
    return rows


def where(
    found: list[tuple[int, float, float, float, float, str]], needle: str
) -> tuple[int, float]:
    """(page, yMin) of the first word containing ``needle``."""
    return next((w[0], w[2]) for w in found if needle in w[5])


def render(pdf: Path) -> list[Path]:
    """Every page as a PNG artefact to look at (tests/artifacts/pdf-reader-<post>-N.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / f"pdf-reader-{pdf.stem}"
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(prefix)], check=True)
    return sorted(ARTIFACTS.glob(f"pdf-reader-{pdf.stem}-*.png"))


# -- page-wide figures and margin notes ----------------------------------------------------


@pytest.mark.pdf
def test_page_wide_figure_never_covers_a_margin_note(pdfs) -> None:  # type: ignore[no-untyped-def]
    assert_wide_figures_clear_the_notes(pdfs / "overlap.pdf")


@pytest.mark.pdf
def test_page_wide_figure_fixed_here_never_covers_a_margin_note(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A site that pins figures in place (``figure_align = "H"``: not floats at all) gets
    the same clearance: the figure moves down below the note instead."""
    src = tmp_path / "src"
    shutil.copytree(
        ROOTS / "test-pdf-reader",
        src,
        ignore=lambda d, names: [n for n in names if n.startswith(("cite-", "moving"))],
    )
    result = sphinx_build(src, tmp_path / "out", "latexpdf", "-D", "latex_elements.figure_align=H")
    assert result.returncode == 0, result.stdout + result.stderr
    tex = (tmp_path / "out" / "latex" / "overlap.tex").read_text()
    assert r"\begin{figure}[H]" in tex
    pinned = shutil.copy(tmp_path / "out" / "latex" / "overlap.pdf", tmp_path / "overlap-H.pdf")
    assert_wide_figures_clear_the_notes(Path(pinned))


def assert_wide_figures_clear_the_notes(pdf: Path) -> None:
    found = words(pdf)
    text = " ".join(w[5] for w in found)
    assert "LASTNOTEWORD ENDOFNOTE" in text and "MARGINNOTEEND" in text
    wide = [(page, height) for page, width, height in images(pdf) if width == 1800]
    captions = [(w[0], w[2]) for w in found if w[5] == "Fig."]
    assert len(wide) == 2 and len(captions) == 2
    for (page, height), (cap_page, cap_top) in zip(wide, captions, strict=True):
        assert page == cap_page
        # the image ends just above its caption; a word of the margin column in that
        # band is painted over by the figure
        top = cap_top - height - 12
        covered = [
            w[5]
            for w in found
            if w[0] == page and w[1] > TEXT_RIGHT and w[4] > top and w[2] < cap_top
        ]
        assert not covered, (page, covered)
    # no figure above the title block
    assert where(found, "READER") < captions[0]
    # the sidenote stays beside its paragraph, the figure comes after the note ends
    note_end = where(found, "ENDOFNOTE")
    assert note_end[0] == where(found, "long.")[0] == captions[0][0]
    assert note_end[1] < captions[0][1] - wide[0][1]
    assert render(pdf)


@pytest.mark.pdf
def test_page_wide_table_and_code_start_below_the_notes(pdfs) -> None:  # type: ignore[no-untyped-def]
    """Blocks that cannot float move down instead: each starts below the note above it."""
    found = words(pdfs / "blocks.pdf")
    for note, block in (("TABLENOTEEND", "Column"), ("CODENOTEEND", "WIDECODE")):
        end = next(w for w in found if note in w[5])
        first = next(w for w in found if w[5].startswith(block))
        assert end[0] == first[0] and end[4] < first[2], (note, end, first)
    assert render(pdfs / "blocks.pdf")


# -- moving figures: in their section, with a note ---------------------------------------


@pytest.mark.pdf
def test_interactive_and_video_figures_stay_in_their_section(pdfs) -> None:  # type: ignore[no-untyped-def]
    found = words(pdfs / "moving.pdf")
    first, nxt, last = (where(found, w) for w in ("FIRSTSECTION", "NEXTSECTION", "LASTSECTION"))
    appendix = where(found, "REUSE")
    for caption in ("EXPLORABLECAPTION", "GIFCAPTION"):
        at = where(found, caption)
        assert first < at < nxt < last < appendix, (caption, at, nxt)
    assert render(pdfs / "moving.pdf")


@pytest.mark.pdf
def test_gif_video_figure_has_a_web_version_note(pdfs) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(pdftotext(pdfs / "moving.pdf").split())
    assert "Three coloured frames in a loop. Watch the animation in the web version." in text
    assert "https://blog.example.org/posts/moving/index.html#fig-gif" in pdfurls(
        pdfs / "moving.pdf"
    )


@pytest.mark.pdf
def test_interactive_fallback_note_has_one_full_stop(pdfs) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(pdftotext(pdfs / "moving.pdf").split())
    assert "slider under it. Try the interactive figure in the web version." in text
    assert ".." not in text


def test_media_note_ends_the_alt_text_once() -> None:
    url = "https://example.org/p.html\\#f"
    assert "{Done.}" in media_note_latex("interactive", "Done.", url)
    assert "{Done.}" in media_note_latex("animation", "Done", url)
    assert "{Really?}" in media_note_latex("video", "Really?  ", url)
    assert "{}" in media_note_latex("video", "", url)
    assert r"\href{" + url + "}{Watch the animation in the web version}" in media_note_latex(
        "animation", "x", url
    )
    assert media_note_latex("image", "x", url) == ""
    assert "textbackslash" in media_note_latex("video", "\\input{x}", "")


# -- "Cite this" -------------------------------------------------------------------------


@pytest.mark.pdf
@pytest.mark.parametrize("post", CITE_POSTS)
def test_cite_this_box_never_splits(pdfs, post) -> None:  # type: ignore[no-untyped-def]
    pages = pdftotext(pdfs / f"{post}.pdf", "-layout").split("\f")
    label = [i for i, page in enumerate(pages) if "CITATION" in page]
    entry = [i for i, page in enumerate(pages) if "@inproceedings" in page]
    end = [i for i, page in enumerate(pages) if re.search(r'url = "[^"\n]*"\s*\n\s*}', page)]
    assert label == entry == end and len(label) == 1, (label, entry, end)
    assert "continue" not in pages[label[0]]  # no "(continues on next page)"
    assert "Noether, E. and Turing, A. (2026)" in pages[label[0]]


@pytest.mark.pdf
def test_cite_this_bibtex_in_pdf_keeps_the_apostrophe(pdfs) -> None:  # type: ignore[no-untyped-def]
    text = pdftotext(pdfs / "overlap.pdf")
    assert 'booktitle = "The Reader\'s Track 2026"' in text
    assert 'title = "A long sidenote above a page-wide figure"' in text
    assert "textquotesingle" not in text and "sphinxhyphen" not in text


def test_cite_this_bibtex_is_plain_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-pdf-reader", tmp_path)
    bib = (built.outdir / "posts/overlap/overlap.bib").read_text(encoding="utf-8")
    box = read_html(built.app, "posts/overlap/index").select_one(".article-bibtex").get_text()
    for text in (bib, box):
        assert 'booktitle = "The Reader\'s Track 2026"' in text
        assert 'title = "A long sidenote above a page-wide figure"' in text
        assert "\\" not in text  # no \textquotesingle{}, no \sphinxhyphen{}


@pytest.mark.browser
@pytest.mark.parametrize("width", [1400, 390])
def test_cite_this_url_line_wraps_in_the_web_box(tmp_path, page, width) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-pdf-reader", tmp_path)
    server = serve(built.outdir)
    base = next(server)
    try:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + "posts/overlap/index.html")
        box = page.locator(".article-bibtex")
        box.scroll_into_view_if_needed()
        # nothing cut off or hidden behind a scrollbar: the whole url is inside the box
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth")
        assert "posts/overlap/index.html" in box.inner_text().replace("\n", "")
        screenshot(page, f"pdf-reader-cite-this-{width}", full_page=False)
    finally:
        server.close()
