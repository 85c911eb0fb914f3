"""Coloured equations: ``colored-equation``, ``\\eqterm``, the ``eqterm`` role, and
post-wide term colours.

The directive emits this tree (the math block is Sphinx's own, so ``:label:``
numbering and ``{eq}`` references work as for ``{math}``)::

    colored_equation(terms=[...], overrides={...})
      target (equation-<label>)
      math_block(article_eqterms=True, article_term_styles={...})  <- \\eqterm{grad}{...}
      eqterm_legend
        bullet_list(classes=eqterm-legend-list)
          list_item(classes=eqterm-legend-item, ids=[eqterm-grad] on first use)
            paragraph: eqterm_key(term=grad) ": " <description, inline MyST>

Colours are post-wide and assigned on ``doctree-read``, when every equation of the
document has been read: author overrides first, then ``article_palette`` colours in
order of first appearance.  Each colour gets light/dark variants reaching 3:1 against
the page (swatches, underlines, PDF) and text shades reaching 4.5:1 (words and
symbols), all produced by ``colors`` as ``#RRGGBB``: no author text reaches CSS or
LaTeX.  The record ``terms`` (name -> colours) is kept in the article domain.
"""

from __future__ import annotations

import difflib
import re
from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.directives.patches import MathDirective
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective, SphinxRole

from ..config import PALETTES
from ..domain import Record, set_record
from ..model import colors
from ..model.eqterms import NAME, find_eqterms, parse_colors
from ..pdf.escape import tex
from ..visitors import pass_node
from ..warnings_ import ArticleWarning, warn
from .media import WIDTHS, apply_width

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

LEGEND_LINE = re.compile(r"\s*([^:\s]+)\s*:\s*(.*\S)\s*")
TERM_MARK = re.compile(r"\\eqterm\s*\{([A-Za-z][A-Za-z0-9-]*)\}")
ROLE_TEXT = re.compile(r"(?s)(.*?)\s*<([^<>]+)>\s*")
TEXT_CONTRAST = 4.5


#: a post's equation terms: name -> its colours (``term_colors``), for the page and tests
TERMS: Record[dict[str, dict[str, str]]] = Record("terms")


class colored_equation(nodes.General, nodes.Element):
    """A display equation whose ``\\eqterm`` terms carry post-wide colours."""


class eqterm_legend(nodes.General, nodes.Element):
    """The legend under a coloured equation (wraps a bullet list)."""


class eqterm_key(nodes.Inline, nodes.TextElement):
    """A term's name in the legend: a swatch and the name, focusable."""


class eqterm_ref(nodes.Inline, nodes.TextElement):
    """Prose coloured as a term and linked to its legend entry."""


