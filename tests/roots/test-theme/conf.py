extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Theme Track"
article_site_url = "https://theme.example.org/"
