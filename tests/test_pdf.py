"""The PDF pipeline: one document per post, the article style, escaping, hardening,
short failure reports, proceedings, and the web page's link to its PDF.

``.tex`` assertions use the LaTeX builder in-process; ``@pytest.mark.pdf`` tests run
``sphinx-build -M latexpdf`` and read the PDFs with poppler-utils.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from sphinx_article.pdf.latex import log_errors, safe_stem
from sphinx_article.pdf.text import short_title, tex_url

from conftest import ARTIFACTS, ROOTS, build_root, need_latex, read_html, sphinx_build

HOSTILE = [
    r"\input{/etc/passwd}",
    r"\write18{touch pwned}",
    r"\catcode",
    "100%",
    "#1",
    "& ~ ^ _ { } }{ unbalanced {",
]
POST_TEX = {"posts/full/index": "full", "posts/archive/full/index": "posts-archive-full"}


# -- units -------------------------------------------------------------------------------


def test_log_errors_keeps_error_and_line_only() -> None:
    log = """(./sphinx.sty)
! Undefined control sequence.
l.102 \\undefinedcommand
                 {oops}
Here is how much of TeX's memory you used:
! LaTeX Error: File `/etc/passwd.tex' not found.

Type X to quit or <RETURN> to proceed,
or enter new name. (Default extension: tex)

Enter file name:\x20
! Emergency stop.
<read *>\x20

l.99 \\input{/etc/passwd}
"""
    assert log_errors(log) == [
        "! Undefined control sequence.",
        "l.102 \\undefinedcommand",
        "! LaTeX Error: File `/etc/passwd.tex' not found.",
        "l.99 \\input{/etc/passwd}",
    ]


def test_tex_url_is_inert_in_an_argument() -> None:
    url = tex_url("https://doi.org/10.1000/a%b#c_d~e{f}\\g")
    assert url == r"https://doi.org/10.1000/a\%25b\%23c\%5Fd\%7Ee\%7Bf\%7D\%5Cg"
    assert not re.search(r"(?<!\\)[%#{}~_^&$]", url.replace("\\%", ""))


def test_file_names_and_short_titles() -> None:
    assert safe_stem("a b/ç%$") == "a-b"
    assert safe_stem("../..") == "post"
    long = "A title " + "that goes on " * 10
    assert len(short_title(long)) <= 71 and short_title(long).endswith("…")


# -- the .tex ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tex_built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-pdf", tmp_path_factory.mktemp("pdf-tex"), builder="latex")


def tex_of(built, stem: str) -> str:  # type: ignore[no-untyped-def]
    return (built.outdir / f"{stem}.tex").read_text(encoding="utf-8")


def test_one_document_per_post_named_by_slug(tex_built) -> None:  # type: ignore[no-untyped-def]
    entries = {e[0]: e[1] for e in tex_built.app.config.latex_documents}
    assert entries == {d: f"{s}.tex" for d, s in POST_TEX.items()}
    written = {p.stem for p in tex_built.outdir.glob("*.tex")}
    assert written == set(POST_TEX.values())  # nothing for the ordinary page


def test_title_block_and_metadata_in_tex(tex_built) -> None:  # type: ignore[no-untyped-def]
    tex = tex_of(tex_built, "full")
    assert r"\ArticleMetadata{Saliency maps, fully dressed}{Ada Lovelace, Charles Babbage}" in tex
    assert "{interpretability, saliency, gradients, attribution}" in tex
    assert r"\ArticleAuthor{Ada Lovelace}{1*}{https://orcid.org/0000-0002-1825-0097}" in tex
    assert r"\ArticleAuthor{Charles Babbage}{1,2*}{}" in tex
    assert r"\ArticleAffiliation{2}{University of Cambridge}" in tex
    assert r"\ArticleDOI{https://doi.org/10.5281/zenodo.1234567}" in tex
    assert r"\ArticleOnline{https://blog.example.org/posts/full/index.html}" in tex
    assert r"\href{mailto:ada@example.org}" in tex
    assert r"\ArticleDates{April 24, 2026}{May 2, 2026}" in tex


