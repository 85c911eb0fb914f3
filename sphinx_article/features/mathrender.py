"""Math rendered at build time to MathML Core by Temml, behind an allow-list that also
guards LaTeX, after the post's own macros are expanded (``mathmacros.py``).

Why this shape (docs/explanation/math-renderer.md has the comparison on the 3,866
formulas of a real corpus):

* **Temml** (MIT, ``vendor/temml/temml.min.js``, run in-process by QuickJS from the
  ``quickjs-ng`` wheel) writes what Chromium's MathML Core draws: Unicode math
  alphabets for ``\\mathbf``/``\\bm``/``\\mathsf``, operator spacing, limits, and
  aligned columns through classes our stylesheet styles. Nothing is fetched at run time.
* **Macros first.** The post's definitions are applied in document order and every use
  expanded (``node["article_latex"]``), so the renderer and the PDF see only standard
  commands.
* **Allow-list.** Commands that read, write, run or link (``\\input``, ``\\write18``,
  ``\\csname``, ``\\href``...) are refused by name before the renderer runs; ``^^``,
  bare ``%``, ``#`` and ``$`` too. A refused formula is a located ``article.math``
  warning and is shown, in every output, as its source in a code element.
* **Sanitising serialiser.** Temml's output is parsed and written out again: MathML
  elements, presentation attributes, Temml's layout classes, and inline styles whose
  properties and values match a short grammar (lengths, ``#RRGGBB``). Every text is
  escaped; no ``href``, no ``id``, no script.
"""

from __future__ import annotations

import difflib
import functools
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

import quickjs
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import _
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.math import get_node_equation_number

from ..domain import get_post
from ..model import colors, mathmacros
from ..warnings_ import ArticleWarning, warn

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

RENDERER = "sphinx_article"
TEMML_JS = Path(__file__).parent.parent / "vendor" / "temml" / "temml.min.js"

# TeX primitives and macros that read or write files, run programs or redefine the
# language: named in the warning so an author sees why. (Definitions an author may
# write, \\newcommand, \\def, \\let..., never get here: mathmacros applies them.)
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
# Links, classes, styles, boxes with free colours: off, so math cannot carry URLs or
# CSS. (\\color and \\textcolor are allowed: mathmacros validates their colour.)
UNTRUSTED = frozenset(
    "href url class style cssId colorbox fcolorbox pagecolor html htmlClass "
    "htmlStyle htmlId htmlData data".split()
)

ENVIRONMENTS = frozenset(
    "matrix matrix* pmatrix pmatrix* bmatrix bmatrix* Bmatrix Bmatrix* vmatrix vmatrix* "
    "Vmatrix Vmatrix* smallmatrix array darray cases cases* dcases rcases split align "
    "align* aligned alignat alignat* alignedat gather gather* gathered multline multline* "
    "equation equation* eqnarray eqnarray* flalign flalign* subarray CD".split()
)
# Web side: numbers come from Sphinx (per post), never from the renderer's counter.
ENV_WEB = {
    "equation": "equation*",
    "align": "align*",
    "gather": "gather*",
    "multline": "multline*",
    "eqnarray": "align*",
    "eqnarray*": "align*",
    "flalign": "flalign*",
    "alignat": "alignat*",
    "subarray": "array",
}

_TOKEN = re.compile(r"\\([A-Za-z]+)\*?|\\.|\^\^|[%#$]")
_BEGIN = re.compile(r"\\(begin|end)\s*\{([^{}]*)\}")
_VALID_COLOR = re.compile(r"\\(color|textcolor)\{#[0-9A-F]{6}\}")
# Inline math: display environments become their inner, inline-able form.
ENV_INLINE = {
    "equation": None,
    "equation*": None,
    "align": "aligned",
    "align*": "aligned",
    "eqnarray": "aligned",
    "eqnarray*": "aligned",
    "gather": "gathered",
    "gather*": "gathered",
    "multline": "gathered",
    "multline*": "gathered",
    "flalign": "aligned",
    "flalign*": "aligned",
    "alignat": "alignedat",
    "alignat*": "alignedat",
}

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
    "mathsize align encoding mathcolor mathbackground".split()
)
# Temml's layout classes (styled by math-temml.css) pass; anything else is dropped.
LAYOUT_CLASS = re.compile(
    r"tml-[a-z0-9-]+|mathscr|mathcal|upstrike|downstrike|sout|"
    r"menclose|(?:chr|wbk|ff)-[a-z-]+|special-fraction|textcircle|"
    r"circle-pad|actuarial|longdiv-[a-z]+|phasor-[a-z]+"
)
STYLE_PROPERTIES = frozenset(
    "padding padding-left padding-right padding-top padding-bottom margin margin-left "
    "margin-right width height min-width color background-color border border-top "
    "border-bottom border-left border-right border-width border-style border-color "
    "text-align vertical-align display position top left bottom right font-style "
    "font-weight font-size".split()
)
STYLE_VALUE = re.compile(r"[#a-zA-Z0-9.%\- ]{1,60}")
TERM_CLASS = re.compile(r"eqterm-([A-Za-z][A-Za-z0-9-]*)")

