"""The Atom feed (``feed.xml``) and the sitemap (``sitemap.xml``).

Both are written after every HTML build from the posts listed in that build, with
absolute URLs from ``article_site_url``.  They are built with ElementTree, so every
author string is escaped, and every date comes from the front matter, so two builds of
the same sources give the same bytes.

The sitemap is our own: sphinx-sitemap, the usual extension, lists only the pages
written in the current build (its issue #13), so an incremental build would publish a
partial sitemap, and it cannot leave out drafts, which are known only after reading.
A site that loads sphinx-sitemap anyway has chosen it: ours is then not written (two
writers of one file), and the feed still is.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .. import __version__
from ..domain import article_domain
from ..features.posts import visible
from ..guard import post_step
from ..model.frontmatter import Post
from ..model.urls import post_url, site_url
from ..warnings_ import ArticleWarning, warn
from .listing import listed_posts, tag_map, tag_page
from .tags import INDEX_PAGE

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_NAME = "feed.xml"
SITEMAP_NAME = "sitemap.xml"
#: a site that loads sphinx-sitemap gets its sitemap.xml, not a second writer of ours
SITEMAP_EXTENSION = "sphinx_sitemap"


def enabled(app: Sphinx) -> bool:
    """Feed and sitemap need an HTML build, a site URL and at least one post."""
    return (
        app.builder.format == "html"
        and app.builder.name != "singlehtml"
        and bool(site_url(app.config))
        and bool(article_domain(app.env).posts)
    )


def _stamp(iso: str) -> str:
    return f"{iso}T00:00:00Z"


def post_dates(app: Sphinx, posts: list[Post]) -> dict[str, str]:
    """Each post's date for Atom (which requires one): ``published``; an undated post
    gets the newest date of the others, so the feed stays the same from build to build
    (the source file's modification day only when no post has a date)."""
    dated = [p.published for p in posts if p.published]
    fallback = max(dated, default="")
    dates = {}
    for post in posts:
        when = post.published or fallback
        if not when:
            path = Path(app.env.doc2path(post.docname))
            stamp = path.stat().st_mtime if path.is_file() else 0
            when = datetime.fromtimestamp(stamp, tz=UTC).date().isoformat()
        dates[post.docname] = when
    return dates


def absolute(app: Sphinx, page: str) -> str:
    """A page's address, by the one rule the citation and meta tags use (``urls``)."""
    return post_url(app.config, page, app.builder.name)


def feed_title(app: Sphinx) -> str:
    return app.config.article_venue or app.config.html_title or app.config.project


def build_feed(app: Sphinx) -> bytes:
    """The Atom document: feed metadata, then one entry per listed post, newest first."""
    config = app.config
    base = site_url(config)
    posts = listed_posts(app.env)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    if config.language:
        feed.set("{http://www.w3.org/XML/1998/namespace}lang", config.language)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(
            parent, f"{{{ATOM}}}{tag}", {key: xml_text(value) for key, value in attrs.items()}
        )
        if text is not None:
            element.text = xml_text(text)
        return element

    dates = post_dates(app, posts)
    newest = max((max(dates[p.docname], p.updated or "") for p in posts), default="")
    sub(feed, "id", base)
    sub(feed, "title", feed_title(app), type="text")
    sub(feed, "updated", _stamp(newest or "1970-01-01"))
    author = sub(feed, "author")
    sub(author, "name", feed_title(app))
    sub(feed, "link", rel="self", type="application/atom+xml", href=base + FEED_NAME)
    sub(feed, "link", rel="alternate", type="text/html", href=base)
    sub(feed, "generator", "sphinx-article", version=__version__)

    def add_entry(post: Post) -> None:
        """One entry, appended only once complete (a failing post leaves no stub)."""
        url = absolute(app, post.docname)
        entry = ET.Element(f"{{{ATOM}}}entry")
        sub(entry, "id", url)
        sub(entry, "title", post.title, type="text")
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        published = dates[post.docname]
        sub(entry, "published", _stamp(published))
        sub(entry, "updated", _stamp(max(published, post.updated or "")))
        for person in post.authors:  # none in review builds (anonymity.anonymise)
            element = sub(entry, "author")
            sub(element, "name", person.name)
            if person.url:
                sub(element, "uri", person.url)
        if post.description:
            sub(entry, "summary", post.description, type="text")
        for tag in post.tags:
            sub(entry, "category", term=tag, label=tag)
        sub(entry, "rights", post.license, type="text")
        feed.append(entry)

    for post in posts:
        with post_step("adding the post to the feed", (post.docname, None)):
            add_entry(post)
    return serialise(feed)


def sitemap_pages(app: Sphinx) -> list[tuple[str, str]]:
    """(page, last modified day or '') for every page readers should find."""
    env = app.env
    posts = article_domain(env).posts
    pages: list[tuple[str, str]] = []
    for docname in sorted(env.found_docs):
        post = posts.get(docname)
        if post is not None and not visible(app.config, post):
            continue
        if env.metadata.get(docname, {}).get("nosearch") and post is None:
            continue
        pages.append((docname, (post.updated or post.published) if post else ""))
    listed = listed_posts(env)
    tag_pages = [INDEX_PAGE, *(tag_page(slug) for slug in tag_map(listed))]
    pages.extend((page, "") for page in tag_pages)
    return pages


def build_sitemap(app: Sphinx) -> bytes:
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for page, modified in sitemap_pages(app):
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = xml_text(absolute(app, page))
        if modified:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = modified
    return serialise(urlset)


#: characters XML 1.0 cannot hold at all (not even escaped)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters that would make the whole feed unreadable
    (front matter is cleaned already; this also covers conf.py values and headings)."""
    return _NOT_XML.sub("", text)


def serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{text}\n'.encode()


def _write(path: Path, content: bytes) -> None:
    if not path.is_file() or path.read_bytes() != content:
        path.write_bytes(content)


def write_feed_and_sitemap(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not enabled(app):
        return
    outdir = Path(app.outdir)
    _write(outdir / FEED_NAME, build_feed(app))
    if SITEMAP_EXTENSION not in app.extensions:  # the site's own sitemap writer wins
        _write(outdir / SITEMAP_NAME, build_sitemap(app))


def warn_without_site_url(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """A site with posts and no URL gets no feed or sitemap: say so, once per build."""
    builder = app.builder
    html_site = builder.format == "html" and builder.name != "singlehtml"
    if html_site and article_domain(env).posts and not site_url(app.config):
        warn(
            ArticleWarning.SITE,
            "article_site_url is not set, so feed.xml and "
            "sitemap.xml are not written (they need absolute URLs); add "
            "article_site_url = 'https://your.site/' to conf.py.",
            location=f"{Path(app.confdir) / 'conf.py'}:1",
        )
    return []


def feed_link(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``<link rel="alternate">`` to the feed in every page's head (feed discovery)."""
    if not enabled(app):
        return
    href = context["pathto"](FEED_NAME, 1)
    link = (
        f'<link rel="alternate" type="application/atom+xml" '
        f'title="{escape(feed_title(app))}" href="{escape(href)}" />\n'
    )
    context["metatags"] = context.get("metatags", "") + link


def setup_feed(app: Sphinx) -> None:
    app.connect("env-updated", warn_without_site_url)
    app.connect("html-page-context", feed_link)
    app.connect("build-finished", write_feed_and_sitemap)
