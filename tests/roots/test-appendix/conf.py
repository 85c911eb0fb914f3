import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
extensions = ["sphinx_article", "fakecontrib"]
html_theme = "sphinx_article"
article_venue = "Test Track"
article_site_url = "https://blog.example.org/"
article_footnotes_as_sidenotes = False
