extensions = ["sphinx_article"]
project = "Broken PDFs"
exclude_patterns = ["_build"]
# The PDF tests write raw LaTeX on purpose: the site allows raw output.
article_raw_html = True
