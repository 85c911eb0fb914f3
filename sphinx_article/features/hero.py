"""The ``hero-figure`` directive: the one image (or animation) that stands for a post.

Node tree::

    hero_figure(width, docname)
    ├── article_media(kind, alt)      # image / animation / video, see media.py
    └── hero_caption                  # optional: caption paragraphs, then the credit

Wherever the author writes it, the first hero of a post is moved just after the title
block on ``doctree-read`` (marked ``header``), so LaTeX and other themes print it under
the title block; under this project's theme its HTML goes to the page context
(``article_hero``) instead of the body, and ``layout.html`` puts it in the page header.  A second hero
warns and stays where it was written, as an ordinary figure.  The hero is also stored
as the post's ``hero`` record (:func:`hero_image`), which index cards and the
``og:image`` meta tags read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from ..domain import Record, get_record, set_record
from ..model.mdscan import hero_source_problem, missing_alt
from ..visitors import pass_node
from ..warnings_ import ArticleWarning, warn
from .markers import header_in_layout, title_block
from .media import WIDTHS, article_media, check_path, image_child, media_kind

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator


class HeroRecord(TypedDict):
    """What the title block, cards, ``og:image`` and the PDF need of a post's hero.
    A hero that shows nothing (no file, no glued image) has only ``line`` and an empty
    ``image``, so that a second hero is still reported."""

    line: int
    image: str  #: the still shown in cards and link previews ('' for none)
    source: NotRequired[str]
    dark: NotRequired[str]
    poster: NotRequired[str]
    alt: NotRequired[str]
    kind: NotRequired[str]
    width: NotRequired[str]
    focus: NotRequired[str]


HERO: Record[HeroRecord] = Record("hero")


class hero_figure(nodes.General, nodes.Element):
    """A post's hero figure; ``width`` is body, page or screen."""


class hero_caption(nodes.General, nodes.Element):
    """The hero's caption paragraphs and credit line."""


def hero_image(env: BuildEnvironment, docname: str) -> HeroRecord | None:
    """The post's hero for cards and ``og:image``, or None.

    Keys (paths relative to the source folder, as in ``env.images``): ``image`` is the
    still to show (the poster for an animation or video), ``source`` the file as
    given, ``dark`` and ``poster`` ('' when absent), ``alt``, ``kind`` (image,
    animation, video), ``width`` and ``line``.
    """
    record = get_record(env, docname, HERO)
    return record if record and record.get("image") else None


_FOCUS = re.compile(r"\s*(\d{1,3}(?:\.\d+)?)%\s+(\d{1,3}(?:\.\d+)?)%\s*")


def focus_point(value: str | None, location: Any) -> str:
    """``:focus: x% y%`` -> ``"x% y%"`` (the point a cropped card thumbnail keeps in
    view); '' when absent, or with a warning when it is not two percentages <= 100."""
    if value is None:
        return ""
    match = _FOCUS.fullmatch(value)
    if match and all(float(v) <= 100 for v in match.groups()):
        return f"{match.group(1)}% {match.group(2)}%"
    warn(
        ArticleWarning.OPTION,
        f"hero-figure :focus: '{value}' is not a focal point; give two "
        "percentages, across then down, such as ':focus: 80% 30%'. The thumbnail is centred.",
        location=location,
    )
    return ""


def hero_media(
    kind: str, alt: str, main: str | None, dark: str | None, poster: str | None = None
) -> article_media:
    """The hero's media node: its main file, dark twin and poster as image children."""
    media = article_media(kind=kind, alt=alt, eager=True)
    for rel, role in ((main, "main"), (dark, "dark"), (poster, "poster")):
        if rel:
            media += image_child(rel, role, alt)
    return media


def store_hero(
    env: BuildEnvironment,
    docname: str,
    line: int,
    *,
    main: str,
    alt: str,
    width: str,
    kind: str = "image",
    dark: str = "",
    poster: str = "",
    focus: str = "",
) -> None:
    """The post's ``hero`` record (:func:`hero_image`), one shape for every hero: the
    directive's file, a glued output and a ``hero``-tagged cell's output."""
    still = poster if kind != "image" and poster else main
    set_record(
        env,
        docname,
        HERO,
        HeroRecord(
            image=still,
            source=main,
            dark=dark,
            poster=poster,
            alt=alt,
            kind=kind,
            width=width,
            line=line,
            focus=focus,
        ),
    )


