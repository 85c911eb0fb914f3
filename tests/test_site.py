"""The site of a track: post-index cards, tag pages, the Atom feed, the sitemap, drafts,
and incremental rebuilds that add, edit and remove posts."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOTS, article_warnings, build_root, read_html, warning_lines

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://site.example.org/"


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-site", tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root(
        "test-site", tmp_path_factory.mktemp("drafts"), confoverrides={"article_show_drafts": True}
    )


def card_titles(soup) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.a.get_text(strip=True) for h in soup.select(".post-card__title")]


def feed(built) -> ET.Element:  # type: ignore[no-untyped-def]
    return ET.parse(built.outdir / "feed.xml").getroot()


def entry_titles(root: ET.Element) -> list[str]:
    return [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]


def test_builds_without_warnings_except_bad_options(built) -> None:  # type: ignore[no-untyped-def]
    lines = [w for w in warning_lines(built) if "bad.md" not in w]
    assert not lines, lines


def test_index_is_newest_first_without_drafts(built) -> None:  # type: ignore[no-untyped-def]
    soup = read_html(built.app, "index")
    assert card_titles(soup) == ["Beta post", "Gamma <post> & co", "Alpha post"]


def test_card_shows_every_part(built) -> None:  # type: ignore[no-untyped-def]
    soup = read_html(built.app, "index")
    beta, gamma, alpha = soup.select(".post-card")
    assert beta.select_one(".post-card__title a")["href"] == "posts/beta/index.html"
    assert beta.select_one(".post-card__authors").get_text() == "Charles Babbage, Grace Hopper"
    assert beta.select_one("time")["datetime"] == "2026-03-05"
    assert beta.select_one(".post-card__description").get_text() == "The newest published post."
    assert [a["href"] for a in beta.select(".post-card__tags a")] == ["tags/ml.html"]
    assert gamma.select_one(".post-card__tags a")["href"] == "tags/generative-models.html"
    # a hero image becomes the thumbnail, copied with the site's images; else a placeholder
    img = alpha.select_one(".post-card__media img")
    assert img["alt"] == "" and (built.outdir / img["src"]).is_file()
    assert beta.select_one(".post-card__placeholder") is not None
    # card titles sit one level below the "Posts" section heading
    assert beta.select_one(".post-card__title").name == "h3"


def test_title_is_escaped(built) -> None:  # type: ignore[no-untyped-def]
    html = (built.outdir / "index.html").read_text(encoding="utf-8")
    assert "Gamma &lt;post&gt; &amp; co" in html and "<post>" not in html


def test_filter_by_tag_limit_and_sort(built) -> None:  # type: ignore[no-untyped-def]
    assert card_titles(read_html(built.app, "by-tag")) == ["Beta post", "Alpha post"]
    assert card_titles(read_html(built.app, "latest")) == ["Beta post", "Gamma <post> & co"]
    assert card_titles(read_html(built.app, "oldest")) == [
        "Alpha post",
        "Gamma <post> & co",
        "Beta post",
    ]


def test_bad_options_warn_at_their_line(built) -> None:  # type: ignore[no-untyped-def]
    hits = article_warnings(built, "index")
    assert any("bad.md:3:" in w and "':limit: zero'" in w for w in hits), hits
    assert any("bad.md:7:" in w and "':sort: random'" in w for w in hits), hits
    # the index still renders, with the defaults
    assert len(read_html(built.app, "bad").select(".post-index")) == 2


def test_tag_pages(built) -> None:  # type: ignore[no-untyped-def]
    tags = built.outdir / "tags"
    assert sorted(p.name for p in tags.iterdir()) == [
        "generative-models.html",
        "index.html",
        "ml.html",
        "vision.html",
    ]
    ml = read_html(built.app, "tags/ml")
    assert card_titles(ml) == ["Beta post", "Alpha post"]
    assert ml.select_one(".post-card__title a")["href"] == "../posts/beta/index.html"
    assert "Posts tagged “ML”" in ml.title.get_text()
    # on its own page a card's tag links to that page (never href=""), marked current
    own = [a for a in ml.select(".post-card__tags a") if a.get_text() == "ML"]
    assert own and all(a["href"] == "ml.html" and a["aria-current"] == "page" for a in own)
    assert not [a for a in ml.select("a[href]") if not a["href"]]
    listing = read_html(built.app, "tags/index")
    assert [a.get_text() for a in listing.select(".tag-list a")] == [
        "Generative Models",
        "ML",
        "vision",
    ]


def test_feed_is_valid_atom_with_absolute_urls(built) -> None:  # type: ignore[no-untyped-def]
    root = feed(built)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {"self": BASE + "feed.xml", "alternate": BASE}
    assert root.findtext(f"{ATOM}updated") == "2026-03-05T00:00:00Z"
    assert entry_titles(root) == ["Beta post", "Gamma <post> & co", "Alpha post"]
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}"), required
        href = entry.find(f"{ATOM}link").get("href")
        assert href.startswith(BASE) and href.endswith("/index.html")
        assert entry.findtext(f"{ATOM}id") == href
    beta = root.findall(f"{ATOM}entry")[0]
    assert [a.findtext(f"{ATOM}name") for a in beta.findall(f"{ATOM}author")] == [
        "Charles Babbage",
        "Grace Hopper",
    ]
    assert [c.get("term") for c in beta.findall(f"{ATOM}category")] == ["ML"]


def test_feed_link_in_every_head(built) -> None:  # type: ignore[no-untyped-def]
    for page, href in (
        ("index", "feed.xml"),
        ("posts/alpha/index", "../../feed.xml"),
        ("tags/ml", "../feed.xml"),
    ):
        link = read_html(built.app, page).select_one('link[type="application/atom+xml"]')
        assert link is not None and link["href"] == href, page


def test_sitemap_lists_pages_without_drafts(built) -> None:  # type: ignore[no-untyped-def]
    root = ET.parse(built.outdir / "sitemap.xml").getroot()
    locs = [u.findtext(f"{SITEMAP}loc") for u in root.findall(f"{SITEMAP}url")]
    assert BASE + "posts/alpha/index.html" in locs
    assert BASE + "tags/ml.html" in locs and BASE + "index.html" in locs
    assert not [loc for loc in locs if "secret" in loc]


def test_drafts_hidden_everywhere(built) -> None:  # type: ignore[no-untyped-def]
    assert (built.outdir / "posts/secret/index.html").is_file()  # built, not listed
    for page in ("index", "tags/ml"):
        assert "Secret draft" not in (built.outdir / f"{page}.html").read_text(encoding="utf-8")
    assert "Secret draft" not in entry_titles(feed(built))
    assert not (built.outdir / "tags/secret-tag.html").exists()


def test_show_drafts_includes_them(drafts) -> None:  # type: ignore[no-untyped-def]
    soup = read_html(drafts.app, "index")
    assert card_titles(soup)[0] == "Secret draft"
    assert soup.select_one(".post-card__draft").get_text() == "Draft"
    assert "Secret draft" in entry_titles(feed(drafts))
    assert (drafts.outdir / "tags/secret-tag.html").is_file()
    sitemap = (drafts.outdir / "sitemap.xml").read_text(encoding="utf-8")
    assert "posts/secret/index.html" in sitemap


def test_incremental_add_edit_remove(tmp_path: Path) -> None:
    first = build_root("test-site", tmp_path)
    src = first.srcdir
    assert "Delta post" not in entry_titles(feed(first))
    # add a post
    (src / "posts/delta").mkdir()
    (src / "posts/delta/index.md").write_text(
        "---\ntitle: Delta post\ndescription: Added later.\nauthors:\n  - name: Ada\n"
        "published: 2026-06-01\ntags: [new-tag]\n---\n\nDelta text.\n",
        encoding="utf-8",
    )
    second = build_root("test-site", tmp_path)
    assert entry_titles(feed(second))[0] == "Delta post"
    assert card_titles(read_html(second.app, "index"))[0] == "Delta post"
    assert card_titles(read_html(second.app, "latest")) == ["Delta post", "Beta post"]
    assert (second.outdir / "tags/new-tag.html").is_file()
    # edit a post
    beta = src / "posts/beta/index.md"
    beta.write_text(
        beta.read_text(encoding="utf-8").replace("Beta post", "Beta, renamed"), encoding="utf-8"
    )
    third = build_root("test-site", tmp_path)
    assert "Beta, renamed" in card_titles(read_html(third.app, "index"))
    assert "Beta, renamed" in card_titles(read_html(third.app, "tags/ml"))
    # remove a post
    shutil.rmtree(src / "posts/delta")
    fourth = build_root("test-site", tmp_path)
    assert "Delta post" not in entry_titles(feed(fourth))
    assert "Delta post" not in card_titles(read_html(fourth.app, "index"))
    assert not (fourth.outdir / "tags/new-tag.html").exists()


def test_listings_are_reread_only_when_a_post_changes(tmp_path: Path) -> None:
    first = build_root("test-site", tmp_path)
    again = build_root("test-site", tmp_path)
    assert "0 added, 0 changed, 0 removed" in again.app._status.getvalue()
    page = first.srcdir / "oldest.md"  # an ordinary page: nothing else is re-read
    page.write_text(page.read_text(encoding="utf-8") + "\nMore text.\n", encoding="utf-8")
    third = build_root("test-site", tmp_path)
    assert "0 added, 1 changed, 0 removed" in third.app._status.getvalue()
    post = first.srcdir / "posts/gamma/index.md"  # a post: it and the 5 listing pages
    post.write_text(post.read_text(encoding="utf-8") + "\nMore text.\n", encoding="utf-8")
    fourth = build_root("test-site", tmp_path)
    assert "0 added, 6 changed, 0 removed" in fourth.app._status.getvalue()


def test_no_site_url_warns_and_skips_feed(tmp_path: Path) -> None:
    built = build_root("test-site", tmp_path, confoverrides={"article_site_url": ""})
    hits = article_warnings(built, "site")
    assert hits and "article_site_url is not set" in hits[0]
    assert not (built.outdir / "feed.xml").exists()
    assert read_html(built.app, "index").select_one('link[type="application/atom+xml"]') is None


def test_other_theme_gets_cards_and_tag_pages(tmp_path: Path) -> None:
    built = build_root("test-site", tmp_path, confoverrides={"html_theme": "basic"})
    assert card_titles(read_html(built.app, "index"))[0] == "Beta post"
    assert card_titles(read_html(built.app, "tags/ml")) == ["Beta post", "Alpha post"]
    assert "post-card" in (built.outdir / "_static/sphinx-article.css").read_text(encoding="utf-8")


def test_text_builder_lists_titles(tmp_path: Path) -> None:
    built = build_root("test-site", tmp_path, builder="text")
    text = (built.outdir / "index.txt").read_text(encoding="utf-8")
    assert "**Beta post** — Charles Babbage, Grace Hopper, March 5, 2026" in text
    assert "Secret draft" not in text


def test_review_build_anonymises_cards_and_feed(tmp_path: Path) -> None:
    built = build_root("test-site", tmp_path, confoverrides={"article_review": True})
    for path in [
        built.outdir / "index.html",
        built.outdir / "feed.xml",
        built.outdir / "tags/ml.html",
    ]:
        text = path.read_text(encoding="utf-8")
        for name in ("Ada Lovelace", "Charles Babbage", "Grace Hopper", "ada@example.org"):
            assert name not in text, (path, name)
    assert "Anonymous authors" in (built.outdir / "index.html").read_text(encoding="utf-8")
    assert not [p for p in (built.outdir / "_sources").rglob("*") if p.is_file()]


def test_root_is_unchanged() -> None:
    assert not (ROOTS / "test-site" / "_build").exists()


@pytest.mark.browser
def test_home_page_cards_in_browser(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    from conftest import screenshot

    page.goto(site_url + "index.html")
    cards = page.locator(".post-card")
    assert cards.count() == 5  # four Markdown posts and a notebook post
    first = cards.nth(0).bounding_box()
    second = cards.nth(1).bounding_box()
    assert first and second and abs(first["y"] - second["y"]) < 1  # side by side
    screenshot(page, "site-home-cards")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "site-home-cards-320")
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(site_url + "tags/transformers.html")
    assert page.locator(".post-card").count() == 2
    screenshot(page, "site-tag-page-dark")
