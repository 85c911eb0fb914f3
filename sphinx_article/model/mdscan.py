"""One scan of a Markdown post on myst-parser's own tokens: what ``check`` and the build share.

``sphinx-article check`` lints posts without a build, so it cannot see doctree nodes.
Instead of scanning lines with regular expressions (which disagree with the parser on
fences, nesting, multi-line paragraphs and code), it runs the very markdown-it setup
myst-parser builds documents with (:func:`myst_parser.parsers.mdit.create_md_parser`,
with the extensions ``dependencies.py`` turns on) and walks the tokens.  Directive
bodies that MyST parses as Markdown are scanned again at their line, as MyST does.

Line numbers are the ones the build reports: MyST stamps every inline element (a role,
an image) with the first line of its block (paragraph, list item, heading), and a
directive and all its options with the directive's opening line.  Each item also keeps
its own exact line (``exact_line``) for messages that want it.

Pure: no Sphinx application, no file access.  The alt-text rule lives here too, and
citation targets are read by the build's own :func:`~.bibfiles.parse_cite_targets`, so
the build and ``check`` apply one definition.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.options import TokenizeError

from .._compat import option_tokens

#: The syntax extensions ``dependencies.configure_myst`` enables for every site.
MYST_EXTENSIONS = (
    "dollarmath",
    "amsmath",
    "colon_fence",
    "deflist",
    "attrs_inline",
    "attrs_block",
    "smartquotes",
    "replacements",
)
#: Directives whose body is not Markdown (code, math, raw text, reStructuredText).
OPAQUE_DIRECTIVES = frozenset(
    {
        "code-block",
        "code",
        "sourcecode",
        "code-cell",
        "math",
        "raw",
        "literalinclude",
        "mermaid",
        "colored-equation",
        "eval-rst",
        "csv-table",
        "include",
        "graphviz",
        "highlight",
        "bibliography",
        "toctree",
        "glossary",
        "productionlist",
        "parsed-literal",
    }
)
#: Directives whose argument is an image (or media) file, and options naming files.
IMAGE_DIRECTIVES = frozenset({"figure", "image", "hero-figure", "video-figure"})
MEDIA_DIRECTIVES = IMAGE_DIRECTIVES | {"interactive-figure"}
#: The options naming files, per directive (as their option specs in figures.py, hero.py
#: and moving.py): MyST drops an option a directive does not take, so it is never read.
PATH_OPTIONS = {
    "figure": ("dark", "poster"),
    "image": ("dark", "poster"),
    "hero-figure": ("dark", "poster"),
    "video-figure": ("poster",),
    "interactive-figure": ("fallback",),
}
CITE_ROLES = re.compile(r"^(?:foot)?cite(?::[\w]+)?$")
#: Deepest nesting of directives scanned (MyST itself recurses without a bound).
MAX_DEPTH = 50


@dataclass
class Directive:
    """A ``{name}`` fence (backticks, tildes or colons) with its options."""

    name: str
    argument: str
    line: int
    options: dict[str, str] = field(default_factory=dict)
    option_lines: dict[str, int] = field(default_factory=dict)
    body_line: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class Image:
    """An image: Markdown ``![alt](path)`` (``directive`` empty) or a directive's file."""

    path: str
    alt: str
    line: int
    exact_line: int
    directive: str = ""
    option: str = ""  #: "" for the directive's argument, else "dark", "poster", ...


@dataclass
class CiteTarget:
    key: str
    pre: str = ""
    post: str = ""


@dataclass
class Citation:
    """One ``{cite:*}`` role: its well-formed targets, and a message per malformed one."""

    role: str
    text: str
    line: int
    exact_line: int
    targets: list[CiteTarget] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class Label:
    """A target: ``(name)=``, a directive's ``:name:``/``:label:``, a ``$$`` label."""

    name: str
    line: int
    kind: str


@dataclass
class Scan:
    directives: list[Directive] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    roles: list[tuple[str, str, int]] = field(default_factory=list)  #: (name, text, line)


# -- shared rules ---------------------------------------------------------------------------


def missing_alt(alt: object) -> bool:
    """The one alt-text rule: absent, or only whitespace, is missing."""
    return not isinstance(alt, str) or not alt.strip()


