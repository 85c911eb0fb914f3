"""The title block: title, description, byline (authors, ORCID, affiliations, dates,
DOI, PDF link), in HTML and LaTeX side by side.

A ``title_block`` node is put at the top of every post on ``doctree-read``; its
visitors read the post's record from the domain at write time, so the record is the
only source of truth.  A ``header_end`` marker follows it (the hero figure is placed
before that marker): the theme lifts everything above the marker out of the body into
its page header, while other themes simply render it in place.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from .dates import display_date
from .domain import get_post
from .frontmatter import Post
from .latex import author_names, post_url, short_title, tex_url
from .latex_escape import tex
from .notebooks import byline_notebook_html

if TYPE_CHECKING:
    from sphinx.config import Config
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

HEADER_END = "<!-- sphinx-article: end of header -->"

ORCID_ICON = (
    '<svg class="orcid-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" '
    'focusable="false"><circle cx="12" cy="12" r="12" fill="#A6CE39"/><path fill="#fff" '
    'd="M8.3 18.3H6.9V8.2h1.4zM7.6 5.3a.9.9 0 1 1 0 1.8.9.9 0 0 1 0-1.8zM10.2 8.2h3.8c3.6 '
    '0 5.2 2.6 5.2 5 0 2.7-2.1 5-5.2 5h-3.8zm1.4 8.8h2.3c3.2 0 3.9-2.4 3.9-3.7 0-2.1-1.3-3.8'
    '-4-3.8h-2.2z"/></svg>'
)


class title_block(nodes.General, nodes.Element):
    """Placeholder for a post's title block; rendered from the post's record."""


class header_end(nodes.General, nodes.Element):
    """Where the page header (title block, hero figure) ends."""


class hidden_title(nodes.General, nodes.Element):
    """A post's top section title on the web: the title block already shows it."""


class HideRepeatedTitle(SphinxPostTransform):
    """HTML only: the post's top heading is rendered by the title block instead."""

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for section in self.document.findall(nodes.section):
            if section.get("article_title_section") and isinstance(section[0], nodes.title):
                section[0].replace_self(hidden_title())


def insert_title_block(app: Sphinx, doctree: nodes.document) -> None:
    if get_post(app.env, app.env.docname) is None:
        return
    doctree.insert(0, header_end())
    doctree.insert(0, title_block(docname=app.env.docname))


def affiliation_numbers(post: Post) -> dict[str, int]:
    """Affiliation id -> its mark (1, 2, ...), in order of first use in the byline."""
    numbers: dict[str, int] = {}
    for author in post.authors:
        for ident in author.affiliations:
            numbers.setdefault(ident, len(numbers) + 1)
    return numbers


# -- HTML --------------------------------------------------------------------------------


def _link(url: str, text: str, cls: str = "") -> str:
    attrs = f' class="{cls}"' if cls else ""
    return f'<a href="{escape(url)}"{attrs}>{text}</a>' if url else text


def byline_authors_html(post: Post) -> str:
    numbers = affiliation_numbers(post)
    show_marks = len(numbers) > 1
    items = []
    for author in post.authors:
        parts = [_link(author.url, escape(author.name), "author-name")]
        if author.orcid:
            parts.append(
                f'<a class="orcid" href="{escape(author.orcid_url)}" '
                f'aria-label="ORCID iD of {escape(author.name)}: {escape(author.orcid)}">'
                f"{ORCID_ICON}</a>"
            )
        marks = [str(numbers[a]) for a in author.affiliations if show_marks]
        flags = []
        if author.equal_contribution:
            flags.append('<span title="Equal contribution">*</span>')
        if author.corresponding:
            flags.append(
                f'<a class="corresponding" href="mailto:{escape(author.email)}" '
                f'title="Corresponding author">✉</a>' if author.email else ""
            )
        if marks or flags:
            parts.append(f'<sup>{",".join(marks)}{"".join(flags)}</sup>')
        affs = [post.affiliation(a) for a in author.affiliations]
        if affs and not show_marks:
            parts.append(
                '<span class="author-affiliation">'
                + ", ".join(_link(a.url, escape(a.name)) for a in affs if a)
                + "</span>"
            )
        items.append(f'<li class="author">{"".join(parts)}</li>')
    return "".join(items)


def byline_affiliations_html(post: Post) -> str:
    numbers = affiliation_numbers(post)
    if len(numbers) <= 1:
        return ""
    items = []
    for ident, number in numbers.items():
        aff = post.affiliation(ident)
        if aff:
            items.append(f'<li value="{number}">{_link(aff.url, escape(aff.name))}</li>')
    return "".join(items)


