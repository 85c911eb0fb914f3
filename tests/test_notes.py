"""Margin notes, sidenotes and footnotes as sidenotes: numbering, placement, toggles,
warnings, LaTeX, and the compiled PDF."""

from __future__ import annotations

import subprocess

import pytest

from conftest import article_warnings, build_root, need_latex, read_html


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-notes", tmp_path_factory.mktemp("notes"))


@pytest.fixture(scope="module")
def latex(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-notes", tmp_path_factory.mktemp("notes-latex"), builder="latex")


def body(built, docname="posts/notes/index"):  # type: ignore[no-untyped-def]
    return read_html(built, docname).select_one("article.article-body")


def test_one_number_sequence_in_reading_order(built) -> None:  # type: ignore[no-untyped-def]
    notes = body(built).select(".article-sidenote")
    assert [n.select_one(".article-sidenote__mark").get_text() for n in notes] == [
        "1",
        "2",
        "3",
        "4",
    ]
    texts = [n.select_one(".article-sidenote__body").get_text(" ", strip=True) for n in notes]
    assert texts[0].startswith("1 A numbered sidenote with a link")
    assert texts[1] == "2 The first footnote, shown as a sidenote."
    assert "It has a second paragraph." in texts[2]
    # the footnote cited a second time points back to its sidenote
    again = body(built).select_one(".article-sidenote__again a")
    assert again.get_text() == "2" and again["href"] == "#article-sn-2-ref"


def test_footnote_in_a_table_stays_a_footnote_with_the_next_number(built) -> None:  # type: ignore[no-untyped-def]
    page = body(built)
    assert page.select_one("table .footnote-reference").get_text() == "[5]"
    footnotes = page.select("aside.footnote")
    assert len(footnotes) == 1 and "stays a footnote" in footnotes[0].get_text()


def test_sidenote_markup_and_toggle(built) -> None:  # type: ignore[no-untyped-def]
    note = body(built).select_one(".article-sidenote")
    button = note.select_one("button.article-note__toggle")
    assert button["type"] == "button" and button["aria-expanded"] == "false"
    assert button["aria-label"] == "Sidenote 1"
    target = note.select_one(f"#{button['aria-controls']}")
    assert target["role"] == "note" and target.select_one("em").get_text() == "numbered"
    assert target.select_one("a")["href"] == "https://example.org"
    assert note.parent.name == "p"  # inline: valid inside its paragraph
    assert not note.select("div, p, aside")


def test_margin_note_moves_before_its_block(built) -> None:  # type: ignore[no-untyped-def]
    page = body(built, "posts/short/index")
    notes = page.select("div.article-margin-note")
    assert [n.get_text(" ", strip=True) for n in notes] == [
        "Note Note on the first.",
        "Note Note on the second.",
        "Note Note on the third.",
    ]
    for note, text in zip(notes, ("First", "Second", "Third"), strict=True):
        assert note.find_next_sibling().get_text().startswith(text)
        button = note.select_one("button.article-note__toggle")
        assert button["aria-expanded"] == "false"
        assert note.select_one(f"#{button['aria-controls']}")
    assert note["role"] == "note"


def test_noscript_fallback_once_per_page(built) -> None:  # type: ignore[no-untyped-def]
    html = (built.outdir / "posts/notes/index.html").read_text(encoding="utf-8")
    assert html.count("<noscript>") == 1


def test_nested_note_warns_and_keeps_its_text(built) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(built, "note") if "posts/notes/index.md" in w]
    assert len(hits) == 1 and "inside another note" in hits[0]
    outer = body(built).select("div.article-margin-note")[-1]
    assert "Inner note, nested." in outer.get_text()
    assert not outer.select("div.article-margin-note")
    assert "Text after the bad notes still builds." in body(built).get_text()


def test_footnotes_not_as_sidenotes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root(
        "test-notes", tmp_path, confoverrides={"article_footnotes_as_sidenotes": False}
    )
    page = body(built)
    marks = [n.get_text() for n in page.select(".article-sidenote__mark, .footnote-reference")]
    assert marks == ["1", "[2]", "[3]", "[2]", "4", "[5]"]  # one sequence, in reading order
    labels = [
        a.select_one(".label").get_text(strip=True)
        for a in read_html(built, "posts/notes/index").select("aside.footnote")
    ]
    assert labels == ["[2]", "[3]", "[5]"]


def test_latex_notes(latex) -> None:  # type: ignore[no-untyped-def]
    tex = (latex.outdir / "notes.tex").read_text(encoding="utf-8")
    assert r"\ArticleSidenote{1}{%" in tex and r"\ArticleSidenote{4}{%" in tex
    assert r"\ArticleSidenoteMark{2}" in tex
    assert tex.count(r"\ArticleMarginNote{%") == 5
    assert r"\sphinxstyleemphasis{markup}" in tex
    assert "A footnote in a table stays a footnote." in tex
    # the margin note comes before the first paragraph, so it starts level with it
    assert tex.index(r"\ArticleMarginNote{%") < tex.index("The first paragraph has a sidenote")


@pytest.mark.parametrize("builder", ["text", "man", "texinfo"])
def test_other_builders(tmp_path, builder) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-notes", tmp_path, builder=builder)
    assert not [w for w in built.warnings.splitlines() if "Traceback" in w or "unknown node" in w]


@pytest.mark.pdf
def test_pdf_has_notes_captions_and_contributions(latex) -> None:  # type: ignore[no-untyped-def]
    need_latex()
    result = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "notes.tex"],
        cwd=latex.outdir,
        capture_output=True,
        text=True,
        timeout=600,
    )
    pdf = latex.outdir / "notes.pdf"
    assert pdf.is_file(), result.stdout[-3000:]
    flat = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "A margin note with markup, beside the first paragraph" in flat
    assert "A numbered sidenote with a link." in flat
    assert "The first footnote, shown as a sidenote." in flat
    assert "The attention figure caption." in flat
    assert (
        "Conceptualization: A. Lovelace, C. Babbage. Software: C. Babbage. "
        "Writing – original draft: A. Lovelace."
    ) in flat
    # margin notes sit in the margin column: right of the text block
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line for line in text.splitlines() if "A margin note with markup" in line]
    assert lines and lines[0].index("A margin note") > 60
