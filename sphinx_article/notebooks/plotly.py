"""Interactive Plotly outputs: plotly.js served from the site, a static fallback.

A notebook cell's ``application/vnd.plotly.v1+json`` output becomes a
:class:`plotly_chart` node (through the MyST-NB mime-renderer entry point
:class:`PlotlyMime`).  On the web it is a box of the chart's own height (no layout
shift) holding the figure as inert JSON and, until script draws the chart, the static
image from the same output (``image/png``/``image/svg+xml``) or a note; plotly.js is
copied from the ``plotly`` Python package (never a CDN) into ``_static/``.  The chart
names it (``data-article-scripts``) instead of the page loading it: ``notebooks.js``
fetches it when the chart nears the viewport, so a reader who never scrolls to the chart
never downloads 1.4 MB of script, and the page's first load stays light (issue 15's
budget).  The PDF uses the static image (MyST-NB's LaTeX mime priority).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..domain import Record, get_record, set_record

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

PLOTLY_MIME = "application/vnd.plotly.v1+json"
PLOTLY_JS = "plotly.min.js"
STATIC_MIMES = ("image/svg+xml", "image/png", "image/jpeg")
DEFAULT_HEIGHT = 450


#: the page shows a Plotly chart: plotly.js is copied and loaded for it
PLOTLY: Record[bool] = Record("plotly")


class plotly_chart(nodes.General, nodes.Element):
    """One Plotly figure (``figure``: its JSON text); children: the static fallback."""


def chart_payload(renderer: Any, data: Any) -> dict[str, Any] | None:
    """A chart output's JSON object, when this notebook is built by a sphinx-article site
    (the mime renderers are entry points, so they also see other sites' notebooks);
    None otherwise or when the payload is not a JSON object (MyST-NB then renders it)."""
    env = getattr(renderer.renderer, "sphinx_env", None)
    if env is None:
        return None
    # optional: MyST-NB (the notebooks extra) is installed only for sites with notebooks
    from myst_nb._compat import get_env_app

    if "sphinx_article" not in get_env_app(env).extensions:
        return None
    content = data.content
    if isinstance(content, str):
        try:
            content = json.loads(content)
        except ValueError:
            return None
    return content if isinstance(content, dict) else None


class PlotlyMime:
    """MyST-NB mime renderer plugin (entry point ``myst_nb.mime_renderers``)."""

    mime_priority_overrides = [
        ("html", PLOTLY_MIME, 5),
        ("dirhtml", PLOTLY_MIME, 5),
        ("singlehtml", PLOTLY_MIME, 5),
    ]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        if data.mime_type != PLOTLY_MIME or inline:
            return None
        content = chart_payload(renderer, data)
        if content is None:
            return None
        layout = content.get("layout") or {}
        height = layout.get("height") if isinstance(layout.get("height"), (int, float)) else None
        title = layout.get("title")
        title = title.get("text", "") if isinstance(title, dict) else str(title or "")
        return [
            plotly_chart(
                figure=json.dumps({"data": content.get("data", []), "layout": layout}),
                height=int(height or DEFAULT_HEIGHT),
                title=title,
            )
        ]


BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def render_still(figure: str, folder: Path) -> Path | None:
    """A PNG of the chart drawn by Plotly's kaleido (1.x drives a local Chrome or
    Chromium, offline), cached by the figure's hash; None without kaleido or a browser."""
    target = folder / f"plotly-{hashlib.sha256(figure.encode()).hexdigest()[:40]}.png"
    if target.is_file():
        return target
    try:
        import kaleido  # noqa: F401
        import plotly.io as pio
    except ImportError:
        return None
    if not os.environ.get("BROWSER_PATH"):
        found = next((b for b in BROWSERS if Path(b).is_file()), None)
        if found is None:
            return None
        os.environ["BROWSER_PATH"] = found
    try:
        layout = json.loads(figure).get("layout") or {}
        size = {
            key: int(layout[key]) if isinstance(layout.get(key), (int, float)) else default
            for key, default in (("width", 700), ("height", DEFAULT_HEIGHT))
        }
        png = _draw(pio, figure, size)
    except Exception:  # no usable browser, a figure kaleido rejects: the note stays
        return None
    folder.mkdir(parents=True, exist_ok=True)
    target.write_bytes(png)
    return target


def _draw(pio: Any, figure: str, size: dict[str, int]) -> bytes:
    """kaleido's PNG of the figure, tried twice: starting Chromium can time out on a
    busy machine (seen in CI with the test suite's browsers running beside it)."""
    try:
        return bytes(pio.from_json(figure).to_image(format="png", scale=2, **size))
    except Exception:  # a start-up timeout; a figure kaleido rejects fails again below
        return bytes(pio.from_json(figure).to_image(format="png", scale=2, **size))


def _still_container(
    chart: plotly_chart, folder: Path | None, srcdir: Path
) -> nodes.container | None:
    if folder is None:
        return None
    still = render_still(chart["figure"], folder)
    if still is None:
        return None
    uri = "/" + os.path.relpath(still, srcdir).replace(os.sep, "/")
    container = nodes.container(mime_type="image/png")
    container.append(nodes.image(uri=uri, alt=""))
    return container


