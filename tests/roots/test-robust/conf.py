extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Robust Track"
article_site_url = "https://blog.example.org/"
article_image_budget_kb = 2
article_license = "CC-BY-5.0"
exclude_patterns = ["_build"]
