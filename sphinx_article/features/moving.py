"""Figures that move or respond: ``video-figure`` and ``interactive-figure``.

Both are ordinary (numbered, referable) ``figure`` nodes around an
:class:`~.media.article_media` node, so captions, ``{numref}`` and the LaTeX float work
as for any figure.  An explorable's folder (the folder of its ``index.html``, or only
that file when it sits in the post's own folder) is recorded per post and copied into
the HTML output next to the post, regular files inside the site only.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from pathlib import Path
from typing import cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..domain import Record, get_record, records_of, set_record
from ..model.mdscan import missing_alt
from ..model.paths import resolve_inside
from ..warnings_ import ArticleWarning, warn
from .media import WIDTHS, apply_width, article_media, check_path, image_child, media_kind

RATIO = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:[:/x]\s*(\d+(?:\.\d+)?))?\s*$")


#: a post's explorables: the site-relative folders copied beside its page
INTERACTIVE: Record[list[str]] = Record("interactive")


class MediaFigure(SphinxDirective):
    """Shared by ``video-figure`` and ``interactive-figure``: a numbered figure node."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {
        "alt": directives.unchanged,
        "width": directives.unchanged,
        "name": directives.unchanged,
        "class": directives.class_option,
    }
    css = ""

    def width(self) -> str:
        width = self.options.get("width", "body").strip() or "body"
        if width not in WIDTHS:
            warn(
                ArticleWarning.OPTION,
                f"Unknown width '{width}' on '{self.name}'; use body, page or screen. Using body.",
                location=(self.env.docname, self.lineno),
            )
            width = "body"
        return width

    def alt(self) -> str:
        alt = self.options.get("alt", "").strip()
        if missing_alt(alt):
            warn(
                ArticleWarning.ALT,
                f"The {self.name} has no :alt: text; add ':alt: <what "
                "it shows>' for readers who cannot see it.",
                location=(self.env.docname, self.lineno),
            )
        return alt

    def figure(self, media: article_media) -> list[nodes.Node]:
        figure = nodes.figure("", classes=[self.css, *self.options.get("class", [])])
        self.set_source_info(figure)
        apply_width(figure, self.width())
        figure += media
        body = self.parse_content_to_nodes() if self.content else []
        if body and isinstance(body[0], nodes.paragraph):
            first = cast(nodes.paragraph, body.pop(0))
            caption = nodes.caption(first.rawsource, "", *first.children)
            caption.source, caption.line = first.source, first.line
            figure += caption
        if body:
            figure += nodes.legend("", *body)
        self.add_name(figure)
        return [figure]


class VideoFigure(MediaFigure):
    """``video-figure``: a muted looping video (or GIF) with controls and a poster."""

    option_spec = {**MediaFigure.option_spec, "poster": directives.unchanged}
    css = "article-video-figure"

    def run(self) -> list[nodes.Node]:
        location = (self.env.docname, self.lineno)
        alt = self.alt()
        source = self.arguments[0]
        main = check_path(self.env, source, "video-figure file", location)
        poster = None
        if "poster" in self.options:
            poster = check_path(self.env, self.options["poster"], "video-figure :poster:", location)
        else:
            warn(
                ArticleWarning.IMAGE,
                "The video-figure has no :poster:; add ':poster: <a "
                "still image>' (shown before playing, in the PDF and under reduced motion).",
                location=location,
            )
        kind = media_kind(source)
        media = article_media(kind="video" if kind == "image" else kind, alt=alt)
        for rel, role in ((main, "main"), (poster, "poster")):
            if rel:
                media += image_child(rel, role, alt)
        return self.figure(media)


class InteractiveFigure(MediaFigure):
    """``interactive-figure``: an explorable in a sandboxed iframe, with a fallback image."""

    option_spec = {
        **MediaFigure.option_spec,
        "fallback": directives.unchanged,
        "aspect-ratio": directives.unchanged,
    }
    css = "article-interactive"

    def run(self) -> list[nodes.Node]:
        docname = self.env.docname
        location = (docname, self.lineno)
        alt = self.alt()
        page = check_path(self.env, self.arguments[0], "interactive-figure page", location)
        if page and not page.lower().endswith((".html", ".htm")):
            warn(
                ArticleWarning.OPTION,
                f"The interactive-figure '{self.arguments[0]}' is not "
                "an .html file; give the explorable's index.html.",
                location=location,
            )
            page = None
        fallback = None
        if "fallback" in self.options:
            fallback = check_path(
                self.env, self.options["fallback"], "interactive-figure :fallback:", location
            )
        else:
            warn(
                ArticleWarning.IMAGE,
                "The interactive-figure has no :fallback:; add "
                "':fallback: <a still image>' for the PDF, feeds and readers without "
                "JavaScript.",
                location=location,
            )
        copy = explorable_copy(page, os.path.dirname(docname)) if page else None
        if page and copy is None:
            warn(
                ArticleWarning.SECURITY,
                f"The interactive-figure '{self.arguments[0]}' is "
                "not inside the post's folder; its folder would be published. Move the "
                "explorable into a subfolder of the post.",
                location=location,
            )
            page = None
        if not page:  # no page to frame: the fallback, as a still image, or nothing
            media = article_media(kind="image", alt=alt)
            if fallback:
                media += image_child(fallback, "main", alt)
            return self.figure(media)
        media = article_media(kind="interactive", alt=alt, src=page, ratio=self.ratio(location))
        if fallback:
            media += image_child(fallback, "fallback", alt)
        if copy:  # always, here: a page whose copy failed was dropped above
            found = get_record(self.env, docname, INTERACTIVE, [])
            set_record(self.env, docname, INTERACTIVE, [*found, copy])
        return self.figure(media)

    def ratio(self, location: tuple[str, int]) -> str:
        raw = self.options.get("aspect-ratio", "16:9")
        match = RATIO.match(raw)
        if match and float(match.group(1)) > 0 and float(match.group(2) or 1) > 0:
            return f"{match.group(1)} / {match.group(2) or 1}"
        warn(
            ArticleWarning.OPTION,
            f"Unknown aspect ratio '{raw}'; write it as "
            "width:height, such as 16:9 or 4:3. Using 16:9.",
            location=location,
        )
        return "16 / 9"


def explorable_copy(page: str, post_folder: str) -> str | None:
    """What to publish for an explorable (site-relative POSIX paths): the page alone when
    it sits in the post's own folder, else its folder, which must lie inside the post's
    folder (``None`` otherwise: ``../../private/page.html`` would publish ``private/``)."""
    folder = posixpath.dirname(page)
    if folder == post_folder:
        return page
    if post_folder and not folder.startswith(post_folder + "/"):
        return None
    return folder or page


def copy_explorables(app: Sphinx, exception: Exception | None) -> None:
    """Copy each explorable's folder beside its post: regular files inside that folder
    (symlinks followed: a link out of it is skipped, never read)."""
    if exception is not None or app.builder.format != "html":
        return
    srcdir = os.path.realpath(app.srcdir)
    for paths in records_of(app.env, INTERACTIVE).values():
        for rel in paths:
            source = Path(srcdir) / rel
            bound = source.parent if source.is_file() else source
            items = [source] if source.is_file() else sorted(source.rglob("*"))
            for item in items:
                real, _reason = resolve_inside(bound, bound, os.path.relpath(item, bound))
                if real is None or not real.is_file():
                    continue
                target = Path(app.outdir) / os.path.relpath(item, srcdir)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(real, target)