def alt_message(target: str, directive: str = "") -> str:
    """The one message for a missing alt text (``directive`` empty: a Markdown image)."""
    if not directive:
        return (
            f"The image '{target}' has no alternative text; write it between the "
            "brackets: ![what it shows](file), or add ':alt: <what it shows>'."
        )
    return (
        f"The {directive} '{target}' has no alternative text; add ':alt: <what it "
        "shows>' for readers who cannot see it."
    )


def hero_source_problem(argument: str, glue: str | None, notebook: bool) -> str:
    """The one rule for what a ``hero-figure`` shows: an image file (its argument) or,
    in a notebook post, a glued output (``:glue: key``), exactly one of them.  '' when
    the directive is well formed, else what is wrong and how to fix it (build and
    ``check`` print the same message)."""
    if argument and glue is not None:
        return (
            f"The hero-figure names both an image file '{argument}' and ':glue: {glue}'; "
            "keep one: remove the file to show the glued output, or the :glue: option to "
            f"show the file. Showing '{argument}'."
        )
    if not argument and glue is None:
        return (
            "The hero-figure names no image; give an image file as its argument "
            "(```{hero-figure} figure.png```) or, in a notebook post, a glued output with "
            "':glue: <key>'. No hero is shown."
        )
    if glue is not None and not notebook:
        return (
            f"The hero-figure's ':glue: {glue}' names a glued notebook output, but this "
            "post is not a notebook; give an image file as the argument instead, or move "
            "the hero-figure into the notebook that glues it. No hero is shown."
        )
    return ""


# -- the parser -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def parser(raw_html: bool = False) -> MarkdownIt:
    """myst-parser's markdown-it, configured as the build configures it."""
    disable = [] if raw_html else ["html_block", "html_inline"]
    config = MdParserConfig(enable_extensions=set(MYST_EXTENSIONS), disable_syntax=disable)
    return create_md_parser(config, RendererHTML)


def blank_front_matter(source: str, length: int) -> str:
    """The source with its first ``length`` lines blanked (as ``posts.py`` does)."""
    if length <= 0:
        return source
    lines = source.split("\n")
    return "\n" * min(length, len(lines)) + "\n".join(lines[length:])


def scan(source: str, front_matter_lines: int = 0, raw_html: bool = False) -> Scan:
    """Every directive, image, citation and label of a post, located as the build does."""
    result = Scan()
    text = blank_front_matter(source, front_matter_lines)
    try:
        tokens = parser(raw_html).parse(text)
    except RecursionError:  # markdown-it on pathological nesting: nothing to report here
        return result
    _walk(tokens, 0, result, 0)
    return result


def _walk(tokens: list[Token], offset: int, result: Scan, depth: int) -> None:
    """Collect from ``tokens`` of a text that starts on line ``offset + 1``."""
    for token in tokens:
        line = token.map[0] + 1 + offset if token.map else offset + 1
        if token.type in ("fence", "colon_fence"):
            _directive(token, line, result, depth)
        elif token.type == "inline":
            _inline(token, line, result)
        elif token.type == "myst_target":
            result.labels.append(Label(token.content.strip(), line, "target"))
        elif token.type == "math_block_label":
            label = token.info.strip()
            if label:
                result.labels.append(Label(label, line, "equation"))


def _directive(token: Token, line: int, result: Scan, depth: int) -> None:
    # MyST's rule (render_fence / render_colon_fence): the first word is ``{name}``
    parts = token.info.strip().split(maxsplit=1)
    word = parts[0] if parts else ""
    if not (word.startswith("{") and word.endswith("}") and len(word) > 2):
        if token.type == "colon_fence" and depth < MAX_DEPTH:  # a plain div: Markdown body
            _nested(token.content, line, result, depth)
        return
    name, argument = word[1:-1], (parts[1].strip() if len(parts) > 1 else "")
    content = token.content
    if token.type == "colon_fence" and content.startswith(":::"):
        content = "\n" + content  # MyST: a nested fence first, so no option block
    directive = Directive(name, argument, line)
    body, body_offset = _options(directive, content, line)
    directive.body_line = line + 1 + body_offset
    result.directives.append(directive)
    for key in ("name", "label"):
        if directive.options.get(key, "").strip():
            result.labels.append(Label(directive.options[key].strip(), line, key))
    if name in MEDIA_DIRECTIVES:
        alt = directive.options.get("alt", "")
        if argument:
            result.images.append(Image(argument, alt, line, line, name))
        for key in PATH_OPTIONS.get(name, ()):
            if key in directive.options:
                result.images.append(
                    Image(
                        directive.options[key],
                        alt,
                        line,
                        directive.option_lines.get(key, line),
                        name,
                        key,
                    )
                )
    if name not in OPAQUE_DIRECTIVES and depth < MAX_DEPTH and body.strip():
        _nested(body, directive.body_line, result, depth)


