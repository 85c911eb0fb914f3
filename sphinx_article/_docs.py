"""Directives used only by sphinx-article's own documentation.

They render the reference tables from the code (config values, warning subtypes,
front-matter keys, CRediT roles, licences, theme options and CSS variables), so the
documentation cannot drift from what the extension does.  Each generated entry is also
registered as a cross-reference target and lands in ``objects.inv``: config values as
``std:confval`` (role ``{confval}``), warning subtypes as ``std:article-warning`` (role
``{article-warning}``) and front-matter keys as ``std:frontmatter-key`` (role
``{fmkey}``).  A key list or enum member without its documentation is a docs warning,
which fails the ``-W`` docs build.

Enable with ``extensions = ["sphinx_article", "sphinx_article._docs"]``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from .assets import components_dir, theme_dir
from .config import OPTIONS
from .features.mathrender import CONSTRUCTS
from .model import frontmatter
from .model.vocabularies import CREDIT_ROLES, LICENSES
from .warnings_ import FIXES, ArticleWarning

logger = logging.getLogger(__name__)

#: What each ``--article-*`` variable of ``theme/components/base.css`` controls.
CSS_VARIABLE_DOCS: dict[str, str] = {
    "font-body": "Font stack of the body text (a serif, for long reading).",
    "font-heading": "Font stack of headings.",
    "font-ui": "Font stack of the site header, footer, captions and controls.",
    "font-mono": "Font stack of code.",
    "body-width": "Width of the text column (the measure).",
    "margin-width": "Width of the margin column beside the text (margin notes, sidenotes).",
    "toc-width": "Width of the table of contents column on wide screens.",
    "gutter": "Space between the columns.",
    "page-width": "Width of ``page`` figures: the text column, the gutter and the margin column.",
    "frame-post": "Total width of a post's grid: contents, text and margin columns.",
    "frame": "Width of the site header, footer and ordinary pages.",
    "bg": "Page background. Equation term colours are checked for contrast against it.",
    "bg-soft": "Background of cards, notes and other soft panels.",
    "text": "Body text colour.",
    "text-muted": "Secondary text: bylines, captions, dates.",
    "link": "Link colour.",
    "focus": "Outline colour of the keyboard focus ring.",
    "rule": "Thin rules and borders.",
    "rule-strong": "Borders of controls (inputs, buttons, toggles) that must stay visible.",
    "code-bg": "Background of code.",
    "highlight": "Background of the reference a link jumped to, and of search matches.",
    "banner-bg": "Background of the 'under review' and 'draft' banners.",
    "banner-text": "Text colour of those banners.",
}

_CODE = re.compile(r"``(.+?)``")


def inline(text: str) -> list[nodes.Node]:
    """Plain text with ````literal```` spans, as docutils nodes (no markup parser)."""
    result: list[nodes.Node] = []
    for i, part in enumerate(_CODE.split(" ".join(text.split()))):
        if i % 2:
            result.append(nodes.literal(part, part))
        elif part:
            result.append(nodes.Text(part))
    return result


def paragraph(*parts: str | nodes.Node | Iterable[nodes.Node]) -> nodes.paragraph:
    """A paragraph from strings (parsed by :func:`inline`) and ready-made nodes."""
    para = nodes.paragraph()
    for part in parts:
        if isinstance(part, str):
            para.extend(inline(part))
        elif isinstance(part, nodes.Node):
            para.append(part)
        else:
            para.extend(part)
    return para


def literal(text: str) -> nodes.literal:
    return nodes.literal(text, text)


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[nodes.Node | str]],
    widths: Sequence[int],
    classes: Sequence[str] = (),
) -> nodes.table:
    """A docutils table; each cell is a node (wrapped in a paragraph) or inline text."""
    tbl = nodes.table(classes=["article-docs-table", *classes])
    group = nodes.tgroup(cols=len(headers))
    tbl += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row([paragraph(h) for h in headers])
    body = nodes.tbody()
    group += body
    for row in rows:
        body += _row([c if isinstance(c, nodes.Element) else paragraph(c) for c in row])
    return tbl


def _row(cells: Sequence[nodes.Element]) -> nodes.row:
    row = nodes.row()
    for content in cells:
        entry = nodes.entry()
        entry += content
        row += entry
    return row


class _GeneratedDirective(SphinxDirective):
    """Shared helpers: cross-reference targets and located docs warnings."""

    has_content = False

    def target(
        self, objtype: str, name: str, node: nodes.Element, index: str | None = None
    ) -> list[nodes.Node]:
        """Give ``node`` an id, register ``name`` as a std-domain ``objtype`` object."""
        node_id = make_id(self.env, self.state.document, objtype, name)
        node["ids"].append(node_id)
        self.state.document.note_explicit_target(node)
        std = self.env.domains.standard_domain
        std.note_object(objtype, name, node_id, location=node)
        if index is None:
            return []
        return [addnodes.index(entries=[("single", index, node_id, "", None)])]

    def docs_warning(self, message: str) -> None:
        logger.warning(message, location=self.get_location())


class ConfigTable(_GeneratedDirective):
    """``article-config-table``: every ``article_*`` value from ``config.OPTIONS``."""

    def run(self) -> list[nodes.Node]:
        rows = []
        extra: list[nodes.Node] = []
        for option in OPTIONS:
            name = paragraph(literal(option.key))
            extra += self.target("confval", option.key, name, f"{option.key} (configuration value)")
            types = " or ".join(t.__name__ for t in option.types)
            rows.append(
                [
                    name,
                    paragraph(literal(repr(option.default))),
                    paragraph(types),
                    paragraph(option.help),
                ]
            )
        return [
            *extra,
            table(
                ["Name", "Default", "Type", "Description"],
                rows,
                [22, 14, 10, 54],
                ["article-config-table"],
            ),
        ]


class WarningList(_GeneratedDirective):
    """``article-warning-list``: every ``ArticleWarning`` subtype, with its fix."""

    def run(self) -> list[nodes.Node]:
        fixes = FIXES
        result: list[nodes.Node] = []
        dl = nodes.definition_list(classes=["article-warning-list"])
        for member in ArticleWarning:
            name = f"article.{member.value}"
            term = nodes.term("", "", literal(name))
            result += self.target("article-warning", name, term, f"{name} (warning subtype)")
            definition = nodes.definition()
            definition += paragraph(nodes.strong("", "Raised when: "), member.description)
            fix = fixes.get(member.value)
            if fix:
                definition += paragraph(nodes.strong("", "Fix: "), fix)
            else:
                self.docs_warning(
                    f"warning subtype {name} has no FIXES entry; add one in "
                    f"sphinx_article/warnings_.py."
                )
            definition += paragraph(
                nodes.strong("", "Silence: "), literal(f'suppress_warnings = ["{name}"]')
            )
            dl += nodes.definition_list_item("", term, definition)
        for subtype in sorted(set(fixes) - {m.value for m in ArticleWarning}):
            self.docs_warning(f"FIXES names '{subtype}', which is not an ArticleWarning.")
        return [*result, dl]


#: front-matter key groups: name -> (prefix of documented names, keys the code accepts)
def _key_groups() -> dict[str, tuple[str, tuple[str, ...]]]:
    return {
        "post": ("", frontmatter.TOP_KEYS),
        "authors": ("authors.", frontmatter.AUTHOR_KEYS),
        "affiliations": ("affiliations.", frontmatter.AFFILIATION_KEYS),
        "updates": ("updates.", frontmatter.UPDATE_KEYS),
        "passthrough": ("", frontmatter.PASSTHROUGH_KEYS),
    }


def documented_keys() -> set[str]:
    """Every front-matter key name the code accepts, as the docs name it."""
    return {prefix + key for prefix, keys in _key_groups().values() for key in keys}


class FrontMatterKeys(_GeneratedDirective):
    """``article-frontmatter-keys GROUP``: one table of front-matter keys.

    GROUP is ``post``, ``authors``, ``affiliations``, ``updates`` or ``passthrough``.
    """

    required_arguments = 1
    option_spec = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        groups = _key_groups()
        group = self.arguments[0]
        if group not in groups:
            self.docs_warning(
                f"unknown front-matter key group '{group}'; use one of {', '.join(groups)}."
            )
            return []
        prefix, keys = groups[group]
        docs = {doc.key: doc for doc in frontmatter.KEY_DOCS}
        if group == "post":  # report stray docs once, from the first table
            for stray in sorted(set(docs) - documented_keys()):
                self.docs_warning(
                    f"KEY_DOCS documents '{stray}', which the front-matter parser does not accept."
                )
        rows: list[list[nodes.Node | str]] = []
        extra: list[nodes.Node] = []
        for key in keys:
            doc = docs.get(prefix + key)
            if doc is None:
                self.docs_warning(
                    f"front-matter key '{prefix + key}' has no KEY_DOCS entry; "
                    f"add one in sphinx_article/model/frontmatter.py."
                )
                continue
            name = paragraph(literal(key))
            extra += self.target("frontmatter-key", doc.key, name, f"{doc.key} (front-matter key)")
            description = nodes.container()
            description += paragraph(doc.help)
            if doc.example:
                description += paragraph(
                    nodes.emphasis("", "Example: "), literal(f"{key}: {doc.example}")
                )
            rows.append(
                [
                    name,
                    paragraph(doc.type),
                    paragraph("required" if doc.required else "optional"),
                    paragraph(doc.default or "–"),
                    description,
                ]
            )
        return [
            *extra,
            table(
                ["Key", "Type", "Required", "Default", "Description"],
                rows,
                [14, 14, 9, 15, 48],
                ["article-frontmatter-table"],
            ),
        ]


class CreditRoles(_GeneratedDirective):
    """``article-credit-roles``: the 14 CRediT roles accepted in ``roles:``."""

    def run(self) -> list[nodes.Node]:
        rows = [
            [paragraph(literal(ident)), paragraph(label)] for ident, label in CREDIT_ROLES.items()
        ]
        return [table(["Write in roles:", "Shown to readers as"], rows, [40, 60])]


class Licenses(_GeneratedDirective):
    """``article-licenses``: the SPDX identifiers accepted in ``license:``."""

    def run(self) -> list[nodes.Node]:
        rows = []
        for ident, (label, url) in LICENSES.items():
            name: nodes.Node = nodes.reference("", label, refuri=url) if url else nodes.Text(label)
            rows.append([paragraph(literal(ident)), paragraph(name)])
        return [table(["SPDX identifier", "Licence"], rows, [35, 65])]


def theme_options() -> list[tuple[str, str, str]]:
    """``(name, default, help)`` of each option in ``theme.toml``; help is its comment."""
    path = theme_dir() / "html" / "theme.toml"
    text = path.read_text(encoding="utf-8")
    options = tomllib.loads(text).get("options", {})
    comments: dict[str, str] = {}
    pending: list[str] = []
    in_options = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            in_options = stripped == "[options]"
            pending = []
        elif in_options and stripped.startswith("#"):
            pending.append(stripped.lstrip("#").strip())
        elif in_options and "=" in stripped:
            comments[stripped.split("=", 1)[0].strip()] = " ".join(pending)
            pending = []
    return [(name, str(default), comments.get(name, "")) for name, default in options.items()]


class ThemeOptions(_GeneratedDirective):
    """``article-theme-options``: the ``html_theme_options`` of the theme."""

    def run(self) -> list[nodes.Node]:
        rows = []
        for name, default, help_text in theme_options():
            if not help_text:
                self.docs_warning(f"theme option '{name}' has no comment in theme.toml.")
            rows.append(
                [paragraph(literal(name)), paragraph(literal(repr(default))), paragraph(help_text)]
            )
        return [table(["Option", "Default", "Description"], rows, [20, 15, 65])]


_BLOCK = re.compile(r"([^{}]+)\{([^{}]*)\}")
_VAR = re.compile(r"--article-([\w-]+)\s*:\s*([^;]+);")


def css_variables() -> dict[str, dict[str, str]]:
    """``name -> {"light": value, "dark": value}`` from ``base.css``'s ``:root`` rules."""
    css = re.sub(
        r"/\*.*?\*/", "", (components_dir() / "base.css").read_text(encoding="utf-8"), flags=re.S
    )
    found: dict[str, dict[str, str]] = {}
    for selector, body in _BLOCK.findall(css):
        selector = " ".join(selector.split())
        if selector == ":root":
            mode = "light"
        elif selector == ':root[data-theme="dark"]':
            mode = "dark"
        else:
            continue
        for name, value in _VAR.findall(body):
            found.setdefault(name, {})[mode] = " ".join(value.split())
    return found


