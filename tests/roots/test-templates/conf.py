# A site that overrides two of sphinx-article's templates from its own _templates/.
extensions = ["sphinx_article"]
html_theme = "sphinx_article"
templates_path = ["_templates"]
project = "Template Track"
article_venue = "Template Track"
article_site_url = "https://templates.example.org/"
