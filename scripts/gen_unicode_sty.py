"""Write theme/latex/sphinxarticle-unicode.sty: Unicode characters pdflatex lacks.

Real posts write Greek letters, math symbols, arrows, math-italic letters and zero-width
spaces straight into their text; pdflatex stops on each one it has no definition for.
This script maps every character it can to LaTeX (latex2mathml's symbol table, inverted;
the Unicode names of the math alphanumerics and Greek letters), keeps the definitions
pdflatex compiles with the article's packages, and writes them as a style file.  Run it
again after changing the packages:  .venv/bin/python scripts/gen_unicode_sty.py
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "theme" / "latex" / "sphinxarticle-unicode.sty"
PREAMBLE = (
    r"\documentclass{article}\usepackage[T1]{fontenc}\usepackage{textcomp}"
    r"\usepackage{amsmath,amssymb,mathtools,bm,mathrsfs,cancel,xcolor}"
    r"\usepackage{mathpazo}\usepackage{tgpagella}"
    r"\usepackage{" + str(ROOT / "theme" / "latex" / "sphinxarticle-math") + "}"
)

SPACES = {
    0x200B: r"\hspace{0pt}",
    0x200C: "{}",
    0x200D: "{}",
    0x2060: "{}",
    0xFEFF: "{}",
    0x00AD: r"\-",
    0x2002: r"\hspace{0.5em}",
    0x2003: r"\hspace{1em}",
    0x2004: r"\hspace{0.33em}",
    0x2005: r"\hspace{0.25em}",
    0x2006: r"\hspace{0.17em}",
    0x2007: r"\hspace{0.5em}",
    0x2008: r"\hspace{0.25em}",
    0x2009: r"\,",
    0x200A: r"\hspace{0.1em}",
    0x202F: r"\,",
    0x205F: r"\hspace{0.22em}",
    0x3000: r"\hspace{1em}",
    0x00A0: "~",
}
# Where the symbol table's command is not a LaTeX one (\\minus) or takes an argument.
PREFERRED = {
    0x2212: r"\ensuremath{-}",
    0x221A: r"\ensuremath{\surd}",
    0x2032: r"\ensuremath{'}",
    0x2033: r"\ensuremath{''}",
    0x2010: "-",
    0x2011: "-",
    0x2012: "--",
    0x2015: "---",
    0x3001: ",",
    0x3002: ".",
    0x2215: "/",
    0x2216: r"\ensuremath{\setminus}",
    0x2217: r"\ensuremath{\ast}",
    0x2219: r"\ensuremath{\bullet}",
    0x2223: r"\ensuremath{\mid}",
    0x22C5: r"\ensuremath{\cdot}",
    0x2026: r"\dots{}",
    0x2192: r"\ensuremath{\rightarrow}",
    0x2190: r"\ensuremath{\leftarrow}",
    0x2194: r"\ensuremath{\leftrightarrow}",
    0x21D2: r"\ensuremath{\Rightarrow}",
    0x21D4: r"\ensuremath{\Leftrightarrow}",
    0x2713: r"\ensuremath{\checkmark}",
    0x2714: r"\ensuremath{\checkmark}",
    0x2717: r"\ensuremath{\times}",
    0x2718: r"\ensuremath{\times}",
    0x25CF: r"\ensuremath{\bullet}",
    0x2605: r"\ensuremath{\bigstar}",
}
STYLES = [
    ("BOLD ITALIC", r"\bm"),
    ("BOLD SCRIPT", r"\mathcal"),
    ("BOLD FRAKTUR", r"\mathfrak"),
    ("SANS-SERIF BOLD ITALIC", r"\mathsf"),
    ("SANS-SERIF BOLD", r"\mathsf"),
    ("SANS-SERIF ITALIC", r"\mathsf"),
    ("SANS-SERIF", r"\mathsf"),
    ("DOUBLE-STRUCK", r"\mathbb"),
    ("FRAKTUR", r"\mathfrak"),
    ("SCRIPT", r"\mathscr"),
    ("MONOSPACE", r"\mathtt"),
    ("BOLD", r"\mathbf"),
    ("ITALIC", ""),
]
GREEK = {
    "ALPHA": "alpha",
    "BETA": "beta",
    "GAMMA": "gamma",
    "DELTA": "delta",
    "EPSILON": "epsilon",
    "ZETA": "zeta",
    "ETA": "eta",
    "THETA": "theta",
    "IOTA": "iota",
    "KAPPA": "kappa",
    "LAMDA": "lambda",
    "LAMBDA": "lambda",
    "MU": "mu",
    "NU": "nu",
    "XI": "xi",
    "OMICRON": "o",
    "PI": "pi",
    "RHO": "rho",
    "SIGMA": "sigma",
    "FINAL SIGMA": "varsigma",
    "TAU": "tau",
    "UPSILON": "upsilon",
    "PHI": "phi",
    "CHI": "chi",
    "PSI": "psi",
    "OMEGA": "omega",
    "THETA SYMBOL": "vartheta",
    "PHI SYMBOL": "varphi",
    "PI SYMBOL": "varpi",
    "RHO SYMBOL": "varrho",
    "LUNATE EPSILON SYMBOL": "epsilon",
    "KAPPA SYMBOL": "varkappa",
}
LATIN_LOOKALIKE = {
    "ALPHA": "A",
    "BETA": "B",
    "EPSILON": "E",
    "ZETA": "Z",
    "ETA": "H",
    "IOTA": "I",
    "KAPPA": "K",
    "MU": "M",
    "NU": "N",
    "OMICRON": "O",
    "RHO": "P",
    "TAU": "T",
    "CHI": "X",
}


def greek(name: str) -> str | None:
    """``GREEK SMALL LETTER ALPHA`` -> ``\\alpha``; capitals like Latin ones -> ``A``."""
    match = re.fullmatch(r"(?:GREEK|MATHEMATICAL .*?) (SMALL|CAPITAL) (?:LETTER )?(.+)", name)
    if not match or match.group(2) not in GREEK:
        match = re.fullmatch(r"(?:GREEK|MATHEMATICAL [A-Z -]*?) ?(.+ SYMBOL)", name)
        if match and match.group(1) in GREEK:
            return "\\" + GREEK[match.group(1)]
        return None
    case, letter = match.groups()
    word = GREEK[letter]
    if case == "SMALL":
        return "\\" + word
    if letter in LATIN_LOOKALIKE:
        return "\\mathrm{" + LATIN_LOOKALIKE[letter] + "}"
    return (
        "\\" + word.capitalize()
        if word
        in (
            "gamma",
            "delta",
            "theta",
            "lambda",
            "xi",
            "pi",
            "sigma",
            "upsilon",
            "phi",
            "psi",
            "omega",
        )
        else None
    )


def math_alphanumeric(cp: int, name: str) -> str | None:
    match = re.fullmatch(r"MATHEMATICAL (.+?) (SMALL|CAPITAL|DIGIT) (.+)", name)
    if not match:
        return None
    style, kind, what = match.groups()
    command = next((c for s, c in STYLES if s == style), None)
    if command is None:
        return None
    if kind == "DIGIT":
        digits = "ZERO ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE".split()
        base = str(digits.index(what)) if what in digits else None
    elif len(what) == 1:
        base = what.lower() if kind == "SMALL" else what
    else:
        base = greek(f"GREEK {kind} LETTER {what}")
    if base is None:
        return None
    return f"{command}{{{base}}}" if command else base


def candidates() -> dict[int, str]:
    from latex2mathml.symbols_parser import parse_symbols

    found: dict[int, str] = {}
    for command, code in sorted(parse_symbols().items(), key=lambda i: (len(i[0]), i[0])):
        if not command.startswith("\\") or not command[1:].isalpha():
            continue
        cp = int(code, 16)
        if cp > 0x7F and cp not in found:
            found[cp] = command
    for cp in list(range(0x370, 0x400)) + list(range(0x1D400, 0x1D800)):
        name = unicodedata.name(chr(cp), "")
        value = math_alphanumeric(cp, name) if cp >= 0x1D400 else greek(name)
        if value:
            found[cp] = value
    result = {cp: f"\\ensuremath{{{value}}}" for cp, value in found.items()}
    result.update(SPACES)
    result.update(PREFERRED)
    # fullwidth ASCII (CJK typing) as the ASCII character, escaped for LaTeX
    from sphinx.util import texescape

    texescape.init()
    for cp in range(0xFF01, 0xFF5F):
        result[cp] = "{" + texescape.escape(chr(cp - 0xFEE0)) + "}"
    return result


def failing(definitions: dict[int, str], declare: bool) -> set[int]:
    """The code points whose definitions stop pdflatex, found by compiling them all
    (bisecting down to single characters)."""
    bad: set[int] = set()

    def run(cps: list[int]) -> bool:
        body = (
            "".join(f"\\DeclareUnicodeCharacter{{{cp:04X}}}{{{definitions[cp]}}}\n" for cp in cps)
            if declare
            else ""
        )
        text = "".join(f"{chr(cp)} " for cp in cps)
        with tempfile.TemporaryDirectory() as folder:
            tex = Path(folder, "t.tex")
            tex.write_text(
                f"{PREAMBLE}\n{body}\\begin{{document}}{text}\\end{{document}}\n", encoding="utf-8"
            )
            done = subprocess.run(
                ["pdflatex", "-interaction=batchmode", "-halt-on-error", "t.tex"],
                cwd=folder,
                capture_output=True,
            )
            return done.returncode == 0

    def check(cps: list[int]) -> None:
        if not cps or run(cps):
            return
        if len(cps) == 1:
            bad.add(cps[0])
            return
        half = len(cps) // 2
        check(cps[:half])
        check(cps[half:])

    check(sorted(definitions))
    return bad


def undefined(cps: list[int]) -> set[int]:
    """The code points LaTeX has no definition for, asked of TeX in one run."""
    check = (
        r"\def\ArticleCheck#1#2{\expandafter\ifx\csname u8:\detokenize{#1}"
        r"\endcsname\relax\typeout{MISSING #2}\fi}"
    )
    body = "\n".join(f"\\ArticleCheck{{{chr(cp)}}}{{{cp:X}}}" for cp in cps)
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "t.tex").write_text(
            f"{PREAMBLE}\n{check}\n\\begin{{document}}\n{body}\n\\end{{document}}\n",
            encoding="utf-8",
        )
        subprocess.run(
            ["pdflatex", "-interaction=batchmode", "t.tex"], cwd=folder, capture_output=True
        )
        log = Path(folder, "t.log").read_text(encoding="utf-8", errors="replace")
    return {int(h, 16) for h in re.findall(r"^MISSING ([0-9A-F]+)", log, re.M)}


def defined_commands(names: set[str]) -> set[str]:
    """The command names the preamble defines, asked of TeX in one run."""
    body = "\n".join(f"\\ifdefined\\{n}\\typeout{{DEFINED {n}}}\\fi" for n in sorted(names))
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "t.tex").write_text(
            f"{PREAMBLE}\n\\begin{{document}}\n{body}\n\\end{{document}}\n", encoding="utf-8"
        )
        subprocess.run(
            ["pdflatex", "-interaction=batchmode", "t.tex"], cwd=folder, capture_output=True
        )
        log = Path(folder, "t.log").read_text(encoding="utf-8", errors="replace")
    return set(re.findall(r"^DEFINED ([A-Za-z]+)", log, re.M))


def main() -> None:
    everything = candidates()
    names = {n for v in everything.values() for n in re.findall(r"\\([A-Za-z]+)", v)}
    known = defined_commands(names)
    everything = {
        cp: v
        for cp, v in everything.items()
        if all(n in known for n in re.findall(r"\\([A-Za-z]+)", v))
    }
    missing = undefined(sorted(everything))
    definitions = {cp: value for cp, value in everything.items() if cp in missing}
    bad = failing(definitions, declare=True)
    lines = [
        "% sphinxarticle-unicode.sty -- Unicode characters pdflatex has no definition for.",
        "% GENERATED by scripts/gen_unicode_sty.py (Greek, math symbols and alphanumerics,",
        "% spaces); a character already defined (T1, textcomp, Sphinx) keeps its definition.",
        "% Any other character prints as a small boxed code point and a LaTeX warning",
        "% 'Article: no glyph for U+1F600' (one per character; pdfcompile collects them), never stops the PDF.",
        r"\NeedsTeXFormat{LaTeX2e}",
        r"\ProvidesPackage{sphinxarticle-unicode}[2026/12/04 sphinx-article Unicode]",
        r"\RequirePackage{sphinxarticle-math}",
        r"\makeatletter",
        r"\newcommand{\ArticleMissingChar}[1]{\fbox{\tiny\ttfamily #1}}",
        r"\def\UTFviii@undefined@err#1{%",
        r"  \begingroup\edef\Article@cp{\expandafter\Article@codepoint\string#1\relax}%",
        r"  \PackageWarningNoLine{sphinxarticle-unicode}{Article: no glyph for \Article@cp}%",
        r"  \ArticleMissingChar{\Article@cp}\endgroup}",
        r"\def\Article@codepoint#1:#2\relax{\expandafter\Article@hex\expandafter{\the\numexpr"
        r"\decode@UTFviii#2\relax}}",
        r"\def\Article@hex#1{\UTFviii@hexcodepoint{#1}}",
        r"\makeatother",
    ]
    for cp in sorted(definitions):
        if cp in bad:
            continue
        lines.append(f"\\DeclareUnicodeCharacter{{{cp:04X}}}{{{definitions[cp]}}}")
    lines.append(r"\endinput")
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{TARGET}: {len(definitions) - len(bad)} characters ({len(bad)} left out)")


if __name__ == "__main__":
    main()
