"""The example site in French and German: the templates' labels are translated and
dates follow each language's order (babel's long format through dates.display_date);
so are the appendix's Funding title, a notebook post's links, the PDF's notes under
moving figures and the proceedings' front page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOTS, build_root, read_html

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
        "funding": "Financement",
        "notebook": "Notebook",
        "download": "Télécharger le notebook",
        "live": "Ouvrir dans un notebook interactif",
        "animation": "Voir l’animation dans la version web",
        "interactive": "Essayer la figure interactive dans la version web",
        # pdf/escape.tex folds the catalogue's no-break space (babel-french spaces the colon)
        "proceedings": "Actes : 4 billets",
        "pdf_title": "Example Blog Track 2026 : actes",
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
        "funding": "Förderung",
        "notebook": "Notebook",
        "download": "Notebook herunterladen",
        "live": "In einem interaktiven Notebook öffnen",
        "animation": "Die Animation in der Webversion ansehen",
        "interactive": "Die interaktive Abbildung in der Webversion ausprobieren",
        "proceedings": "Tagungsband: 4 Beiträge",
        "pdf_title": "Example Blog Track 2026: Tagungsband",
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


def test_funding_title(built) -> None:  # type: ignore[no-untyped-def]
    language, site = built
    section = read_html(site.app, POST).select_one("#appendix-funding")
    assert section.select_one("h2").get_text() == EXPECTED[language]["funding"]


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def notebook(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """test-notebook's demo post alone (its stored outputs, no kernel) in each language."""
    source = tmp_path_factory.mktemp("src") / "test-notebook"
    shutil.copytree(
        ROOTS / "test-notebook",
        source,
        ignore=shutil.ignore_patterns("_build", "broken", "meta", "old", "text"),
    )
    tmp = tmp_path_factory.mktemp(f"notebook-{request.param}")
    return request.param, build_root(
        "test-notebook", tmp, src=source, confoverrides={"language": request.param}
    )


def test_notebook_links(notebook) -> None:  # type: ignore[no-untyped-def]
    language, site = notebook
    want = EXPECTED[language]
    field = read_html(site.app, "posts/demo/index").select_one(".byline-notebook")
    assert field.select_one("h2.byline-label").get_text() == want["notebook"]
    download, live = field.select("a")
    assert download.get_text() == want["download"] and download["href"] == "demo.ipynb"
    assert live.get_text() == want["live"] and live["href"].startswith("https://mybinder.org/")


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def latex(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The compact example site's .tex files and proceedings in each language."""
    language = request.param
    site = build_root(
        "example_site",
        tmp_path_factory.mktemp(f"example-tex-{language}"),
        builder="latex",
        src=compact_example(tmp_path_factory.mktemp("src")),
        confoverrides={
            "language": language,
            "article_notebooks": False,
            "article_proceedings": True,
        },
    )
    return language, site


def test_pdf_media_notes(latex) -> None:  # type: ignore[no-untyped-def]
    language, site = latex
    want = EXPECTED[language]
    tex = (site.outdir / "diffusion-in-motion.tex").read_text(encoding="utf-8")
    assert want["animation"] in tex and want["interactive"] in tex  # the GIF hero, the explorable
    assert "in the web version" not in tex


def test_proceedings_front_page(latex) -> None:  # type: ignore[no-untyped-def]
    language, site = latex
    want = EXPECTED[language]
    tex = (site.outdir / "proceedings.tex").read_text(encoding="utf-8")
    assert f"{{{want['proceedings']}}}" in tex  # \\ArticleProceedingsFront's second argument
    assert f"\\ArticleMetadata{{{want['pdf_title']}}}" in tex
    assert "{Proceedings:" not in tex and ": proceedings}" not in tex