# What Temml's messages mean, for the warning's hint.
RENDER_HINTS = (
    (
        re.compile(r"(?:Unsupported function name|Undefined control sequence): (\\\S+)"),
        "'{0}' is not a supported math command; check its spelling, or define it with "
        "\\newcommand in this post or in article_math_macros",
    ),
    (
        re.compile(r"No such environment: (\S+)"),
        "the environment '{0}' is not supported in math; use align, gather, cases, matrix or array",
    ),
    (re.compile(r"Double subscript"), "a double subscript; group it, as in x_{{1,2}}"),
    (re.compile(r"Double superscript"), "a double superscript; group it, as in x^{{a b}}"),
    (
        re.compile(r"end of input in a macro argument|Expected group as argument to '(\\\S+)'"),
        "a command is missing its argument in braces",
    ),
    (re.compile(r"Expected '\}'|Unmatched '\{'|missing '\}'", re.I), "a '{{' is never closed"),
    (re.compile(r"Missing \\right|Expected '\\right'"), "a '\\left' has no matching '\\right'"),
    (
        re.compile(r"Mismatch: \\begin\{(\S+)\} matched by \\end\{(\S+)\}"),
        "'\\begin{{{0}}}' is closed by '\\end{{{1}}}'",
    ),
    (
        re.compile(r"Expected group after '([\^_])'|Expected group as"),
        "a '^' or '_' has nothing after it",
    ),
)


