"""Figure widths, dark variants, animations, ``video-figure`` and ``interactive-figure``.

* ``:width: body|page|screen`` (or ``:class: page``, or ``{.page}`` on a Markdown block)
  on ``figure``, ``image``, tables and code blocks sets ``article_width`` on the node and
  the class ``article-width-<width>``; a length (``80%``) keeps its docutils meaning.
  LaTeX puts page and screen widths in ``ArticleWide`` (the margin column too).
* ``:dark:`` on ``figure``/``image`` adds an ``only-dark`` twin of the image (LaTeX drops
  it); ``:poster:`` gives an animated figure its still.  An animated or video figure
  holds an :class:`~.media.article_media` node instead of its image.
* ``video-figure`` and ``interactive-figure`` live in :mod:`.moving`; they are
  registered here with the rest.
* Every image of a post is checked on ``doctree-read`` (before Sphinx collects it):
  alt text, missing files and paths leaving the site are ``article.*`` warnings.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.nodes import make_id
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.images import Image
from docutils.parsers.rst.directives.tables import ListTable, RSTTable
from sphinx.application import Sphinx
from sphinx.directives.code import CodeBlock
from sphinx.directives.patches import CSVTable, Figure
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.images import get_image_size

from ..domain import Record, article_domain, get_post, get_record, set_record
from ..guard import post_step
from ..model.imagefiles import MAX_SIDE_PX, file_problems, printable
from ..model.mdscan import alt_message, missing_alt
from ..visitors import skip_node
from ..warnings_ import ArticleWarning, warn
from .media import (
    WIDTHS,
    apply_width,
    article_media,
    check_path,
    image_child,
    media_kind,
    media_visitors,
)
from .moving import InteractiveFigure, VideoFigure, copy_explorables

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.latex import LaTeXTranslator


#: a document's figure and equation numbers as last written to ``env.toc_fignumbers``
FIGNUMBERS: Record[dict[str, dict[str, tuple[int, ...]]]] = Record("fignumbers")


class wide_marker(nodes.General, nodes.Element):
    """LaTeX only: where content spanning the text and margin columns begins or ends
    (``which``); markers, not a wrapper, so a caption's parent stays its figure."""


def _main_node(result: list[nodes.Node]) -> nodes.Element | None:
    for node in result:
        if isinstance(node, nodes.Element) and not isinstance(
            node, (nodes.system_message, nodes.target)
        ):
            return node
    return None


class WidthMixin(SphinxDirective):
    """``:width:`` takes body, page or screen besides a docutils length."""

    def run(self) -> list[nodes.Node]:
        location = (self.env.docname, self.lineno)
        width = None
        raw = self.options.get("width")
        if raw is not None:
            raw = str(raw).strip()
            if raw in WIDTHS:
                width = raw
                del self.options["width"]
            else:
                try:
                    if not self.takes_length:
                        raise ValueError(raw)
                    self.options["width"] = directives.length_or_percentage_or_unitless(raw)
                except ValueError:
                    warn(
                        ArticleWarning.OPTION,
                        f"Unknown width '{raw}' on '{self.name}'; use "
                        "body, page or screen"
                        + (" (or a length such as 80%)" if self.takes_length else "")
                        + ".",
                        location=location,
                    )
                    del self.options["width"]
        result = self.run_base()
        main = _main_node(result)
        if main is not None and width:
            apply_width(main, width)
        return result

    takes_length = True

    def run_base(self) -> list[nodes.Node]:
        return list(super().run())


class ImageMixin(WidthMixin):
    """``:dark:`` and ``:poster:`` for ``figure`` and ``image``."""

    def run_base(self) -> list[nodes.Node]:
        location = (self.env.docname, self.lineno)
        dark = self.options.pop("dark", None)
        poster = self.options.pop("poster", None)
        result = super().run_base()
        main = _main_node(result)
        image = next(iter(main.findall(nodes.image)), None) if main is not None else None
        if image is None:
            return result
        dark_rel = check_path(self.env, dark, f"{self.name} :dark:", location) if dark else None
        poster_rel = (
            check_path(self.env, poster, f"{self.name} :poster:", location) if poster else None
        )
        kind = media_kind(image["uri"])
        if kind == "image" and not poster_rel:
            if dark_rel:
                twin = image.deepcopy()
                twin["uri"] = "/" + dark_rel
                twin["classes"] = [*image["classes"], "only-dark"]
                image["classes"].append("only-light")
                parent = image.parent
                if parent is None:
                    result.insert(result.index(image) + 1, twin)
                else:
                    parent.insert(parent.index(image) + 1, twin)
            return result
        if kind != "image" and not poster_rel and not poster:
            warn(
                ArticleWarning.IMAGE,
                f"The animated {self.name} '{image['uri']}' has no "
                ":poster:; add ':poster: <a still image>' for the PDF and for readers who "
                "prefer reduced motion.",
                location=location,
            )
        main_rel = check_path(self.env, image["uri"], f"{self.name} image", location)
        alt = image.get("alt", "")
        if missing_alt(alt):  # the animated figure's image is never seen by check_post_images
            warn(ArticleWarning.ALT, alt_message(image["uri"], self.name), location=location)
        media = article_media(kind=kind, alt=alt)
        for rel, role in ((main_rel, "main"), (dark_rel, "dark"), (poster_rel, "poster")):
            if rel:
                media += image_child(rel, role, alt)
        if image.parent is None:
            result[result.index(image)] = media
        else:
            image.replace_self(media)
        return result


