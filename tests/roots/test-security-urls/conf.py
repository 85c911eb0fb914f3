extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Address Track"
article_site_url = "https://urls.example.org/track/"
