"""A notebook's JSON -> front matter, checks and sanitised outputs (no Sphinx needed).

The build (``notebooks.py``) and ``sphinx-article check`` both call these functions, so
a notebook is judged by the same rules in either.  Locations follow MyST-NB's convention
for ``.ipynb`` files: line ``(cell + 1) * 10000 + line + 1`` (``cell`` counted from 0),
so article warnings sort with MyST-NB's own; messages also say "cell N, line L".
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import yaml

from ..model.frontmatter import Post, Problem, parse_post
from ..warnings_ import ArticleWarning

#: notebook-level metadata MyST-NB needs; everything else (authors, usernames, paths,
#: tool state) is dropped before MyST-NB sees the notebook, so it never reaches a page
KEPT_METADATA = ("kernelspec", "language_info", "mystnb", "widgets")


def cell_line(cell: int, line: int) -> int:
    """The location line of ``line`` (1-based) in cell ``cell`` (0-based), as MyST-NB."""
    return (cell + 1) * 10000 + line + 1


def where(cell: int, line: int | None = None) -> str:
    return f"Cell {cell + 1}" + (f", line {line}" if line else "")


def first_line_heading(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def cell_text(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


@dataclass
class NotebookProblem:
    """One mistake in a notebook: subtype, message, and the location line (MyST-NB style)."""

    subtype: ArticleWarning
    message: str
    line: int


@dataclass
class Notebook:
    """A parsed notebook and what was wrong with it."""

    data: dict[str, Any] | None
    problems: list[NotebookProblem] = field(default_factory=list)
    front_cell: int | None = None  # the Markdown cell the front matter came from


def load_notebook(text: str) -> Notebook:
    """Parse JSON and check it is nbformat 4; a notebook that is not is ``data=None``."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", 1)
        detail = getattr(exc, "msg", str(exc))
        return Notebook(
            None,
            [
                NotebookProblem(
                    ArticleWarning.NOTEBOOK,
                    f"The notebook is not "
                    f"valid JSON ({detail}, line {line}); open and save it again in "
                    f"Jupyter. It is shown as an empty page until then.",
                    line,
                )
            ],
        )
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return Notebook(
            None,
            [
                NotebookProblem(
                    ArticleWarning.NOTEBOOK,
                    "The file is not a "
                    "Jupyter notebook (no 'cells' list); save it from Jupyter as .ipynb. "
                    "It is shown as an empty page until then.",
                    1,
                )
            ],
        )
    major = data.get("nbformat")
    if major != 4:
        return Notebook(
            None,
            [
                NotebookProblem(
                    ArticleWarning.NOTEBOOK,
                    f"The notebook is "
                    f"nbformat {major!r}, not 4; convert it with 'jupyter nbconvert "
                    f"--to notebook' (or open and save it in a current Jupyter). It is "
                    f"shown as an empty page until then.",
                    1,
                )
            ],
        )
    if not isinstance(data.get("metadata", {}), dict):
        data["metadata"] = {}
    for index, cell in enumerate(data["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("markdown", "code", "raw"):
            return Notebook(
                None,
                [
                    NotebookProblem(
                        ArticleWarning.NOTEBOOK,
                        f"{where(index)} "
                        f"is not a notebook cell (markdown, code or raw); save the notebook "
                        f"from Jupyter again.",
                        cell_line(index, 1),
                    )
                ],
            )
    return Notebook(data)


def front_matter(
    docname: str, notebook: Notebook, default_license: str
) -> tuple[Post, list[NotebookProblem]]:
    """The post record from the first Markdown cell's YAML block, else ``article`` metadata.

    The YAML lines are blanked in the cell (line numbers stay) and ``article`` is removed
    from the metadata, so MyST-NB never renders them.
    """
    data = notebook.data or {"cells": [], "metadata": {}}
    cells = data["cells"]
    first = next((i for i, c in enumerate(cells) if c.get("cell_type") == "markdown"), None)
    if first is not None and cell_text(cells[first]).lstrip("\ufeff").startswith("---"):
        text = cell_text(cells[first])
        post, problems = parse_post(docname, text, default_license)
        notebook.front_cell = first
        located = [_in_cell(p, first) for p in problems]
        post.lines = {key: cell_line(first, line) for key, line in post.lines.items()}
        lines = text.splitlines(keepends=True)
        cells[first]["source"] = "\n" * post.length + "".join(lines[post.length :])
    elif isinstance(data["metadata"].get("article"), dict):
        meta = data["metadata"]["article"]
        text = "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"
        post, problems = parse_post(docname, text, default_license)
        located = [
            NotebookProblem(p.subtype, f"Notebook metadata 'article': {p.message}", 1)
            for p in problems
        ]
        post.lines = {key: 1 for key in post.lines}
        post.length = 0
    else:
        post, _ = parse_post(docname, "", default_license)
        located = [
            NotebookProblem(
                ArticleWarning.REQUIRED,
                "The notebook post has no front "
                "matter; start its first Markdown cell with a '---' block giving title, "
                "description and authors (or add 'article' to the notebook's metadata).",
                cell_line(first or 0, 1),
            )
        ]
    data["metadata"].pop("article", None)
    if not post.title:
        post.title = next(
            (
                h
                for c in cells
                if c.get("cell_type") == "markdown"
                for h in [first_line_heading(cell_text(c))]
                if h
            ),
            "",
        )
    return post, located


def _in_cell(problem: Problem, cell: int) -> NotebookProblem:
    return NotebookProblem(
        problem.subtype,
        f"{where(cell, problem.line)}: {problem.message}",
        cell_line(cell, problem.line),
    )


def strip_metadata(data: dict[str, Any]) -> None:
    """Keep only the notebook metadata MyST-NB needs; cell metadata keeps tags and options."""
    metadata = data.get("metadata", {})
    data["metadata"] = {k: metadata[k] for k in KEPT_METADATA if k in metadata}


def anonymise(data: dict[str, Any]) -> None:
    """For the review build: no authors, kernel paths, or home folders in tracebacks."""
    strip_metadata(data)
    home = re.compile(r"(/home/|/Users/|C:\\\\Users\\\\|C:\\Users\\)[^/\\\s\"']+")
    for cell in data.get("cells", []):
        cell.get("metadata", {}).pop("collapsed", None)
        for output in cell.get("outputs", []) or []:
            if output.get("output_type") == "error":
                output["traceback"] = [
                    home.sub(r"\1anonymous", t) for t in output.get("traceback", [])
                ]
            if output.get("output_type") == "stream":
                text = output.get("text", "")
                text = "".join(text) if isinstance(text, list) else text
                output["text"] = home.sub(r"\1anonymous", text)


def output_size(output: dict[str, Any]) -> int:
    return len(json.dumps(output, ensure_ascii=False).encode("utf-8", "replace"))


def check_outputs(data: dict[str, Any], budget_kb: int) -> list[NotebookProblem]:
    """Outputs over the budget are replaced by a note; error outputs are reported."""
    problems: list[NotebookProblem] = []
    for index, cell in enumerate(data.get("cells", [])):
        outputs = cell.get("outputs")
        if cell.get("cell_type") != "code" or not isinstance(outputs, list):
            continue
        for number, output in enumerate(outputs):
            if not isinstance(output, dict):
                continue
            size = output_size(output)
            if budget_kb and size > budget_kb * 1024:
                problems.append(
                    NotebookProblem(
                        ArticleWarning.NOTEBOOK,
                        f"{where(index)}: "
                        f"output {number + 1} is {size // 1024} KB, over the "
                        f"{budget_kb} KB budget (article_notebook_output_budget_kb); "
                        f"it is left out. Save large data to a file, shrink the figure, "
                        f"or print a summary.",
                        cell_line(index, 1),
                    )
                )
                outputs[number] = {
                    "output_type": "stream",
                    "name": "stdout",
                    "text": f"[output {number + 1} left out: {size // 1024} KB is over "
                    f"the site's budget]\n",
                }
    return problems


def error_outputs(data: dict[str, Any]) -> list[NotebookProblem]:
    """Each stored error output is a located warning (the post still shows it)."""
    problems = []
    for index, cell in enumerate(data.get("cells", [])):
        for output in cell.get("outputs", []) or []:
            if isinstance(output, dict) and output.get("output_type") == "error":
                problems.append(
                    NotebookProblem(
                        ArticleWarning.NOTEBOOK,
                        f"{where(index)} "
                        f"raised {output.get('ename', 'an error')}: "
                        f"{str(output.get('evalue', ''))[:200]}; fix the code (or tag "
                        f"the cell 'raises-exception' if the error is the point).",
                        cell_line(index, 1),
                    )
                )
    return problems


# -- HTML outputs --------------------------------------------------------------------

ALLOWED_TAGS = frozenset(
    {
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "colgroup",
        "col",
        "div",
        "span",
        "p",
        "br",
        "b",
        "i",
        "em",
        "strong",
        "code",
        "pre",
        "sub",
        "sup",
        "small",
    }
)
ALLOWED_ATTRS = frozenset(
    {"class", "style", "colspan", "rowspan", "align", "valign", "halign", "title", "scope"}
)
#: tags whose whole content is dropped, not just the tag
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "template",
        "noscript",
        "svg",
        "math",
        "textarea",
        "select",
    }
)
_BAD_CSS = re.compile(
    r"url\s*\(|expression\s*\(|@import|javascript:|behavior\s*:|-moz-binding"
    r"|\\",
    re.I,
)
VOID = frozenset({"br", "col"})


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.removed: set[str] = set()
        self.skip = 0
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self.removed.add(f"<{tag}>")
            if tag not in VOID:
                self.skip += 1
            return
        if self.skip:
            return
        if tag not in ALLOWED_TAGS:
            self.removed.add(f"<{tag}>")
            return
        kept = []
        for name, value in attrs:
            value = value or ""
            if name not in ALLOWED_ATTRS or (name == "style" and _BAD_CSS.search(value)):
                self.removed.add(f"{name}=")
                continue
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in self.open and tag not in VOID and self.open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip or tag not in ALLOWED_TAGS or tag in VOID or tag not in self.open:
            return
        while self.open:
            top = self.open.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        pass

    def close(self) -> None:
        super().close()
        self.out.extend(f"</{tag}>" for tag in reversed(self.open))
        self.open = []


def sanitise_html(text: str) -> tuple[str, list[str]]:
    """Tables, text formatting and inline styles survive; script, event handlers, links,
    images, forms, frames and ``url()`` styles do not.  Returns the HTML and what was cut.
    """
    parser = _Sanitiser()
    parser.feed(text)
    parser.close()
    return "".join(parser.out), sorted(parser.removed)
