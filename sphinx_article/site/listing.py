"""The site around the posts: which posts are listed, their cards, their tags.

Cross-post views (the ``post-index`` cards, the tag pages, the feed and the sitemap)
are derived from the domain's post records at write time, every build, and never
stored: an incremental build cannot serve a stale list.  This module holds what they
share; ``postindex.py``, ``tags.py`` and ``feed.py`` each render one view.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util.osutil import relative_uri

from ..domain import article_domain, get_record
from ..features.hero import HERO
from ..features.pagetemplates import gettext, render
from ..features.posts import post_docnames, visible
from ..model.dates import display_date
from ..model.frontmatter import Post

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

#: ``:sort:`` values of ``post-index``: the default first
SORTS = ("newest", "oldest", "updated", "title")
TAGS_DIR = "tags"
THUMBS_DIR = "_images"


def listed_posts(env: BuildEnvironment, sort: str = "newest") -> list[Post]:
    """The posts a reader may see listed (drafts only with ``article_show_drafts``)."""
    posts = article_domain(env).posts
    listed = [posts[d] for d in post_docnames(env) if visible(env.config, posts[d])]
    if sort == "oldest":
        listed.sort(key=lambda p: (p.published or "9999", p.docname))
    elif sort == "updated":
        listed.sort(key=lambda p: (p.updated or p.published, p.docname), reverse=True)
    elif sort == "title":
        listed.sort(key=lambda p: (p.title.casefold(), p.docname))
    return listed


#: longest tag slug (the tag page's file name); longer ones end in a hash of the tag
MAX_SLUG = 64


def tag_slug(tag: str) -> str:
    """``Generative Models`` -> ``generative-models`` (ASCII, safe as a file name)."""
    text = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    digest = f"{zlib.crc32(tag.encode('utf-8', 'surrogatepass')):08x}"
    if len(slug) > MAX_SLUG:  # file names have limits (255 bytes): short, stable, distinct
        return f"{slug[: MAX_SLUG - 9].rstrip('-')}-{digest}"
    return slug or f"tag-{digest}"


@dataclass
class Tag:
    slug: str
    name: str
    posts: list[Post] = field(default_factory=list)


def tag_map(posts: list[Post]) -> dict[str, Tag]:
    """Tags by slug, sorted by name; each keeps its posts in the given order."""
    tags: dict[str, Tag] = {}
    for post in posts:
        for name in post.tags:
            slug = tag_slug(name)
            tag = tags.setdefault(slug, Tag(slug, name))
            if post not in tag.posts:
                tag.posts.append(post)
    return dict(sorted(tags.items(), key=lambda item: (item[1].name.casefold(), item[0])))


def tag_page(slug: str) -> str:
    return f"{TAGS_DIR}/{slug}"


def page_uri(builder: Builder, from_page: str, to_page: str) -> str:
    """Relative link between two page names (documents or generated pages).

    A page linking to itself gets its own file name (``./`` for a folder-style page):
    Sphinx's ``relative_uri`` returns ``""`` there, an empty ``href`` that some readers
    and checkers treat as no link at all.
    """
    target = builder.get_target_uri(to_page)
    uri = relative_uri(builder.get_target_uri(from_page), target)
    return uri or posixpath.basename(target) or "./"


def hero_source(env: BuildEnvironment, post: Post) -> str | None:
    """The hero image of a post, as a path relative to the source folder, or None.

    ``hero.py`` stores the record; a poster (the still of an animation) is preferred.
    """
    record = get_record(env, post.docname, HERO)
    still = (record.get("poster") or record["image"]) if record else ""
    if not still or "://" in still:
        return None
    here = posixpath.dirname(post.docname)
    for candidate in (still.lstrip("/"), posixpath.normpath(posixpath.join(here, still))):
        if candidate in env.images or (Path(env.srcdir) / candidate).is_file():
            return candidate
    return None


def thumbnail_uri(app: Sphinx, post: Post, from_page: str, source: str | None = None) -> str | None:
    """A link from ``from_page`` to the post's hero image (or ``source``, such as its
    dark variant) in the output, copying it if no page has put it there."""
    source = source or hero_source(app.env, post)
    if source is None:
        return None
    builder = app.builder
    images = getattr(builder, "images", None)
    if source in app.env.images and images is not None:
        name = app.env.images[source][1]
        images[source] = name  # Sphinx copies it with the other images
    else:
        name = f"thumb-{post.slug}-{posixpath.basename(source)}"
        target = Path(app.outdir) / THUMBS_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(app.srcdir) / source, target)
    base = builder.get_target_uri(from_page)
    return relative_uri(base, f"{THUMBS_DIR}/{name}")


def byline_text(post: Post, review: bool) -> str:
    """Names for a card or feed entry: up to three, then "et al."."""
    if review:
        return gettext("Anonymous authors")
    names = [a.name for a in post.authors]
    return ", ".join(names) if len(names) <= 3 else f"{', '.join(names[:3])} {gettext('et al.')}"


def placeholder_hue(post: Post) -> int:
    """A stable hue per post, so placeholders differ without being random."""
    return zlib.crc32(post.slug.encode("utf-8")) % 360


#: Card colours for posts without a hero: each holds white text above 4.5:1.
CARD_PALETTE = ("#0b57b0", "#1b6e4b", "#8a3b12", "#6b3fa0", "#9c2f4a", "#1f5f73", "#5c5f00")


def card_colour(post: Post) -> str:
    """A stable palette colour per post (from its slug)."""
    return CARD_PALETTE[zlib.crc32(post.slug.encode("utf-8")) % len(CARD_PALETTE)]


def hero_extras(app: Sphinx, post: Post) -> tuple[str | None, str]:
    """The hero's dark variant (a source path, or None) and focal point ('' = centre)."""
    record = get_record(app.env, post.docname, HERO)
    if not isinstance(record, dict) or record.get("kind", "image") != "image":
        return None, ""
    focus = record.get("focus") or ""
    dark = record.get("dark") or ""
    here = posixpath.dirname(post.docname)
    for candidate in (
        (dark.lstrip("/"), posixpath.normpath(posixpath.join(here, dark))) if dark else ()
    ):
        if candidate in app.env.images or (Path(app.env.srcdir) / candidate).is_file():
            return candidate, focus
    return None, focus


