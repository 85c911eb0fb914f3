extensions = ["sphinx_article"]
html_theme = "sphinx_article"
article_venue = "Test Track"
article_site_url = "https://blog.example.org/"
# Site-wide macros, in the shape MathJax and KaTeX users know.
article_math_macros = {
    "R": r"\mathbb{R}",
    "norm": [r"\lVert #1 \rVert", 1],
    "pair": [r"(#1, #2)", 2, "0"],
}
