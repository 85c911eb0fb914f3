"""The PDF's visible labels (title block: dates, DOI, online address, notes, review and
draft banners) follow the site's ``language``, from sphinx-article's message catalogue:
the title block writes ``\\ArticleLabels{...}`` and sphinxarticle.sty prints the macros."""

from __future__ import annotations

import pytest
from test_pdf import latexpdf, pdftotext, tex_of

from conftest import build_root

# tex() writes the catalogue's no-break space before ":" as a space; babel-french spaces it.
FRENCH = (
    r"\ArticleLabels{Publication}{Mis à jour le}{DOI}{En ligne}{Contribution égale.}"
    "{Correspondance :}{Auteurs anonymes}{Brouillon}"
    "{Soumission anonyme en cours d’évaluation}"
)
ENGLISH = (
    r"\ArticleLabels{Published}{Updated}{DOI}{Online}{Equal contribution.}"
    "{Correspondence:}{Anonymous authors}{Draft}{Anonymous submission under review}"
)


def test_french_labels_in_tex(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-pdf", tmp_path, builder="latex", confoverrides={"language": "fr"})
    tex = tex_of(built, "full")
    assert FRENCH in tex
    assert r"\ArticleDates{24 avril 2026}{2 mai 2026}" in tex
    assert r"\ArticleNote{\ArticleLabelCorrespondence{} Ada Lovelace" in tex
    assert r"\ArticleNote{\textsuperscript{*}\ArticleLabelEqualContribution}" in tex


def test_english_labels_and_review_banner_in_tex(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root(
        "test-pdf", tmp_path, builder="latex", confoverrides={"article_review": True}
    )
    tex = tex_of(built, "full")
    assert ENGLISH in tex
    assert r"\ArticleBanner{\ArticleLabelUnderReview}" in tex
    assert r"\ArticleAuthor{\ArticleLabelAnonymousAuthors}{}{}" in tex


@pytest.mark.pdf
def test_french_pdf_prints_french_labels(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = latexpdf("test-pdf", tmp_path, "-D", "language=fr")
    assert result.returncode == 0, result.stdout + result.stderr
    text = " ".join(pdftotext(tmp_path / "latex" / "full.pdf").split())
    for needle in (
        "Publication",
        "Mis à jour le",
        "En ligne",
        "Contribution égale",
        "Correspondance",
        "Ada Lovelace",
    ):
        assert needle in text, needle
    for english in ("Published", "Updated", "Online", "Equal contribution", "Correspondence"):
        assert english not in text, english
