# The sphinx-article documentation, built with sphinx-article itself.
project = "sphinx-article"
author = "sphinx-article developers"
copyright = "2026, sphinx-article developers"

# sphinx_article._docs adds the directives that render the reference tables from the
# code (configuration, warnings, front-matter keys...): the docs cannot drift.
extensions = ["sphinx_article", "sphinx_article._docs"]
html_theme = "sphinx_article"
html_title = "sphinx-article"
html_theme_options = {
    "nav_links": [
        ("Tutorial", "tutorial/index.html"),
        ("How-to", "how-to/index.html"),
        ("Reference", "reference/index.html"),
        ("Explanation", "explanation/index.html"),
    ],
}
article_venue = "sphinx-article documentation"
article_site_url = "https://sphinx-article.example.org/"
# Example posts shown in the docs live under examples/.
article_posts = "examples/*/index"
# */files hold the sites and files the pages show; tests/test_docs.py runs them.
exclude_patterns = ["_build", "tutorial/files", "how-to/files"]
# The copy button leaves the "$ " of shell examples out.
copybutton_prompt_text = "$ "