class ColoredEquation(SphinxDirective):
    """``colored-equation``: LaTeX with ``\\eqterm{name}{...}``, a blank line, a legend."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "label": directives.unchanged,
        "name": directives.unchanged,
        "class": directives.class_option,
        "colors": directives.unchanged,
        "width": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        lines = list(self.content)
        split = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
        latex = "\n".join(lines[:split]).strip()
        location = self.get_location()
        names, problem = find_eqterms(latex)
        options = {k: v for k, v in self.options.items() if k in ("label", "name", "class")}
        math_nodes = MathDirective(
            self.name,
            [],
            options,
            cast(Any, [latex]),
            self.lineno,
            self.content_offset,
            self.block_text,
            self.state,
            self.state_machine,
        ).run()
        math = cast(nodes.Element, math_nodes[-1])
        math["article_eqterms"] = True
        if problem:
            warn(
                ArticleWarning.TERM,
                f"{problem}; the equation's source is shown instead.",
                location=location,
            )
            math["article_math_refused"] = True
        legend, described = self._legend(lines, split, names if not problem else None)
        for name in names:
            if name not in described:
                warn(
                    ArticleWarning.TERM,
                    f"Term '{name}' is used in the equation but has "
                    f"no legend entry; add a line '{name}: what it is' after a blank line.",
                    location=location,
                )
        node = colored_equation(
            "",
            terms=names,
            overrides=self._overrides(names),
            classes=["colored-equation", *self.options.get("class", [])],
        )
        self.set_source_info(node)
        width = display_width(self)
        if width:
            apply_width(node, width)
        node += math_nodes
        node += eqterm_legend("", legend)
        return [node]

    def _legend(
        self, lines: list[str], split: int, names: list[str] | None
    ) -> tuple[nodes.bullet_list, set[str]]:
        """The legend list; ``names`` is None when the equation could not be read."""
        items = nodes.bullet_list(classes=["eqterm-legend-list"])
        described: set[str] = set()
        for offset, line in enumerate(lines[split + 1 :], start=split + 1):
            if not line.strip():
                continue
            lineno = self._content_line(offset)
            match = LEGEND_LINE.fullmatch(line)
            if not match or not NAME.fullmatch(match.group(1)):
                warn(
                    ArticleWarning.TERM,
                    f"Legend line '{line.strip()}' must be "
                    "'name: description' with a term name of letters, digits and hyphens.",
                    location=(self.env.docname, lineno),
                )
                continue
            name, text = match.groups()
            if names is not None and name not in names:
                close = difflib.get_close_matches(name, names, n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                warn(
                    ArticleWarning.TERM,
                    f"Legend entry '{name}' is never used in the "
                    f"equation; wrap its symbol in \\eqterm{{{name}}}{{...}} or delete the "
                    f"line.{hint}",
                    location=(self.env.docname, lineno),
                )
            described.add(name)
            inline, messages = self.parse_inline(text, lineno=lineno)
            paragraph = nodes.paragraph(
                "", "", eqterm_key(name, name, term=name), nodes.Text(": "), *inline, *messages
            )
            item = nodes.list_item("", paragraph, classes=["eqterm-legend-item"], term=name)
            item.source, item.line = str(self.env.doc2path(self.env.docname)), lineno
            items += item
        return items, described

    def _content_line(self, index: int) -> int:
        """The 1-based source line of content line ``index``: MyST counts
        ``content_offset`` from the directive's line, reStructuredText from the top."""
        if type(self.state_machine).__module__.startswith("myst_parser"):
            return self.lineno + self.content_offset + 1 + index
        return self.content_offset + 1 + index

    def _overrides(self, names: list[str]) -> dict[str, str]:
        overrides, problems = parse_colors(self.options.get("colors", ""))
        location = self.get_location()
        for problem in problems:
            warn(
                ArticleWarning.COLOR,
                f"{problem}; the palette colour is used instead.",
                location=location,
            )
        for name, color in list(overrides.items()):
            if name not in names:
                warn(
                    ArticleWarning.TERM,
                    f"':colors:' names '{name}', which this equation "
                    "does not use; fix the name or move the colour to the equation that "
                    "uses it.",
                    location=location,
                )
            for mode, background in colors.BACKGROUNDS.items():
                ratio = colors.contrast(color, background)
                if ratio < colors.MIN_CONTRAST:
                    shade = colors.adjust_for(color, mode)
                    warn(
                        ArticleWarning.CONTRAST,
                        f"Colour {color} of term '{name}' has "
                        f"contrast {ratio:.2f}:1 against the {mode}-mode background "
                        f"{background}, below 3:1; it is shown as {shade} in {mode} mode. "
                        "Pick a colour that reaches 3:1 to choose the shade yourself.",
                        location=location,
                    )
        return overrides


def display_width(directive: SphinxDirective) -> str | None:
    """``:width: body|page|screen`` of a display equation (as figures have); a wrong
    value is a located warning and the body width."""
    raw = str(directive.options.get("width") or "").strip().lower()
    if not raw:
        return None
    if raw in WIDTHS:
        return raw
    warn(
        ArticleWarning.OPTION,
        f"Unknown width '{raw}' on '{directive.name}'; use body, "
        "page or screen (the equation keeps the body width).",
        location=directive.get_location(),
    )
    return None


