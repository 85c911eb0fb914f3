"""What a post may read and emit (docs/explanation/security.md), tried with hostile posts.

Secrets live OUTSIDE the copied site (in the test's tmp folder); every test asserts
their content appears nowhere in the output tree (pages, ``_downloads/``, ``_sources/``,
``_images/``, doctrees), and that each refusal is a located ``article.security`` warning.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sphinx_article.model.paths import EMPTY, OUTSIDE, REMOTE, resolve_inside

from conftest import ROOTS, article_warnings, build_root

SECRETS = ("TOP-SECRET-TEXT", "TOP-SECRET-CSV", "TOP-SECRET-POST", "PRIVATE-FOLDER-CONTENT")
PNG = (ROOTS / "test-check" / "posts" / "clean" / "small.png").read_bytes()


def prepare(tmp_path: Path, root: str = "test-security") -> Path:
    """Copy the root to ``tmp_path/<root>`` and put the secrets beside it, outside."""
    site = tmp_path / root
    shutil.copytree(ROOTS / root, site, symlinks=True)
    (tmp_path / "secret.txt").write_text("TOP-SECRET-TEXT\n", encoding="utf-8")
    (tmp_path / "secret.csv").write_text("TOP-SECRET-CSV,1\n", encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(PNG)
    (tmp_path / "outside-post.md").write_text(
        "---\ntitle: Linked\ndescription: A post that lives outside.\nauthors: [Eve]\n---\n\n"
        "TOP-SECRET-POST\n",
        encoding="utf-8",
    )
    (site / "posts" / "reads" / "linked.txt").symlink_to(tmp_path / "secret.txt")
    (site / "posts" / "symlinked").mkdir()
    (site / "posts" / "symlinked" / "index.md").symlink_to(tmp_path / "outside-post.md")
    return site


def leaks(builddir: Path, needles: tuple[str, ...] = SECRETS) -> list[str]:
    """``file: needle`` for every secret found in any output file (names count too)."""
    found = []
    for path in sorted(p for p in builddir.rglob("*") if p.is_file()):
        text = path.name + "\n" + path.read_bytes().decode("utf-8", "replace")
        found += [f"{path.relative_to(builddir)}: {n}" for n in needles if n in text]
    return found


def live_scripts(outdir: Path) -> list[str]:
    """Author script that would run: <script> with alert, on* handlers, refresh metas."""
    found = []
    for page in sorted(outdir.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            if "alert" in (script.string or ""):
                found.append(f"{page.name}: script {script.string.strip()[:40]}")
        for meta in soup.find_all("meta"):
            if meta.get("http-equiv"):
                found.append(f"{page.relative_to(outdir)}: meta http-equiv {meta}")
        for link in soup.find_all("a", href=True):
            if link["href"].strip().lower().startswith(("javascript:", "data:")):
                found.append(f"{page.name}: link {link['href']}")
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp_path = tmp_path_factory.mktemp("security")
    prepare(tmp_path)
    return build_root("test-security", tmp_path)


def security(built, post: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [w for w in article_warnings(built, "security") if f"posts/{post}/index.md:" in w]


def lines(warnings: list[str], post: str) -> list[int]:
    return sorted(
        int(m.group(1))
        for w in warnings
        for m in [re.search(rf"posts/{post}/index\.md:(\d+):", w)]
        if m
    )


# -- resolve_inside, the one rule -----------------------------------------------------------


def test_resolve_inside_follows_symlinks_and_refuses_what_leaves(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "posts" / "a").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    (site / "posts" / "a" / "link.txt").symlink_to(tmp_path / "secret.txt")
    (site / "posts" / "a" / "ok.txt").write_text("ok", encoding="utf-8")
    post = site / "posts" / "a"
    assert resolve_inside(site, post, "ok.txt") == ((post / "ok.txt").resolve(), "")
    assert resolve_inside(site, post, "/posts/a/ok.txt")[0] == (post / "ok.txt").resolve()
    assert resolve_inside(site, post, "../../../secret.txt") == (None, OUTSIDE)
    assert resolve_inside(site, post, "link.txt") == (None, OUTSIDE)
    assert resolve_inside(site, post, "/../secret.txt") == (None, OUTSIDE)
    assert resolve_inside(site, post, "https://evil.example/x.png") == (None, REMOTE)
    assert resolve_inside(site, post, "  ") == (None, EMPTY)
    # a site reached through a symlinked folder is still itself
    (tmp_path / "alias").symlink_to(site)
    assert resolve_inside(tmp_path / "alias", tmp_path / "alias" / "posts" / "a", "ok.txt")[0]


# -- files from outside the site ----------------------------------------------------------


def test_no_secret_from_outside_the_site_reaches_any_output(hostile) -> None:  # type: ignore[no-untyped-def]
    builddir = hostile.outdir.parent
    assert (hostile.outdir / "posts" / "reads" / "index.html").is_file()
    assert not leaks(builddir), leaks(builddir)


def test_include_like_directives_outside_the_site_are_located_warnings(hostile) -> None:  # type: ignore[no-untyped-def]
    found = security(hostile, "reads")
    assert lines(found, "reads") == [9, 14, 19, 25, 31, 35, 37, 46], found
    assert all("outside the site folder" in w or "fetched" in w for w in found)
    # the file inside the post is still included and downloadable
    page = (hostile.outdir / "posts" / "reads" / "index.html").read_text(encoding="utf-8")
    assert "INSIDE-CONTENT" in BeautifulSoup(page, "html.parser").get_text()
    downloads = [p.name for p in (hostile.outdir / "_downloads").rglob("*") if p.is_file()]
    assert downloads == ["inside.txt"]


def test_markdown_image_outside_the_site_is_not_copied(hostile) -> None:  # type: ignore[no-untyped-def]
    assert [w for w in article_warnings(hostile, "image") if "reads/index.md:39:" in w]
    images = hostile.outdir / "_images"
    assert not images.exists() or not any("secret" in p.name for p in images.iterdir())


def test_eval_rst_cannot_include_read_raw_or_redirect(hostile) -> None:  # type: ignore[no-untyped-def]
    found = security(hostile, "evalrst")
    assert lines(found, "evalrst") == [8, 10, 12, 15, 22, 22, 26], found
    assert not live_scripts(hostile.outdir / "posts" / "evalrst")


def test_symlinked_post_outside_the_site_is_not_read(hostile) -> None:  # type: ignore[no-untyped-def]
    assert security(hostile, "symlinked")
    assert not (hostile.outdir / "posts" / "symlinked" / "index.html").exists()
    assert not (hostile.outdir / "_sources" / "posts" / "symlinked").exists()


def test_explorable_outside_its_post_publishes_nothing(hostile) -> None:  # type: ignore[no-untyped-def]
    assert lines(security(hostile, "explorer"), "explorer") == [7]
    assert not (hostile.outdir / "private").exists()
    page = BeautifulSoup(
        (hostile.outdir / "posts" / "explorer" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    assert not page.find("iframe")
    assert page.find("img", src=re.compile("fallback"))  # the fallback still shows


# -- script in the reader's browser ---------------------------------------------------------


def test_raw_directive_is_refused_in_posts_when_raw_html_is_off(hostile) -> None:  # type: ignore[no-untyped-def]
    assert lines(security(hostile, "rawhtml"), "rawhtml") == [7, 11, 15]
    assert not live_scripts(hostile.outdir)
    latex_page = (hostile.outdir / "posts" / "rawhtml" / "index.html").read_text(encoding="utf-8")
    assert "write18" not in latex_page


def test_front_matter_cannot_turn_raw_html_back_on_or_redirect(hostile) -> None:  # type: ignore[no-untyped-def]
    found = security(hostile, "frontmatter")
    assert lines(found, "frontmatter") == [6, 7, 8, 10, 12], found
    page = hostile.outdir / "posts" / "frontmatter" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert "FRONT-MATTER-HTML" in soup.get_text()  # shown as text, never run
    assert not live_scripts(page.parent)
    assert soup.find("meta", attrs={"property": "og:locale", "content": "en_GB"})
    assert soup.find("meta", attrs={"name": "keywords", "content": "safe, meta"})


def test_raw_html_on_still_reads_no_file_outside_the_site(tmp_path: Path) -> None:
    prepare(tmp_path)
    built = build_root("test-security", tmp_path, confoverrides={"article_raw_html": True})
    assert lines(security(built, "rawhtml"), "rawhtml") == [15]
    page = (built.outdir / "posts" / "rawhtml" / "index.html").read_text(encoding="utf-8")
    assert 'alert("RAW-DIRECTIVE")' in page  # the site chose raw HTML
    assert not leaks(built.outdir.parent)


def test_site_pages_keep_sphinx_includes(tmp_path: Path) -> None:
    """Only posts are guarded: the site's own pages may include files as usual."""
    site = prepare(tmp_path)
    (site / "shared.txt").write_text("SHARED-SNIPPET\n", encoding="utf-8")
    (site / "about.md").write_text(
        "# About\n\n```{literalinclude} shared.txt\n```\n\n"
        "```{raw} html\n<p class='site-raw'>ok</p>\n```\n",
        encoding="utf-8",
    )
    built = build_root("test-security", tmp_path)
    page = (built.outdir / "about.html").read_text(encoding="utf-8")
    assert "SHARED-SNIPPET" in BeautifulSoup(page, "html.parser").get_text()
    assert "site-raw" in page
    assert not [w for w in article_warnings(built, "security") if "about.md" in w]


