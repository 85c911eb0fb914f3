"""The example site in French and German: the templates' labels are translated and
dates follow each language's order (babel's long format through dates.display_date)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, build_root, read_html

#: language -> the labels and dates the example site's pages must show
EXPECTED = {
    "fr": {
        "authors": "Auteurs",
        "published": "Publication",
        "date": "2 mars 2026",
        "updated": "Mis à jour le 20 mars 2026",
        "doi": "DOI",
        "cite": "Pour l’attribution, veuillez citer ce travail ainsi",
        "tags": "Étiquettes",
        "tagged": "Billets étiquetés « attention »",
        "count": "1 billet",
        "all_tags": "Toutes les étiquettes",
    },
    "de": {
        "authors": "Autoren",
        "published": "Veröffentlicht",
        "date": "2. März 2026",
        "updated": "Aktualisiert am 20. März 2026",
        "doi": "DOI",
        "cite": "Bitte zitieren Sie diese Arbeit als",
        "tags": "Schlagwörter",
        "tagged": "Beiträge zum Schlagwort „attention“",
        "count": "1 Beitrag",
        "all_tags": "Alle Schlagwörter",
    },
}
POST = "posts/attention-revisited/index"


def compact_example(tmp_path: Path) -> Path:
    """The example site without its notebook post (which needs a kernel): every other
    page, template and label is kept."""
    source = tmp_path / "example_site"
    shutil.copytree(
        EXAMPLE,
        source,
        ignore=shutil.ignore_patterns("_build", "logistic-regression-notebook", "jupyter_execute"),
    )
    return source


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    language = request.param
    tmp = tmp_path_factory.mktemp(f"example-{language}")
    site = build_root(
        "example_site",
        tmp,
        src=compact_example(tmp_path_factory.mktemp("src")),
        confoverrides={"language": language, "article_notebooks": False},
    )
    return language, site


def test_title_block_labels_and_dates(built) -> None:  # type: ignore[no-untyped-def]
    language, site = built
    want = EXPECTED[language]
    header = read_html(site.app, POST).select_one("header.article-titleblock")
    labels = [h.get_text() for h in header.select("h2.byline-label")]
    assert labels[0] == want["authors"] and want["published"] in labels and want["doi"] in labels
    dates = header.select_one(".byline-dates")
    assert dates.select_one("time").get_text() == want["date"]
    assert dates.select_one(".byline-updated").get_text() == want["updated"]


def test_cite_this_and_cards(built) -> None:  # type: ignore[no-untyped-def]
    language, site = built
    want = EXPECTED[language]
    post = read_html(site.app, POST)
    assert post.select_one(".article-cite-this__label").get_text() == want["cite"]
    home = read_html(site.app, "index")
    card = next(
        c
        for c in home.select("li.post-card")
        if c.select_one(".post-card__title a")["href"] == "posts/attention-revisited/index.html"
    )
    assert card.select_one("time").get_text() == want["date"]
    assert card.select_one(".post-card__tags")["aria-label"] == want["tags"]


def test_tag_pages(built) -> None:  # type: ignore[no-untyped-def]
    language, site = built
    want = EXPECTED[language]
    tag = read_html(site.app, "tags/attention")
    assert tag.select_one("h1").get_text() == want["tagged"]
    assert tag.select_one("title").get_text().startswith(want["tagged"])
    meta = tag.select_one(".article-tags__meta").get_text()
    assert meta.startswith(want["count"]) and meta.endswith(want["all_tags"])
    index = read_html(site.app, "tags/index")
    assert index.select_one("section.article-tags h1").get_text() == want["tags"]
    assert want["count"] in index.select_one(".tag-list__count").get_text()
