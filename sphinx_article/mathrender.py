"""Math rendered at build time to MathML, behind an allow-list that also guards LaTeX.

Why this shape (docs/explanation/math-renderer.md has the comparison):

* ``latex2mathml`` (pure Python) covers the LaTeX of ML papers and writes Unicode
  alphabets (``\\mathbb`` -> 𝕉-style code points) that Chromium's MathML Core renders;
  it is permissive, so nothing reaches it unchecked.
* **Allow-list.** On ``doctree-read`` every ``math``/``math_block`` is tokenised: each
  ``\\command`` must be one the renderer knows and not a TeX primitive that reads,
  writes or redefines (``\\input``, ``\\write18``, ``\\catcode``, ``\\def``...), each
  environment must be a known math environment, and ``^^``, bare ``%``, ``#`` and
  ``$`` are refused.  A refused formula is a located ``article.math`` warning and is
  replaced, in every output, by its source in a code element (``MathFallback``).
* **Sanitising serialiser.** The renderer's element tree (never its string output,
  which does not escape ``\\text{<b>}``) is written out by :func:`serialise`: MathML
  elements and presentation attributes only, every text escaped.  A formula the
  renderer rejects at write time is the same warning and the same fallback.
"""

from __future__ import annotations

import functools
import re
from html import escape
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import _
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.math import get_node_equation_number

from .warnings_ import ArticleWarning, warn

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

RENDERER = "sphinx_article"

# TeX primitives and macros that read or write files, run programs or redefine the
# language: named in the warning so an author sees why.  (They are also unknown to
# the renderer, so the allow-list alone would refuse them.)
FORBIDDEN = frozenset(
    "input include includeonly InputIfFileExists write write18 immediate openin openout "
    "read readline closein closeout newread newwrite catcode lccode uccode mathcode "
    "csname endcsname def edef gdef xdef let futurelet global long outer protected "
    "newcommand renewcommand providecommand newenvironment renewenvironment "
    "DeclareMathOperator DeclareRobustCommand expandafter noexpand scantokens detokenize "
    "special shipout output everymath everydisplay everypar everyjob aftergroup "
    "afterassignment uppercase lowercase usepackage RequirePackage makeatletter "
    "makeatother jobname endinput dump batchmode nonstopmode directlua luaexec "
    "pdfshellescape ShellEscape verb verbatiminput lstinputlisting includegraphics".split()
)
# Trust features (links, classes, styles, colours, labels): off, so math cannot carry
# URLs or CSS, and colours go through colored-equation's contrast check.
UNTRUSTED = frozenset(
    "href url class style cssId color textcolor colorbox fcolorbox pagecolor html htmlClass "
    "htmlStyle htmlId htmlData label tag".split()
)

ENVIRONMENTS = frozenset(
    "matrix matrix* pmatrix pmatrix* bmatrix bmatrix* Bmatrix Bmatrix* vmatrix vmatrix* "
    "Vmatrix Vmatrix* smallmatrix array cases split align align* aligned gathered "
    "subarray".split()
)
# Environments the renderer lacks, mapped to one it has with the same layout.
ENV_ALIASES = {"aligned": "split", "gathered": "matrix", "subarray": "array"}
# Commands the renderer lacks, mapped to an equivalent (HTML only; LaTeX has them).
COMMAND_ALIASES = {"arg": r"\operatorname{arg}"}
# Operators whose sub/superscripts go under/over them in display style.
LIMIT_OPERATORS = frozenset("lim liminf limsup max min sup inf argmax argmin det Pr gcd".split())

# What the renderer's exceptions mean, for the warning's hint.
RENDER_ERRORS = {
    "NoAvailableTokensError": "a command is missing its argument",
    "MissingSuperScriptOrSubscriptError": "a '^' or '_' has nothing after it",
    "ExtraLeftOrMissingRightError": "a '\\left' has no matching '\\right'",
    "MissingEndError": "an environment is not closed by its matching '\\end'",
    "DoubleSubscriptsError": "a double subscript; group it, as in x_{1,2}",
    "DoubleSuperscriptsError": "a double superscript; group it, as in x^{a b}",
    "NumeratorNotFoundError": "'\\frac' needs a numerator",
    "DenominatorNotFoundError": "'\\frac' needs a denominator",
    "InvalidAlignmentError": "an array column specification is invalid",
}
_TOKEN = re.compile(r"\\([A-Za-z]+)\*?|\\.|\^\^|[%#$]")
_BEGIN = re.compile(r"\\(begin|end)\s*\{([^{}]*)\}")
_HEXREF = re.compile(r"&#x([0-9A-Fa-f]+);")

MATHML_ELEMENTS = frozenset(
    "math maction menclose merror mfrac mi mmultiscripts mn mo mover mpadded mphantom "
    "mprescripts mroot mrow ms mspace msqrt mstyle msub msubsup msup mtable mtd mtext mtr "
    "munder munderover none semantics annotation".split()
)
MATHML_ATTRIBUTES = frozenset(
    "display displaystyle scriptlevel mathvariant stretchy fence form separator lspace "
    "rspace largeop movablelimits symmetric minsize maxsize accent accentunder "
    "linethickness width height depth voffset columnalign columnspacing rowspacing "
    "rowalign columnlines rowlines frame framespacing notation columnspan rowspan "
    "mathsize align encoding".split()
)
TERM_CLASS = re.compile(r"eqterm-([A-Za-z][A-Za-z0-9-]*)")


