"""Build-time math: post-scoped macros, Temml's MathML behind the allow-list and the
sanitiser, located refusals that show the source, and the HTML and LaTeX a build writes."""

from __future__ import annotations

import time

import pytest

from sphinx_article.features import mathrender
from sphinx_article.features.mathrender import (
    CONSTRUCTS,
    MathRenderError,
    check_latex,
    render_checked,
    serialise,
    to_mathml,
)
from sphinx_article.model.mathmacros import Macro, MacroError, MacroState, expand, parse_table

from conftest import article_warnings, build_root, read_html


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-math", tmp_path_factory.mktemp("math"))


# -- the macro layer (no Sphinx) -------------------------------------------------------


def _expand_all(*formulas: str, state: MacroState | None = None) -> list[str]:
    state = state or MacroState()
    return [expand(f, state) for f in formulas]


def test_newcommand_with_arguments_and_optional_default() -> None:
    out = _expand_all(
        r"\newcommand{\MidSymbol}[1][]{\:#1\:}",
        r"a \MidSymbol b \MidSymbol[|] c",
        r"\newcommand\pair[2]{(#1,#2)} \pair{x}{y} \pair ab",
    )
    assert out[0].strip() == ""
    assert out[1] == r"a \:\:b \:|\: c"
    assert out[2].strip() == "(x,y) (a,b)"


def test_def_let_operators_and_provide() -> None:
    out = _expand_all(
        r"\def\partialt#1{\frac{\partial #1}{\partial t}}\def\|{|}",
        r"\partialt{u} \|x\|",
        r"\let\eps\varepsilon \eps x",
        r"\DeclareMathOperator*{\argmax}{arg\,max}\DeclareMathOperator{\KL}{KL}"
        r"\argmax_\theta \KL",
        r"\providecommand{\eps}{E}\renewcommand{\KL}{D} \eps \KL",
    )
    assert out[0] == "" and out[1] == r"\frac{\partial u}{\partial t} |x|"
    assert " ".join(out[2].split()) == r"\varepsilon x"
    assert out[3] == r"\operatorname*{arg\,max}_\theta \operatorname{KL}"
    assert " ".join(out[4].split()) == r"\varepsilon D"


def test_colours_are_validated_hex() -> None:
    out = _expand_all(
        r"\definecolor{params}{RGB}{0,114,178}\definecolor{g}{rgb}{0,0.5,0}"
        r"\definecolor{h}{HTML}{AbCdEf}",
        r"\textcolor{params}{x} {\color{g} y} \color{h} z \textcolor{RoyalBlue}{w}"
        r"\textcolor{#abc}{v} \color[rgb]{1,0,0} u \require{cancel}",
    )
    assert out[1] == (
        r"\textcolor{#0072B2}{x} {\color{#008000} y} \color{#ABCDEF} z "
        r"\textcolor{#0071BC}{w}\textcolor{#AABBCC}{v} \color{#FF0000} u "
    )
    for bad in (
        r"\color{red;background:url(x)} x",
        r"\textcolor{nope}{x}",
        r"\definecolor{a}{rgb}{2,0,0}",
        r"\color[HTML]{zzzzzz} x",
    ):
        with pytest.raises(MacroError, match="colour"):
            expand(bad, MacroState())


def test_definitions_are_scoped_to_their_state() -> None:
    first, second = MacroState(), MacroState()
    expand(r"\newcommand{\R}{\mathbb{R}}", first)
    assert expand(r"\R", first) == r"\mathbb{R}"
    assert expand(r"\R", second) == r"\R"  # another post: undefined, refused later


def test_macro_after_sub_or_superscript_is_one_argument() -> None:
    out = _expand_all(r"\newcommand{\colorv}[1]{\textcolor{blue}{#1}}", r"x_\colorv{i}")
    assert out[1] == r"x_{\textcolor{#0072B2}{i}}"


