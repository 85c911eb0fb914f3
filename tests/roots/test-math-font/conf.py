extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Test Track"
article_site_url = "https://blog.example.org/"
