"""Nothing one author writes takes the site down, and nothing passes silently.

* ``test-robust-guard``: a conf.py injects a fault into one sphinx-article handler per
  processing stage (source-read, doctree-read, a post-transform, an HTML visitor,
  html-page-context), each for a different post; every post must still get its page
  and each fault must be one located ``article.internal`` warning.  Built in a
  subprocess so the patches never leak into other tests.
* ``test-robust``: one post per hostile input that used to abort the build or pass
  silently (a refused image inside a link, control characters and a lone surrogate in
  the title, 1,000 levels of emphasis, broken image files, a figure in a margin note,
  mis-indented YAML, contradicting dates, a 300-character tag, an invalid licence).
* ``test-robust-pdf``: the same bad images and margin figure through ``-M latexpdf``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import (
    ROOTS,
    Built,
    article_warnings,
    build_root,
    need_latex,
    read_html,
    sphinx_build,
    warning_lines,
)

GUARDED = ("source", "doctree", "transform", "visitor", "context")
#: the guarded build: its HTML folder, its stderr, its exit code
Guarded = tuple[Path, str, int]


def _clean(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


# -- one failing handler spares every other post ----------------------------------------


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Guarded:
    out = tmp_path_factory.mktemp("guarded")
    src = out / "src"
    shutil.copytree(ROOTS / "test-robust-guard", src)
    result = sphinx_build(src, out / "build", "html")
    return out / "build" / "html", _clean(result.stderr), result.returncode


def test_failing_handler_in_one_post_spares_the_others(guarded: Guarded) -> None:
    html, stderr, code = guarded
    assert code == 0, stderr
    assert "Traceback" not in stderr and "Exception occurred" not in stderr
    internal = [line for line in stderr.splitlines() if "[article.internal]" in line]
    for post in GUARDED:
        mine = [line for line in internal if f"posts/{post}/index.md" in line]
        assert len(mine) == 1, (post, internal)
        assert "InjectedFault" in mine[0] and "every other post is built" in mine[0]
    assert not [line for line in stderr.splitlines() if "posts/clean/" in line]
    for post in ("clean", "sitewide", *GUARDED):
        page = html / "posts" / post / "index.html"
        assert page.is_file(), post
        assert f"BODY-{post}" in page.read_text(encoding="utf-8"), post


def test_failing_visitor_leaves_a_well_formed_page(guarded: Guarded) -> None:
    from bs4 import BeautifulSoup

    html, _, _ = guarded
    soup = BeautifulSoup(
        (html / "posts/visitor/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert soup.find("main") is not None
    assert "BODY-visitor" in soup.get_text()
    page = (html / "posts/visitor/index.html").read_text(encoding="utf-8")
    assert "HALF-WRITTEN" not in page  # what the failing visitor wrote is taken back
    clean = BeautifulSoup(
        (html / "posts/clean/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert clean.select(".article-title-block, .title-block, header")  # untouched


def test_failing_post_in_a_site_wide_step_spares_the_feed(guarded: Guarded) -> None:
    html, stderr, _ = guarded
    mine = [
        line
        for line in stderr.splitlines()
        if "[article.internal]" in line and "posts/sitewide/index.md" in line
    ]
    assert len(mine) == 1 and "feed" in mine[0], stderr
    feed = ET.parse(html / "feed.xml").getroot()
    ids = [el.text or "" for el in feed.iter("{http://www.w3.org/2005/Atom}id")]
    assert any(i.endswith("posts/clean/index.html") for i in ids)
    assert not any("sitewide" in i for i in ids)  # no half-written entry
    assert (html / "sitemap.xml").is_file() and (html / "posts/sitewide/index.html").is_file()


def test_guard_never_swallows_warnings_as_errors(tmp_path: Path) -> None:
    """``-W`` still fails the build: the guard lets Sphinx's own warning errors through."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-robust-guard", src)
    result = sphinx_build(src, tmp_path / "build", "html", "-W")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def test_guard_lets_control_flow_through_and_keeps_event_results() -> None:
    """-W's SphinxWarning, a deliberate ConfigError and docutils' SkipNode are not
    failures; a failed listener returns what Sphinx iterates ([] for page generators)."""
    from docutils import nodes
    from sphinx.errors import ConfigError, SphinxWarning

    from sphinx_article.guard import guard_listener, guard_visitor

    def raising(exc: BaseException):  # type: ignore[no-untyped-def]
        def handler(app, *args):  # type: ignore[no-untyped-def]
            raise exc

        handler.__module__ = "sphinx_article.test"
        return handler

    for exc in (SphinxWarning("w"), ConfigError("c")):
        with pytest.raises(type(exc)):
            guard_listener("config-inited", raising(exc))(None, None)
    assert (
        guard_listener("env-get-outdated", raising(RuntimeError("x")))(
            None, None, set(), set(), set()
        )
        == []
    )

    def pages(app):  # type: ignore[no-untyped-def]
        yield "one", {}, "page.html"
        raise RuntimeError("half-way")

    pages.__module__ = "sphinx_article.test"
    assert [p[0] for p in guard_listener("html-collect-pages", pages)(None)] == ["one"]

    class Translator:
        body: list[str] = []

    def skipping(self, node):  # type: ignore[no-untyped-def]
        self.body.append("kept")
        raise nodes.SkipNode

    with pytest.raises(nodes.SkipNode):
        guard_visitor(skipping)(Translator(), nodes.paragraph())  # type: ignore[misc]
    assert Translator.body == ["kept"]


