"""The page's features, one module each, with its HTML and LaTeX visitors side by side:
posts and their title block, hero, figures and media, notes, contributions, equations
and math, citations and the appendix, metadata, the review build and the guards."""
