"""The registry of warning subtypes, and the one function that emits them.

Every author mistake is reported as ``type="article"`` with a subtype from
:class:`ArticleWarning`, so ``suppress_warnings = ["article.orcid"]`` works and the
docs list every subtype from this enum (they cannot drift from the code).  Sphinx
appends ``[article.<subtype>]`` itself: messages must not.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from sphinx.util import logging

logger = logging.getLogger("sphinx_article")


class ArticleWarning(Enum):
    """A warning subtype: ``value`` is the subtype, ``description`` says what triggers it."""

    description: str

    def __new__(cls, subtype: str, description: str) -> ArticleWarning:
        member = object.__new__(cls)
        member._value_ = subtype
        member.description = description
        return member

    # configuration and front matter
    CONFIG = ("config", "An ``article_*`` value in conf.py has the wrong type or value.")
    YAML = ("yaml", "The front matter is not valid YAML, not a mapping, too large, too "
            "deeply nested, or uses anchors and aliases.")
    KEY = ("key", "An unknown front-matter key (the closest known key is suggested).")
    TYPE = ("type", "A front-matter value has the wrong type (text, list or mapping).")
    REQUIRED = ("required", "A required front-matter key (title, description, authors, "
                "an author's name) is missing or empty.")
    TITLE = ("title", "The post's first heading differs from its front-matter title.")
    DATE = ("date", "A date is not a real ISO date (YYYY-MM-DD).")
    ORCID = ("orcid", "An ORCID iD is malformed or fails its checksum.")
    URL = ("url", "A URL is not an absolute http(s) URL, or an email address is malformed.")
    AFFILIATION = ("affiliation", "An author names an affiliation id that is not defined, "
                   "or affiliations are defined twice.")
    ROLE = ("role", "An author role is not one of the 14 CRediT roles.")
    LICENSE = ("license", "A licence is not a known SPDX identifier.")
    DOI = ("doi", "A DOI does not look like ``10.NNNN/suffix``.")
    # post body and directives
    IMAGE = ("image", "An image or media file is missing, escapes the site, or is over the "
             "image budget.")
    ALT = ("alt", "An image, figure or hero figure has no alternative text.")
    HERO = ("hero", "A post has more than one hero figure, or an animated hero has no poster.")
    OPTION = ("option", "A directive option has an unknown or invalid value.")
    NOTE = ("note", "A margin note or sidenote is misplaced (for example nested in another).")
    CONTRIBUTIONS = ("contributions", "Author contributions cannot be generated: no author "
                     "has CRediT roles and the directive has no body.")
    # math and colour
    MATH = ("math", "A formula cannot be rendered or uses a forbidden command; the LaTeX "
            "source is shown instead.")
    TERM = ("term", "An equation term is undefined, unused, or has no legend entry.")
    COLOR = ("color", "A colour is neither a ``#rrggbb`` hex colour nor a palette name.")
    CONTRAST = ("contrast", "A term colour reaches less than 3:1 contrast against the page "
                "background.")
    # citations and site
    CITATION = ("citation", "A citation key is not in the post's bibliography, or the "
                "bibliography file is missing or malformed.")
    SITE = ("site", "A site-level feature lacks what it needs (for example a feed without "
            "``article_site_url``).")
    INDEX = ("index", "A ``post-index`` option is invalid.")
    ANONYMITY = ("anonymity", "In a review build, an author's name, email or ORCID still "
                 "appears in the post.")
    PDF = ("pdf", "A post's PDF could not be compiled (the relevant LaTeX log lines follow).")


def warn(
    subtype: ArticleWarning, message: str, location: Any = None, **kwargs: Any
) -> None:
    """Emit one located ``article.<subtype>`` warning.

    ``location`` is a node, a ``(docname, line)`` pair, or a ``"path:line"`` string.
    """
    logger.warning(message, location=location, type="article", subtype=subtype.value, **kwargs)