class CssVariables(_GeneratedDirective):
    """``article-css-variables``: every ``--article-*`` custom property of the theme."""

    def run(self) -> list[nodes.Node]:
        variables = css_variables()
        rows = []
        for name, values in variables.items():
            help_text = CSS_VARIABLE_DOCS.get(name)
            if help_text is None:
                self.docs_warning(
                    f"CSS variable --article-{name} has no entry in "
                    f"sphinx_article/_docs.py:CSS_VARIABLE_DOCS."
                )
                help_text = ""
            dark = values.get("dark")
            rows.append(
                [
                    paragraph(literal(f"--article-{name}")),
                    paragraph(literal(values.get("light", ""))),
                    paragraph(literal(dark) if dark else "same"),
                    paragraph(help_text),
                ]
            )
        for stray in sorted(set(CSS_VARIABLE_DOCS) - set(variables)):
            self.docs_warning(
                f"CSS_VARIABLE_DOCS documents --article-{stray}, which base.css does not define."
            )
        return [
            table(
                ["Variable", "Light", "Dark", "Description"],
                rows,
                [22, 30, 14, 34],
                ["article-css-table"],
            )
        ]


class MathConstructs(_GeneratedDirective):
    """``article-math-constructs``: what math works, from ``mathrender.CONSTRUCTS``, each
    example rendered by this build (a refused one would be a build warning)."""

    def run(self) -> list[nodes.Node]:
        rows: list[list[nodes.Node | str]] = []
        for kind, latex, notes in CONSTRUCTS:
            math = nodes.math_block(
                latex, latex, number=None, label=None, nowrap=False, docname=self.env.docname
            )
            self.set_source_info(math)
            example = nodes.container("", paragraph(literal(latex)), math)
            if notes:
                example += paragraph(notes)
            rows.append([paragraph(kind), example])
        return [
            table(
                ["Kind", "Source, as this build renders it, notes"],
                rows,
                [18, 82],
                ["article-math-constructs"],
            )
        ]