#: What math works, by kind: the docs render this table (``article-math-constructs``
#: in _docs.py) with each example rendered by the build, and tests/test_math.py renders
#: every example, so the list cannot claim what the renderer does not do.
CONSTRUCTS: tuple[tuple[str, str, str], ...] = (
    (
        "Alphabets",
        r"\mathbf{x}\ \bm{x}\ \boldsymbol{\alpha}\ \mathcal{L}\ \mathscr{L}\ "
        r"\mathfrak{g}\ \mathbb{R}\ \mathsf{KL}\ \mathtt{x}\ \mathrm{d}x",
        "Bold, script, fraktur, double-struck, sans-serif and typewriter letters are "
        "Unicode math characters, which every browser draws.",
    ),
    (
        "Operators",
        r"\log p\ \sin x\ \operatorname{softmax}(z)\ "
        r"\operatorname*{arg\,max}_\theta f\ \lim_{n\to\infty}\ \max_i",
        "With TeX's spacing; ``\\operatorname*``, ``\\lim``, ``\\max`` take limits "
        "below in display math.",
    ),
    (
        "Big operators",
        r"\sum_{i=1}^n\ \prod_k\ \int_0^1\ \oint\ \bigcup_i",
        "Limits above and below in display math, beside in inline math.",
    ),
    (
        "Relations and symbols",
        r"\sim\ \approx\ \coloneqq\ \propto\ \le\ \ll\ "
        r"\in\ \subseteq\ \to\ \mapsto\ \nabla\ \partial\ \infty",
        "amssymb and mathtools symbols.",
    ),
    (
        "Delimiters",
        r"\left( \frac{a}{b} \right)\ \lVert x \rVert_2\ \llbracket 1, n "
        r"\rrbracket\ \bigl( \Big[ \bigg\{ \Bigg\langle",
        "Stretchy ``\\left``/``\\right`` and the fixed ``\\big`` sizes.",
    ),
    (
        "Over and under",
        r"\overset{!}{=}\ \underset{n}{\sim}\ \stackrel{\text{def}}{=}\ "
        r"\xrightarrow{t\to 0}\ \underbrace{a+b}_{n}\ \overline{x}\ \hat{y}\ "
        r"\tilde{x}\ \cancel{x}",
        "",
    ),
    (
        "Text",
        r"\text{loss of a_b & c for $x_i$}",
        "``_``, ``&`` and ``$...$`` inside ``\\text`` work as in MathJax.",
    ),
    (
        "Colour",
        r"\textcolor{RoyalBlue}{\theta} + {\color{#D55E00} \epsilon}",
        "A name (xcolor's and dvipsnames), ``#rrggbb``, or a ``\\definecolor`` name; shown "
        "in a shade that reaches 4.5:1 on the light and the dark page.",
    ),
    (
        "Environments",
        r"\begin{aligned} a &= b + c \\ &= d \end{aligned}",
        "Inside ``$$``: ``equation``, ``equation*``, ``align``, ``align*``, ``gather``, "
        "``multline``, ``split``, ``eqnarray`` (as ``align``), ``aligned``, ``gathered``, "
        "``cases``, ``array``, the ``matrix`` family; rows end with ``\\\\`` or "
        "``\\newline``.",
    ),
    (
        "Numbers and tags",
        r"\begin{align} a &= b \nonumber \\ c &= d \tag{A} \end{align}",
        "Numbers come from the ``$$ ... $$ (label)`` syntax, per post; ``\\tag`` sets a "
        "custom one; ``\\nonumber``, ``\\notag`` and ``\\label`` are accepted.",
    ),
    (
        "Macros",
        r"\newcommand{\R}{\mathbb{R}} \DeclareMathOperator*{\argmin}{arg\,min} "
        r"\argmin_{w \in \R^d} f(w)",
        "``\\newcommand``, ``\\renewcommand``, ``\\providecommand`` (arguments, an optional "
        "first one with a default), ``\\def``, ``\\let``, ``\\DeclareMathOperator(*)``, "
        "``\\definecolor``; ``\\require`` is ignored. See the macros how-to.",
    ),
)


class MathRenderError(Exception):
    """The renderer cannot turn this formula into MathML."""


@functools.lru_cache(maxsize=1)
def _engine() -> Any:
    """Temml in a QuickJS context, made once per process (forked workers get a copy)."""
    context = quickjs.Context()
    context.eval(TEMML_JS.read_text(encoding="utf-8"))
    return context.eval(r"""(function (latex, display) {
      try {
        // join() flattens: quickjs-ng's rope strings do not cross into Python
        return ["ok:", temml.renderToString(latex, {displayMode: display, throwOnError: true,
          strict: false, xml: true, trust: function (c) {
            return c.command === "\\class" && /^eqterm-[A-Za-z][A-Za-z0-9-]*$/.test(c.class);
          }})].join("");
      } catch (e) { return ["error:", e && e.message ? e.message : String(e)].join(""); }
    })""")


def _mask_safe(latex: str) -> str:
    """Hide what is allowed although it looks like a bare sign: the validated colours
    mathmacros writes (``\\color{#1F77B4}``) and math inside ``\\text{...}``."""
    latex = _VALID_COLOR.sub(r"\\\1{}", latex)
    if "$" in latex:
        latex = _text_arguments(latex, lambda char, in_math: "" if char == "$" else char)
    return latex


def check_latex(latex: str, allow_eqterm: bool = False) -> str | None:
    """Why ``latex`` (expanded) is refused (a message with a hint), or None."""
    for match in _TOKEN.finditer(_mask_safe(latex)):
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
            return (
                f"'\\{name}' is not allowed in math (links, classes and styles are off; "
                "colour with \\textcolor{{name}}{{...}} or the colored-equation directive)"
            )
        if name == "eqterm" and not allow_eqterm:
            return "'\\eqterm' works only inside a colored-equation directive"
    if len(re.findall(r"\\(?:begin|end)(?![A-Za-z])", latex)) != len(_BEGIN.findall(latex)):
        return "'\\begin' and '\\end' must be followed by an environment name in braces"
    for match in _BEGIN.finditer(latex):
        if match.group(2) not in ENVIRONMENTS:
            return (
                f"the environment '{match.group(2)}' is not supported in math; use one "
                f"of {', '.join(sorted(ENVIRONMENTS))}"
            )
    if re.search(r"(?<!\\)[\^_]\s*(?:$|[}&]|\\\\)", latex):
        return "a '^' or '_' has nothing after it; write x^{2} or delete the sign"
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


