"""The ``author-contributions`` directive: who did what, in CRediT's words.

An empty directive writes the CRediT statement from the authors' ``roles`` in the
front matter: one sentence per role, in the taxonomy's order, naming the authors in
byline order with initials ("Conceptualization: A. Lovelace, C. Babbage.").  A body
replaces it.  Review builds leave it out (it names the authors).

Node tree::

    author_contributions(article_appendix="contributions")
    └── paragraph ...              # generated statement, or the directive's body

The appendix module moves any node carrying ``article_appendix`` into the post's
appendix (web) and before the references (PDF); left where it is, the node still
renders as a titled section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..domain import get_post
from ..model.frontmatter import Post
from ..model.vocabularies import CREDIT_ROLES
from ..pdf.escape import tex
from ..visitors import pass_node
from ..warnings_ import ArticleWarning, warn

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator

HEADING = "Author contributions"


class author_contributions(nodes.General, nodes.Element):
    """The author contributions statement of a post."""


def credit_statement(post: Post) -> str:
    """'Conceptualization: A. Lovelace, C. Babbage. Software: C. Babbage.' ('' if none)."""
    sentences = []
    for role, wording in CREDIT_ROLES.items():
        names = [author.short_name for author in post.authors if role in author.roles]
        if names:
            sentences.append(f"{wording}: {', '.join(names)}.")
    return " ".join(sentences)


class AuthorContributions(SphinxDirective):
    """``author-contributions``: generated from CRediT roles, or the body as written."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        if self.config.article_review:
            return []
        node = author_contributions(article_appendix="contributions")
        self.set_source_info(node)
        if self.content:
            node.extend(self.parse_content_to_nodes())
            return [node]
        post = get_post(self.env, self.env.docname)
        statement = credit_statement(post) if post is not None else ""
        if not statement:
            where = "this page is not a post" if post is None else "no author has 'roles'"
            warn(
                ArticleWarning.CONTRIBUTIONS,
                f"Cannot write the author contributions: "
                f"{where}. Add CRediT roles to the authors in the front matter (for "
                "example 'roles: [conceptualization, software]') or write the statement "
                "in the directive's body.",
                location=(self.env.docname, self.lineno),
            )
            return []
        node += nodes.paragraph(statement, statement)
        return [node]


# -- HTML --------------------------------------------------------------------------------


def in_appendix(node: nodes.Node) -> bool:
    """The appendix gives its sections their own titles."""
    parent = node.parent
    while parent is not None:
        if parent.tagname in ("appendix_section", "appendix"):
            return True
        parent = parent.parent
    return False


def visit_html(self: HTML5Translator, node: author_contributions) -> None:
    if in_appendix(node):
        self.body.append('<div class="article-contributions">')
        return
    self.body.append(
        '<section class="article-contributions" '
        'aria-labelledby="article-contributions-title">'
        f'<h2 id="article-contributions-title">{HEADING}</h2>'
    )


def depart_html(self: HTML5Translator, node: author_contributions) -> None:
    self.body.append("</div>\n" if in_appendix(node) else "</section>\n")


# -- LaTeX -------------------------------------------------------------------------------


def visit_latex(self: LaTeXTranslator, node: author_contributions) -> None:
    title = "" if in_appendix(node) else tex(HEADING)
    self.body.append(f"\n\\begin{{ArticleContributions}}{{{title}}}\n")


def depart_latex(self: LaTeXTranslator, node: author_contributions) -> None:
    self.body.append("\n\\end{ArticleContributions}\n")


# -- text, man, texinfo ------------------------------------------------------------------


def visit_text(self: TextTranslator, node: author_contributions) -> None:
    if in_appendix(node):
        return
    self.new_state(0)
    self.add_text(HEADING)
    self.end_state()


def setup_contributions(app: Sphinx) -> dict[str, Any]:
    app.add_node(
        author_contributions,
        html=(visit_html, depart_html),
        latex=(visit_latex, depart_latex),
        text=(visit_text, pass_node),
        man=(pass_node, pass_node),
        texinfo=(pass_node, pass_node),
    )
    app.add_directive("author-contributions", AuthorContributions)
    return {}
