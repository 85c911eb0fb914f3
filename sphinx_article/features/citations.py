"""Per-post bibliographies on top of sphinxcontrib-bibtex.

sphinxcontrib-bibtex pools every ``bibtex_bibfiles`` entry into one database, so two
posts that use the same key for different works would both cite the first, with
warnings.  Here each post keeps its own keys:

* **read** (``doctree-read``, in the process that read the post, so ``-j`` merges
  it): the post's ``refs.bib`` (or its ``bibliography:`` files) is parsed with
  pybtex.  Every ``{cite:*}`` cross-reference of the post is rewritten to
  *post-qualified* keys (``posts/a/index#vaswani2017``), and so are the post's
  ``CitationRef`` records in the cite domain.  The cited entries, copied under those
  keys, a bibtex ``BibliographyValue`` and its citation nodes are stored in the
  article domain; a bibtex ``bibliography`` node is appended, wrapped in a
  ``reference_list`` that the appendix moves into its "References" section.
* **env-updated** (main process): the qualified entries are added to the cite
  domain's database as one virtual bib file per post, and the post bibliographies
  are formatted with bibtex's own ``get_formatted_entries`` *after* bibtex's pass, so
  its cross-document duplicate checks never see them.
* **write**: bibtex's ``BibliographyTransform`` and its ``resolve_xref`` do the rest;
  :class:`ReferenceEntries` turns the citations into ``reference_entry`` nodes with
  back-links to every place each work is cited.

Nothing global is merged: incremental builds re-read a post when its bib file changes
(a noted dependency) and rebuild the derived data on every ``env-updated``.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from pybtex.database import Entry
from pybtex.style.template import field as field_
from pybtex.style.template import first_of, node, optional, tag
from pybtex.utils import OrderedCaseInsensitiveDict
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinxcontrib.bibtex.bibfile import BibData, BibFile
from sphinxcontrib.bibtex.citation_target import CitationTarget, parse_citation_targets
from sphinxcontrib.bibtex.directives import BibliographyKey, BibliographyValue
from sphinxcontrib.bibtex.domain import BibtexDomain, Citation, get_docnames
from sphinxcontrib.bibtex.nodes import bibliography
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.roles import CiteRole
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.label import LabelReferenceStyle
from sphinxcontrib.bibtex.style.template import names as names_

from ..domain import Record, article_domain, get_post, get_record, records_of, set_record
from ..guard import post_step
from ..model.bibfiles import (
    DEFAULT_BIB,
    FORMATTING_STYLES,
    entry_problems,
    find_bibfiles,
    parse_bibfile,  # noqa: F401
    parse_cite_targets,
    read_bibfile,
    unknown_key_message,
)
from ..pdf.escape import tex
from ..visitors import for_formats, pass_node
from ..warnings_ import ArticleWarning, warn
from .citeindex import citations_of, narrowed, pick, refs_by_key, setup_citeindex

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

_ = get_translation("sphinx_article")

#: a post's bib files (read or not: ``find_bibfiles``), and its references' record
BIBFILES: Record[list[str]] = Record("bibfiles")
#: pybtex formatting style per ``article_citation_style``, and bibtex's reference style
STYLES = {
    "author-year": (FORMATTING_STYLES["author-year"], "article_author_year"),
    "numeric": (FORMATTING_STYLES["numeric"], "article_label"),
}
_UNSAFE = re.compile(r"[\s,{}#]")


@dataclass
class PostBibliography:
    """What a post's references need after reading (picklable; pybtex entries)."""

    files: list[str]  #: bib files read, relative to the source folder
    bib_id: str  #: id of the bibtex ``bibliography`` node in the post
    value: BibliographyValue  #: the bibtex bibliography record of the post
    #: cited entries under their qualified keys, in order of first citation
    entries: dict[str, Entry] = field(default_factory=dict)


BIBLIOGRAPHY: Record[PostBibliography] = Record("bibliography")


