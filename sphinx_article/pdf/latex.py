"""One PDF per post: ``latex_documents`` from the posts, the article style, a hardened
``make latexpdf`` that reports failures briefly, and the link from each page to its PDF.

Posts are only known after reading, so ``latex_documents`` is filled on
``env-updated`` (the LaTeX builder reads it in ``prepare_writing``).  Entries a user
wrote in conf.py are kept and win.  After the LaTeX build, ``latexmkrc`` gets
``openin_any=p`` (TeX may read files only below the build folder), no shell escape and
no interaction, and the ``Makefile`` that ``sphinx-build -M latexpdf`` runs gets a rule
that keeps latexmk's output in ``<name>.latexmk.log``, replaces a formula that stops TeX
by its source and compiles again (``python -m sphinx_article.pdf.compile``) and, when a
document still fails, prints the post and the LaTeX error lines
(``python -m sphinx_article.pdf.latex``).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.latex import default_latex_documents
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.build_phase import BuildPhase

from ..assets import theme_dir
from ..domain import article_domain
from .escape import tex
from .proceedings import PROCEEDINGS, write_proceedings
from .text import author_names

logger = logging.getLogger(__name__)

STY = "sphinxarticle"
DOCUMENTS_JSON = "sphinxarticle-documents.json"

# A4 with a margin column for notes: text 118 mm, gutter 7 mm, margin column 48 mm
# (Sphinx passes hmargin/vmargin/marginpar from ``sphinxsetup`` to geometry).
PAGE = "hmargin={22mm,70mm}, vmargin={24mm,26mm}, marginpar=48mm"
GEOMETRY = r"\usepackage[marginparsep=7mm,headheight=14pt,headsep=8mm,footskip=12mm]{geometry}"

LATEX_ELEMENTS: dict[str, str] = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "extraclassoptions": "oneside",  # the margin column stays on the right of every page
    "geometry": GEOMETRY,
    "fncychap": "",
    "maketitle": "",  # the title block node writes the title
    "tableofcontents": "",
    "makeindex": "",  # no index: saves a makeindex run per PDF
    "printindex": "",
    # Long code lines wrap, even without spaces; nothing runs into the margin.
    "sphinxsetup": f"{PAGE}, TitleColor={{rgb}}{{0.1,0.1,0.1}}, "
    "verbatimforcewraps=true, verbatimmaxunderfull=2",
}
# Palatino math (mathpazo) under the TeX Gyre Pagella text: the two share one design.
PDFLATEX_FONTS = (
    r"\usepackage{mathpazo}\usepackage{tgpagella}\usepackage{tgheros}"
    r"\renewcommand\ttdefault{txtt}"
)

LATEXMK_HARDENING = r"""
# sphinx-article: TeX may read and write files only below this folder, never runs
# programs, and stops at the first error instead of waiting for input.
$ENV{'openin_any'} = 'p';
$ENV{'openout_any'} = 'p';
$ENV{'shell_escape'} = 'f';
foreach my $engine (\$latex, \$pdflatex, \$lualatex, \$xelatex) {
  $$engine =~ s/^(\S+)/$1 -no-shell-escape -interaction=nonstopmode -halt-on-error/;
}
"""

MAKEFILE_RULES = """
# sphinx-article: latexmk's output goes to <name>.latexmk.log; a formula that stops TeX
# is replaced by its source and the document compiled again (sphinx_article.pdf.compile);
# once every document was tried, failures are summarised and make fails.
ARTICLE_PYTHON = {python}

%.pdf: %.tex FORCE_MAKE
\t@rm -f '$*.failed'
\t$(if $(findstring -silent,$(LATEXMKOPTS)),@:,@echo 'latexmk $<')
\t@$(ARTICLE_PYTHON) -m sphinx_article.pdf.compile '$*' $(PDFLATEX) $(LATEXMKOPTS) || {{ rm -f '$@'; touch '$*.failed'; }}

