extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Review Track"
article_site_url = "https://review.example.org/"
article_review = True
