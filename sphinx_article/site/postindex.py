"""The ``post-index`` directive: cards of the site's posts, newest first.

The directive only leaves a ``post_index`` placeholder (its options checked and
stored on the node) and marks its document as a page that lists posts.  The cards are
filled in by a post-transform at write time from the domain's post records, so they
are never stale; ``env-get-outdated`` re-reads (hence re-writes) every listing page
when any post is added, edited or removed.

Node tree, HTML::

    post_index(tags=[...], limit=N, sort="newest")  ->  raw <ul class="post-index">

Other builders get a bullet list of "Title — authors, date" paragraphs.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from .._compat import builder_format, env_app
from ..domain import Record, records_of, set_record
from ..features.pagetemplates import gettext
from ..features.posts import is_post
from ..model.dates import display_date
from ..model.frontmatter import Post
from ..warnings_ import ArticleWarning, warn
from .listing import SORTS, byline_text, cards_html, listed_posts, tag_slug

#: the page has a ``{post-index}`` (it lists posts, so it is rebuilt when they change)
LISTS_POSTS: Record[bool] = Record("post-index")


class post_index(nodes.General, nodes.Element):
    """Placeholder for a list of post cards; filled in at write time."""


class PostIndex(SphinxDirective):
    """``{post-index}`` with ``:tags: a, b``, ``:limit: N``, ``:sort: newest``.

    Option values are checked here: a bad one is an ``article.index`` warning at the
    directive's line and the option is ignored (the index still renders).
    """

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "tags": directives.unchanged,
        "limit": directives.unchanged,
        "sort": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        node = post_index(tags=[], limit=0, sort=SORTS[0], classes=self.options.get("class", []))
        self.set_source_info(node)
        location = self.get_location()
        tags = [t.strip() for t in self.options.get("tags", "").split(",") if t.strip()]
        if "tags" in self.options and not tags:
            warn(
                ArticleWarning.INDEX,
                "':tags:' is empty; list one or more tags separated "
                "by commas, or remove the option.",
                location=location,
            )
        node["tags"] = [tag_slug(t) for t in tags]
        raw_limit = self.options.get("limit", "").strip()
        if "limit" in self.options:
            if raw_limit.isdigit() and int(raw_limit) > 0:
                node["limit"] = int(raw_limit)
            else:
                warn(
                    ArticleWarning.INDEX,
                    f"':limit: {raw_limit}' is not a positive whole "
                    "number; write for example ':limit: 5'. Showing every post.",
                    location=location,
                )
        raw_sort = self.options.get("sort", "").strip().lower()
        if "sort" in self.options:
            if raw_sort in SORTS:
                node["sort"] = raw_sort
            else:
                warn(
                    ArticleWarning.INDEX,
                    f"':sort: {raw_sort}' is not a known order; use "
                    f"one of {', '.join(SORTS)}. Sorting newest first.",
                    location=location,
                )
        set_record(self.env, self.env.docname, LISTS_POSTS, True)
        return [node]


def select(env: BuildEnvironment, node: post_index) -> list[Post]:
    """The posts one index shows: listed posts, filtered by tag, sorted, limited."""
    posts = listed_posts(env, node.get("sort", SORTS[0]))
    wanted: set[str] = set(node.get("tags", []))
    if wanted:
        posts = [p for p in posts if wanted & {tag_slug(t) for t in p.tags}]
    limit = node.get("limit", 0)
    return posts[:limit] if limit else posts


def heading_level(node: nodes.Node) -> int:
    """Card titles sit one level below the section the index is in."""
    depth = 0
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section):
            depth += 1
        parent = parent.parent
    return depth + 1


class PostIndexHtml(SphinxPostTransform):
    """HTML: replace each placeholder by its cards.

    Cards need the builder (links, images): ``_compat.env_app``.
    """

    default_priority = 300
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        docname = self.env.docname
        for node in list(self.document.findall(post_index)):
            html = cards_html(
                env_app(self.env), select(self.env, node), docname, heading_level(node)
            )
            raw = nodes.raw("", html, format="html")
            if node["classes"]:
                container = nodes.container("", raw, classes=node["classes"])
                node.replace_self(container)
            else:
                node.replace_self(raw)


class PostIndexPlain(SphinxPostTransform):
    """Every other builder: a bullet list of titles with authors and dates."""

    default_priority = 300

    def is_supported(self) -> bool:
        return builder_format(self.env) != "html"

    def run(self, **kwargs: Any) -> None:
        review = self.config.article_review
        for node in list(self.document.findall(post_index)):
            items = nodes.bullet_list()
            for post in select(self.env, node):
                para = nodes.paragraph("", "", nodes.strong("", post.title))
                details = [byline_text(post, review)] if post.authors or review else []
                if post.published:
                    details.append(display_date(post.published, self.config.language))
                if details:
                    para += nodes.Text(" — " + ", ".join(details))
                items += nodes.list_item("", para)
            node.replace_self(
                items if len(items) else nodes.paragraph("", gettext("No posts yet."))
            )


def outdated_listings(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """When a post is added, edited or removed, every page with an index is re-read."""
    if not any(is_post(app.config, d) for d in added | changed | removed):
        return []
    return sorted(d for d in records_of(env, LISTS_POSTS) if d not in removed)


def setup_postindex(app: Sphinx) -> None:
    app.add_node(post_index)
    app.add_directive("post-index", PostIndex)
    app.add_post_transform(PostIndexHtml)
    app.add_post_transform(PostIndexPlain)
    app.connect("env-get-outdated", outdated_listings)