def _escape_text_arguments(latex: str) -> str:
    """MathJax prints ``_``, ``&``, ``^`` and ``#`` in ``\\text{...}`` as themselves;
    Temml (and TeX) need them escaped. Math inside the text (``$x_i$``) is kept."""

    def escape_char(char: str, in_math: bool) -> str:
        if char in "_&^#" and not in_math:
            return {"^": "\\textasciicircum{}"}.get(char, "\\" + char)
        return char

    return _text_arguments(latex, escape_char)


def _text_arguments(latex: str, change: Any) -> str:
    """``latex`` with ``change(char, in_math)`` applied to each character inside the
    arguments of text commands (escaped characters and braces left alone)."""
    out, i = [], 0
    pattern = re.compile(r"\\(?:" + "|".join(mathmacros.TEXT_COMMANDS) + r")\s*\{")
    while True:
        match = pattern.search(latex, i)
        if not match:
            out.append(latex[i:])
            return "".join(out)
        out.append(latex[i : match.end()])
        j, depth, in_math = match.end(), 1, False
        while j < len(latex) and depth:
            char = latex[j]
            if char == "\\":
                out.append(latex[j : j + 2])
                j += 2
                continue
            if char == "$":
                in_math = not in_math
            elif char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            if depth:
                char = change(char, in_math)
            out.append(char)
            j += 1
        i = j


def prepare(latex: str, display: bool = True) -> str:
    """Expanded LaTeX -> what Temml reads: starred environments (numbers are Sphinx's),
    ``eqnarray``'s ``&=&`` as ``&=``, ``\\unicode{x}`` as the character, ``\\eqterm`` as
    a class, escaped ``\\text`` arguments, and rows outside an environment aligned."""
    if "eqnarray" in latex:
        latex = re.sub(r"&\s*([=<>]|\\[A-Za-z]+)\s*&", r"&\1 ", latex)
    if display:
        latex = _BEGIN.sub(
            lambda m: f"\\{m.group(1)}{{{ENV_WEB.get(m.group(2), m.group(2))}}}", latex
        )
    else:
        latex = _BEGIN.sub(lambda m: _inline_env(m.group(1), m.group(2)), latex)
    latex = re.sub(r"\\(?:eq)?ref\s*\{([^{}]*)\}", r"\\textrm{(\1)}", latex)
    latex = re.sub(
        r"\\(?:label|nonumber|notag)(?![A-Za-z])(?:\s*\{[^{}]*\})?",
        lambda m: "" if "label" in m.group(0) or "{" not in m.group(0) else m.group(0),
        latex,
    )
    latex = re.sub(r"\\unicode\s*\{\s*(?:x|0x|U\+)?([0-9A-Fa-f]{1,6})\s*\}", _unicode, latex)
    latex = re.sub(r"\\eqterm\s*\{([A-Za-z][A-Za-z0-9-]*)\}", r"\\class{eqterm-\1}", latex)
    if any(f"\\{name}" in latex for name in mathmacros.TEXT_COMMANDS):
        latex = _escape_text_arguments(latex)
    latex = re.sub(r"\\newline(?![A-Za-z])", lambda m: "\\\\", latex)
    if r"\\" in latex and not _BEGIN.search(latex) and _top_level_rows(latex):
        env = "aligned" if "&" in latex else "gathered"
        latex = f"\\begin{{{env}}}{latex}\\end{{{env}}}"
    return latex


def _top_level_rows(latex: str) -> bool:
    """Whether ``\\\\`` separates rows of the formula itself (not of a ``\\substack``)."""
    depth = 0
    for match in re.finditer(r"\\\\|\\.|[{}]", latex, re.DOTALL):
        token = match.group(0)
        depth += token == "{"
        depth -= token == "}"
        if token == "\\\\" and depth == 0:
            return True
    return False


