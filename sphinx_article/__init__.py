"""sphinx-article: Sphinx as a publishing system for scientific web articles."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    from . import assets, config, dependencies, domain, html_theme, latex, posts, titleblock

    dependencies.setup_dependencies(app)
    config.setup_config(app)
    app.add_domain(domain.ArticleDomain)
    posts.setup_posts(app)
    titleblock.setup_titleblock(app)
    assets.setup_assets(app)
    html_theme.setup_html_theme(app)
    latex.setup_latex(app)
    from . import review, site

    site.setup_site(app)
    review.setup_review(app)
    from . import contributions, figures, hero, notes

    hero.setup_hero(app)
    notes.setup_notes(app)
    contributions.setup_contributions(app)
    figures.setup_figures(app)
    from . import appendix, citations, meta

    citations.setup_citations(app)
    appendix.setup_appendix(app)
    meta.setup_meta(app)
    from . import equations, mathrender

    mathrender.setup_mathrender(app)
    equations.setup_equations(app)
    return {
        "version": __version__,
        "env_version": domain.ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