def test_security_warnings_have_a_fix(hostile) -> None:  # type: ignore[no-untyped-def]
    from sphinx_article.warnings_ import FIXES, ArticleWarning

    assert ArticleWarning.SECURITY.value == "security" and FIXES["security"]
    assert json.dumps(FIXES["security"])


# -- one page address per builder -----------------------------------------------------------


def addresses(outdir: Path, page: Path) -> dict[str, str]:
    """Every place a post's address is written: .bib, canonical, og:url, JSON-LD, feed."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    bib = next(page.parent.glob("*.bib")).read_text(encoding="utf-8")
    ld = json.loads(soup.find("script", type="application/ld+json").string)
    feed = (outdir / "feed.xml").read_text(encoding="utf-8")
    return {
        "bib": re.search(r'url = "([^"]+)"', bib).group(1),
        "cite": re.search(r"https://\S+", soup.find(class_="article-cite-this__text").get_text())
        .group(0)
        .rstrip("."),
        "canonical": soup.find("link", rel="canonical")["href"],
        "og": soup.find("meta", property="og:url")["content"],
        "json-ld": ld["url"],
        "feed": re.search(
            r'<link rel="alternate" type="text/html" href="([^"]+posts/hello[^"]*)"', feed
        ).group(1),
    }


@pytest.mark.parametrize("first", ["dirhtml", "html"])
def test_every_output_gives_a_post_the_same_address(tmp_path: Path, first: str) -> None:
    """dirhtml links posts/hello/, html posts/hello/index.html: the .bib download, the
    citation, canonical link, OpenGraph, JSON-LD and the feed agree, also when the two
    builders share one doctree folder (the second build reads the posts again)."""
    expected = {
        "dirhtml": "https://urls.example.org/track/posts/hello/",
        "html": "https://urls.example.org/track/posts/hello/index.html",
    }
    for builder in (first, "html" if first == "dirhtml" else "dirhtml"):
        built = build_root("test-security-urls", tmp_path, builder=builder)
        found = addresses(built.outdir, built.outdir / "posts" / "hello" / "index.html")
        assert set(found.values()) == {expected[builder]}, (builder, found)


# -- review builds ---------------------------------------------------------------------------

IDENTITY = ("Hopperworth", "grace@", "0000-0002-1825-0097", "Grace")


def test_anonymise_leaves_nothing_that_names_an_author() -> None:
    from sphinx_article.model.anonymity import anonymise
    from sphinx_article.model.frontmatter import parse_post

    source = (
        (ROOTS / "test-security-review" / "posts" / "paper" / "index.md")
        .read_text(encoding="utf-8")
        .replace(
            "tags: [compilers]",
            "tags: [compilers]\ndoi: 10.1234/x\nhtml_meta: {author: Grace Hopperworth}",
        )
    )
    post, _ = parse_post("posts/paper/index", source)
    assert post.authors and post.doi and post.acknowledgements
    anonymous = anonymise(post)
    assert not any(word in repr(anonymous) for word in IDENTITY), repr(anonymous)
    assert anonymous.title == post.title and anonymous.tags == post.tags
    assert post.authors  # the original record is left as it was


def test_review_build_into_a_normal_build_folder_leaves_no_author(tmp_path: Path) -> None:
    """``_sources/`` copies and stale ``searchindex.js`` words from the earlier normal
    build would name the author beside the anonymous pages."""
    public = build_root("test-security-review", tmp_path)
    assert leaks(public.outdir, IDENTITY)  # the normal build does name her
    review = build_root("test-security-review", tmp_path, confoverrides={"article_review": True})
    assert review.outdir == public.outdir
    assert (review.outdir / "posts" / "paper" / "index.html").is_file()
    assert not leaks(review.outdir, IDENTITY), leaks(review.outdir, IDENTITY)
    assert not [p for p in (review.outdir / "_sources").rglob("*") if p.is_file()]
    # and back: a normal build into the review folder drops the review pages' banner
    again = build_root("test-security-review", tmp_path)
    page = (again.outdir / "posts" / "paper" / "index.html").read_text(encoding="utf-8")
    assert "Hopperworth" in page and "article-banner--review" not in page


def test_stale_output_clearing_keeps_sources_and_doctrees(tmp_path: Path) -> None:
    """An output folder that holds the sources (``sphinx-build docs .``) is never
    emptied of them; the doctree cache inside it stays too."""
    from types import SimpleNamespace

    from sphinx_article.features.review import MARKER, clear_stale_output

    out = tmp_path / "out"
    (out / "src").mkdir(parents=True)
    (out / "src" / "conf.py").write_text("", encoding="utf-8")
    (out / ".doctrees").mkdir()
    (out / "_sources").mkdir()
    (out / "searchindex.js").write_text("Hopperworth", encoding="utf-8")
    app = SimpleNamespace(
        builder=SimpleNamespace(format="html"),
        outdir=str(out),
        doctreedir=str(out / ".doctrees"),
        srcdir=str(out / "src"),
        confdir=str(out / "src"),
        config=SimpleNamespace(article_review=True),
    )
    clear_stale_output(app)
    assert sorted(p.name for p in out.iterdir()) == sorted([".doctrees", "src", MARKER])
    (out / "page.html").write_text("anonymous", encoding="utf-8")
    clear_stale_output(app)  # review again: nothing to clear
    assert (out / "page.html").is_file()


# -- check uses the same rule ----------------------------------------------------------------


def test_check_reports_images_outside_the_site_like_the_build(tmp_path: Path) -> None:
    """``sphinx-article check`` resolves image paths with the build's resolve_inside: an
    image symlinked out of the site is reported, at the line the build reports."""
    from sphinx_article.cli.check import check_site, load_site

    site = prepare(tmp_path)
    post = site / "posts" / "reads"
    (post / "linked.png").symlink_to(tmp_path / "secret.png")
    text = (post / "index.md").read_text(encoding="utf-8")
    (post / "index.md").write_text(text + "\n![A linked image](linked.png)\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    _, findings = check_site(load_site(site))
    outside = {
        (f.line, f.message.split("'")[1])
        for f in findings
        if f.file.endswith("reads/index.md")
        and "outside the site" in f.message
        and f.subtype == "image"
    }
    assert outside == {(39, "../../../secret.png"), (line, "linked.png")}, findings


def test_includes_inside_the_site_still_work_in_posts(tmp_path: Path) -> None:
    """The guards hand the checked path on: MyST's include (with its own options) and
    reStructuredText's include in eval-rst read a shared file of the site as before."""
    site = tmp_path / "src" / "inside"
    (site / "posts" / "a").mkdir(parents=True)
    (site / "shared").mkdir()
    (site / "conf.py").write_text(
        'extensions = ["sphinx_article"]\nhtml_theme = "sphinx_article"\n', encoding="utf-8"
    )
    (site / "index.md").write_text("# Home\n", encoding="utf-8")
    (site / "shared" / "part.md").write_text(
        "INCLUDED **markdown** text.\n\n![An image](pic.png)\n", encoding="utf-8"
    )
    (site / "shared" / "pic.png").write_bytes(PNG)
    (site / "posts" / "a" / "index.md").write_text(
        "---\ntitle: T\ndescription: D\nauthors: [A B]\n---\n\n"
        "```{include} ../../shared/part.md\n:relative-images:\n```\n\n"
        "```{eval-rst}\n.. include:: ../../shared/part.md\n   :literal:\n```\n",
        encoding="utf-8",
    )
    built = build_root("inside", tmp_path / "build", src=site)
    soup = BeautifulSoup(
        (built.outdir / "posts" / "a" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert soup.find("strong", string="markdown")  # parsed as Markdown
    assert "INCLUDED **markdown**" in soup.get_text()  # and shown literally
    assert (built.outdir / "_images" / "pic.png").is_file()
    assert not article_warnings(built, "security")


def test_review_build_never_opens_a_bibliography_outside_the_site(tmp_path: Path) -> None:
    """The anonymity scan reads bibliographies by the build's rule: a file outside the
    site is refused (article.citation), never opened to look for names."""
    site = tmp_path / "test-security-review"
    shutil.copytree(ROOTS / "test-security-review", site)
    (tmp_path / "secret.bib").write_text(
        "@misc{leak, title = {Secret}, note = {Mail grace@hopperworth.example}}\n", encoding="utf-8"
    )
    post = site / "posts" / "paper" / "index.md"
    post.write_text(
        post.read_text(encoding="utf-8").replace(
            "tags: [compilers]", "tags: [compilers]\nbibliography: [../../../secret.bib]"
        ),
        encoding="utf-8",
    )
    built = build_root("test-security-review", tmp_path, confoverrides={"article_review": True})
    assert [w for w in article_warnings(built, "citation") if "outside the site" in w]
    assert not [w for w in article_warnings(built, "anonymity") if "secret.bib" in w]
