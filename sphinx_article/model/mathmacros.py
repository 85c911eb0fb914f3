"""Author macros in math, with MathJax's semantics, expanded before any renderer runs.

Why here, in Python, and not in the renderer: one expansion serves the web (the
renderer sees only standard commands) and the PDF (``node["article_latex"]`` holds the
expanded formula, so a post's definitions never reach TeX), and it is bounded, so a
recursive macro or a macro bomb is a warning, never a hang.

A post's definitions (``\\newcommand``, ``\\renewcommand``, ``\\providecommand``,
``\\def``, ``\\let``, ``\\DeclareMathOperator``, ``\\definecolor``) hold from the formula
that makes them to the end of the post, in document order, as on a MathJax page; the
state (:class:`MacroState`) is made per post and never shared. No Sphinx import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import colors

#: commands whose argument is text, not math (both renderers treat it as text)
TEXT_COMMANDS = (
    "text",
    "textrm",
    "textit",
    "textbf",
    "textsf",
    "texttt",
    "textnormal",
    "mbox",
    "textup",
    "textmd",
    "textsl",
    "hbox",
)

#: bounds per formula: macro expansions, tokens produced, tokens waiting
MAX_EXPANSIONS = 5000
MAX_OUTPUT = 20000
MAX_PENDING = 50000

DEFINERS = (
    "newcommand",
    "renewcommand",
    "providecommand",
    "def",
    "gdef",
    "let",
    "DeclareMathOperator",
    "definecolor",
    "require",
)

#: xcolor's ``dvipsnames`` (as MathJax's color extension knows them), so formulas
#: written for MathJax keep their colours; everything ends as a validated ``#RRGGBB``.
DVIPS = {
    "Apricot": "#FBB982",
    "Aquamarine": "#00B5BE",
    "Bittersweet": "#C04F17",
    "Black": "#221E1F",
    "Blue": "#2D2F92",
    "BlueGreen": "#00B3B8",
    "BlueViolet": "#473992",
    "BrickRed": "#B6321C",
    "Brown": "#792500",
    "BurntOrange": "#F7921D",
    "CadetBlue": "#74729A",
    "CarnationPink": "#F282B4",
    "Cerulean": "#00A2E3",
    "CornflowerBlue": "#41B0E4",
    "Cyan": "#00AEEF",
    "Dandelion": "#FDBC42",
    "DarkOrchid": "#A4538A",
    "Emerald": "#00A99D",
    "ForestGreen": "#009B55",
    "Fuchsia": "#8C368C",
    "Goldenrod": "#FFDF42",
    "Gray": "#949698",
    "Green": "#00A64F",
    "GreenYellow": "#DFE674",
    "JungleGreen": "#00A99A",
    "Lavender": "#F49EC4",
    "LimeGreen": "#8DC73E",
    "Magenta": "#EC008C",
    "Mahogany": "#A9341F",
    "Maroon": "#AF3235",
    "Melon": "#F89E7B",
    "MidnightBlue": "#006795",
    "Mulberry": "#A93C93",
    "NavyBlue": "#006EB8",
    "OliveGreen": "#3C8031",
    "Orange": "#F58137",
    "OrangeRed": "#ED135A",
    "Orchid": "#AF72B0",
    "Peach": "#F7965A",
    "Periwinkle": "#7977B8",
    "PineGreen": "#008B72",
    "Plum": "#92268F",
    "ProcessBlue": "#00B0F0",
    "Purple": "#99479B",
    "RawSienna": "#974006",
    "Red": "#ED1B23",
    "RedOrange": "#F26035",
    "RedViolet": "#A1246B",
    "Rhodamine": "#EF559F",
    "RoyalBlue": "#0071BC",
    "RoyalPurple": "#613F99",
    "RubineRed": "#ED017D",
    "Salmon": "#F69289",
    "SeaGreen": "#3FBC9D",
    "Sepia": "#671800",
    "SkyBlue": "#46C5DD",
    "SpringGreen": "#C6DC67",
    "Tan": "#DA9D76",
    "TealBlue": "#00AEB3",
    "Thistle": "#D883B7",
    "Turquoise": "#00B4CE",
    "Violet": "#58429B",
    "VioletRed": "#EF58A0",
    "White": "#FFFFFF",
    "WildStrawberry": "#EE2967",
    "Yellow": "#FFF200",
    "YellowGreen": "#98CC70",
    "YellowOrange": "#FAA21A",
}
#: the CSS/xcolor base names MathJax accepts beyond colors.NAMED
BASE_COLORS = {
    "white": "#FFFFFF",
    "cyan": "#00FFFF",
    "magenta": "#FF00FF",
    "lime": "#00FF00",
    "olive": "#808000",
    "violet": "#800080",
    "darkgray": "#404040",
    "lightgray": "#BFBFBF",
    "navy": "#000080",
    "maroon": "#800000",
    "darkblue": "#00008B",
    "darkgreen": "#006400",
    "darkred": "#8B0000",
}

_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|#[1-9#]|\s+|.", re.DOTALL)
_NAME = re.compile(r"\\(?:[A-Za-z]+|.)")


class MacroError(Exception):
    """A definition or a use that cannot be expanded; the message says what to write."""


@dataclass
class Macro:
    """One author macro: ``body`` with ``#1``...``#9``, ``nargs``, optional first default."""

    body: str
    nargs: int = 0
    default: str | None = None


