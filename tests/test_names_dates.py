"""Authors' names, ORCID URLs and display dates: one rule each (people.py, dates.py),
the same in every output (issue 18, step 1)."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from pybtex.database import parse_string

from sphinx_article.model.dates import display_date
from sphinx_article.model.frontmatter import Author, parse_post
from sphinx_article.model.people import PersonName, orcid_url, parse_name, ror_url

from conftest import ROOTS, article_warnings, build_root, read_html

# -- names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, parts, cited, short, inverted",
    [
        (
            "Ada Lovelace",
            ("Ada", "", "Lovelace", ""),
            "Lovelace, A.",
            "A. Lovelace",
            "Lovelace, Ada",
        ),
        (
            "Ludwig van Beethoven",
            ("Ludwig", "van", "Beethoven", ""),
            "Beethoven, L. van",
            "L. van Beethoven",
            "van Beethoven, Ludwig",
        ),
        (
            "Charles de la Vallée Poussin",
            ("Charles", "de la", "Vallée Poussin", ""),
            "Vallée Poussin, C. de la",
            "C. de la Vallée Poussin",
            "de la Vallée Poussin, Charles",
        ),
        (
            "Martin Luther King Jr.",
            ("Martin Luther", "", "King", "Jr."),
            "King, M. L., Jr.",
            "M. L. King Jr.",
            "King, Jr., Martin Luther",
        ),
        (
            "Martin Luther King, jr",
            ("Martin Luther", "", "King", "Jr"),
            "King, M. L., Jr",
            "M. L. King Jr",
            "King, Jr, Martin Luther",
        ),
        (
            "Henry Ford III",
            ("Henry", "", "Ford", "III"),
            "Ford, H., III",
            "H. Ford III",
            "Ford, III, Henry",
        ),
        (
            "King, Martin Luther",
            ("Martin Luther", "", "King", ""),
            "King, M. L.",
            "M. L. King",
            "King, Martin Luther",
        ),
        (
            "Jean-Paul Sartre",
            ("Jean-Paul", "", "Sartre", ""),
            "Sartre, J.-P.",
            "J.-P. Sartre",
            "Sartre, Jean-Paul",
        ),
        (
            "Émilie du Châtelet",
            ("Émilie", "du", "Châtelet", ""),
            "Châtelet, É. du",
            "É. du Châtelet",
            "du Châtelet, Émilie",
        ),
        (
            "Stéphane d'Ascoli",
            ("Stéphane", "", "d'Ascoli", ""),
            "d'Ascoli, S.",
            "S. d'Ascoli",
            "d'Ascoli, Stéphane",
        ),
        ("Hypatia", ("", "", "Hypatia", ""), "Hypatia", "Hypatia", "Hypatia"),
        ("Jr.", ("", "", "Jr.", ""), "Jr.", "Jr.", "Jr."),  # a suffix needs a name before it
        ("John Vi", ("John", "", "Vi", ""), "Vi, J.", "J. Vi", "Vi, John"),  # not a numeral
        ("毛泽东", ("", "", "毛泽东", ""), "毛泽东", "毛泽东", "毛泽东"),
        ("山田 太郎", ("山田", "", "太郎", ""), "太郎, 山田", "山田 太郎", "太郎, 山田"),
        (
            "Αλέξανδρος Παπαδόπουλος",
            ("Αλέξανδρος", "", "Παπαδόπουλος", ""),
            "Παπαδόπουλος, Α.",
            "Α. Παπαδόπουλος",
            "Παπαδόπουλος, Αλέξανδρος",
        ),
        ("bell hooks", ("", "bell", "hooks", ""), "bell hooks", "bell hooks", "bell hooks"),
    ],
)
def test_parse_name(name, parts, cited, short, inverted) -> None:  # type: ignore[no-untyped-def]
    person = parse_name(name)
    assert (person.given, person.particle, person.family, person.suffix) == parts
    assert (person.cited, person.short, person.inverted) == (cited, short, inverted)
    assert person.display == " ".join(name.split())


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "Ada {Lovelace",
        "a, b, c, d",
        "\\input{x} Ada",
        "}{",
        "and",
        ", ,",
        "</script><img src=x onerror=alert(1)> Ada",
        "Ada\u202eLovelace",
        "x" * 5000,
        "Ada " * 500,
        "{{{{{{{{{{",
        "\\",
        "Ada, Jr.",
    ],
)
def test_parse_name_never_fails(name: str) -> None:
    person = parse_name(name)
    for text in (person.display, person.cited, person.short, person.inverted):
        assert isinstance(text, str)
    if name.strip():
        assert person.family  # something to key and sort a citation by


def test_name_parts_from_a_mapping_win_over_the_guess() -> None:
    author = Author(name="Yamada Tarō", parts=PersonName("Tarō", "", "Yamada", "", "Yamada Tarō"))
    assert (author.family, author.given, author.cited_name) == ("Yamada", "Tarō", "Yamada, T.")
    assert Author(name="Yamada Tarō").family == "Tarō"  # the guess, for comparison


def test_orcid_url_is_one_rule() -> None:
    assert orcid_url("0000-0002-1825-0097") == "https://orcid.org/0000-0002-1825-0097"
    assert orcid_url("") == ""
    author = Author(name="Ada", orcid="0000-0002-1825-0097")
    assert author.orcid_url == "https://orcid.org/0000-0002-1825-0097"


def test_ror_url_is_one_rule() -> None:
    assert (
        ror_url("03yrm5c26")
        == ror_url("https://ror.org/03yrm5c26")
        == ("https://ror.org/03yrm5c26")
    )
    assert ror_url("") == ""


# -- front-matter aliases --------------------------------------------------------------

FRONT = """---
title: T
description: D
affiliations:
  - id: aes
    name: Analytical Engine Society
