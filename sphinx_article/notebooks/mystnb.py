"""Notebook posts: a Jupyter notebook (``posts/<slug>/index.ipynb``) or a MyST-NB text
notebook (``index.md`` with a ``kernelspec``) is an article like any Markdown post.

myst-nb parses and executes notebooks; this module makes it fit the spine:

* it is loaded instead of myst-parser when a site asks for notebooks, so either
  extension order works (``markdown_parser_extension``);
* the front matter comes from the first Markdown cell (or the notebook's ``article``
  metadata) through :func:`~.frontmatter.parse_post`; the notebook's other metadata
  (authors, tool state) is dropped before myst-nb sees it (``read_notebook_post``);
* myst-nb's ``docinfo`` is removed from posts: the HTML writer drops everything written
  before a docinfo, which was the title block;
* outputs are made safe and article-like on ``doctree-read``: HTML outputs sanitised
  (tables and inline styles), script outputs dropped unless ``article_raw_html``,
  errors reported with their cell, cell tags ``page``/``screen`` widen outputs;
* Plotly outputs are rendered by :mod:`.notebook_plotly`; each post gets a
  "Download notebook" link (:func:`byline_notebook_html`).
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.images import get_image_size

from ..domain import Record, get_post, get_record, records_of, set_record
from ..features.media import apply_width
from ..features.pagetemplates import gettext
from ..model.frontmatter import Post
from ..warnings_ import NOTEBOOK_DOCS, ArticleWarning, warn
from .kernel import encrypt_kernel_transport
from .outputs import (
    fold_long_inputs,
    hold_figure_names,
    lift_hero_output,
    mark_dark_variants,
    setup_notebook_outputs,
    widget_fallback,
)
from .plotly import STATIC_MIMES, attach_fallback, give_still, setup_plotly
from .source import (
    NotebookProblem,
    anonymise,
    cell_text,
    check_outputs,
    front_matter,
    load_notebook,
    sanitise_html,
    strip_metadata,
)
from .tables import add_latex_table
from .tags import tag_problems
from .vega import VEGA_MIMES, setup_vega, vega_chart

if TYPE_CHECKING:
    from sphinx.builders import Builder

_TRUE = ("1", "true", "yes", "on")
PLOTLY_MIME = "application/vnd.plotly.v1+json"
SCRIPT_MIMES = ("application/javascript", "application/vnd.jupyter.widget-view+json")
#: notebook metadata MyST-NB would turn into ipywidgets' JavaScript from a CDN (never used)
WIDGET_STATE = "widgets"
#: what a sanitised HTML output lost that could have run script (worth a warning)
DANGEROUS = re.compile(
    r"^(<script>|<iframe>|<object>|<embed>|<form>|<a>|<img>|on\w+=|"
    r"style=|<svg>|<math>|<template>)$"
)
WIDTH_TAGS = {
    "body": "body",
    "page": "page",
    "screen": "screen",
    "width-body": "body",
    "width-page": "page",
    "width-screen": "screen",
}


# -- loading myst-nb -------------------------------------------------------------------


class NotebookRecord(TypedDict):
    """A notebook post: the cell its front matter came from (``None`` for a text
    notebook), and whether it is a MyST-NB text notebook (``index.md`` with a kernel)."""

    front_cell: int | None
    text: NotRequired[bool]


NOTEBOOK: Record[NotebookRecord] = Record("notebook")


def notebooks_requested(app: Sphinx) -> bool:
    """Whether conf.py lists myst-nb or sets ``article_notebooks`` (read before config-inited)."""
    config = app.config
    if "myst_nb" in app.extensions or "myst_nb" in (config.extensions or []):
        return True
    value = config._overrides.get(
        "article_notebooks", config._raw_config.get("article_notebooks", False)
    )
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return bool(value)


def markdown_parser_extension(app: Sphinx) -> str:
    """``myst_nb`` when notebooks are wanted (it includes myst-parser), else ``myst_parser``."""
    if not notebooks_requested(app):
        return "myst_parser"
    try:
        import myst_nb  # noqa: F401
    except ImportError as exc:
        raise ExtensionError(
            "Notebook posts need myst-nb: pip install 'sphinx-article[notebooks]'"
        ) from exc
    return "myst_nb"


def is_notebook(app: Sphinx, docname: str) -> bool:
    return str(app.env.doc2path(docname)).endswith(".ipynb")


# -- source-read -------------------------------------------------------------------------

EMPTY_NOTEBOOK = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def read_notebook_post(app: Sphinx, docname: str, source: list[str]) -> Post:
    """``posts.read_front_matter`` for an ``.ipynb`` post: front matter, checks, and the
    notebook rewritten for myst-nb (front matter blanked, metadata stripped)."""
    config = app.config
    NOTEBOOK_DOCS.add(docname)
    notebook = load_notebook(source[0])
    post, problems = front_matter(docname, notebook, config.article_license)
    data: dict[str, Any]
    if notebook.data is None:
        problems = notebook.problems
        data = dict(
            EMPTY_NOTEBOOK,
            cells=[
                {
                    "cell_type": "markdown",
                    "id": "unreadable",
                    "metadata": {},
                    "source": "This notebook could not be read; the build's warnings say why.",
                }
            ],
        )
    else:
        data = notebook.data
        problems += check_outputs(data, config.article_notebook_output_budget_kb)
        problems += tag_problems(data)
        hold_figure_names(data)
    if notebook.data is not None and _will_execute(config, data.get("metadata", {})):
        kernel = _missing_kernel(config, data.get("metadata", {}))
        if kernel is not None:
            problems.append(_no_kernel_problem(kernel))
            data["metadata"].setdefault("mystnb", {})["execution_mode"] = "off"
    for problem in problems:
        warn(problem.subtype, problem.message, location=(docname, problem.line))
    if notebook.data is not None:
        data.get("metadata", {}).pop(WIDGET_STATE, None)
    if not post.title:
        post.title = post.slug.replace("-", " ").capitalize()
    if config.article_review:
        anonymise(data)
    else:
        strip_metadata(data)
    source[0] = json.dumps(data, ensure_ascii=False)
    set_record(app.env, docname, NOTEBOOK, NotebookRecord(front_cell=notebook.front_cell))
    return post


def _will_execute(config: Any, metadata: dict[str, Any]) -> bool:
    own = metadata.get("mystnb", {})
    mode = own.get("execution_mode") if isinstance(own, dict) else None
    return (mode or config.nb_execution_mode) in ("auto", "force", "cache", "inline")


def _missing_kernel(config: Any, metadata: dict[str, Any]) -> str | None:
    """The kernel a notebook names when it is not installed (myst-nb would crash)."""
    spec = metadata.get("kernelspec")
    name = spec.get("name") if isinstance(spec, dict) else None
    if not isinstance(name, str) or not name:
        return "(none named)"
    for pattern, alias in (config.nb_kernel_rgx_aliases or {}).items():
        if re.fullmatch(pattern, name):
            name = alias
            break
    return None if name in _installed_kernels() else name


_KERNELS: set[str] | None = None


def _installed_kernels() -> set[str]:
    global _KERNELS
    if _KERNELS is None:
        # optional: jupyter_client comes with the notebooks extra, needed only for notebooks
        from jupyter_client.kernelspec import KernelSpecManager

        _KERNELS = set(KernelSpecManager().find_kernel_specs())
        try:  # the kernel of this Python (ipykernel) is always available as python3
            import ipykernel  # noqa: F401

            _KERNELS.add("python3")
        except ImportError:
            pass
    return _KERNELS


def _no_kernel_problem(kernel: str) -> Any:
    return NotebookProblem(
        ArticleWarning.NOTEBOOK,
        f"The notebook's kernel {kernel!r} is not "
        f"installed, so the notebook is not executed (its stored outputs "
        f"are shown); install the kernel (for Python: pip install ipykernel) "
        f"or set kernelspec.name to an installed one (jupyter kernelspec "
        f"list).",
        1,
    )


def mark_text_notebook(app: Sphinx, docname: str, source: list[str]) -> None:
    """An ``index.md`` post with a ``kernelspec`` is a MyST-NB text notebook: myst-nb
    recognises one by ``file_format: mystnb``, so that is added to the passed-through
    front matter (one JSON line written by ``posts.blank_front_matter``)."""
    post = get_post(app.env, docname)
    if post is None or is_notebook(app, docname) or "kernelspec" not in post.passthrough:
        return
    if "jupytext" in post.passthrough or "file_format" in post.passthrough:
        set_record(app.env, docname, NOTEBOOK, NotebookRecord(front_cell=None, text=True))
        return
    lines = source[0].split("\n", 2)
    if len(lines) == 3 and lines[0].startswith("---") and lines[1].startswith("{"):
        meta = dict(post.passthrough, file_format="mystnb")
        if _will_execute(app.config, meta):
            kernel = _missing_kernel(app.config, meta)
            if kernel is not None:
                problem = _no_kernel_problem(kernel)
                warn(problem.subtype, problem.message, location=(docname, post.line("kernelspec")))
                meta["mystnb"] = {**(meta.get("mystnb") or {}), "execution_mode": "off"}
        source[0] = "\n".join([lines[0], json.dumps(meta), lines[2]])
        set_record(app.env, docname, NOTEBOOK, NotebookRecord(front_cell=None, text=True))


# -- doctree-read ------------------------------------------------------------------------


def _bundles(doctree: nodes.document) -> list[nodes.container]:
    return [n for n in doctree.findall(nodes.container) if n.get("nb_element") == "mime_bundle"]


def _cell_of(node: nodes.Node) -> int | None:
    line = node.line or 0
    return line // 10000 if line >= 10000 else None


def _where(node: nodes.Node) -> str:
    cell = _cell_of(node)
    return f"Cell {cell}" if cell else "A cell"


def tidy_notebook_doctree(app: Sphinx, doctree: nodes.document) -> None:
    """Before posts.py builds the title section: docinfo out, outputs made safe."""
    env = app.env
    docname = env.docname
    if get_record(env, docname, NOTEBOOK) is None:
        return
    for docinfo in list(doctree.findall(nodes.docinfo)):
        docinfo.parent.remove(docinfo)
    raw_html = app.config.article_raw_html
    fold_long_inputs(app, doctree)
    for bundle in _bundles(doctree):
        _tidy_bundle(app, bundle, raw_html, docname)
    for raw in list(doctree.findall(nodes.raw)):
        # an HTML output outside a bundle (an inline glue, for example)
        if "text_html" in raw.get("classes", ()) and not raw_html:
            _sanitise_raw(raw, docname)
    timed_out = _report_timeout(app, doctree, docname)
    for block in list(doctree.findall(nodes.literal_block)):
        if (
            "traceback" in block.get("classes", ())
            and not _expected_error(block)
            and (timed_out is None or not _inside(block, timed_out))
        ):
            _report_error(block, docname)
    mark_dark_variants(doctree)
    _mark_output_images(app, doctree)
    lift_hero_output(app, doctree, docname)
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code":
            continue
        classes: list[str] = cell.get("classes", [])
        widths = [
            WIDTH_TAGS[t[4:]] for t in classes if t[4:] in WIDTH_TAGS and t.startswith("tag_")
        ]
        if widths:
            for output in cell.findall(nodes.container):
                if output.get("nb_element") == "cell_code_output":
                    apply_width(output, widths[-1])
            for node in cell.findall(
                lambda n: isinstance(n, (nodes.figure, nodes.image, nodes.table))
            ):
                if not isinstance(node.parent, nodes.figure):
                    apply_width(cast(nodes.Element, node), widths[-1])


def output_folder(app: Sphinx) -> Path | None:
    config = getattr(app.env, "mystnb_config", None)
    return Path(config.output_folder).resolve() if config is not None else None


def _mark_output_images(app: Sphinx, doctree: nodes.document) -> None:
    """Images myst-nb wrote from outputs live in its output folder, outside the site: tag
    them (figures.py checks authors' image paths, not these) and ask for alt text."""
    folder = output_folder(app)
    if folder is None:
        return
    srcdir = Path(app.env.srcdir)
    for image in doctree.findall(nodes.image):
        path = (srcdir / image["uri"].lstrip("/")).resolve()
        if not path.is_relative_to(folder) or image.get("article_role"):
            continue  # (a glued hero's file keeps its role: hero.py renders it)
        image["article_role"] = "notebook-output"  # a dark twin too (the site may be
        image["article_output_path"] = str(path)  # built outside its source folder)
        if not image.get("alt", "").strip() and "only-dark" not in image["classes"]:
            warn(
                ArticleWarning.ALT,
                f"{_where(image)}: an image output has no alternative "
                "text; add it to the cell's metadata as "
                '"mystnb": {"image": {"alt": "<what it shows>"}} (or glue the figure '
                "and give the glue:figure directive an :alt:).",
                location=image,
            )


class SizeOutputImages(SphinxPostTransform):
    """HTML: output images get their pixel size, so the page does not shift as they load
    (CSS scales them to the column; ``height: auto`` keeps the ratio)."""

    default_priority = 400
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for image in self.document.findall(nodes.image):
            if image.get("article_role") != "notebook-output":
                continue
            if any(key in image for key in ("width", "height", "scale")):
                continue
            size = get_image_size(image.get("article_output_path", ""))
            if size:
                image["width"], image["height"] = str(size[0]), str(size[1])
                image["classes"].append("no-scaled-link")


def _tidy_bundle(app: Sphinx, bundle: nodes.container, raw_html: bool, docname: str) -> None:
    mimes: dict[str, nodes.Element] = {
        child.get("mime_type"): child for child in cast(list[nodes.Element], bundle.children)
    }
    vega = next((m for m in VEGA_MIMES if m in mimes), None)
    if PLOTLY_MIME in mimes or vega:
        if vega:
            give_still(
                list(mimes[vega].findall(vega_chart)),
                next((mimes[m] for m in STATIC_MIMES if m in mimes), None),
                mimes,
            )
        else:
            attach_fallback(bundle, mimes, output_folder(app), Path(app.env.srcdir))
        # the library's own HTML output loads its JavaScript from a CDN: never used
        for mime in ("text/html", *SCRIPT_MIMES):
            if mime in mimes:
                bundle.remove(mimes.pop(mime))
    replaced = widget_fallback(bundle, mimes)  # even with raw HTML: no ipywidgets script
    if not replaced:  # a DataFrame: a real table in the PDF
        add_latex_table(
            bundle, mimes, mimes["text/html"].astext() if "text/html" in mimes else None
        )
    if raw_html or replaced:
        return
    for mime in SCRIPT_MIMES:
        if mime in mimes:
            bundle.remove(mimes.pop(mime))
            if len(mimes) <= 1 and set(mimes) <= {"text/plain"}:
                warn(
                    ArticleWarning.NOTEBOOK,
                    f"{_where(bundle)}: an output needs JavaScript "
                    f"({mime}) and is shown as text (display a static figure instead, or "
                    "set article_raw_html = True).",
                    location=bundle,
                )
    if "text/html" in mimes:
        for raw in list(mimes["text/html"].findall(nodes.raw)):
            _sanitise_raw(raw, docname)


def _sanitise_raw(raw: nodes.raw, docname: str) -> None:
    clean, removed = sanitise_html(raw.astext())
    dangerous = [r for r in removed if DANGEROUS.match(r)]
    if dangerous:
        warn(
            ArticleWarning.NOTEBOOK,
            f"{_where(raw)}: an HTML output held "
            f"{', '.join(dangerous)}, which was removed (only tables, text and inline "
            "styles are kept unless article_raw_html = True).",
            location=raw,
        )
    raw.children = []
    raw.append(nodes.Text(clean))
    raw["classes"] = [*raw.get("classes", []), "article-nb-html"]


_ERROR_LINE = re.compile(r"^(\w[\w.]*(?:Error|Exception|Interrupt|Exit|Warning))\b:?\s*(.*)$", re.M)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _expected_error(node: nodes.Node) -> bool:
    """A cell tagged ``raises-exception`` shows its error on purpose."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.container) and parent.get("nb_element") == "cell_code":
            return "tag_raises-exception" in parent.get("classes", ())
        parent = parent.parent
    return False


def _report_error(block: nodes.literal_block, docname: str) -> None:
    text = _ANSI.sub("", block.astext())
    found = _ERROR_LINE.findall(text)
    ename, evalue = found[-1] if found else ("an error", "")
    line = re.findall(r"line (\d+)", text)
    at = f" at line {line[-1]}" if line else ""
    warn(
        ArticleWarning.NOTEBOOK,
        f"{_where(block)} raised {ename}{at}: {evalue[:200]}; fix "
        "the code, or tag the cell 'raises-exception' if the error is the point (the post "
        "shows the traceback).",
        location=block,
    )


_TIMEOUT = re.compile(r"after (\d+) seconds.*?contents:\n-+\n(.*?)\n-+\n", re.S)


def _inside(node: nodes.Node, ancestor: nodes.Node) -> bool:
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent
    return False


def _report_timeout(app: Sphinx, doctree: nodes.document, docname: str) -> nodes.Element | None:
    """A cell that ran past the timeout stops the notebook (MyST-NB only logs that the
    notebook failed): a located warning names the cell, and the post still builds.
    Returns the cell (its KeyboardInterrupt is the timeout's, not an error to report)."""
    try:
        # optional: MyST-NB is loaded only when the site has notebooks
        from myst_nb.sphinx_ import NbMetadataCollector

        data = NbMetadataCollector.get_exec_data(app.env, docname)
    except (ImportError, AttributeError, KeyError):
        return None
    if not data or data.get("error") != "CellTimeoutError":
        return None
    found = _TIMEOUT.search(data.get("traceback") or "")
    seconds, preview = (found.group(1), found.group(2)) if found else ("?", "")
    location: Any = (docname, 1)
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code":
            continue
        code = cell.next_node(nodes.literal_block)
        first = code.astext().strip().split("\n")[0] if code is not None else ""
        if first and (first in preview or repr(first) in preview):
            location = cell
            break
    where = _where(location) if isinstance(location, nodes.Node) else "A cell"
    warn(
        ArticleWarning.NOTEBOOK,
        f"{where} did not finish within {seconds} s, so the "
        "notebook stopped there (the cells after it show their stored outputs, if any); "
        "make the cell faster, or raise the timeout: nb_execution_timeout in conf.py, or "
        '"mystnb": {"execution_timeout": <seconds>} in this notebook\'s metadata.',
        location=location,
    )
    return location if isinstance(location, nodes.Element) else None


# -- the downloadable notebook -----------------------------------------------------------


def notebook_download_name(docname: str) -> str:
    """The downloadable file's name beside the page: ``<slug>.ipynb``."""
    parts = docname.split("/")
    return (parts[-2] if len(parts) > 1 and parts[-1] == "index" else parts[-1]) + ".ipynb"


def byline_notebook_html(builder: Builder, post: Post) -> str:
    """The title block's "Download notebook" (and launch) links, or ''."""
    record = get_record(builder.env, post.docname, NOTEBOOK)
    if record is None or builder.format != "html":
        return ""
    if record.get("text") and not executed_path(builder.env, post.docname).is_file():
        return ""  # a text notebook is offered as .ipynb only once MyST-NB has written it
    links = [
        f'<a href="{escape(notebook_download_name(post.docname))}" download>'
        f"{escape(gettext('Download notebook'))}</a>"
    ]
    template = builder.config.article_notebook_launch
    if template and not builder.config.article_review and not record.get("text"):
        path = Path(builder.env.doc2path(post.docname)).relative_to(builder.env.srcdir)
        url = template.replace("{path}", path.as_posix())
        if url.startswith("https://"):
            live = escape(gettext("Open in a live notebook"))
            links.append(f'<a href="{escape(url)}" rel="noopener">{live}</a>')
    return (
        '<div class="byline-field byline-notebook"><h2 class="byline-label">'
        f"{escape(gettext('Notebook'))}</h2><p>{'<br>'.join(links)}</p></div>"
    )


def write_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Each notebook post's ``.ipynb`` (executed, with outputs) beside its page."""
    if exception is not None or app.builder.format != "html":
        return
    env = app.env
    for docname, record in records_of(env, NOTEBOOK).items():
        executed = executed_path(env, docname)
        text = executed.read_text("utf-8") if executed.is_file() else None
        if record.get("text"):
            data = load_notebook(text).data if text else None
            if data is not None:
                (anonymise if app.config.article_review else strip_metadata)(data)
        else:
            data = _download_notebook(app, docname, Path(env.doc2path(docname)), text)
        if data is None:
            continue
        target = Path(app.outdir, *docname.split("/")[:-1], notebook_download_name(docname))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")


def executed_path(env: Any, docname: str) -> Path:
    """Where MyST-NB writes the notebook it parsed (and executed): ``jupyter_execute/``."""
    folder = Path(env.mystnb_config.output_folder)
    return folder.joinpath(*docname.split("/")).with_suffix(".ipynb")


def _download_notebook(
    app: Sphinx, docname: str, source: Path, executed: str | None
) -> dict[str, Any] | None:
    """The executed notebook with the author's front matter restored (review: left out)."""
    original = load_notebook(source.read_text("utf-8")).data
    data = load_notebook(executed).data if executed else original
    if data is None or original is None:
        return None
    record = get_record(app.env, docname, NOTEBOOK)
    front = record["front_cell"] if record else None
    if WIDGET_STATE in original.get("metadata", {}):  # kept from MyST-NB, not from readers
        data.setdefault("metadata", {})[WIDGET_STATE] = original["metadata"][WIDGET_STATE]
    if app.config.article_review:
        anonymise(data)
        if front is not None and front < len(data["cells"]):
            data["cells"][front]["source"] = cell_text(data["cells"][front]).lstrip("\n")
    else:
        strip_metadata(data)
        if front is not None and front < len(data["cells"]) and front < len(original["cells"]):
            data["cells"][front]["source"] = original["cells"][front]["source"]
    return data


def notebook_defaults(app: Sphinx, config: Any) -> None:
    """A cell that raises is reported and shown, and the rest of the notebook still runs
    (``nb_execution_allow_errors``), unless conf.py says otherwise; strict sites set
    ``nb_execution_raise_on_error = True``."""
    if "myst_nb" in app.extensions and "nb_execution_allow_errors" not in config._raw_config:
        config.nb_execution_allow_errors = True


def private_source_suffix(app: Sphinx, config: Any) -> None:
    """Sphinx merges extensions' suffixes into ``source_suffix`` in place: left at its
    default, that is the default's own dict, shared by every app in the process, so one
    site with MyST-NB (``.md``/``.ipynb`` -> ``myst-nb``) would break the next site built
    without it in the same process (tests, ``sphinx-article preview``).  Each site gets
    its own copy of Sphinx's documented default instead."""
    if "source_suffix" not in config._raw_config and "source_suffix" not in config._overrides:
        config.source_suffix = {".rst": "restructuredtext"}


def setup_notebooks(app: Sphinx) -> None:
    app.connect("config-inited", private_source_suffix, priority=50)
    app.connect("config-inited", notebook_defaults, priority=100)
    app.connect("source-read", mark_text_notebook, priority=600)
    app.connect("doctree-read", tidy_notebook_doctree, priority=300)
    app.connect("build-finished", write_downloads)
    app.add_post_transform(SizeOutputImages)
    setup_notebook_outputs(app)
    if "myst_nb" in app.extensions:
        encrypt_kernel_transport()  # the kernel's "running over TCP" warning, answered
        setup_plotly(app)
        setup_vega(app)
