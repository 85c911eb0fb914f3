"""One generated page per tag (``tags/<tag>.html``) and a list of tags
(``tags/index.html``).

The pages are produced on ``html-collect-pages`` from the posts listed in this build,
so they follow every added, edited or removed post.  They are rendered with the
``page.html`` template every Sphinx theme has (it extends the theme's ``layout.html``),
so they look like the site under any theme.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ..domain import article_domain
from ..features.pagetemplates import gettext, render
from ..warnings_ import ArticleWarning, warn
from .listing import TAGS_DIR, Tag, cards_context, listed_posts, page_uri, tag_map, tag_page

INDEX_PAGE = f"{TAGS_DIR}/index"


def tag_index_html(app: Sphinx, tags: dict[str, Tag]) -> str:
    """The list of tags: the template ``partials/article/tag-index.html``."""
    listed = [
        {
            "name": tag.name,
            "slug": slug,
            "count": len(tag.posts),
            "href": page_uri(app.builder, INDEX_PAGE, tag_page(slug)),
        }
        for slug, tag in tags.items()
    ]
    return render(app.builder, "tag-index.html", tags=listed)


def tag_html(app: Sphinx, tag: Tag) -> str:
    """One tag's page: the template ``partials/article/tag-page.html``."""
    page = tag_page(tag.slug)
    return render(
        app.builder,
        "tag-page.html",
        tag=tag,
        count=len(tag.posts),
        index_href=page_uri(app.builder, page, INDEX_PAGE),
        cards=cards_context(app, tag.posts, page, heading=2),
    )


def collect_tag_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Yield the tag pages (none when the site has no posts, or on non-HTML builders)."""
    if app.builder.format != "html" or app.builder.name == "singlehtml":
        return
    if not article_domain(app.env).posts:
        return
    posts = listed_posts(app.env)
    taken = [d for d in app.env.found_docs if d == INDEX_PAGE or d.startswith(f"{TAGS_DIR}/")]
    if taken:
        warn(
            ArticleWarning.SITE,
            f"The document '{taken[0]}' is in the '{TAGS_DIR}/' folder, "
            "where sphinx-article writes the tag pages; move or rename it.",
            location=(taken[0], 1),
        )
        return
    tags = tag_map(posts)
    remove_stale_pages(app, [INDEX_PAGE, *(tag_page(slug) for slug in tags)])
    yield INDEX_PAGE, {"title": gettext("Tags"), "body": tag_index_html(app, tags)}, "page.html"
    for tag in tags.values():
        title = gettext("Posts tagged “%(tag)s”") % {"tag": tag.name}
        context = {"title": title, "body": tag_html(app, tag)}
        yield tag_page(tag.slug), context, "page.html"


def remove_stale_pages(app: Sphinx, pages: list[str]) -> None:
    """Delete tag pages an earlier build wrote for tags no listed post has any more."""
    folder = Path(app.outdir) / TAGS_DIR
    if not folder.is_dir():
        return
    keep = {Path(app.builder.get_outfilename(page)).resolve() for page in pages}  # type: ignore[attr-defined]
    suffix = app.builder.out_suffix  # type: ignore[attr-defined]
    for path in folder.rglob(f"*{suffix}"):
        if path.resolve() not in keep:
            path.unlink()


def setup_tags(app: Sphinx) -> None:
    app.connect("html-collect-pages", collect_tag_pages)
