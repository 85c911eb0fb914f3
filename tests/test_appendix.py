"""The appendix: Distill's section order on the web, the PDF's order, "Cite this post"
with a .bib that pybtex parses, review builds, and translated labels."""

from __future__ import annotations

import json
import shutil

import pytest
from pybtex.database import parse_string

from conftest import ROOTS, build_root, read_html, warning_lines

WEB_ORDER = [
    "acknowledgements",
    "funding",
    "contributions",
    "footnotes",
    "references",
    "updates",
    "license",
    "cite",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-appendix", tmp_path_factory.mktemp("appendix"))


@pytest.fixture(scope="module")
def page(built):  # type: ignore[no-untyped-def]
    return read_html(built.app, "posts/full/index")


def kinds(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [s["id"].removeprefix("appendix-") for s in page.select(".article-appendix__section")]


def test_builds_without_warnings(built) -> None:  # type: ignore[no-untyped-def]
    assert warning_lines(built) == []


def test_web_order_and_titles(page) -> None:  # type: ignore[no-untyped-def]
    assert kinds(page) == WEB_ORDER
    titles = [h.get_text() for h in page.select(".article-appendix__title")]
    assert titles == [
        "Acknowledgements",
        "Funding",
        "Author contributions",
        "Footnotes",
        "References",
        "Updates and corrections",
        "Reuse",
        "Citation",
    ]
    # the appendix closes the article body
    assert page.select_one("article.article-body > .article-appendix") is not None


def test_moved_content(page) -> None:  # type: ignore[no-untyped-def]
    ack = page.select_one("#appendix-acknowledgements").get_text(" ", strip=True)
    assert "We thank the Analytical Engine Society." in ack and "reviewers" in ack
    contrib = page.select_one("#appendix-contributions")
    assert contrib.select_one(".contrib").get_text(strip=True) == "Conceptualization: A. Lovelace."
    assert page.select(".contrib") == [contrib.select_one(".contrib")]  # moved, not copied
    footnotes = page.select_one("#appendix-footnotes")
    assert "The footnote\u2019s text." in footnotes.get_text()
    ref = page.select_one("a.footnote-reference")
    assert footnotes.find(id=ref["href"][1:]) is not None


def test_funding_statement(page) -> None:  # type: ignore[no-untyped-def]
    funding = page.select_one("#appendix-funding")
    assert funding.select_one("p").get_text() == "Supported by the Royal Society (grant RS-1843)."
    grant = json.loads(page.select_one('script[type="application/ld+json"]').string)["funding"]
    assert grant == {"@type": "Grant", "name": "Supported by the Royal Society (grant RS-1843)."}


HOSTILE_FUNDING = "'<b>Grant</b> </script> 100% & \\input{x} {_^~# *not em*'"


def test_hostile_funding_is_escaped_everywhere(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The funding statement is text: HTML, JSON-LD and LaTeX escape it."""
    source = tmp_path / "src/test-appendix"
    shutil.copytree(ROOTS / "test-appendix", source)
    post = source / "posts/bare/index.md"
    post.write_text(
        post.read_text(encoding="utf-8").replace(
            "published: 2026-04-25", f"published: 2026-04-25\nfunding: {HOSTILE_FUNDING}"
        ),
        encoding="utf-8",
    )
    plain = "<b>Grant</b> </script> 100% & \\input{x} {_^~# *not em*"
    html = build_root("test-appendix", tmp_path / "html", src=source)
    page = read_html(html.app, "posts/bare/index")
    assert page.select_one("#appendix-funding p").get_text() == plain
    assert page.select_one("#appendix-funding b") is None
    raw = (html.outdir / "posts/bare/index.html").read_text(encoding="utf-8")
    assert "<b>Grant" not in raw and "&lt;b&gt;Grant&lt;/b&gt;" in raw
    assert raw.count("</script>") == raw.count("<script")  # none from the statement
    grant = json.loads(page.select_one('script[type="application/ld+json"]').string)["funding"]
    assert grant["name"] == plain
    latex = build_root("test-appendix", tmp_path / "tex", src=source, builder="latex")
    tex = (latex.outdir / "bare.tex").read_text(encoding="utf-8")
    assert "\\input{x}" not in tex and "\\textbackslash{}input" in tex
    assert "100\\%" in tex and "\\&" in tex and "\\#" in tex and "\\_" in tex


def test_updates_and_license(page) -> None:  # type: ignore[no-untyped-def]
    updates = [li.get_text(" ", strip=True) for li in page.select("#appendix-updates li")]
    assert updates == [
        "May 10, 2026 : Added a figure.",
        "May 2, 2026 : Fixed the sign in equation 2.",
    ]
    licence = page.select_one("#appendix-license")
    link = licence.select_one("a.article-license")
    assert (
        link["href"] == "https://opensource.org/licenses/MIT" and link.get_text() == "MIT License"
    )
    assert "(MIT)" in licence.get_text()


def test_cite_this_and_bib_download(built, page) -> None:  # type: ignore[no-untyped-def]
    cite = page.select_one("#appendix-cite")
    text = cite.select_one(".article-cite-this__text").get_text()
    assert text == (
        "Lovelace, A. and Babbage, C. (2026). \u201cEverything in the appendix\u201d. "
        "Test Track. https://doi.org/10.5281/zenodo.1234567"
    )
    shown = cite.select_one("pre.article-bibtex").get_text()
    button = cite.select_one("button.article-copy")
    assert button.has_attr("hidden") and button["data-copy-target"] == "article-bibtex"
    link = cite.select_one("a.article-download")
    bib = built.outdir / "posts/full" / link["href"]
    assert link.has_attr("download") and bib.is_file()
    assert bib.read_text(encoding="utf-8") == shown
    data = parse_string(bib.read_text(encoding="utf-8"), "bibtex")
    ((key, entry),) = data.entries.items()
    assert key == "lovelace2026everything" and entry.type == "inproceedings"
    assert entry.fields["title"] == "Everything in the appendix"
    assert entry.fields["booktitle"] == "Test Track" and entry.fields["year"] == "2026"
    assert entry.fields["doi"] == "10.5281/zenodo.1234567"
    assert entry.fields["url"] == "https://blog.example.org/posts/full/index.html"
    assert [str(p) for p in entry.persons["author"]] == ["Lovelace, Ada", "Babbage, Charles"]


def test_bare_post_gets_license_and_citation_only(built) -> None:  # type: ignore[no-untyped-def]
    assert kinds(read_html(built.app, "posts/bare/index")) == ["license", "cite"]
    assert read_html(built.app, "index").select_one(".article-appendix") is None


def test_hostile_title_in_bibtex_is_escaped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-appendix", tmp_path)
    post = built.srcdir / "posts/bare/index.md"
    post.write_text(
        post.read_text(encoding="utf-8").replace(
            "title: A bare post", "title: 'Brace { alone \\\\input{x} 100% & \" <b>'"
        ),
        encoding="utf-8",
    )
    again = build_root("test-appendix", tmp_path)
    bib = (again.outdir / "posts/bare/bare.bib").read_text(encoding="utf-8")
    entry = next(iter(parse_string(bib, "bibtex").entries.values()))
    assert "\\input{x}" not in bib
    assert "\\textbackslash{}input\\textbraceleft{}x" in entry.fields["title"]
    page = (again.outdir / "posts/bare/index.html").read_text(encoding="utf-8")
    assert "<b>'" not in page and "&lt;b&gt;" in page


def test_review_build_drops_identifying_sections(tmp_path) -> None:  # type: ignore[no-untyped-def]
    review = build_root("test-appendix", tmp_path, confoverrides={"article_review": True})
    page = read_html(review.app, "posts/full/index")
    assert kinds(page) == ["footnotes", "references", "updates", "license", "cite"]
    appendix = page.select_one(".article-appendix").get_text()
    assert "Lovelace" not in appendix and "Analytical Engine" not in appendix
    assert "Royal Society" not in review.outdir.joinpath("posts/full/index.html").read_text(
        encoding="utf-8"
    )  # funding names a sponsor: not in the appendix, the JSON-LD or anywhere else
    assert "Anonymous (2026)" in appendix
    bib = (review.outdir / "posts/full/full.bib").read_text(encoding="utf-8")
    assert "author" not in bib and "anonymous2026everything" in bib


def test_sidenote_footnotes_stay_out_of_the_appendix(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root(
        "test-appendix", tmp_path, confoverrides={"article_footnotes_as_sidenotes": True}
    )
    assert "footnotes" not in kinds(read_html(built.app, "posts/full/index"))


def test_labels_are_translated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-appendix", tmp_path, confoverrides={"language": "fr"})
    page = read_html(built.app, "posts/full/index")
    titles = [h.get_text() for h in page.select(".article-appendix__title")]
    assert "Références" in titles and "Remerciements" in titles and "Financement" in titles
    assert page.select_one("button.article-copy").get_text() == "Copier le BibTeX"


@pytest.fixture(scope="module")
def latex(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-appendix", tmp_path_factory.mktemp("appendixtex"), builder="latex")


def test_latex_order(latex) -> None:  # type: ignore[no-untyped-def]
    tex = (latex.outdir / "full.tex").read_text(encoding="utf-8")
    body = tex[tex.index("\\begin{ArticleAppendix}") :]
    order = [
        body.index(f"\\ArticleAppendixSection{{{title}}}")
        for title in (
            "Acknowledgements",
            "Funding",
            "Author contributions",
            "Updates and corrections",
            "Reuse",
            "References",
            "Citation",
        )
    ]
    assert order == sorted(order)
    assert "\\ArticleAppendixSection{Footnotes}" not in body  # real footnotes in the PDF
    funding = body[body.index("\\ArticleAppendixSection{Funding}") :]
    assert funding.index("Supported by the Royal Society (grant RS") < funding.index(
        "\\ArticleAppendixSection{Author contributions}"
    )
    tail = tex[tex.index("\\end{ArticleCiteThis}") :]  # nothing follows the BibTeX
    assert "\\begin{" not in tail and "\\section" not in tail
    assert body.index("\\begin{ArticleCiteThis}") > body.index("\\begin{ArticleReferences}")