@pytest.mark.parametrize(
    "bomb",
    [
        r"\def\a{\a}\a",
        r"\def\a{x\a}\a",
        r"\newcommand{\b}[1]{\b{#1}\b{#1}}\b{x}",
        r"\def\a{xxxxxxxxxx}\def\b{\a\a\a\a\a\a\a\a\a\a}\def\c{\b\b\b\b\b\b\b\b\b\b}"
        r"\def\d{\c\c\c\c\c\c\c\c\c\c}\def\e{\d\d\d\d\d\d\d\d\d\d}\e",
    ],
)
def test_expansion_is_bounded(bomb: str) -> None:
    start = time.perf_counter()
    with pytest.raises(MacroError, match="expands|too large"):
        expand(bomb, MacroState())
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize(
    ("latex", "needle"),
    [
        (r"\newcommand{\x}[a]{1}", "0 to 9"),
        (r"\newcommand{x}{1}", "one macro name"),
        (r"\def\x#1.{#1}", "\\newcommand"),
        (r"\newcommand{\x}{1", "never closed"),
        (r"\newcommand{\f}[1]{#2}\f{a}", "uses #2"),
    ],
)
def test_bad_definitions_say_what_to_write(latex: str, needle: str) -> None:
    with pytest.raises(MacroError, match=None) as error:
        expand(latex, MacroState())
    assert needle in str(error.value)


def test_site_and_front_matter_table_shapes() -> None:
    macros, problems = parse_table(
        {"R": r"\mathbb{R}", "norm": [r"\lVert #1 \rVert", 1], "f": ["#1(#2)", 2, "g"]},
        "article_math_macros",
    )
    assert problems == [] and macros[r"\norm"] == Macro(r"\lVert #1 \rVert", 1)
    state = MacroState(macros)
    assert expand(r"\norm{x} \f{y} \f[h]{z}", state) == r"\lVert x \rVert g(y) h(z)"
    bad = parse_table({"1x": "a", "y": [1, 2], "z": ["a", 12]}, "math.macros")[1]
    assert len(bad) == 3 and all(b.startswith("math.macros") for b in bad)
    assert parse_table("nope", "math.macros")[1]


# -- the renderer ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", [c[0] for c in CONSTRUCTS])
def test_every_documented_construct_renders(kind: str) -> None:
    latex = next(c[1] for c in CONSTRUCTS if c[0] == kind)
    mathml = render_checked(expand(latex, MacroState()), True)
    assert mathml.startswith('<math display="block"') and "\\" not in mathml
    assert "<merror" not in mathml


def test_mathml_core_forms() -> None:
    assert "\U0001d431" in to_mathml(r"\mathbf{x}", False)  # math bold x
    assert "\U0001d499" in to_mathml(r"\bm{x}", False)  # math bold italic x
    assert "ℝ" in to_mathml(r"\mathbb{R}", False)
    log = to_mathml(r"\log p", False)
    assert "<mi>log</mi>" in log and "<mspace" in log
    assert "<mo>∼</mo>" in to_mathml(r"x \sim p", False)
    aligned = to_mathml(r"\begin{aligned} a &= b \\ c &= d \end{aligned}", True)
    assert aligned.count('class="tml-right"') == 2 and aligned.count('class="tml-left"') == 2
    assert "<munderover" in to_mathml(r"\left(\sum_{i=1}^n x_i\right)", True)
    assert "<munder><mi>arg\u2009max</mi>" in to_mathml(r"\operatorname*{arg\,max}_\theta", True)
    tagged = to_mathml(r"\begin{align} a &= b \nonumber \\ c &= d \tag{A} \end{align}", True)
    assert "(A)" in tagged and "nonumber" not in tagged and "tml-eqn" not in tagged
    for rows in (r"a \\ b", r"a \newline b"):
        assert to_mathml(rows, True).count("<mtr>") == 2, rows
    substack = to_mathml(r"\sum_{\substack{i<n \\ j<m}} x", True)
    assert "<munder" in substack and 'class="tml-jot"' not in substack  # not rows


@pytest.mark.parametrize(
    "latex",
    [
        r"\input{/etc/passwd}",
        r"\include{x}",
        r"\immediate\write18{ls}",
        r"\write\x{y}",
        r"\catcode`\^=7",
        r"\csname x\endcsname",
        r"\def\x{1}",
        r"\openin1=x",
        r"\read1 to\x",
        r"\newcommand{\x}{1}",
        r"^^5cinput x",
        r"\href{javascript:alert(1)}{x}",
        r"\url{x}",
        r"\includegraphics{x}",
        r"\class{a}{x}",
        r"\style{color:red}{x}",
        r"a % comment",
        r"\begin{document}",
        r"\eqterm{grad}{x}",
        r"\frac{a",
        r"a}",
        r"x^",
    ],
)
def test_allow_list_refuses(latex: str) -> None:
    assert check_latex(latex)


