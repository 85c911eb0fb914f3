"""The proceedings PDF (``article_proceedings = True``): every post in one document,
with a table of contents, each post on a new page under its own title block.

Sphinx can only assemble a LaTeX document from a source document and its toctree, and
posts are in no toctree.  So the proceedings are put together from what the LaTeX
builder has already written: the preamble of one post's ``.tex`` (all posts share it:
the packages and settings are global) and the body of each post's ``.tex``, in order,
each behind ``\\ArticleProceedingsPost`` (new page, counters reset, a TOC entry).
Labels are prefixed with docnames by Sphinx, so the bodies do not clash.  The result is
``proceedings.tex`` beside the posts; ``make latexpdf`` compiles it like any other.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from ..domain import article_domain
from ..features.pagetemplates import gettext, ngettext
from ..features.posts import post_docnames, visible
from ..model.dates import display_date
from ..warnings_ import ArticleWarning, warn
from .escape import tex
from .text import author_names

#: the proceedings' LaTeX target (``proceedings.tex``, ``proceedings.pdf``)
PROCEEDINGS = "proceedings"
BEGIN = "\\begin{document}"
END = "\\end{document}"
MARK = "\\ArticleProceedingsFront"


def proceedings_order(app: Sphinx) -> list[str]:
    """``article_proceedings_order`` first, then the other posts newest first; drafts
    only with ``article_show_drafts``."""
    config, env = app.config, app.env
    posts = article_domain(env).posts
    listed: list[str] = []
    for docname in config.article_proceedings_order:
        name = str(docname).removesuffix(".md").removesuffix(".rst")
        if name not in posts:
            warn(
                ArticleWarning.CONFIG,
                f"article_proceedings_order names '{docname}', which "
                "is not a post; use the post's docname, such as 'posts/my-post/index'.",
            )
        elif name not in listed:
            listed.append(name)
    rest = [d for d in post_docnames(env) if d not in listed]
    return [d for d in listed + rest if visible(config, posts[d])]


def split_tex(text: str) -> tuple[str, str]:
    """A Sphinx ``.tex`` file -> (preamble, body between begin/end document)."""
    start = text.index(BEGIN)
    end = text.rindex(END)
    return text[:start], text[start + len(BEGIN) : end]


def write_proceedings(app: Sphinx) -> bool:
    """Write ``proceedings.tex`` from the posts' ``.tex`` files; False if there are none."""
    outdir = Path(app.outdir)
    config = app.config
    posts = article_domain(app.env).posts
    path = outdir / f"{PROCEEDINGS}.tex"
    if not config.article_proceedings:
        if path.is_file() and MARK in path.read_text(encoding="utf-8"):
            path.unlink()  # turned off: make must not compile a stale volume
        return False
    targets = {str(e[0]): Path(str(e[1])).stem for e in config.latex_documents}
    themes = {str(e[0]): str(e[4]) for e in config.latex_documents}
    order = [d for d in proceedings_order(app) if (outdir / f"{targets.get(d)}.tex").is_file()]
    if not order:
        return False
    # The preamble of an article-style ("howto") post; a post given another class in
    # conf.py still contributes its body.
    first = min(order, key=lambda d: themes[d] != "howto")
    preamble = split_tex((outdir / f"{targets[first]}.tex").read_text(encoding="utf-8"))[0]
    bodies = []
    for docname in order:
        text = (outdir / f"{targets[docname]}.tex").read_text(encoding="utf-8")
        body = split_tex(text)[1]
        post = posts[docname]
        bodies.append(
            f"\\ArticleProceedingsPost{{{tex(post.title)}}}"
            f"{{{tex(author_names(config, post))}}}\n{body.strip()}\n"
        )
    title = config.article_venue or config.project
    authors = (
        gettext("Anonymous")
        if config.article_review
        else "; ".join(author_names(config, posts[d]) for d in order)
    )
    # the words the volume prints, in the site's language (sphinx-article's catalogue)
    count = ngettext("%(count)d post", "%(count)d posts", len(order)) % {"count": len(order)}
    heading = gettext("Proceedings: %(posts)s") % {"posts": count}
    pdf_title = gettext("%(venue)s: proceedings") % {"venue": title}
    keywords = ", ".join(dict.fromkeys(t for d in order for t in posts[d].tags))
    newest = max((posts[d].published for d in order if posts[d].published), default="")
    dated = config.today or (display_date(newest, config.language) if newest else "")
    front = [
        f"\\title{{{tex(title)}}}",
        f"\\author{{{tex(authors)}}}",
        (
            f"\\ArticleMetadata{{{tex(pdf_title)}}}{{{tex(authors)}}}"
            f"{{{tex(count)}}}{{{tex(keywords)}}}"
        ),
        BEGIN,
        "\\pagestyle{normal}",
        f"\\ArticleProceedingsFront{{{tex(title)}}}{{{tex(heading)}}}{{{tex(dated)}}}",
    ]
    text = preamble + "\n".join(front) + "\n\n" + "\n".join(bodies) + f"\n{END}\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return True