all all-pdf: $(ALLPDF)
\t@for doc in $(ALLDOCS); do test ! -e "$$doc.failed" || \\
\t  exec $(ARTICLE_PYTHON) -m sphinx_article.pdf.latex $(ALLDOCS); done
"""
MAKEFILE_MARK = "# sphinx-article:"


# -- configuration -----------------------------------------------------------------------


def configure_latex(app: Sphinx, config: Config) -> None:
    """Article defaults for LaTeX settings the user did not set; the styles always
    (feature nodes write their macros whether or not PDFs are per post)."""
    extra = [str(path) for path in style_files()]
    config.latex_additional_files = [*config.latex_additional_files, *extra]
    if not config.article_pdf:
        return
    defaults = dict(LATEX_ELEMENTS)
    if config.latex_engine == "pdflatex":
        defaults["fontpkg"] = PDFLATEX_FONTS
    config.latex_elements = {**defaults, **config.latex_elements}


def style_files() -> list[Path]:
    """``sphinxarticle.sty`` first, then each feature's ``sphinxarticle-<feature>.sty``."""
    folder = theme_dir() / "latex"
    return [folder / f"{STY}.sty", *sorted(folder.glob(f"{STY}-*.sty"))]


# -- which documents, under which names --------------------------------------------------


def user_documents(config: Config) -> list[tuple[Any, ...]]:
    """The ``latex_documents`` written in conf.py ([] when it is Sphinx's default)."""
    current = [tuple(entry) for entry in config.latex_documents]
    default = [tuple(entry) for entry in default_latex_documents(config)]
    return [] if current == default else current


def safe_stem(text: str) -> str:
    """A file name TeX, make and every shell take without quoting."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "post"


def pdf_stems(config: Config, env: BuildEnvironment) -> dict[str, str]:
    """docname -> file stem of its PDF, for every post.

    A post listed in conf.py keeps its own name.  Otherwise the slug; when posts share
    a slug the oldest keeps it and the others are named after their path, so adding a
    post never renames an existing PDF.
    """
    posts = frozenset((d, p.slug, p.published) for d, p in article_domain(env).posts.items())
    user = tuple((str(e[0]), Path(str(e[1])).stem) for e in user_documents(config))
    return dict(_assign_stems(posts, user, bool(config.article_proceedings)))


@functools.lru_cache(maxsize=8)
def _assign_stems(
    posts: frozenset[tuple[str, str, str]], user: tuple[tuple[str, str], ...], proceedings: bool
) -> tuple[tuple[str, str], ...]:
    """Pure, so cached: every page's PDF link asks, and the answer rarely changes."""
    listed = dict(user)
    taken = set(listed.values()) | ({PROCEEDINGS} if proceedings else set())
    stems = [(d, listed[d]) for d, _, _ in posts if d in listed]
    for docname, slug, _ in sorted(
        (p for p in posts if p[0] not in listed), key=lambda p: (p[2] or "9999", p[0])
    ):
        candidates = [safe_stem(slug), safe_stem(docname.removesuffix("/index").replace("/", "-"))]
        stem = next((c for c in candidates if c not in taken), "")
        number = 2
        while not stem:
            stem = f"{candidates[-1]}-{number}"
            stem, number = ("" if stem in taken else stem), number + 1
        taken.add(stem)
        stems.append((docname, stem))
    return tuple(sorted(stems))


def post_latex_documents(app: Sphinx, env: BuildEnvironment) -> None:
    """Add one ``latex_documents`` entry per post (``howto``: no chapters, no TOC)."""
    config = app.config
    if not config.article_pdf or app.builder.name != "latex":
        return
    posts = article_domain(env).posts
    user = user_documents(config)
    listed = {entry[0] for entry in user}
    stems = pdf_stems(config, env)
    for docname, stem in sorted(stems.items()):
        if docname not in listed and stem != safe_stem(posts[docname].slug):
            logger.info(
                f"sphinx-article: the slug '{posts[docname].slug}' is taken; the PDF "
                f"of {docname} is {stem}.pdf"
            )
    entries = [
        (
            docname,
            f"{stems[docname]}.tex",
            tex(posts[docname].title),
            tex(author_names(config, posts[docname])),
            "howto",
        )
        for docname in sorted(posts)
        if docname not in listed
    ]
    config.latex_documents = [*user, *entries]


# -- after the LaTeX build ---------------------------------------------------------------


