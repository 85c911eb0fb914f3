extensions = ["sphinx_article"]
html_theme = "sphinx_article"
project = "PDF Math Test Track"
article_venue = "PDF Math Test Track 2026"
article_site_url = "https://pdfmath.example.org/"
exclude_patterns = ["_build"]
