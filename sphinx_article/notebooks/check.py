"""``sphinx-article check`` on a notebook post (``index.ipynb``), without a build.

The same rules as the build (:mod:`.notebook_source`): front matter from the first
Markdown cell, unreadable notebooks, outputs over the budget, stored errors, script in
HTML outputs, misspelt cell tags and what ``hero``/``dark-variant`` do with the saved
outputs (:mod:`.notebook_tags`); and the Markdown checks ``check`` runs on ``.md`` posts
(images, alt text, citations, colours), cell by cell, located as the build locates them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import mdscan
from .glue import IMAGE_MIMES as GLUE_IMAGES
from .glue import not_an_image, unknown_key
from .source import (
    cell_line,
    cell_text,
    check_outputs,
    error_outputs,
    front_matter,
    load_notebook,
    sanitise_html,
    where,
)
from .tags import output_tag_problems, tag_problems

if TYPE_CHECKING:
    from ..cli.check import PostChecker

IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")
CHART_MIMES = (
    "application/vnd.plotly.v1+json",
    *(f"application/vnd.vegalite.v{v}+json" for v in (4, 5, 6)),
)
DANGEROUS = ("<script>", "<iframe>", "<object>", "<embed>", "<form>")


def check_notebook(checker: PostChecker, source: str, budget_kb: int) -> None:
    notebook = load_notebook(source)
    post, problems = front_matter(checker.docname, notebook, checker.site.license)
    if notebook.data is None:
        problems = notebook.problems
    for problem in problems:
        checker.add(problem.line, problem.subtype.value, problem.message)
    if notebook.data is None:
        return
    data = notebook.data
    for problem in check_outputs(data, budget_kb) + error_outputs(data) + tag_problems(data):
        checker.add(problem.line, problem.subtype.value, problem.message)
    own = (data.get("metadata") or {}).get("mystnb")
    mode = own.get("execution_mode") if isinstance(own, dict) else None
    executes = (mode or checker.site.nb_execution_mode) != "off"
    glued = None if executes else glue_data(data)  # an executing build glues afresh
    has_hero = False
    for index, cell in enumerate(data["cells"]):
        if cell.get("cell_type") == "markdown":
            start = len(checker.findings)
            scanned = mdscan.scan(cell_text(cell), 0, raw_html=checker.site.raw_html)
            has_hero = has_hero or any(d.name == "hero-figure" for d in scanned.directives)
            checker.images(scanned)
            checker.heroes(scanned, notebook=True)
            if glued is not None:
                _glued_heroes(checker, scanned, glued)
            checker.citations(post, scanned)
            checker.colours(scanned)
            for finding in checker.findings[start:]:
                finding.message = f"{where(index, finding.line)}: {finding.message}"
                finding.line = cell_line(index, finding.line)
        elif cell.get("cell_type") == "code":
            _outputs(checker, index, cell)
    for problem in output_tag_problems(data, has_hero, executes):  # hero, dark-variant
        checker.add(problem.line, problem.subtype.value, problem.message)


def glue_data(data: dict[str, Any]) -> dict[str, list[str]]:
    """The saved ``glue(...)`` outputs, key -> their MIME types (MyST-NB's rule: the
    output's ``scrapbook`` metadata names it; its MIME types carry a prefix)."""
    found: dict[str, list[str]] = {}
    for cell in data.get("cells") or []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs") or []:
            meta = output.get("metadata") if isinstance(output, dict) else None
            book = meta.get("scrapbook") if isinstance(meta, dict) else None
            if not isinstance(book, dict) or not isinstance(book.get("name"), str):
                continue
            prefix = str(book.get("mime_prefix") or "")
            bundle = output.get("data") if isinstance(output.get("data"), dict) else {}
            found[book["name"]] = sorted(k[len(prefix) :] for k in bundle if k.startswith(prefix))
    return found


def _glued_heroes(checker: PostChecker, scanned: mdscan.Scan, glued: dict[str, list[str]]) -> None:
    """A ``hero-figure :glue: key`` judged on the saved glue outputs, as the build judges it."""
    for hero in scanned.directives:
        if hero.name != "hero-figure" or hero.argument or "glue" not in hero.options:
            continue
        key = hero.options["glue"].strip()
        if key not in glued:
            checker.add(hero.line, "hero", unknown_key(key, sorted(glued)))
        elif not any(m in GLUE_IMAGES for m in glued[key]):
            checker.add(hero.line, "hero", not_an_image(key, glued[key]))


def _outputs(checker: PostChecker, index: int, cell: dict[str, Any]) -> None:
    metadata = cell.get("metadata") or {}
    mystnb = metadata.get("mystnb")
    own = mystnb if isinstance(mystnb, dict) else {}
    alt = (own.get("image") or {}).get("alt") if isinstance(own.get("image"), dict) else None
    for output in cell.get("outputs") or []:
        if not isinstance(output, dict):
            continue
        bundle = output.get("data") or {}
        if (
            any(m in bundle for m in IMAGE_MIMES)
            and not alt
            and not any(m in bundle for m in CHART_MIMES)
        ):  # a chart's still: alt from its title
            checker.add(
                cell_line(index, 1),
                "alt",
                f"{where(index)}: an image output has no "
                'alternative text; add "mystnb": {"image": {"alt": "<what it '
                "shows>\"}} to the cell's metadata.",
            )
        html = bundle.get("text/html")
        if (
            html is not None
            and not checker.site.raw_html
            and not any(m in bundle for m in CHART_MIMES)
        ):  # the build drops a chart's HTML
            text = "".join(html) if isinstance(html, list) else str(html)
            _, removed = sanitise_html(text)
            bad = [r for r in removed if r in DANGEROUS or r.startswith("on")]
            if bad:
                checker.add(
                    cell_line(index, 1),
                    "notebook",
                    f"{where(index)}: an HTML output "
                    f"holds {', '.join(bad)}, which the site removes; display a table "
                    "or a figure instead.",
                )
