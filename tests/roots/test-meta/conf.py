extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Test Journal"
article_venue_type = "journal"
article_site_url = "https://blog.example.org/"

# Stand in for hero.py: the meta tags only read the post's "hero" record.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
extensions.append("fakehero")