@dataclass
class MacroState:
    """The definitions in force at one point of one post (site + front matter + earlier
    formulas). Plain data: picklable, never shared between posts."""

    macros: dict[str, Macro] = field(default_factory=dict)
    colors: dict[str, str] = field(default_factory=dict)

    def copy(self) -> MacroState:
        return MacroState(dict(self.macros), dict(self.colors))


def tokenize(latex: str) -> list[str]:
    """TeX-like tokens: ``\\name`` (with a ``*`` glued on), ``\\x``, ``#n``, spaces, chars."""
    tokens = []
    for match in _TOKEN.finditer(latex):
        token = match.group(0)
        if token.startswith("\\") and token.endswith("*") and len(token) > 2:
            tokens.extend([token[:-1], "*"])
        else:
            tokens.append(token)
    return tokens


# -- site and front-matter tables ------------------------------------------------------


def parse_table(table: Any, where: str) -> tuple[dict[str, Macro], list[str]]:
    """``{"R": "\\mathbb{R}", "norm": ["\\lVert #1 \\rVert", 1], "f": [body, 2, "x"]}``
    (the shape MathJax and KaTeX users know) as macros, and one message per bad entry."""
    macros: dict[str, Macro] = {}
    problems: list[str] = []
    if not isinstance(table, dict):
        return macros, [
            f"{where} must be a mapping of macro names to definitions, as in "
            "{R: '\\mathbb{R}', norm: ['\\lVert #1 \\rVert', 1]}"
        ]
    for raw_name, value in table.items():
        name = str(raw_name).lstrip("\\")
        if not re.fullmatch(r"[A-Za-z]+", name):
            problems.append(
                f"{where}: '{raw_name}' is not a macro name; use letters only, as in R or norm"
            )
            continue
        body, nargs, default = value, 0, None
        if isinstance(value, (list, tuple)):
            if (
                not 1 <= len(value) <= 3
                or not isinstance(value[0], str)
                or (len(value) > 1 and (not isinstance(value[1], int) or not 0 <= value[1] <= 9))
            ):
                problems.append(
                    f"{where}: '{name}' must be a string or [body, number of "
                    "arguments 0-9, optional default of the first]"
                )
                continue
            body = value[0]
            nargs = value[1] if len(value) > 1 else 0
            default = str(value[2]) if len(value) > 2 else None
        if not isinstance(body, str):
            problems.append(f"{where}: '{name}' must be a LaTeX string, as in '\\mathbb{{R}}'")
            continue
        macros["\\" + name] = Macro(body, nargs, default)
    return macros, problems


# -- expansion -------------------------------------------------------------------------


