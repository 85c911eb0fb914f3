"""The Distill-style appendix at the end of every post.

On ``doctree-read`` (after citations add the references list) every node carrying an
``article_appendix="<kind>"`` attribute is moved into one ``appendix`` node at the end
of the post, each kind in its own ``appendix_section``; sections made from the front
matter (acknowledgements, funding, updates, licence, "Cite this post") are added beside
them.
The web order is Distill's; the PDF puts contributions, updates and licence before the
references and the BibTeX last (:class:`PdfOrder`).  Footnotes join the appendix on
the web only, and only when they are not sidenotes (:class:`FootnotesToAppendix`).

Node tree::

    appendix
      appendix_section(kind="acknowledgements")
        appendix_title  paragraph ...
      appendix_section(kind="references")
        appendix_title  reference_list(...)
      appendix_section(kind="cite")
        appendix_title  cite_this(text, bibtex, filename)
          paragraph  literal_block          (what text/man/texinfo render)

Review builds drop acknowledgements, funding and contributions, and the citation names
no one.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from ..domain import Record, get_post, get_record, set_record
from ..model.dates import display_date
from ..model.frontmatter import Post
from ..model.vocabularies import LICENSES
from ..pdf.escape import tex
from ..visitors import for_formats, pass_node
from .cite_this import cite_record
from .pagetemplates import render

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

_ = get_translation("sphinx_article")

WEB_ORDER = (
    "acknowledgements",
    "funding",
    "contributions",
    "footnotes",
    "references",
    "updates",
    "license",
    "cite",
)
PDF_ORDER = (
    "acknowledgements",
    "funding",
    "contributions",
    "updates",
    "license",
    "footnotes",
    "references",
    "cite",
)
#: the post's "Cite this" record (``cite_this.cite_record``), for the page and its meta
CITE: Record[dict[str, str]] = Record("cite")
#: kinds that identify the authors: never in a review build
IDENTIFYING = ("acknowledgements", "funding", "contributions")


def section_title(kind: str) -> str:
    titles = {
        "acknowledgements": _("Acknowledgements"),
        "funding": _("Funding"),
        "contributions": _("Author contributions"),
        "footnotes": _("Footnotes"),
        "references": _("References"),
        "updates": _("Updates and corrections"),
        "license": _("Reuse"),
        "cite": _("Citation"),
    }
    return str(titles.get(kind, kind.replace("-", " ").capitalize()))


class appendix(nodes.General, nodes.Element):
    """The appendix of one post."""


class appendix_section(nodes.General, nodes.Element):
    """One section of the appendix; ``kind`` is its place in the fixed order."""


class appendix_title(nodes.General, nodes.TextElement):
    """The heading of an appendix section (rendered like a rubric by text builders)."""


class cite_this(nodes.General, nodes.Element):
    """'Cite this post': ``text`` (plain citation), ``bibtex``, ``filename`` (.bib)."""


class Acknowledgements(SphinxDirective):
    """``{acknowledgements}``: MyST text moved into the appendix (not in review builds)."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        container = nodes.container(
            classes=["article-acknowledgements"], article_appendix="acknowledgements"
        )
        container.extend(self.parse_content_to_nodes())
        self.set_source_info(container)
        return [container]


# -- read: gather the appendix ----------------------------------------------------------


def _movable(doctree: nodes.document) -> list[nodes.Element]:
    found = [n for n in doctree.findall(nodes.Element) if n.get("article_appendix")]
    chosen = set(map(id, found))
    return [n for n in found if not any(id(a) in chosen for a in _ancestors(n))]


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    result = []
    while node.parent is not None:
        node = node.parent
        result.append(node)
    return result


def _paragraph(*parts: nodes.Node | str) -> nodes.paragraph:
    para = nodes.paragraph()
    for part in parts:
        para += nodes.Text(part) if isinstance(part, str) else part
    return para


