extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Hostile </title><script>alert('XSS-VENUE')</script> & \\input{/etc/passwd}"
article_site_url = "https://blog.example.org/"
