extensions = ["sphinx_article"]
html_theme = "sphinx_article"
project = "Numbering Test Track"
article_venue = "Numbering Test Track 2026"
exclude_patterns = ["_build"]
article_site_url = "https://numbering.example.org/"
