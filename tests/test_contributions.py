"""author-contributions: the CRediT statement, a written body, review builds, warnings."""

from __future__ import annotations

import pytest

from sphinx_article.features.contributions import credit_statement
from sphinx_article.model.frontmatter import parse_post

from conftest import article_warnings, build_root, read_html

SENTENCE = (
    "Conceptualization: A. Lovelace, C. Babbage. Software: C. Babbage. "
    "Writing – original draft: A. Lovelace."
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-contributions", tmp_path_factory.mktemp("contrib"))


@pytest.fixture(scope="module")
def latex(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-contributions", tmp_path_factory.mktemp("contrib-tex"), builder="latex")


def test_statement_from_front_matter() -> None:
    source = (
        "---\ntitle: T\ndescription: D\nauthors:\n"
        "  - name: Ada King Lovelace\n    roles: [software, conceptualization]\n"
        "  - name: Babbage\n    roles: [Conceptualization]\n---\n"
    )
    post, problems = parse_post("posts/x/index", source)
    assert not problems
    # CRediT's order, byline order, initials; a one-word name stays as it is
    assert credit_statement(post) == (
        "Conceptualization: A. K. Lovelace, Babbage. Software: A. K. Lovelace."
    )


def test_generated_statement_in_the_appendix(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built, "posts/generated/index")
    node = page.select_one(".article-contributions")
    assert node.get_text(" ", strip=True) == SENTENCE
    section = node.find_parent("section")
    assert section["id"] == "appendix-contributions"
    assert section.select_one("h2").get_text() == "Author contributions"
    assert "More text." in page.select_one("article.article-body").get_text()


def test_written_body_replaces_statement(built) -> None:  # type: ignore[no-untyped-def]
    node = read_html(built, "posts/written/index").select_one(".article-contributions")
    assert node.select_one("em").get_text() == "wrote"
    assert "Conceptualization" not in node.get_text()


def test_outside_the_appendix_it_has_its_own_heading(built) -> None:  # type: ignore[no-untyped-def]
    node = read_html(built, "index").select_one("section.article-contributions")
    assert node.select_one("h2").get_text() == "Author contributions"
    assert node.select_one("em").get_text() == "planned"


def test_no_roles_no_body_warns(built) -> None:  # type: ignore[no-untyped-def]
    hits = article_warnings(built, "contributions")
    assert len(hits) == 1 and "posts/noroles/index.md:21:" in hits[0]
    assert "Add CRediT roles" in hits[0]
    page = read_html(built, "posts/noroles/index")
    assert not page.select(".article-contributions") and "Text after." in page.get_text()


def test_names_are_escaped(built, latex) -> None:  # type: ignore[no-untyped-def]
    node = read_html(built, "posts/escaped/index").select_one(".article-contributions")
    # a name with braces or a backslash is split on spaces (not parsed as TeX): the
    # last word is the family name, the given names keep non-letters whole
    assert not node.select("b") and (
        "Conceptualization: A. <b>Love</b> & \\emph{Lace} %." in node.get_text()
    )
    tex = (latex.outdir / "escaped.tex").read_text(encoding="utf-8")
    assert (
        r"Conceptualization: A. \textless{}b\textgreater{}Love\textless{}/b\textgreater{} "
        r"\& \textbackslash{}emph\{Lace\} \%."
    ) in tex


def test_latex_before_references(latex) -> None:  # type: ignore[no-untyped-def]
    tex = (latex.outdir / "generated.tex").read_text(encoding="utf-8")
    start = tex.index(r"\begin{ArticleContributions}")
    assert "Writing \\textendash{} original draft: A. Lovelace." in tex[start:]
    assert start < tex.index(r"\ArticleAppendixSection{Citation}")


def test_review_build_omits_contributions(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-contributions", tmp_path, confoverrides={"article_review": True})
    for post in ("generated", "written", "escaped"):
        page = read_html(built, f"posts/{post}/index")
        assert not page.select(".article-contributions")
        assert "Lovelace" not in page.select_one("article.article-body").get_text()
    assert not article_warnings(built, "contributions")


@pytest.mark.parametrize("builder", ["text", "man", "texinfo"])
def test_other_builders(tmp_path, builder) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-contributions", tmp_path, builder=builder)
    assert not [w for w in built.warnings.splitlines() if "Traceback" in w or "unknown node" in w]
    if builder == "text":
        text = (built.outdir / "posts/generated/index.txt").read_text(encoding="utf-8")
        assert "Conceptualization: A. Lovelace, C. Babbage." in text