def card_context(app: Sphinx, post: Post, from_page: str, heading: int = 2) -> dict[str, Any]:
    """One post's card as ``partials/article/post-card.html`` shows it (as ``card``):
    links relative to ``from_page``, the hero copied where the page can load it."""
    builder = app.builder
    config = app.config
    href = page_uri(builder, from_page, post.docname)
    thumb = thumbnail_uri(app, post, from_page)
    dark, focus = None, ""
    if thumb:
        dark_source, focus = hero_extras(app, post)
        dark = thumbnail_uri(app, post, from_page, dark_source) if dark_source else None
    published = (
        {"iso": post.published, "text": display_date(post.published, config.language)}
        if post.published
        else None
    )
    return {
        "post": post,
        "title": post.title,
        "href": href,
        "thumb": thumb,
        "dark": dark,
        "focus": focus,
        "colour": card_colour(post),
        "heading": max(2, min(heading, 6)),
        "draft": post.draft,
        "review": bool(config.article_review),
        "authors": [a.name for a in post.authors],
        "published": published,
        "description": post.description,
        "tags": [_tag_link(builder, from_page, t) for t in post.tags],
    }


def _tag_link(builder: Builder, from_page: str, tag: str) -> dict[str, Any]:
    """A card's tag; on that tag's own page it is marked current."""
    page = tag_page(tag_slug(tag))
    return {"name": tag, "href": page_uri(builder, from_page, page), "current": page == from_page}


def cards_context(
    app: Sphinx, posts: list[Post], from_page: str, heading: int = 2
) -> list[dict[str, Any]]:
    return [card_context(app, post, from_page, heading) for post in posts]


def cards_html(app: Sphinx, posts: list[Post], from_page: str, heading: int = 2) -> str:
    """The cards of ``posts``: the template ``partials/article/post-index.html``."""
    return render(
        app.builder, "post-index.html", cards=cards_context(app, posts, from_page, heading)
    )
