extensions = ["sphinx_article"]
project = "Broken PDFs"
exclude_patterns = ["_build"]
