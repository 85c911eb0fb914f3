extensions = ["sphinx_article"]
html_theme = "sphinx_article"
project = "PDF Test Track"
article_venue = "PDF Test Track 2026"
article_site_url = "https://blog.example.org/"
# "**" lets posts live deeper, so two posts can share a slug ("full").
article_posts = "posts/**/index"
exclude_patterns = ["_build"]
# The PDF tests write raw LaTeX on purpose: the site allows raw output.
article_raw_html = True
