extensions = ["sphinx_article"]
html_theme = "sphinx_article"
project = "PDF Reader Test"
# An apostrophe in the venue: BibTeX must carry it plain, not \textquotesingle{}.
article_venue = "The Reader's Track 2026"
article_site_url = "https://blog.example.org/"
exclude_patterns = ["_build"]
