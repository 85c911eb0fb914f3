"""One post's bad luck never takes the site down.

A track builds dozens of posts in one Sphinx run, and Sphinx aborts the whole run on
the first exception any extension handler raises.  Every handler sphinx-article
registers (event listeners, directives, roles, post-transforms, node visitors) is
therefore wrapped, once, where it is registered: :func:`guarding` patches the
registering methods of ``app`` while the package's ``setup()`` runs.  An unexpected
exception becomes one ``article.internal`` warning naming the post (and its line when
known); the post is built without that step and every other post is untouched.

Markdown itself is guarded at parse level (:class:`GuardedMystParser`): a body nested
too deeply for the parser (``RecursionError`` in markdown-it or MyST) is dropped with
an ``article.nesting`` warning, and the post keeps its title block and metadata.
"""

from __future__ import annotations

import functools
import inspect
import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from docutils import nodes
from docutils.parsers.rst import DirectiveError
from docutils.utils import SystemMessage
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.application import Sphinx
from sphinx.errors import ConfigError, SphinxWarning

from .warnings_ import ArticleWarning, warn

#: exceptions that are control flow, not failures: they pass through the guard
#: (``SphinxWarning`` is how ``-W`` stops a build, ``ConfigError`` a deliberate stop on
#: an unusable conf.py; the docutils ones steer parsing and translation)
PASS_THROUGH: tuple[type[BaseException], ...] = (
    SphinxWarning,
    ConfigError,
    nodes.TreePruningException,
    DirectiveError,
    SystemMessage,
)
#: what a failed listener returns instead, for events whose results Sphinx iterates
EVENT_DEFAULTS: dict[str, Callable[[], Any]] = {
    "env-get-outdated": list,
    "env-get-updated": list,
    "html-collect-pages": list,
}
#: deepest element nesting a post may have: deeper trees overflow Python's stack in
#: docutils, pickling or the writers (real Markdown stays far below)
MAX_DEPTH = 100
OURS = "sphinx_article"


def ours(obj: Any) -> bool:
    """Whether ``obj`` (a function, class or role) belongs to this package."""
    module = getattr(obj, "__module__", None) or getattr(type(obj), "__module__", "")
    return str(module).split(".")[0] == OURS


def _printable(text: str, limit: int = 200) -> str:
    """An exception's text made safe for the log: no lone surrogates, no control
    characters, bounded length."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(exc: BaseException) -> str:
    """The innermost frame of the traceback, for the bug report."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    frame = frames[-1]
    return f" at {os.path.basename(frame.filename)}:{frame.lineno}"


def report(exc: BaseException, step: str, location: Any = None) -> None:
    """One ``article.internal`` warning for an unexpected exception in ``step``.

    A ``RecursionError`` is the author's text nested too deeply (a directive's body
    parsed on its own, such as a caption): an ``article.nesting`` warning, not a bug."""
    if isinstance(exc, RecursionError):
        warn(
            ArticleWarning.NESTING,
            f"The text is nested too deeply to be read while "
            f"{step} (emphasis, lists, quotes or directives more than {MAX_DEPTH} levels "
            "inside each other); this part was left out. Remove the excess nesting.",
            location=location,
        )
        return
    name = type(exc).__name__
    detail = _printable(str(exc))
    scope = (
        "this step was skipped for this post and every other post is built as usual"
        if location is not None
        else "this step was skipped and the site is built without it"
    )
    warn(
        ArticleWarning.INTERNAL,
        f"sphinx-article failed while {step} ({name}{': ' + detail if detail else ''}"
        f"{_where(exc)}); {scope}. This is a bug in sphinx-article: please report it "
        "with the post's source.",
        location=location,
    )


@contextmanager
def post_step(step: str, location: Any = None) -> Iterator[None]:
    """For one post's share of a site-wide handler (a loop over posts): a failure is
    reported at ``location`` and the loop goes on with the next post."""
    try:
        yield
    except PASS_THROUGH:
        raise
    except Exception as exc:  # noqa: BLE001 - the whole point
        report(exc, step, location)


def _docname(app: Sphinx) -> str | None:
    try:
        return app.env.current_document.docname or None
    except AttributeError:
        return None


def node_location(node: nodes.Node, docname: str | None) -> Any:
    """``node`` when it (or an ancestor) knows its line; else the document."""
    current: nodes.Node | None = node
    while current is not None:
        if getattr(current, "line", None):
            return current
        current = current.parent
    return (docname, None) if docname else None


