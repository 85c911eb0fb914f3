# conf.py: load the stylesheet after sphinx-article's own.
html_static_path = ["_static"]
html_css_files = ["custom.css"]

# Colours of equation terms: a palette name or your own list.
article_palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"]

# Templates here replace the theme's templates of the same name.
templates_path = ["_templates"]
