"""Which documents are posts, and how a post's front matter enters the build.

On ``source-read`` the front matter is parsed into a :class:`~.frontmatter.Post`
(warnings at the post's file and line) and stored in the domain; then the YAML block
is blanked out, line for line, so myst-parser never loads it (it would flatten nested
values, and an alias bomb would explode in its ``json.dumps``).  On ``doctree-read``
the front-matter title becomes the document title as plain text, a first heading that
repeats it is dropped, and posts are marked orphan so they need no toctree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util.matching import patmatch

from ..domain import article_domain, get_post
from ..model.frontmatter import Post, parse_post, strip_invisible
from ..notebooks.mystnb import read_notebook_post
from ..warnings_ import ArticleWarning, warn


def is_post(config: Config, docname: str) -> bool:
    return bool(patmatch(docname, config.article_posts))


def post_docnames(env: BuildEnvironment) -> list[str]:
    """Posts with a record, sorted newest first (then by docname, for determinism)."""
    posts = article_domain(env).posts
    return sorted(posts, key=lambda d: (posts[d].published or "", d), reverse=True)


def visible(config: Config, post: Post) -> bool:
    """Whether a post is listed on index pages, tags, feed and sitemap."""
    return not post.draft or bool(config.article_show_drafts)


def read_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    if not is_post(app.config, docname):
        return
    if str(app.env.doc2path(docname)).endswith(".ipynb"):  # a notebook post (notebooks.py)
        article_domain(app.env).posts[docname] = read_notebook_post(app, docname, source)
        return
    post, problems = parse_post(docname, source[0], app.config.article_license)
    for problem in problems:
        warn(problem.subtype, problem.message, location=(docname, problem.line))
    if not post.title:
        heading = strip_invisible(_first_heading(source[0]))[0]  # it goes where titles go
        post.title = heading or post.slug.replace("-", " ").capitalize()
    post.passthrough, refused = safe_passthrough(post.passthrough, app.config.article_raw_html)
    for key, message in refused:
        warn(ArticleWarning.SECURITY, message, location=(docname, post.line(key)))
    source[0] = blank_front_matter(source[0], post)
    post.h1_first = first_heading_is_h1(source[0])
    article_domain(app.env).posts[docname] = post


#: per-post MyST settings that cannot turn raw HTML, links or syntax back on
SAFE_MYST_KEYS = frozenset(
    {
        "number_code_blocks",
        "title_to_header",
        "heading_anchors",
        "heading_anchors_html_ids",
        "footnote_sort",
        "footnote_transition",
        "words_per_minute",
        "dmath_allow_labels",
        "dmath_allow_space",
        "dmath_allow_digits",
        "dmath_double_inline",
        "enable_checkboxes",
        "strikethrough_single_tilde",
        "colon_fence_exact_match",
        "highlight_code_blocks",
        "links_external_new_tab",
        "linkify_fuzzy_links",
        "html_meta",
        "substitutions",
    }
)
#: attributes an ``html_meta`` key may set (never ``http-equiv``: it can redirect the page)
META_ATTRIBUTES = ("name", "property", "lang", "itemprop", "content")


def safe_passthrough(
    passthrough: dict[str, Any], raw_html: bool
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The front-matter keys handed to MyST, minus what would undo the site's policy.

    ``html_meta`` (top level or under ``myst``) never emits ``http-equiv`` (a refresh
    redirects readers elsewhere); unless ``article_raw_html``, a post's ``myst`` mapping
    keeps only settings that cannot re-enable raw HTML, extensions, syntax or link
    schemes.  Returns the kept keys and (front-matter key, message) for each refusal.
    """
    kept = dict(passthrough)
    refused: list[tuple[str, str]] = []
    myst = kept.get("myst")
    if isinstance(myst, dict):
        myst = dict(myst)
        if not raw_html:
            for key in [k for k in myst if k not in SAFE_MYST_KEYS]:
                del myst[key]
                refused.append(
                    (
                        f"myst.{key}",
                        f"The front-matter setting 'myst.{key}' is "
                        "not allowed in posts on this site (it could turn raw HTML "
                        "or other syntax back on) and was ignored; remove it.",
                    )
                )
        if "html_meta" in myst:
            myst["html_meta"], lost = _safe_meta(myst["html_meta"])
            refused += [("myst.html_meta", message) for message in lost]
        kept["myst"] = myst
    if "html_meta" in kept:
        kept["html_meta"], lost = _safe_meta(kept["html_meta"])
        refused += [("html_meta", message) for message in lost]
    return kept, refused


