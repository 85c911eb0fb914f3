"""Formulas for the PDF: what MathJax accepts, rewritten into LaTeX that compiles.

The web renderer reads MathJax's dialect; pdflatex with amsmath does not take all of
it.  :func:`display_latex` and :func:`inline_latex` rewrite a formula (the expanded
``node["article_latex"]`` when the macro layer stored one, else the node's text):

* display environments written inside ``$$`` (``equation``, ``align``, ``gather``,
  ``multline``, ``eqnarray``, their starred forms, ``split``) become the inner
  ``aligned``/``gathered``/``multlined`` inside one ``equation*``;
* nothing is numbered by LaTeX's counter: a numbered block gets ``\\tag{N}`` with the
  number the web page shows (so both outputs agree by construction), an author's
  ``\\tag{A}`` wins, ``\\nonumber``/``\\notag``/``\\label`` inside the math are dropped;
* a character beyond ASCII is braced (``\\barγ``, ``x^γ``),
* ``_``, ``&``, ``^`` inside ``\\text{...}`` are escaped, a ``&`` outside any alignment
  in inline math is a literal ampersand, ``\\unicode{x}`` is the character,
  ``\\require{...}`` vanishes, ``\\color{#hex}`` uses xcolor's HTML model with the 4.5:1
  text shade.

Every formula follows a comment line ``%ARTICLE-MATH-BEGIN <n> <docname>`` (a display
formula also ends with ``%ARTICLE-MATH-END <n> <docname>``) and is listed in ``sphinxarticle-math.json``
(docname -> formulas: source file, line, text; the proceedings reuse the posts' marks):
when pdflatex still stops on one, ``pdfcompile`` replaces that span by the source in a
box and compiles again (see ``pdfcompile.py``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.utils import get_source_line
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..model import colors
from ..model.mathmacros import TEXT_COMMANDS
from .escape import tex

if TYPE_CHECKING:
    from sphinx.writers.latex import LaTeXTranslator

MARK_BEGIN = "%ARTICLE-MATH-BEGIN"
MARK_END = "%ARTICLE-MATH-END"
SIDECAR = "sphinxarticle-math.json"

# Display environments authors put inside $$, and the inner form they become.
INNER = {
    "equation": None,
    "equation*": None,
    "displaymath": None,
    "align": "aligned",
    "align*": "aligned",
    "flalign": "aligned",
    "flalign*": "aligned",
    "alignat": "alignedat",
    "alignat*": "alignedat",
    "eqnarray": "aligned",
    "eqnarray*": "aligned",
    "split": "aligned",
    "gather": "gathered",
    "gather*": "gathered",
    "multline": "multlined",
    "multline*": "multlined",
}
# xcolor's base names: anything else goes through colors.parse_color or is dropped.
XCOLOR_NAMES = frozenset(
    "red green blue cyan magenta yellow black gray white darkgray "
    "lightgray brown lime olive orange pink purple teal violet".split()
)

_BEGIN_ENV = re.compile(r"\\begin\s*\{([A-Za-z]+\*?)\}")
_DROP = re.compile(
    r"\\(?:nonumber|notag)(?![A-Za-z])|\\label\s*\{[^{}]*\}"
    r"|\\require\s*\{[^{}]*\}"
)
_TAG = re.compile(r"\\tag\*?\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_UNICODE = re.compile(r"\\unicode\s*(?:\[[^\]]*\])?\s*\{\s*(?:0?[xX]([0-9A-Fa-f]+)|([0-9]+))\s*\}")
_COLOR = re.compile(r"\\(color|textcolor)\s*(?:\[\s*([A-Za-z]*)\s*\])?\s*\{\s*([^{}]*?)\s*\}")


# -- small scanners ----------------------------------------------------------------------


def _group_end(text: str, start: int) -> int:
    """Index just past the ``{...}`` group opening at ``start`` (end of text if open)."""
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return len(text)


def _top_level(text: str, token: str) -> bool:
    """Whether ``token`` (``&`` or ``\\\\``) occurs outside braces and environments."""
    depth = env = 0
    index = 0
    while index < len(text):
        if text.startswith("\\begin", index):
            env += 1
        elif text.startswith("\\end", index):
            env -= 1
        char = text[index]
        if char == "\\":
            if token == "\\\\" and text.startswith("\\\\", index) and depth == env == 0:
                return True
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == token and depth == env == 0:
            return True
        index += 1
    return False


_KEEP = re.compile(r"\\(?:eqref|ref|label)\s*\{[^{}]*\}")


def _escape_text(text: str) -> str:
    """``_ & # ^`` as signs, except inside ``\\eqref{...}``-style label arguments."""
    out, index = [], 0
    for match in _KEEP.finditer(text):
        out.append(_escape_signs(text[index : match.start()]) + match.group(0))
        index = match.end()
    return "".join(out) + _escape_signs(text[index:])