class MathRenderError(Exception):
    """The renderer cannot turn this formula into MathML."""


@functools.lru_cache(maxsize=1)
def known_commands() -> frozenset[str]:
    """Every command name latex2mathml implements (its command table and symbols)."""
    from latex2mathml import commands
    from latex2mathml.symbols_parser import parse_symbols

    names: set[str] = set()
    for value in vars(commands).values():
        values = value if isinstance(value, (dict, set, frozenset, tuple, list)) else (value,)
        names.update(v[1:].rstrip("*") for v in values if isinstance(v, str) and v[:1] == "\\")
    names.update(k[1:] for k in parse_symbols() if k[:1] == "\\")
    names.update(COMMAND_ALIASES)
    return frozenset(n for n in names if n.isalpha())


def check_latex(latex: str, allow_eqterm: bool = False) -> str | None:
    """Why ``latex`` is refused (a message with a hint), or None when it is allowed."""
    known = known_commands()
    for match in _TOKEN.finditer(latex):
        token, name = match.group(0), match.group(1)
        if token == "^^":
            return "'^^' character codes are not allowed in math"
        if token in "%#$":
            return f"a bare '{token}' is not allowed in math; write '\\{token}' for the sign"
        if name is None:
            continue
        if name in FORBIDDEN or name.startswith(("write", "open", "read")):
            return f"'\\{name}' is not allowed in math (it reads, writes or redefines)"
        if name in UNTRUSTED:
            return (f"'\\{name}' is not allowed in math (links, styles and colours are off; "
                    "colour terms with the colored-equation directive)")
        if name == "eqterm" and not allow_eqterm:
            return "'\\eqterm' works only inside a colored-equation directive"
        if name not in known and not (name == "eqterm" and allow_eqterm):
            return f"'\\{name}' is not a supported math command"
    if len(re.findall(r"\\(?:begin|end)(?![A-Za-z])", latex)) != len(_BEGIN.findall(latex)):
        return "'\\begin' and '\\end' must be followed by an environment name in braces"
    for match in _BEGIN.finditer(latex):
        if match.group(2) not in ENVIRONMENTS:
            return (f"the environment '{match.group(2)}' is not supported in math; use one "
                    f"of {', '.join(sorted(ENVIRONMENTS))}")
    return brace_depth_problem(latex)


def brace_depth_problem(latex: str) -> str | None:
    """An unbalanced ``{``/``}`` (escaped braces ``\\{`` ``\\}`` do not count)."""
    depth = 0
    for match in re.finditer(r"\\.|[{}]", latex, re.DOTALL):
        if match.group(0) == "{":
            depth += 1
        elif match.group(0) == "}":
            depth -= 1
            if depth < 0:
                return "a '}' closes a group that was never opened"
    return "a '{' is never closed" if depth else None


def _prepare(latex: str) -> str:
    """Map what the renderer lacks onto what it has; ``\\eqterm`` becomes a class."""
    latex = _BEGIN.sub(
        lambda m: f"\\{m.group(1)}{{{ENV_ALIASES.get(m.group(2), m.group(2))}}}", latex)
    for name, replacement in COMMAND_ALIASES.items():
        latex = re.sub(rf"\\{name}(?![A-Za-z])", replacement.replace("\\", "\\\\"), latex)
    latex = re.sub(r"\\eqterm\s*\{([A-Za-z][A-Za-z0-9-]*)\}", r"\\class{eqterm-\1}", latex)
    if r"\\" in latex and not _BEGIN.search(latex):
        latex = "\\begin{split}" + latex + "\\end{split}"
    return latex


@functools.lru_cache(maxsize=8192)
def to_mathml(latex: str, display: bool) -> str:
    """``latex`` as sanitised MathML; :class:`MathRenderError` when it cannot be."""
    from latex2mathml.converter import convert_to_element

    try:
        element = convert_to_element(_prepare(latex), display="block" if display else "inline")
    except Exception as error:  # noqa: BLE001 -- the renderer raises many ad-hoc types
        name = type(error).__name__
        detail = RENDER_ERRORS.get(name) or str(error) or name
        raise MathRenderError(f"the math renderer cannot read it: {detail}") from None
    _fix_operators(element, display)
    return serialise(element)


def _fix_operators(element: Element, display: bool) -> None:
    """Function names (``\\operatorname``, ``\\lim``) as upright identifiers, with
    limits under them in display style, as TeX sets them."""
    for node in element.iter():
        if node.tag == "mo" and node.text and len(node.text) > 1 and node.text.isalpha():
            limits = node.text in LIMIT_OPERATORS
            node.tag = "mo" if limits else "mi"
        if display and node.tag in ("msub", "msubsup") and len(node):
            base = node[0]
            if base.tag == "mo" and (base.text or "") in LIMIT_OPERATORS:
                node.tag = "munder" if node.tag == "msub" else "munderover"


