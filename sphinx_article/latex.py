"""One PDF per post: ``latex_documents`` from the posts, the article style, and the
link from each web page to its PDF.

Posts are only known after reading, so ``latex_documents`` is filled on
``env-updated`` (the LaTeX builder reads it in ``prepare_writing``).  Entries a user
wrote in conf.py are kept.  ``latexmkrc`` gets ``openin_any=p`` (TeX may read files
only below the build folder) and shell escape stays off.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.latex import default_latex_documents
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from .assets import theme_dir
from .domain import article_domain, get_post
from .frontmatter import Post
from .latex_escape import tex
from .posts import post_docnames

STY = "sphinxarticle"

# A4 with a margin column for notes (text 118 mm + 7 mm + 48 mm margin column).
GEOMETRY = (
    r"\usepackage[a4paper,left=22mm,top=24mm,bottom=26mm,textwidth=118mm,"
    r"marginparsep=7mm,marginparwidth=48mm,headsep=8mm]{geometry}"
)

LATEX_ELEMENTS: dict[str, str] = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "geometry": GEOMETRY,
    "maketitle": "",  # the title block node writes the title
    "tableofcontents": "",
    "printindex": "",
    "fontpkg": r"\usepackage{tgpagella}\usepackage{tgheros}\renewcommand\ttdefault{txtt}",
    "sphinxsetup": "hmargin={22mm,70mm}, TitleColor={rgb}{0.1,0.1,0.1}",
}

LATEXMK_HARDENING = """
# sphinx-article: TeX may read files only below this folder, and never run programs.
$ENV{'openin_any'} = 'p';
$ENV{'openout_any'} = 'p';
$ENV{'shell_escape'} = 'f';
"""


def pdf_name(post: Post) -> str:
    return f"{post.slug}.pdf"


def configure_latex(app: Sphinx, config: Config) -> None:
    """Article defaults for LaTeX settings the user did not set themselves."""
    if not config.article_pdf:
        return
    config.latex_elements = {**LATEX_ELEMENTS, **config.latex_elements}
    extra = [str(path) for path in style_files()]
    config.latex_additional_files = [*config.latex_additional_files, *extra]


def style_files() -> list[Path]:
    """``sphinxarticle.sty`` first, then each feature's ``sphinxarticle-<feature>.sty``."""
    folder = theme_dir() / "latex"
    return [folder / f"{STY}.sty", *sorted(folder.glob(f"{STY}-*.sty"))]


def post_latex_documents(app: Sphinx, env: BuildEnvironment) -> None:
    """Add one ``latex_documents`` entry per post."""
    config = app.config
    if not config.article_pdf or app.builder.name != "latex":
        return
    posts = article_domain(env).posts
    current = [tuple(entry) for entry in config.latex_documents]
    configured = current != [tuple(entry) for entry in default_latex_documents(config)]
    user = [entry for entry in current if entry[0] not in posts] if configured else []
    entries = []
    for docname in post_docnames(env):
        post = posts[docname]
        authors = "Anonymous" if config.article_review else ", ".join(a.name for a in post.authors)
        entries.append((docname, f"{post.slug}.tex", tex(post.title), tex(authors), "howto"))
    config.latex_documents = [*user, *entries]


def harden_latexmk(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name != "latex":
        return
    rc = Path(app.outdir) / "latexmkrc"
    if rc.is_file() and "openin_any" not in rc.read_text(encoding="utf-8"):
        with rc.open("a", encoding="utf-8") as handle:
            handle.write(LATEXMK_HARDENING)


def latex_output_dir(app: Sphinx) -> Path:
    """The ``latex`` folder beside this build's output (the ``-M`` layout)."""
    return Path(app.outdir).parent / "latex"


def pdf_url(app: Sphinx, builder: Builder, docname: str) -> str | None:
    """The web page's link to its PDF, when that PDF has been built."""
    post = get_post(app.env, docname)
    if post is None or not app.config.article_pdf:
        return None
    if (latex_output_dir(app) / pdf_name(post)).is_file():
        return pdf_name(post)
    return None


def copy_pdfs(app: Sphinx, exception: Exception | None) -> None:
    """Put each built PDF beside its post's page."""
    if exception is not None or app.builder.format != "html" or not app.config.article_pdf:
        return
    for docname, post in article_domain(app.env).posts.items():
        source = latex_output_dir(app) / pdf_name(post)
        if source.is_file():
            target = Path(app.outdir) / Path(docname).parent / pdf_name(post)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def setup_latex(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", configure_latex, priority=800)
    app.connect("env-updated", post_latex_documents)
    app.connect("build-finished", harden_latexmk)
    app.connect("build-finished", copy_pdfs)
    app.connect("article-pdf-url", pdf_url)
    for path in style_files():
        app.add_latex_package(path.stem)
    return {}
