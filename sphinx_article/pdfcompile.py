"""Compile one PDF so that a formula TeX cannot compile never costs the post its PDF.

Run by the LaTeX ``Makefile`` for each document (``python -m sphinx_article.pdfcompile
STEM LATEXMK-COMMAND...``).  latexmk runs as before (its output in
``STEM.latexmk.log``).  When it fails and the error's ``l.NN`` falls in a formula's span
(the ``%ARTICLE-MATH-BEGIN``/``END`` comment lines ``mathlatex`` writes around every
formula), that formula is replaced by its source in a box (``\\ArticleMathSource``),
an ``article.pdf`` warning names the ``.md`` file and line, and latexmk runs again, at
most :data:`MAX_RECOVERIES` times.  Characters the fonts lack (boxed code points, see
``sphinxarticle-unicode.sty``) are reported once per PDF.  Pure file work; no Sphinx.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .mathlatex import MARK_BEGIN, MARK_END, SIDECAR, source_box

MAX_RECOVERIES = 8
# After a formula inside a macro argument (a title, a caption), TeX reports the error
# where the argument closes: at most this many lines after the formula's span.
ARGUMENT_SLACK = 3
_ERROR_LINE = re.compile(r"^l\.(\d+)")
_GLYPH = re.compile(r"Article: no glyph for U\+([0-9A-F]+)")
_AUX = (".aux", ".out", ".toc", ".fdb_latexmk", ".fls")


@dataclass
class Span:
    """A formula's lines in the ``.tex`` (1-based, inclusive) and its mark."""

    begin: int
    end: int
    number: int
    docname: str


def spans(tex_lines: list[str]) -> list[Span]:
    found: list[Span] = []
    open_marks: dict[str, int] = {}
    for index, line in enumerate(tex_lines, start=1):
        if line.startswith(MARK_BEGIN + " "):
            open_marks[line[len(MARK_BEGIN) + 1:]] = index
        elif line.startswith(MARK_END + " "):
            mark = line[len(MARK_END) + 1:]
            if mark in open_marks:
                number, _, docname = mark.partition(" ")
                if number.isdigit():
                    found.append(Span(open_marks.pop(mark), index, int(number), docname))
    return found


def first_error(log: str) -> tuple[str, int | None]:
    """The first ``! ...`` error message of a TeX log and its ``l.NN`` line."""
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("!") and "==> Fatal" not in line:
            for follow in lines[index + 1:index + 30]:
                match = _ERROR_LINE.match(follow)
                if match:
                    return line[1:].strip(), int(match.group(1))
            return line[1:].strip(), None
    return "", None


def culprit(all_spans: list[Span], line: int) -> Span | None:
    """The formula whose span holds ``line``, or one that ends just before it."""
    inside = [s for s in all_spans if s.begin <= line <= s.end]
    if inside:
        return inside[-1]
    before = [s for s in all_spans if s.end < line <= s.end + ARGUMENT_SLACK]
    return before[-1] if before else None


def replace_span(tex_lines: list[str], span: Span, formula: dict) -> list[str]:
    box = source_box(formula)
    replacement = [f"\n{box}\n"] if formula.get("display") else [f"{box}%"]
    return tex_lines[:span.begin - 1] + replacement + tex_lines[span.end:]


def warning(formula: dict, error: str, fallback: str) -> str:
    where = formula.get("source") or fallback
    if formula.get("line"):
        where = f"{where}:{formula['line']}"
    return (f"{where}: WARNING: a formula did not compile in the PDF ({error}); its "
            "source is shown there in a box instead. Simplify it, or use the commands "
            "listed in the math reference. [article.pdf]")


def _clean(folder: Path, stem: str) -> None:
    for suffix in _AUX:
        (folder / f"{stem}{suffix}").unlink(missing_ok=True)


def compile_document(folder: Path, stem: str, command: list[str]) -> int:
    """latexmk, then formula-level recovery; the exit status of the last run."""
    tex_path = folder / f"{stem}.tex"
    run_log = folder / f"{stem}.latexmk.log"
    try:
        formulas = json.loads((folder / SIDECAR).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        formulas = {}
    try:
        sources = json.loads((folder / "sphinxarticle-documents.json").read_text("utf-8"))
    except (OSError, ValueError):
        sources = {}
    fallback = sources.get(stem, {}).get("source", f"{stem}.tex")
    with run_log.open("w", encoding="utf-8") as handle:
        for attempt in range(MAX_RECOVERIES + 1):
            handle.flush()
            status = subprocess.run([*command, tex_path.name], cwd=folder, stdout=handle,
                                    stderr=subprocess.STDOUT).returncode
            if status == 0 or attempt == MAX_RECOVERIES:
                break
            log_path = folder / f"{stem}.log"
            log = log_path.read_text(encoding="utf-8", errors="replace") \
                if log_path.is_file() else ""
            error, line = first_error(log)
            tex_lines = tex_path.read_text(encoding="utf-8").split("\n")
            span = culprit(spans(tex_lines), line) if line else None
            listed = formulas.get(span.docname, []) if span else []
            if span is None or not 0 < span.number <= len(listed):
                break
            formula = listed[span.number - 1]
            print(warning(formula, error, fallback), file=sys.stderr)
            handle.write(f"\nsphinx-article: replaced formula {span.number} of "
                         f"{span.docname} by its source; compiling again\n")
            tex_path.write_text("\n".join(replace_span(tex_lines, span, formula)),
                                encoding="utf-8")
            _clean(folder, stem)
    if status == 0:
        report_glyphs(folder, stem, fallback)
    return status


def report_glyphs(folder: Path, stem: str, source: str) -> None:
    log_path = folder / f"{stem}.log"
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.is_file() else ""
    missing = sorted(set(_GLYPH.findall(log)), key=lambda cp: int(cp, 16))
    if missing:
        shown = ", ".join(f"U+{cp}" for cp in missing[:12]) + (" ..." if len(missing) > 12
                                                                else "")
        print(f"{source}: WARNING: the PDF's fonts have no glyph for {shown}; these "
              "characters print as boxed code points in the PDF (the web page shows them). "
              "[article.pdf]", file=sys.stderr)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python -m sphinx_article.pdfcompile STEM LATEXMK-COMMAND...",
              file=sys.stderr)
        return 2
    return compile_document(Path.cwd(), argv[0], argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