def _with(
    base: type[Any], mixin: type, extra: dict[str, Any] | None = None, length: bool = True
) -> type:
    spec = dict(base.option_spec or {})
    spec["width"] = directives.unchanged
    spec.update(extra or {})
    return type(
        f"Article{base.__name__}", (mixin, base), {"option_spec": spec, "takes_length": length}
    )


IMAGE_OPTIONS = {"dark": directives.unchanged, "poster": directives.unchanged}
ArticleFigure = _with(Figure, ImageMixin, IMAGE_OPTIONS)
ArticleImage = _with(Image, ImageMixin, IMAGE_OPTIONS)
ArticleTable = _with(RSTTable, WidthMixin)
ArticleListTable = _with(ListTable, WidthMixin)
ArticleCSVTable = _with(CSVTable, WidthMixin)
ArticleCodeBlock = _with(CodeBlock, WidthMixin, length=False)


# -- every image of a post: alt text and file checks ---------------------------------------


def source_line(env: BuildEnvironment, uri: str) -> int | None:
    """The first source line that mentions ``uri`` (for nodes without a line)."""
    try:
        text = Path(env.doc2path(env.docname)).read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if f"]({uri}" in line or f"]( {uri}" in line:
            return number
    return None


def check_post_images(app: Sphinx, doctree: nodes.document) -> None:
    """Before Sphinx collects images: warn once, at the image, and drop bad files."""
    env = app.env
    if get_post(env, env.docname) is None:
        return
    for image in list(doctree.findall(nodes.image)):
        if image.get("article_role") or image["uri"].endswith(".*"):
            continue
        located: Any = image
        while not located.line and located.parent is not None:
            located = located.parent
        if not located.line:  # MyST gives inline images no line: find it in the source
            located = (env.docname, source_line(env, image.get("original_uri", image["uri"])))
        if missing_alt(image.get("alt")) and "only-dark" not in image["classes"]:
            warn(
                ArticleWarning.ALT,
                f"The image '{image['uri']}' has no alternative text; "
                "add ':alt: <what it shows>' (or Markdown ![what it shows](file)).",
                location=located,
            )
        if check_path(env, image["uri"], "image", located) is None:
            drop_image(image)


def drop_image(image: nodes.image) -> None:
    """Remove a refused image; a link around it (``:target:``) goes too, since writers
    expect an image-only reference to hold its image, and so does a paragraph left empty."""
    node: nodes.Element = image
    while True:
        parent = node.parent
        parent.remove(node)
        emptied = not parent.astext().strip() and not any(
            isinstance(child, nodes.Element) for child in parent.children
        )
        if not (
            emptied
            and isinstance(parent, (nodes.reference, nodes.paragraph))
            and parent.parent is not None
        ):
            return
        node = parent


def normalise_width_classes(app: Sphinx, doctree: nodes.document) -> None:
    """``:class: page`` and ``{.page}`` mean the same as ``:width: page``."""
    for node in list(doctree.findall(nodes.Element)):
        for width in WIDTHS:
            if width in node.get("classes", ()) and not isinstance(node, nodes.section):
                node["classes"].remove(width)
                # a figure's :class: lands on its image; the width is the figure's
                target = node.parent if isinstance(node.parent, nodes.figure) else node
                apply_width(target, width)


class WideForLatex(SphinxPostTransform):
    """LaTeX: page and screen widths span the margin column; dark twins are dropped."""

    default_priority = 400
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for image in list(self.document.findall(nodes.image)):
            if "only-dark" in image["classes"]:
                image.parent.remove(image)
        for node in list(self.document.findall(nodes.Element)):
            if node.get("article_width") not in ("page", "screen"):
                continue
            # Sphinx's framed code boxes are \columnwidth wide: they get a minipage
            code = isinstance(node, nodes.literal_block) or node.get("literal_block")
            env = "ArticleWideBox" if code else "ArticleWide"
            begin, end = wide_marker(which="begin", env=env), wide_marker(which="end", env=env)
            if isinstance(node, nodes.figure):
                node.insert(0, begin)
                node.append(end)
            else:
                parent = node.parent
                parent.insert(parent.index(node), begin)
                parent.insert(parent.index(node) + 1, end)


