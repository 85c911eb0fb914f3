# Interoperation (issue 18, step 5): sphinx-design/copybutton assets scoped per page;
# sphinxext-opengraph and sphinx-sitemap, when a test adds them, own og: and sitemap.xml.
extensions = ["sphinx_article"]
html_theme = "sphinx_article"
project = "Interop Test"
article_venue = "Interop Track"
article_site_url = "https://interop.example.org/"
exclude_patterns = ["_build"]
