"""sphinx-article: Sphinx as a publishing system for scientific web articles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    # lazy: `import sphinx_article` (the CLI, `__version__`) must not load the whole extension
    from . import assets, buildcache, config, dependencies, domain, guard, html_theme
    from .features import (
        appendix,
        citations,
        contributions,
        eqnumbers,
        equations,
        figures,
        guards,
        hero,
        imagenames,
        mathfont,
        mathrender,
        meta,
        notes,
        posts,
        review,
        titleblock,
    )
    from .notebooks import mystnb as notebooks
    from .pdf import latex, mathlatex
    from .site import feed, postindex, tags

    with guard.guarding(app):
        # the spine: dependencies, configuration, per-post state, front matter, theme, PDF
        dependencies.setup_dependencies(app)
        config.setup_config(app)
        domain.setup_domain(app)
        posts.setup_posts(app)
        titleblock.setup_titleblock(app)
        assets.setup_assets(app)
        html_theme.setup_html_theme(app)
        buildcache.setup_buildcache(app)
        latex.setup_latex(app)
        # one feature each
        # the site: post index, tag pages, feed and sitemap
        postindex.setup_postindex(app)
        tags.setup_tags(app)
        feed.setup_feed(app)
        review.setup_review(app)
        hero.setup_hero(app)
        notes.setup_notes(app)
        contributions.setup_contributions(app)
        figures.setup_figures(app)
        imagenames.setup_imagenames(app)
        guards.setup_guards(app)  # after figures: wraps its csv-table
        citations.setup_citations(app)
        appendix.setup_appendix(app)
        meta.setup_meta(app)
        mathrender.setup_mathrender(app)
        mathfont.setup_mathfont(app)  # the math font subset to the site's formulas
        mathlatex.setup_mathlatex(app)  # the PDF's formulas
        eqnumbers.setup_eqnumbers(app)  # equation labels per post
        equations.setup_equations(app)
        notebooks.setup_notebooks(app)
    guard.setup_guard(app)
    return {
        "version": __version__,
        "env_version": domain.ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