class _Expander:
    """One formula: reads tokens from a stack, applies definitions, expands uses."""

    def __init__(self, latex: str, state: MacroState) -> None:
        self.state = state
        self.pending = list(reversed(tokenize(latex)))
        self.out: list[str] = []
        self.expansions = 0

    # reading ---------------------------------------------------------------------
    def next(self) -> str | None:
        return self.pending.pop() if self.pending else None

    def peek_nonspace(self) -> str | None:
        while self.pending and self.pending[-1].isspace():
            self.pending.pop()
        return self.pending[-1] if self.pending else None

    def group(self, what: str) -> list[str]:
        """A ``{...}`` group's tokens, or a single token (TeX's undelimited argument)."""
        token = self.peek_nonspace()
        if token is None or token == "}":
            raise MacroError(f"{what} is missing")
        self.pending.pop()
        if token != "{":
            return [token]
        depth, tokens = 1, list[str]()
        while True:
            token = self.next()
            if token is None:
                raise MacroError(f"a '{{' in {what} is never closed")
            depth += token == "{"
            depth -= token == "}"
            if depth == 0:
                return tokens
            tokens.append(token)

    def optional(self) -> list[str] | None:
        """A ``[...]`` argument (brackets inside braces do not end it), or None."""
        if self.peek_nonspace() != "[":
            return None
        self.pending.pop()
        depth, tokens = 0, list[str]()
        while True:
            token = self.next()
            if token is None:
                raise MacroError("a '[' is never closed by ']'")
            if token == "]" and depth == 0:
                return tokens
            depth += token == "{"
            depth -= token == "}"
            tokens.append(token)

    def name(self, command: str) -> str:
        """The macro name after a definer: ``\\x`` or ``{\\x}``."""
        tokens = [t for t in self.group(f"the name after {command}") if not t.isspace()]
        if len(tokens) != 1 or not _NAME.fullmatch(tokens[0]):
            raise MacroError(
                f"{command} must be followed by one macro name, as in {command}{{\\name}}"
            )
        return tokens[0]

    def text(self, what: str) -> str:
        return "".join(self.group(what)).strip()

    # definitions -----------------------------------------------------------------
    def define(self, command: str) -> None:
        name = command[1:]
        if name == "require":
            self.group("the package name after \\require")
            return
        if name == "definecolor":
            self.definecolor()
            return
        if name == "let":
            self.let()
            return
        starred = self.peek_nonspace() == "*"
        if starred:
            self.pending.pop()
        if name == "DeclareMathOperator":
            target = self.name(command)
            text = "".join(self.group(f"the operator text of {command}{{{target}}}"))
            star = "*" if starred else ""
            self.state.macros[target] = Macro(f"\\operatorname{star}{{{text}}}")
            return
        if name in ("def", "gdef"):
            target = self.next_nonspace_name(command)
            params = []
            while self.peek_nonspace() not in ("{", None):
                params.append(self.next())
            nargs = len(params)
            if params != [f"#{i + 1}" for i in range(nargs)]:
                raise MacroError(
                    f"{command}{target} has parameters TeX delimits by text "
                    f"('{''.join(p or '' for p in params)}'); write \\newcommand{{{target}}}"
                    f"[{max(nargs, 1)}]{{...}} and give arguments in braces"
                )
            self.state.macros[target] = Macro("".join(self.group(f"the body of {target}")), nargs)
            return
        target = self.name(command)
        count = self.optional()
        nargs = 0
        if count is not None:
            digits = "".join(count).strip()
            if not re.fullmatch(r"[0-9]", digits):
                raise MacroError(
                    f"the number of arguments of {target} must be 0 to 9, not '{digits}'"
                )
            nargs = int(digits)
        default = self.optional()
        body = "".join(self.group(f"the body of {target}"))
        if name == "providecommand" and target in self.state.macros:
            return
        self.state.macros[target] = Macro(
            body, nargs, "".join(default) if default is not None else None
        )

    def next_nonspace_name(self, command: str) -> str:
        token = self.peek_nonspace()
        if token == "{":  # \def{\x}{...}: TeX refuses it, MathJax 2 took it
            return self.name(command)
        if token is None or not _NAME.fullmatch(token):
            raise MacroError(
                f"{command} must be followed by a macro name, as in {command}\\name{{...}}"
            )
        self.pending.pop()
        return token

    def let(self) -> None:
        target = self.next_nonspace_name("\\let")
        if self.peek_nonspace() == "=":
            self.pending.pop()
        source = self.peek_nonspace()
        if source is None:
            raise MacroError(f"\\let{target} needs a second name, as in \\let{target}\\other")
        self.pending.pop()
        macro = self.state.macros.get(source)
        self.state.macros[target] = (
            Macro(macro.body, macro.nargs, macro.default)
            if macro
            else Macro(source + (" " if source[-1].isalpha() else ""))
        )

    def definecolor(self) -> None:
        name = self.text("the colour name of \\definecolor")
        model = self.text(f"the colour model of \\definecolor{{{name}}}")
        spec = self.text(f"the colour value of \\definecolor{{{name}}}")
        value = color_from_model(model, spec)
        if value is None:
            raise MacroError(
                f"\\definecolor{{{name}}}{{{model}}}{{{spec}}} is not a colour; "
                "write {rgb}{0.1,0.5,0.9}, {RGB}{26,128,230} or {HTML}{1A80E6}"
            )
        self.state.colors[name] = value

    # colours ---------------------------------------------------------------------
    def color(self, command: str) -> None:
        model = self.optional()
        spec = self.text(f"the colour of {command}")
        value = (
            color_from_model("".join(model).strip(), spec)
            if model is not None
            else self.resolve_color(spec)
        )
        if value is None:
            raise MacroError(
                f"'{spec}' in {command} is not a colour; use a name such as "
                "blue or RoyalBlue, a hex colour such as #1F77B4, or a name "
                "defined earlier with \\definecolor"
            )
        self.out.extend([command, "{", value, "}"])

    def resolve_color(self, spec: str) -> str | None:
        if spec in self.state.colors:
            return self.state.colors[spec]
        if spec in DVIPS:
            return DVIPS[spec]
        named = colors.NAMED.get(spec.lower()) or BASE_COLORS.get(spec.lower())
        if named:
            return named
        return colors.parse_hex(spec) if spec.startswith("#") else None

    # uses ------------------------------------------------------------------------
    def expand(self, command: str) -> None:
        macro = self.state.macros[command]
        self.expansions += 1
        if self.expansions > MAX_EXPANSIONS:
            raise MacroError(
                f"{command} expands more than {MAX_EXPANSIONS} times (a macro "
                "that calls itself?); define it without using itself"
            )
        args: list[list[str]] = []
        if macro.default is not None:
            opt = self.optional()
            args.append(opt if opt is not None else tokenize(macro.default))
        while len(args) < macro.nargs:
            args.append(self.group(f"argument {len(args) + 1} of {command}"))
        body = []
        for token in tokenize(macro.body):
            if len(token) == 2 and token[0] == "#" and token[1].isdigit():
                index = int(token[1]) - 1
                if index >= len(args):
                    raise MacroError(
                        f"{command} uses {token} but takes {macro.nargs} "
                        "arguments; raise the number in [..]"
                    )
                body.extend(args[index])
            elif token == "##":
                body.append("#")
            else:
                body.append(token)
        if len(self.pending) + len(body) > MAX_PENDING:
            raise MacroError(
                f"{command} expands to a formula too large to render (a macro "
                "that doubles itself?); simplify the definition"
            )
        # after ^ or _ a macro's expansion is one argument, as MathJax reads it
        previous = next((t for t in reversed(self.out) if not t.isspace()), "")
        if previous in ("^", "_") and len(body) > 1:
            body = ["{", *body, "}"]
        # a control word followed by a letter needs its space back
        if (
            body
            and re.fullmatch(r"\\[A-Za-z]+", body[-1])
            and self.pending
            and self.pending[-1][:1].isalpha()
        ):
            body.append(" ")
        self.pending.extend(reversed(body))

    def run(self) -> str:
        while True:
            token = self.next()
            if token is None:
                break
            if token in self.state.macros:
                self.expand(token)
            elif token[:1] == "\\" and token[1:] in DEFINERS:
                self.define(token)
            elif token in ("\\color", "\\textcolor"):
                self.color(token)
            else:
                if self.out and re.fullmatch(r"\\[A-Za-z]+", self.out[-1]) and token[:1].isalpha():
                    self.out.append(" ")
                self.out.append(token)
                if len(self.out) > MAX_OUTPUT:
                    raise MacroError(
                        "the formula grows too large while its macros expand; "
                        "simplify the definitions"
                    )
        return "".join(self.out)


