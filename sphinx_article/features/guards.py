"""What a post may read and emit: include-like directives, downloads, raw output.

Sphinx and docutils let a document read any file the build can open (``include``,
``literalinclude``, ``csv-table`` and ``raw`` with ``:file:``, the ``download`` role)
and write raw HTML or LaTeX straight into the output.  A track builds posts from many
authors in one run, so for posts (never for the site's own pages) these are wrapped:

* every file an author names goes through :func:`~.paths.resolve_inside`; a file
  outside the site folder (symlinks followed) is an ``article.security`` warning and is
  neither read nor published;
* ``:url:`` options (``raw``, ``csv-table``) are refused: nothing is fetched at build time;
* ``raw`` (the directive, also inside ``{eval-rst}``, and roles derived from it with
  ``.. role::``) is refused unless ``article_raw_html = True``;
* a post whose source file is a symlink out of the site is left out of the build.

The directives keep their behaviour otherwise: after the check, the path handed on is
the checked file itself, so what is read is exactly what was checked.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.misc import Raw
from docutils.parsers.rst.roles import raw_role
from myst_parser.mocking import MockIncludeDirective, MockState
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralInclude
from sphinx.directives.other import Include
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from ..model.paths import refusal, resolve_inside, site_relative
from ..warnings_ import ArticleWarning, warn
from .figures import ArticleCSVTable
from .posts import is_post

RAW_REFUSED = (
    "Raw {fmt} output is not allowed in posts on this site (article_raw_html = "
    "False) and was left out; write it in Markdown, or ask the site to turn "
    "raw HTML on."
)


def _in_post(env: BuildEnvironment) -> bool:
    return is_post(env.config, env.docname)


def checked(env: BuildEnvironment, path: str, what: str, location: Any) -> Path | None:
    """The real file ``path`` names (relative to the current post), or ``None`` after an
    ``article.security`` warning when it leaves the site folder."""
    base = Path(env.doc2path(env.docname)).parent
    real, reason = resolve_inside(env.srcdir, base, path)
    if real is None:
        warn(ArticleWarning.SECURITY, refusal(what, path, reason), location=location)
    return real


def _site_path(env: BuildEnvironment, real: Path) -> str:
    """``/``-prefixed, site-relative: how Sphinx's own directives read a path."""
    return "/" + site_relative(env.srcdir, real)


class SafeLiteralInclude(LiteralInclude):
    """``literalinclude`` reading only files inside the site (``:diff:`` too)."""

    def run(self) -> list[nodes.Node]:
        if _in_post(self.env):
            where = (self.env.docname, self.lineno)
            real = checked(self.env, self.arguments[0], self.name, where)
            if real is None:
                return []
            self.arguments[0] = _site_path(self.env, real)
            if "diff" in self.options:
                other = checked(self.env, self.options["diff"], f"{self.name} :diff:", where)
                if other is None:
                    return []
                self.options["diff"] = _site_path(self.env, other)
        return super().run()


class SafeCSVTable(ArticleCSVTable):
    """``csv-table`` with ``:file:`` inside the site and no ``:url:``."""

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        if _in_post(env):
            where = (env.docname, self.lineno)
            if "url" in self.options:
                warn(
                    ArticleWarning.SECURITY,
                    f"The {self.name} ':url:' option is not allowed "
                    "in posts: nothing is fetched at build time. Save the file in the post's "
                    "folder and use ':file:'.",
                    location=where,
                )
                return []
            if "file" in self.options:
                real = checked(env, self.options["file"], f"{self.name} :file:", where)
                if real is None:
                    return []
                source_dir = os.path.dirname(os.path.abspath(self.state.document.current_source))
                self.options["file"] = os.path.relpath(real, source_dir)
        return list(super().run())


class SafeRaw(Raw):
    """``raw``: refused in posts unless ``article_raw_html``; ``:file:`` inside the site."""

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        if _in_post(env):
            where = (env.docname, self.lineno)
            if not env.config.article_raw_html:
                warn(
                    ArticleWarning.SECURITY,
                    RAW_REFUSED.format(fmt=self.arguments[0].strip()),
                    location=where,
                )
                return []
            if "url" in self.options:
                warn(
                    ArticleWarning.SECURITY,
                    "The raw ':url:' option is not allowed in posts: "
                    "nothing is fetched at build time.",
                    location=where,
                )
                return []
            if "file" in self.options:
                real = checked(env, self.options["file"], "raw :file:", where)
                if real is None:
                    return []
                self.options["file"] = str(real)
        return list(super().run())


