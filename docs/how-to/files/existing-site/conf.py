# conf.py of an existing site that now publishes articles.
project = "The Lab"
author = "The Lab"

extensions = [
    "sphinx.ext.intersphinx",  # the site's existing extensions stay
    "sphinx_article",  # also sets up MyST-Parser, sphinxcontrib-bibtex...
]
html_theme = "alabaster"  # the site keeps its theme

article_venue = "The Lab Blog"
article_site_url = "https://lab.example.org/"
article_posts = "blog/*/index"  # posts live at blog/<slug>/index.md
