"""The extensions a post needs, set up by ``extensions = ["sphinx_article"]`` alone."""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config

from ._compat import raw_config
from .model.mdscan import MYST_EXTENSIONS  # one list: the build parses as check scans
from .notebooks.mystnb import markdown_parser_extension


def configure_myst(app: Sphinx, config: Config) -> None:
    """Add the MyST syntax posts use, and the raw-HTML policy (``article_raw_html``)."""
    config.myst_enable_extensions = sorted(
        set(config.myst_enable_extensions) | set(MYST_EXTENSIONS)
    )
    if not config.article_raw_html:
        disabled = set(config.myst_disable_syntax) | {"html_block", "html_inline"}
        config.myst_disable_syntax = sorted(disabled)
    if "numfig" not in raw_config(config):  # articles number figures, tables and code
        config.numfig = True
    # Posts take their title from the front matter, so their headings may start at H2.
    suppressed = list(config.suppress_warnings)
    if "myst.header" not in suppressed:
        config.suppress_warnings = [*suppressed, "myst.header"]


def setup_dependencies(app: Sphinx) -> None:
    # myst-nb registers the Markdown parser itself: loading both would clash on '.md'
    parser = markdown_parser_extension(app)
    for name in (parser, "sphinxcontrib.bibtex", "sphinx_design", "sphinx_copybutton"):
        app.setup_extension(name)
    app.connect("config-inited", configure_myst, priority=100)
