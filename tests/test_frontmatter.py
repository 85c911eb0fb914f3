"""Front matter: the typed record, and one located warning per kind of mistake."""

from __future__ import annotations

import pytest

from sphinx_article.domain import get_post
from sphinx_article.model.frontmatter import orcid_checksum_ok, parse_post

from conftest import article_warnings, build_root, read_html, warning_lines


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-frontmatter", tmp_path_factory.mktemp("fm"))


@pytest.fixture(scope="module")
def warning(built):  # type: ignore[no-untyped-def]
    return built


def test_good_post_record(built) -> None:  # type: ignore[no-untyped-def]
    post = get_post(built.env, "posts/good/index")
    assert post.title == "A good post"
    assert [a.name for a in post.authors] == ["Ada Lovelace", "Charles Babbage"]
    ada, charles = post.authors
    assert ada.orcid == "0000-0002-1825-0097"
    assert ada.roles == ["conceptualization", "writing-original-draft"]
    assert ada.corresponding and ada.equal_contribution
    assert charles.affiliations == ["aes", "University of Cambridge"]
    assert post.affiliation("aes").ror == "https://ror.org/03yrm5c26"
    assert post.published == "2026-04-24" and post.updated == "2026-05-02"
    assert post.doi == "10.5281/zenodo.1234567"
    assert post.license == "CC-BY-SA-4.0"
    assert post.tags == ["interpretability", "saliency"]
    assert post.slug == "good"


def test_good_post_has_no_warnings(built, warning) -> None:  # type: ignore[no-untyped-def]
    assert not [w for w in warning_lines(warning) if "posts/good" in w]


def test_posts_need_no_toctree(built, warning) -> None:  # type: ignore[no-untyped-def]
    assert not [w for w in warning_lines(warning) if "toctree" in w]


@pytest.mark.parametrize(
    ("subtype", "line", "needle"),
    [
        ("key", 3, "did you mean 'description'"),
        ("url", 6, "not an http(s) URL"),
        ("orcid", 7, "checksum"),
        ("url", 8, "not an email address"),
        ("affiliation", 9, "Unknown affiliation id 'aez'; did you mean 'aes'"),
        ("role", 10, "'dancing' is not a CRediT role"),
        ("required", 11, "'name' is required"),
        ("date", 15, "'published: 2026-02-30' is not a real date"),
        ("date", 16, "'updated: yesterday' is not a real date"),
        ("license", 17, "not a known SPDX identifier"),
        ("doi", 18, "is not a DOI"),
        ("type", 19, "'tags' must be a list of text"),
        ("type", 20, "'draft' must be true or false"),
        ("required", 1, "'description' is required"),
    ],
)
def test_each_mistake_is_located(built, warning, subtype, line, needle) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(warning, subtype) if "posts/bad/index.md" in w]
    assert any(f"index.md:{line}:" in w and needle in w for w in hits), hits


def test_yaml_error_is_located_and_post_still_builds(built, warning) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(warning, "yaml") if "posts/yamlerr" in w]
    assert hits and "not valid YAML" in hits[0]
    assert "Text survives." in read_html(built, "posts/yamlerr/index").get_text()


def test_alias_bomb_is_refused(built, warning) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(warning, "yaml") if "posts/bomb" in w]
    assert hits and "anchors and aliases" in hits[0]
    page = read_html(built, "posts/bomb/index")
    assert page.select_one("h1.article-title").get_text() == "Billion laughs"


def test_front_matter_not_a_mapping(built, warning) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(warning, "yaml") if "posts/notmap" in w]
    assert hits and "must be a mapping" in hits[0]


def test_title_from_front_matter_and_h2_start(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built, "posts/h2first/index")
    assert page.select_one("h1.article-title").get_text() == "Starts at H2"
    assert page.select_one("article.article-body h2").get_text().startswith("Background")
    assert page.title.get_text().startswith("Starts at H2")
    assert not page.select("article.article-body h1")


def test_repeated_title_heading_is_dropped(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built, "posts/good/index")
    assert len(page.find_all("h1")) == 1
    assert page.select_one("article.article-body h2").get_text().startswith("First section")


def test_differing_first_heading_warns(built, warning) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(warning, "title") if "posts/titlediff" in w]
    assert hits and "index.md:8:" in hits[0] and "differs from the front-matter title" in hits[0]


def test_ordinary_pages_are_not_posts(built) -> None:  # type: ignore[no-untyped-def]
    assert get_post(built.env, "index") is None
    assert read_html(built, "index").select_one(".article-titleblock") is None


def test_orcid_checksum() -> None:
    assert orcid_checksum_ok("0000-0002-1825-0097")
    assert orcid_checksum_ok("0000-0002-1694-233X")
    assert not orcid_checksum_ok("0000-0002-1825-0098")


def test_parser_needs_no_sphinx() -> None:
    post, problems = parse_post(
        "posts/x/index", "---\ntitle: T\ndescription: D\nauthors: [A B]\n---\n"
    )
    assert post.title == "T" and post.authors[0].name == "A B" and not problems
    _, problems = parse_post("posts/x/index", "no front matter")
    assert problems[0].subtype.value == "required"


def test_hostile_lang_is_refused() -> None:
    post, problems = parse_post(
        "p", '---\ntitle: T\ndescription: D\nauthors: [A]\nlang: en"><script>\n---\n'
    )
    assert post.lang == "" and problems[0].subtype.value == "type" and problems[0].line == 5


def test_huge_and_deep_front_matter_are_refused() -> None:
    _, problems = parse_post("p", "---\ntitle: " + "x" * 70000 + "\n---\n")
    assert problems[0].subtype.value == "yaml" and "larger than" in problems[0].message
    deep = "---\na: " + "[" * 200 + "]" * 200 + "\n---\n"
    _, problems = parse_post("p", deep)
    assert problems[0].subtype.value == "yaml"


def test_suppress_warnings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root(
        "test-frontmatter", tmp_path, confoverrides={"suppress_warnings": ["article.orcid"]}
    )
    assert not article_warnings(built, "orcid")
    assert article_warnings(built, "role")
