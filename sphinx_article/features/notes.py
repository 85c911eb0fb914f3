"""Margin notes, sidenotes, and footnotes shown as sidenotes.

Node trees::

    margin_note                  # ``margin-note`` directive: block content, unnumbered
    sidenote(number)             # ``{sidenote}`` role, or a footnote moved to its reference
    sidenote_mark(number)        # a second reference to a footnote already shown

Wide screens float every note into the margin column with CSS alone (``float: right;
clear: right`` and a negative right margin, as Tufte CSS does): nothing is measured or
moved by script, so nothing shifts, and ``clear`` stacks notes instead of overlapping
them.  A margin note belongs to the block before it, so on ``doctree-read`` it is moved
just before that block: its float then starts level with the block's first line.
Narrow screens show a real ``<button aria-expanded>`` per note that reveals it inline.

One post-transform numbers sidenotes and footnotes in a single sequence, in reading
order, and (with ``article_footnotes_as_sidenotes``) turns each footnote into a sidenote
at its first reference: one pass over the references with a dict of footnotes by id.
"""

from __future__ import annotations

from html import escape
from types import SimpleNamespace as Struct
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .._compat import builder_format
from ..visitors import pass_node, skip_node
from ..warnings_ import ArticleWarning, warn
from .media import noscript_once

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator


class margin_note(nodes.General, nodes.Element):
    """An unnumbered aside in the margin (block content)."""


class sidenote(nodes.Inline, nodes.TextElement):
    """A numbered note in the margin, anchored where it is referenced."""


class sidenote_mark(nodes.Inline, nodes.Element):
    """Another reference to the sidenote numbered ``number``."""


NOTES = (margin_note, sidenote)
# Blocks a margin note can sit beside (it moves before them); anything else stays put.
ANCHORS = (
    nodes.paragraph,
    nodes.Sequential,
    nodes.literal_block,
    nodes.math_block,
    nodes.figure,
    nodes.table,
    nodes.block_quote,
    nodes.container,
)
# Blocks of other modules (by node name, to avoid an import cycle): a colored equation.
BLOCK_TAGS = frozenset({"colored_equation"})
# Where a footnote stays a footnote: floats cannot leave tables, titles or captions.
KEEP_FOOTNOTE = (
    nodes.table,
    nodes.title,
    nodes.caption,
    nodes.footnote,
    margin_note,
    sidenote,
    nodes.line_block,
)


class MarginNote(SphinxDirective):
    """``margin-note``: an aside with any markup, beside the block before it."""

    has_content = True
    option_spec = {"class": lambda value: value.split()}

    def run(self) -> list[nodes.Node]:
        if not self.content:
            warn(
                ArticleWarning.NOTE,
                "The margin-note is empty; write its text in the directive's body.",
                location=(self.env.docname, self.lineno),
            )
            return []
        node = margin_note("", classes=self.options.get("class", []))
        self.set_source_info(node)
        node.extend(self.parse_content_to_nodes())
        return [node]


