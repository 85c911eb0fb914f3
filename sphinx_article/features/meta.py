"""Scholarly metadata in a post's ``<head>``: Highwire Press ``citation_*`` tags (what
Google Scholar reads), OpenGraph and Twitter cards, a JSON-LD ``ScholarlyArticle`` and
the canonical link.

Every value comes from the front-matter record, conf.py or the post's cited entries,
never from the rendered page, and is escaped for where it goes: ``html.escape`` for
attributes; for JSON-LD ``json.dumps`` and then ``<``, ``>``, ``&`` and the two
Unicode line separators as ``\\uXXXX`` so no value can close the ``<script>``.  Review
builds name no author, affiliation or ORCID.
"""

from __future__ import annotations

import functools
import json
from html import escape
from typing import Any

from docutils import nodes
from pybtex.backends.plaintext import Backend as PlainText
from pybtex.database import Entry
from pybtex.richtext import Text
from sphinx.application import Sphinx

from ..domain import get_post, get_record
from ..model.bibfiles import person_text
from ..model.frontmatter import Author, Post
from ..model.urls import post_url, site_url
from ..model.vocabularies import LICENSES
from .citations import cited_entries
from .hero import HERO

_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def json_for_script(data: Any) -> str:
    """JSON that is inert inside ``<script type="application/ld+json">``."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    for char, code in _SCRIPT_UNSAFE.items():
        text = text.replace(char, code)
    return text


_PLAIN = PlainText()  # one backend: render_as("text") would look it up on every call


def _meta(name: str, content: str, attr: str = "name") -> str:
    return f'<meta {attr}="{escape(name)}" content="{escape(content)}" />'


@functools.lru_cache(maxsize=4096)
def latex_to_text(value: str) -> str:
    """A bib field as plain text (``{\\"O}ztireli`` -> ``Öztireli``), by pybtex."""
    try:
        return Text.from_latex(value).render(_PLAIN).strip()
    except Exception:  # pybtex raises bare PybtexError subclasses on odd input
        return value.replace("{", "").replace("}", "")


def reference_content(entry: Entry) -> str:
    """One ``citation_reference``: ``citation_title=...; citation_author=...``."""
    parts = []
    fields = entry.fields
    if "title" in fields:
        parts.append(("citation_title", latex_to_text(fields["title"])))
    for person in entry.persons.get("author", []):  # biblatex names parsed by bibfiles
        parts.append(("citation_author", latex_to_text(person_text(person))))
    for field, tag in (
        ("journal", "citation_journal_title"),
        ("booktitle", "citation_conference_title"),
        ("year", "citation_publication_date"),
        ("volume", "citation_volume"),
        ("doi", "citation_doi"),
        ("url", "citation_fulltext_html_url"),
    ):
        if field in fields:
            value = fields[field] if field in ("doi", "url") else latex_to_text(fields[field])
            parts.append((tag, value))
    # ';' separates the parts: in a DOI or URL it is percent-encoded (resolvers accept
    # it), in text it becomes ','
    return "; ".join(f"{tag}={_no_semicolon(tag, value)}" for tag, value in parts)


def _no_semicolon(tag: str, value: str) -> str:
    if tag in ("citation_doi", "citation_fulltext_html_url"):
        return value.replace(";", "%3B")
    return value.replace(";", ",")


def _affiliations(post: Post, author: Author) -> list[str]:
    return [a.name for a in (post.affiliation(i) for i in author.affiliations) if a]


def hero_url(app: Sphinx, docname: str, base: str) -> tuple[str, str]:
    """(absolute URL, alt text) of the post's hero image, or ('', '')."""
    record = get_record(app.env, docname, HERO)
    image = record["image"] if record else None
    if not base or not record or not image or image not in app.env.images:
        return "", ""
    imagedir = getattr(app.builder, "imagedir", "_images")
    return f"{base}{imagedir}/{app.env.images[image][1]}", record.get("alt", "")


def highwire(app: Sphinx, post: Post, pdf: str) -> list[str]:
    config = app.config
    tags = [_meta("citation_title", post.title)]
    for author in post.authors:  # none in review builds (anonymity.anonymise)
        tags.append(_meta("citation_author", author.name))
        tags.extend(
            _meta("citation_author_institution", name) for name in _affiliations(post, author)
        )
        if author.orcid:
            tags.append(_meta("citation_author_orcid", author.orcid_url))
        if author.email and author.corresponding:
            tags.append(_meta("citation_author_email", author.email))
    if post.published:
        tags.append(_meta("citation_publication_date", post.published.replace("-", "/")))
    if config.article_venue:
        kind = "journal" if config.article_venue_type != "conference" else "conference"
        tags.append(_meta(f"citation_{kind}_title", config.article_venue))
    if post.doi:
        tags.append(_meta("citation_doi", post.doi))
    if pdf:
        tags.append(_meta("citation_pdf_url", pdf))
    if post.keywords or post.tags:
        tags.append(_meta("citation_keywords", "; ".join(post.keywords or post.tags)))
    if post.lang:
        tags.append(_meta("citation_language", post.lang))
    tags.extend(
        _meta("citation_reference", reference_content(entry))
        for entry in cited_entries(app.env, post.docname)
    )
    return tags


#: sphinxext-opengraph: when a site loads it, its ``og:`` tags (and ``twitter:card``,
#: which it writes with social cards) are the page's; ``article:`` and the other
#: ``twitter:`` tags, which it does not write, stay.
OPENGRAPH = "sphinxext.opengraph"
OPENGRAPH_OWNS = ('<meta property="og:', '<meta name="twitter:card"')


def cards(app: Sphinx, post: Post, url: str, image: str, alt: str) -> list[str]:
    config = app.config
    site_name = config.article_venue or config.project
    tags = [
        _meta("og:type", "article", "property"),
        _meta("og:title", post.title, "property"),
        _meta("og:site_name", site_name, "property"),
    ]
    if post.description:
        tags.append(_meta("og:description", post.description, "property"))
    if url:
        tags.append(_meta("og:url", url, "property"))
    if image:
        tags.append(_meta("og:image", image, "property"))
        if alt:
            tags.append(_meta("og:image:alt", alt, "property"))
    if post.published:
        tags.append(_meta("article:published_time", post.published, "property"))
    if post.updated:
        tags.append(_meta("article:modified_time", post.updated, "property"))
    tags.extend(_meta("article:author", a.name, "property") for a in post.authors)
    tags.extend(_meta("article:tag", tag, "property") for tag in post.tags)
    tags.append(_meta("twitter:card", "summary_large_image" if image else "summary"))
    tags.append(_meta("twitter:title", post.title))
    if post.description:
        tags.append(_meta("twitter:description", post.description))
    if image:
        tags.append(_meta("twitter:image", image))
        if alt:
            tags.append(_meta("twitter:image:alt", alt))
    if OPENGRAPH in app.extensions:  # the site's own Open Graph extension writes them
        tags = [tag for tag in tags if not tag.startswith(OPENGRAPH_OWNS)]
    return tags


def json_ld(app: Sphinx, post: Post, url: str, image: str, pdf: str) -> dict[str, Any]:
    config = app.config
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": post.title,
        "name": post.title,
    }
    if post.description:
        data["description"] = post.description
    if post.abstract:
        data["abstract"] = post.abstract
    if post.authors:
        data["author"] = [_person(post, author) for author in post.authors]
    if post.published:
        data["datePublished"] = post.published
    data["dateModified"] = post.updated or post.published or None
    if url:
        data["url"] = data["mainEntityOfPage"] = url
    if post.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": post.doi}
        data["sameAs"] = f"https://doi.org/{post.doi}"
    license_url = LICENSES.get(post.license, ("", ""))[1]
    if license_url or post.license:
        data["license"] = license_url or post.license
    if image:
        data["image"] = image
    if pdf:
        data["encoding"] = {
            "@type": "MediaObject",
            "encodingFormat": "application/pdf",
            "contentUrl": pdf,
        }
    if config.article_venue:
        kind = "Periodical" if config.article_venue_type != "conference" else "Event"
        data["isPartOf" if kind == "Periodical" else "publication"] = {
            "@type": kind,
            "name": config.article_venue,
        }
        data["publisher"] = {"@type": "Organization", "name": config.article_venue}
    if post.funding:  # schema.org's funding is a Grant; the statement is its name
        data["funding"] = {"@type": "Grant", "name": post.funding}
    if post.keywords or post.tags:
        data["keywords"] = post.keywords or post.tags
    if post.lang:
        data["inLanguage"] = post.lang
    cited = cited_entries(app.env, post.docname)
    if cited:
        data["citation"] = [
            {
                "@type": "CreativeWork",
                "name": latex_to_text(e.fields.get("title", "") or e.key.partition("#")[2]),
            }
            for e in cited
        ]
    return {k: v for k, v in data.items() if v is not None}


def _person(post: Post, author: Author) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": author.name}
    parts = author.person
    if parts.given and parts.family:  # schema.org's familyName keeps the particle
        person["givenName"] = parts.given
        person["familyName"] = " ".join(p for p in (parts.particle, parts.family) if p)
    if author.url:
        person["url"] = author.url
    if author.orcid:
        person["identifier"] = person["sameAs"] = author.orcid_url
    affiliations = []
    for ident in author.affiliations:
        aff = post.affiliation(ident)
        if aff:
            org: dict[str, Any] = {"@type": "Organization", "name": aff.name}
            if aff.url:
                org["url"] = aff.url
            if aff.ror:
                org["identifier"] = aff.ror  # a URL already (frontmatter: people.ror_url)
            affiliations.append(org)
    if affiliations:
        person["affiliation"] = affiliations
    return person


def add_metadata(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``html-page-context``: every scholarly meta tag of a post page."""
    post = get_post(app.env, pagename) if doctree is not None else None
    if post is None:
        return
    base = site_url(app.config)
    url = post_url(app.config, pagename, app.builder.name)
    image, alt = hero_url(app, pagename, base)
    pdf = app.emit_firstresult("article-pdf-url", app.builder, pagename) or ""
    if pdf and "://" not in pdf:
        page_dir = app.builder.get_target_uri(pagename).rpartition("/")[0]
        pdf = f"{base}{page_dir + '/' if page_dir else ''}{pdf}" if base else ""
    tags = highwire(app, post, pdf) + cards(app, post, url, image, alt)
    existing = context.get("metatags", "")
    if post.description and 'name="description"' not in existing:
        tags.insert(0, _meta("description", post.description))
    if url and not context.get("pageurl"):
        tags.append(f'<link rel="canonical" href="{escape(url)}" />')
    tags.append(
        '<script type="application/ld+json">'
        f"{json_for_script(json_ld(app, post, url, image, pdf))}</script>"
    )
    context["metatags"] = existing + "\n" + "\n".join(tags) + "\n"


def setup_meta(app: Sphinx) -> None:
    app.connect("html-page-context", add_metadata)
