"""One numbering for both outputs: equations, figures and tables (1), (2)... per post on
the web page and in the PDF; equation labels scoped to their post (two posts may both
use ``loss``); incremental and parallel builds number as a clean build does.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sphinx_article.cli.scaffold import scaffold

from conftest import EXAMPLE, ROOTS, build_root, need_latex, read_html, sphinx_build, warning_lines

POSTS = ("posts/first/index", "posts/second/index")
# An equation number at the end of a pdftotext -layout line: after a wide gap, or alone.
PDF_NUMBER = re.compile(r"(?:^|\s{3,})\(([0-9A-Za-z]+)\)\s*$", re.MULTILINE)


def html_numbers(soup: BeautifulSoup) -> list[str]:
    """The equation numbers a page shows, in order ("(1)" -> "1")."""
    return [e.get_text().replace("¶", "").strip().strip("()") for e in soup.select(".eqno")]


def eq_links(soup: BeautifulSoup) -> list[tuple[str, str]]:
    return [
        (a["href"], a.get_text())
        for a in soup.select("a.reference")
        if "#equation-" in a.get("href", "")
    ]


def pdf_numbers(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return PDF_NUMBER.findall(text)


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-numbering", tmp_path_factory.mktemp("numbering"))


def test_each_post_numbers_from_one(built) -> None:  # type: ignore[no-untyped-def]
    first, second = (read_html(built.app, d) for d in POSTS)
    assert html_numbers(first) == ["1", "2", "3"]
    assert html_numbers(second) == ["1", "2", "3"]
    captions = [c.get_text(" ", strip=True) for c in first.select("figcaption, caption")]
    assert captions[0].startswith("Fig. 1") and captions[1].startswith("Table 1")
    assert second.select_one("figcaption").get_text(" ", strip=True).startswith("Fig. 1")


def test_same_label_in_two_posts_links_to_its_own(built) -> None:  # type: ignore[no-untyped-def]
    first, second = (read_html(built.app, d) for d in POSTS)
    # first post: loss is (1); second post: loss is (3), after two other equations
    assert ("#equation-loss", "(1)") in eq_links(first)
    assert ("#equation-loss", "(3)") in eq_links(second)
    for soup in (first, second):
        assert all(href.startswith("#") for href, _ in eq_links(soup))  # stays in its post
        assert "()" not in soup.select_one("main, body").get_text()
        assert soup.select_one("#equation-loss") is not None
    assert not [w for w in warning_lines(built) if "duplicate label" in w or "equation" in w]


def test_incremental_build_equals_clean(tmp_path) -> None:  # type: ignore[no-untyped-def]
    clean = build_root("test-numbering", tmp_path / "clean")
    expected = {
        d: (html_numbers(read_html(clean.app, d)), eq_links(read_html(clean.app, d))) for d in POSTS
    }
    work = tmp_path / "work"
    build_root("test-numbering", work)
    # the second post changes (a comment), then is read again alone
    post = work / "test-numbering" / "posts" / "second" / "index.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n% touched\n", encoding="utf-8")
    again = build_root("test-numbering", work)
    got = {
        d: (html_numbers(read_html(again.app, d)), eq_links(read_html(again.app, d))) for d in POSTS
    }
    assert got == expected


def test_parallel_build_equals_serial(tmp_path, built) -> None:  # type: ignore[no-untyped-def]
    parallel = build_root("test-numbering", tmp_path, parallel=2)
    for docname in POSTS:
        assert eq_links(read_html(parallel.app, docname)) == eq_links(read_html(built.app, docname))
        assert html_numbers(read_html(parallel.app, docname)) == html_numbers(
            read_html(built.app, docname)
        )


def test_latex_uses_the_web_numbers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    latex = build_root("test-numbering", tmp_path, builder="latex")
    first = (latex.outdir / "first.tex").read_text(encoding="utf-8")
    second = (latex.outdir / "second.tex").read_text(encoding="utf-8")
    # numbered by \tag with the web page's number, never by LaTeX's section counter
    assert r"\tag{1}\label{equation:posts/first/index:loss}" in first
    assert r"\tag{3}\label{equation:posts/second/index:loss}" in second
    assert r"\eqref{equation:posts/first/index:loss}" in first
    assert r"\eqref{equation:posts/second/index:loss}" in second
    assert "posts/first/index:loss" not in second
    assert r"\begin{equation}" not in first + second  # no counter-numbered equations


def scaffolded_site(root: Path) -> Path:
    """A site with two posts made by ``sphinx-article new``."""
    shutil.copytree(ROOTS / "test-numbering", root, ignore=shutil.ignore_patterns("posts"))
    for slug in ("one-post", "another-post"):
        scaffold(root / "posts" / slug, slug.replace("-", " ").title())
    return root


def test_scaffolded_posts_do_not_collide(tmp_path) -> None:  # type: ignore[no-untyped-def]
    site = scaffolded_site(tmp_path / "site")
    built = build_root("scaffolded", tmp_path, src=site)
    for slug in ("one-post", "another-post"):
        soup = read_html(built.app, f"posts/{slug}/index")
        assert html_numbers(soup) == ["1"]
        assert eq_links(soup) == [(f"#equation-{slug}-scaled-input", "(1)")]
    assert not [w for w in warning_lines(built) if "duplicate" in w]


@pytest.mark.pdf
def test_pdf_numbers_equal_web_numbers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    need_latex()
    result = sphinx_build(ROOTS / "test-numbering", tmp_path, "latexpdf")
    assert result.returncode == 0, result.stdout + result.stderr
    html = build_root("test-numbering", tmp_path / "html")
    for docname, stem in zip(POSTS, ("first", "second"), strict=True):
        web = html_numbers(read_html(html.app, docname))
        pdf = [n for n in pdf_numbers(tmp_path / "latex" / f"{stem}.pdf") if n.isdigit()]
        assert pdf == web, (stem, pdf, web)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "latex" / "second.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Equation (3) is the negative log-likelihood, from (2)." in " ".join(text.split())
    assert "(N)" in text  # the author's \tag
    assert not re.search(r"\(\d+\.\d+\)", text)  # no chapter prefix


@pytest.mark.pdf
def test_example_posts_pdf_numbers_equal_web(tmp_path, example_html) -> None:  # type: ignore[no-untyped-def]
    need_latex()
    result = sphinx_build(EXAMPLE, tmp_path, "latexpdf")
    latex = tmp_path / "latex"
    documents = json.loads((latex / "sphinxarticle-documents.json").read_text("utf-8"))
    compared = 0
    for stem, info in sorted(documents.items()):
        if not info.get("docname"):
            continue  # the proceedings
        page = example_html / f"{info['docname']}.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        web = [n for n in html_numbers(soup) if n.isdigit()]
        pdf = latex / f"{stem}.pdf"
        assert pdf.is_file(), (stem, result.stderr[-2000:])
        assert [n for n in pdf_numbers(pdf) if n.isdigit()] == web, stem
        compared += bool(web)
    assert compared >= 2
