"""The title block: title, description, byline (authors, ORCID, affiliations, dates,
DOI, PDF link), in HTML and LaTeX side by side.  The HTML is the template
``partials/article/titleblock.html`` (a site may override it); this module gives it
its context.

A ``title_block`` node is put at the top of every post on ``doctree-read``; its
visitors read the post's record from the domain at write time, so the record is the
only source of truth.  Under any theme but this project's the HTML visitor renders the
template into the body; under this theme the visitor writes nothing and the theme's
``layout.html`` includes the same template in its page header, with the context that
:func:`header_context` puts into the page context (``article_titleblock``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..domain import get_post
from ..model.dates import display_date
from ..model.frontmatter import Post
from ..model.urls import post_url
from ..notebooks.mystnb import byline_notebook_html
from ..pdf.escape import tex
from ..pdf.text import author_names, short_title, tex_url
from ..visitors import node_docname, skip_node
from .markers import header_in_layout, title_block
from .pagetemplates import gettext, render, setup_pagetemplates

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator


class DropRepeatedTitle(SphinxPostTransform):
    """HTML only: the post's top heading is left out of the written page (the title
    block shows the title).  It stays in the doctree until here because Sphinx's TOC
    collector reads it; it goes before writing so that the body, and the search index
    fed from the same doctree, hold it no more than they did."""

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for section in list(self.document.findall(nodes.section)):
            if section.get("article_title_section") and isinstance(section[0], nodes.title):
                section.remove(section[0])


def insert_title_block(app: Sphinx, doctree: nodes.document) -> None:
    if get_post(app.env, app.env.docname) is None:
        return
    doctree.insert(0, title_block(docname=app.env.docname))


def affiliation_numbers(post: Post) -> dict[str, int]:
    """Affiliation id -> its mark (1, 2, ...), in order of first use in the byline."""
    numbers: dict[str, int] = {}
    for author in post.authors:
        for ident in author.affiliations:
            numbers.setdefault(ident, len(numbers) + 1)
    return numbers


# -- HTML --------------------------------------------------------------------------------


def byline_authors(post: Post) -> list[dict[str, Any]]:
    """Each author as the title block template shows them: name, links, marks."""
    numbers = affiliation_numbers(post)
    show_marks = len(numbers) > 1
    authors = []
    for author in post.authors:
        affiliations = (
            []
            if show_marks
            else [
                {"name": aff.name, "url": aff.url}
                for aff in (post.affiliation(a) for a in author.affiliations)
                if aff
            ]
        )
        authors.append(
            {
                "author": author,
                "name": author.name,
                "url": author.url,
                "orcid": author.orcid,
                "orcid_url": author.orcid_url if author.orcid else "",
                "marks": [str(numbers[a]) for a in author.affiliations] if show_marks else [],
                "equal_contribution": author.equal_contribution,
                "corresponding": author.corresponding,
                "email": author.email,
                "affiliations": affiliations,
            }
        )
    return authors


def byline_affiliations(post: Post) -> list[dict[str, Any]]:
    """The numbered affiliations (only when there are several)."""
    numbers = affiliation_numbers(post)
    if len(numbers) <= 1:
        return []
    listed = ((number, post.affiliation(ident)) for ident, number in numbers.items())
    return [{"number": number, "name": aff.name, "url": aff.url} for number, aff in listed if aff]


def title_block_context(builder: Builder, post: Post) -> dict[str, Any]:
    """What ``partials/article/titleblock.html`` is rendered with (the reference in
    docs/reference/templates.md lists it)."""
    config = builder.config
    language = config.language

    def when(iso: str) -> dict[str, str] | None:
        return {"iso": iso, "text": display_date(iso, language)} if iso else None

    review = bool(config.article_review)
    updated = post.updated if post.updated and post.updated != post.published else ""
    return {
        "post": post,
        "title": post.title,
        "description": post.description,
        "venue": config.article_venue,
        "draft": post.draft,
        "review": review,
        "authors": [] if review else byline_authors(post),
        "affiliations": [] if review else byline_affiliations(post),
        "published": when(post.published),
        "updated": when(updated) if post.published else None,
        "doi": post.doi,
        "pdf_url": builder.events.emit_firstresult("article-pdf-url", builder, post.docname) or "",
        "notebook_html": byline_notebook_html(builder, post),  # notebook posts only
    }


def visit_title_block_html(self: HTML5Translator, node: title_block) -> None:
    post = get_post(self.builder.env, self.builder.current_docname)
    if post is None or header_in_layout(self.builder, self.builder.current_docname):
        raise nodes.SkipNode
    context = title_block_context(self.builder, post)
    self.body.append(render(self.builder, "titleblock.html", **context))
    raise nodes.SkipNode


def header_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """On html-page-context, for a post with a title block: ``article_titleblock``, the
    title block template's context, which this theme's layout renders in its header."""
    post = get_post(app.env, pagename) if doctree is not None else None
    if post is not None and next(iter(doctree.findall(title_block)), None) is not None:
        context["article_titleblock"] = title_block_context(app.builder, post)


# -- LaTeX -------------------------------------------------------------------------------


def visit_title_block_latex(self: LaTeXTranslator, node: title_block) -> None:
    post = get_post(self.builder.env, node_docname(self, node))
    if post is None:
        raise nodes.SkipNode
    self.body.append("\n" + "\n".join(title_block_latex(post, self.builder.config)) + "\n")
    raise nodes.SkipNode


def title_block_latex(post: Post, config: Config) -> list[str]:
    """The post's PDF metadata, running header/footer and title block, every author
    string through ``tex()`` and every URL through ``tex_url()``."""
    review = config.article_review
    language = config.language
    url = post_url(config, post.docname)
    page = "index" + (config.html_file_suffix or ".html")
    shown_url = url.split("://", 1)[-1].removesuffix(page).rstrip("/")
    keywords = ", ".join(dict.fromkeys([*post.tags, *post.keywords]))
    banner = r"\ArticleLabelDraft" if post.draft else ""
    if review:
        banner = r"\ArticleLabelUnderReview"
    lines = [
        (
            rf"\ArticleMetadata{{{tex(post.title)}}}{{{tex(author_names(config, post))}}}"
            rf"{{{tex(post.description)}}}{{{tex(keywords)}}}"
        ),
        (
            rf"\ArticleSetup{{{tex(short_title(post.title))}}}{{{tex_url(url) if url else ''}}}"
            rf"{{{tex(shown_url)}}}"
        ),
        latex_labels(),
        r"\begin{ArticleTitleBlock}",
        rf"\ArticleBanner{{{banner}}}",
        rf"\ArticleVenue{{{tex(config.article_venue)}}}",
        rf"\ArticleTitle{{{tex(post.title)}}}",
        rf"\ArticleDescription{{{tex(post.description)}}}",
        *([r"\ArticleAuthor{\ArticleLabelAnonymousAuthors}{}{}"] if review else byline_latex(post)),
    ]
    published = tex(display_date(post.published, language)) if post.published else ""
    updated = (
        tex(display_date(post.updated, language))
        if post.updated and post.updated != post.published
        else ""
    )
    lines.append(rf"\ArticleDates{{{published}}}{{{updated}}}")
    if post.doi:  # none in review builds: a DOI's record names the authors
        lines.append(rf"\ArticleDOI{{{tex_url('https://doi.org/' + post.doi)}}}{{{tex(post.doi)}}}")
    if url:
        lines.append(rf"\ArticleOnline{{{tex_url(url)}}}{{{tex(shown_url)}}}")
    lines += [r"\end{ArticleTitleBlock}", ""]
    return lines


#: The PDF's visible labels, in ``\ArticleLabels``' order (sphinxarticle.sty), as
#: messages of sphinx-article's catalogue.
LATEX_LABELS = (
    "Published",
    "Updated",
    "DOI",
    "Online",
    "Equal contribution.",
    "Correspondence:",
    "Anonymous authors",
    "Draft",
    "Anonymous submission under review",
)


def latex_labels() -> str:
    r"""``\ArticleLabels{...}``: the title block's words in the site's language."""
    return r"\ArticleLabels" + "".join("{" + tex(gettext(label)) + "}" for label in LATEX_LABELS)


def byline_latex(post: Post) -> list[str]:
    """Authors with affiliation marks and ORCID links, the affiliations, and notes."""
    numbers = affiliation_numbers(post)
    show_marks = len(numbers) > 1
    lines = []
    for author in post.authors:
        marks = [str(numbers[a]) for a in author.affiliations if show_marks]
        star = "*" if author.equal_contribution else ""
        orcid = tex_url(author.orcid_url) if author.orcid else ""
        lines.append(
            rf"\ArticleAuthor{{{tex(author.name)}}}{{{','.join(marks)}{star}}}"
            rf"{{{orcid}}}"
        )
    for ident, number in numbers.items():
        aff = post.affiliation(ident)
        if aff:
            lines.append(
                rf"\ArticleAffiliation{{{number if show_marks else ''}}}"
                rf"{{{tex(aff.name)}}}"
            )
    if any(a.equal_contribution for a in post.authors):
        lines.append(r"\ArticleNote{\textsuperscript{*}\ArticleLabelEqualContribution}")
    for author in post.authors:
        if author.corresponding and author.email:
            lines.append(
                rf"\ArticleNote{{\ArticleLabelCorrespondence{{}} {tex(author.name)}, "
                rf"\href{{{tex_url('mailto:' + author.email)}}}{{{tex(author.email)}}}}}"
            )
    return lines


FORMATS = ("html", "latex", "text", "man", "texinfo")


def setup_titleblock(app: Sphinx) -> None:
    setup_pagetemplates(app)  # the page's templates and their message catalogue
    app.add_event("article-pdf-url")
    app.add_node(
        title_block,
        html=(visit_title_block_html, None),
        latex=(visit_title_block_latex, None),
        text=(skip_node, None),
        man=(skip_node, None),
        texinfo=(skip_node, None),
    )
    app.add_post_transform(DropRepeatedTitle)
    app.connect("doctree-read", insert_title_block, priority=610)
    app.connect("html-page-context", header_context)
