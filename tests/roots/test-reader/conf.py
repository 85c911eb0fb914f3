extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Reader Track"
article_site_url = "https://reader.example.org/"
