"""Build-time math: MathML without MathJax, the allow-list, and the source fallback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sphinx_article import mathrender
from sphinx_article.mathrender import MathRenderError, check_latex, to_mathml

from conftest import article_warnings, build_root, read_html

def _comparison_formulas() -> dict[str, str]:
    """The corpus of docs/explanation/math-renderer-bench.py: the renderer decision's
    coverage figures and this test use the same formulas."""
    import importlib.util

    path = Path(__file__).parent.parent / "docs" / "explanation" / "math-renderer-bench.py"
    spec = importlib.util.spec_from_file_location("math_renderer_bench", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return dict(module.FORMULAS)


ML_FORMULAS = _comparison_formulas()


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-math", tmp_path_factory.mktemp("math"))


@pytest.mark.parametrize("name", sorted(ML_FORMULAS))
def test_ml_latex_is_covered(name: str) -> None:
    latex = ML_FORMULAS[name]
    assert check_latex(latex) is None
    mathml = to_mathml(latex, True)
    assert mathml.startswith('<math display="block">') and "\\" not in mathml


def test_mathml_uses_unicode_alphabets_and_tables() -> None:
    assert "ℝ" in to_mathml(ML_FORMULAS["mathbb"], False)
    assert "<mtable" in to_mathml(ML_FORMULAS["aligned"], True)
    assert "<munder" in to_mathml(ML_FORMULAS["underbrace"], True)
    assert "<mi>softmax</mi>" in to_mathml(ML_FORMULAS["operatorname"], True)


def test_600_equations_render_quickly() -> None:
    to_mathml.cache_clear()
    formulas = [f"{latex} + {i}" for i in range(50) for latex in ML_FORMULAS.values()]
    start = time.perf_counter()
    for latex in formulas:
        to_mathml(latex, True)
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(
    "latex",
    [r"\input{/etc/passwd}", r"\include{x}", r"\immediate\write18{ls}", r"\write\x{y}",
     r"\catcode`\^=7", r"\csname x\endcsname", r"\def\x{1}", r"\openin1=x", r"\read1 to\x",
     r"\newcommand{\x}{1}", r"^^5cinput x", r"\href{javascript:alert(1)}{x}",
     r"\color{red} x", r"\class{a}{x}", r"a % comment", r"\begin{document}",
     r"\eqterm{grad}{x}", r"\frac{a", r"a}"],
)
def test_allow_list_refuses(latex: str) -> None:
    assert check_latex(latex)


def test_serialiser_escapes_text_and_drops_trust_features() -> None:
    mathml = to_mathml(r"\text{<script>alert(1)</script> & more}", False)
    assert "<script" not in mathml and "&lt;script&gt;" in mathml and "&amp;\xa0more" in mathml
    assert "href" not in to_mathml(r"\overline{x}", False)


@pytest.mark.parametrize("latex", [r"x_1_2", r"\left( x", r"x^", r"\sqrt"])
def test_renderer_failure_is_an_exception_not_a_crash(latex: str) -> None:
    assert check_latex(latex) is None
    with pytest.raises(MathRenderError):
        to_mathml(latex, True)


def test_html_has_mathml_and_no_mathjax(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built, "posts/formulas/index")
    html = str(page)
    assert "mathjax" not in html.lower() and "MathJax" not in html
    assert len(page.find_all("math")) == 5
    block = page.select_one("#equation-grad-input")
    assert block.find("math")["display"] == "block"
    assert block.select_one(".eqno").get_text().startswith("(1)")
    refs = [a.get_text() for a in page.select('a[href^="#equation-"]') if "headerlink" not in a.get("class", [])]
    assert refs == ["(1)", "(2)"]
    assert built.app.builder.math_renderer_name == mathrender.RENDERER


def test_math_on_ordinary_pages_too(built) -> None:  # type: ignore[no-untyped-def]
    assert read_html(built, "index").find("math") is not None


def test_math_font_is_served_from_the_site(built) -> None:  # type: ignore[no-untyped-def]
    fonts = built.outdir / "_static" / "fonts"
    assert (fonts / "article-math.woff2").stat().st_size < 200_000
    assert (fonts / "GUST-FONT-LICENSE.txt").is_file()
    css = (built.outdir / "_static" / "sphinx-article.css").read_text(encoding="utf-8")
    assert 'url("fonts/article-math.woff2")' in css and "http" not in css.split("Article Math")[1][:200]


@pytest.mark.parametrize(
    ("line", "needle"),
    [(9, r"'\input' is not allowed"), (11, r"'\immediate' is not allowed"),
     (13, r"'\catcode' is not allowed"), (15, r"'\frobnicate' is not a supported"),
     (17, "a '{' is never closed"), (23, "double subscript")],
)
def test_refused_formula_is_located(built, line: int, needle: str) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(built, "math") if "posts/refused/index.md" in w]
    assert any(f"index.md:{line}:" in w and needle in w for w in hits), hits


def test_refused_formula_shows_escaped_source(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built, "posts/refused/index")
    sources = [code.get_text() for code in page.select("code.math-source")]
    assert r"\input{/etc/passwd}" in sources
    assert any("\\frac{a}{b" in s for s in sources)
    assert "Still here." in page.get_text()
    text = page.find(string=lambda s: s and "alert(1)" in s)
    assert text.parent.name == "mtext"


def test_latex_gets_real_math_and_refused_source(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-math", tmp_path, builder="latex")
    formulas = (built.outdir / "formulas.tex").read_text(encoding="utf-8")
    assert r"\mathbb{R}" in formulas and r"\label{equation:posts/formulas/index:grad-input}" in formulas
    refused = (built.outdir / "refused.tex").read_text(encoding="utf-8").split(r"\begin{document}")[1]
    for attack in (r"\input{/etc/passwd}", r"\immediate\write18", r"\catcode`\^"):
        assert attack not in refused
    assert r"\textbackslash{}input" in refused
