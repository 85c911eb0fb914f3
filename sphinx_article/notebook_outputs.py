"""Notebook outputs the reader cannot run and cells too long to read at once.

* ipywidgets outputs need a live kernel: their static fallback (an image or the text
  version) is shown, or a note saying so, never an empty box and never script
  (:func:`widget_fallback`);
* a code cell longer than ``article_notebook_fold_lines`` folds into a ``<details>``
  showing its first lines; the PDF and print show the whole cell (:func:`fold_long_inputs`);
* a cell tagged ``dark-variant`` shows its image outputs in pairs, the second of each pair
  being the dark-mode twin of the first: the same ``only-light``/``only-dark`` classes as
  a ``{figure}``'s ``:dark:``, so base.css and figures.py's LaTeX rule apply unchanged
  (:func:`mark_dark_variants`).
"""

from __future__ import annotations

from html import escape
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from .warnings_ import ArticleWarning, warn

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: a widget output's own static versions, best first
WIDGET_FALLBACKS = ("image/svg+xml", "image/png", "image/jpeg", "image/gif", "text/plain")
WIDGET_NOTE = ("Interactive widget: it needs a live kernel; open the notebook "
               "(Download notebook, above) to use it.")
PREVIEW_LINES = 8
DARK_TAG = "tag_dark-variant"


def _where(node: nodes.Node) -> str:
    line = node.line or 0
    return f"Cell {line // 10000}" if line >= 10000 else "A cell"


# -- ipywidgets ------------------------------------------------------------------------

def widget_fallback(bundle: nodes.container, mimes: dict[str, nodes.Element]) -> bool:
    """Drop a widget view from its bundle; keep a static fallback or put a note instead
    (True: the bundle was replaced by the note)."""
    if WIDGET_MIME not in mimes:
        return False
    bundle.remove(mimes.pop(WIDGET_MIME))
    kept = [m for m in WIDGET_FALLBACKS if m in mimes]
    if kept:
        what = "its static image" if kept[0].startswith("image/") else "its text version"
        warn(ArticleWarning.NOTEBOOK, f"{_where(bundle)}: an ipywidgets output needs a live "
             f"kernel, so {what} is shown; display a static figure too if readers need it.",
             location=bundle)
        return False
    for mime in list(mimes):  # anything else (HTML, JavaScript) would be an empty box
        bundle.remove(mimes.pop(mime))
    note = nodes.container(classes=["article-nb-widget"])
    note += nodes.paragraph("", WIDGET_NOTE)
    note.source, note.line = bundle.source, bundle.line
    bundle.replace_self(note)
    warn(ArticleWarning.NOTEBOOK, f"{_where(note)}: an ipywidgets output has no static "
         "version and needs a live kernel; the post shows a note in its place.",
         location=note)
    return True


# -- long input cells --------------------------------------------------------------------

class fold_input(nodes.General, nodes.Element):
    """A long code cell's source: folded on the web, whole in the PDF."""


def fold_long_inputs(app: Sphinx, doctree: nodes.document) -> None:
    limit = app.config.article_notebook_fold_lines
    if not limit:
        return
    for cell in list(doctree.findall(nodes.container)):
        if cell.get("nb_element") != "cell_code":
            continue
        if {"tag_hide-input", "tag_hide-cell"} & set(cell.get("classes", ())):
            continue  # already folded by MyST-NB
        for source in list(cell.children):
            if not (isinstance(source, nodes.container)
                    and source.get("nb_element") == "cell_code_source"):
                continue
            code = source.next_node(nodes.literal_block)
            lines = code.astext().split("\n") if code is not None else []
            if len(lines) <= limit:
                continue
            fold = fold_input(lines=len(lines), preview="\n".join(lines[:PREVIEW_LINES]))
            fold.source, fold.line = source.source, source.line
            source.replace_self(fold)
            fold += source


def visit_fold_html(self: Any, node: fold_input) -> None:
    count = node["lines"]
    self.body.append(
        '<details class="article-nb-fold">'
        f'<summary><pre class="article-nb-fold-preview" aria-hidden="true">'
        f'{escape(node["preview"])}</pre>'
        f'<span class="article-nb-fold-label">Show all {count} lines of this code cell'
        "</span></summary>\n")


def depart_fold_html(self: Any, node: fold_input) -> None:
    self.body.append("</details>\n")


def _pass(self: Any, node: nodes.Node) -> None:
    """Other builders (the PDF) show the whole cell."""


# -- dark variants -----------------------------------------------------------------------

def mark_dark_variants(doctree: nodes.document) -> None:
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code" or DARK_TAG not in cell.get("classes", ()):
            continue
        images = [image for image in cell.findall(nodes.image)
                  if "only-dark" not in image["classes"]]
        if len(images) % 2:
            warn(ArticleWarning.NOTEBOOK, f"{_where(cell)}: the cell is tagged 'dark-variant' "
                 f"but shows {len(images)} image(s); it needs pairs (each light image "
                 "followed by its dark twin). The unpaired image is shown in both modes.",
                 location=cell)
        for light, dark in zip(images[::2], images[1::2]):
            light["classes"].append("only-light")
            dark["classes"].append("only-dark")
            if not dark.get("alt", "").strip():
                dark["alt"] = light.get("alt", "")


def setup_notebook_outputs(app: Sphinx) -> None:
    app.add_node(fold_input, html=(visit_fold_html, depart_fold_html),
                 latex=(_pass, _pass), text=(_pass, _pass), man=(_pass, _pass),
                 texinfo=(_pass, _pass))