class PrintableImages(SphinxPostTransform):
    """LaTeX: leave out images the PDF cannot include (a format other than the file name
    says); the HTML build has warned about them already, and the web page keeps them."""

    default_priority = 390
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        budget = self.config.article_image_budget_kb
        supported = set(getattr(self.app.builder, "supported_image_types", ()))
        for image in list(self.document.findall(nodes.image)):
            candidates: dict[str, str] = image.get("candidates", {})
            rel = candidates.get("*") or image["uri"].lstrip("/")
            path = Path(self.env.srcdir, rel)
            if "://" in rel or not path.is_file():
                continue
            if not printable(file_problems(path, rel, budget)):
                drop_image(image)
            elif (
                supported
                and image.get("article_role", "notebook-output") == "notebook-output"
                and (mimetypes.guess_type(path.name)[0] or "") not in supported
            ):
                # (media nodes choose their own printable file: a GIF's poster)
                # pdflatex cannot include it (an SVG, a GIF, a WebP) and no converter
                # (sphinx.ext.imgconverter) turned it into one it can: leave it out of
                # the PDF, say so where it is, keep it on the web page
                warn(
                    ArticleWarning.IMAGE,
                    f"The image '{rel.rsplit('/', 1)[-1]}' ({path.suffix or 'no suffix'}) "
                    "cannot go into the PDF, which leaves it out; put a PNG or PDF "
                    "version beside it and write the name with '.*' (figure.*), or add "
                    "'sphinx.ext.imgconverter' to the site's extensions.",
                    location=image,
                )
                drop_image(image)


class IntrinsicSizes(SphinxPostTransform):
    """HTML: images get their pixel size as attributes, so nothing shifts on load."""

    default_priority = 400
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for image in self.document.findall(nodes.image):
            if any(key in image for key in ("width", "height", "scale")):
                continue
            if image.get("article_role") or "?" in image.get("candidates", {}):
                continue
            size = get_image_size(Path(self.env.srcdir) / image["uri"])
            if size and 0 < max(size) <= MAX_SIDE_PX:  # never a hostile header's 2**31
                image["width"], image["height"] = str(size[0]), str(size[1])
                image["classes"].append("no-scaled-link")


def number_post_figures(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Posts are orphans, so Sphinx's toctree walk never numbers their figures, tables
    and code blocks: number them here, per post, in reading order (``numfig``)."""
    if not env.config.numfig:
        return []
    std = env.domains.standard_domain
    math = env.get_domain("math")
    changed = []
    for docname in sorted(article_domain(env).posts):
        with post_step("numbering the post's figures", (docname, None)):
            if _number_post(env, std, math, docname):
                changed.append(docname)
    return changed


def _number_post(env: BuildEnvironment, std: Any, math: Any, docname: str) -> bool:
    """Number one post's figures, tables and code; whether its numbers changed."""
    if env.toc_fignumbers.get(docname):
        return False
    known = get_record(env, docname, FIGNUMBERS)
    if known is not None:  # numbered when the post was read; re-reading drops it
        env.toc_fignumbers[docname] = known
        return False
    counters: dict[str, int] = {}
    numbers: dict[str, dict[str, tuple[int, ...]]] = {}
    for node in env.get_doctree(docname).findall(nodes.Element):
        figtype = std.get_enumerable_node_type(node)
        if figtype in (None, "section", "displaymath") or not node["ids"]:
            continue
        if not std.get_numfig_title(node):
            continue  # Sphinx numbers only captioned figures, tables and code
        counters[figtype] = counters.get(figtype, 0) + 1
        numbers.setdefault(figtype, {})[node["ids"][0]] = (counters[figtype],)
    # equations keep the per-post numbers the math domain gave them, (1), (2)...
    # (eqnumbers.ScopedMathDomain: labels are per post, so two posts may share one)
    own = (
        math.post_equations(docname)
        if hasattr(math, "post_equations")
        else {label: number for label, (doc, number) in math.equations.items() if doc == docname}
    )
    numbers["displaymath"] = {
        make_id(f"equation-{label}"): (number,) for label, number in sorted(own.items())
    }
    env.toc_fignumbers[docname] = numbers
    if get_record(env, docname, FIGNUMBERS) != numbers:
        set_record(env, docname, FIGNUMBERS, numbers)
        return True
    return False


def visit_wide_latex(self: LaTeXTranslator, node: wide_marker) -> None:
    self.body.append(f"\n\\{node['which']}{{{node.get('env', 'ArticleWide')}}}\n")
    raise nodes.SkipNode


def setup_figures(app: Sphinx) -> dict[str, Any]:
    app.add_node(article_media, **media_visitors())
    skipped: dict[str, Any] = {fmt: (skip_node, None) for fmt in ("html", "text", "man", "texinfo")}
    app.add_node(wide_marker, latex=(visit_wide_latex, None), **skipped)
    for name, directive in (
        ("figure", ArticleFigure),
        ("image", ArticleImage),
        ("table", ArticleTable),
        ("list-table", ArticleListTable),
        ("csv-table", ArticleCSVTable),
        ("code-block", ArticleCodeBlock),
        ("sourcecode", ArticleCodeBlock),
    ):
        app.add_directive(name, directive, override=True)
    app.add_directive("video-figure", VideoFigure)
    app.add_directive("interactive-figure", InteractiveFigure)
    app.connect("doctree-read", check_post_images, priority=450)
    app.connect("doctree-read", normalise_width_classes, priority=450)
    app.add_post_transform(WideForLatex)
    app.add_post_transform(PrintableImages)
    app.add_post_transform(IntrinsicSizes)
    app.connect("build-finished", copy_explorables)
    app.connect("env-get-updated", number_post_figures, priority=600)
    return {}