def license_paragraph(post: Post) -> nodes.paragraph:
    name, url = LICENSES.get(post.license, (post.license, ""))
    if not url:
        return _paragraph(str(_("Text and figures: %s.")) % name)
    link = nodes.reference("", name, refuri=url, classes=["article-license"])
    before, _sep, after = str(
        _(
            "Text and figures are licensed under {license}, unless "
            "noted otherwise. Figures reused from other sources are "
            "marked in their captions."
        )
    ).partition("{license}")
    return _paragraph(before, link, f" ({post.license})" + after)


def updates_list(post: Post, language: str | None) -> nodes.bullet_list:
    items = nodes.bullet_list(classes=["article-updates"])
    for update in post.updates:
        items += nodes.list_item(
            "",
            _paragraph(nodes.strong("", display_date(update.date, language)), ": " + update.note),
        )
    return items


def cite_node(record: dict[str, str]) -> cite_this:
    node = cite_this(text=record["text"], bibtex=record["bibtex"], filename=record["filename"])
    node += _paragraph(record["text"])
    block = nodes.literal_block(record["bibtex"], record["bibtex"], language="bibtex")
    node += block
    return node


def build_appendix(app: Sphinx, doctree: nodes.document) -> None:
    """Move marked nodes and front-matter sections into the post's appendix."""
    env = app.env
    post = get_post(env, env.docname)
    if post is None:
        return
    review = app.config.article_review
    content: dict[str, list[nodes.Node]] = {}
    for node in _movable(doctree):
        node.parent.remove(node)
        if not (review and node["article_appendix"] in IDENTIFYING):
            content.setdefault(node["article_appendix"], []).append(node)
    if post.acknowledgements:  # empty in review builds (anonymity.anonymise)
        content.setdefault("acknowledgements", []).insert(0, _paragraph(post.acknowledgements))
    if post.funding:  # plain text like acknowledgements; empty in review builds too
        content.setdefault("funding", []).insert(0, _paragraph(post.funding))
    if not app.config.article_footnotes_as_sidenotes and any(doctree.findall(nodes.footnote)):
        content["footnotes"] = []  # filled on the web by FootnotesToAppendix
    if post.updates:
        content["updates"] = [updates_list(post, app.config.language)]
    if post.license:
        content["license"] = [license_paragraph(post)]
    record = cite_record(app.config, post, env.docname, app.builder.name)
    set_record(env, env.docname, CITE, record)
    content["cite"] = [cite_node(record)]
    node = appendix(docname=env.docname)
    order = {kind: i for i, kind in enumerate(WEB_ORDER)}
    for kind in sorted(content, key=lambda k: (order.get(k, len(order) - 1.5), k)):
        section = appendix_section(kind=kind, ids=[f"appendix-{kind}"])
        section += appendix_title("", section_title(kind))
        section.extend(content[kind])
        node += section
    doctree += node


# -- write ------------------------------------------------------------------------------


class FootnotesToAppendix(SphinxPostTransform):
    """Web, footnotes not as sidenotes: the footnotes move to the appendix."""

    default_priority = 150
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for section in self.document.findall(appendix_section):
            if section["kind"] != "footnotes":
                continue
            for transition in list(self.document.findall(nodes.transition)):
                if "footnotes" in transition["classes"]:
                    transition.parent.remove(transition)
            for footnote in list(self.document.findall(nodes.footnote)):
                footnote.parent.remove(footnote)
                section += footnote


class PdfOrder(SphinxPostTransform):
    """PDF: contributions, updates and licence before the references; BibTeX last."""

    default_priority = 150
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        order = {kind: i for i, kind in enumerate(PDF_ORDER)}
        for node in self.document.findall(appendix):
            sections = [c for c in node.children if isinstance(c, appendix_section)]
            sections.sort(key=lambda s: order.get(s["kind"], len(order) - 1.5))
            node.children = []
            node.extend(sections)


class DropEmptySections(SphinxPostTransform):
    """A section left with its title only (footnotes outside the web) is removed."""

    default_priority = 160

    def run(self, **kwargs: Any) -> None:
        for section in list(self.document.findall(appendix_section)):
            if all(isinstance(child, appendix_title) for child in section.children):
                section.parent.remove(section)


