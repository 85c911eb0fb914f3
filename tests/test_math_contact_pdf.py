"""The PDF half of the corpus contact sheet: the same 40 real formulas as the web sheet
(``test_browser_math.test_corpus_contact_sheet``), compiled by the post's LaTeX path and
saved as page images beside the web screenshot, to be looked at side by side."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from test_browser_math import CORPUS, _corpus_sample

from conftest import ARTIFACTS, need_latex, sphinx_build


@pytest.mark.pdf
@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus (../shared/corpus) is absent")
def test_corpus_contact_sheet_in_the_pdf(tmp_path: Path) -> None:
    need_latex()
    site = tmp_path / "site"
    post = site / "posts/contact-sheet"
    post.mkdir(parents=True)
    (site / "conf.py").write_text('extensions = ["sphinx_article"]\n')
    (site / "index.md").write_text("# Home\n")
    body = ["---", "title: Forty corpus formulas", "---", ""]
    kramdown_escaped = set()  # '1\\{c = i\\}': a row break then a brace, MathJax only
    for label, latex, display in _corpus_sample():
        body += [f"**{label}**", ""]
        if "\\\\{" in latex:
            kramdown_escaped.add("\n".join(body).count("\n") + 2)  # the '$$' line
        body += (["$$", latex, "$$"] if display else [f"${latex}$"]) + [""]
    (post / "index.md").write_text("\n".join(body), encoding="utf-8")
    out = tmp_path / "out"
    result = sphinx_build(site, out, "latexpdf")
    pdf = out / "latex/contact-sheet.pdf"
    assert pdf.is_file(), result.stdout[-3000:] + result.stderr[-3000:]
    replaced = {
        int(line.split("index.md:")[1].split(":")[0])
        for line in result.stderr.splitlines()
        if "article.pdf" in line
    }
    # every formula compiled as itself, except those TeX cannot read (shown as source)
    assert replaced == kramdown_escaped, result.stderr
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.count(":") >= 40  # every label is there
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("math-corpus-contact-sheet-pdf-*.png"):
        old.unlink()
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            str(pdf),
            str(ARTIFACTS / "math-corpus-contact-sheet-pdf"),
        ],
        check=True,
    )
    assert list(ARTIFACTS.glob("math-corpus-contact-sheet-pdf-*.png"))