def attach_fallback(
    bundle: nodes.container,
    mimes: dict[str, nodes.Element],
    folder: Path | None = None,
    srcdir: Path | None = None,
) -> None:
    """Give the chart its static twin from the same output (or drawn by kaleido, when
    installed); the PDF gets a note if there is none."""
    charts = list(mimes[PLOTLY_MIME].findall(plotly_chart))
    static = next((mimes[m] for m in STATIC_MIMES if m in mimes), None)
    if static is None and charts and srcdir is not None:
        static = _still_container(charts[0], folder, srcdir)
        if static is not None:
            bundle.append(static)
            mimes["image/png"] = static
    give_still(charts, static, mimes)


def give_still(
    charts: Sequence[nodes.Element], static: nodes.Element | None, mimes: dict[str, nodes.Element]
) -> None:
    """Each chart node holds a copy of the output's static image (alt from its title);
    without one, the text version is replaced by a note (the PDF shows it)."""
    title = next((c["title"] for c in charts if c["title"]), "")
    for image in static.findall(nodes.image) if static is not None else ():
        if not image.get("alt", "").strip():
            image["alt"] = f"Static version of the chart '{title}'" if title else "A chart"
    for chart in charts:
        if static is not None:
            for image in static.findall(nodes.image):
                copy = image.deepcopy()
                copy["alt"] = copy.get("alt") or chart["title"] or "A chart"
                chart.append(copy)
                break
    if static is None and "text/plain" in mimes:
        plain = mimes["text/plain"]
        plain.children = []
        plain.append(
            nodes.paragraph(
                "",
                "An interactive chart: see the web version of this post.",
                classes=["article-plotly-note"],
            )
        )


def chart_scripts(translator: HTML5Translator, names: tuple[str, ...]) -> list[str]:
    """The page-relative addresses of a chart library's scripts in ``_static/``."""
    builder = translator.builder
    page = builder.get_target_uri(builder.current_docname)
    return [relative_uri(page, f"_static/{name}") for name in names]


def open_chart_html(
    kind: str, data: str, title: str, height: int, fallback: bool, scripts: list[str]
) -> str:
    """The opening of an interactive chart (``kind``: plotly or vega): a box of the
    chart's height (no layout shift), the scripts that draw it (loaded in order, when the
    chart nears the viewport), its JSON (``<`` and ``>`` escaped, so it cannot end the
    script element), and the static fallback's container."""
    data = data.replace("<", "\\u003c").replace(">", "\\u003e")
    label = escape(title or "Interactive chart", quote=True)
    sources = escape(" ".join(scripts), quote=True)
    html = (
        f'<figure class="article-{kind}" data-article-{kind} '
        f'data-article-scripts="{sources}" style="--{kind}-height: {int(height)}px">'
        f'<div class="article-{kind}-chart" role="img" aria-label="{label}"></div>'
        f'<script type="application/json" class="article-{kind}-data">{data}</script>'
        f'<div class="article-{kind}-fallback">'
    )
    if not fallback:
        html += '<p class="article-plotly-note">An interactive chart: it needs JavaScript.</p>'
    return html


def visit_plotly_html(self: HTML5Translator, node: plotly_chart) -> None:
    self.body.append(
        open_chart_html(
            "plotly",
            node["figure"],
            node["title"],
            node["height"],
            bool(node.children),
            chart_scripts(self, (PLOTLY_JS,)),
        )
    )


def depart_plotly_html(self: HTML5Translator, node: plotly_chart) -> None:
    self.body.append("</div></figure>")


def skip_plotly(self: Any, node: plotly_chart) -> None:
    raise nodes.SkipNode


def note_charts(app: Sphinx, doctree: nodes.document) -> None:
    if any(True for _ in doctree.findall(plotly_chart)):
        set_record(app.env, app.env.docname, PLOTLY, True)


def plotly_js_source() -> Path | None:
    try:
        # optional: Plotly comes with the site's notebooks, not with sphinx-article
        import plotly
    except ImportError:
        return None
    path = Path(plotly.__file__).parent / "package_data" / PLOTLY_JS
    return path if path.is_file() else None


def copy_plotly_js(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """plotly.js (about 4 MB) is copied into the site when a page has a chart; the chart
    loads it (no ``<script>`` in the page's head)."""
    if doctree is None or not get_record(app.env, pagename, PLOTLY):
        return
    source = plotly_js_source()
    if source is None:
        return
    copy_once(source, Path(app.outdir, "_static", PLOTLY_JS))


def copy_once(source: Path, target: Path) -> None:
    """Copy a script into ``_static/`` unless it is there; atomic, since pages are written
    by parallel workers (``-j``)."""
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def setup_plotly(app: Sphinx) -> None:
    app.add_node(
        plotly_chart,
        html=(visit_plotly_html, depart_plotly_html),
        latex=(skip_plotly, None),
        text=(skip_plotly, None),
        man=(skip_plotly, None),
        texinfo=(skip_plotly, None),
    )
    app.connect("doctree-read", note_charts, priority=700)
    app.connect("html-page-context", copy_plotly_js, priority=400)  # before the theme trims assets