def visit_title_block_html(self: HTML5Translator, node: title_block) -> None:
    env = self.builder.env
    post = get_post(env, self.builder.current_docname)
    if post is None:
        raise nodes.SkipNode
    config = self.builder.config
    review = config.article_review
    language = config.language
    out = ['<header class="article-titleblock">']
    if post.draft:
        out.append('<p class="article-banner article-banner--draft" role="note">Draft: this '
                   "post is not published yet.</p>")
    if config.article_venue:
        out.append(f'<p class="article-venue">{escape(config.article_venue)}</p>')
    out.append(f'<h1 class="article-title">{escape(post.title)}</h1>')
    if post.description:
        out.append(f'<p class="article-description">{escape(post.description)}</p>')
    out.append('<div class="article-byline">')
    if review:
        out.append('<div class="byline-field byline-authors"><h2 class="byline-label">Authors'
                   '</h2><p>Anonymous authors</p></div>')
    elif post.authors:
        out.append('<div class="byline-field byline-authors"><h2 class="byline-label">'
                   f'Author{"s" if len(post.authors) > 1 else ""}</h2>'
                   f'<ul class="byline-list">{byline_authors_html(post)}</ul></div>')
        affiliations = byline_affiliations_html(post)
        if affiliations:
            out.append('<div class="byline-field byline-affiliations"><h2 class="byline-label">'
                       f'Affiliations</h2><ol class="byline-list">{affiliations}</ol></div>')
    if post.published:
        out.append('<div class="byline-field byline-dates"><h2 class="byline-label">Published'
                   f'</h2><p><time datetime="{post.published}">'
                   f"{escape(display_date(post.published, language))}</time>")
        if post.updated and post.updated != post.published:
            out.append(f'<br><span class="byline-updated">Updated <time datetime="'
                       f'{post.updated}">{escape(display_date(post.updated, language))}'
                       "</time></span>")
        out.append("</p></div>")
    if post.doi:
        out.append('<div class="byline-field byline-doi"><h2 class="byline-label">DOI</h2>'
                   f'<p><a href="https://doi.org/{escape(post.doi)}">{escape(post.doi)}</a>'
                   "</p></div>")
    pdf = self.builder.events.emit_firstresult("article-pdf-url", self.builder, post.docname)
    if pdf:
        out.append('<div class="byline-field byline-pdf"><h2 class="byline-label">PDF</h2>'
                   f'<p><a href="{escape(pdf)}" download>Download PDF</a></p></div>')
    out.append(byline_notebook_html(self.builder, post))  # notebook posts only
    out.append("</div></header>")
    self.body.append("".join(out))
    raise nodes.SkipNode


def visit_header_end_html(self: HTML5Translator, node: header_end) -> None:
    self.body.append(HEADER_END)
    raise nodes.SkipNode


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
    banner = "Draft" if post.draft else ""
    if review:
        banner = "Anonymous submission under review"
    lines = [
        (rf"\ArticleMetadata{{{tex(post.title)}}}{{{tex(author_names(config, post))}}}"
         rf"{{{tex(post.description)}}}{{{tex(keywords)}}}"),
        (rf"\ArticleSetup{{{tex(short_title(post.title))}}}{{{tex_url(url) if url else ''}}}"
         rf"{{{tex(shown_url)}}}"),
        r"\begin{ArticleTitleBlock}",
        rf"\ArticleBanner{{{tex(banner)}}}",
        rf"\ArticleVenue{{{tex(config.article_venue)}}}",
        rf"\ArticleTitle{{{tex(post.title)}}}",
        rf"\ArticleDescription{{{tex(post.description)}}}",
        *([r"\ArticleAuthor{Anonymous authors}{}{}"] if review else byline_latex(post)),
    ]
    published = tex(display_date(post.published, language)) if post.published else ""
    updated = (tex(display_date(post.updated, language))
               if post.updated and post.updated != post.published else "")
    lines.append(rf"\ArticleDates{{{published}}}{{{updated}}}")
    if post.doi:  # none in review builds: a DOI's record names the authors
        lines.append(rf"\ArticleDOI{{{tex_url('https://doi.org/' + post.doi)}}}{{{tex(post.doi)}}}")
    if url:
        lines.append(rf"\ArticleOnline{{{tex_url(url)}}}{{{tex(shown_url)}}}")
    lines += [r"\end{ArticleTitleBlock}", ""]
    return lines


def byline_latex(post: Post) -> list[str]:
    """Authors with affiliation marks and ORCID links, the affiliations, and notes."""
    numbers = affiliation_numbers(post)
    show_marks = len(numbers) > 1
    lines = []
    for author in post.authors:
        marks = [str(numbers[a]) for a in author.affiliations if show_marks]
        star = "*" if author.equal_contribution else ""
        orcid = tex_url(author.orcid_url) if author.orcid else ""
        lines.append(rf"\ArticleAuthor{{{tex(author.name)}}}{{{','.join(marks)}{star}}}"
                     rf"{{{orcid}}}")
    for ident, number in numbers.items():
        aff = post.affiliation(ident)
        if aff:
            lines.append(rf"\ArticleAffiliation{{{number if show_marks else ''}}}"
                         rf"{{{tex(aff.name)}}}")
    if any(a.equal_contribution for a in post.authors):
        lines.append(r"\ArticleNote{\textsuperscript{*}Equal contribution.}")
    for author in post.authors:
        if author.corresponding and author.email:
            lines.append(rf"\ArticleNote{{Correspondence: {tex(author.name)}, "
                         rf"\href{{{tex_url('mailto:' + author.email)}}}{{{tex(author.email)}}}}}")
    return lines


def node_docname(self: LaTeXTranslator, node: nodes.Node) -> str:
    """The docname a node came from (LaTeX assembles one doctree from several docs)."""
    current = node
    while current is not None:
        if current.get("docname"):  # type: ignore[union-attr]
            return current["docname"]  # type: ignore[index]
        current = current.parent
    return self.settings._docname


def skip(self: object, node: nodes.Node) -> None:
    raise nodes.SkipNode


FORMATS = ("html", "latex", "text", "man", "texinfo")


def setup_titleblock(app: Sphinx) -> None:
    app.add_event("article-pdf-url")
    app.add_node(
        title_block,
        html=(visit_title_block_html, None),
        latex=(visit_title_block_latex, None),
        text=(skip, None),
        man=(skip, None),
        texinfo=(skip, None),
    )
    app.add_node(
        header_end,
        html=(visit_header_end_html, None),
        latex=(skip, None),
        text=(skip, None),
        man=(skip, None),
        texinfo=(skip, None),
    )
    app.add_node(hidden_title, **{fmt: (skip, None) for fmt in FORMATS})
    app.add_post_transform(HideRepeatedTitle)
    app.connect("doctree-read", insert_title_block, priority=610)
