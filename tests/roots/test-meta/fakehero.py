"""Stores a ``hero`` record the way hero.py does, so meta.py can be tested alone."""

from sphinx_article.domain import set_record
from sphinx_article.features.hero import HERO, HeroRecord


def record(app, doctree):  # type: ignore[no-untyped-def]
    if app.env.docname == "posts/full/index":
        set_record(
            app.env,
            app.env.docname,
            HERO,
            HeroRecord(line=1, image="posts/full/hero.png", alt="A saliency map over a sentence."),
        )


def setup(app):  # type: ignore[no-untyped-def]
    app.connect("doctree-read", record)
    return {"parallel_read_safe": True}