def color_from_model(model: str, spec: str) -> str | None:
    """xcolor's ``rgb`` (0-1), ``RGB`` (0-255), ``HTML`` (hex) and ``gray`` as ``#RRGGBB``."""
    parts = [p.strip() for p in spec.split(",")]
    try:
        if model == "HTML":
            return colors.parse_hex("#" + spec) if re.fullmatch(r"[0-9A-Fa-f]{6}", spec) else None
        if model == "rgb" and len(parts) == 3:
            values = [float(p) for p in parts]
            if all(0 <= v <= 1 for v in values):
                return "#" + "".join(f"{round(v * 255):02X}" for v in values)
        if model == "RGB" and len(parts) == 3:
            ints = [int(p) for p in parts]
            if all(0 <= v <= 255 for v in ints):
                return "#" + "".join(f"{v:02X}" for v in ints)
        if model == "gray" and len(parts) == 1:
            value = float(parts[0])
            if 0 <= value <= 1:
                return "#" + f"{round(value * 255):02X}" * 3
    except ValueError:
        return None
    return None


def expand(latex: str, state: MacroState) -> str:
    """``latex`` with the definitions applied to ``state`` (mutated: they hold for the
    rest of the post) and removed, every macro expanded and every colour a validated
    ``\\color{#RRGGBB}``; :class:`MacroError` for what cannot be expanded."""
    if "\\" not in latex:
        return latex
    return _Expander(latex, state).run()


def defined_names(latex: str) -> set[str]:
    """The names a formula defines (to tell 'used before its definition' from a typo)."""
    found = set(re.findall(r"\\(?:re|provide)?newcommand\*?\s*\{?\s*(\\[A-Za-z]+)", latex))
    found |= set(re.findall(r"\\[gx]?def\s*(\\[A-Za-z]+)", latex))
    found |= set(re.findall(r"\\let\s*(\\[A-Za-z]+)", latex))
    found |= set(re.findall(r"\\DeclareMathOperator\*?\s*\{?\s*(\\[A-Za-z]+)", latex))
    return found