def serialise(element: Element) -> str:
    """Write MathML from the element tree: known elements and attributes only."""
    tag = element.tag.rsplit("}", 1)[-1]
    if tag not in MATHML_ELEMENTS:
        raise MathRenderError(f"the renderer produced an unexpected <{tag}> element")
    attrs = []
    for key, value in element.attrib.items():
        if key == "class":
            term = TERM_CLASS.fullmatch(value)
            if term:
                attrs.append(f' class="eqterm" data-term="{escape(term.group(1))}"')
        elif key in MATHML_ATTRIBUTES:
            attrs.append(f' {key}="{escape(_decode(value))}"')
    inner = escape(_decode(element.text or ""), quote=False)
    inner += "".join(serialise(child) + escape(_decode(child.tail or ""), quote=False)
                     for child in element)
    return f"<{tag}{''.join(attrs)}>{inner}</{tag}>"


def _decode(text: str) -> str:
    return _HEXREF.sub(lambda m: chr(int(m.group(1), 16)), text)


# -- the doctree -----------------------------------------------------------------------


def check_math(app: Sphinx, doctree: nodes.document) -> None:
    """On doctree-read: refuse formulas outside the allow-list, once, with a location."""
    for node in doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))):
        if node.get("article_math_refused"):  # already reported by its directive
            continue
        problem = check_latex(node.astext(), allow_eqterm=bool(node.get("article_eqterms")))
        if problem is None:
            problem = render_problem(node)
        if problem:
            warn(ArticleWarning.MATH, f"Formula refused: {problem}. Its source is shown "
                 "instead; fix or remove what is named.", location=node)
            node["article_math_refused"] = True


def render_problem(node: nodes.Element) -> str | None:
    """Render once while reading (cached for writing): a formula the renderer cannot
    read is refused in every output, as LaTeX would most likely fail on it too."""
    display = isinstance(node, nodes.math_block)
    for part in formula_parts(node) if display else [node.astext()]:
        try:
            to_mathml(part, display)
        except MathRenderError as error:
            return str(error)
    return None


def formula_parts(node: nodes.Element) -> list[str]:
    """A display block's formulas: Sphinx separates several by blank lines."""
    if node.get("no-wrap", node.get("nowrap", False)):
        return [node.astext()]
    return [part for part in node.astext().split("\n\n") if part.strip()]


def source_fallback(node: nodes.Element) -> nodes.Element:
    """A refused formula as its source, in a code element (escaped by every writer)."""
    literal = nodes.literal(node.astext(), node.astext(), classes=["math-source"])
    if isinstance(node, nodes.math_block):
        return nodes.paragraph("", "", literal, ids=node["ids"], classes=["math-source-block"])
    return literal


class MathFallback(SphinxPostTransform):
    """Every output: a refused formula becomes its escaped source (never raw TeX)."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(
                lambda n: isinstance(n, (nodes.math, nodes.math_block)))):
            if node.get("article_math_refused"):
                node.replace_self(source_fallback(node))


# -- HTML ------------------------------------------------------------------------------


def _render(self: HTML5Translator, node: nodes.Element, latex: str, display: bool) -> str:
    try:
        mathml = to_mathml(latex, display)
    except MathRenderError as error:
        warn(ArticleWarning.MATH, f"Formula cannot be rendered: {error}; its source is shown "
             "instead. Check the LaTeX, or use a simpler equivalent.", location=node)
        return f'<code class="math-source">{escape(latex)}</code>'
    styles = node.get("article_term_styles") or {}
    if styles:
        mathml = re.sub(r' data-term="([A-Za-z][A-Za-z0-9-]*)"',
                        lambda m: m.group(0) + styles.get(m.group(1), ""), mathml)
    return mathml


def visit_math_html(self: HTML5Translator, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math"))
    self.body.append(_render(self, node, node.astext(), display=False) + "</span>")
    raise nodes.SkipNode


def visit_math_block_html(self: HTML5Translator, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math math-display"))
    if node.get("no-wrap", node.get("nowrap", False)):
        self.body.append(_render(self, node, node.astext(), display=True) + "</div>\n")
        raise nodes.SkipNode
    parts = formula_parts(node)
    self.body.append('<div class="math-rows">')
    self.body.extend(_render(self, node, part, display=True) for part in parts)
    self.body.append("</div>")
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({escape(str(number))})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append("</div>\n")
    raise nodes.SkipNode


def default_renderer(app: Sphinx, config: Config) -> None:
    """Build-time MathML unless conf.py chose another renderer (then MathJax loads)."""
    if not config.html_math_renderer:
        config.html_math_renderer = RENDERER


def setup_mathrender(app: Sphinx) -> None:
    app.add_html_math_renderer(
        RENDERER, (visit_math_html, None), (visit_math_block_html, None)
    )
    app.connect("config-inited", default_renderer)
    app.connect("doctree-read", check_math, priority=450)
    app.add_post_transform(MathFallback)