def _event_location(app: Sphinx, event: str, args: tuple[Any, ...]) -> Any:
    if event == "source-read":
        return (args[0], None)
    if event in ("doctree-read",):
        docname = _docname(app)
        return (docname, None) if docname else None
    if event == "doctree-resolved":
        return (args[1], None)
    if event == "html-page-context":
        pagename = args[0]
        return (pagename, None) if pagename in app.env.all_docs else None
    if event == "missing-reference":
        return node_location(args[1], _docname(app))
    return None


def guard_listener(event: str, handler: Callable[..., Any]) -> Callable[..., Any]:
    """``handler`` for ``event``: a failure is reported, and the event's neutral
    result (``[]`` or ``None``) stands in for the handler's."""
    step = f"running {handler.__name__} on '{event}'"
    default = EVENT_DEFAULTS.get(event, lambda: None)

    if inspect.isgeneratorfunction(handler):

        @functools.wraps(handler)
        def generator(app: Sphinx, *args: Any) -> Iterator[Any]:
            try:
                yield from handler(app, *args)
            except PASS_THROUGH:
                raise
            except Exception as exc:  # noqa: BLE001
                report(exc, step, _event_location(app, event, args))

        return generator

    @functools.wraps(handler)
    def listener(app: Sphinx, *args: Any) -> Any:
        try:
            return handler(app, *args)
        except PASS_THROUGH:
            raise
        except Exception as exc:  # noqa: BLE001
            report(exc, step, _event_location(app, event, args))
            return default()

    return listener


def guard_visitor(visit: Callable[..., Any] | None) -> Callable[..., Any] | None:
    """A node visitor that, on failure, takes back what it wrote and skips the node."""
    if visit is None or getattr(visit, "_article_guarded", False):
        return visit

    @functools.wraps(visit)
    def visitor(self: Any, node: nodes.Node) -> None:
        body = getattr(self, "body", None)
        mark = len(body) if isinstance(body, list) else None
        try:
            visit(self, node)
        except PASS_THROUGH:
            raise
        except Exception as exc:  # noqa: BLE001
            if mark is not None and isinstance(body, list):
                del body[mark:]
            docname = getattr(getattr(self, "builder", None), "current_docname", None)
            report(
                exc,
                f"writing a {type(node).__name__} node ({visit.__name__})",
                node_location(node, docname),
            )
            raise nodes.SkipNode from None

    visitor._article_guarded = True  # type: ignore[attr-defined]
    return visitor


#: guarded class per original class: a directive registered under two names
#: (``code-block``/``sourcecode``) stays one class
_GUARDED_CLASSES: dict[type, type] = {}


def guard_directive(cls: type[Any]) -> type:
    """A directive class whose ``run`` reports a failure and yields no nodes."""
    if cls in _GUARDED_CLASSES:
        return _GUARDED_CLASSES[cls]
    run = cls.run

    @functools.wraps(run)
    def guarded_run(self: Any) -> list[nodes.Node]:
        try:
            return run(self)
        except PASS_THROUGH:
            raise
        except Exception as exc:  # noqa: BLE001
            env = self.state.document.settings.env
            report(
                exc,
                f"running the '{self.name}' directive",
                (env.current_document.docname, self.lineno),
            )
            return []

    guarded = type(
        cls.__name__,
        (cls,),
        {
            "run": guarded_run,
            "__module__": cls.__module__,
            "__doc__": cls.__doc__,
            "__qualname__": cls.__qualname__,
        },
    )
    _GUARDED_CLASSES[cls] = guarded
    return guarded


def guard_role(role: Callable[..., Any]) -> Callable[..., Any]:
    """A role that reports a failure and leaves the role's text as plain text."""

    def guarded(
        name: str,
        rawtext: str,
        text: str,
        lineno: int,
        inliner: Any,
        options: dict[str, Any] | None = None,
        content: Any = (),
    ) -> Any:
        try:
            return role(name, rawtext, text, lineno, inliner, options or {}, content)
        except PASS_THROUGH:
            raise
        except Exception as exc:  # noqa: BLE001
            env = inliner.document.settings.env
            report(exc, f"reading the '{name}' role", (env.current_document.docname, lineno))
            return [nodes.Text(text)], []

    guarded.__dict__.update(getattr(role, "__dict__", {}))  # docutils reads role.options
    guarded.__module__ = OURS
    return guarded


def guard_transform(cls: type[Any]) -> type:
    """A post-transform whose failure is reported; the document keeps what it has."""
    run = cls.run

    @functools.wraps(run)
    def guarded_run(self: Any, **kwargs: Any) -> None:
        try:
            run(self, **kwargs)
        except PASS_THROUGH:
            raise
        except Exception as exc:  # noqa: BLE001
            report(exc, f"applying {cls.__name__}", (self.env.current_document.docname, None))

    return type(
        cls.__name__,
        (cls,),
        {
            "run": guarded_run,
            "__module__": cls.__module__,
            "__doc__": cls.__doc__,
            "__qualname__": cls.__qualname__,
        },
    )


