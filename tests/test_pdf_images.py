"""An image pdflatex cannot include (an SVG, as real posts have) never costs the post its
PDF: the PDF leaves it out with a located warning; the web page keeps it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import need_latex, sphinx_build

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="40" height="20" fill="#369"/></svg>'
)


@pytest.mark.pdf
def test_an_svg_figure_is_left_out_of_the_pdf_with_a_located_warning(tmp_path: Path) -> None:
    need_latex()
    site = tmp_path / "site"
    post = site / "posts/vector"
    post.mkdir(parents=True)
    (site / "conf.py").write_text('extensions = ["sphinx_article"]\n')
    (site / "index.md").write_text("# Home\n")
    (post / "diagram.svg").write_text(SVG)
    (post / "index.md").write_text(
        "---\ntitle: A vector figure\n---\n\nBefore the figure.\n\n"
        "```{figure} diagram.svg\n:alt: A blue rectangle\n\nA vector diagram.\n```\n\n"
        "After the figure.\n"
    )
    out = tmp_path / "out"
    result = sphinx_build(site, out, "latexpdf")
    pdf = out / "latex/vector.pdf"
    assert pdf.is_file(), result.stdout + result.stderr
    warnings = [line for line in result.stderr.splitlines() if "diagram.svg" in line]
    assert len(warnings) == 1 and "index.md:7:" in warnings[0]
    assert "[article.image]" in warnings[0] and "cannot go into the PDF" in warnings[0]
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Before the figure." in text and "After the figure." in text
    html = sphinx_build(site, out, "html")
    assert html.returncode == 0
    assert 'src="../../_images/diagram.svg"' in (out / "html/posts/vector/index.html").read_text()
