# The example track: a conference blog-post track built with sphinx-article.
project = "Example Blog Track 2026"
author = "The track organisers"
copyright = "2026, the authors of each post"

extensions = ["sphinx_article"]
html_theme = "sphinx_article"
html_theme_options = {
    "nav_links": [("Posts", "index.html#posts"), ("Tags", "tags/index.html"), ("About", "about.html")],
}
html_title = "Example Blog Track 2026"

article_venue = "Example Blog Track 2026"
article_site_url = "https://blog.example.org/"
numfig = True  # "Figure 1" in {numref} cross-references (with preview popovers)


exclude_patterns = ["_build"]

# Notebook posts (posts/logistic-regression-notebook/index.ipynb): MyST-NB runs them at
# build time and caches the outputs (jupyter-cache), so a rebuild re-runs only notebooks
# whose code changed.
article_notebooks = True
nb_execution_mode = "cache"
nb_execution_timeout = 120