def finish_latex(app: Sphinx, exception: Exception | None) -> None:
    """Harden latexmk, install the reporting make rule, and map targets to posts."""
    if exception is not None or app.builder.name != "latex":
        return
    outdir = Path(app.outdir)
    rc = outdir / "latexmkrc"
    if rc.is_file() and "openin_any" not in rc.read_text(encoding="utf-8"):
        with rc.open("a", encoding="utf-8") as handle:
            handle.write(LATEXMK_HARDENING)
    makefile = outdir / "Makefile"
    if makefile.is_file() and MAKEFILE_MARK not in makefile.read_text(encoding="utf-8"):
        python = shlex.quote(sys.executable).replace("$", "$$")
        with makefile.open("a", encoding="utf-8") as handle:
            handle.write(MAKEFILE_RULES.format(python=python))
    documents: dict[str, dict[str, str]] = {}
    for entry in app.config.latex_documents:
        docname, target = str(entry[0]), Path(str(entry[1])).stem
        post = article_domain(app.env).posts.get(docname)
        documents[target] = {
            "docname": docname,
            "source": str(app.env.doc2path(docname)),
            "title": post.title if post else str(entry[2]),
        }
    if app.config.article_pdf and write_proceedings(app):
        documents[PROCEEDINGS] = {
            "docname": "",
            "source": str(app.confdir / "conf.py"),
            "title": "the proceedings",
        }
    (outdir / DOCUMENTS_JSON).write_text(json.dumps(documents, indent=1), encoding="utf-8")


# -- the web page's link to its PDF ------------------------------------------------------


def latex_output_dir(app: Sphinx) -> Path:
    """The ``latex`` folder beside this build's output (the ``-M`` layout)."""
    return Path(app.outdir).parent / "latex"


def available_pdfs(app: Sphinx, env: BuildEnvironment) -> dict[str, str]:
    """docname -> PDF file name, for the posts whose PDF exists now."""
    if not app.config.article_pdf:
        return {}
    folder = latex_output_dir(app)
    stems = pdf_stems(app.config, env)
    return {d: f"{s}.pdf" for d, s in stems.items() if (folder / f"{s}.pdf").is_file()}


def links_file(app: Sphinx) -> Path:
    return Path(app.doctreedir) / f"sphinxarticle-pdf-links-{app.builder.name}.json"


#: the stems while pages are written, when posts no longer change: every page asks
#: (twice), and recomputing them from all posts per page made writing O(posts²)
_WRITING_STEMS: WeakKeyDictionary[BuildEnvironment, dict[str, str]] = WeakKeyDictionary()


