extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Site Track"
article_site_url = "https://site.example.org/"
project = "Site Track"


def _hero_from_first_image(app, doctree):
    """Stands in for hero.py: the post's first image is its hero."""
    from docutils import nodes

    from sphinx_article.domain import get_post, set_record

    if get_post(app.env, app.env.docname) is None:
        return
    for image in doctree.findall(nodes.image):
        set_record(app.env, app.env.docname, "hero", image["uri"])
        return


def setup(app):
    app.connect("doctree-read", _hero_from_first_image, priority=900)