def already_a_hero(line: int) -> str:
    return (
        f"This post already has a hero figure (line {line}); a post has at most one. "
        "Use a 'figure' directive here."
    )


class HeroFigure(SphinxDirective):
    """``hero-figure``: an image or animation file (or, in a notebook, a glued output),
    alt text, dark variant, width, credit."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {
        "alt": directives.unchanged,
        "dark": directives.unchanged,
        "poster": directives.unchanged,
        "width": directives.unchanged,
        "credit": directives.unchanged,
        "class": directives.class_option,
        "focus": directives.unchanged,  # the card thumbnail's focal point, "x% y%"
        "glue": directives.unchanged,  # a notebook's glued output instead of a file
    }

    def run(self) -> list[nodes.Node]:
        docname = self.env.docname
        location = (docname, self.lineno)
        width = self.options.get("width", "page").strip() or "page"
        if width not in WIDTHS:
            warn(
                ArticleWarning.OPTION,
                f"Unknown hero-figure width '{width}'; use body, page or screen. Using page.",
                location=location,
            )
            width = "page"
        alt = self.options.get("alt", "").strip()
        if missing_alt(alt):
            warn(
                ArticleWarning.ALT,
                "The hero-figure has no :alt: text; add ':alt: <what "
                "the image shows>' for readers who cannot see it.",
                location=location,
            )
        source = self.arguments[0] if self.arguments else ""
        glue = self.options["glue"].strip() if "glue" in self.options else None
        notebook = "nb_renderer" in self.state.document
        problem = hero_source_problem(source, glue, notebook)
        if problem:
            warn(ArticleWarning.HERO, problem, location=location)
            if not source:
                return self.nothing_shown(location)
        kind = media_kind(source)
        if source:
            main = check_path(self.env, source, "hero-figure image", location)
        else:
            main = self.glued(glue or "", location)
            if main is None:
                return self.nothing_shown(location)
        poster = None
        if "poster" in self.options:
            poster = check_path(self.env, self.options["poster"], "hero-figure :poster:", location)
        elif kind != "image":
            warn(
                ArticleWarning.HERO,
                f"The hero '{source}' is animated but has no :poster:; "
                "add ':poster: <a still PNG or JPEG>' (shown in the PDF, in cards and to "
                "readers who prefer reduced motion).",
                location=location,
            )
        dark = None
        if "dark" in self.options:
            dark = check_path(self.env, self.options["dark"], "hero-figure :dark:", location)

        media = hero_media(kind, alt, main, dark, poster)
        node = hero_figure(width=width, docname=docname, classes=self.options.get("class", []))
        self.set_source_info(node)
        node += media
        caption = self.caption()
        if caption is not None:
            node += caption

        first = get_record(self.env, docname, HERO)
        if first is not None:
            warn(
                ArticleWarning.HERO,
                already_a_hero(first["line"]) + " This one is shown where it is written.",
                location=location,
            )
            node["in_place"] = True
            media["eager"] = False
        elif main:
            store_hero(
                self.env,
                docname,
                self.lineno,
                main=main,
                alt=alt,
                width=width,
                kind=kind,
                dark=dark or "",
                poster=poster or "",
                focus=focus_point(self.options.get("focus"), location),
            )
        else:
            set_record(self.env, docname, HERO, HeroRecord(line=self.lineno, image=""))
        return [node]

    def nothing_shown(self, location: Any) -> list[nodes.Node]:
        """A hero-figure with no image to show (after its warning): it still counts as
        the post's hero, as for ``check``, so a later one is a second hero."""
        first = get_record(self.env, self.env.docname, HERO)
        if first is None:
            set_record(self.env, self.env.docname, HERO, HeroRecord(line=self.lineno, image=""))
        else:
            warn(ArticleWarning.HERO, already_a_hero(first["line"]), location=location)
        return []

    def glued(self, key: str, location: Any) -> str | None:
        """The image file of a notebook's glued output, or None after a warning."""
        # notebooks/ loads myst-nb (an optional dependency) only when a post glues
        from ..notebooks.glue import glued_image

        path, problem = glued_image(self.state.document, key, self.lineno)
        if problem:
            warn(ArticleWarning.HERO, problem, location=location)
            return None
        return path

    def caption(self) -> hero_caption | None:
        body = self.parse_content_to_nodes() if self.content else []
        credit = self.options.get("credit", "").strip()
        if credit:
            inline, messages = self.parse_inline(credit, lineno=self.lineno)
            body.append(nodes.paragraph("", "", *inline, classes=["article-hero__credit"]))
            body.extend(messages)
        if not body:
            return None
        return hero_caption("", *body)