def safe_raw_role(
    role: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """Roles derived from ``raw`` (``.. role:: html(raw)``) obey ``article_raw_html``."""
    env = getattr(inliner.document.settings, "env", None)
    if env is not None and _in_post(env) and not env.config.article_raw_html:
        fmt = (options or {}).get("format", "")
        warn(ArticleWarning.SECURITY, RAW_REFUSED.format(fmt=fmt), location=(env.docname, lineno))
        return [nodes.literal(rawtext, text)], []
    return raw_role(role, rawtext, text, lineno, inliner, options, content)


safe_raw_role.options = raw_role.options  # type: ignore[attr-defined]


#: MyST's own options for ``{include}`` (it adds them to any Include subclass)
MYST_INCLUDE_OPTIONS = {
    "relative-images": directives.flag,
    "relative-docs": directives.path,
    "heading-offset": directives.nonnegative_int,
}


class SafeInclude(SphinxDirective):
    """``include``, in Markdown (MyST's include) and reStructuredText (``{eval-rst}``).

    Not a subclass of docutils' ``Include`` on purpose: MyST runs any such subclass
    through its own include code without calling ``run``.  After the check this one
    hands the checked path to MyST's include or to Sphinx's, whichever parses the text.
    """

    required_arguments = Include.required_arguments
    optional_arguments = Include.optional_arguments
    final_argument_whitespace = Include.final_argument_whitespace
    has_content = Include.has_content
    option_spec = {**(Include.option_spec or {}), **MYST_INCLUDE_OPTIONS}

    def where(self) -> tuple[str, int]:
        return (self.env.docname, self.lineno)

    def run(self) -> list[nodes.Node]:
        argument = "".join(s.strip() for s in self.arguments[0].splitlines())
        if _in_post(self.env):
            if argument.startswith("<") and argument.endswith(">"):
                if any(c in argument for c in "/\\") or ".." in argument:
                    warn(
                        ArticleWarning.SECURITY,
                        refusal(self.name, argument, "outside"),
                        location=self.where(),
                    )
                    return []
            else:
                real = checked(self.env, argument, self.name, self.where())
                if real is None:
                    return []
                argument = _site_path(self.env, real)
        return self.delegate(argument)

    def delegate(self, argument: str) -> list[nodes.Node]:
        if isinstance(self.state, MockState):
            return MockIncludeDirective(
                self.state._renderer,
                name=self.name,
                klass=Include,
                arguments=[argument],
                options=self.options,
                body=list(self.content),
                lineno=self.lineno,
            ).run()
        options = {k: v for k, v in self.options.items() if k not in MYST_INCLUDE_OPTIONS}
        return list(
            Include(
                self.name,
                [argument],
                options,
                self.content,
                self.lineno,
                self.content_offset,
                self.block_text,
                self.state,
                self.state_machine,
            ).run()
        )


# -- after parsing: downloads and image patterns --------------------------------------------


def guard_doctree(app: Sphinx, doctree: nodes.document) -> None:
    """Before Sphinx collects downloads and images: drop those outside the site, and
    ``http-equiv`` meta tags (``.. meta::`` in ``{eval-rst}``)."""
    env = app.env
    if not _in_post(env):
        return
    for ref in list(doctree.findall(addnodes.download_reference)):
        target = ref.get("reftarget", "")
        if "://" in target:
            continue
        if checked(env, target, "download", ref) is None:
            ref.replace_self(nodes.literal(ref.astext(), ref.astext()))
    for image in list(doctree.findall(nodes.image)):
        uri = image.get("uri", "")
        if (
            uri.endswith(".*")
            and not image.get("article_role")  # ours are checked
            and checked(env, uri, "image", image) is None
        ):
            image.parent.remove(image)
    for meta in list(doctree.findall(nodes.meta)):
        if any(str(key).lower() == "http-equiv" for key in meta.attributes):
            warn(
                ArticleWarning.SECURITY,
                "A meta tag with http-equiv was ignored: a post may "
                "set only name= and property= meta tags (http-equiv can redirect readers "
                "to another site).",
                location=meta if meta.line else (env.docname, _line_of(env, "http-equiv")),
            )
            meta.parent.remove(meta)


def _line_of(env: BuildEnvironment, text: str) -> int:
    """The first line of the current post that contains ``text`` (docutils gives some
    nodes no line)."""
    try:
        source = Path(env.doc2path(env.docname)).read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return 0
    lowered = text.lower()
    return next(
        (n for n, line in enumerate(source.splitlines(), start=1) if lowered in line.lower()), 0
    )


def drop_symlinked_posts(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """A post whose file (or folder) is a symlink out of the site is never read."""
    for docname in list(docnames):
        if not is_post(app.config, docname):
            continue
        source = Path(env.doc2path(docname))
        real, reason = resolve_inside(env.srcdir, source.parent, source.name)
        if real is None:
            warn(
                ArticleWarning.SECURITY,
                f"The post's file '{source.name}' is a symlink to a "
                "file outside the site folder; it was not read. Copy the file into the "
                "site instead.",
                location=(docname, 0),
            )
            docnames.remove(docname)
            env.project.docnames.discard(docname)


def setup_guards(app: Sphinx) -> None:
    """Register after ``figures`` (``csv-table`` wraps its width-aware version)."""
    app.add_directive("literalinclude", SafeLiteralInclude, override=True)
    app.add_directive("include", SafeInclude, override=True)
    app.add_directive("csv-table", SafeCSVTable, override=True)
    app.add_directive("raw", SafeRaw, override=True)
    app.add_role("raw", safe_raw_role, override=True)
    app.connect("doctree-read", guard_doctree, priority=440)
    app.connect("env-before-read-docs", drop_symlinked_posts, priority=400)