@contextmanager
def guarding(app: Sphinx) -> Iterator[None]:
    """While the package's setup runs, everything it registers is guarded.

    Only this package's own handlers are wrapped (myst-parser, sphinxcontrib-bibtex and
    the others set up meanwhile keep their behaviour).
    """
    connect, add_node = app.connect, app.add_node
    add_directive, add_role, add_post_transform = (
        app.add_directive,
        app.add_role,
        app.add_post_transform,
    )

    def guarded_connect(event: str, callback: Callable[..., Any], priority: int = 500) -> int:
        if ours(callback):
            callback = guard_listener(event, callback)
        return connect(event, callback, priority=priority)

    def guarded_add_node(
        node: type[nodes.Element],
        override: bool = False,
        **kwargs: tuple[Callable[..., Any], Callable[..., Any] | None],
    ) -> None:
        visitors: dict[str, Any] = dict(kwargs)
        if ours(node):
            visitors = {
                fmt: (guard_visitor(visit), guard_visitor(depart))
                for fmt, (visit, depart) in kwargs.items()
            }
        add_node(node, override=override, **visitors)

    def guarded_add_directive(name: str, cls: type, override: bool = False) -> None:
        add_directive(name, guard_directive(cls) if ours(cls) else cls, override=override)

    def guarded_add_role(name: str, role: Any, override: bool = False) -> None:
        add_role(name, guard_role(role) if ours(role) else role, override=override)

    def guarded_add_post_transform(transform: type) -> None:
        add_post_transform(guard_transform(transform) if ours(transform) else transform)

    patches = {
        "connect": guarded_connect,
        "add_node": guarded_add_node,
        "add_directive": guarded_add_directive,
        "add_role": guarded_add_role,
        "add_post_transform": guarded_add_post_transform,
    }
    for name, patch in patches.items():
        setattr(app, name, patch)
    try:
        yield
    finally:
        for name in patches:
            delattr(app, name)


# -- Markdown too deep to parse ----------------------------------------------------------


def tree_depth(document: nodes.Node) -> int:
    """The deepest element nesting, counted without recursion."""
    deepest, stack = 0, [(document, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, nodes.Element):
            stack.extend((child, depth + 1) for child in node.children)
    return deepest


def _reset(document: nodes.document) -> None:
    """Empty a half-parsed document in place (the builder holds this very object)."""
    transformer, source = document.transformer, document.get("source")
    nodes.document.__init__(document, document.settings, document.reporter, source=source)
    document.transformer = transformer
    document.note_source(source, -1)


def setup_guard(app: Sphinx) -> None:
    """Replace myst-parser's parser by one that survives bodies nested too deeply, and
    myst-nb's too when it reads the ``.md`` posts (a site with notebook posts)."""
    app.add_source_parser(_guarded(MystParser), override=True)
    notebook_parser = app.registry.source_parsers.get("myst-nb")
    if isinstance(notebook_parser, type) and issubclass(notebook_parser, MystParser):
        app.add_source_parser(_guarded(notebook_parser), override=True)


def _guarded(base: type) -> type:
    """``base`` (a MyST parser class) with :func:`setup_guard`'s guard around ``parse``."""

    class GuardedMystParser(base):
        """MyST's parser; a post nested too deeply keeps only its front matter."""

        def parse(self, inputstring: str, document: nodes.document) -> None:
            try:
                super().parse(inputstring, document)
                if tree_depth(document) <= MAX_DEPTH:
                    return
            except RecursionError:
                pass
            env = document.settings.env
            _reset(document)
            head = _front_matter_only(inputstring)
            warn(
                ArticleWarning.NESTING,
                "The text is nested too deeply to be read (emphasis, "
                f"lists, quotes or directives more than {MAX_DEPTH} levels inside each "
                "other); the body of this post is left out. Remove the excess nesting.",
                location=(env.current_document.docname, _first_body_line(inputstring, head)),
            )
            super().parse(head, document)

    GuardedMystParser.__name__ = f"Guarded{base.__name__}"
    return GuardedMystParser


def _first_body_line(source: str, head: str) -> int | None:
    """The first non-blank line after the front matter (1-based), where the body starts."""
    skip = head.count("\n")
    for number, line in enumerate(source.splitlines()[skip:], start=skip + 1):
        if line.strip():
            return number
    return None


def _front_matter_only(source: str) -> str:
    """The ``---`` block at the top of ``source`` (MyST's own keys live there), if any."""
    lines = source.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return ""
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "".join(lines[: number + 1])
    return ""