def qualify(docname: str, key: str) -> str:
    """``posts/a/index`` + ``vaswani2017`` -> ``posts/a/index#vaswani2017``."""
    return f"{_UNSAFE.sub('_', docname)}#{key}"


VIRTUAL_FOLDER = "_article_post_bibliographies"


def virtual_bibfile(srcdir: str | Path, docname: str) -> Path:
    """The name a post's entries go under in the cite domain's database (never a file)."""
    return Path(srcdir, VIRTUAL_FOLDER, docname + ".bib")


# -- read: scope the post's keys --------------------------------------------------------


def _targets(text: str) -> list[CitationTarget]:
    try:
        return list(parse_citation_targets(text))
    except ValueError:
        return []


def _target_text(targets: list[CitationTarget]) -> str:
    return ",".join(
        (f"{{{t.pre}}}" if t.pre else "") + t.key + (f"{{{t.post}}}" if t.post else "")
        for t in targets
    )


def _unique_id(document: nodes.document, base: str) -> str:
    candidate, n = base, 1
    while candidate in document.ids:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def read_entries(
    app: Sphinx, files: list[Path], docname: str
) -> tuple[list[str], dict[str, Entry], dict[str, str]]:
    """Parse the post's bib files (warning about each syntax error); then conf.py's
    ``bibtex_bibfiles`` fill in keys the post does not define.  Also: where each
    entry is (``path:line``, for warnings about it)."""
    env = app.env
    srcdir = Path(env.srcdir)
    entries: dict[str, Entry] = OrderedCaseInsensitiveDict()
    origins: dict[str, str] = {}
    names = []
    for path in files:
        env.note_dependency(str(path))
        names.append(path.relative_to(srcdir.resolve()).as_posix())
        source = read_bibfile(path, app.config.bibtex_encoding)
        for line, message in source.problems:  # the same sentences as ``check``
            warn(ArticleWarning.CITATION, message, location=f"{path}:{line}")
        for key, entry in source.entries.items():
            if key not in entries:
                entries[key] = entry
                origins[key.lower()] = f"{path}:{source.lines.get(key.lower(), 1)}"
    shared = env.domains["cite"].bibdata  # type: ignore[attr-defined]
    shared_files = {path: info for path, info in shared.bibfiles.items() if not is_virtual(path)}
    for bibfile in shared_files:
        env.note_dependency(str(bibfile))
    for key, entry in shared.data.entries.items():
        if key not in entries and "#" not in key:  # not another post's qualified entry
            entries[key] = entry
            origins[key.lower()] = next(
                (str(path) for path, info in shared_files.items() if key in info.keys), ""
            )
    return names, entries, origins


def is_virtual(bibfile: Path) -> bool:
    """A post's name in the cite domain's database (:func:`virtual_bibfile`), not a file.

    After a build the database holds every post's virtual file; a process that keeps its
    application between builds (``preview``) reads the next edit with that database, and a
    post depending on those never-existing files would be re-read on every build after.
    """
    return VIRTUAL_FOLDER in Path(bibfile).parts


