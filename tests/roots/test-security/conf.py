extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Security Track"
article_site_url = "https://secure.example.org/"