authors:
{authors}
---
"""


def parse(authors: str):  # type: ignore[no-untyped-def]
    return parse_post("posts/p/index", FRONT.format(authors=authors))


def test_name_as_given_and_family() -> None:
    post, problems = parse(
        "  - name: {given: Ludwig, family: Beethoven, "
        "non_dropping_particle: van}\n"
        "  - name: {given: Martin Luther, family: King, suffix: Jr.}\n"
        "  - name: {given: Tarō, family: Yamada, literal: Yamada Tarō}\n"
        "  - name: {literal: Ada Lovelace}"
    )
    assert not problems
    names = [(a.name, a.family, a.given, a.cited_name) for a in post.authors]
    assert names == [
        ("Ludwig van Beethoven", "Beethoven", "Ludwig", "Beethoven, L. van"),
        ("Martin Luther King Jr.", "King", "Martin Luther", "King, M. L., Jr."),
        ("Yamada Tarō", "Yamada", "Tarō", "Yamada, T."),
        ("Ada Lovelace", "Lovelace", "Ada", "Lovelace, A."),
    ]


def test_bad_name_mappings_are_located_warnings() -> None:
    post, problems = parse(
        "  - name: {given: Ada, first: Augusta}\n"
        "  - name: {family: [Lovelace]}\n"
        "  - name: Charles Babbage"
    )
    found = [(p.subtype.value, p.line, p.message.split(";")[0]) for p in problems]
    assert ("key", 8, "Unknown front-matter key 'first'") in found
    assert any(
        kind == "required" and line == 8 and "needs 'family'" in message
        for kind, line, message in found
    )
    assert any(kind == "type" and line == 9 for kind, line, _ in found)
    assert [a.name for a in post.authors] == ["Charles Babbage"]


def test_equal_contributor_alias() -> None:
    post, problems = parse(
        "  - name: Ada Lovelace\n    equal_contributor: true\n"
        "  - name: Charles Babbage\n    equal_contribution: true\n"
        "  - name: Mary Somerville\n    equal_contributor: maybe"
    )
    assert [a.equal_contribution for a in post.authors] == [True, True, False]
    assert [(p.subtype.value, p.line) for p in problems] == [("type", 13)]


def test_affiliations_as_objects() -> None:
    post, problems = parse(
        "  - name: Ada Lovelace\n"
        "    affiliations:\n"
        "      - {name: University of London, url: https://london.ac.uk, ror: 04cw6st05}\n"
        "      - {id: aes}\n"
        "      - aes\n"
        "  - name: Charles Babbage\n"
        "    affiliations: [{name: University of London}, {url: https://x.org}, [nested],"
        " {id: nope}]"
    )
    assert post.authors[0].affiliations == ["University of London", "aes"]
    assert post.authors[1].affiliations == ["University of London"]
    london = post.affiliation("University of London")
    assert london and london.url == "https://london.ac.uk"
    assert london.ror == "https://ror.org/04cw6st05"
    assert len(post.affiliations) == 2
    found = [(p.subtype.value, p.line) for p in problems]
    assert found == [("required", 14), ("type", 14), ("affiliation", 14)], problems


# -- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, expected",
    [
        (None, "April 4, 2026"),
        ("en", "April 4, 2026"),
        ("fr", "4 avril 2026"),
        ("de", "4. April 2026"),
        ("pt_BR", "4 de abril de 2026"),
        ("pt-BR", "4 de abril de 2026"),
        ("en_GB", "4 April 2026"),
        ("xx", "April 4, 2026"),
        ("", "April 4, 2026"),
        ("../../etc", "April 4, 2026"),
    ],
)
def test_display_date(language, expected) -> None:  # type: ignore[no-untyped-def]
    assert display_date("2026-04-04", language) == expected


def test_display_date_english_has_no_leading_zero() -> None:
    assert display_date("2026-12-14", "en") == "December 14, 2026"
    assert display_date("2026-01-01", "en") == "January 1, 2026"


# -- in a build ------------------------------------------------------------------------

BEETHOVEN = """---
title: The ninth symphony
description: A post by two authors whose names a naive split gets wrong.
authors:
  - name: Ludwig van Beethoven
    orcid: https://orcid.org/0000-0002-1825-0097
    equal_contributor: true
  - name: {given: Martin Luther, family: King, suffix: Jr.}
    equal_contribution: true