def test_serialiser_escapes_text_and_drops_links_ids_and_styles() -> None:
    mathml = to_mathml(r"\text{<script>alert(1)</script> & more}", False)
    assert "<script" not in mathml and "&lt;script&gt;" in mathml and "&amp;" in mathml
    from xml.etree.ElementTree import fromstring

    hostile = fromstring(
        '<math><mrow id="x" href="javascript:1" onclick="x" class="tml-left '
        'evil" style="color:red;background:url(x);padding-left:1em">'
        "<mi>a</mi></mrow></math>"
    )
    out = serialise(hostile)
    assert out == '<math><mrow style="padding-left:1em" class="tml-left"><mi>a</mi></mrow></math>'
    with pytest.raises(MathRenderError):
        serialise(fromstring("<math><script>1</script></math>"))
    assert "href" not in to_mathml(r"\eqref{x}", True)


def test_colour_gets_light_and_dark_shades() -> None:
    mathml = to_mathml(r"\textcolor{#FFF200}{x}", False)
    assert "--math-color-light:#807900" in mathml and 'class="math-color"' in mathml


@pytest.mark.parametrize(
    ("latex", "hint"),
    [
        (r"x_1_2", "double subscript"),
        (r"\left( x", r"'\left' has no matching"),
        (r"\sqrt", "missing its argument"),
        (r"\frobnicate", r"'\frobnicate' is not a supported"),
        (r"\begin{aligned} a \end{align}", "is closed by"),
        (r"\simga", r"did you mean '\sigma'?"),
    ],
)
def test_renderer_failure_has_a_hint(latex: str, hint: str) -> None:
    with pytest.raises(MathRenderError, match=None) as error:
        render_checked(latex, True)
    assert hint in str(error.value)


def test_600_equations_render_quickly() -> None:
    to_mathml.cache_clear()
    formulas = [f"{expand(c[1], MacroState())} + {i}" for i in range(55) for c in CONSTRUCTS]
    start = time.perf_counter()
    for latex in formulas[:600]:
        to_mathml(latex, True)
    assert time.perf_counter() - start < 15  # ~1 ms each on a quiet machine


# -- a build ---------------------------------------------------------------------------


def test_html_has_mathml_and_no_mathjax(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built, "posts/formulas/index")
    html = str(page)
    assert "mathjax" not in html.lower() and "temml" not in html.lower()
    assert len(page.find_all("math")) == 5
    block = page.select_one('[id$="grad-input"]')
    assert block.find("math")["display"] == "block"
    assert block.select_one(".eqno").get_text().startswith("(1)")
    refs = [
        a.get_text()
        for a in page.select('a[href*="#equation-"]')
        if "headerlink" not in a.get("class", [])
    ]
    assert refs == ["(1)", "(2)"]
    assert built.app.builder.math_renderer_name == mathrender.RENDERER


def test_math_on_ordinary_pages_too(built) -> None:  # type: ignore[no-untyped-def]
    assert read_html(built, "index").find("math") is not None


def test_math_fonts_are_served_from_the_site(built) -> None:  # type: ignore[no-untyped-def]
    fonts = built.outdir / "_static" / "fonts"
    assert (fonts / "article-math.woff2").stat().st_size < 230_000
    assert (fonts / "article-math-extra.woff2").stat().st_size < 100_000
    assert (fonts / "temml-script.woff2").stat().st_size < 20_000
    assert (fonts / "GUST-FONT-LICENSE.txt").is_file()
    assert (fonts / "TEMML-SCRIPT-README.txt").is_file()
    css = (built.outdir / "_static" / "sphinx-article.css").read_text(encoding="utf-8")
    assert 'url("fonts/article-math.woff2")' in css and 'url("fonts/temml-script.woff2")' in css
    assert 'url("fonts/article-math-extra.woff2")' in css and "unicode-range: U+1D4D0" in css
    assert "http" not in css.split("Article Math")[1][:200]
    assert ".tml-right" in css  # Temml's column alignment
    assert not list(built.outdir.rglob("temml*.js"))  # the renderer never ships to readers


