# my-blog/conf.py: the site's configuration.
project = "My research blog"
author = "Ada Lovelace"

extensions = ["sphinx_article"]
html_theme = "sphinx_article"

article_venue = "My research blog"
article_site_url = "https://blog.example.org/"