def _escape_signs(text: str) -> str:
    text = re.sub(r"(?<!\\)([_&#])", r"\\\1", text)
    return re.sub(r"(?<!\\)\^", r"\\textasciicircum{}", text)


def escape_text_arguments(latex: str) -> str:
    """``\\text{a_b & c}`` -> ``\\text{a\\_b \\& c}``: MathJax takes them, LaTeX does not."""
    pattern = re.compile(r"\\(" + "|".join(TEXT_COMMANDS) + r")\s*\{")
    out: list[str] = []
    index = 0
    for match in pattern.finditer(latex):
        if match.start() < index:
            continue  # inside an argument already handled
        end = _group_end(latex, match.end() - 1)
        inner = latex[match.end() : end - 1] if end <= len(latex) else latex[match.end() :]
        inner = _escape_text(inner)
        out.append(latex[index : match.end()] + inner + "}")
        index = end
    out.append(latex[index:])
    return "".join(out)


def _model_hex(model: str, value: str) -> str | None:
    """xcolor's ``[rgb]{r,g,b}``, ``[RGB]{R,G,B}`` and ``[HTML]{RRGGBB}`` as ``#RRGGBB``."""
    try:
        if model == "HTML":
            return colors.parse_hex(value)
        parts = [float(p) for p in value.split(",")]
        if len(parts) != 3:
            return None
        scale = 1.0 if model == "rgb" else 255.0 if model == "RGB" else 0.0
        if not scale or not all(0 <= p <= scale for p in parts):
            return None
        return "#" + "".join(f"{round(p / scale * 255):02X}" for p in parts)
    except ValueError:
        return None


def _color(match: re.Match[str]) -> str:
    """A colour xcolor knows, as the 4.5:1 text shade on white; never raw author text."""
    command, model, value = match.groups()
    parsed = _model_hex(model, value) if model else colors.parse_color(value)
    if parsed:
        shade = colors.adjust_for(parsed, "light", 4.5)
        return f"\\{command}[HTML]{{{shade[1:]}}}"
    if not model and value.lower() in XCOLOR_NAMES:
        return f"\\{command}{{{value.lower()}}}"
    return f"\\{command}{{black}}"


def common(latex: str) -> str:
    """Rewrites that hold in inline and display math alike."""
    latex = _UNICODE.sub(
        lambda m: (
            chr(int(m.group(1), 16) if m.group(1) else int(m.group(2)))
            if int(m.group(1) or "0", 16) < 0x110000 and int(m.group(2) or "0") < 0x110000
            else "?"
        ),
        latex,
    )
    latex = _DROP.sub("", latex)
    latex = _COLOR.sub(_color, latex)
    # a character beyond ASCII is several bytes to pdflatex: braced, ``\\barγ`` and
    # ``x^γ`` take the whole character as their argument
    latex = re.sub(r"([^\x00-\x7f])", r"{\1}", latex)
    return escape_text_arguments(latex)


# -- display and inline math ---------------------------------------------------------------


def _eqnarray_rows(body: str) -> str:
    """``a &=& b`` rows of eqnarray as ``a &= b`` rows of aligned."""
    rows = re.split(r"(\\\\)", body)
    fixed = []
    for row in rows:
        parts = re.split(r"(?<!\\)&", row)
        fixed.append(parts[0] + "&" + "".join(parts[1:]) if len(parts) == 3 else row)
    return "".join(fixed)