published: 2026-04-04
updated: 2026-05-02
---

## Body

Nothing else.
"""


@pytest.fixture(scope="module")
def french(tmp_path_factory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("names-fr")
    shutil.copytree(ROOTS / "test-appendix", tmp / "test-appendix")
    (tmp / "test-appendix/posts/bare/index.md").write_text(BEETHOVEN, encoding="utf-8")
    return build_root("test-appendix", tmp, confoverrides={"language": "fr"})


def test_french_dates_and_parsed_names(french) -> None:  # type: ignore[no-untyped-def]
    assert not article_warnings(french, "")
    page = read_html(french.app, "posts/bare/index")
    dates = page.select(".byline-dates time")
    assert [t.get_text() for t in dates] == ["4 avril 2026", "2 mai 2026"]
    assert [t["datetime"] for t in dates] == ["2026-04-04", "2026-05-02"]
    orcid = page.select_one(".byline-authors a.orcid")
    assert orcid["href"] == "https://orcid.org/0000-0002-1825-0097"
    text = page.select_one(".article-cite-this__text").get_text()
    assert text.startswith("Beethoven, L. van and King, M. L., Jr. (2026).")
    bib = (french.outdir / "posts/bare/bare.bib").read_text(encoding="utf-8")
    ((key, entry),) = parse_string(bib, "bibtex").entries.items()
    assert key == "beethoven2026ninth"
    assert [str(p) for p in entry.persons["author"]] == [
        "van Beethoven, Ludwig",
        "King, Jr., Martin Luther",
    ]
    assert 'author = "van Beethoven, Ludwig and King, Jr., Martin Luther"' in bib
    ld = json.loads(page.select_one('script[type="application/ld+json"]').string)
    people = [(p["name"], p.get("givenName"), p.get("familyName")) for p in ld["author"]]
    assert people == [
        ("Ludwig van Beethoven", "Ludwig", "van Beethoven"),
        ("Martin Luther King Jr.", "Martin Luther", "King"),
    ]
    assert ld["author"][0]["sameAs"] == "https://orcid.org/0000-0002-1825-0097"
    full = read_html(french.app, "posts/full/index")
    updates = [s.get_text() for s in full.select(".article-appendix strong")]
    assert "10 mai 2026" in updates and "2 mai 2026" in updates


def test_french_pdf_title_page(tmp_path) -> None:  # type: ignore[no-untyped-def]
    shutil.copytree(ROOTS / "test-appendix", tmp_path / "test-appendix")
    (tmp_path / "test-appendix/posts/bare/index.md").write_text(BEETHOVEN, encoding="utf-8")
    built = build_root(
        "test-appendix",
        tmp_path,
        builder="latex",
        confoverrides={"language": "fr", "article_pdf": True},
    )
    tex = "\n".join(p.read_text(encoding="utf-8") for p in built.outdir.glob("*.tex"))
    assert r"\ArticleDates{4 avril 2026}{2 mai 2026}" in tex
    assert r"\ArticleAuthor{Ludwig van Beethoven}{*}{https://orcid.org/0000-0002-1825-0097}" in tex


def test_french_post_cards(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-site", tmp_path, confoverrides={"language": "fr"})
    page = read_html(built.app, "index")
    shown = [t.get_text() for t in page.select(".post-card time")]
    assert "5 mars 2026" in shown and "10 janvier 2026" in shown
    assert not any(re.search(r"[a-zé]+ \d+, 2026", t) for t in shown)
