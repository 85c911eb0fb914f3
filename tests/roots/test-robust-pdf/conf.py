extensions = ["sphinx_article"]
project = "Robust PDFs"
exclude_patterns = ["_build"]