# -- hostile inputs, one post each -----------------------------------------------------


@pytest.fixture(scope="module")
def robust(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_root("test-robust", tmp_path_factory.mktemp("robust"))


def _located(lines: list[str], path: str, line: int | None = None) -> list[str]:
    where = f"{path}:{line}:" if line else f"{path}"
    return [w for w in lines if where in w]


def test_every_robust_post_has_a_page_and_no_traceback(robust: Built) -> None:
    for post in ("fine", "target", "text", "nested", "images", "margin", "yaml", "dates", "tags"):
        assert (robust.outdir / "posts" / post / "index.html").is_file(), post
    assert not [w for w in warning_lines(robust) if "Traceback" in w or "Exception" in w]
    assert not article_warnings(robust, "internal")
    assert not [w for w in warning_lines(robust) if "posts/fine/" in w]


def test_refused_image_with_target_link_is_dropped_with_its_link(robust: Built) -> None:
    warnings = article_warnings(robust, "image")
    assert _located(warnings, "posts/target/index.md", 11)
    assert _located(warnings, "posts/target/index.md", 16)
    soup = read_html(robust.app, "posts/target/index")
    body = soup.find("main") or soup
    assert "TARGETBODY" in body.get_text()
    assert not [
        a
        for a in body.find_all("a", href="https://example.org/")
        if not a.get_text(strip=True) and not a.find("img")
    ]


def test_control_characters_and_lone_surrogate_in_title(robust: Built) -> None:
    warnings = article_warnings(robust, "text")
    title_line = _located(warnings, "posts/text/index.md", 2)
    assert title_line and all(c in title_line[0] for c in ("U+0000", "U+0007", "U+001B", "U+D800"))
    assert any("U+202E" in w for w in _located(warnings, "posts/text/index.md", 3))
    page = (robust.outdir / "posts/text/index.html").read_text(encoding="utf-8")
    assert "Control bell escape and lone surrogate" in page
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e]", page)
    cite = robust.outdir / "posts/text/text.bib"
    if cite.is_file():
        assert "\x00" not in cite.read_text(encoding="utf-8")


