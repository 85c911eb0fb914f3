"""The page's HTML pieces as Jinja templates: found, translated and rendered here.

The title block, post cards, post index, tag pages, "Cite this" box and review banner
are templates under ``theme/html/partials/article/``.  They are rendered through the
builder's template bridge, so a site's ``templates_path`` (``_templates/``) overrides
any of them by the same name, under this theme or any other (the folder is appended
to the loader's search path when another theme is used).  Sphinx's template
environment does not autoescape: every template escapes author text with ``|e``.

``_`` and ``ngettext`` in these templates translate with sphinx-article's own message
catalogue (``sphinx_article/locale``), falling back to Sphinx's for its own words.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.jinja2glue import BuiltinTemplateLoader, SphinxFileSystemLoader
from sphinx.locale import get_translator

from ..assets import theme_dir

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

CATALOG = "sphinx_article"
#: Folder of the templates, relative to the theme's ``html/`` (their names start here).
PARTIALS = "partials/article/"
LOCALE_DIR = Path(__file__).parent.parent / "locale"


def gettext(message: str) -> str:
    """``message`` in the site's language: sphinx-article's catalogue, then Sphinx's
    (a site's template may use Sphinx's own words, such as "Contents")."""
    ours = get_translator(CATALOG)
    if message in getattr(ours, "_catalog", {}):
        return ours.gettext(message)
    return get_translator().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, in the site's language."""
    return get_translator(CATALOG).ngettext(singular, plural, n)


def translation_context() -> dict[str, Any]:
    """What the templates translate with (a site's override may use them too)."""
    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def render(builder: Builder, name: str, **context: Any) -> str:
    """Render ``partials/article/<name>`` with ``context`` (a site's copy wins)."""
    bridge = builder.templates
    if bridge is None:  # only HTML builders have templates; the others have their own paths
        raise TypeError(f"the {builder.name!r} builder renders no HTML templates")
    return bridge.render(PARTIALS + name, {**translation_context(), **context})


def add_template_folder(app: Sphinx) -> None:
    """On builder-inited: under another theme, find the article templates after the
    site's and the theme's own (a theme may ship its own copies, a site overrides)."""
    bridge = getattr(app.builder, "templates", None)
    if not isinstance(bridge, BuiltinTemplateLoader):
        return  # not an HTML builder, or a custom template bridge
    folder = theme_dir() / "html"
    if any(Path(p).resolve() == folder.resolve() for p in bridge.pathchain):
        return  # this theme: already on the search path
    bridge.loaders.append(SphinxFileSystemLoader(folder))


def page_translations(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """On html-page-context: the layout includes the review banner with these."""
    context["article_gettext"] = gettext
    context["article_ngettext"] = ngettext


def setup_pagetemplates(app: Sphinx) -> None:
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
    app.connect("builder-inited", add_template_folder, priority=100)
    app.connect("html-page-context", page_translations)
