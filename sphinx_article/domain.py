"""Per-post state, kept where Sphinx can purge, pickle and merge it.

Everything a feature learns about a document while reading (its front-matter record,
its hero figure, its equation terms, its citations...) is stored here keyed by
docname, so ``-j 2`` merges it and an incremental build drops a re-read post's stale
entries.  Cross-post views (the index, tags, feed) are derived from it when needed,
never stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from sphinx.domains import Domain

from .model.urls import url_kind

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .model.frontmatter import Post

ENV_VERSION = 3  # 2: post bibliographies use the article_* pybtex styles; 3: math_codepoints


class ArticleDomain(Domain):
    """Holds ``posts`` (docname -> Post) and ``records`` (docname -> kind -> value)."""

    name = "article"
    label = "sphinx-article"
    initial_data = {"posts": {}, "records": {}}
    data_version = ENV_VERSION

    @property
    def posts(self) -> dict[str, Post]:
        return self.data.setdefault("posts", {})

    @property
    def records(self) -> dict[str, dict[str, Any]]:
        return self.data.setdefault("records", {})

    def clear_doc(self, docname: str) -> None:
        self.posts.pop(docname, None)
        self.records.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata.get("posts", {}):
                self.posts[docname] = otherdata["posts"][docname]
            if docname in otherdata.get("records", {}):
                self.records[docname] = otherdata["records"][docname]

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []


def article_domain(env: BuildEnvironment) -> ArticleDomain:
    return env.domains["article"]  # type: ignore[return-value]


def get_post(env: BuildEnvironment, docname: str) -> Post | None:
    """The front-matter record of ``docname``, or None for an ordinary page."""
    return article_domain(env).posts.get(docname)


T = TypeVar("T")


@dataclass(frozen=True)
class Record(Generic[T]):
    """One kind of per-post record: its key in the domain's data and, for the type
    checker, the type of its value.  Each kind is declared once, beside the feature that
    writes it (``hero.HERO``, ``citations.BIBLIOGRAPHY``...), and read through it."""

    name: str


def set_record(env: BuildEnvironment, docname: str, kind: Record[T], value: T) -> None:
    article_domain(env).records.setdefault(docname, {})[kind.name] = value


@overload
def get_record(env: BuildEnvironment, docname: str, kind: Record[T]) -> T | None: ...
@overload
def get_record(env: BuildEnvironment, docname: str, kind: Record[T], default: T) -> T: ...
def get_record(
    env: BuildEnvironment, docname: str, kind: Record[T], default: T | None = None
) -> T | None:
    return article_domain(env).records.get(docname, {}).get(kind.name, default)


def records_of(
    env: BuildEnvironment, kind: Record[T], docnames: Iterable[str] | None = None
) -> dict[str, T]:
    """docname -> this kind's record, for every document that has one (sorted) or for
    ``docnames``."""
    records = article_domain(env).records
    names = sorted(records) if docnames is None else docnames
    return {d: records[d][kind.name] for d in names if kind.name in records.get(d, {})}


def reread_when_url_kind_changes(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: a post's citation stores its address when it is read, so an
    ``html`` build after a ``dirhtml`` one (same doctree folder) reads every post again."""
    domain = article_domain(env)
    kind = url_kind(app.builder.name)
    previous = domain.data.get("url_kind")
    domain.data["url_kind"] = kind
    if previous is None or previous == kind:
        return []
    return sorted(set(domain.posts) - removed)


def setup_domain(app: Sphinx) -> None:
    app.add_domain(ArticleDomain)
    app.connect("env-get-outdated", reread_when_url_kind_changes)