def scope_citations(app: Sphinx, doctree: nodes.document) -> None:
    """Rewrite the post's cite keys to post-qualified keys; add its references list."""
    env = app.env
    docname = env.docname
    post = get_post(env, docname)
    if post is None:
        return
    xrefs = [x for x in doctree.findall(addnodes.pending_xref) if x.get("refdomain") == "cite"]
    files, problems = find_bibfiles(post, Path(env.doc2path(docname)).parent, Path(env.srcdir))
    for line, message in problems:
        warn(ArticleWarning.CITATION, message, location=(docname, line))
    set_record(env, docname, BIBFILES, [str(f) for f in files])
    if not xrefs:
        return
    names, entries, origins = read_entries(app, files, docname)
    cite: Any = env.domains["cite"]
    refs = own_citation_refs(cite.citation_refs, docname, [x["ids"][0] for x in xrefs if x["ids"]])
    cited: dict[str, Entry] = {}
    for xref in xrefs:
        kept = []
        for target in _targets(xref["reftarget"]):
            entry = entries.get(target.key)
            if entry is None:
                warn(
                    ArticleWarning.CITATION,
                    unknown_key_message(target.key, post, files, Path(env.srcdir)),
                    location=xref,
                )
                continue
            qualified = qualify(docname, entry.key)
            if qualified not in cited:
                normalized, entry_messages = entry_problems(entry)
                for message in entry_messages:  # at the entry in refs.bib, never the qualified key
                    warn(
                        ArticleWarning.CITATION,
                        message,
                        location=origins.get(entry.key.lower()) or xref,
                    )
                cited[qualified] = Entry(normalized.type, normalized.fields, normalized.persons)
                cited[qualified].key = qualified
            kept.append(target._replace(key=qualified))
        index = refs.get(xref["ids"][0]) if xref["ids"] else None
        if kept:
            xref["reftarget"] = _target_text(kept)
            if index is not None:
                cite.citation_refs[index] = cite.citation_refs[index]._replace(targets=kept)
        else:
            if index is not None:
                cite.citation_refs[index] = cite.citation_refs[index]._replace(targets=[])
            xref.replace_self(
                nodes.inline(
                    xref["reftarget"], f"[{xref['reftarget']}?]", classes=["article-cite-missing"]
                )
            )
    if not cited:
        return
    add_references(app, doctree, docname, names, cited)


def own_citation_refs(refs: list[Any], docname: str, wanted: list[str]) -> dict[str, int]:
    """citation-reference id -> position in bibtex's site-wide list, for this document.

    Its references were appended while it was parsed, so they are the list's tail: reading
    the tail keeps a build linear in its posts (the whole list, per post, was quadratic).
    Any id not found there falls back to the whole list."""
    found: dict[str, int] = {}
    i = len(refs) - 1
    while i >= 0 and refs[i].docname == docname:
        found[refs[i].citation_ref_id] = i
        i -= 1
    if all(ref_id in found for ref_id in wanted):
        return found
    return {ref.citation_ref_id: i for i, ref in enumerate(refs) if ref.docname == docname}


def add_references(
    app: Sphinx, doctree: nodes.document, docname: str, files: list[str], cited: dict[str, Entry]
) -> None:
    """Append the references list: a bibtex ``bibliography`` node of the cited entries."""
    style = STYLES[app.config.article_citation_style][0]
    bib_id = _unique_id(doctree, "bibliography")
    bibnode = bibliography("", docname=docname, ids=[bib_id])
    doctree.set_id(bibnode)
    citation_nodes: dict[str, nodes.Element] = {}
    for qualified in cited:
        node = nodes.citation(
            ids=[_unique_id(doctree, nodes.make_id("ref-" + qualified.partition("#")[2]) or "ref")]
        )
        doctree.set_id(node)
        citation_nodes[qualified] = node
    value = BibliographyValue(
        line=0,
        bibfiles=[virtual_bibfile(app.env.srcdir, docname)],
        style=style,
        list_="citation",
        enumtype="arabic",
        start=1,
        labelprefix="",
        keyprefix="",
        filter_=ast.parse("cited"),
        citation_nodes=citation_nodes,
        keys=[],
    )
    set_record(app.env, docname, BIBLIOGRAPHY, PostBibliography(files, bib_id, value, cited))
    wrapper = reference_list(
        docname=docname, style=app.config.article_citation_style, article_appendix="references"
    )
    wrapper += bibnode
    doctree += wrapper