def unwrap_environments(latex: str) -> str:
    """Display environments inside ``$$`` as their inner forms (see :data:`INNER`)."""
    for _ in range(20):  # nested ones, outermost first
        match = next((m for m in _BEGIN_ENV.finditer(latex) if m.group(1) in INNER), None)
        if match is None:
            return latex
        name = match.group(1)
        end = re.compile(r"\\end\s*\{" + re.escape(name) + r"\}").search(latex, match.end())
        body_end, after = (end.start(), end.end()) if end else (len(latex), len(latex))
        body = latex[match.end() : body_end]
        inner = INNER[name]
        if name.startswith("eqnarray"):
            body = _eqnarray_rows(body)
        if name.startswith("alignat"):
            columns = re.match(r"\s*\{[^{}]*\}", body)
            head = columns.group(0) if columns else "{1}"
            body = body[columns.end() :] if columns else body
            replacement = f"\\begin{{alignedat}}{head}{body}\\end{{alignedat}}"
        elif inner:
            replacement = f"\\begin{{{inner}}}{body}\\end{{{inner}}}"
        else:
            replacement = body
        latex = latex[: match.start()] + replacement + latex[after:]
    return latex


def _wrap_rows(part: str) -> str:
    """A part with rows or alignment marks of its own, in ``aligned``."""
    part = part.strip()
    if _top_level(part, "\\\\") or _top_level(part, "&"):
        return f"\\begin{{aligned}}{part}\\end{{aligned}}"
    return part


def _split_parts(text: str) -> list[str]:
    """Sphinx's several formulas of one block, split at blank lines outside braces and
    environments (a blank line inside ``aligned`` belongs to it, as MathJax reads it)."""
    parts, depth, env, start, index = [], 0, 0, 0, 0
    while index < len(text):
        if text.startswith("\\begin", index):
            env += 1
        elif text.startswith("\\end", index):
            env -= 1
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == "\n" and depth <= 0 and env <= 0:
            blank = re.match(r"\n[ \t]*\n", text[index:])
            if blank:
                parts.append(text[start:index])
                start = index = index + blank.end()
                continue
        index += 1
    parts.append(text[start:])
    return parts


def display_latex(
    text: str, number: str | None = None, label: str | None = None, parts: bool = True
) -> str:
    """One display block as ``equation*`` with at most one ``\\tag``."""
    text = common(text)
    tags = [m.group(1) for m in _TAG.finditer(text)]
    text = _TAG.sub("", text)
    text = unwrap_environments(text)
    chunks = [c for c in _split_parts(text) if c.strip()] if parts else [text]
    # a blank line left inside a group or environment would be \\par in math
    chunks = [re.sub(r"\n\s*\n", "\n", c) for c in chunks]
    if not chunks:
        return ""
    if len(chunks) == 1:
        body = _wrap_rows(chunks[0])
    else:
        body = "\\begin{aligned}" + "\\\\\n".join(c.strip() for c in chunks) + "\\end{aligned}"
    tag = f"\\tag{{{tags[0]}}}" if tags else (f"\\tag{{{number}}}" if number else "")
    labeldef = f"\\label{{{label}}}" if label and tag else ""
    return f"\\begin{{equation*}}\n{body}\n{tag}{labeldef}\\end{{equation*}}"


def inline_latex(text: str) -> str:
    """Inline math: display environments as their inner forms, a ``&`` outside any
    alignment is the sign, a ``\\\\`` outside any environment a thin space; no tags."""
    text = unwrap_environments(_TAG.sub("", common(text)))
    out, depth, env, index = [], 0, 0, 0
    while index < len(text):
        if text.startswith("\\begin", index):
            env += 1
        elif text.startswith("\\end", index):
            env -= 1
        char = text[index]
        if char == "\\":
            out.append(text[index : index + 2])
            index += 2
            continue
        if char == "&" and env <= 0:
            out.append("\\&")
        else:
            depth += (char == "{") - (char == "}")
            out.append(char)
        index += 1
    text = "".join(out).replace("\n\n", "\n")
    if _top_level(text, "\\\\"):
        # a line break has no place in running text (MathJax sets the line on): a space
        text = _top_level_breaks_to_space(text)
    return text


def _top_level_breaks_to_space(text: str) -> str:
    out, depth, env, index = [], 0, 0, 0
    while index < len(text):
        if text.startswith("\\begin", index):
            env += 1
        elif text.startswith("\\end", index):
            env -= 1
        if text.startswith("\\\\", index):
            out.append("\\," if depth == env == 0 else "\\\\")
            index += 2
            continue
        char = text[index]
        if char == "\\":
            out.append(text[index : index + 2])
            index += 2
            continue
        depth += (char == "{") - (char == "}")
        out.append(char)
        index += 1
    return "".join(out)


