extensions = ["sphinx_article"]
html_theme = "sphinx_article"
project = "My notebook blog"
article_site_url = "https://blog.example.org/"

article_notebooks = True  # posts may be Jupyter notebooks (loads MyST-NB)
nb_execution_mode = "cache"  # run notebooks at build time; re-run only when code changes
