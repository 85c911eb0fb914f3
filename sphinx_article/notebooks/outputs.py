"""Notebook outputs the reader cannot run and cells too long to read at once.

* ipywidgets outputs need a live kernel: their static fallback (an image or the text
  version) is shown, or a note saying so, never an empty box and never script
  (:func:`widget_fallback`);
* a code cell longer than ``article_notebook_fold_lines`` folds into a ``<details>``
  showing its first lines; the PDF and print show the whole cell (:func:`fold_long_inputs`);
* a cell tagged ``dark-variant`` (or with ``"article": {"dark-variant": true}`` in its
  metadata, as for every flag here) shows its image outputs in pairs, the second of each pair
  being the dark-mode twin of the first: the same ``only-light``/``only-dark`` classes as
  a ``{figure}``'s ``:dark:``, so base.css and figures.py's LaTeX rule apply unchanged
  (:func:`mark_dark_variants`);
* a cell tagged ``hero`` gives its first image output to the post as its ``hero-figure``
  (:func:`lift_hero_output`).
"""

from __future__ import annotations

from html import escape
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from ..domain import get_record
from ..features.hero import HERO, hero_caption, hero_figure, hero_media, store_hero
from ..visitors import for_formats, pass_node
from ..warnings_ import ArticleWarning, warn
from .tags import dark_unpaired, dark_without_image, hero_again, hero_without_image

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: a widget output's own static versions, best first
WIDGET_FALLBACKS = ("image/svg+xml", "image/png", "image/jpeg", "image/gif", "text/plain")
WIDGET_NOTE = "Interactive widget: it needs a live kernel; open the notebook in Jupyter to use it."
PREVIEW_LINES = 8


def cell_flag(cell: nodes.Element, name: str) -> bool:
    """A cell tag ``name``, or ``"article": {name: true}`` in the cell's metadata."""
    if f"tag_{name}" in cell.get("classes", ()):
        return True
    own = (cell.get("cell_metadata") or {}).get("article")
    return isinstance(own, dict) and own.get(name) is True


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
        warn(
            ArticleWarning.NOTEBOOK,
            f"{_where(bundle)}: an ipywidgets output needs a live "
            f"kernel, so {what} is shown; display a static figure too if readers need it.",
            location=bundle,
        )
        return False
    for mime in list(mimes):  # anything else (HTML, JavaScript) would be an empty box
        bundle.remove(mimes.pop(mime))
    note = nodes.container(classes=["article-nb-widget"])
    note += nodes.paragraph("", WIDGET_NOTE)
    note.source, note.line = bundle.source, bundle.line
    bundle.replace_self(note)
    warn(
        ArticleWarning.NOTEBOOK,
        f"{_where(note)}: an ipywidgets output has no static "
        "version and needs a live kernel; the post shows a note in its place.",
        location=note,
    )
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
            if not (
                isinstance(source, nodes.container)
                and source.get("nb_element") == "cell_code_source"
            ):
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
        f"{escape(node['preview'])}</pre>"
        f'<span class="article-nb-fold-label">Show all {count} lines of this code cell'
        "</span></summary>\n"
    )


def depart_fold_html(self: Any, node: fold_input) -> None:
    self.body.append("</details>\n")


# -- dark variants -----------------------------------------------------------------------


def mark_dark_variants(doctree: nodes.document) -> None:
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code" or not cell_flag(cell, "dark-variant"):
            continue
        images = [
            image for image in cell.findall(nodes.image) if "only-dark" not in image["classes"]
        ]
        if not images and not _has_no_outputs(cell):
            warn(ArticleWarning.NOTEBOOK, dark_without_image(_where(cell)), location=cell)
        if len(images) % 2:
            warn(ArticleWarning.NOTEBOOK, dark_unpaired(_where(cell), len(images)), location=cell)
        for light, dark in zip(images[::2], images[1::2], strict=False):
            light["classes"].append("only-light")
            dark["classes"].append("only-dark")
            figure = _figure_of(dark, cell)
            if figure is not None and figure is not _figure_of(light, cell):
                # one figure, one caption, as a {figure}'s :dark: twin
                dark.parent.remove(dark)
                light.parent.insert(light.parent.index(light) + 1, dark)
                figure.parent.remove(figure)
            if not dark.get("alt", "").strip():
                dark["alt"] = light.get("alt", "")


def _has_no_outputs(cell: nodes.Element) -> bool:
    """A code cell with no outputs at all (not run, or silent): nothing to pair."""
    return not any(
        child.get("nb_element") == "cell_code_output"
        for child in cell.children
        if isinstance(child, nodes.Element)
    )


# -- a named figure in a dark-variant cell ---------------------------------------------------

#: where :func:`hold_figure_names` keeps a dark-variant cell's ``mystnb.figure.name``
HELD_NAME = "figure-name"


