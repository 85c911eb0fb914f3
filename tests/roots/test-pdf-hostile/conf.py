extensions = ["sphinx_article"]
project = "Hostile \\input{/etc/passwd} % # & ~ ^ _ {"
article_venue = "Venue \\write18{id} % # & ~ ^ _ }"
article_site_url = "https://blog.example.org/"
exclude_patterns = ["_build"]
