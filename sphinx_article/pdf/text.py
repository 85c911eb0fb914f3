"""What a PDF prints about a post, as plain strings: the author line, the running
header's title, a URL as ``\\href``'s argument.  The post's own PDF (``titleblock``) and
the proceedings (``proceedings``) both print them, so the rules live here, once; no
Sphinx needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from ..model.frontmatter import Post


def author_names(config: Any, post: Post) -> str:
    """The PDF's author line: the names in order, or "Anonymous" for a review build."""
    if config.article_review:
        return "Anonymous"
    return ", ".join(author.name for author in post.authors)


def tex_url(url: str) -> str:
    """A URL as the first argument of ``\\href``, even inside another macro's argument:
    everything but ``A-Za-z0-9/:.-@+`` percent-encoded, then ``%`` escaped."""
    encoded = quote(url, safe="/:.-@+").replace("_", "%5F").replace("~", "%7E")
    return encoded.replace("%", r"\%")


def short_title(title: str, limit: int = 70) -> str:
    """The running header's title: cut at a word before ``limit`` characters."""
    text = " ".join(title.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