class Example(SphinxDirective):
    """``article-example``: show MyST source, then what it renders to.

    The source shown is exactly the source rendered, so every example in the docs is
    built (and checked by ``-W``) with the docs.
    """

    has_content = True
    option_spec = {"caption": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        source = "\n".join(self.content)
        code = nodes.literal_block(
            source, source, language="md", classes=["article-example__source"]
        )
        self.set_source_info(code)
        rendered = nodes.container(classes=["article-example__result"])
        rendered += self.parse_content_to_nodes(allow_section_headings=False)
        box = nodes.container(classes=["article-example"])
        if "caption" in self.options:
            box += nodes.rubric("", "", *inline(self.options["caption"]))
        box += [code, rendered]
        return [box]


DOCS_CSS = """
.article-example { margin: 1.2rem 0; border: 1px solid var(--article-rule); border-radius: 6px; }
.article-example > pre, .article-example > div > pre { margin: 0; border-radius: 6px 6px 0 0; }
.article-example__result { padding: 0.8rem 1rem; }
.article-example__result > :last-child { margin-bottom: 0; }
.article-docs-table td p, .article-docs-table th p { margin: 0 0 0.3rem; }
.article-docs-table td p:last-child { margin-bottom: 0; }
.article-warning-list dt { margin-top: 1rem; font-weight: 600; }
.article-warning-list dd p { margin: 0.2rem 0; }
"""


def _add_css(app: Sphinx) -> None:
    """The docs' own few styles (example boxes, reference tables), HTML builds only."""
    if app.builder.format != "html":
        return
    static = app.outdir / "_static"
    static.mkdir(parents=True, exist_ok=True)
    target = static / "sphinx-article-docs.css"
    if not target.is_file() or target.read_text(encoding="utf-8") != DOCS_CSS:
        target.write_text(DOCS_CSS, encoding="utf-8")
    app.add_css_file("sphinx-article-docs.css", priority=700)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_article")
    app.add_object_type(
        "article-warning",
        "article-warning",
        objname="warning subtype",
        indextemplate="single: %s (warning subtype)",
    )
    app.add_object_type(
        "frontmatter-key",
        "fmkey",
        objname="front-matter key",
        indextemplate="single: %s (front-matter key)",
    )
    app.add_directive("article-config-table", ConfigTable)
    app.add_directive("article-warning-list", WarningList)
    app.add_directive("article-frontmatter-keys", FrontMatterKeys)
    app.add_directive("article-credit-roles", CreditRoles)
    app.add_directive("article-licenses", Licenses)
    app.add_directive("article-theme-options", ThemeOptions)
    app.add_directive("article-css-variables", CssVariables)
    app.add_directive("article-example", Example)
    app.add_directive("article-math-constructs", MathConstructs)
    app.connect("builder-inited", _add_css)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
