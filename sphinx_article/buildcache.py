"""Keep the theme's compiled Jinja templates between builds.

Sphinx compiles every template (``layout.html``, ``genindex.html``, the search page,
...) from source in each new process; on a rebuild that changes one post, that is a
large part of the time spent in ``finish``.  Jinja's own bytecode cache, in the
doctree folder, keys each entry by the template's name and a checksum of its source,
so a changed template is recompiled and a stale entry is never used.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from sphinx.application import Sphinx

CACHE_FOLDER = "jinja-bytecode"


def cache_templates(app: Sphinx) -> None:
    """On builder-inited: give the builder's Jinja environment a bytecode cache."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if not isinstance(environment, Environment) or environment.bytecode_cache is not None:
        return  # another template bridge, or a cache already set by the site
    folder = Path(app.doctreedir) / CACHE_FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # a read-only doctree folder: compile as Sphinx does
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup_buildcache(app: Sphinx) -> None:
    app.connect("builder-inited", cache_templates)
