"""Stands in for the author-contributions directive: a node marked for the appendix."""

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class FakeContributions(SphinxDirective):
    has_content = True

    def run(self):  # type: ignore[no-untyped-def]
        node = nodes.container(article_appendix="contributions", classes=["contrib"])
        node += nodes.paragraph(text="Conceptualization: A. Lovelace.")
        return [node]


def setup(app):  # type: ignore[no-untyped-def]
    app.add_directive("fake-contributions", FakeContributions)
    return {"parallel_read_safe": True}
