extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Theme Track"
