extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Blind Track"
article_site_url = "https://blind.example.org/"