def _inline_env(which: str, env: str) -> str:
    if env not in ENV_INLINE:
        return f"\\{which}{{{env}}}"
    inner = ENV_INLINE[env]
    return f"\\{which}{{{inner}}}" if inner else ""


def _unicode(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = match.group(1)
    code = (
        int(digits, 16)
        if re.search(r"\{\s*(?:x|0x|U\+)", text)
        else int(digits, 10)
        if digits.isdigit()
        else int(digits, 16)
    )
    char = chr(code) if 0x20 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "?"
    return "{" + (("\\" + char) if char in "{}$&#%_^\\~" else char) + "}"


@functools.lru_cache(maxsize=16384)
def to_mathml(latex: str, display: bool) -> str:
    """Expanded ``latex`` as sanitised MathML; :class:`MathRenderError` when it cannot be."""
    result = _engine()(prepare(latex, display), display)
    if not result.startswith("ok:"):
        raise MathRenderError(f"the math renderer cannot read it: {_hint(result[6:])}")
    try:
        element = ElementTree.fromstring(result[3:])
    except ElementTree.ParseError as error:
        raise MathRenderError(f"the renderer wrote malformed MathML ({error})") from None
    return serialise(element)


def render_checked(latex: str, display: bool) -> str:
    """Allow-list then renderer, for a formula already expanded (the benchmark uses it)."""
    problem = check_latex(latex)
    if problem:
        raise MathRenderError(problem)
    return to_mathml(latex, display)


# Names a typo is most likely meant to be (for "did you mean" in the warning).
COMMON_COMMANDS = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda "
    "mu nu xi pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda "
    "Xi Pi Sigma Phi Psi Omega mathbf mathrm mathcal mathbb mathscr mathfrak mathsf "
    "mathtt mathit boldsymbol text textbf textit frac dfrac sqrt sum prod int oint lim "
    "log exp sin cos tan max min sup inf arg det operatorname left right langle rangle "
    "lVert rVert lvert rvert cdot cdots ldots dots times otimes oplus odot circ nabla "
    "partial infty approx sim simeq equiv propto leq geq neq le ge ll gg in notin subset "
    "subseteq cup cap forall exists mid top hat bar tilde vec dot overline underline "
    "underbrace overbrace quad qquad mapsto to rightarrow leftarrow Rightarrow Leftarrow "
    "iff implies color textcolor begin end"
).split()


def _hint(message: str) -> str:
    message = message.strip().split(" at position")[0].split(" at end of input")[0]
    for pattern, hint in RENDER_HINTS:
        match = pattern.search(message)
        if match:
            text = hint.format(*match.groups())
            if "is not a supported math command" in text:
                close = difflib.get_close_matches(
                    match.group(1)[1:], COMMON_COMMANDS, n=1, cutoff=0.7
                )
                if close:
                    text = text.replace(
                        "; check its spelling", f"; did you mean '\\{close[0]}'? Check its spelling"
                    )
            return text
    return message


def _style(value: str) -> str:
    """Only declarations of known layout properties with plain values (lengths, words,
    ``#RRGGBB``): no ``url()``, no escapes, no expressions."""
    kept = []
    for declaration in value.split(";"):
        prop, _sep, val = declaration.partition(":")
        prop, val = prop.strip().lower(), val.strip()
        if prop in STYLE_PROPERTIES and STYLE_VALUE.fullmatch(val):
            if prop.endswith("color") and not re.fullmatch(r"#[0-9A-Fa-f]{6}", val):
                continue
            kept.append(f"{prop}:{val}")
    return ";".join(kept)


def _text_colour(style: str) -> tuple[str, list[str]]:
    """An author's ``\\color`` as two shades that reach 4.5:1 on the light and the dark
    page (the rule for coloured text), switched by math.css with the theme."""
    kept, classes = [], []
    for declaration in style.split(";"):
        prop, _sep, value = declaration.partition(":")
        if prop == "color":
            light = colors.adjust_for(value.upper(), "light", 4.5)
            dark = colors.adjust_for(value.upper(), "dark", 4.5)
            kept.append(f"--math-color-light:{light};--math-color-dark:{dark}")
            classes = ["math-color"]
        else:
            kept.append(declaration)
    return ";".join(kept), classes


