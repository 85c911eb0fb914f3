"""Double-blind review builds: a post's record is made anonymous once, before any
renderer sees it.

* :func:`anonymise` turns a post's record into its anonymous form (no authors,
  affiliations, acknowledgements, funding, DOI or ``html_meta``) when it is stored, so
  the title block, meta tags, JSON-LD, citation and its ``.bib``, feed, index cards and
  PDF have nobody to name; they only show the "anonymous" label where a byline stood;
* ``html_copy_source`` and ``html_show_sourcelink`` are forced off, or Sphinx would
  publish every post's raw front matter (names, emails, ORCIDs) under ``_sources/``;
* an output folder that last held a normal build is emptied first (its ``_sources/``,
  ``searchindex.js``, pages and downloads name the authors), and the other way round;
* the "under review" banner is shown under any theme (our theme's layout has it);
* an ``article.anonymity`` warning for each author name, email or ORCID still in a
  post's text, in the file names of its images, or in its bibliography (names in
  ``note``-like fields; emails and ORCIDs anywhere).

The rules themselves (:func:`.anonymise`, :func:`.find_leaks`) are the model's
(``model/anonymity.py``): ``sphinx-article check --review`` uses them without a build.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from docutils import nodes

from ..domain import article_domain
from ..model.anonymity import anonymise, find_leaks
from ..warnings_ import ArticleWarning, warn
from .pagetemplates import render

# -- the build ---------------------------------------------------------------------------


def store_anonymous_record(app: Any, docname: str, source: list[str]) -> None:
    """``source-read``, after every reader stored the post's record: in a review build,
    warn about each leak (checked against the real authors), then replace the record by
    its anonymous form, before any directive, transform or writer reads it."""
    posts = article_domain(app.env).posts
    post = posts.get(docname)
    if not app.config.article_review or post is None:
        return
    folder = Path(app.env.doc2path(docname)).parent
    problems, bib = find_leaks(source[0], post, folder, Path(app.srcdir))
    for problem in problems:
        warn(problem.subtype, problem.message, location=(docname, problem.line))
    for path, line, message in bib:
        warn(ArticleWarning.ANONYMITY, message, location=f"{path}:{line}")
    posts[docname] = anonymise(post)


MARKER = ".sphinx-article-build"  #: names the kind of build an output folder holds


def clear_stale_output(app: Any) -> None:
    """Switching an output folder between normal and review builds empties it first.

    A normal build leaves ``_sources/``, ``searchindex.js`` (Sphinx keeps old words in
    it), pages, downloads and PDFs that name the authors; a review build into the same
    folder would publish them beside the anonymous pages.  The doctree cache and any
    folder holding the sources are kept.
    """
    if app.builder.format not in ("html", "latex"):
        return
    outdir = Path(app.outdir)
    kind = "review" if app.config.article_review else "public"
    marker = outdir / MARKER
    previous = marker.read_text(encoding="utf-8").strip() if marker.is_file() else None
    if previous != kind and (previous is not None or kind == "review") and outdir.is_dir():
        keep = [
            Path(app.doctreedir).resolve(),
            Path(app.srcdir).resolve(),
            Path(app.confdir).resolve(),
        ]
        for child in outdir.iterdir():
            real = child.resolve()
            if any(k == real or k.is_relative_to(real) for k in keep):
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
    outdir.mkdir(parents=True, exist_ok=True)
    marker.write_text(kind + "\n", encoding="utf-8")


def force_private_sources(app: Any, config: Any) -> None:
    """A review build never publishes ``_sources/`` (raw posts name their authors)."""
    if config.article_review:
        config.html_copy_source = False
        config.html_show_sourcelink = False


def banner_for_other_themes(
    app: Any,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Our theme's layout shows the banner itself; other themes get it above the body."""
    other_theme = app.config.article_review and app.config.html_theme != "sphinx_article"
    if other_theme and "body" in context:
        banner = render(app.builder, "review-banner.html")  # the template the layout includes
        if banner not in context["body"]:
            context["body"] = banner + context["body"]


def setup_review(app: Any) -> None:
    app.connect("config-inited", force_private_sources, priority=900)
    app.connect("builder-inited", clear_stale_output, priority=100)
    app.connect("source-read", store_anonymous_record, priority=700)
    app.connect("html-page-context", banner_for_other_themes)