@pytest.fixture(scope="module")
def hostile_tex(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root(
        "test-pdf-hostile",
        tmp_path_factory.mktemp("hostile-tex"),
        builder="latex",
        confoverrides={"article_proceedings": True},
    )


def test_hostile_strings_are_escaped_everywhere(hostile_tex) -> None:  # type: ignore[no-untyped-def]
    tex = tex_of(hostile_tex, "hostile")
    body = tex.split(r"\ArticleMetadata", 1)[1]  # from the title block on
    for command in (r"\input{", r"\write18", r"\catcode"):
        assert command not in body
    assert r"\textbackslash{}input\{/etc/passwd\}" in body
    preamble = tex.split(r"\begin{document}", 1)[0]
    title = re.search(r"^\\title\{(.*)\}$", preamble, re.MULTILINE)
    assert title and r"\input{" not in title.group(1) and r"\textbackslash{}" in title.group(1)
    entry = next(e for e in hostile_tex.app.config.latex_documents if e[1] == "hostile.tex")
    assert r"\input{" not in entry[2] + entry[3]
    proceedings = tex_of(hostile_tex, "proceedings").split(r"\begin{document}", 1)[0]
    assert r"\textbackslash{}write18\{id\}" in proceedings and r"\write18" not in proceedings


def test_latex_tools_are_hardened(tex_built) -> None:  # type: ignore[no-untyped-def]
    rc = (tex_built.outdir / "latexmkrc").read_text(encoding="utf-8")
    assert "$ENV{'openin_any'} = 'p';" in rc and "$ENV{'shell_escape'} = 'f';" in rc
    assert "-no-shell-escape -interaction=nonstopmode -halt-on-error" in rc
    makefile = (tex_built.outdir / "Makefile").read_text(encoding="utf-8")
    assert "-m sphinx_article.pdf.latex" in makefile and ".latexmk.log" in makefile


def test_article_page_layout_in_preamble(tex_built) -> None:  # type: ignore[no-untyped-def]
    tex = tex_of(tex_built, "full")
    assert "hmargin={22mm,70mm}" in tex and "marginpar=48mm" in tex
    assert "verbatimforcewraps=true" in tex and "oneside" in tex
    assert r"\usepackage{sphinxarticle}" in tex and r"\makeindex" not in tex


def test_review_tex_has_no_names(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root(
        "test-pdf", tmp_path, builder="latex", confoverrides={"article_review": True}
    )
    tex = tex_of(built, "full")
    for trace in ("Lovelace", "Babbage", "ada@example.org", "0000-0002-1825-0097"):
        assert trace not in tex
    assert r"\ArticleMetadata{Saliency maps, fully dressed}{Anonymous}" in tex


def test_article_pdf_false_is_plain_sphinx(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-pdf", tmp_path, builder="latex", confoverrides={"article_pdf": False})
    assert [e[0] for e in built.app.config.latex_documents] == ["index"]
    assert {p.stem for p in built.outdir.glob("*.tex")} == {"pdftesttrack"}
    assert "hmargin={22mm,70mm}" not in tex_of(built, "pdftesttrack")


def test_user_latex_settings_are_kept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root(
        "test-pdf",
        tmp_path,
        builder="latex",
        confoverrides={
            "latex_documents": [
                ("index", "site.tex", "Site", "Me", "manual"),
                ("posts/full/index", "custom.tex", "Custom", "Me", "howto"),
            ],
            "latex_elements": {"pointsize": "11pt"},
        },
    )
    written = {p.stem for p in built.outdir.glob("*.tex")}
    assert written == {"site", "custom", "full"}  # "full" is free again
    tex = tex_of(built, "custom")
    assert "11pt" in tex and "hmargin={22mm,70mm}" in tex


def test_proceedings_tex_follows_the_setting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root(
        "test-pdf",
        tmp_path,
        builder="latex",
        confoverrides={
            "article_proceedings": True,
            "article_proceedings_order": ["posts/full/index", "posts/nope/index"],
        },
    )
    tex = tex_of(built, "proceedings")
    starts = [
        tex.index(rf"\ArticleProceedingsPost{{{t}") for t in ("Saliency maps", "An archived post")
    ]
    assert starts == sorted(starts) and tex.count(r"\begin{document}") == 1
    assert "'posts/nope/index', which is not a post" in built.warnings
    built = build_root("test-pdf", tmp_path, builder="latex")  # same folders, setting off
    assert not (built.outdir / "proceedings.tex").exists()


# -- the web page's link to its PDF (no TeX needed: a PDF file is faked) -----------------


def test_html_rebuild_follows_pdf_availability(tmp_path) -> None:  # type: ignore[no-untyped-def]
    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(ROOTS / "test-pdf", src)

    def build() -> None:
        result = sphinx_build(src, out, "html")
        assert result.returncode == 0, result.stderr

    def links(stem: str) -> list[str]:
        page = read_html(type("App", (), {"outdir": out / "html"}), stem)
        return [a["href"] for a in page.select('a[download][href$=".pdf"]')]

    build()
    assert links("posts/full/index") == []
    (out / "latex").mkdir()
    (out / "latex" / "full.pdf").write_bytes(b"%PDF-1.5 fake")
    other_page = out / "html" / "posts" / "archive" / "full" / "index.html"
    before = other_page.stat().st_mtime_ns
    time.sleep(0.01)
    build()
    assert links("posts/full/index") == ["full.pdf"]
    assert (out / "html" / "posts" / "full" / "full.pdf").read_bytes() == b"%PDF-1.5 fake"
    assert other_page.stat().st_mtime_ns == before  # untouched: its PDF did not change
    (out / "latex" / "full.pdf").unlink()
    build()
    assert links("posts/full/index") == []


# -- real PDFs ---------------------------------------------------------------------------


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdfurls(path: Path) -> str:
    return subprocess.run(
        ["pdfinfo", "-url", str(path)], capture_output=True, text=True, check=True
    ).stdout


def render(pdf: Path, name: str) -> list[Path]:
    """First two pages as PNG artefacts (kept by CI) to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "2", str(pdf), str(prefix)], check=True
    )
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def latexpdf(root: str, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    need_latex()
    return sphinx_build(ROOTS / root, out, "latexpdf", *extra)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("pdf")
    result = latexpdf("test-pdf", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "latex"


@pytest.mark.pdf
def test_only_posts_get_pdfs(pdfs) -> None:  # type: ignore[no-untyped-def]
    assert {p.stem for p in pdfs.glob("*.pdf")} == set(POST_TEX.values())


@pytest.mark.pdf
def test_full_post_pdf(pdfs) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(pdftotext(pdfs / "full.pdf").split())
    for needle in (
        "PDF TEST TRACK 2026",
        "Saliency maps, fully dressed",
        "A post that uses every field of the title block",
        "Ada Lovelace",
        "Charles Babbage",
        "Analytical Engine Society",
        "University of Cambridge",
        "Equal contribution",
        "Correspondence: Ada Lovelace, ada@example.org",
        "Published April 24, 2026",
        "Updated May 2, 2026",
        "10.5281/zenodo.1234567",
        "blog.example.org/posts/full",
        "MARGINNOTE level with its anchor",
        "Sensitivity-n",
        "Listing 1: A captioned listing",
    ):
        assert needle in text, needle
    info = pdfinfo(pdfs / "full.pdf")
    assert info["Title"] == "Saliency maps, fully dressed"
    assert info["Author"] == "Ada Lovelace, Charles Babbage"
    assert info["Subject"].startswith("A post that uses every field")
    assert info["Keywords"] == "interpretability, saliency, gradients, attribution"
    assert 1 <= int(info["Pages"]) <= 4
    joined = pdfurls(pdfs / "full.pdf")
    for url in (
        "https://orcid.org/0000-0002-1825-0097",
        "https://doi.org/10.5281/zenodo.1234567",
        "https://blog.example.org/posts/full/index.html",
        "mailto:ada@example.org",
    ):
        assert url in joined, url
    render(pdfs / "full.pdf", "pdf-full")


@pytest.mark.pdf
def test_nothing_runs_off_the_page(pdfs) -> None:  # type: ignore[no-untyped-def]
    log = (pdfs / "full.log").read_text(encoding="utf-8", errors="replace")
    overfull = [float(w) for w in re.findall(r"Overfull \\hbox \((\d+\.\d+)pt too wide", log)]
    assert not [w for w in overfull if w > 2], overfull
    page_width = 595.3
    for page in pdftotext(pdfs / "full.pdf", "-bbox").split("<page ")[1:]:
        right = [float(x) for x in re.findall(r'xMax="([\d.]+)"', page)]
        assert max(right) < page_width - 20  # inside the 15 mm right margin, roughly


@pytest.mark.pdf
def test_margin_column_holds_the_note(pdfs) -> None:  # type: ignore[no-untyped-def]
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>',
        pdftotext(pdfs / "full.pdf", "-bbox"),
    )
    note = next((float(x), float(y)) for x, y, w in words if w == "MARGINNOTE")
    anchor = next((float(x), float(y)) for x, y, w in words if w == "margin.")
    text_right = (22 + 118) / 25.4 * 72
    assert note[0] > text_right  # in the margin column, not the text block
    assert abs(note[1] - anchor[1]) < 20  # level with the paragraph it follows


@pytest.mark.pdf
def test_hostile_post_compiles_and_shows_literally(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = latexpdf("test-pdf-hostile", tmp_path, "-D", "article_proceedings=1")
    assert result.returncode == 0, result.stdout + result.stderr
    pdfs = tmp_path / "latex"
    text = " ".join(pdftotext(pdfs / "hostile.pdf").split())
    for needle in HOSTILE:
        assert needle in text, needle
    assert r"Eve \input{/etc/passwd} %#&~^_{} }" in text
    assert r"Lab of \write18{touch pwned} \catcode 37=11 {" in text
    info = pdfinfo(pdfs / "hostile.pdf")
    assert info["Title"].startswith(r"Hostile \input{/etc/passwd} \write18{touch pwned}")
    assert info["Title"].endswith("}{ unbalanced {")
    assert info["Author"] == r"Eve \input{/etc/passwd} %#&~^_{} }"
    assert info["Keywords"] == r"tag_with_underscore, 100%, \input{/etc/passwd}"
    assert r"VENUE \WRITE18{ID} % # & ~ ^ _ }" in text  # the venue line is upper case
    contents = " ".join(pdftotext(pdfs / "proceedings.pdf").split())
    assert r"Contents Hostile \input{/etc/passwd} \write18{touch pwned}" in contents
    assert not (pdfs / "pwned").exists()
    render(pdfs / "hostile.pdf", "pdf-hostile")


@pytest.mark.pdf
def test_review_pdf_has_no_names(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = latexpdf("test-pdf", tmp_path, "-D", "article_review=1")
    assert result.returncode == 0, result.stdout + result.stderr
    pdf = tmp_path / "latex" / "full.pdf"
    info = pdfinfo(pdf)
    assert info["Author"] == "Anonymous"
    text = pdftotext(pdf) + " ".join(info.values()) + pdfurls(pdf)
    for trace in ("Lovelace", "Babbage", "ada@example.org", "0000-0002-1825-0097", "Engine"):
        assert trace not in text, trace
    render(pdf, "pdf-review")


@pytest.mark.pdf
def test_article_pdf_false_builds_sphinx_default(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = latexpdf("test-pdf", tmp_path, "-D", "article_pdf=0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert [p.name for p in (tmp_path / "latex").glob("*.pdf")] == ["pdftesttrack.pdf"]


@pytest.mark.pdf
def test_proceedings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = latexpdf(
        "test-pdf",
        tmp_path,
        "-D",
        "article_proceedings=1",
        "-D",
        "article_proceedings_order=posts/full/index",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pdf = tmp_path / "latex" / "proceedings.pdf"
    text = " ".join(pdftotext(pdf).split())
    contents = text.split("Contents", 1)[1]
    order = [contents.index(t) for t in ("Saliency maps", "An archived post")]
    assert order == sorted(order)  # configured first, then newest first
    assert pdfinfo(pdf)["Title"] == "PDF Test Track 2026: proceedings"
    assert int(pdfinfo(pdf)["Pages"]) >= 2 + len(POST_TEX)
    for page in (3, 5):  # each post starts a page with its title block (full has 2)
        assert "PDF TEST TRACK 2026" in pdftotext(pdf, "-f", str(page), "-l", str(page))
    render(pdf, "pdf-proceedings")


@pytest.mark.pdf
def test_failure_is_located_and_short(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = latexpdf("test-pdf-broken", tmp_path)
    assert result.returncode != 0
    report = result.stdout + result.stderr
    lines = [line for line in report.splitlines() if line.strip()]
    assert len(lines) <= 14, report
    assert "This is pdfTeX" not in report and "Latexmk: Run number" not in report
    broken = os.path.join("posts", "broken", "index.md")
    head = next(line for line in lines if broken in line)
    assert "ERROR: the PDF of post 'A broken post' (broken.pdf) failed to compile" in head
    assert head.endswith("[article.pdf]")
    assert "! Undefined control sequence." in report and "\\undefinedcommand" in report
    assert re.search(r"^    l\.\d+ \\undefinedcommand", report, re.MULTILINE)
    assert "Not reading from /etc/passwd (openin_any = p)" in report
    latex = tmp_path / "latex"
    assert (latex / "fine.pdf").is_file()  # one failure does not stop the others
    assert not (latex / "broken.pdf").exists() and not (latex / "pwned").exists()