def outdated_posts(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Re-read a post that had no ``refs.bib`` when one appears next to it."""
    stale = []
    for post in article_domain(env).posts.values():
        if post.bibliography or post.docname in changed or post.docname in added:
            continue
        if (
            not get_record(env, post.docname, BIBFILES)
            and (Path(env.doc2path(post.docname)).parent / DEFAULT_BIB).is_file()
        ):
            stale.append(post.docname)
    return stale


# -- env-updated: format each post's bibliography with bibtex ---------------------------


#: a post's formatted references, kept until the post is read again
FORMATTED: Record[list[Citation]] = Record("formatted_references")


def _post_keys(env: BuildEnvironment) -> dict[str, PostBibliography]:
    return records_of(env, BIBLIOGRAPHY)


def hide_post_bibliographies(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Before bibtex's pass: it must not see post bibliographies (pickled last time)."""
    cite: Any = env.domains["cite"]
    for docname, record in _post_keys(env).items():
        cite.bibliographies.pop(BibliographyKey(docname, record.bib_id), None)
    return []


def format_post_bibliographies(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """After bibtex's pass: add each post's entries and format its bibliography."""
    records = _post_keys(env)
    if not records:
        return []
    cite: Any = env.domains["cite"]
    shared: BibData = cite.bibdata
    files = {path: info for path, info in shared.bibfiles.items() if not is_virtual(path)}
    data = type(shared.data)()
    for key, entry in shared.data.entries.items():
        if "#" not in key:
            data.entries[key] = entry
    for docname, record in sorted(records.items()):
        files[virtual_bibfile(env.srcdir, docname)] = BibFile(
            mtime=-math.inf, keys=dict.fromkeys(record.entries)
        )
        data.entries.update(record.entries)
    cite.data["bibdata"] = BibData(encoding=shared.encoding, bibfiles=files, data=data)
    docnames = list(get_docnames(env))
    refs = refs_by_key(cite.citation_refs)
    for docname, record in sorted(records.items()):
        key = BibliographyKey(docname, record.bib_id)
        cite.bibliographies[key] = record.value
        # Formatting is the costly part of a build; a post's references depend only on
        # the post (re-reading it drops this record), so they are formatted once.
        formatted = get_record(env, docname, FORMATTED)
        if formatted is None:
            # one post's failure costs that post its references, never the others'
            with (
                post_step("formatting the post's references", location=(docname, None)),
                narrowed(
                    cite,
                    refs=pick(
                        cite.citation_refs, [refs.get(data.entries[k].key) for k in record.entries]
                    ),
                ),
            ):
                formatted = [
                    Citation(
                        citation_id=record.value.citation_nodes[entry.key]["ids"][0],
                        bibliography_key=key,
                        key=entry.key,
                        entry=entry,
                        formatted_entry=text,
                        tooltip_entry=None,
                    )
                    for entry, text, _tip in cite.get_formatted_entries(key, docnames, False, "")
                ]
                set_record(env, docname, FORMATTED, formatted)
        cite.citations.extend(formatted or [])
    return []


def cited_entries(env: BuildEnvironment, docname: str) -> list[Entry]:
    """The works a post cites, in references-list order (for meta tags)."""
    return [c.entry for c in citations_of(env, docname) if c.key.startswith(qualify(docname, ""))]


# -- write: references with back-links --------------------------------------------------


class reference_list(nodes.General, nodes.Element):
    """A post's references: holds bibtex's ``bibliography`` node, then entries."""


class reference_entry(nodes.General, nodes.TextElement):
    """One formatted reference; ``backrefs`` are the ids of the citations of it."""


class ReferenceEntries(SphinxPostTransform):
    """Right after bibtex fills the bibliography (priority 5): one ``reference_entry``
    per citation, with its label and back-links, for every builder."""

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        for wrapper in list(self.document.findall(reference_list)):
            entries = []
            for citation in list(wrapper.findall(nodes.citation)):
                label = next(iter(citation.findall(nodes.label)), None)
                paragraph = next(iter(citation.findall(nodes.paragraph)), None)
                entry = reference_entry(
                    ids=list(citation["ids"]),
                    backrefs=list(citation.get("backrefs", [])),
                    label=label.astext() if label is not None else "",
                    docname=citation.get("docname", wrapper["docname"]),
                )
                if paragraph is not None:
                    entry.extend(child.deepcopy() for child in paragraph.children)
                entries.append(entry)
            wrapper.children = []
            wrapper.extend(entries)
            if not entries:
                wrapper.parent.remove(wrapper)


class CitationLinks(SphinxPostTransform):
    """HTML: citations get the popover hook; the native tooltip would double it."""

    default_priority = 20
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for group in self.document.findall(nodes.inline):
            if "bibtex-citation" not in group["classes"]:
                continue
            for ref in group.findall(nodes.reference):
                ref.attributes.pop("reftitle", None)
                ref["classes"].append("article-cite")


def visit_reference_list_html(self: HTML5Translator, node: reference_list) -> None:
    self.body.append(f'<ol class="article-references article-references--{node["style"]}">')


def depart_reference_list_html(self: HTML5Translator, node: reference_list) -> None:
    self.body.append("</ol>\n")


def visit_reference_entry_html(self: HTML5Translator, node: reference_entry) -> None:
    self.body.append(self.starttag(node, "li", "", CLASS="article-reference"))
    if node["label"] and self.builder.config.article_citation_style == "numeric":
        self.body.append(
            f'<span class="article-reference__label">[{self.encode(node["label"])}]</span> '
        )
    self.body.append('<span class="article-reference__text">')


def depart_reference_entry_html(self: HTML5Translator, node: reference_entry) -> None:
    self.body.append("</span>")
    backrefs = node["backrefs"]
    if backrefs:
        label = str(_("Back to citation %d"))
        links = ", ".join(
            f'<a href="#{self.encode(ref)}" aria-label="{self.attval(label % i)}">{i}</a>'
            for i, ref in enumerate(backrefs, 1)
        )
        self.body.append(
            f' <span class="article-reference__backrefs">'
            f'<span aria-hidden="true">↩</span> {links}</span>'
        )
    self.body.append("</li>\n")


def visit_reference_list_latex(self: LaTeXTranslator, node: reference_list) -> None:
    self.body.append("\n\\begin{ArticleReferences}\n")


def depart_reference_list_latex(self: LaTeXTranslator, node: reference_list) -> None:
    self.body.append("\\end{ArticleReferences}\n")


def visit_reference_entry_latex(self: LaTeXTranslator, node: reference_entry) -> None:
    # bibtex links each citation to ``cite.<docname>:<id>`` (SphinxReferenceText)
    anchor = f"cite.{node['docname']}:{node['ids'][0]}" if node["ids"] else ""
    if re.search(r"[\\{}%#~^$&\s]", anchor):
        anchor = ""
    label = tex(node["label"]) if self.builder.config.article_citation_style == "numeric" else ""
    self.body.append(f"\\ArticleReference{{{anchor}}}{{{label}}}{{")


def depart_reference_entry_latex(self: LaTeXTranslator, node: reference_entry) -> None:
    self.body.append("}\n")


def visit_entry_as_paragraph(self: Any, node: reference_entry) -> None:
    """text, man, texinfo: a reference is a paragraph (with its label when numeric)."""
    self.visit_paragraph(node)
    if node["label"] and self.builder.config.article_citation_style == "numeric":
        node.insert(0, nodes.Text(f"[{node['label']}] "))


def depart_entry_as_paragraph(self: Any, node: reference_entry) -> None:
    self.depart_paragraph(node)


# -- configuration ----------------------------------------------------------------------


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


@node
def _entry_key(children: Any, data: dict[str, Any]) -> Any:
    """The key the author wrote (without the post prefix)."""
    return str(data["entry"].key).partition("#")[2] or str(data["entry"].key)


class ArticlePersonStyle(PersonStyle):
    """In-text names: author, else editor, else the title, else the entry's key (an
    entry with none of them is cited, with a warning, instead of failing the build)."""

    def author_or_editor_or_title(self, full: bool) -> Any:
        other = None if full else self.other
        kwargs = {"sep": self.sep, "sep2": self.sep2, "last_sep": self.last_sep, "other": other}
        return first_of[
            optional[names_("author", **kwargs)],
            optional[names_("editor", **kwargs)],
            optional[tag("em")[field_("title")]],
            _entry_key,
        ]


@dataclass
class ArticleAuthorYear(AuthorYearReferenceStyle):
    """natbib's look: (Lovelace et al., 2026; Babbage, 2025) and Lovelace et al. (2026)."""

    bracket_parenthetical: BracketStyle = field(default_factory=_round)
    bracket_textual: BracketStyle = field(default_factory=_round)
    bracket_year: BracketStyle = field(default_factory=_round)
    person: PersonStyle = field(default_factory=ArticlePersonStyle)


@dataclass
class ArticleLabel(LabelReferenceStyle):
    """bibtex's numeric ``label`` style, with :class:`ArticlePersonStyle`."""

    person: PersonStyle = field(default_factory=ArticlePersonStyle)


register_plugin("sphinxcontrib.bibtex.style.referencing", "article_author_year", ArticleAuthorYear)
register_plugin("sphinxcontrib.bibtex.style.referencing", "article_label", ArticleLabel)


class ArticleCiteRole(CiteRole):
    """bibtex's ``cite`` role, but a malformed target (a key with a space, a stray
    comma) is a located warning and is left out, instead of a ``ValueError`` that
    stops the build."""

    def result_nodes(
        self, document: nodes.document, env: BuildEnvironment, node: nodes.Element, is_ref: bool
    ) -> tuple[list[nodes.Node], list[Any]]:
        targets, problems = parse_cite_targets(self.target)
        for message in problems:
            warn(ArticleWarning.CITATION, message, location=node)
        if not problems:
            return super().result_nodes(document, env, node, is_ref)
        if not targets:
            return [
                nodes.inline(self.text, f"[{self.text}?]", classes=["article-cite-missing"])
            ], []
        self.target = ",".join(
            (f"{{{pre}}}" if pre else "") + key + (f"{{{post}}}" if post else "")
            for pre, key, post in targets
        )
        node["reftarget"] = self.target
        return super().result_nodes(document, env, node, is_ref)


def configure_bibtex(app: Sphinx, config: Config) -> None:
    """Posts bring their own bib files; the in-text style follows the article's."""
    if config.bibtex_bibfiles is None:
        config.bibtex_bibfiles = []
    if config.bibtex_reference_style == "label":  # bibtex's default: not the user's choice
        config.bibtex_reference_style = STYLES[config.article_citation_style][1]


def setup_citations(app: Sphinx) -> None:
    for name in BibtexDomain.roles:
        app.add_role_to_domain("cite", name, ArticleCiteRole(), override=True)
    app.add_role("cite", ArticleCiteRole(), override=True)
    app.connect("config-inited", configure_bibtex, priority=150)
    app.connect("doctree-read", scope_citations, priority=650)
    app.connect("env-get-outdated", outdated_posts)
    app.connect("env-updated", hide_post_bibliographies, priority=450)
    app.connect("env-updated", format_post_bibliographies, priority=600)
    setup_citeindex(app)
    app.add_post_transform(ReferenceEntries)
    app.add_post_transform(CitationLinks)
    as_paragraph = (visit_entry_as_paragraph, depart_entry_as_paragraph)
    app.add_node(
        reference_list,
        html=(visit_reference_list_html, depart_reference_list_html),
        latex=(visit_reference_list_latex, depart_reference_list_latex),
        **for_formats(("text", "man", "texinfo"), pass_node, pass_node),
    )
    app.add_node(
        reference_entry,
        html=(visit_reference_entry_html, depart_reference_entry_html),
        latex=(visit_reference_entry_latex, depart_reference_entry_latex),
        text=as_paragraph,
        man=as_paragraph,
        texinfo=as_paragraph,
    )
