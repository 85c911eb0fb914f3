"""Images, animations, videos and explorables: checked paths and one media node.

Hero figures, ``video-figure``, ``interactive-figure`` and animated ``figure``\\ s all
hold an :class:`article_media` node.  Its files are ordinary ``nodes.image`` children
(tagged with ``article_role``: ``main``, ``dark``, ``poster``, ``fallback``), so Sphinx
collects, copies and tracks them like any image; the node's visitors render the whole
element at once (``<picture>``, ``<video>``, a sandboxed ``<iframe>``, or the poster in
LaTeX) and never let the children render themselves.

Every path an author gives passes :func:`check_path` first: remote URLs, paths that
leave the site and missing files are located ``article.image`` warnings, and the file
is then simply left out, so the rest of the post still builds.
"""

from __future__ import annotations

import os
import posixpath
import urllib.parse
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.images import get_image_size
from sphinx.util.osutil import relative_uri

from ..model.imagefiles import MAX_SIDE_PX, file_problems, shown_on_web
from ..model.paths import is_remote, resolve_inside
from ..model.urls import link_suffix, page_url, site_url
from ..pdf.escape import tex
from ..visitors import node_docname, skip_node
from ..warnings_ import ArticleWarning, warn
from .pagetemplates import gettext

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator

ANIMATED = (".gif",)
VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}
WIDTHS = ("body", "page", "screen")
NOSCRIPT_DONE = "_article_noscript_done"
# Without script, notes are shown expanded and explorables give way to their fallback.
NOSCRIPT_STYLE = (
    "<noscript><style>.article-note__toggle{display:none!important}"
    ".article-note__body{display:block!important}"
    ".article-interactive__frame{display:none!important}"
    ".article-interactive__fallback{display:block!important}</style></noscript>"
)


class article_media(nodes.General, nodes.Element):
    """A still, animated, video or interactive figure body; ``kind`` says which."""


def apply_width(node: nodes.Element, width: str) -> None:
    """The semantic width (LaTeX reads it) and its class (CSS reads it)."""
    node["article_width"] = width
    if f"article-width-{width}" not in node["classes"]:
        node["classes"].append(f"article-width-{width}")