def serialise(element: Element) -> str:
    """Write MathML from the element tree: known elements and attributes only."""
    tag = element.tag.rsplit("}", 1)[-1]
    if tag in ("a", "span"):  # \\eqref's link, a number: kept as text, never a link
        return f"<mtext>{escape(''.join(element.itertext()), quote=False)}</mtext>"
    if tag not in MATHML_ELEMENTS:
        raise MathRenderError(f"the renderer produced an unexpected <{tag}> element")
    term = TERM_CLASS.fullmatch(element.get("class", ""))
    if term and tag != "mrow":  # a term is one group, as \\eqterm{name}{...} wrote it
        inner = Element(element.tag, {k: v for k, v in element.attrib.items() if k != "class"})
        inner.text = element.text
        inner.extend(list(element))
        wrapper = Element("mrow", {"class": element.get("class", "")})
        wrapper.append(inner)
        return serialise(wrapper)
    attrs = []
    classes: list[str] = []
    for key, value in element.attrib.items():
        if key == "class":
            term = TERM_CLASS.fullmatch(value)
            if term:
                attrs.append(f' class="eqterm" data-term="{escape(term.group(1))}"')
                continue
            classes.extend(c for c in value.split() if LAYOUT_CLASS.fullmatch(c))
        elif key == "style":
            style = _style(value)
            if "color:#" in style:
                style, colored = _text_colour(style)
                classes.extend(colored)
            if style:
                attrs.append(f' style="{escape(style)}"')
        elif key in MATHML_ATTRIBUTES:
            attrs.append(f' {key}="{escape(value)}"')
    if classes:
        attrs.append(f' class="{escape(" ".join(classes))}"')
    body = escape(element.text or "", quote=False)
    body += "".join(serialise(child) + escape(child.tail or "", quote=False) for child in element)
    return f"<{tag}{''.join(attrs)}>{body}</{tag}>"


# -- the doctree -----------------------------------------------------------------------


def post_state(app: Sphinx, docname: str) -> mathmacros.MacroState:
    """The macros in force at the top of ``docname``: the site's, then the post's front
    matter. Made fresh per document, so no post sees another's definitions."""
    site, _problems = mathmacros.parse_table(
        app.config.article_math_macros or {}, "article_math_macros"
    )
    state = mathmacros.MacroState(dict(site))
    post = get_post(app.env, docname)
    state.macros.update(getattr(post, "math_macros", None) or {})
    return state


def _math_nodes(doctree: nodes.document) -> list[nodes.Element]:
    found = doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block)))
    return [cast(nodes.Element, node) for node in found]


def check_math(app: Sphinx, doctree: nodes.document) -> None:
    """On doctree-read, in document order: apply the post's definitions and expand its
    macros (``node["article_latex"]``), refuse formulas outside the allow-list or that
    the renderer cannot read (once, with a location), and keep the MathML."""
    docname = app.env.docname
    state = post_state(app, docname)
    found = _math_nodes(doctree)
    defined_later: dict[str, int] = {}
    for node in found:
        for name in mathmacros.defined_names(node.astext()):
            defined_later.setdefault(name, node.line or 0)
    for node in found:
        if node.get("article_math_refused"):  # already reported by its directive
            continue
        problem = None
        try:
            expanded = mathmacros.expand(node.astext(), state)
        except mathmacros.MacroError as error:
            problem = str(error)
        else:
            node["article_latex"] = join_open_environments(expanded)
            expanded = node["article_latex"]
            problem = check_latex(expanded, allow_eqterm=bool(node.get("article_eqterms")))
            if problem is None:
                problem = render_problem(node)
            if problem and "is not a supported math command" in problem:
                name = problem.split("'")[1]
                if name in defined_later and name not in state.macros:
                    line = defined_later[name]
                    problem = (
                        f"'{name}' is used before its definition"
                        + (f" on line {line}" if line else "")
                        + "; move the definition up to the first formula that "
                        "uses it, or into the front matter's math: macros"
                    )
        if problem:
            warn(
                ArticleWarning.MATH,
                f"Formula refused: {problem}. Its source is shown "
                "instead; fix or remove what is named.",
                location=node,
            )
            node["article_math_refused"] = True
            node.attributes.pop("article_latex", None)


