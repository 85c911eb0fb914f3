"""Math in the PDF: what the web accepts compiles (MathJax-isms rewritten, packages
loaded, Unicode characters defined), a formula TeX still cannot compile is replaced by
its source and the PDF built again, Palatino math beside the Pagella text, coloured
terms in their 4.5:1 text shade, and ``:width: page`` on display equations.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sphinx_article.pdf.compile import compile_document, culprit, first_error, spans
from sphinx_article.pdf.mathlatex import MARK_BEGIN, MARK_END, SIDECAR, display_latex, inline_latex

from conftest import ROOTS, build_root, need_latex, read_html, sphinx_build

POST = "posts/constructs/index"


# -- the rewrite (pure) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"\begin{equation} x = 1 \end{equation}", " x = 1 "),
        (
            r"\begin{align} a &= b \nonumber \\ &= c \end{align}",
            r"\begin{aligned} a &= b  \\ &= c \end{aligned}",
        ),
        (r"\begin{eqnarray} x &=& y \end{eqnarray}", r"\begin{aligned} x &= y \end{aligned}"),
        (r"\begin{gather*} u \\ v \end{gather*}", r"\begin{gathered} u \\ v \end{gathered}"),
        (r"\begin{multline} a \\ b \end{multline}", r"\begin{multlined} a \\ b \end{multlined}"),
        (r"\begin{split} h &= 1 \end{split}", r"\begin{aligned} h &= 1 \end{aligned}"),
        (r"a \\ b", r"\begin{aligned}a \\ b\end{aligned}"),
    ],
)
def test_display_environments_become_inner_forms(source: str, expected: str) -> None:
    out = display_latex(source)
    assert out.startswith("\\begin{equation*}\n") and out.endswith("\\end{equation*}")
    assert expected.strip() in out
    assert "\\begin{equation}" not in out and "\\nonumber" not in out


def test_numbers_are_tags_and_authors_tags_win() -> None:
    numbered = display_latex("x = 1", "3", "equation:post:loss")
    assert "\\tag{3}\\label{equation:post:loss}" in numbered
    tagged = display_latex(r"\begin{align} a &= b \tag{A} \label{mine} \end{align}", "3", "L")
    assert "\\tag{A}\\label{L}" in tagged and "\\tag{3}" not in tagged
    assert "\\label{mine}" not in tagged and tagged.count("\\tag") == 1
    assert "\\tag" not in display_latex("x = 1") and "\\label" not in display_latex("x")
    several = display_latex("a = b\n\nc = d", "4", "L")
    assert "\\begin{aligned}a = b\\\\\nc = d\\end{aligned}" in several
    # a blank line inside an environment does not split it, and is no \par in math
    inside = display_latex("\\begin{align} a &= b \\\\\n\n c &= d \\end{align}")
    assert "\n\n" not in inside and inside.count("aligned") == 2


def test_mathjax_isms_become_latex() -> None:
    assert inline_latex(r"\text{a_b & c^2}") == r"\text{a\_b \& c\textasciicircum{}2}"
    assert inline_latex(r"x_{\text{max_len}}") == r"x_{\text{max\_len}}"
    assert inline_latex(r"\text{(eq. \eqref{eq:a_b}) a_b}") == r"\text{(eq. \eqref{eq:a_b}) a\_b}"
    assert inline_latex(r"a & b") == r"a \& b"
    assert (
        inline_latex(r"\begin{pmatrix} a & b \end{pmatrix}")
        == r"\begin{pmatrix} a & b \end{pmatrix}"
    )
    assert inline_latex(r"\unicode{x2211} \unicode{8721}") == "{∑} {∑}"
    assert inline_latex(r"\require{cancel}\cancel{x}") == r"\cancel{x}"
    assert inline_latex(r"\barγ_W + x^γ") == r"\bar{γ}_W + x^{γ}"
    assert inline_latex(r"\begin{equation} x \end{equation}") == " x "
    assert (
        inline_latex(r"P(C\\|X) \begin{matrix} a \\ b \end{matrix}")
        == r"P(C\,|X) \begin{matrix} a \\ b \end{matrix}"
    )


def test_colours_reach_latex_only_as_checked_hex() -> None:
    out = inline_latex(
        r"\color{#ff0000} x \textcolor{red}{y} \color{x];} z \color{navy} w "
        r"\color[rgb]{0,0,1} v \color[RGB]{0,128,0} u \color[rgb]{9,a} t"
    )
    assert r"\color[HTML]{ED0000} x" in out  # pure red darkened to 4.5:1 on white
    assert r"\textcolor[HTML]{D62728}{y}" in out
    assert r"\color{black} z" in out and r"\color{black} w" in out and r"\color{black} t" in out
    assert r"\color[HTML]{0000FF} v" in out and r"\color[HTML]{008000} u" in out
    assert "navy" not in out and "x]" not in out and "9,a" not in out


# -- recovery: a formula TeX cannot compile ------------------------------------------------

PREAMBLE = r"""\documentclass{article}
\usepackage{amsmath}
\newcommand{\ArticleMathSource}[1]{\texttt{#1}}
\newcommand{\ArticleMathSourceBlock}[1]{\par\noindent\texttt{#1}\par}
\begin{document}
"""


def marked(number: int, latex: str, display: bool = False) -> str:
    mark = f"{number} posts/p/index"
    if display:
        return (
            f"\n{MARK_BEGIN} {mark}\n\\begin{{equation*}}\n{latex}\n\\end{{equation*}}\n"
            f"{MARK_END} {mark}\n"
        )
    return f"%\n{MARK_BEGIN} {mark}\n\\({latex}\\)"


def write_document(folder: Path, body: str, formulas: list[tuple[str, bool]]) -> None:
    (folder / "doc.tex").write_text(PREAMBLE + body + "\n\\end{document}\n", encoding="utf-8")
    listed = [
        {"source": "/site/posts/p/index.md", "line": 10 + i, "latex": latex, "display": display}
        for i, (latex, display) in enumerate(formulas)
    ]
    (folder / SIDECAR).write_text(json.dumps({"posts/p/index": listed}), encoding="utf-8")


def test_spans_find_inline_and_display_formulas() -> None:
    text = "A " + marked(1, "x") + " after.\n" + marked(2, "y = 1", display=True) + "End."
    found = spans(text)
    assert [(s.number, s.begin, s.end) for s in found] == [(1, 2, 3), (2, 5, 9)]
    assert text[found[0].start : found[0].stop] == f"{MARK_BEGIN} 1 posts/p/index\n\\(x\\)"
    assert culprit(found, 3).number == 1 and culprit(found, 8).number == 2
    assert culprit(found, 11).number == 2  # a formula in an argument closing just after
    assert culprit(found, 40) is None
    assert first_error("! Undefined control sequence.\n<x>\nl.12 \\foo") == (
        "Undefined control sequence.",
        12,
        "\\foo",
    )


LATEXMK = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error"]


@pytest.mark.pdf
def test_broken_formulas_are_replaced_by_their_source(tmp_path, capfd) -> None:  # type: ignore[no-untyped-def]
    need_latex()
    body = (
        "Before "
        + marked(1, r"x \undefinedmacro y")
        + " and after, "
        + marked(2, "a+b")
        + ".\n"
        + marked(3, r"\frac{1}{2} \alsoundefined", display=True)
        + "End.\n"
    )
    write_document(
        tmp_path,
        body,
        [(r"x \undefinedmacro y", False), ("a+b", False), (r"\frac{1}{2} \alsoundefined", True)],
    )
    assert compile_document(tmp_path, "doc", LATEXMK) == 0
    err = capfd.readouterr().err
    assert (
        "/site/posts/p/index.md:10: WARNING: a formula did not compile in the PDF "
        "(Undefined control sequence.)" in err
    )
    assert "/site/posts/p/index.md:12: WARNING" in err and "[article.pdf]" in err
    assert "index.md:11" not in err  # the formula that compiles stays
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "doc.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "x \\undefinedmacro y" in " ".join(text.split())
    assert "and after, a + b." in " ".join(text.split())  # spaces kept around formulas


@pytest.mark.pdf
def test_the_same_broken_formula_twice_is_replaced_twice(tmp_path, capfd) -> None:  # type: ignore[no-untyped-def]
    need_latex()
    broken = r"\begin{aligned} a &= 1\\{c = i\\} \end{aligned}"  # kramdown-escaped braces
    body = marked(1, broken, display=True) + "Between.\n" + marked(2, broken, display=True)
    write_document(tmp_path, body, [(broken, True), (broken, True)])
    assert compile_document(tmp_path, "doc", LATEXMK) == 0
    err = capfd.readouterr().err
    assert "index.md:10: WARNING" in err and "index.md:11: WARNING" in err


@pytest.mark.pdf
def test_an_error_that_is_not_the_formulas_is_not_blamed_on_it(tmp_path, capfd) -> None:  # type: ignore[no-untyped-def]
    need_latex()
    body = "Text " + marked(1, "x") + "\n\\notacommand\n"
    write_document(tmp_path, body, [("x", False)])
    assert compile_document(tmp_path, "doc", LATEXMK) != 0
    assert "WARNING" not in capfd.readouterr().err
    assert r"\(x\)" in (tmp_path / "doc.tex").read_text(encoding="utf-8")  # put back


# -- the test site ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def latex(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-pdf-math", tmp_path_factory.mktemp("pdfmath"), builder="latex")


def test_preamble_loads_math_packages_and_palatino(latex) -> None:  # type: ignore[no-untyped-def]
    source = (latex.outdir / "constructs.tex").read_text(encoding="utf-8")
    assert r"\usepackage{mathpazo}\usepackage{tgpagella}" in source
    assert r"\usepackage{sphinxarticle-math}" in source
    assert r"\usepackage{sphinxarticle-unicode}" in source
    sty = (latex.outdir / "sphinxarticle-math.sty").read_text(encoding="utf-8")
    for package in ("amsmath", "amssymb", "mathtools", "bm", "mathrsfs", "cancel", "xcolor"):
        assert rf"\RequirePackage{{{package}}}" in sty


def test_every_formula_is_marked_and_listed(latex) -> None:  # type: ignore[no-untyped-def]
    source = (latex.outdir / "constructs.tex").read_text(encoding="utf-8")
    listed = json.loads((latex.outdir / SIDECAR).read_text(encoding="utf-8"))[POST]
    assert len(spans(source)) == len(listed) == source.count(MARK_BEGIN)
    assert all(f["source"].endswith("index.md") and f["line"] > 0 for f in listed)


def test_page_width_equations_span_the_margin(latex) -> None:  # type: ignore[no-untyped-def]
    source = (latex.outdir / "constructs.tex").read_text(encoding="utf-8")
    wide = re.findall(r"\\begin\{ArticleWide\}(.*?)\\end\{ArticleWide\}", source, re.S)
    assert any("equation:posts/constructs/index:long-page" in w for w in wide)
    assert any("ArticleColoredEquation" in w for w in wide)
    assert not any("index:long}" in w for w in wide)  # the body-width one stays narrow


def test_width_option_on_the_web(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-pdf-math", tmp_path)
    soup = read_html(built.app, POST)
    wide = soup.select("div.math-display.article-width-page")
    assert len(wide) == 1 and wide[0].select_one(".eqno").get_text().startswith("(3)")
    assert len(soup.select("div.colored-equation.article-width-page")) == 1


def test_wrong_width_is_a_located_warning(tmp_path) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    shutil.copytree(ROOTS / "test-pdf-math", site)
    post = site / "posts" / "constructs" / "index.md"
    post.write_text(
        post.read_text(encoding="utf-8").replace(":width: page", ":width: huge", 1),
        encoding="utf-8",
    )
    built = build_root("x", tmp_path, src=site)
    hits = [w for w in built.warnings.splitlines() if "[article.option]" in w]
    assert any("index.md:" in w and "Unknown width 'huge'" in w for w in hits), hits


@pytest.mark.pdf
def test_constructs_compile_without_recovery(tmp_path) -> None:  # type: ignore[no-untyped-def]
    need_latex()
    result = sphinx_build(ROOTS / "test-pdf-math", tmp_path, "latexpdf")
    assert result.returncode == 0, result.stdout + result.stderr
    report = result.stdout + result.stderr
    assert "a formula did not compile" not in report  # nothing needed the fallback
    # characters no font has are reported, located, once
    glyphs = [line for line in report.splitlines() if "no glyph" in line]
    assert len(glyphs) == 1 and "U+1F923" in glyphs[0] and "index.md" in glyphs[0]
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "latex" / "constructs.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(text.split())
    assert "a_b and" in flat.replace("a_band", "<lost space>")  # \text{a_b}, spacing kept
    assert "(A)" in text and "α, β ≥ 0" in flat
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "latex" / "constructs.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Pagella" in fonts  # the text
    assert re.search(r"zplmr|Palatino|pplmi|zpzccmry|PazoMath", fonts, re.I), fonts  # the math
