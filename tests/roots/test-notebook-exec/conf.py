extensions = ["sphinx_article"]
article_notebooks = True
html_theme = "sphinx_article"
project = "Notebook Execution Test"
article_site_url = "https://blog.example.org/"
nb_execution_mode = "force"
nb_execution_timeout = 60
exclude_patterns = ["_build"]
