"""The ``sphinx_article`` HTML theme: registered through the ``sphinx.html_themes``
entry point, and set up together with the extension it is designed for.

Besides the page context (the post's TOC; its header is rendered by ``layout.html``), this
decides per page what a page loads: component CSS/JS of sphinx-design and
sphinx-copybutton only where the page uses them, every script deferred, the math font
preloaded only on pages with math, and dark code colours scoped to the resolved theme.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript
from sphinx.environment.adapters.toctree import document_toc
from sphinx.highlighting import PygmentsBridge

from .assets import SCOPED_ASSETS, components_dir, theme_dir
from .domain import get_post

#: Pygments style of code in dark mode (the light one is ``pygments_style``).
DARK_CODE_STYLE = "github-dark"
DARK_CODE_CSS = "pygments-dark-article.css"
MATH_FONT = "fonts/article-math.woff2"
#: Preload the math font only while it is small: a large font fetched at high priority
#: competes with the page's own text and images for a phone's bandwidth (measured with
#: benchmarks/page_weight.py: a 288 KB font preloaded delays LCP by ~0.3-0.5 s on the
#: throttled profile); without preload it still loads, with font-display: swap.
MATH_FONT_PRELOAD_MAX = 96 * 1024
#: docutils' HTML writer adds its own viewport tag next to the theme's.
DOCUTILS_VIEWPORT = re.compile(
    r'<meta name="viewport" content="width=device-width, initial-scale=1" ?/>\n?'
)
#: Assets that only a page using the component needs: file name -> marker in the body.
OPTIONAL_ASSETS = {
    **SCOPED_ASSETS,  # sphinx-design's and sphinx-copybutton's (any theme: assets.py)
    "pygments.css": re.compile(r'class="[^"]*\bhighlight\b'),
    DARK_CODE_CSS: re.compile(r'class="[^"]*\bhighlight\b'),
}
#: The same by file-name prefix (names that carry a content hash).
OPTIONAL_PREFIXES = {
    "mystnb.": re.compile(r'class="[^"]*\bcell\b'),  # myst-nb's notebook cells
}


def page_context(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """The theme's page context: the post (its header, title block and hero, comes from
    ``titleblock.header_context`` and ``hero.hero_context``), its TOC, what it loads."""
    post = get_post(app.env, pagename) if doctree is not None else None
    context["article_post"] = post
    context["article_review"] = app.config.article_review
    context["article_venue"] = app.config.article_venue
    context["article_toc_depth"] = app.config.article_toc_depth
    if post is not None:
        context["toc"] = post_toc(app, pagename)
        if post.lang:  # <html lang> of a post written in another language
            context["language"] = post.lang
    if app.config.html_theme == "sphinx_article":
        from .features.mathfont import served_font  # the site's subset once written

        trim_page_assets(pagename, context, served_font(app))


def trim_page_assets(pagename: str, context: dict[str, Any], font: Path | None = None) -> None:
    """What this page loads: only the component assets it uses, scripts deferred, the
    math font preloaded where there is math, one viewport tag."""
    html = context.get("article_hero", "") + context.get("body", "")  # title block: no assets
    context["metatags"] = DOCUTILS_VIEWPORT.sub("", context.get("metatags", ""))
    font = font or components_dir() / MATH_FONT
    context["article_preload_math"] = (
        "<math" in html and font.is_file() and font.stat().st_size <= MATH_FONT_PRELOAD_MAX
    )

    def used(asset: Any) -> bool:
        name = Path(str(getattr(asset, "filename", "") or "")).name
        marker = OPTIONAL_ASSETS.get(name) or next(
            (m for prefix, m in OPTIONAL_PREFIXES.items() if name.startswith(prefix)), None
        )
        return marker is None or bool(marker.search(html))

    if isinstance(context.get("css_files"), list):
        context["css_files"] = [css for css in context["css_files"] if used(css)]
    if isinstance(context.get("script_files"), list):
        scripts = [js for js in context["script_files"] if used(js)]
        if pagename != "search":  # search.html's own <script> tags expect the others loaded
            scripts = [deferred(js) for js in scripts]
        context["script_files"] = scripts


def deferred(js: Any) -> Any:
    """The same script with ``defer`` (a copy: the builder's objects are shared by pages)."""
    if not isinstance(js, _JavaScript) or not js.filename:
        return js
    attributes = dict(js.attributes)
    if "async" in attributes or "defer" in attributes:
        return js
    attributes["defer"] = "defer"
    return _JavaScript(js.filename, priority=js.priority, **attributes)


def post_toc(app: Sphinx, docname: str) -> str:
    """The post's headings without the root entry (the title block shows the title)."""
    toc = document_toc(app.env, docname, app.builder.tags)
    if not isinstance(toc, nodes.bullet_list) or len(toc) != 1:
        return ""
    root = toc[0]
    children = root.children if isinstance(root, nodes.Element) else []
    nested = [child for child in children if isinstance(child, nodes.bullet_list)]
    return app.builder.render_partial(nested[0])["fragment"] if nested else ""  # type: ignore[attr-defined]


_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def _rules(css: str) -> list[tuple[list[str], str]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [
        ([s.strip() for s in selectors.split(",") if s.strip()], body.strip())
        for selectors, body in _RULE.findall(css)
    ]


def scoped_dark_code_css(light_css: str, dark_css: str) -> str:
    """Pygments' dark style, applied only where the page resolves to dark on a screen:
    the system's dark setting unless the reader chose light, or the reader's dark choice.
    Token classes only the light style colours fall back to the text colour, and the
    block background stays the theme's ``--article-code-bg`` (no light corners)."""
    rules: list[str] = []
    dark_selectors: set[str] = set()
    for selectors, body in _rules(dark_css):
        selectors = [s for s in selectors if ".highlight" in s]
        if not selectors:
            continue
        if selectors == [".highlight"]:
            body = "; ".join(
                d.strip()
                for d in body.split(";")
                if d.strip() and not d.strip().startswith("background")
            )
        dark_selectors.update(selectors)
        rules.append(f"{', '.join('{root} ' + s for s in selectors)} {{ {body} }}")
    for selectors, _body in _rules(light_css):
        rest = [s for s in selectors if ".highlight " in s and s not in dark_selectors]
        if rest:
            rules.append(
                f"{', '.join('{root} ' + s for s in rest)} {{ color: inherit; background-color: transparent }}"
            )
    system = "\n".join("  " + r.replace("{root}", ':root:not([data-theme="light"])') for r in rules)
    chosen = "\n".join("  " + r.replace("{root}", ':root[data-theme="dark"]') for r in rules)
    return (
        f"/* Code in dark mode ({DARK_CODE_STYLE}), generated by sphinx-article: screens only. */\n"
        f"@media screen and (prefers-color-scheme: dark) {{\n{system}\n}}\n"
        f"@media screen {{\n{chosen}\n}}\n"
    )


def write_dark_code_css(app: Sphinx) -> None:
    """On builder-inited (this theme only): write the scoped dark code stylesheet."""
    if app.builder.format != "html" or app.config.html_theme != "sphinx_article":
        return
    light = app.builder.highlighter.get_stylesheet()  # type: ignore[attr-defined]
    dark = PygmentsBridge("html", DARK_CODE_STYLE).get_stylesheet()
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    content = scoped_dark_code_css(light, dark)
    target = static / DARK_CODE_CSS
    if not target.is_file() or target.read_text(encoding="utf-8") != content:
        target.write_text(content, encoding="utf-8")
    app.add_css_file(DARK_CODE_CSS, priority=550)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_article")  # which registers the theme itself
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def setup_html_theme(app: Sphinx) -> None:
    app.add_html_theme("sphinx_article", str(theme_dir() / "html"))
    app.connect("html-page-context", page_context)
    app.connect("builder-inited", write_dark_code_css)