# -- the LaTeX writer ----------------------------------------------------------------------


def formula_text(node: nodes.Element) -> str:
    """The expanded formula of the macro layer when there is one, else the node's text."""
    return str(node.get("article_latex") or node.astext())


def _record(self: LaTeXTranslator, node: nodes.Element, display: bool) -> str:
    """Note the formula for the recovery step; returns its mark (``<n> <docname>``)."""
    settings = self.document.settings
    docname = str(getattr(settings, "_docname", None) or getattr(settings, "docname", "") or "")
    store: dict[str, list[dict[str, Any]]] = self.builder.__dict__.setdefault(
        "article_formulas", {}
    )
    formulas = store.setdefault(docname, [])
    source, line = get_source_line(node)
    parent = node.parent
    while (not source or not line) and parent is not None:
        source, line = get_source_line(parent)
        parent = parent.parent
    formulas.append(
        {
            "source": str(source or ""),
            "line": int(line or 0),
            "latex": node.astext(),
            "display": display,
        }
    )
    return f"{len(formulas)} {docname}"


def visit_math_latex(self: LaTeXTranslator, node: nodes.math) -> None:
    mark = _record(self, node, display=False)
    # no END line: the text after the formula must stay on its line (a line's leading
    # space is lost in TeX); pdfcompile finds the end at the closing \\)
    self.body.append(f"%\n{MARK_BEGIN} {mark}\n\\({inline_latex(formula_text(node))}\\)")
    raise nodes.SkipNode


def visit_math_block_latex(self: LaTeXTranslator, node: nodes.math_block) -> None:
    mark = _record(self, node, display=True)
    label = f"equation:{node['docname']}:{node['label']}" if node.get("label") else None
    number = node.get("number")
    nowrap = node.get("no-wrap", node.get("nowrap", False))
    body = display_latex(
        formula_text(node), str(number) if number else None, label, parts=not nowrap
    )
    self.body.append(f"\n{MARK_BEGIN} {mark}\n{body}\n{MARK_END} {mark}\n")
    raise nodes.SkipNode


def write_sidecar(app: Sphinx, exception: Exception | None) -> None:
    """After the LaTeX build: every formula of every document, for ``pdfcompile``."""
    if exception is not None or app.builder.name != "latex":
        return
    formulas = app.builder.__dict__.get("article_formulas", {})
    path = Path(app.outdir) / SIDECAR
    path.write_text(json.dumps(formulas), encoding="utf-8")


def source_box(formula: dict[str, Any]) -> str:
    """A formula that did not compile, as its escaped source in a box."""
    command = "ArticleMathSourceBlock" if formula.get("display") else "ArticleMathSource"
    return f"\\{command}{{{tex(formula['latex'])}}}"


class MathSourceForLatex(SphinxPostTransform):
    """A formula refused on the web (its source as code) in the PDF's source box, with
    its whitespace collapsed (a blank line inside ``\\sphinxcode`` ends the paragraph)."""

    default_priority = 6  # after mathrender.MathFallback
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for literal in list(self.document.findall(nodes.literal)):
            if "math-source" not in literal.get("classes", ()):
                continue
            block = isinstance(
                literal.parent, nodes.paragraph
            ) and "math-source-block" in literal.parent.get("classes", ())
            literal.replace_self(math_source(literal.astext(), literal.astext(), display=block))


class math_source(nodes.Inline, nodes.TextElement):
    """A formula's source in the PDF's source box (``display``: the block form)."""


def visit_math_source_latex(self: LaTeXTranslator, node: math_source) -> None:
    self.body.append(source_box({"latex": node.astext(), "display": node.get("display")}))
    raise nodes.SkipNode


def setup_mathlatex(app: Sphinx) -> None:
    app.connect("build-finished", write_sidecar)
    app.add_post_transform(MathSourceForLatex)
    app.add_node(math_source, latex=(visit_math_source_latex, None))
    app.add_node(nodes.math, override=True, latex=(visit_math_latex, None))
    app.add_node(nodes.math_block, override=True, latex=(visit_math_block_latex, None))