def test_feed_and_sitemap_are_valid_xml_with_control_characters(robust: Built) -> None:
    feed = ET.parse(robust.outdir / "feed.xml").getroot()
    titles = [el.text for el in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Control bell escape and lone surrogate" in titles
    sitemap = ET.parse(robust.outdir / "sitemap.xml").getroot()
    sitemap_ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [el.text or "" for el in sitemap.iter(f"{sitemap_ns}loc")]
    assert any(loc.endswith("posts/text/index.html") for loc in locs)


def test_feed_text_loses_characters_xml_cannot_hold() -> None:
    from sphinx_article.site.feed import xml_text

    assert xml_text("a\x00b\x07c\x1bd\ud800e\tf") == "abcde\tf"


def test_thousand_levels_of_emphasis_skip_the_body_with_a_warning(robust: Built) -> None:
    warnings = article_warnings(robust, "nesting")
    assert _located(warnings, "posts/nested/index.md", 9), warnings
    soup = read_html(robust.app, "posts/nested/index")
    assert "Nested emphasis" in soup.get_text()  # the title block is still there


def test_deep_emphasis_the_parser_survives_is_refused_too(tmp_path: Path) -> None:
    """150 levels of emphasis parse, but such a tree overflows Python's stack later
    (docutils' visitors, pickling): the tree depth is checked right after parsing."""
    src = tmp_path / "deep"
    (src / "posts/deep").mkdir(parents=True)
    (src / "conf.py").write_text('extensions = ["sphinx_article"]\n', encoding="utf-8")
    (src / "index.md").write_text("# Home\n", encoding="utf-8")
    (src / "posts/deep/index.md").write_text(
        "---\ntitle: Deep\ndescription: Deep.\nauthors:\n  - name: Ada\n---\n\n"
        + "*" * 300
        + "x"
        + "*" * 300
        + "\n",
        encoding="utf-8",
    )
    result = sphinx_build(src, tmp_path / "out", "html")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "posts/deep/index.md:8" in result.stderr and "[article.nesting]" in result.stderr
    assert (tmp_path / "out/html/posts/deep/index.html").is_file()


def test_broken_image_files_are_warned_and_left_out(robust: Built) -> None:
    warnings = article_warnings(robust, "image")
    path = "posts/images/index.md"
    assert any("empty (0 bytes)" in w for w in _located(warnings, path, 11))
    assert any("is a GIF file" in w for w in _located(warnings, path, 13))
    assert any("2147483647 x 2147483647" in w for w in _located(warnings, path, 15))
    page = (robust.outdir / "posts/images/index.html").read_text(encoding="utf-8")
    assert "2147483647" not in page
    soup = read_html(robust.app, "posts/images/index")
    sources = [img["src"] for img in soup.select("main img")]
    assert any("good" in s for s in sources)
    assert not [s for s in sources if re.search(r"(empty|huge)\.png", s)]
    assert any("big" in s for s in sources)  # over budget: warned, but kept
    assert any("gif.png" in s for s in sources)  # mislabelled: browsers show it; PDF does not


def test_hero_with_a_broken_file_is_left_out(robust: Built) -> None:
    warnings = _located(article_warnings(robust, "image"), "posts/images/index.md", 21)
    assert any("2147483647 x 2147483647" in w for w in warnings), warnings
    soup = read_html(robust.app, "posts/images/index")
    assert not [img for img in soup.find_all("img") if "huge" in img.get("src", "")]


def test_hostile_image_header_on_a_site_page_gets_no_size(robust: Built) -> None:
    """Site pages are not checked like posts, but a 2**31 px header never reaches them."""
    page = (robust.outdir / "index.html").read_text(encoding="utf-8")
    assert "huge.png" in page and "2147483647" not in page


def test_image_over_budget_is_warned_by_build_and_check_alike(robust: Built) -> None:
    build = _located(article_warnings(robust, "image"), "posts/images/index.md", 17)
    assert build and "over the image budget of 2 KB" in build[0]
    checked = subprocess.run(
        [sys.executable, "-m", "sphinx_article.cli", "check", str(ROOTS / "test-robust")],
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in checked.stderr
    lines = [line for line in checked.stdout.splitlines() if "big.png" in line]
    assert lines and "posts/images/index.md:17" in lines[0], checked.stdout


def test_image_file_rules_are_one_function() -> None:
    from sphinx_article.model.imagefiles import FileProblem, file_problems, printable, shown_on_web

    folder = ROOTS / "test-robust/posts/images"

    def problems(name: str) -> list[FileProblem]:
        return file_problems(folder / name, name, 2)

    assert problems("good.png") == []
    assert "empty" in problems("empty.png")[0].message
    assert "pixels" in problems("huge.png")[0].message
    gif = problems("gif.png")
    assert "is a GIF file" in gif[0].message and ".gif" in gif[0].message
    assert shown_on_web(gif) and not printable(gif)  # browsers sniff; LaTeX trusts the name
    big = problems("big.png")
    assert shown_on_web(big) and printable(big)
    assert not shown_on_web(problems("empty.png")) and not shown_on_web(problems("huge.png"))
    assert "cannot be read" in file_problems(folder / ("x" * 300 + ".png"), "x.png", 2)[0].message


def test_figure_in_margin_note_is_warned_and_moved_to_the_body(robust: Built) -> None:
    warnings = article_warnings(robust, "note")
    assert _located(warnings, "posts/margin/index.md", 14), warnings
    soup = read_html(robust.app, "posts/margin/index")
    figure = next(f for f in soup.select("main figure") if "MARGINCAPTION" in f.get_text())
    assert figure.find_parent(class_="article-margin-note") is None
    note = soup.select_one("main .article-margin-note")
    assert note is not None and "A note with a figure" in note.get_text()


def test_misindented_yaml_names_the_lost_fields(robust: Built) -> None:
    warnings = article_warnings(robust, "yaml")
    mine = _located(warnings, "posts/yaml/index.md", 6)
    assert mine and "could not be read" in mine[0] and "'authors'" in mine[0], warnings
    assert not _located(article_warnings(robust, "required"), "posts/yaml/index.md")
    soup = read_html(robust.app, "posts/yaml/index")
    assert "Mis-indented YAML" in soup.get_text()  # the fields that parsed are kept


def test_blank_title_and_contradicting_dates_warn(robust: Built) -> None:
    path = "posts/dates/index.md"
    required = _located(article_warnings(robust, "required"), path, 2)
    assert required and "blank" in required[0]
    dates = article_warnings(robust, "date")
    assert any("Both 'date' and 'published'" in w for w in _located(dates, path, 7))
    assert any("earlier than" in w for w in _located(dates, path, 8))


def test_long_tag_gets_a_short_stable_page(robust: Built) -> None:
    from sphinx_article.site.listing import MAX_SLUG, tag_slug

    long_tag = ("a-very-long-tag-" * 19)[:300]
    slug = tag_slug(long_tag)
    assert len(slug) <= MAX_SLUG and slug == tag_slug(long_tag)
    assert tag_slug(long_tag + "x") != slug
    assert (robust.outdir / "tags" / f"{slug}.html").is_file()
    assert not [w for w in warning_lines(robust) if "tags/" in w]


def test_invalid_article_license_in_conf_warns(robust: Built) -> None:
    config = article_warnings(robust, "config")
    assert any("article_license" in w and "SPDX" in w and "CC-BY-4.0" in w for w in config)
    assert robust.app.config.article_license == "CC-BY-4.0"
    assert "CC-BY-5.0" not in (robust.outdir / "posts/fine/index.html").read_text("utf-8")


# -- sphinx-article check ------------------------------------------------------------------


def test_check_survives_a_300_character_image_name(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "posts/long").mkdir(parents=True)
    (site / "conf.py").write_text('extensions = ["sphinx_article"]\n', encoding="utf-8")
    (site / "index.md").write_text("# Home\n", encoding="utf-8")
    (site / "posts/long/index.md").write_text(
        "---\ntitle: Long\ndescription: A long name.\nauthors:\n  - name: Ada\n---\n\n"
        f"![An image]({'x' * 300}.png)\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [sys.executable, "-m", "sphinx_article.cli", "check", str(site)],
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in checked.stderr, checked.stderr
    assert checked.returncode == 1
    assert "posts/long/index.md:8" in checked.stdout, checked.stdout


# -- the PDF ------------------------------------------------------------------------------


@pytest.mark.pdf
def test_pdf_leaves_out_bad_images_and_lifts_margin_figures(tmp_path: Path) -> None:
    need_latex()
    result = sphinx_build(ROOTS / "test-robust-pdf", tmp_path, "latexpdf")
    pdf = tmp_path / "latex" / "figures.pdf"
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert pdf.is_file()
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for needle in ("PDFNOTE", "PDFCAPTION", "PDFBODY"):
        assert needle in text, needle
    tex = (tmp_path / "latex" / "figures.tex").read_text(encoding="utf-8")
    assert not re.search(r"(empty|gif|huge)\.png", tex)
    assert "[article.note]" in _clean(result.stderr)
