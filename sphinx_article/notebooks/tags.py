"""Notebook cell tags an author can get wrong, judged from the notebook's JSON.

A misspelt tag does nothing, silently: ``dark_variant`` pairs no images, ``heros`` lifts
no hero.  The build (``notebooks.read_notebook_post``) and ``sphinx-article check``
(:mod:`.notebook_check`) both call :func:`tag_problems`, so they report the same
``article.cell-tag`` warnings on the same cells.  Tags no tool here knows and that are
close to none of the known ones (``parameters`` for papermill, a team's own labels) are
left alone.

What a tag does with the cell's outputs (a ``hero`` cell with no image, a second hero,
``dark-variant`` images that do not pair) depends on the outputs: the build judges the
outputs it has (``notebook_outputs.py``), ``check`` the outputs saved in the notebook
(:func:`output_tag_problems`), with the same messages from the functions below.
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any

from ..warnings_ import ArticleWarning
from .source import NotebookProblem, cell_line, where

#: tags sphinx-article acts on (also ``"article": {"hero": true}`` in the cell's metadata)
ARTICLE_TAGS = (
    "hero",
    "dark-variant",
    "body",
    "page",
    "screen",
    "width-body",
    "width-page",
    "width-screen",
)
#: keys of a cell's ``"article"`` metadata
ARTICLE_KEYS = ("hero", "dark-variant")
#: tags MyST-NB and Jupyter Book themes act on
OTHER_TAGS = (
    "hide-input",
    "hide-output",
    "hide-cell",
    "remove-input",
    "remove-output",
    "remove-cell",
    "remove-stderr",
    "remove-stdout",
    "raises-exception",
    "skip-execution",
    "full-width",
    "margin",
    "scroll-output",
    "scroll-input",
    "output_scroll",
    "thebe-init",
)
KNOWN_TAGS = ARTICLE_TAGS + OTHER_TAGS
IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")
CUTOFF = 0.8


def _close(name: str, known: tuple[str, ...]) -> str | None:
    """The known name ``name`` was meant to be: same up to case and ``_``/space, or
    a near spelling (``heros``)."""
    folded = name.strip().lower().replace("_", "-").replace(" ", "-")
    if folded in known:
        return folded
    found = get_close_matches(folded, known, n=1, cutoff=CUTOFF)
    return found[0] if found else None


def cell_tags(cell: dict[str, Any]) -> list[str]:
    tags = (cell.get("metadata") or {}).get("tags")
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def cell_flag(cell: dict[str, Any], name: str) -> bool:
    """As ``notebook_outputs.cell_flag``, on the JSON: a tag, or ``"article": {name: true}``."""
    own = (cell.get("metadata") or {}).get("article")
    return name in cell_tags(cell) or (isinstance(own, dict) and own.get(name) is True)


def tag_problems(data: dict[str, Any]) -> list[NotebookProblem]:
    """Misspelt tags and ``article`` metadata keys, and article tags on Markdown cells."""
    problems = []
    for index, cell in enumerate(data.get("cells") or []):
        if not isinstance(cell, dict):
            continue
        line = cell_line(index, 1)
        for tag in cell_tags(cell):
            meant = None if tag in KNOWN_TAGS else _close(tag, KNOWN_TAGS)
            if meant is not None:
                problems.append(
                    NotebookProblem(
                        ArticleWarning.CELL_TAG,
                        (
                            f"{where(index)}: the tag '{tag}' is not a cell tag; did you mean "
                            f"'{meant}'? As written it does nothing."
                        ),
                        line,
                    )
                )
        own = (cell.get("metadata") or {}).get("article")
        if isinstance(own, dict):
            for key in own:
                if key in ARTICLE_KEYS:
                    continue
                meant = _close(str(key), ARTICLE_KEYS)
                hint = (
                    f"did you mean '{meant}'?"
                    if meant
                    else f"the keys are {', '.join(ARTICLE_KEYS)}."
                )
                problems.append(
                    NotebookProblem(
                        ArticleWarning.CELL_TAG,
                        (
                            f"{where(index)}: '{key}' in the cell's \"article\" metadata is not a "
                            f"setting; {hint} As written it does nothing."
                        ),
                        line,
                    )
                )
        if cell.get("cell_type") == "markdown":
            for name in ("hero", "dark-variant"):
                if cell_flag(cell, name):
                    problems.append(
                        NotebookProblem(
                            ArticleWarning.CELL_TAG,
                            (
                                f"{where(index)}: '{name}' acts on a code cell's outputs, and this "
                                "is a Markdown cell; tag the code cell that displays the figure."
                            ),
                            line,
                        )
                    )
    return problems


# -- what a tag does with the outputs: one message each, for the build and check ---------


def hero_without_image(cell: str) -> str:
    return (
        f"{cell} is tagged 'hero' but shows no image output; display a figure in it, "
        "or remove the tag."
    )


def hero_again(cell: str) -> str:
    return (
        f"{cell} is tagged 'hero' but this post already has a hero figure; a post has "
        "at most one. The output stays in place."
    )


def dark_without_image(cell: str) -> str:
    return (
        f"{cell}: the cell is tagged 'dark-variant' but shows no image output; display "
        "the light figure and then its dark twin in it, or remove the tag."
    )


def dark_unpaired(cell: str, count: int) -> str:
    return (
        f"{cell}: the cell is tagged 'dark-variant' but shows {count} image(s); it needs "
        "pairs (each light image followed by its dark twin). The unpaired image is "
        "shown in both modes."
    )


def _image_count(cell: dict[str, Any]) -> int:
    """Image nodes MyST-NB makes of the cell's saved outputs (one per image type)."""
    count = 0
    for output in cell.get("outputs") or []:
        if isinstance(output, dict) and output.get("output_type") in (
            "display_data",
            "execute_result",
        ):
            bundle = output.get("data") or {}
            count += sum(1 for mime in IMAGE_MIMES if mime in bundle)
    return count


def output_tag_problems(
    data: dict[str, Any], has_hero: bool, executes: bool
) -> list[NotebookProblem]:
    """``hero`` and ``dark-variant`` judged on the outputs saved in the notebook.
    ``has_hero``: a Markdown cell already has a ``hero-figure``; ``executes``: the build
    runs the notebook, so a cell never run (no outputs, no execution count) is left to
    the build, which will have its outputs."""
    problems = []
    for index, cell in enumerate(data.get("cells") or []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        outputs = cell.get("outputs")
        if executes and not outputs and cell.get("execution_count") is None:
            continue
        line, count = cell_line(index, 1), _image_count(cell)
        if cell_flag(cell, "dark-variant") and outputs:  # no outputs: nothing to pair
            if count == 0:
                problems.append(
                    NotebookProblem(ArticleWarning.NOTEBOOK, dark_without_image(where(index)), line)
                )
            elif count % 2:
                problems.append(
                    NotebookProblem(
                        ArticleWarning.NOTEBOOK, dark_unpaired(where(index), count), line
                    )
                )
        if cell_flag(cell, "hero"):
            lights = count - count // 2 if cell_flag(cell, "dark-variant") else count
            if lights == 0:
                problems.append(
                    NotebookProblem(ArticleWarning.HERO, hero_without_image(where(index)), line)
                )
            elif has_hero:
                problems.append(
                    NotebookProblem(ArticleWarning.HERO, hero_again(where(index)), line)
                )
            else:
                has_hero = True
    return problems