class SidenoteRole(SphinxRole):
    """``{sidenote}`text```: a numbered note in the margin; inline markup allowed."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        memo = Struct(
            document=self.inliner.document,
            reporter=self.inliner.reporter,
            language=self.inliner.language,
        )
        children, messages = self.inliner.parse(self.text, self.lineno, memo, nodes.Element())
        node = sidenote(self.rawtext, "", *children)
        node.source, node.line = self.get_source_info()
        if not self.text.strip():
            warn(
                ArticleWarning.NOTE,
                "The sidenote is empty; write its text between the backticks.",
                location=node,
            )
            return [], messages
        return [node], messages


#: blocks that float or break in LaTeX: they cannot sit in the margin
FLOATS = (nodes.figure, nodes.table)


def lift_floats(note: margin_note) -> None:
    """Move figures and tables out of a margin note, just after it, with a warning:
    LaTeX cannot float them inside ``\\marginpar`` ("Not in outer par mode")."""
    inner = [
        n for n in note.findall(lambda n: isinstance(n, FLOATS)) if not _has_ancestor(n, FLOATS)
    ]
    parent = note.parent
    for offset, block in enumerate(inner, start=1):
        kind = "figure" if isinstance(block, nodes.figure) else "table"
        warn(
            ArticleWarning.NOTE,
            f"A {kind} inside a margin note cannot go in the margin "
            f"(the PDF cannot place it there); it is shown in the body after the note. Move "
            f"the {kind} out of the margin-note, or use a plain image without a caption.",
            location=block,
        )
        block.parent.remove(block)
        parent.insert(parent.index(note) + offset, block)
    if not note.children:
        parent.remove(note)


def place_notes(app: Sphinx, doctree: nodes.document) -> None:
    """Unwrap nested notes (with a warning) and move margin notes before their block."""
    for node in [cast(nodes.Element, n) for n in doctree.findall(lambda n: isinstance(n, NOTES))]:
        outer = node.parent
        while outer is not None and not isinstance(outer, NOTES):
            outer = outer.parent
        if outer is None:
            continue
        kind = "margin note" if isinstance(node, margin_note) else "sidenote"
        warn(
            ArticleWarning.NOTE,
            f"A {kind} inside another note cannot go in the margin; "
            "move it out of the enclosing note. Its text is shown inside that note.",
            location=node,
        )
        if isinstance(node, sidenote):
            node.replace_self(
                nodes.inline("", "", nodes.Text(" ("), *node.children, nodes.Text(")"))
            )
        else:
            node.replace_self(node.children)
    for note in list(doctree.findall(margin_note)):
        lift_floats(note)
    for note in list(doctree.findall(margin_note)):
        parent = note.parent
        index = parent.index(note)
        before = index - 1
        while before >= 0 and isinstance(parent[before], (margin_note, nodes.target)):
            before -= 1
        if before >= 0 and (
            isinstance(parent[before], ANCHORS)
            or getattr(parent[before], "tagname", None) in BLOCK_TAGS
        ):
            anchor = parent[before]
            parent.remove(note)
            parent.insert(parent.index(anchor), note)


class NumberNotes(SphinxPostTransform):
    """One number sequence for sidenotes and footnotes; footnotes become sidenotes."""

    default_priority = 300

    def run(self, **kwargs: Any) -> None:
        as_sidenotes = self.config.article_footnotes_as_sidenotes
        footnotes = {
            ident: fn for fn in self.document.findall(nodes.footnote) for ident in fn["ids"]
        }
        numbers: dict[str, int] = {}
        converted: set[str] = set()
        number = 0
        html = builder_format(self.env) == "html"
        items = [
            cast(nodes.Element, item)
            for item in self.document.findall(
                lambda n: isinstance(n, (sidenote, nodes.footnote_reference))
            )
        ]
        for item in items:
            if isinstance(item, sidenote):
                number += 1
                item["number"] = number
                continue
            footnote = footnotes.get(item.get("refid", ""))
            if footnote is None:
                continue
            key = footnote["ids"][0]
            if key in converted:
                item.replace_self(sidenote_mark(number=numbers[key]))
                continue
            if key not in numbers:
                number += 1
                numbers[key] = number
                footnote[0].children = [nodes.Text(str(number))]
                if as_sidenotes and not _has_ancestor(item, KEEP_FOOTNOTE):
                    item.replace_self(self.to_sidenote(footnote, number, html))
                    converted.add(key)
                    continue
            item.children = [nodes.Text(str(numbers[key]))]
        for key in converted:
            footnote = footnotes[key]
            if footnote.parent is not None:
                footnote.parent.remove(footnote)
        if converted and not any(True for _ in self.document.findall(nodes.footnote)):
            for rule in list(self.document.findall(nodes.transition)):
                if "footnotes" in rule["classes"]:
                    rule.parent.remove(rule)

    @staticmethod
    def to_sidenote(footnote: nodes.footnote, number: int, html: bool) -> sidenote:
        """The footnote's body at its reference; HTML needs inline boxes inside ``<p>``."""
        body: list[nodes.Node] = []
        for child in footnote.children[1:]:
            if isinstance(child, nodes.paragraph) and (html or not body):
                # LaTeX: the first paragraph runs on after the number, the rest stay
                classes = ["article-note__p"] if html else []
                body.append(nodes.inline("", "", *child.children, classes=classes))
            else:
                body.append(child)
        return sidenote("", "", *body, number=number, footnote=True)


