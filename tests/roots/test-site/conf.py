extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Site Track"
article_site_url = "https://site.example.org/"
project = "Site Track"