def hold_figure_names(data: dict[str, Any]) -> None:
    """source-read: MyST-NB gives every image output of a cell its own figure with the
    cell's ``mystnb.figure.name``; a ``dark-variant`` pair would be two targets of one name
    (docutils: "Duplicate explicit target name", and ``{numref}`` to it fails).  The name is
    held in the cell's ``article`` metadata and given to the first figure only
    (:class:`NameHeldFigure`)."""
    for cell in data.get("cells") or []:
        meta = cell.get("metadata") if isinstance(cell, dict) else None
        if not isinstance(meta, dict) or cell.get("cell_type") != "code":
            continue
        own, article = meta.get("mystnb"), meta.get("article")
        figure = own.get("figure") if isinstance(own, dict) else None
        listed = meta.get("tags")
        tags = listed if isinstance(listed, list) else []
        dark = "dark-variant" in tags or (
            isinstance(article, dict) and article.get("dark-variant") is True
        )
        if not (dark and isinstance(figure, dict) and figure.get("name")):
            continue
        if not isinstance(article, dict):
            article = meta["article"] = {}
        article[HELD_NAME] = str(figure.pop("name"))


class NameHeldFigure(SphinxTransform):
    """The held name on the cell's first figure, before Sphinx's domains collect labels."""

    default_priority = 840  # SphinxDomains is 850

    def apply(self, **kwargs: Any) -> None:
        for cell in self.document.findall(nodes.container):
            if cell.get("nb_element") != "cell_code":
                continue
            own = (cell.get("cell_metadata") or {}).get("article")
            name = own.get(HELD_NAME) if isinstance(own, dict) else None
            figure = next(iter(cell.findall(nodes.figure)), None)
            if not name or figure is None:
                continue
            figure["names"].append(nodes.fully_normalize_name(str(name)))
            kept, figure["ids"] = figure["ids"], []  # the anchor is the name, as unpaired
            self.document.note_explicit_target(figure, figure)
            figure["ids"] += [i for i in kept if i not in figure["ids"]]


def setup_notebook_outputs(app: Sphinx) -> None:
    app.add_transform(NameHeldFigure)
    app.add_node(
        fold_input,
        html=(visit_fold_html, depart_fold_html),
        **for_formats(("latex", "text", "man", "texinfo"), pass_node, pass_node),
    )


# -- a cell output as the post's hero ----------------------------------------------------


def lift_hero_output(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A code cell tagged ``hero``: its first image output becomes the post's
    ``hero-figure`` (the same node and record as the directive's, so the title block,
    cards, ``og:image`` and the PDF treat it alike); a ``dark-variant`` twin becomes the
    hero's dark image and a ``mystnb.figure`` caption its caption."""
    for cell in list(doctree.findall(nodes.container)):
        if cell.get("nb_element") != "cell_code" or not cell_flag(cell, "hero"):
            continue
        images = [i for i in cell.findall(nodes.image) if "only-dark" not in i["classes"]]
        if not images:
            warn(ArticleWarning.HERO, hero_without_image(_where(cell)), location=cell)
            continue
        first = get_record(app.env, docname, HERO)
        if first is not None:
            warn(ArticleWarning.HERO, hero_again(_where(cell)), location=cell)
            continue
        image = images[0]
        rel = image["uri"].lstrip("/")
        alt = image.get("alt", "")
        twin = _dark_twin(image)
        dark = twin["uri"].lstrip("/") if twin is not None else ""
        media = hero_media("image", alt, rel, dark)
        widths = [t[4:] for t in cell["classes"] if t in ("tag_body", "tag_page", "tag_screen")]
        width = widths[-1] if widths else "page"
        hero = hero_figure(width=width, docname=docname)
        hero.source, hero.line = cell.source, cell.line
        hero += media
        figure = _figure_of(image, cell)
        caption = figure.next_node(nodes.caption) if figure is not None else None
        if caption is not None:
            hero += hero_caption("", nodes.paragraph("", "", *caption.deepcopy().children))
        for shown in (image, twin):
            if shown is None:
                continue
            moved: nodes.Element = _figure_of(shown, cell) or shown
            if moved.parent is not None and moved in moved.parent.children:
                moved.parent.remove(moved)
        cell.parent.insert(cell.parent.index(cell), hero)
        store_hero(app.env, docname, cell.line or 1, main=rel, alt=alt, width=width, dark=dark)


def _figure_of(image: nodes.Node, cell: nodes.Node) -> nodes.figure | None:
    """The figure (MyST-NB's ``mystnb.figure``) holding an output image, if any."""
    node = image.parent
    while node is not None and node is not cell:
        if isinstance(node, nodes.figure):
            return node
        node = node.parent
    return None


def _dark_twin(image: nodes.image) -> nodes.image | None:
    """The ``only-dark`` image paired with ``image`` (the next one in its cell)."""
    if "only-light" not in image["classes"]:
        return None
    cell = image.parent
    while cell is not None and cell.get("nb_element") != "cell_code":
        cell = cell.parent
    if cell is None:
        return None
    found = False
    for other in cell.findall(nodes.image):
        if other is image:
            found = True
        elif found and "only-dark" in other["classes"]:
            return other
    return None