def move_hero_to_header(app: Sphinx, doctree: nodes.document) -> None:
    """Put the post's hero just after its title block, marked as the header's hero."""
    block = next(iter(doctree.findall(title_block)), None)
    if block is None:
        return
    for node in list(doctree.findall(hero_figure)):
        if node.get("in_place"):
            continue
        node.parent.remove(node)
        block.parent.insert(block.parent.index(block) + 1, node)
        node["header"] = True
        return


# -- HTML --------------------------------------------------------------------------------


def visit_hero_html(self: HTML5Translator, node: hero_figure) -> None:
    if node.get("header") and header_in_layout(self.builder, node.get("docname", "")):
        node["body_start"] = len(self.body)  # depart moves it to the layout's header
    classes = ["article-hero", f"article-width-{node['width']}", *node.get("classes", [])]
    self.body.append(f'<figure class="{" ".join(classes)}">')


def depart_hero_html(self: HTML5Translator, node: hero_figure) -> None:
    self.body.append("</figure>\n")
    start = node.get("body_start")
    document = node.document
    if (
        start is not None and document is not None
    ):  # this theme: the hero's HTML is the page context's
        document["article_hero_html"] = "".join(self.body[start:])
        del self.body[start:]


def hero_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """On html-page-context: ``article_hero``, the header hero's HTML (this theme only:
    written by the visitors above, so it is the same markup as in the body elsewhere)."""
    if doctree is not None:
        context["article_hero"] = doctree.get("article_hero_html", "")


def visit_caption_html(self: HTML5Translator, node: hero_caption) -> None:
    self.body.append('<figcaption class="article-hero__caption">')


def depart_caption_html(self: HTML5Translator, node: hero_caption) -> None:
    self.body.append("</figcaption>")


# -- LaTeX -------------------------------------------------------------------------------


def visit_hero_latex(self: LaTeXTranslator, node: hero_figure) -> None:
    self.body.append(f"\n\\begin{{ArticleHero}}{{{node['width']}}}\n")


def depart_hero_latex(self: LaTeXTranslator, node: hero_figure) -> None:
    self.body.append("\\end{ArticleHero}\n")


def visit_caption_latex(self: LaTeXTranslator, node: hero_caption) -> None:
    self.body.append("\n\\begin{ArticleHeroCaption}\n")


def depart_caption_latex(self: LaTeXTranslator, node: hero_caption) -> None:
    self.body.append("\n\\end{ArticleHeroCaption}\n")


def setup_hero(app: Sphinx) -> dict[str, Any]:
    plain: dict[str, Any] = {fmt: (pass_node, pass_node) for fmt in ("text", "man", "texinfo")}
    app.add_node(
        hero_figure,
        html=(visit_hero_html, depart_hero_html),
        latex=(visit_hero_latex, depart_hero_latex),
        **plain,
    )
    app.add_node(
        hero_caption,
        html=(visit_caption_html, depart_caption_html),
        latex=(visit_caption_latex, depart_caption_latex),
        **plain,
    )
    app.add_directive("hero-figure", HeroFigure)
    app.connect("doctree-read", move_hero_to_header, priority=620)
    app.connect("html-page-context", hero_context, priority=400)  # before the theme's trim
    return {}
