"""Interactive Altair / Vega-Lite outputs: Vega served from the site, a static fallback.

An ``application/vnd.vegalite.v{4,5,6}+json`` output (Altair's ``mimetype`` renderer, the
default under MyST-NB) becomes a :class:`vega_chart` node through the MyST-NB mime-renderer
entry point :class:`VegaMime`.  On the web: a box reserved at the chart's height, the
spec as inert JSON, and the output's static image (``image/png``/``image/svg+xml``) or a
note until script draws the chart; Vega and Vega-Lite (``theme/vendor/vega/``, from npm,
BSD-3-Clause) are copied into ``_static/`` and loaded by the chart when it nears the
viewport (``notebooks.js``), never by the page's head.  The PDF
uses the static image, or says the chart is on the web.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.application import Sphinx

from ..assets import theme_dir
from ..domain import Record, get_record, set_record
from .plotly import chart_payload, chart_scripts, copy_once, open_chart_html

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

VEGA_MIMES = tuple(f"application/vnd.vegalite.v{v}+json" for v in (6, 5, 4))
VEGA_JS = ("vega.min.js", "vega-lite.min.js")
DEFAULT_HEIGHT = 300
CHROME = 70  # px around the plot area: axes, title, legend (reserved, no layout shift)


#: the page shows a Vega-Lite chart: Vega is copied and loaded for it
VEGA: Record[bool] = Record("vega")


class vega_chart(nodes.General, nodes.Element):
    """One Vega-Lite chart (``spec``: its JSON text); children: the static fallback."""


class VegaMime:
    """MyST-NB mime renderer plugin (entry point ``myst_nb.mime_renderers``)."""

    mime_priority_overrides = [
        (builder, mime, 6) for builder in ("html", "dirhtml", "singlehtml") for mime in VEGA_MIMES
    ]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        if data.mime_type not in VEGA_MIMES or inline:
            return None
        spec = chart_payload(renderer, data)
        if spec is None:
            return None
        height = spec.get("height") if isinstance(spec.get("height"), (int, float)) else None
        title = spec.get("title")
        title = title.get("text", "") if isinstance(title, dict) else str(title or "")
        if isinstance(title, list):
            title = " ".join(map(str, title))
        return [
            vega_chart(
                spec=json.dumps(spec),
                title=str(title),
                height=int(height or DEFAULT_HEIGHT) + CHROME,
            )
        ]


def visit_vega_html(self: HTML5Translator, node: vega_chart) -> None:
    self.body.append(
        open_chart_html(
            "vega",
            node["spec"],
            node["title"],
            node["height"],
            bool(node.children),
            chart_scripts(self, VEGA_JS),
        )
    )


def depart_vega_html(self: HTML5Translator, node: vega_chart) -> None:
    self.body.append("</div></figure>")


def skip_vega(self: Any, node: vega_chart) -> None:
    raise nodes.SkipNode


def note_charts(app: Sphinx, doctree: nodes.document) -> None:
    if any(True for _ in doctree.findall(vega_chart)):
        set_record(app.env, app.env.docname, VEGA, True)


def copy_vega_js(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Vega (about 0.8 MB) is copied into the site when a page has a chart; the chart
    loads it (no ``<script>`` in the page's head)."""
    if doctree is None or not get_record(app.env, pagename, VEGA):
        return
    for name in VEGA_JS:
        copy_once(theme_dir() / "vendor" / "vega" / name, Path(app.outdir, "_static", name))


def setup_vega(app: Sphinx) -> None:
    app.add_node(
        vega_chart,
        html=(visit_vega_html, depart_vega_html),
        latex=(skip_vega, None),
        text=(skip_vega, None),
        man=(skip_vega, None),
        texinfo=(skip_vega, None),
    )
    app.connect("doctree-read", note_charts, priority=700)
    app.connect("html-page-context", copy_vega_js, priority=400)  # before the theme trims