def _nested(body: str, first_line: int, result: Scan, depth: int) -> None:
    try:
        tokens = parser().parse(body + "\n")
    except RecursionError:
        return
    _walk(tokens, first_line - 1, result, depth + 1)


def _options(directive: Directive, content: str, line: int) -> tuple[str, int]:
    """Read the option block as MyST does; return (body, lines before the body)."""
    lines = content.splitlines()
    block: list[str] = []
    if content.startswith("---"):
        first = line + 2
        for index, text in enumerate(lines[1:]):
            if text.startswith("---"):
                block, rest, used = lines[1 : index + 1], lines[index + 2 :], index + 2
                break
        else:
            block, rest, used = lines[1:], [], len(lines)
        try:
            loaded = yaml.safe_load("\n".join(block)) or {}
        except Exception as exc:  # any YAML failure is a problem, never a crash
            directive.problems.append(f"the option block is not valid YAML ({exc})")
            loaded = {}
        if isinstance(loaded, dict):
            for key, value in loaded.items():
                directive.options[str(key)] = "" if value is None else str(value)
                directive.option_lines[str(key)] = _key_line(block, str(key), first)
        else:
            directive.problems.append("the option block is not a mapping")
    elif content.lstrip().startswith(":"):
        used = 0
        while used < len(lines) and _is_option_line(lines[used]):
            block.append(lines[used].lstrip()[1:])
            used += 1
        rest = lines[used:]
        try:
            pairs = option_tokens("\n".join(block))
        except (TokenizeError, ValueError, IndexError, RecursionError) as exc:
            directive.problems.append(f"the options cannot be read ({exc})")
            pairs = []
        for key, value in pairs:
            directive.options[key.value] = value.value if value is not None else ""
            directive.option_lines[key.value] = line + 1 + key.start.line
    else:
        rest, used = lines, 0
    if rest and not rest[0].strip():
        rest, used = rest[1:], used + 1
    return "\n".join(rest), used


def _is_option_line(text: str) -> bool:
    stripped = text.lstrip()
    return stripped.startswith(":") and not stripped.startswith(":::")


def _key_line(block: list[str], key: str, first: int) -> int:
    for index, text in enumerate(block):
        if text.startswith((f"{key}:", f'"{key}":', f"'{key}':")):
            return first + index
    return first


def _inline(token: Token, line: int, result: Scan) -> None:
    exact = line
    for child in _flatten(token.children or []):
        if child.type in ("softbreak", "hardbreak"):
            exact += 1
        elif child.type == "image":
            alt = "".join(c.content for c in _flatten(child.children or []))
            result.images.append(Image(str(child.attrGet("src") or ""), alt, line, exact))
        elif child.type == "myst_role":
            name, text = str(child.meta.get("name", "")), child.content
            result.roles.append((name, text, line))
            if CITE_ROLES.match(name):
                from .bibfiles import parse_cite_targets  # the build's grammar and messages

                parsed, problems = parse_cite_targets(text)
                targets = [CiteTarget(key, pre, post) for pre, key, post in parsed]
                result.citations.append(Citation(name, text, line, exact, targets, problems))
        elif child.type in ("code_inline", "text", "math_inline") and "\n" in child.content:
            exact += child.content.count("\n")


def _flatten(children: list[Token]) -> list[Token]:
    out: list[Token] = []
    stack: list[Any] = list(reversed(children))
    while stack:
        child = stack.pop()
        out.append(child)
        if child.children and child.type != "image":
            stack.extend(reversed(child.children))
    return out
