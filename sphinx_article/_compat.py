"""The boundary around upstream internals: every private attribute or monkeypatch of
Sphinx, docutils and pybtex that sphinx-article relies on is reached through here, so a
new upstream release is checked in one place.

What is still used directly, and where (keep this list when adding to it):

- sphinxcontrib-bibtex's internals in ``citations.py``: ``citation_refs``, ``bibdata``,
  a hand-built ``BibliographyValue`` (its fields), ``BibtexDomain`` (per-post keys); in
  ``citeindex.py``: the domain's ``citations``/``citation_refs`` lists, narrowed per
  call, and subclasses of its ``resolve_xref`` and ``BibliographyTransform``;
- myst-parser's ``MockState._renderer`` in ``guards.py`` (includes in MyST); its option
  tokenizer goes through :func:`option_tokens` here;
- MyST-NB's ``myst_nb._compat.get_env_app`` in ``notebook_plotly.py``/``notebook_vega.py``.

``TESTED`` names the upstream versions the suite runs on (the pins in pyproject.toml
keep to them); :func:`untested` says which installed ones fall outside, for a warning.
"""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import pybtex.plugin
from myst_parser.parsers import options as myst_options

#: distribution -> (oldest, first not supported): the ranges of pyproject.toml's pins
TESTED = {
    "sphinx": ("9.0", "10"),
    "myst-parser": ("5.0", "6"),
    "sphinxcontrib-bibtex": ("2.7", "2.8"),
    "pybtex": ("0.25", "0.27"),
}


def _key(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def untested() -> dict[str, str]:
    """Installed upstreams outside :data:`TESTED` (distribution -> installed version)."""
    found = {}
    for name, (low, high) in TESTED.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue
        if not _key(low) <= _key(installed) < _key(high):
            found[name] = installed
    return found


# -- Sphinx ----------------------------------------------------------------------------


def raw_config(config: Any) -> dict[str, Any]:
    """The values conf.py set itself (``Config._raw_config``): tells "the site chose
    this" from "Sphinx's default", which the public ``Config`` does not."""
    return dict(getattr(config, "_raw_config", {}))


def builder_format(env: Any) -> str:
    """The running builder's format while reading (``env._builder_cls``): transforms
    that differ per format run before ``app.builder`` is reachable from them."""
    return str(env._builder_cls.format)


def env_app(env: Any) -> Any:
    """The application from a transform (``env._app``), as Sphinx's own post-transforms
    reach it since ``SphinxTransform.app`` was deprecated."""
    return env._app


def settings_docname(settings: Any) -> str:
    """The document being written (``settings._docname``, set by the LaTeX writer)."""
    return str(settings._docname)


# -- myst-parser -----------------------------------------------------------------------


def option_tokens(text: str) -> list[tuple[Any, Any]]:
    """A ``:key: value`` option block as myst-parser's (key, value) tokens, with their
    positions (``mdscan`` locates each option).  myst-parser 5.1 made this public as
    ``options_to_tokens``; 5.0 has the same generator as ``_to_tokens``."""
    if hasattr(myst_options, "options_to_tokens"):
        return list(myst_options.options_to_tokens(text)[0])
    return list(myst_options._to_tokens(text, myst_options.State()))


# -- pybtex ----------------------------------------------------------------------------


def cache_pybtex_plugins() -> None:
    """pybtex looks up every style, backend and parser plugin through importlib.metadata's
    ``entry_points()``, which rescans all installed distributions on each call (~50 ms):
    thousands of calls per build.  The installed plugins do not change while Python
    runs, so the answer is remembered (once per process)."""
    if not hasattr(pybtex.plugin.entry_points, "cache_info"):
        pybtex.plugin.entry_points = functools.lru_cache(maxsize=None)(pybtex.plugin.entry_points)