class ArticleMath(MathDirective):
    """``{math}`` with ``:width: body|page|screen``: a long display equation may use the
    page width (the margin column too), as a figure may."""

    option_spec: ClassVar[dict[str, Any]] = {
        **MathDirective.option_spec,
        "width": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        width = display_width(self)
        result = super().run()
        blocks = [n for n in result if isinstance(n, nodes.math_block)]
        if width and blocks:
            apply_width(blocks[-1], width)
        return result


def palette(config: Any) -> list[str]:
    """The ``article_palette`` colours, as ``#RRGGBB``."""
    value = config.article_palette
    chosen = PALETTES[value] if isinstance(value, str) else value
    return [c for c in (colors.parse_color(str(v)) for v in chosen) if c]


def check_palette(app: Sphinx, config: Any) -> None:
    """A palette of the site's own colours: say which ones get a darker or lighter shade."""
    if isinstance(config.article_palette, str):
        return
    for color in palette(config):
        for mode, background in colors.BACKGROUNDS.items():
            ratio = colors.contrast(color, background)
            if ratio < colors.MIN_CONTRAST:
                warn(
                    ArticleWarning.CONTRAST,
                    f"article_palette colour {color} has contrast "
                    f"{ratio:.2f}:1 against the {mode}-mode background {background}, below "
                    f"3:1; terms show it as {colors.adjust_for(color, mode)} in {mode} mode.",
                )


def assign_terms(app: Sphinx, doctree: nodes.document) -> None:
    """On doctree-read: one colour per term name for the whole document."""
    env = app.env
    equations = list(doctree.findall(colored_equation))
    refs = list(doctree.findall(eqterm_ref))
    if not equations and not refs:
        return
    chosen: dict[str, str] = {}
    for equation in equations:
        for name, color in equation["overrides"].items():
            if chosen.setdefault(name, color) != color:
                warn(
                    ArticleWarning.COLOR,
                    f"Term '{name}' is given {color} here but "
                    f"{chosen[name]} by an earlier equation; a term has one colour per "
                    "post, so remove one of the two.",
                    location=equation,
                )
    free = [c for c in palette(app.config) if c not in chosen.values()] or palette(app.config)
    order = [name for equation in equations for name in equation["terms"]]
    assigned = 0
    for name in dict.fromkeys(order):
        if name not in chosen:
            chosen[name] = free[assigned % len(free)]
            assigned += 1
    terms = {name: term_colors(chosen[name]) for name in dict.fromkeys(order)}
    set_record(env, env.docname, TERMS, terms)
    anchored: set[str] = set()
    for equation in equations:
        equation["colors"] = {n: terms[n] for n in equation["terms"]}
        for math in equation.findall(nodes.math_block):
            math["article_term_styles"] = {n: style_attr(terms[n]) for n in equation["terms"]}
        for item in equation.findall(nodes.list_item):
            if item.get("term") in terms and item["term"] not in anchored:
                anchored.add(item["term"])
                item["ids"].append(f"eqterm-{item['term']}")
        for key in equation.findall(eqterm_key):
            key["colors"] = terms.get(key["term"])
    for ref in refs:
        ref["colors"] = terms.get(ref["term"])
        if ref["colors"] is None:
            close = difflib.get_close_matches(ref["term"], list(terms), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            warn(
                ArticleWarning.TERM,
                f"No colored-equation in this post defines the term "
                f"'{ref['term']}'; {hint}use a term from a legend, or add it to an "
                "equation.",
                location=ref,
            )


def term_colors(color: str) -> dict[str, str]:
    """3:1 variants (marks, PDF) and 4.5:1 text shades, per mode; all ``#RRGGBB``."""
    shades = colors.variants(color)
    return {
        "color": color,
        **shades,
        **{
            f"text-{mode}": colors.adjust_for(shade, mode, TEXT_CONTRAST)
            for mode, shade in shades.items()
        },
    }


def style_attr(term: dict[str, str]) -> str:
    """The CSS custom properties of one term, as an HTML attribute."""
    keys = ("light", "dark", "text-light", "text-dark")
    css = ";".join(f"--eqterm-{k}:{colors.parse_hex(term[k])}" for k in keys)
    return f' style="{escape(css)}"'


class EqTermRole(SphinxRole):
    """``{eqterm}`grad``` or ``{eqterm}`the gradient <grad>```."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        match = ROLE_TEXT.fullmatch(self.text)
        text, name = (
            (match.group(1) or match.group(2), match.group(2)) if match else (self.text, self.text)
        )
        name = name.strip()
        node = eqterm_ref(self.rawtext, text.strip(), term=name)
        self.set_source_info(node)
        return [node], []


class LatexTerms(SphinxPostTransform):
    """LaTeX: ``\\eqterm{grad}`` becomes ``\\ArticleTerm{B37C00}``: the 4.5:1 text shade
    the web page uses for prose, since a coloured symbol is text on the page."""

    default_priority = 6
    builders: tuple[str, ...] = ("latex",)

    def mark(self, name: str, terms: dict[str, Any]) -> str:
        return rf"\ArticleTerm{{{_hex(terms.get(name), 'text-light')}}}"

    def _replace(self, terms: dict[str, Any], match: re.Match[str]) -> str:
        return self.mark(match.group(1), terms)

    def run(self, **kwargs: Any) -> None:
        for equation in self.document.findall(colored_equation):
            terms = equation.get("colors") or {}
            for math in equation.findall(nodes.math_block):
                latex = TERM_MARK.sub(partial(self._replace, terms), math.astext())
                math.clear()
                math += nodes.Text(latex)
                if "article_latex" in math:  # macros expanded by mathrender: the same marks
                    math["article_latex"] = TERM_MARK.sub(
                        partial(self._replace, terms), math["article_latex"]
                    )


class PlainTerms(LatexTerms):
    """Text, man and Texinfo show the LaTeX source without the ``\\eqterm{name}`` marks."""

    builders = ("text", "man", "texinfo")

    def mark(self, name: str, terms: dict[str, Any]) -> str:
        return ""


def _hex(term: dict[str, str] | None, variant: str = "light") -> str:
    """A variant without '#', for xcolor's HTML model (black if unknown): ``light``
    (3:1, for swatches and underlines) or ``text-light`` (4.5:1, for text)."""
    parsed = colors.parse_hex(term.get(variant) or term["light"]) if term else None
    return (parsed or "#000000")[1:]


# -- HTML ------------------------------------------------------------------------------


def visit_colored_equation_html(self: HTML5Translator, node: colored_equation) -> None:
    self.body.append(self.starttag(node, "div"))


def depart_div_html(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def visit_eqterm_legend_html(self: HTML5Translator, node: eqterm_legend) -> None:
    self.body.append('<div class="eqterm-legend" role="group" aria-label="Legend">')


def visit_eqterm_key_html(self: HTML5Translator, node: eqterm_key) -> None:
    style = style_attr(node["colors"]) if node.get("colors") else ""
    # No tab stop: the prose term links already reach each term by keyboard (issue 15).
    self.body.append(f'<span class="eqterm eqterm-key" data-term="{escape(node["term"])}"{style}>')


def depart_span_html(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append("</span>")


def visit_eqterm_ref_html(self: HTML5Translator, node: eqterm_ref) -> None:
    if not node.get("colors"):
        self.body.append('<span class="eqterm-unresolved">')
        return
    self.body.append(
        f'<a class="eqterm eqterm-ref" href="#eqterm-{escape(node["term"])}" '
        f'data-term="{escape(node["term"])}"{style_attr(node["colors"])}>'
    )


def depart_eqterm_ref_html(self: HTML5Translator, node: eqterm_ref) -> None:
    self.body.append("</a>" if node.get("colors") else "</span>")


# -- LaTeX -----------------------------------------------------------------------------


def visit_colored_equation_latex(self: LaTeXTranslator, node: colored_equation) -> None:
    self.body.append("\n\\begin{ArticleColoredEquation}")


def depart_colored_equation_latex(self: LaTeXTranslator, node: colored_equation) -> None:
    self.body.append("\\end{ArticleColoredEquation}\n")


def visit_eqterm_legend_latex(self: LaTeXTranslator, node: eqterm_legend) -> None:
    self.body.append("\n\\begin{ArticleLegend}\n")


def depart_eqterm_legend_latex(self: LaTeXTranslator, node: eqterm_legend) -> None:
    self.body.append("\\end{ArticleLegend}\n")


def visit_eqterm_key_latex(self: LaTeXTranslator, node: eqterm_key) -> None:
    colors_ = node.get("colors")
    self.body.append(
        rf"\ArticleTermKey{{{_hex(colors_)}}}{{{_hex(colors_, 'text-light')}}}"
        rf"{{{tex(node['term'])}}}"
    )
    raise nodes.SkipNode


def visit_eqterm_ref_latex(self: LaTeXTranslator, node: eqterm_ref) -> None:
    colors_ = node.get("colors")
    self.body.append(rf"\ArticleTermRef{{{_hex(colors_, 'text-light')}}}{{{_hex(colors_)}}}{{")


def depart_brace_latex(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.body.append("}")


def setup_equations(app: Sphinx) -> None:
    plain: dict[str, Any] = {fmt: (pass_node, pass_node) for fmt in ("text", "man", "texinfo")}
    app.add_node(
        colored_equation,
        html=(visit_colored_equation_html, depart_div_html),
        latex=(visit_colored_equation_latex, depart_colored_equation_latex),
        **plain,
    )
    app.add_node(
        eqterm_legend,
        html=(visit_eqterm_legend_html, depart_div_html),
        latex=(visit_eqterm_legend_latex, depart_eqterm_legend_latex),
        **plain,
    )
    app.add_node(
        eqterm_key,
        html=(visit_eqterm_key_html, depart_span_html),
        latex=(visit_eqterm_key_latex, None),
        **plain,
    )
    app.add_node(
        eqterm_ref,
        html=(visit_eqterm_ref_html, depart_eqterm_ref_html),
        latex=(visit_eqterm_ref_latex, depart_brace_latex),
        **plain,
    )
    app.add_directive("colored-equation", ColoredEquation)
    app.add_directive("math", ArticleMath, override=True)
    app.add_role("eqterm", EqTermRole())
    app.connect("config-inited", check_palette, priority=200)
    app.connect("doctree-read", assign_terms, priority=460)
    app.add_post_transform(LatexTerms)
    app.add_post_transform(PlainTerms)
