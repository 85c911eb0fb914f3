"""The model: what a post *is*, with no Sphinx imported.

The front-matter record and every value derived from it (names, ORCID and ROR
addresses, display dates, page addresses, colours, paths inside the site, a post's
bibliography and Markdown scan) live here once.  The build, the PDF and the command line
all ask these modules; ``tests/test_architecture.py`` fails if one of them loads Sphinx.
"""