def _has_ancestor(node: nodes.Node, kinds: tuple[type, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parent
    return False


# -- HTML --------------------------------------------------------------------------------


def visit_margin_note_html(self: HTML5Translator, node: margin_note) -> None:
    count = getattr(self, "_article_margin_notes", 0) + 1
    self._article_margin_notes = count  # type: ignore[attr-defined]
    ident = f"article-mn-{count}"
    classes = " ".join(["article-margin-note", *node.get("classes", [])])
    self.body.append(
        f'<div class="{escape(classes)}" role="note" aria-label="Margin note">'
        f'<button type="button" class="article-note__toggle" aria-expanded="false" '
        f'aria-controls="{ident}">Note</button>'
        f'<div class="article-note__body" id="{ident}">'
    )


def depart_margin_note_html(self: HTML5Translator, node: margin_note) -> None:
    self.body.append("</div>" + noscript_once(self) + "</div>")


def visit_sidenote_html(self: HTML5Translator, node: sidenote) -> None:
    number = node.get("number", "")
    ident = f"article-sn-{number}"
    self.body.append(
        f'<span class="article-sidenote">'
        f'<sup class="article-sidenote__mark" id="{ident}-ref">{number}</sup>'
        f'<button type="button" class="article-note__toggle article-sidenote__toggle" '
        f'aria-expanded="false" aria-controls="{ident}" aria-label="Sidenote {number}">'
        f"{number}</button>"
        f'<span class="article-note__body article-sidenote__body" id="{ident}" role="note">'
        f'<span class="article-sidenote__number">{number}</span> '
    )


def depart_sidenote_html(self: HTML5Translator, node: sidenote) -> None:
    self.body.append("</span>" + noscript_once(self) + "</span>")


def visit_mark_html(self: HTML5Translator, node: sidenote_mark) -> None:
    number = node["number"]
    self.body.append(
        f'<sup class="article-sidenote__again"><a href="#article-sn-{number}'
        f'-ref" aria-label="See sidenote {number}">{number}</a></sup>'
    )
    raise nodes.SkipNode


# -- LaTeX -------------------------------------------------------------------------------


def _floating(self: LaTeXTranslator) -> bool:
    """``\\marginpar`` cannot be used in floats, tables, captions or footnotes."""
    return bool(
        self.table
        or self.in_caption
        or self.in_footnote
        or self.in_minipage
        or getattr(self, "in_title", 0)
    )


def visit_margin_note_latex(self: LaTeXTranslator, node: margin_note) -> None:
    parent = node.parent
    following = parent[parent.index(node) + 1] if parent.index(node) + 1 < len(parent) else None
    macro = (
        "ArticleMarginNoteFloat"
        if _floating(self)
        else "ArticleMarginNote"
        if isinstance(following, nodes.paragraph)
        else "ArticleMarginNoteBlock"
    )
    self.body.append(f"\n\\{macro}{{%\n")


def depart_margin_note_latex(self: LaTeXTranslator, node: margin_note) -> None:
    self.body.append("}")


def visit_sidenote_latex(self: LaTeXTranslator, node: sidenote) -> None:
    macro = "ArticleSidenoteFloat" if _floating(self) else "ArticleSidenote"
    self.body.append(f"\\{macro}{{{node.get('number', '')}}}{{%\n")


def depart_sidenote_latex(self: LaTeXTranslator, node: sidenote) -> None:
    self.body.append("}")


def visit_mark_latex(self: LaTeXTranslator, node: sidenote_mark) -> None:
    self.body.append(f"\\ArticleSidenoteMark{{{node['number']}}}")
    raise nodes.SkipNode


# -- text, man, texinfo ------------------------------------------------------------------


def visit_sidenote_text(self: TextTranslator, node: sidenote) -> None:
    self.add_text(f" [{node.get('number', '')}: ")


def depart_sidenote_text(self: TextTranslator, node: sidenote) -> None:
    self.add_text("]")


def visit_mark_text(self: TextTranslator, node: sidenote_mark) -> None:
    self.add_text(f"[{node['number']}]")
    raise nodes.SkipNode


def setup_notes(app: Sphinx) -> dict[str, Any]:
    plain: dict[str, Any] = {fmt: (pass_node, pass_node) for fmt in ("man", "texinfo")}
    app.add_node(
        margin_note,
        html=(visit_margin_note_html, depart_margin_note_html),
        latex=(visit_margin_note_latex, depart_margin_note_latex),
        text=(pass_node, pass_node),
        **plain,
    )
    app.add_node(
        sidenote,
        html=(visit_sidenote_html, depart_sidenote_html),
        latex=(visit_sidenote_latex, depart_sidenote_latex),
        text=(visit_sidenote_text, depart_sidenote_text),
        **plain,
    )
    app.add_node(
        sidenote_mark,
        html=(visit_mark_html, None),
        latex=(visit_mark_latex, None),
        text=(visit_mark_text, None),
        man=(skip_node, None),
        texinfo=(skip_node, None),
    )
    app.add_directive("margin-note", MarginNote)
    app.add_role("sidenote", SidenoteRole())
    app.connect("doctree-read", place_notes, priority=450)
    app.add_post_transform(NumberNotes)
    return {}
