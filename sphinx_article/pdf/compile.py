"""Compile one PDF so that a formula TeX cannot compile never costs the post its PDF.

Run by the LaTeX ``Makefile`` for each document (``python -m sphinx_article.pdf.compile
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
    """A formula in the ``.tex``: its lines (1-based, inclusive), its characters
    (``start``: the mark line, ``stop``: past the formula) and its mark."""

    begin: int
    end: int
    start: int
    stop: int
    number: int
    docname: str


def spans(text: str) -> list[Span]:
    """Every marked formula: display ones run from their BEGIN to their END comment
    line; inline ones (no END line, so the text after them keeps its space) from the
    BEGIN line to the ``\\)`` closing the ``\\(`` on the next line."""
    found: list[Span] = []
    open_marks: dict[str, tuple[int, int]] = {}
    offset = 0
    lines = text.split("\n")
    for index, line in enumerate(lines, start=1):
        if line.startswith(MARK_BEGIN + " "):
            mark = line[len(MARK_BEGIN) + 1 :]
            after = offset + len(line) + 1
            if text.startswith("\\(", after):
                close = text.find("\\)", after)
                number, _, docname = mark.partition(" ")
                if close >= 0 and number.isdigit():
                    stop = close + 2
                    found.append(
                        Span(
                            index,
                            index + text.count("\n", offset, stop),
                            offset,
                            stop,
                            int(number),
                            docname,
                        )
                    )
            else:
                open_marks[mark] = (index, offset)
        elif line.startswith(MARK_END + " "):
            mark = line[len(MARK_END) + 1 :]
            if mark in open_marks:
                number, _, docname = mark.partition(" ")
                begin, start = open_marks.pop(mark)
                if number.isdigit():
                    found.append(
                        Span(begin, index, start, offset + len(line), int(number), docname)
                    )
        offset += len(line) + 1
    return sorted(found, key=lambda span: span.begin)


def first_error(log: str) -> tuple[str, int | None, str]:
    """The first ``! ...`` error of a TeX log: its message, its ``l.NN`` line and the
    text TeX shows after that line number (where it stopped)."""
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("!") and "==> Fatal" not in line:
            for follow in lines[index + 1 : index + 30]:
                match = _ERROR_LINE.match(follow)
                if match:
                    return line[1:].strip(), int(match.group(1)), follow[match.end() :].strip()
            return line[1:].strip(), None, ""
    return "", None, ""


def culprit(all_spans: list[Span], line: int) -> Span | None:
    """The formula whose span holds ``line``, or one that ends just before it."""
    inside = [s for s in all_spans if s.begin <= line <= s.end]
    if inside:
        return inside[-1]
    before = [s for s in all_spans if s.end < line <= s.end + ARGUMENT_SLACK]
    return before[-1] if before else None


def replace_span(text: str, span: Span, formula: dict) -> str:
    """The ``.tex`` with the formula (and its marks) replaced by its source box."""
    box = source_box(formula)
    return (
        text[: span.start] + (f"\n{box}\n" if formula.get("display") else box) + text[span.stop :]
    )


def warning(formula: dict, error: str, fallback: str) -> str:
    where = formula.get("source") or fallback
    if formula.get("line"):
        where = f"{where}:{formula['line']}"
    return (
        f"{where}: WARNING: a formula did not compile in the PDF ({error}); its "
        "source is shown there in a box instead. Simplify it, or use the commands "
        "listed in the math reference. [article.pdf]"
    )


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
    replaced: list[str] = []
    previous: tuple[str, str, str] | None = None  # error, where TeX stopped, the .tex
    with run_log.open("w", encoding="utf-8") as handle:
        for attempt in range(MAX_RECOVERIES + 1):
            handle.flush()
            status = subprocess.run(
                [*command, tex_path.name], cwd=folder, stdout=handle, stderr=subprocess.STDOUT
            ).returncode
            if status == 0 or attempt == MAX_RECOVERIES:
                break
            log_path = folder / f"{stem}.log"
            log = (
                log_path.read_text(encoding="utf-8", errors="replace") if log_path.is_file() else ""
            )
            error, line, context = first_error(log)
            tex_text = tex_path.read_text(encoding="utf-8")
            all_spans = spans(tex_text)
            span = culprit(all_spans, line) if line else None
            inside = span is not None and span.begin <= (line or 0) <= span.end
            if previous is not None and previous[:2] == (error, context) and not inside:
                # the same error after replacing a formula, and not in another formula:
                # it was not that formula's; put it back and report the failure as it is
                tex_path.write_text(previous[2], encoding="utf-8")
                replaced.pop()
                _clean(folder, stem)
                status = subprocess.run(
                    [*command, tex_path.name], cwd=folder, stdout=handle, stderr=subprocess.STDOUT
                ).returncode
                break
            listed = formulas.get(span.docname, []) if span else []
            if span is None or not 0 < span.number <= len(listed):
                break
            formula = listed[span.number - 1]
            replaced.append(warning(formula, error, fallback))
            handle.write(
                f"\nsphinx-article: replaced formula {span.number} of "
                f"{span.docname} by its source; compiling again\n"
            )
            tex_path.write_text(replace_span(tex_text, span, formula), encoding="utf-8")
            previous = (error, context, tex_text)
            _clean(folder, stem)
    for message in replaced:
        print(message, file=sys.stderr)
    if status == 0:
        report_glyphs(folder, stem, fallback)
    return status


def report_glyphs(folder: Path, stem: str, source: str) -> None:
    log_path = folder / f"{stem}.log"
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.is_file() else ""
    missing = sorted(set(_GLYPH.findall(log)), key=lambda cp: int(cp, 16))
    if missing:
        shown = ", ".join(f"U+{cp}" for cp in missing[:12]) + (" ..." if len(missing) > 12 else "")
        print(
            f"{source}: WARNING: the PDF's fonts have no glyph for {shown}; these "
            "characters print as boxed code points in the PDF (the web page shows them). "
            "[article.pdf]",
            file=sys.stderr,
        )


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(
            "usage: python -m sphinx_article.pdf.compile STEM LATEXMK-COMMAND...", file=sys.stderr
        )
        return 2
    return compile_document(Path.cwd(), argv[0], argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