def _safe_meta(meta: Any) -> tuple[dict[str, Any], list[str]]:
    if not isinstance(meta, dict):
        return {}, ["'html_meta' must be a mapping of meta names to contents; it was ignored."]
    kept, lost = {}, []
    for key, value in meta.items():
        attributes = [part.partition("=")[0].strip().lower() for part in str(key).split()[1:]]
        first = str(key).split()[0] if str(key).split() else ""
        if "=" in first:
            attributes.insert(0, first.partition("=")[0].strip().lower())
        if not first or any(a not in META_ATTRIBUTES for a in attributes):
            lost.append(
                f"The html_meta key '{key}' was ignored: a post may set only "
                "name= and property= meta tags (never http-equiv, which can "
                "redirect readers to another site)."
            )
            continue
        kept[key] = value
    return kept, lost


def _first_heading(source: str) -> str:
    for line in source.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def blank_front_matter(source: str, post: Post) -> str:
    """Replace the YAML block by blank lines; MyST/Sphinx's own keys stay, as JSON."""
    if not post.length:
        return source
    lines = source.splitlines(keepends=True)
    if post.passthrough and post.length > 2:
        filler = ["---\n", json.dumps(post.passthrough) + "\n"]
        filler += ["\n"] * (post.length - 3) + ["---\n"]
    else:
        filler = ["\n"] * post.length
    return "".join(filler + lines[post.length :])


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def first_heading_is_h1(source: str) -> bool:
    """Whether the body's first Markdown heading (outside code fences) is a level-1 ``#``."""
    fence = ""
    for line in source.splitlines():
        stripped = line.lstrip()
        if fence:
            fence = "" if stripped.startswith(fence) else fence
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if stripped.startswith("#"):
            marks = len(stripped) - len(stripped.lstrip("#"))
            if stripped[marks : marks + 1] in (" ", "\t", ""):
                return marks == 1
    return False


def normalise_title_section(app: Sphinx, doctree: nodes.document) -> None:
    """Before the collectors run: give every post one top section titled by its front
    matter, so its ``##`` headings are level 2 on the web and ``\\section`` in LaTeX.

    A first ``# heading`` equal to the title becomes that section (the title block shows
    the title; the heading itself is hidden); a different one is kept, one level down,
    with an ``article.title`` warning.
    """
    post = get_post(app.env, app.env.docname)
    if post is None:
        return
    start = _first_content(doctree)
    first = doctree[start] if start < len(doctree) else None
    if post.h1_first and isinstance(first, nodes.section) and isinstance(first[0], nodes.title):
        heading = first[0]
        if _same(heading.astext(), post.title):
            first["article_title_section"] = True
            first.extend(doctree.children[start + 1 :])
            del doctree[start + 1 :]
            return
        warn(
            ArticleWarning.TITLE,
            f"The first heading '{heading.astext()}' differs from the "
            f"front-matter title '{post.title}'; delete the heading (the title block shows "
            f"the title) or make the two the same.",
            location=heading,
        )
    section = nodes.section("", nodes.title("", post.title), article_title_section=True)
    section["names"].append(nodes.fully_normalize_name(post.title))
    section.extend(doctree.children[start:])
    del doctree[start:]
    doctree.append(section)
    doctree.note_implicit_target(section, section)


def _first_content(doctree: nodes.document) -> int:
    for i, child in enumerate(doctree.children):
        if not isinstance(child, (nodes.target, nodes.comment, nodes.substitution_definition)):
            return i
    return 0


def set_title_and_orphan(app: Sphinx, doctree: nodes.document) -> None:
    """After the collectors: the front-matter title, as text, is the document's title."""
    env = app.env
    post = get_post(env, env.docname)
    if post is None:
        return
    title = nodes.title("", post.title)
    env.titles[env.docname] = title
    env.longtitles[env.docname] = title.deepcopy()
    env.metadata[env.docname]["orphan"] = True
    if post.lang:
        env.metadata[env.docname]["lang"] = post.lang


def skip_undecodable(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Sphinx itself crashes on a source that is not UTF-8: warn and leave it out."""
    encoding = app.config.source_encoding
    for docname in list(docnames):
        raw = Path(env.doc2path(docname)).read_bytes()
        try:
            raw.decode(encoding)
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            warn(
                ArticleWarning.ENCODING,
                f"The file is not valid {encoding} (byte "
                f"0x{raw[exc.start]:02x} on this line); save it as UTF-8. It is left out of "
                f"the build until then.",
                location=(docname, line),
            )
            docnames.remove(docname)
            env.project.docnames.discard(docname)


def setup_posts(app: Sphinx) -> None:
    app.connect("env-before-read-docs", skip_undecodable)
    app.connect("source-read", read_front_matter)
    app.connect("doctree-read", normalise_title_section, priority=400)
    app.connect("doctree-read", set_title_and_orphan, priority=600)
