extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Check Track"
article_site_url = "https://check.example.org/"
article_image_budget_kb = 2