def media_kind(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in VIDEO_TYPES:
        return "video"
    return "animation" if suffix in ANIMATED else "image"


def check_path(env: BuildEnvironment, path: str, what: str, location: Any) -> str | None:
    """The srcdir-relative path of an author's file, or None after a located warning.

    ``what`` names the option in messages (``"hero-figure image"``, ``":poster:"``).
    """
    path = path.strip()
    docname = env.current_document.docname
    if not path:
        warn(
            ArticleWarning.IMAGE,
            f"The {what} path is empty; give a file next to the post, such as 'figure.png'.",
            location=location,
        )
        return None
    if is_remote(path):
        warn(
            ArticleWarning.IMAGE,
            f"The {what} '{path}' is a remote URL; readers' browsers "
            "would contact another host. Save the file in the post's folder and give its "
            "relative path.",
            location=location,
        )
        return None
    rel, _full = env.relfn2path(path, docname)
    real, _reason = resolve_inside(env.srcdir, Path(env.doc2path(docname)).parent, path)
    if real is None:
        warn(
            ArticleWarning.IMAGE,
            f"The {what} '{path}' points outside the site; keep the "
            "file in the post's folder and give a path relative to it.",
            location=location,
        )
        return None
    try:
        exists = os.path.isfile(real)
    except (OSError, ValueError):
        exists = False
    if not exists:
        hint = (
            "a path starting with '/' is read from the site's root folder; "
            if path.startswith("/")
            else ""
        )
        warn(
            ArticleWarning.IMAGE,
            f"The {what} '{path}' does not exist; {hint}give a path relative to the post's folder.",
            location=location,
        )
        return None
    problems = file_problems(Path(real), path, env.config.article_image_budget_kb)
    for problem in problems:
        text = problem.message
        warn(
            ArticleWarning.IMAGE,
            f"The {what} {text}" if text.startswith("'") else text,
            location=location,
        )
    if not shown_on_web(problems):
        return None  # left out of the page and the PDF: it would break both
    return rel  # a mislabelled format is left out of the PDF only (figures.PrintableImages)


def image_child(rel: str, role: str, alt: str = "") -> nodes.image:
    """A collected-but-not-rendered image: Sphinx copies it, the media node shows it."""
    return nodes.image(uri="/" + rel, alt=alt, article_role=role)


def files(node: nodes.Element) -> dict[str, nodes.image]:
    return {
        img["article_role"]: img for img in node.findall(nodes.image) if img.get("article_role")
    }


# -- HTML --------------------------------------------------------------------------------


def image_url(self: HTML5Translator, img: nodes.image) -> str:
    uri = img["uri"]
    if uri in self.builder.images:
        return posixpath.join(self.builder.imgpath, urllib.parse.quote(self.builder.images[uri]))
    return uri


def size_attrs(self: HTML5Translator, img: nodes.image | None) -> str:
    """Intrinsic width and height: the browser reserves the space, nothing shifts."""
    if img is None:
        return ""
    size = get_image_size(Path(self.builder.srcdir) / img["uri"])
    if not size or not 0 < max(size) <= MAX_SIDE_PX:
        return ""
    return f' width="{size[0]}" height="{size[1]}"'


def noscript_once(self: HTML5Translator) -> str:
    if getattr(self, NOSCRIPT_DONE, False):
        return ""
    setattr(self, NOSCRIPT_DONE, True)
    return NOSCRIPT_STYLE


def _still_html(self: HTML5Translator, img: nodes.image, alt: str, cls: str, eager: bool) -> str:
    loading = ' fetchpriority="high"' if eager else ' loading="lazy"'
    return (
        f'<img class="{" ".join(["article-media", *cls.split()])}" src="{escape(image_url(self, img))}" '
        f'alt="{escape(alt)}"{size_attrs(self, img)}{loading} decoding="async">'
    )


def _animation_html(
    self: HTML5Translator,
    img: nodes.image,
    poster: nodes.image | None,
    alt: str,
    cls: str,
    eager: bool,
) -> str:
    """A GIF in a ``<picture>``: under ``prefers-reduced-motion`` the poster is chosen."""
    out = [
        f'<picture class="{" ".join(["article-animation", *cls.split()])}"'
        + (f' data-article-poster="{escape(image_url(self, poster))}"' if poster else "")
        + ">"
    ]
    if poster is not None:
        out.append(
            f'<source srcset="{escape(image_url(self, poster))}" '
            'media="(prefers-reduced-motion: reduce)">'
        )
    out.append(_still_html(self, img, alt, "", eager))
    out.append("</picture>")
    return "".join(out)


def _video_html(
    self: HTML5Translator, video: nodes.image, poster: nodes.image | None, alt: str, cls: str
) -> str:
    """Muted, looped, with controls; script starts it only without reduced motion."""
    src = escape(image_url(self, video))
    kind = VIDEO_TYPES.get(Path(video["uri"]).suffix.lower(), "")
    poster_attr = f' poster="{escape(image_url(self, poster))}"' if poster else ""
    classes = " ".join(["article-media", "article-video", *cls.split()])
    return (
        f'<video class="{classes}" muted loop playsinline controls '
        f'preload="none" data-article-autoplay aria-label="{escape(alt)}"{poster_attr}'
        f'{size_attrs(self, poster)}><source src="{src}" type="{kind}">'
        f'<a href="{src}">{escape(alt)}</a></video>'
    )


def _interactive_html(
    self: HTML5Translator, node: article_media, fallback: nodes.image | None, alt: str
) -> str:
    target = node["src"]
    page = self.builder.get_target_uri(self.builder.current_docname)
    src = relative_uri(page, target)
    ratio = node.get("ratio", "16 / 9")
    out = [
        f'<div class="article-interactive__frame" style="aspect-ratio: {ratio}">'
        f'<iframe src="{escape(src)}" title="{escape(alt)}" loading="lazy" '
        'sandbox="allow-scripts" referrerpolicy="no-referrer"></iframe></div>'
    ]
    if fallback is not None:
        out.append(_still_html(self, fallback, alt, "article-interactive__fallback", False))
    out.append(noscript_once(self))
    return "".join(out)


def visit_media_html(self: HTML5Translator, node: article_media) -> None:
    parts = files(node)
    alt = node.get("alt", "")
    kind = node["kind"]
    eager = bool(node.get("eager"))
    main, dark, poster = parts.get("main"), parts.get("dark"), parts.get("poster")
    out = []
    for img, cls in ((main, "only-light" if dark else ""), (dark, "only-dark")):
        if img is None:
            continue
        # Only the light image is fetched first with high priority; the dark twin is lazy,
        # so a hidden twin is never fetched (issue 15).
        first = eager and cls != "only-dark"
        if kind == "video":
            out.append(_video_html(self, img, poster, alt, cls))
        elif kind == "animation" or (kind == "image" and poster is not None):
            out.append(_animation_html(self, img, poster, alt, cls, first))
        elif kind == "image":
            out.append(_still_html(self, img, alt, cls, first))
    if kind == "interactive":
        out.append(_interactive_html(self, node, parts.get("fallback"), alt))
    self.body.append("".join(out))
    raise nodes.SkipNode


# -- LaTeX and text ----------------------------------------------------------------------


def still_for_print(node: article_media) -> nodes.image | None:
    """What paper shows: the poster of an animation, the fallback of an explorable."""
    parts = files(node)
    if node["kind"] == "interactive":
        return parts.get("fallback")
    if node["kind"] in ("video", "animation") or "poster" in parts:
        return parts.get("poster")
    return parts.get("main")


def web_url(self: LaTeXTranslator, docname: str, ids: list[str]) -> str:
    """The web page of the figure (its anchor too), when ``article_site_url`` is set."""
    base = site_url(self.builder.config)
    anchor = f"#{ids[0]}" if ids else ""
    url = page_url(base, docname, "html", link_suffix(self.builder.config)) + anchor if base else ""
    return url.replace("\\", "").replace("%", r"\%").replace("#", r"\#").replace("}", "")


#: What paper says under a still, by kind of media: the web version has the rest
#: (messages of sphinx-article's catalogue, shown in the site's language).
PRINT_NOTES = {
    "video": "Watch the video in the web version",
    "animation": "Watch the animation in the web version",
    "interactive": "Try the interactive figure in the web version",
}


def media_note_latex(kind: str, alt: str, url: str) -> str:
    """The note under a video's or animation's poster, or an explorable's fallback, in
    the PDF: the alt text (one full stop at its end, whatever the author wrote) and a
    link to the figure on the web page; '' for a still image. ``alt`` is plain text,
    ``url`` already encoded for LaTeX (``media.web_url``)."""
    message = PRINT_NOTES.get(kind)
    if message is None:
        return ""
    what = tex(gettext(message))
    link = rf"\href{{{url}}}{{{what}}}" if url else what
    alt = " ".join(alt.split()).rstrip(" .")
    if alt and alt[-1] not in "!?":
        alt += "."
    return rf"\par{{\small\ArticleMediaNote{{{tex(alt)}}}{{{link}}}}}"


def visit_media_latex(self: LaTeXTranslator, node: article_media) -> None:
    still = still_for_print(node)
    out = []
    if still is not None and still["uri"] in self.builder.images:
        base, ext = os.path.splitext(self.builder.images[still["uri"]])
        # natural size, never wider than the line (a small poster is not blown up)
        out.append(rf"\noindent\sphinxincludegraphics{{{{{base}}}{ext}}}")
    if node["kind"] in ("video", "animation", "interactive"):  # a GIF too (issue 15)
        url = web_url(self, node_docname(self, node), node.parent.get("ids", []))
        out.append(media_note_latex(node["kind"], node.get("alt", ""), url))
    self.body.append("\n" + "\n".join(out) + "\n")
    raise nodes.SkipNode


def visit_media_text(self: TextTranslator, node: article_media) -> None:
    self.add_text(f"[{node['kind']}: {node.get('alt', '')}]")
    raise nodes.SkipNode


def media_visitors() -> dict[str, Any]:
    return {
        "html": (visit_media_html, None),
        "latex": (visit_media_latex, None),
        "text": (visit_media_text, None),
        "man": (skip_node, None),
        "texinfo": (skip_node, None),
    }
