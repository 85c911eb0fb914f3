"""Every ``article_*`` configuration value, declared once.

The table below is the single source of truth: ``setup_config`` registers each row
with Sphinx, ``validate_config`` checks the values on ``config-inited`` (a bad value
warns with ``article.config`` and falls back to its default, as MyST and sphinx-design
do), and the docs render the same table, so the documented defaults cannot drift.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sphinx.application import Sphinx
from sphinx.config import Config

from .model.colors import parse_hex
from .model.mathmacros import parse_table
from .model.vocabularies import LICENSES
from .warnings_ import ArticleWarning, warn

PALETTES: dict[str, tuple[str, ...]] = {
    # Okabe & Ito (2008), "Color Universal Design": distinguishable with every common
    # form of colour-blindness.  Black is left out: it is the text colour.
    "okabe-ito": (
        "#E69F00",
        "#56B4E9",
        "#009E73",
        "#F0E442",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
    ),
    # Paul Tol's "bright" qualitative scheme, also colour-blind safe.
    "tol-bright": (
        "#4477AA",
        "#EE6677",
        "#228833",
        "#CCBB44",
        "#66CCEE",
        "#AA3377",
        "#BBBBBB",
    ),
}


@dataclass(frozen=True)
class Option:
    """One ``article_<name>`` value: its default, accepted types, check and help."""

    name: str
    default: Any
    types: tuple[type, ...]
    help: str
    rebuild: str = "env"
    check: Callable[[Any], str | None] | None = None

    @property
    def key(self) -> str:
        return f"article_{self.name}"


def _url(value: str) -> str | None:
    if value and not value.startswith(("http://", "https://")):
        return "must be an absolute http(s) URL, such as 'https://blog.example.org/'"
    return None


def _palette(value: Any) -> str | None:
    if isinstance(value, str):
        if value not in PALETTES:
            return f"must be one of {', '.join(sorted(PALETTES))} or a list of hex colours"
        return None

    bad = [c for c in value if not isinstance(c, str) or parse_hex(c) is None]
    if bad or not value:
        return "must be a palette name or a non-empty list of '#rrggbb' colours"
    return None


def _positive(value: int) -> str | None:
    return None if value > 0 else "must be a positive number"


def _non_negative(value: int) -> str | None:
    return None if value >= 0 else "must be zero or a positive number"


def _license(value: str) -> str | None:
    if value in LICENSES:
        return None
    close = difflib.get_close_matches(value, list(LICENSES), n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else f"use one of {', '.join(LICENSES)}"
    return f"is not a known SPDX licence identifier ({hint})"


def _math_macros(value: Any) -> str | None:
    problems = parse_table(value, "article_math_macros")[1]
    return problems[0] if problems else None


def _launch(value: str) -> str | None:
    if value and (not value.startswith("https://") or "{path}" not in value):
        return "must be an https:// URL template containing '{path}'"
    return None


OPTIONS: tuple[Option, ...] = (
    Option(
        "venue",
        "",
        (str,),
        "Name of the track, blog or journal; shown in the byline, "
        "the citation, the feed and the ``citation_conference_title`` meta tag.",
    ),
    Option(
        "site_url",
        "",
        (str,),
        "Absolute URL the site is published at; used for "
        "canonical links, OpenGraph images, the feed and the citation. Falls back to "
        "``html_baseurl``.",
        check=_url,
    ),
    Option(
        "posts",
        "posts/*/index",
        (str,),
        "Glob (Sphinx pattern syntax, ``*`` stays "
        "within one folder) of the documents that are posts. Posts need no toctree.",
    ),
    Option(
        "license",
        "CC-BY-4.0",
        (str,),
        "SPDX id of the licence a post gets when its front matter names none.",
        check=_license,
    ),
    Option(
        "review",
        False,
        (bool,),
        "Double-blind review build: removes every author "
        "trace from every output and shows an 'under review' banner.",
    ),
    Option(
        "footnotes_as_sidenotes",
        True,
        (bool,),
        "Render ordinary footnotes as numbered sidenotes in the margin.",
    ),
    Option(
        "palette",
        "okabe-ito",
        (str, list, tuple),
        "Colours for equation terms: a "
        "palette name (``okabe-ito``, ``tol-bright``) or a list of ``#rrggbb`` colours.",
        check=_palette,
    ),
    Option(
        "image_budget_kb",
        500,
        (int,),
        "Largest image file, in KB, that the build "
        "and ``sphinx-article check`` accept without an ``article.image`` warning.",
        check=_positive,
    ),
    Option(
        "pdf",
        True,
        (bool,),
        "Write one PDF per post on ``-M latexpdf``, with no ``latex_documents`` needed.",
    ),
    Option("proceedings", False, (bool,), "Also write one proceedings PDF with every post."),
    Option(
        "proceedings_order",
        [],
        (list, tuple),
        "Docnames of posts in proceedings order; posts not listed follow, newest first.",
    ),
    Option(
        "show_drafts",
        False,
        (bool,),
        "Include ``draft: true`` posts in the index, tag pages, feed and sitemap (for previews).",
    ),
    Option(
        "raw_html",
        False,
        (bool,),
        "Allow raw output in posts: HTML in Markdown "
        "bodies, the ``raw`` directive and roles derived from it, and per-post ``myst:`` "
        "syntax settings. Off by default: raw HTML is shown as text, raw directives are "
        "refused with an ``article.security`` warning, so a post cannot inject markup "
        "or script.",
    ),
    Option(
        "toc_depth",
        2,
        (int,),
        "Heading depth of a post's table of contents (0 hides it).",
        check=_non_negative,
    ),
    Option(
        "citation_style",
        "author-year",
        (str,),
        "How citations and references look: "
        "``author-year`` (Lovelace et al., 2026; references by author) or ``numeric`` "
        "([1]; references in order of first citation). Web and PDF alike.",
        check=lambda v: (
            None if v in ("author-year", "numeric") else "must be 'author-year' or 'numeric'"
        ),
    ),
    Option(
        "notebooks",
        False,
        (bool,),
        "Load MyST-NB so posts may be Jupyter notebooks "
        "(``index.ipynb``) or MyST-NB text notebooks; listing ``myst_nb`` in "
        "``extensions`` does the same. Needs ``pip install 'sphinx-article[notebooks]'``.",
    ),
    Option(
        "notebook_output_budget_kb",
        2048,
        (int,),
        "Largest single notebook output, in "
        "KB; a larger one is left out of the page with an ``article.notebook`` warning "
        "(0 turns the check off).",
        check=_non_negative,
    ),
    Option(
        "notebook_fold_lines",
        30,
        (int,),
        "Notebook code cells longer than this many "
        'lines are folded on the web (their first lines and a "Show all N lines" '
        "control); the PDF and print show them whole. 0: never fold.",
        check=_non_negative,
    ),
    Option(
        "notebook_launch",
        "",
        (str,),
        'Template of an "Open in Colab/Binder" link '
        "shown in notebook posts' title block; ``{path}`` is the notebook's path in the "
        "site source (for example ``https://colab.research.google.com/github/me/blog/blob/"
        "main/{path}``). Empty: no link.",
        check=_launch,
    ),
    Option(
        "venue_type",
        "conference",
        (str,),
        "What ``article_venue`` is: "
        "``conference`` (``@inproceedings``, ``citation_conference_title``), ``journal`` "
        "(``@article``, ``citation_journal_title``) or ``blog`` (``@misc``).",
        check=lambda v: (
            None
            if v in ("conference", "journal", "blog")
            else "must be 'conference', 'journal' or 'blog'"
        ),
    ),
    Option(
        "math_macros",
        {},
        (dict,),
        "Math macros for every post, in the shape MathJax "
        'and KaTeX use: ``{"R": r"\\mathbb{R}", "norm": [r"\\lVert #1 \\rVert", 1]}`` '
        "(``[body, arguments]`` or ``[body, arguments, default of the first]``). A post "
        "adds its own in front matter (``math: {macros: ...}``) or with ``\\newcommand`` "
        "in a formula.",
        check=_math_macros,
    ),
)

OPTIONS_BY_KEY = {option.key: option for option in OPTIONS}


def validate_config(app: Sphinx, config: Config) -> None:
    """Warn about a wrong type or value and fall back to the documented default."""
    for option in OPTIONS:
        value = config[option.key]
        problem = None
        if not isinstance(value, option.types) or (
            isinstance(value, bool) and bool not in option.types
        ):
            names = " or ".join(t.__name__ for t in option.types)
            problem = f"must be a {names}, not {type(value).__name__}"
        elif option.check is not None:
            problem = option.check(value)
        if problem:
            warn(
                ArticleWarning.CONFIG,
                f"{option.key} = {value!r} {problem}; using the default {option.default!r}.",
                location=None,
            )
            config[option.key] = option.default


def setup_config(app: Sphinx) -> None:
    for option in OPTIONS:
        app.add_config_value(
            option.key, option.default, cast(Any, option.rebuild), types=frozenset(option.types)
        )
    app.connect("config-inited", validate_config, priority=100)
