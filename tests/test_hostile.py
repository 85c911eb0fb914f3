"""Hostile input: markup, script, quote-breaking, bad URL schemes, LaTeX commands and
broken bytes in every front-matter string.  Nothing may crash the build, nothing may be
injected into any output (checked by parsing the outputs), and each mistake warns."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOTS, article_warnings, build_root, need_latex, sphinx_build, warning_lines

TEXT_OUTPUTS = (".html", ".xml", ".js", ".json", ".bib", ".txt", ".cff")


@pytest.fixture(scope="module")
def html(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-hostile", tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def latex(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-hostile", tmp_path_factory.mktemp("hostile-tex"), builder="latex")


def html_files(outdir: Path) -> list[Path]:
    return [p for p in outdir.rglob("*.html") if ".doctrees" not in p.parts]


def test_build_survives_and_warns(html) -> None:  # type: ignore[no-untyped-def]
    assert (html.outdir / "posts" / "evil" / "index.html").is_file()
    assert not [w for w in warning_lines(html) if "Traceback" in w or "Exception" in w]
    for subtype in ("url", "doi", "type"):
        assert [w for w in article_warnings(html, subtype) if "posts/evil/index.md" in w], subtype


def test_no_script_or_handler_is_injected(html) -> None:  # type: ignore[no-untyped-def]
    for path in html_files(html.outdir):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for script in page.find_all("script"):
            if script.get("type") == "application/ld+json":
                raw = script.string or ""
                assert "</" not in raw and "<script" not in raw, path
                json.loads(raw)
            else:
                assert "XSS-" not in (script.string or ""), f"{path}: injected script"
        for tag in page.find_all(True):
            for name, value in tag.attrs.items():
                assert not name.lower().startswith("on"), (
                    f"{path}: handler attribute {name} on <{tag.name}>"
                )
                if name in ("href", "src", "action", "content", "srcset") and isinstance(
                    value, str
                ):
                    assert (
                        not value.strip().lower().startswith(("javascript:", "data:text/html"))
                    ), f"{path}: {name}={value}"


def test_title_text_is_kept_literally(html) -> None:  # type: ignore[no-untyped-def]
    page = BeautifulSoup(
        (html.outdir / "posts" / "evil" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    title = page.select_one("h1.article-title").get_text()
    assert "</script><script>alert('XSS-TITLE')</script>" in title
    assert "\\input{/etc/passwd}" in title


def test_other_text_outputs_are_escaped(html) -> None:  # type: ignore[no-untyped-def]
    for path in html.outdir.rglob("*"):
        if path.suffix in (".xml", ".bib", ".cff", ".json") and ".doctrees" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert "<script>alert(" not in text, path
            if path.suffix == ".xml":
                from xml.etree import ElementTree

                ElementTree.fromstring(text.encode())  # still well-formed XML


def test_binary_post_is_left_out_with_a_warning(html) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(html, "encoding") if "posts/binary/index.md:2:" in w]
    assert hits and "save it as UTF-8" in hits[0]
    assert not (html.outdir / "posts" / "binary" / "index.html").exists()


def test_deep_front_matter_warns(html) -> None:  # type: ignore[no-untyped-def]
    assert article_warnings(html, "yaml") and any(
        "posts/deep" in w for w in article_warnings(html, "yaml")
    )


def test_latex_is_escaped(latex) -> None:  # type: ignore[no-untyped-def]
    tex = (latex.outdir / "evil.tex").read_text(encoding="utf-8")
    for command in ("\\input{/etc/passwd}", "\\write18{rm", "\\catcode`\\^^M"):
        assert command not in tex, command
    assert "\\textbackslash{}input\\{/etc/passwd\\}" in tex


@pytest.mark.pdf
def test_pdf_compiles_and_shows_the_characters(tmp_path) -> None:  # type: ignore[no-untyped-def]
    need_latex()
    result = sphinx_build(ROOTS / "test-hostile", tmp_path, "latexpdf")
    pdf = tmp_path / "latex" / "evil.pdf"
    assert pdf.is_file(), result.stdout[-3000:] + result.stderr[-3000:]
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "\\input{/etc/passwd}" in flat
    assert "% # & ~ ^ _ { } }{" in flat


def test_symlinks_out_of_the_site_are_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A symlink inside a post's folder that points outside the site is never read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (outside / "secret.bib").write_text("@misc{leak, title = {Secret}}\n", encoding="utf-8")
    site = tmp_path / "src" / "symlinks"
    post = site / "posts" / "linky"
    post.mkdir(parents=True)
    (site / "conf.py").write_text(
        'extensions = ["sphinx_article"]\nhtml_theme = "sphinx_article"\n'
        'article_site_url = "https://blog.example.org/"\n',
        encoding="utf-8",
    )
    (site / "index.md").write_text("# Home\n", encoding="utf-8")
    (post / "hero.png").symlink_to(outside / "secret.png")
    (post / "refs.bib").symlink_to(outside / "secret.bib")
    (post / "index.md").write_text(
        "---\ntitle: Links\ndescription: Symlinks out of the site.\nauthors: [A. Author]\n---\n\n"
        "```{hero-figure} hero.png\n:alt: A figure\n\nCaption.\n```\n\nText {cite:p}`leak`.\n",
        encoding="utf-8",
    )
    built = build_root("symlinks", tmp_path / "build", src=site)
    assert [w for w in article_warnings(built, "image") if "points outside the site" in w]
    assert article_warnings(built, "citation")
    page = (built.outdir / "posts" / "linky" / "index.html").read_text(encoding="utf-8")
    assert "Secret" not in page and "secret.png" not in page
