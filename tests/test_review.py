"""Double-blind review builds: nothing in any output names an author, the banner shows,
and a post that still names its author gets located ``article.anonymity`` warnings."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sphinx_article.model.frontmatter import parse_post
from sphinx_article.notebooks.source import front_matter, load_notebook

from conftest import EXAMPLE, article_warnings, build_root, need_latex, sphinx_build


def example_identities() -> list[str]:
    """Every author name (full and "A. Lovelace"), email and ORCID of the example site."""
    found: set[str] = set()
    posts = [
        parse_post(i.parent.name, i.read_text(encoding="utf-8"))[0]
        for i in sorted(EXAMPLE.glob("posts/*/index.md"))
    ]
    for index in sorted(EXAMPLE.glob("posts/*/index.ipynb")):  # notebook posts
        notebook = load_notebook(index.read_text(encoding="utf-8"))
        posts.append(front_matter(index.parent.name, notebook, "CC-BY-4.0")[0])
    for post in posts:
        for author in post.authors:
            values = (author.name, author.short_name, author.email, author.orcid)
            found.update(x for x in values if x)
            if author.orcid:
                found.add(author.orcid.replace("-", ""))
    assert len(found) >= 8
    return sorted(found)


def pattern(identities: list[str]) -> re.Pattern[str]:
    parts = [r"\s+".join(re.escape(w) for w in item.split()) for item in identities]
    return re.compile("|".join(parts), re.I)


def file_texts(root: Path) -> list[tuple[Path, str]]:
    """Every file under root as text; PDFs as their text plus their metadata."""
    texts = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        texts.append((path, path.name))  # file names count too
        if path.suffix == ".pdf":
            for tool in (["pdftotext", "-q", str(path), "-"], ["pdfinfo", str(path)]):
                result = subprocess.run(tool, capture_output=True, text=True, check=True)
                texts.append((path, result.stdout))
        else:
            texts.append((path, path.read_bytes().decode("utf-8", "replace")))
    return texts


def assert_anonymous(root: Path) -> int:
    needle = pattern(example_identities())
    leaks = [
        (str(path.relative_to(root)), m.group(0))
        for path, text in file_texts(root)
        for m in [needle.search(text)]
        if m
    ]
    assert not leaks, leaks
    return len({path for path, _ in file_texts(root)})


@pytest.fixture(scope="module")
def review_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("review")
    result = sphinx_build(EXAMPLE, out, "html", "-D", "article_review=1")
    assert result.returncode == 0, result.stderr
    return out


def test_example_review_html_names_no_author(review_html: Path) -> None:
    # doctrees/ is Sphinx's private cache (it pickles the parsed front matter); it is
    # never published.  Everything else is scanned, file names included.
    scanned = assert_anonymous(review_html / "html")
    assert scanned > 20


def test_review_html_has_no_sources_and_shows_banner(review_html: Path) -> None:
    html = review_html / "html"
    assert not [p for p in (html / "_sources").rglob("*") if p.is_file()]
    for page in ("index.html", "posts/gradient-times-input/index.html", "tags/index.html"):
        text = (html / page).read_text(encoding="utf-8")
        assert "article-banner--review" in text and "Under review." in text, page
        assert "_sources/" not in text, page


def test_normal_build_does_name_authors(example_html: Path) -> None:
    """The scan above is meaningful: without review the same names are there."""
    text = (example_html / "posts/gradient-times-input/index.html").read_text(encoding="utf-8")
    assert pattern(example_identities()).search(text)


@pytest.mark.pdf
def test_example_review_pdfs_name_no_author(tmp_path: Path) -> None:
    need_latex()
    result = sphinx_build(EXAMPLE, tmp_path, "latexpdf", "-D", "article_review=1")
    pdfs = sorted((tmp_path / "latex").glob("*.pdf"))
    assert pdfs, result.stdout[-3000:] + result.stderr[-3000:]
    assert_anonymous(tmp_path / "latex")


@pytest.fixture(scope="module")
def leaky(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-review", tmp_path_factory.mktemp("leaky"))


def test_planted_leaks_are_located(leaky) -> None:  # type: ignore[no-untyped-def]
    hits = article_warnings(leaky, "anonymity")
    assert any("leaky/index.md:11:" in w and "of author 'Ada Lovelace'" in w for w in hits), hits
    assert any("leaky/index.md:13:" in w and "email" in w for w in hits), hits
    assert any("leaky/index.md:15:" in w and "lovelace-engine.png" in w for w in hits), hits
    assert any("refs.bib:5:" in w and "'note' field" in w for w in hits), hits
    # author-contributions is hidden in review builds: its body does not warn
    assert not [w for w in hits if "index.md:22:" in w], hits
    assert len(hits) == 4, hits


def test_no_anonymity_warning_outside_review(tmp_path: Path) -> None:
    built = build_root("test-review", tmp_path, confoverrides={"article_review": False})
    assert not article_warnings(built, "anonymity")


def test_banner_under_another_theme(tmp_path: Path) -> None:
    built = build_root("test-review", tmp_path, confoverrides={"html_theme": "basic"})
    text = (built.outdir / "posts/leaky/index.html").read_text(encoding="utf-8")
    assert text.count("article-banner--review") == 1


def test_example_site_is_clean_for_review(tmp_path: Path) -> None:
    """The example posts themselves carry no leak (the check the warning relies on)."""
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("_build"))
    result = sphinx_build(site, tmp_path / "out", "html", "-D", "article_review=1")
    assert "[article.anonymity]" not in result.stderr
