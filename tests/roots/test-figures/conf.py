extensions = ["sphinx_article"]
html_theme = "sphinx_article"
project = "Figures Test"
article_venue = "Test Track"
article_site_url = "https://blog.example.org/"
exclude_patterns = ["_build"]
numfig = True