def forget_writing_stems(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: this build's posts are read; the previous build's stems are stale
    (a warm application, as in ``preview``, builds many times)."""
    _WRITING_STEMS.pop(env, None)


def writing_stems(app: Sphinx) -> dict[str, str]:
    """``pdf_stems``, computed once per build while pages are written."""
    if app.phase != BuildPhase.WRITING:
        return pdf_stems(app.config, app.env)
    stems = _WRITING_STEMS.get(app.env)
    if stems is None:
        stems = _WRITING_STEMS[app.env] = pdf_stems(app.config, app.env)
    return stems


def pdf_url(app: Sphinx, builder: Builder, docname: str) -> str | None:
    """The web page's link to its PDF (which is copied beside the page)."""
    if builder.format != "html" or not app.config.article_pdf:
        return None
    stem = writing_stems(app).get(docname)
    exists = stem is not None and (latex_output_dir(app) / f"{stem}.pdf").is_file()
    return f"{stem}.pdf" if exists else None


def changed_pdf_links(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Posts whose PDF appeared, vanished or was renamed since their page was written:
    they are rebuilt so the 'Download PDF' link and ``citation_pdf_url`` follow."""
    if app.builder.format != "html":
        return []
    try:
        written = json.loads(links_file(app).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        written = {}
    now = available_pdfs(app, env)
    posts = article_domain(env).posts
    return sorted(d for d in posts if d not in added and now.get(d) != written.get(d))


def copy_pdfs(app: Sphinx, exception: Exception | None) -> None:
    """Put each built PDF beside its post's page; remember which pages link one."""
    if exception is not None or app.builder.format != "html":
        return
    pdfs = available_pdfs(app, app.env)
    folder = latex_output_dir(app)
    for docname, name in pdfs.items():
        page_dir = os.path.dirname(app.builder.get_target_uri(docname))
        target = Path(app.outdir) / page_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / name, target)
    if app.config.article_pdf and (folder / f"{PROCEEDINGS}.pdf").is_file():
        shutil.copyfile(folder / f"{PROCEEDINGS}.pdf", Path(app.outdir) / f"{PROCEEDINGS}.pdf")
    links_file(app).write_text(json.dumps(pdfs, sort_keys=True), encoding="utf-8")


# -- reporting a failed PDF (run by the Makefile) ----------------------------------------

_LINE_NO = re.compile(r"^(l\.\d+)")
_REFUSED = re.compile(r"Not (reading|writing) .*\((openin|openout)_any = \w\)")
_FATAL = ("!  ==> Fatal", "! Emergency stop", "! Job aborted")
_NOISE = (
    "See the ",
    "Type  H <return>",
    "Type X to quit",
    "or enter new name",
    "Enter file name",
    "<read ",
    "...",
    "Here is how much",
    "You're in trouble",
)


def log_errors(log: str, limit: int = 3) -> list[str]:
    """The ``! ...`` error lines of a TeX log, each with its ``l.NN`` context, and any
    file TeX was refused (``openin_any``)."""
    lines = log.splitlines()
    blocks: list[list[str]] = []
    for index, line in enumerate(lines):
        if _REFUSED.search(line):
            blocks.append([line.strip()])
            continue
        if not line.startswith("!") or line.startswith(_FATAL):
            continue
        block = [line.rstrip()]
        for follow in lines[index + 1 : index + 16]:
            if follow.startswith("!") and not follow.startswith(_FATAL):
                break
            if _LINE_NO.match(follow):
                block.append(follow.rstrip())
                break
            text = follow.strip()
            if (
                text
                and not text.startswith(_NOISE)
                and not follow.startswith("!")
                and len(block) < 3
            ):
                block.append(follow.rstrip())
        blocks.append(block)
    unique: list[list[str]] = []
    for block in blocks:
        if block not in unique:
            unique.append(block)
    return [line for block in unique[:limit] for line in block]


def failure_report(folder: Path, stem: str, info: dict[str, str]) -> str:
    """One located, short message for a document that did not compile."""
    log = folder / f"{stem}.log"
    run = folder / f"{stem}.latexmk.log"
    text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
    details = log_errors(text)
    if run.is_file():
        output = run.read_text(encoding="utf-8", errors="replace")
        refused = [line for line in log_errors(output, limit=1) if _REFUSED.search(line)]
        details = [*refused, *details] or [line for line in output.splitlines() if line.strip()][
            -8:
        ]
    source = info.get("source") or f"{stem}.tex"
    what = f"post '{info['title']}'" if info.get("docname") else info.get("title", stem)
    where = [m.group(1) for m in map(_LINE_NO.match, details) if m]
    body = "\n".join(f"    {line}" for line in details)
    line = f"{stem}.tex line {where[-1][2:]}; " if where else ""
    return (
        f"{source}: ERROR: the PDF of {what} ({stem}.pdf) failed to compile "
        f"[article.pdf]\n{body}\n    ({line}full log: {log})"
    )


def main(argv: list[str]) -> int:
    """Report every document of ``argv`` whose ``<stem>.failed`` marker exists."""
    folder = Path.cwd()
    try:
        documents = json.loads((folder / DOCUMENTS_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        documents = {}
    failed = [stem for stem in argv if (folder / f"{stem}.failed").exists()]
    for stem in failed:
        print(failure_report(folder, stem, documents.get(stem, {})), file=sys.stderr)
    return 1 if failed else 0


def setup_latex(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", configure_latex, priority=800)
    app.connect("env-updated", post_latex_documents)
    app.connect("env-updated", forget_writing_stems)
    app.connect("env-get-outdated", changed_pdf_links)
    app.connect("build-finished", finish_latex)
    app.connect("build-finished", copy_pdfs)
    app.connect("article-pdf-url", pdf_url)
    for path in style_files():
        app.add_latex_package(path.stem)
    return {}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
