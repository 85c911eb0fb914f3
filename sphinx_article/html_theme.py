"""The ``sphinx_article`` HTML theme: registered through the ``sphinx.html_themes``
entry point, and set up together with the extension it is designed for."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment.adapters.toctree import document_toc

from .assets import theme_dir
from .domain import get_post
from .titleblock import HEADER_END


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Lift a post's header (title block, hero) out of the body for the theme's grid."""
    post = get_post(app.env, pagename) if doctree is not None else None
    context["article_post"] = post
    context["article_review"] = app.config.article_review
    context["article_venue"] = app.config.article_venue
    context["article_toc_depth"] = app.config.article_toc_depth
    if post is not None:
        context["toc"] = post_toc(app, pagename)
        if post.lang:  # <html lang> of a post written in another language
            context["language"] = post.lang
    body = context.get("body", "")
    if post is not None and HEADER_END in body and app.config.html_theme == "sphinx_article":
        header, _, rest = body.partition(HEADER_END)
        context["article_header"] = header
        context["body"] = rest


def post_toc(app: Sphinx, docname: str) -> str:
    """The post's headings without the root entry (the title block shows the title)."""
    toc = document_toc(app.env, docname, app.builder.tags)
    if not isinstance(toc, nodes.bullet_list) or len(toc) != 1:
        return ""
    nested = [child for child in toc[0] if isinstance(child, nodes.bullet_list)]
    return app.builder.render_partial(nested[0])["fragment"] if nested else ""  # type: ignore[attr-defined]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_article")  # which registers the theme itself
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def setup_html_theme(app: Sphinx) -> None:
    app.add_html_theme("sphinx_article", str(theme_dir() / "html"))
    app.connect("html-page-context", page_context)
