extensions = ["myst_nb", "sphinx_article"]
html_theme = "sphinx_article"
project = "Notebook Test"
article_venue = "Test Track"
article_site_url = "https://blog.example.org/"
article_notebook_launch = "https://mybinder.org/v2/gh/me/blog/main?labpath={path}"
nb_execution_mode = "off"
exclude_patterns = ["_build"]