def render_problem(node: nodes.Element) -> str | None:
    """Render once while reading (kept on the node for writing, so ``-j`` workers do
    not render again): a formula the renderer cannot read is refused in every output."""
    display = isinstance(node, nodes.math_block)
    latex = node.get("article_latex", node.astext())
    parts = formula_parts(node, latex) if display else [latex]
    rendered = []
    for part in parts:
        if not part.strip():
            continue
        try:
            rendered.append(to_mathml(part, display))
        except MathRenderError as error:
            return str(error)
    node["article_mathml"] = rendered
    return None


def formula_parts(node: nodes.Element, latex: str | None = None) -> list[str]:
    """A display block's formulas: Sphinx separates several by blank lines."""
    latex = node.astext() if latex is None else latex
    if node.get("no-wrap", node.get("nowrap", False)):
        return [latex]
    return [part for part in join_open_environments(latex).split("\n\n") if part.strip()]


def join_open_environments(latex: str) -> str:
    """Blank lines inside an environment are not formula separators (MathJax reads
    ``\\begin{eqnarray}``, a blank line, ``\\begin{aligned}`` as one formula)."""
    if "\n\n" not in latex or "\\begin" not in latex:
        return latex
    parts = re.split(r"\n[ \t]*\n", latex)
    joined = [parts[0]]
    for part in parts[1:]:
        text = joined[-1]
        if len(re.findall(r"\\begin\s*\{", text)) > len(re.findall(r"\\end\s*\{", text)):
            joined[-1] = text + "\n" + part
        else:
            joined.append(part)
    return "\n\n".join(joined)


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
        for node in _math_nodes(self.document):
            if node.get("article_math_refused"):
                node.replace_self(source_fallback(node))


# -- HTML ------------------------------------------------------------------------------


def _render(self: HTML5Translator, node: nodes.Element, latex: str, display: bool) -> str:
    try:
        mathml = to_mathml(latex, display)
    except MathRenderError as error:
        warn(
            ArticleWarning.MATH,
            f"Formula cannot be rendered: {error}; its source is shown "
            "instead. Check the LaTeX, or use a simpler equivalent.",
            location=node,
        )
        return f'<code class="math-source">{escape(latex)}</code>'
    return mathml


def _rendered(self: HTML5Translator, node: nodes.Element, display: bool) -> list[str]:
    """The node's MathML, kept from reading, or rendered now (nodes made later)."""
    mathml = node.get("article_mathml")
    if mathml is None:
        latex = node.get("article_latex", node.astext())
        parts = formula_parts(node, latex) if display else [latex]
        mathml = [_render(self, node, part, display) for part in parts if part.strip()]
    styles = node.get("article_term_styles") or {}
    if styles:
        mathml = [
            re.sub(
                r' data-term="([A-Za-z][A-Za-z0-9-]*)"',
                lambda m: m.group(0) + styles.get(m.group(1), ""),
                part,
            )
            for part in mathml
        ]
    return mathml


def visit_math_html(self: HTML5Translator, node: nodes.math) -> None:
    parts = _rendered(self, node, display=False)
    if parts:  # a formula that only defines macros shows nothing, as in MathJax
        self.body.append(self.starttag(node, "span", "", CLASS="math"))
        self.body.append("".join(parts) + "</span>")
    raise nodes.SkipNode


def visit_math_block_html(self: HTML5Translator, node: nodes.math_block) -> None:
    parts = _rendered(self, node, display=True)
    if not parts and not node.get("number"):
        if node["ids"]:
            self.body.append(self.starttag(node, "span", "", CLASS="math-empty") + "</span>")
        raise nodes.SkipNode
    self.body.append(self.starttag(node, "div", CLASS="math math-display"))
    if node.get("no-wrap", node.get("nowrap", False)):
        self.body.append("".join(parts) + "</div>\n")
        raise nodes.SkipNode
    self.body.append('<div class="math-rows">')
    self.body.extend(parts)
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
    app.add_html_math_renderer(RENDERER, (visit_math_html, None), (visit_math_block_html, None))
    app.connect("config-inited", default_renderer)
    app.connect("doctree-read", check_math, priority=450)
    app.add_post_transform(MathFallback)
