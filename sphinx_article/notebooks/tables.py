"""HTML table outputs (pandas DataFrames) as real tables in the PDF.

MyST-NB's LaTeX builder has no use for ``text/html``, so a DataFrame fell back to its
``text/plain`` repr; and a ``text/latex`` output is set as *math*, which a ``tabular``
is not.  The sanitised HTML table is read into a docutils table instead and added to
the output as its ``text/latex`` version: Sphinx's LaTeX writer escapes every cell (no
author LaTeX reaches the PDF) and sets it like any other table; the web keeps the HTML.
"""

from __future__ import annotations

from html.parser import HTMLParser

from docutils import nodes

#: the PDF table's limits (pandas shows at most 60 rows and 20 columns by default)
MAX_ROWS, MAX_COLS = 200, 30


class _TableReader(HTMLParser):
    """The first ``<table>``: header rows and body rows of cell texts (spans expanded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head: list[list[str]] = []
        self.body: list[list[str]] = []
        self.depth = 0
        self.done = False
        self.section = "body"
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.span = 1
        self.pending: dict[int, int] = {}  # column -> rows still covered by a rowspan

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "table":
            self.depth += 1
        elif self.depth != 1:
            return
        elif tag == "thead":
            self.section = "head"
        elif tag == "tbody":
            self.section = "body"
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self._fill_rowspans()
            self.cell = []
            values = dict(attrs)
            self.span = _int(values.get("colspan"))
            rows = _int(values.get("rowspan"))
            if rows > 1:
                for col in range(len(self.row), len(self.row) + self.span):
                    self.pending[col] = rows - 1

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if tag == "table":
            self.depth -= 1
            self.done = self.depth == 0
        elif self.depth != 1:
            return
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.extend([" ".join("".join(self.cell).split())] + [""] * (self.span - 1))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self._fill_rowspans()
            (self.head if self.section == "head" else self.body).append(self.row)
            self.row = None
        elif tag == "thead":
            self.section = "body"

    def _fill_rowspans(self) -> None:
        assert self.row is not None
        while self.pending.get(len(self.row), 0) > 0:
            self.pending[len(self.row)] -= 1
            self.row.append("")

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), MAX_COLS))
    except ValueError:
        return 1


def html_table(html: str) -> nodes.table | None:
    """A docutils table from the first HTML table in ``html`` (None: no table)."""
    reader = _TableReader()
    reader.feed(html)
    reader.close()
    rows = reader.head + reader.body
    if not rows or not reader.body:
        return None
    width = min(max(len(row) for row in rows), MAX_COLS)
    table = nodes.table(classes=["article-nb-table"])
    group = nodes.tgroup(cols=width)
    table += group
    for _ in range(width):
        group += nodes.colspec(colwidth=1)

    def section(kind: type[nodes.Element], source: list[list[str]]) -> nodes.Element:
        part = kind()
        for cells in source:
            row = nodes.row()
            for text in (cells + [""] * width)[:width]:
                entry = nodes.entry()
                entry += nodes.paragraph("", text)
                row += entry
            part += row
        return part

    if reader.head:
        group += section(nodes.thead, reader.head)
    group += section(nodes.tbody, reader.body[:MAX_ROWS])
    return table


def add_latex_table(
    bundle: nodes.container, mimes: dict[str, nodes.Element], html: str | None
) -> None:
    """Give an HTML table output a ``text/latex`` version built from its table; a
    ``tabular`` with no HTML table beside it is dropped (set as math it would break the
    page and the PDF), leaving the text version."""
    table = html_table(html) if html else None
    if table is None:
        old = mimes.get("text/latex")
        if old is not None and "tabular" in old.astext() and len(mimes) > 1:
            bundle.remove(mimes.pop("text/latex"))
        return
    old = mimes.get("text/latex")
    if old is not None:
        if "tabular" not in old.astext():
            return  # a real LaTeX (math) output wins
        bundle.remove(old)
    version = nodes.container(mime_type="text/latex")
    version += table
    bundle.append(version)
    mimes["text/latex"] = version