def test_macros_post_builds_without_a_refusal(built) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(built, "math") if "posts/macros/" in w]
    assert hits == []
    page = read_html(built, "posts/macros/index")
    assert page.select("code.math-source") == []
    text = page.select_one("main").get_text()
    assert "ℝ" in text and "\U0001d431" in text  # site \R and front-matter \vx
    doctree = built.env.get_doctree("posts/macros/index")
    from docutils import nodes

    expanded = [
        n["article_latex"] for n in doctree.findall(nodes.math_block) if "article_latex" in n
    ]
    assert expanded and not any(
        "newcommand" in e or "\\argmax" in e or "\\E{" in e for e in expanded
    )
    assert any(r"\operatorname*{arg\,max}" in e for e in expanded)


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        (9, r"'\input' is not allowed"),
        (11, r"'\immediate' is not allowed"),
        (13, r"'\catcode' is not allowed"),
        (15, r"'\frobnicate' is not a supported"),
        (17, "a '{' is never closed"),
        (23, "double subscript"),
        (25, r"'\later' is used before its definition on line 27"),
        (29, r"\loop expands more than"),
        (31, "expands more than"),
        (33, "'notacolour' in \\textcolor is not a colour"),
        (35, r"'\onlyformulas' is not a supported"),
    ],
)
def test_refused_formula_is_located(built, line: int, needle: str) -> None:  # type: ignore[no-untyped-def]
    hits = [w for w in article_warnings(built, "math") if "posts/refused/index.md" in w]
    assert any(f"index.md:{line}:" in w and needle in w for w in hits), hits


def test_refused_formula_shows_escaped_source(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built, "posts/refused/index")
    sources = [code.get_text() for code in page.select("code.math-source")]
    assert r"\input{/etc/passwd}" in sources
    assert any("\\frac{a}{b" in s for s in sources)
    assert r"\later{x}" in sources and r"\textcolor{notacolour}{x}" in sources
    assert "Still here." in page.get_text()
    text = page.find(string=lambda s: s and "alert(1)" in s)
    assert text.parent.name == "mtext"
    assert page.select_one("main").find("math") is not None  # \later{y} after its definition


def test_latex_gets_expanded_math_and_refused_source(tmp_path) -> None:  # type: ignore[no-untyped-def]
    built = build_root("test-math", tmp_path, builder="latex")
    formulas = (built.outdir / "formulas.tex").read_text(encoding="utf-8")
    assert r"\mathbb{R}" in formulas and "grad-input" in formulas
    macros = (built.outdir / "macros.tex").read_text(encoding="utf-8").split(r"\begin{document}")[1]
    assert r"\newcommand{\MidSymbol}" not in macros and r"\operatorname*{arg\,max}" in macros
    refused = (
        (built.outdir / "refused.tex").read_text(encoding="utf-8").split(r"\begin{document}")[1]
    )
    for attack in (r"\input{/etc/passwd}", r"\immediate\write18", r"\catcode`\^"):
        assert attack not in refused
    assert r"\textbackslash{}input" in refused


def _maths(outdir, docname: str) -> list[str]:  # type: ignore[no-untyped-def]
    html = (outdir / f"{docname}.html").read_text(encoding="utf-8")
    import re

    return re.findall(r"<math[\s>].*?</math>|<code class=\"math-source\">.*?</code>", html, re.S)


def test_parallel_and_incremental_builds_give_the_same_math(built, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Definitions are per post and read in page order: -j 2 and an incremental rebuild
    of one post give the MathML a serial clean build gives."""
    parallel = build_root("test-math", tmp_path, parallel=2)
    posts = ("posts/macros/index", "posts/refused/index", "posts/formulas/index")
    for docname in posts:
        assert _maths(parallel.outdir, docname) == _maths(built.outdir, docname), docname
    # edit the post that defines \onlyformulas; the post that uses it stays refused
    source = parallel.srcdir / "posts" / "formulas" / "index.md"
    source.write_text(
        source.read_text(encoding="utf-8") + "\nMore: $\\onlyformulas$.\n", encoding="utf-8"
    )
    again = build_root("test-math", tmp_path, parallel=2)
    assert _maths(again.outdir, "posts/refused/index") == _maths(
        built.outdir, "posts/refused/index"
    )
    assert _maths(again.outdir, "posts/formulas/index")[-1].startswith("<math")
    assert _maths(again.outdir, "posts/macros/index") == _maths(built.outdir, "posts/macros/index")
