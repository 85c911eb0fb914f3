"""Where the shipped ``theme/`` lives, and the CSS and JS every HTML build gets.

Each feature keeps its styles and script in ``theme/components/<feature>.css|js``; they
are joined, in a fixed order, into one ``_static/sphinx-article.css`` and one
``sphinx-article.js`` (two requests, no bundler).  They are added for HTML builders
only, whatever the theme, so the directives render sensibly under other themes too.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

CSS_NAME = "sphinx-article.css"
JS_NAME = "sphinx-article.js"
#: Files of the extensions sphinx-article sets up for authors (sphinx-design,
#: sphinx-copybutton) that a page needs only when it uses them: file name -> what marks
#: their use in the page's HTML (a sphinx-design component, a tab set, a code block).
SCOPED_ASSETS: dict[str, re.Pattern[str]] = {
    "sphinx-design.min.css": re.compile(r'class="[^"]*\bsd-'),
    "design-tabs.js": re.compile(r'class="[^"]*\bsd-tab'),
    "copybutton.css": re.compile(r'class="highlight\b'),
    "copybutton.js": re.compile(r'class="highlight\b'),
    "clipboard.min.js": re.compile(r'class="highlight\b'),
}


def scoped_out(asset: Any, html: str, markers: dict[str, re.Pattern[str]]) -> bool:
    """Whether ``asset`` (a CSS or JS entry of the page) is one of ``markers``' files
    and the page's ``html`` does not use it."""
    name = Path(str(getattr(asset, "filename", "") or "")).name
    marker = markers.get(name)
    return marker is not None and not marker.search(html)


def scope_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``, under any theme but this project's (whose
    ``html_theme.trim_page_assets`` does this and more): sphinx-design's and
    sphinx-copybutton's files only on pages that use them.  Only the page's body is
    searched, not the theme's own templates."""
    if app.config.html_theme == "sphinx_article":
        return
    html = str(context.get("body", ""))
    for key in ("css_files", "script_files"):
        if isinstance(context.get(key), list):
            context[key] = [a for a in context[key] if not scoped_out(a, html, SCOPED_ASSETS)]


def theme_dir() -> Path:
    """``sphinx_article/theme`` in a wheel, ``<checkout>/theme`` in a source checkout."""
    packaged = Path(__file__).parent / "theme"
    if (packaged / "html" / "theme.toml").is_file():
        return packaged
    return Path(__file__).parent.parent / "theme"


def components_dir() -> Path:
    return theme_dir() / "components"


def bundle(suffix: str) -> str:
    """Concatenate the component files ending in ``suffix``, base first, then by name."""
    files = sorted(components_dir().glob(f"*{suffix}"), key=lambda p: (p.stem != "base", p.name))
    parts = [f"/* {p.name} */\n{p.read_text(encoding='utf-8').strip()}\n" for p in files]
    return "\n".join(parts)


def write_bundles(app: Sphinx) -> None:
    """On builder-inited: write the bundles into the output's ``_static`` and link them."""
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    for name, suffix in ((CSS_NAME, ".css"), (JS_NAME, ".js")):
        content = bundle(suffix)
        target = static / name
        if not target.is_file() or target.read_text(encoding="utf-8") != content:
            target.write_text(content, encoding="utf-8")
    copy_fonts(static)
    app.add_css_file(CSS_NAME, priority=600)
    app.add_js_file(JS_NAME, priority=600, loading_method="defer")


def copy_fonts(static: Path) -> None:
    """``theme/components/fonts/*`` -> ``_static/fonts/``: fonts the component CSS names
    with ``url("fonts/...")`` (the bundle sits in ``_static``), under any theme."""
    source = components_dir() / "fonts"
    if not source.is_dir():
        return
    target = static / "fonts"
    target.mkdir(exist_ok=True)
    for path in sorted(source.iterdir()):
        if path.suffix in (".woff2", ".txt") and not (target / path.name).is_file():
            shutil.copyfile(path, target / path.name)


def setup_assets(app: Sphinx) -> None:
    app.connect("builder-inited", write_bundles)
    app.connect("html-page-context", scope_assets, priority=900)  # after others add files
