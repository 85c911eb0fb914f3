"""A page's address, one rule per kind of HTML output.

Sphinx's ``html`` builder writes ``posts/x/index.html``; ``dirhtml`` writes the same page
as ``posts/x/index.html`` but links it as ``posts/x/``.  The citation (and its ``.bib``
download), the canonical link, OpenGraph, JSON-LD, the feed, the sitemap and the PDF's
figure links must all give the same address, so they all call :func:`page_path` /
:func:`page_url`.  No Sphinx needed.
"""

from __future__ import annotations

from typing import Any

#: builders whose pages are folders (``posts/x/``)
DIRECTORY_BUILDERS = frozenset({"dirhtml"})


def url_kind(builder_name: str) -> str:
    """``"dirhtml"`` for folder-style pages, else ``"html"`` (the PDF links to the web
    pages of an ``html`` build)."""
    return "dirhtml" if builder_name in DIRECTORY_BUILDERS else "html"


def page_path(docname: str, kind: str = "html", suffix: str = ".html") -> str:
    """The site-relative address of ``docname``, as Sphinx's builder of that kind links it.

    >>> page_path("posts/x/index", "dirhtml"), page_path("posts/x/index")
    ('posts/x/', 'posts/x/index.html')
    """
    if kind == "dirhtml":
        if docname == "index":
            return ""
        if docname.endswith("/index"):
            return docname[: -len("index")]
        return docname + "/"
    return docname + suffix


def link_suffix(config: Any) -> str:
    """The suffix Sphinx puts in links (``html_link_suffix``, else ``html_file_suffix``)."""
    return (
        getattr(config, "html_link_suffix", None)
        or getattr(config, "html_file_suffix", None)
        or ".html"
    )


def page_url(base: str, docname: str, kind: str = "html", suffix: str = ".html") -> str:
    """The absolute address of ``docname`` under ``base`` ('' when ``base`` is '')."""
    if not base:
        return ""
    return base + page_path(docname, kind, suffix)


def site_url(config: Any) -> str:
    """The site's absolute URL with a trailing slash, or '' when unknown."""
    url = config.article_site_url or config.html_baseurl or ""
    return url if not url or url.endswith("/") else url + "/"


def post_url(config: Any, docname: str, builder_name: str = "html") -> str:
    """The absolute address of a page for this configuration and builder."""
    return page_url(site_url(config), docname, url_kind(builder_name), link_suffix(config))
