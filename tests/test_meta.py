"""Scholarly metadata: Highwire tags checked against the front matter, JSON-LD that
parses, OpenGraph/Twitter cards, and a hostile title escaped in every one of them."""

from __future__ import annotations

import json
import shutil

import pytest

from sphinx_article.domain import get_post

from conftest import ROOTS, build_root, read_html, warning_lines

HOSTILE = '</script><script>alert(1)</script> "quotes" & <b>'


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-meta", tmp_path_factory.mktemp("meta"))


@pytest.fixture(scope="module")
def review(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root(
        "test-meta", tmp_path_factory.mktemp("metareview"), confoverrides={"article_review": True}
    )


def metas(page, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    found = page.head.find_all("meta", attrs={"name": name}) or page.head.find_all(
        "meta", attrs={"property": name}
    )
    return [tag["content"] for tag in found]


def json_ld(page) -> dict:  # type: ignore[no-untyped-def,type-arg]
    scripts = page.head.find_all("script", attrs={"type": "application/ld+json"})
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def test_builds_without_warnings(built) -> None:  # type: ignore[no-untyped-def]
    assert warning_lines(built) == []


def test_highwire_tags_match_front_matter(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "posts/full/index")
    post = get_post(built.env, "posts/full/index")
    assert metas(page, "citation_title") == [post.title]
    assert metas(page, "citation_author") == [a.name for a in post.authors]
    assert metas(page, "citation_author_orcid") == ["https://orcid.org/0000-0002-1825-0097"]
    assert metas(page, "citation_author_institution") == [
        "Analytical Engine Society",
        "Analytical Engine Society",
        "University of Cambridge",
    ]
    assert metas(page, "citation_publication_date") == ["2026/04/24"]
    assert metas(page, "citation_doi") == [post.doi]
    assert metas(page, "citation_journal_title") == ["Test Journal"]
    assert not metas(page, "citation_conference_title")
    assert metas(page, "citation_keywords") == ["gradients; attribution"]
    refs = metas(page, "citation_reference")
    assert len(refs) == 2
    assert any(
        "citation_title=Deep Inside Convolutional Networks" in r
        and "citation_doi=10.48550/arXiv.1312.6034" in r
        for r in refs
    )
    # each institution follows its author
    names = [
        (t["name"], t["content"])
        for t in page.head.find_all("meta")
        if t.get("name", "").startswith("citation_author")
    ]
    assert names[0] == ("citation_author", "Ada Lovelace")
    assert names[1] == ("citation_author_institution", "Analytical Engine Society")


def test_pdf_url_is_absolute_when_the_pdf_exists(tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "test-meta"
    shutil.copytree(ROOTS / "test-meta", src)
    (src / "_build" / "latex").mkdir(parents=True)
    (src / "_build" / "latex" / "full.pdf").write_bytes(b"%PDF-1.4\n")
    built = build_root("test-meta", tmp_path)
    page = read_html(built.app, "posts/full/index")
    url = "https://blog.example.org/posts/full/full.pdf"
    assert metas(page, "citation_pdf_url") == [url]
    assert json_ld(page)["encoding"]["contentUrl"] == url


def test_json_ld_parses_and_has_the_authors(built) -> None:  # type: ignore[no-untyped-def]
    data = json_ld(read_html(built.app, "posts/full/index"))
    assert data["@type"] == "ScholarlyArticle" and data["headline"] == "A fully described post"
    ada, charles = data["author"]
    assert (
        ada["name"] == "Ada Lovelace" and ada["sameAs"] == "https://orcid.org/0000-0002-1825-0097"
    )
    assert ada["affiliation"][0]["name"] == "Analytical Engine Society"
    assert charles["affiliation"][1]["identifier"] == "https://ror.org/013meh722"
    assert data["datePublished"] == "2026-04-24" and data["dateModified"] == "2026-05-02"
    assert data["identifier"]["value"] == "10.5281/zenodo.1234567"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["url"] == "https://blog.example.org/posts/full/index.html"
    assert data["image"].startswith("https://blog.example.org/_images/")
    assert len(data["citation"]) == 2


def test_cards_and_canonical(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "posts/full/index")
    assert metas(page, "og:title") == ["A fully described post"]
    assert metas(page, "og:type") == ["article"]
    assert metas(page, "og:url") == ["https://blog.example.org/posts/full/index.html"]
    image = metas(page, "og:image")
    assert len(image) == 1 and image[0].startswith("https://blog.example.org/_images/hero")
    assert (built.outdir / image[0].removeprefix("https://blog.example.org/")).is_file()
    assert metas(page, "og:image:alt") == ["A saliency map over a sentence."]
    assert metas(page, "twitter:card") == ["summary_large_image"]
    assert metas(page, "twitter:image") == image
    assert metas(page, "article:author") == ["Ada Lovelace", "Charles Babbage"]
    canonical = page.head.find_all("link", rel="canonical")
    assert [c["href"] for c in canonical] == ["https://blog.example.org/posts/full/index.html"]


def test_hostile_title_is_escaped_everywhere(built) -> None:  # type: ignore[no-untyped-def]
    source = (built.outdir / "posts/hostile/index.html").read_text(encoding="utf-8")
    assert "<script>alert(" not in source and "<img src=x" not in source
    page = read_html(built.app, "posts/hostile/index")
    for name in ("citation_title", "og:title", "twitter:title"):
        assert metas(page, name) == [HOSTILE], name
    assert metas(page, "citation_author") == ["</script><img src=x onerror=alert(2)> Ada"]
    assert metas(page, "citation_author_institution") == ['"Quoted" & <Institute>']
    raw = page.head.find("script", attrs={"type": "application/ld+json"}).string
    assert "<" not in raw and ">" not in raw and "&" not in raw
    data = json.loads(raw)
    assert data["headline"] == HOSTILE and data["author"][0]["name"].startswith("</script>")
    assert "alert(3)" in data["citation"][0]["name"]
    # every meta tag's text survives the round trip exactly, nothing leaks into markup
    assert page.head.find("b") is None and page.head.find("img") is None
    assert len(page.head.find_all("script", src=False)) == len(
        [s for s in page.head.find_all("script") if not s.get("src")]
    )


def test_review_build_names_nobody(review) -> None:  # type: ignore[no-untyped-def]
    page = read_html(review.app, "posts/full/index")
    head = str(page.head)
    for leak in (
        "Lovelace",
        "Babbage",
        "0000-0002-1825-0097",
        "ada@example.org",
        "Analytical Engine Society",
    ):
        assert leak not in head, leak
    assert not metas(page, "citation_author") and not metas(page, "article:author")
    assert "author" not in json_ld(page)
    assert metas(page, "citation_title") == ["A fully described post"]


def test_ordinary_pages_get_no_scholarly_meta(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "index")
    assert not metas(page, "citation_title")
    assert page.head.find("script", attrs={"type": "application/ld+json"}) is None