def write_bib_file(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Put the post's ``.bib`` (the "Cite this" entry) beside its page."""
    record = get_record(app.env, pagename, CITE) if doctree is not None else None
    if not record:
        return
    uri = app.builder.get_target_uri(pagename)
    target = Path(app.outdir, uri.rpartition("/")[0], record["filename"])
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != record["bibtex"]:
        target.write_text(record["bibtex"], encoding="utf-8")


def visit_appendix_html(self: HTML5Translator, node: appendix) -> None:
    self.body.append(f'<aside class="article-appendix" aria-label="{escape(_("Appendix"))}">\n')


def depart_appendix_html(self: HTML5Translator, node: appendix) -> None:
    self.body.append("</aside>\n")


def visit_section_html(self: HTML5Translator, node: appendix_section) -> None:
    self.body.append(
        self.starttag(
            node,
            "section",
            "",
            CLASS=f"article-appendix__section article-appendix__section--{node['kind']}",
        )
    )


def depart_section_html(self: HTML5Translator, node: appendix_section) -> None:
    self.body.append("</section>\n")


def visit_title_html(self: HTML5Translator, node: appendix_title) -> None:
    self.body.append(f'<h2 class="article-appendix__title">{self.encode(node.astext())}</h2>\n')
    raise nodes.SkipNode


def visit_cite_html(self: HTML5Translator, node: cite_this) -> None:
    """The "Cite this" box: the template ``partials/article/cite-this.html``."""
    self.body.append(
        render(
            self.builder,
            "cite-this.html",
            text=node["text"],
            bibtex=node["bibtex"],
            filename=node["filename"],
            ident="article-bibtex",
        )
        + "\n"
    )
    raise nodes.SkipNode


def visit_appendix_latex(self: LaTeXTranslator, node: appendix) -> None:
    self.body.append("\n\\begin{ArticleAppendix}\n")


def depart_appendix_latex(self: LaTeXTranslator, node: appendix) -> None:
    self.body.append("\\end{ArticleAppendix}\n")


def visit_title_latex(self: LaTeXTranslator, node: appendix_title) -> None:
    self.body.append(f"\\ArticleAppendixSection{{{tex(node.astext())}}}\n")
    raise nodes.SkipNode


def visit_cite_latex(self: LaTeXTranslator, node: cite_this) -> None:
    self.body.append("\n\\begin{ArticleCiteThis}\n")


def depart_cite_latex(self: LaTeXTranslator, node: cite_this) -> None:
    self.body.append("\\end{ArticleCiteThis}\n")


def _rubric(self: Any, node: nodes.Node) -> None:
    self.visit_rubric(node)


def _rubric_end(self: Any, node: nodes.Node) -> None:
    self.depart_rubric(node)


def setup_appendix(app: Sphinx) -> None:
    app.add_directive("acknowledgements", Acknowledgements)
    app.connect("doctree-read", build_appendix, priority=700)
    app.connect("html-page-context", write_bib_file)
    app.add_post_transform(FootnotesToAppendix)
    app.add_post_transform(PdfOrder)
    app.add_post_transform(DropEmptySections)
    passthrough: dict[str, Any] = {
        fmt: (pass_node, pass_node) for fmt in ("text", "man", "texinfo")
    }
    app.add_node(
        appendix,
        html=(visit_appendix_html, depart_appendix_html),
        latex=(visit_appendix_latex, depart_appendix_latex),
        **passthrough,
    )
    app.add_node(
        appendix_section,
        html=(visit_section_html, depart_section_html),
        latex=(pass_node, pass_node),
        **passthrough,
    )
    app.add_node(
        appendix_title,
        html=(visit_title_html, None),
        latex=(visit_title_latex, None),
        **for_formats(("text", "man", "texinfo"), _rubric, _rubric_end),
    )
    app.add_node(
        cite_this,
        html=(visit_cite_html, None),
        latex=(visit_cite_latex, depart_cite_latex),
        **passthrough,
    )
