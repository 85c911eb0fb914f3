"""Notebook posts (MyST-NB): extension orders, front matter, outputs, Plotly, execution,
downloads, review, check, bad input, the browser and the PDF."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sphinx_article.cli.main import main
from sphinx_article.notebooks.source import sanitise_html

from conftest import (
    EXAMPLE,
    ROOTS,
    article_warnings,
    build_root,
    need_latex,
    read_html,
    screenshot,
    serve,
    sphinx_build,
    warning_lines,
)

DEMO = "posts/demo/index"


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-notebook", tmp_path_factory.mktemp("nb"))


# -- loading myst-nb ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {"extensions": ["myst_nb", "sphinx_article"]},
        {"extensions": ["sphinx_article", "myst_nb"]},
        {"extensions": ["sphinx_article"], "article_notebooks": True},
    ],
    ids=["myst_nb-first", "sphinx_article-first", "article_notebooks"],
)
def test_either_extension_order(tmp_path, overrides) -> None:  # type: ignore[no-untyped-def]
    result = build_root("test-notebook", tmp_path, confoverrides=overrides)
    assert "myst_nb" in result.app.extensions
    page = read_html(result.app, DEMO)
    assert page.select_one("header.article-titleblock h1").get_text() == "A notebook post"
    assert "hello from the notebook" in page.get_text()
    assert "source_suffix" not in result.warnings


def test_without_notebooks_myst_parser_alone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A site that does not ask for notebooks keeps myst-parser and ignores .ipynb files
    (in a subprocess: Sphinx's source-suffix table is shared by apps in one process)."""
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-notebook", src)
    (src / "conf.py").write_text(
        (src / "conf.py")
        .read_text()
        .replace('extensions = ["myst_nb", "sphinx_article"]', 'extensions = ["sphinx_article"]')
    )
    result = sphinx_build(src, tmp_path / "out", "html")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "out" / "html" / "posts" / "demo" / "index.html").exists()
    assert (tmp_path / "out" / "html" / "posts" / "text" / "index.html").exists()
    assert not (tmp_path / "out" / "html" / "_static" / "mystnb.css").exists()


# -- front matter and the article features ------------------------------------------------


def test_title_block_from_the_first_cell(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, DEMO)
    header = page.select_one("main header.article-titleblock")
    assert header is not None  # myst-nb's docinfo no longer swallows it
    assert header.select_one("h1").get_text() == "A notebook post"
    assert "A post written as a Jupyter notebook." in header.get_text()
    assert "Ada Lovelace" in header.get_text()
    assert header.select_one("time")["datetime"] == "2026-04-24"
    body = page.select_one("article.article-body").get_text()
    assert "title: A notebook post" not in body and "description:" not in body
    # the notebook's own metadata (authors, kernels) is not published as docinfo
    assert not page.select("dl.docinfo, table.docinfo")


def test_front_matter_from_notebook_metadata(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "posts/meta/index")
    assert page.select_one("header.article-titleblock h1").get_text() == "Metadata front matter"
    assert "Charles Babbage" in page.select_one("header.article-titleblock").get_text()
    [warning] = article_warnings(built, "key")
    assert "posts/meta/index.ipynb:1:" in warning and "Notebook metadata 'article'" in warning


def test_front_matter_warnings_name_cell_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-notebook", src)
    path = src / "posts" / "demo" / "index.ipynb"
    data = json.loads(path.read_text())
    data["cells"][0]["source"] = "".join(data["cells"][0]["source"]).replace(
        "0000-0002-1825-0097", "0000-0002-1825-0098"
    )
    path.write_text(json.dumps(data))
    result = build_root("test-notebook", tmp_path, src=src)
    [warning] = article_warnings(result, "orcid")
    # line 6 of cell 1 (counted from 1): MyST-NB's (cell + 1) * 10000 + line + 1
    assert "posts/demo/index.ipynb:10007:" in warning and "Cell 1, line 6:" in warning


def test_citations_sidenotes_margin_notes_equations(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, DEMO)
    cite = page.select_one("a.article-cite")
    assert cite.get_text() == "Cox, 1958" and cite["href"] == "#ref-cox1958"
    assert page.select_one("#ref-cox1958") is not None  # the appendix's references
    assert page.select_one(".article-sidenote") is not None
    assert "A margin note in a notebook." in page.select_one(".article-margin-note").get_text()
    assert page.select("math") or page.select(".math")  # the coloured equation
    assert "the probability" in page.get_text()


def test_figures_numbered_and_referenced(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, DEMO)
    figure = page.select_one("figure#fig-red")
    assert figure.select_one(".caption-number").get_text().strip() == "Fig. 1"
    assert "A red rectangle." in figure.select_one("figcaption").get_text()
    image = figure.select_one("img")
    assert image["alt"] == "A red rectangle"
    assert (image["width"], image["height"]) == ("80", "50")  # no layout shift
    ref = page.select_one('a.reference.internal[href="#fig-red"]')
    assert ref.get_text() == "Fig. 1"


def test_width_tag_and_text_outputs(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, DEMO)
    wide = page.select_one('img[alt="A blue rectangle"]')
    assert "article-width-page" in wide["class"]
    assert "article-width-page" in wide.find_parent(class_="cell_output")["class"]
    text = page.get_text()
    assert "hello from the notebook" in text and "ZeroDivisionError" in text


def test_dataframe_table_kept_and_sanitised(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, DEMO)
    table = page.select_one(".article-nb-html table.dataframe")
    assert table.select_one("td").get_text() == "0.91"
    assert table.select_one("td")["style"] == "color: red"  # inline styles stay
    assert not page.select(".article-nb-html style")


def test_hostile_html_output_never_runs(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, DEMO)
    scripts = [s for s in page.select("article script") if s.get("type") != "application/json"]
    assert not scripts
    assert not page.select("[onerror], [onclick]")
    assert "alert(4)" not in str(page)  # the application/javascript output is dropped
    assert "Hostile" in page.get_text()
    [hostile] = [w for w in article_warnings(built, "notebook") if "HTML output" in w]
    assert "posts/demo/index.ipynb:60002:" in hostile and "Cell 6" in hostile
    assert "<script>" in hostile and "onclick=" in hostile


def test_raw_html_allowed_keeps_html_output(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = build_root("test-notebook", tmp_path, confoverrides={"article_raw_html": True})
    page = read_html(result.app, DEMO)
    assert page.select("[onclick]")  # the site asked for raw HTML


def test_sanitiser_unit() -> None:
    clean, removed = sanitise_html(
        '<table><tr><td style="background:url(x)" onmouseover="x">'
        '1</td></tr></table><a href="javascript:x">y</a>'
        '<style>p{}</style><svg onload="x"></svg>'
    )
    assert clean == "<table><tr><td>1</td></tr></table>y"
    assert {"style=", "onmouseover=", "<a>", "<style>", "<svg>"} <= set(removed)


def test_cell_tags(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, DEMO)
    text = page.get_text()
    assert "REMOVED CELL OUTPUT" not in text and "secret_setup" not in text  # remove-cell
    assert "hidden_source" not in text and "output of a cell without input" in text
    folded = page.select_one("details.hide")  # hide-input: the code folds
    assert "folded_source" in folded.get_text()


def test_error_output_is_a_located_warning(built) -> None:  # type: ignore[no-untyped-def]
    [error] = [w for w in article_warnings(built, "notebook") if "raised" in w]
    assert "posts/demo/index.ipynb:80002:" in error
    assert "Cell 8 raised ZeroDivisionError" in error


def test_text_notebook(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, "posts/text/index")
    assert page.select_one("header.article-titleblock h1").get_text() == "A text notebook"
    assert page.select_one(".cell .cell_input") is not None  # a myst-nb code cell
    assert "x = 21 * 2" in page.get_text()
    assert "kernelspec" not in page.select_one("article.article-body").get_text()


# -- Plotly ---------------------------------------------------------------------------------


def test_plotly_chart_markup(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, DEMO)
    figure = page.select_one("figure.article-plotly")
    assert figure.select_one(".article-plotly-chart")["aria-label"] == "Loss curve"
    spec = json.loads(figure.select_one("script[type='application/json']").string)
    assert spec["data"][0]["y"] == [3, 1, 2]
    assert "320px" in figure["style"]  # the chart's own height: no layout shift
    fallback = figure.select_one(".article-plotly-fallback img")
    assert fallback["alt"] == "Static version of the chart 'Loss curve'"
    assert "cdn.plot.ly" not in str(page)  # the text/html alternative is dropped
    # the chart names its library, fetched when it nears the viewport: no <script> for it
    assert figure["data-article-scripts"] == "../../_static/plotly.min.js"
    assert not [s for s in page.select("script[src]") if "plotly" in s["src"]]
    assert (built.outdir / "_static" / "plotly.min.js").stat().st_size > 1_000_000
    other = read_html(built.app, "posts/meta/index")  # no chart: no plotly.js
    assert "plotly" not in str(other.select("script[src], [data-article-scripts]"))


def test_plotly_in_latex_uses_the_static_image(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = build_root("test-notebook", tmp_path, builder="latex")
    tex = (result.outdir / "demo.tex").read_text()
    assert "Figure()" not in tex and "vnd.plotly" not in tex
    assert "plotly-" in tex  # the still kaleido drew for the chart without one
    assert tex.count("\\sphinxincludegraphics") >= 5  # red, blue, purple, two stills


# -- downloads and review ---------------------------------------------------------------


def test_download_notebook_link_and_file(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, DEMO)
    field = page.select_one(".byline-notebook")
    link = field.select_one("a[download]")
    assert link.get_text() == "Download notebook" and link["href"] == "demo.ipynb"
    launch = field.select("a")[1]
    assert launch["href"] == (
        "https://mybinder.org/v2/gh/me/blog/main?labpath=posts/demo/index.ipynb"
    )
    data = json.loads((built.outdir / "posts" / "demo" / "demo.ipynb").read_text())
    assert "".join(data["cells"][0]["source"]).startswith("---\ntitle: A notebook post")
    assert "authors" not in data["metadata"]  # tool and author metadata stripped
    assert any(
        o.get("output_type") == "stream" for c in data["cells"] for o in c.get("outputs", [])
    )


def test_review_build_strips_names(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = build_root("test-notebook", tmp_path, confoverrides={"article_review": True})
    page = read_html(result.app, DEMO)
    assert "Ada Lovelace" not in str(page)
    assert not page.select(".byline-notebook a[href^='https://mybinder']")
    download = (result.outdir / "posts" / "demo" / "demo.ipynb").read_text()
    assert "Ada Lovelace" not in download and "0000-0002-1825-0097" not in download
    assert "/home/ada" not in download and "/home/anonymous" in download
    assert not [p for p in (result.outdir / "_sources").rglob("*") if p.is_file()]
    assert not [
        p
        for p in result.outdir.rglob("*.*")
        if p.suffix in (".html", ".ipynb", ".txt")
        and "Ada Lovelace" in p.read_text(errors="replace")
    ]


def test_post_index_tags_and_feed(built) -> None:  # type: ignore[no-untyped-def]
    index = read_html(built.app, "index")
    titles = index.get_text()
    assert "A notebook post" in titles and "A text notebook" in titles
    tags = built.outdir / "tags"
    assert any("A notebook post" in p.read_text() for p in tags.rglob("*.html"))
    feed = (built.outdir / "feed.xml").read_text()
    assert "A notebook post" in feed


# -- bad input ----------------------------------------------------------------------------


def test_unreadable_notebooks_warn_and_the_site_builds(built) -> None:  # type: ignore[no-untyped-def]
    warnings = article_warnings(built, "notebook")
    [broken] = [w for w in warnings if "broken/index.ipynb" in w]
    assert "posts/broken/index.ipynb:4:" in broken and "not valid JSON" in broken
    [old] = [w for w in warnings if "old/index.ipynb" in w]
    assert "nbformat 3, not 4" in old
    assert "could not be read" in read_html(built.app, "posts/broken/index").get_text()
    assert (built.outdir / "posts" / "demo" / "index.html").is_file()
    assert not [w for w in warning_lines(built) if "Traceback" in w or "Exception" in w]


def test_huge_output_left_out(tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-notebook", src)
    path = src / "posts" / "demo" / "index.ipynb"
    data = json.loads(path.read_text())
    data["cells"][1]["outputs"].append(
        {"output_type": "stream", "name": "stdout", "text": "x" * (50 * 1024 * 1024)}
    )
    path.write_text(json.dumps(data))
    result = build_root("test-notebook", tmp_path, src=src)
    [huge] = [w for w in article_warnings(result, "notebook") if "budget" in w]
    assert "posts/demo/index.ipynb:20002:" in huge and "Cell 2: output 3 is 51200 KB" in huge
    html = (result.outdir / "posts" / "demo" / "index.html").read_text()
    assert "xxxxxxxxxx" not in html and "left out" in html
    assert (result.outdir / "posts" / "demo" / "index.html").stat().st_size < 2_000_000


# -- execution ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def executed(tmp_path_factory):  # type: ignore[no-untyped-def]
    return build_root("test-notebook-exec", tmp_path_factory.mktemp("nb-exec"))


def test_raising_cell_is_located_and_the_rest_runs(executed) -> None:  # type: ignore[no-untyped-def]
    [error] = [w for w in article_warnings(executed, "notebook") if "raised" in w]
    assert "posts/raises/index.ipynb:30002:" in error
    assert "Cell 3 raised ZeroDivisionError at line 2: division by zero" in error
    text = read_html(executed.app, "posts/raises/index").get_text()
    assert "before the error" in text and "after the error" in text  # the post still runs
    assert "ZeroDivisionError" in text  # and shows the error


def test_missing_kernel_is_a_warning(executed) -> None:  # type: ignore[no-untyped-def]
    [missing] = [w for w in article_warnings(executed, "notebook") if "kernel" in w]
    assert "posts/nokernel/index.ipynb:1:" in missing and "'no-such-kernel'" in missing
    assert (
        read_html(executed.app, "posts/nokernel/index").select_one("h1").get_text()
        == "No such kernel"
    )


def test_execution_off_per_post(tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-notebook-exec", src)
    path = src / "posts" / "raises" / "index.ipynb"
    data = json.loads(path.read_text())
    data["metadata"]["mystnb"] = {"execution_mode": "off"}
    path.write_text(json.dumps(data))
    shutil.rmtree(src / "posts" / "nokernel")
    result = build_root("test-notebook-exec", tmp_path, src=src)
    outputs = read_html(result.app, "posts/raises/index").select(".cell_output")
    assert not outputs  # not executed: the stored notebook has no outputs
    assert not article_warnings(result, "notebook")


def test_cache_mode_reuses_outputs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-notebook-exec", src)
    shutil.rmtree(src / "posts" / "nokernel")
    first = build_root(
        "test-notebook-exec", tmp_path, src=src, confoverrides={"nb_execution_mode": "cache"}
    )
    assert "after the error" in read_html(first.app, "posts/raises/index").get_text()
    assert any((src / "_build" / ".jupyter_cache").iterdir())


# -- check ---------------------------------------------------------------------------------


def test_check_lints_notebooks(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(ROOTS / "test-notebook")])
    out, err = capsys.readouterr()
    assert code == 1
    lines = out.splitlines()
    assert any(
        "posts/broken/index.ipynb:4: notebook: The notebook is not valid JSON" in line
        for line in lines
    )
    assert any("posts/old/index.ipynb:1: notebook:" in line for line in lines)
    assert any(
        "posts/demo/index.ipynb:60002: notebook: Cell 6: an HTML output holds" in line
        for line in lines
    )
    assert any(
        "posts/demo/index.ipynb:80002: notebook: Cell 8 raised ZeroDivisionError" in line
        for line in lines
    )
    assert any("posts/meta/index.ipynb:1: key:" in line for line in lines)
    assert not any("90002" in line for line in lines)  # the Plotly bundle's HTML is not used


def test_check_notebook_citations_and_alt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-notebook", src)
    for name in ("broken", "old", "meta", "text"):
        shutil.rmtree(src / "posts" / name)
    path = src / "posts" / "demo" / "index.ipynb"
    data = json.loads(path.read_text())
    data["cells"][0]["source"] = "".join(data["cells"][0]["source"]) + (
        "\n\nAlso {cite:p}`nosuchkey2020`."
    )
    del data["cells"][3]["metadata"]["mystnb"]
    path.write_text(json.dumps(data))
    main(["check", str(src)])
    out, _ = capsys.readouterr()
    assert "citation: Cell 1, line" in out and "nosuchkey2020" in out
    assert "index.ipynb:40002: alt: Cell 4: an image output has no alternative text" in out


def test_example_notebook_post_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLE)]) == 0


# -- the example site: browser and PDF ------------------------------------------------------

NOTEBOOK_POST = "posts/logistic-regression-notebook/index.html"


@pytest.mark.browser
def test_interactive_chart_in_chromium(page, site_url) -> None:  # type: ignore[no-untyped-def]
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + NOTEBOOK_POST)
    page.wait_for_load_state("networkidle")
    # the chart's library is fetched only when the chart nears the viewport
    assert not [url for url in requested if "plotly" in url]
    page.locator(".article-plotly").scroll_into_view_if_needed()
    page.wait_for_selector(".article-plotly.is-interactive .main-svg", timeout=15000)
    assert [url for url in requested if url.endswith("/_static/plotly.min.js")]
    chart = page.locator(".article-plotly-chart")
    box = chart.bounding_box()
    assert box["height"] == pytest.approx(360, abs=2) and box["width"] > 500
    assert not page.locator(".article-plotly-fallback").is_visible()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    screenshot(page, "notebook-post-light")
    light = page.evaluate(
        "getComputedStyle(document.querySelector('.article-plotly .main-svg'))"
        ".getPropertyValue('background-color')"
    )
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    page.wait_for_timeout(300)
    dark = page.evaluate(
        "document.querySelector('.article-plotly .main-svg rect.bg, "
        ".article-plotly .main-svg').style.fill || getComputedStyle("
        "document.querySelector('.article-plotly .main-svg'))"
        ".getPropertyValue('background-color')"
    )
    assert light != dark  # the chart follows the theme
    screenshot(page, "notebook-post-dark")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "notebook-post-390")


@pytest.mark.browser
def test_chart_without_javascript_shows_the_static_image(browser, site_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1400, "height": 900}
    )
    tab = context.new_page()
    try:
        tab.goto(site_url + NOTEBOOK_POST)
        fallback = tab.locator(".article-plotly-fallback img")
        assert fallback.is_visible()
        assert "Training curve" in fallback.get_attribute("alt")
        assert (
            tab.evaluate("document.querySelector('.article-plotly-fallback img').naturalWidth") > 0
        )
        screenshot(tab, "notebook-post-nojs")
    finally:
        context.close()


def test_example_notebook_post_html(example_html) -> None:  # type: ignore[no-untyped-def]
    from bs4 import BeautifulSoup

    page = BeautifulSoup((example_html / NOTEBOOK_POST).read_text(), "html.parser")
    assert (
        page.select_one("header.article-titleblock h1").get_text()
        == "Logistic regression, trained in a notebook"
    )
    assert page.select_one("figure#fig-boundary .caption-number").get_text().strip() == "Fig. 1"
    assert page.select_one("table.dataframe") is not None
    assert page.select_one("figure.article-plotly") is not None
    assert [a.get_text() for a in page.select("a.article-cite")] == ["Cox, 1958", "Bishop, 2006"]
    assert (
        example_html
        / "posts"
        / "logistic-regression-notebook"
        / "logistic-regression-notebook.ipynb"
    ).is_file()
    index = (example_html / "index.html").read_text()
    assert "Logistic regression, trained in a notebook" in index


@pytest.mark.pdf
def test_notebook_post_pdf(tmp_path) -> None:  # type: ignore[no-untyped-def]
    need_latex()
    result = sphinx_build(ROOTS / "test-notebook", tmp_path, "latexpdf")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    pdf = tmp_path / "latex" / "demo.pdf"
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for needle in (
        "A notebook post",
        "Ada Lovelace",
        "print('hello from the notebook')",
        "hello from the notebook",
        "Fig. 1",
        "A red rectangle.",
        "Cox",
        "ZeroDivisionError",
    ):
        assert needle in text, needle
    images = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert len(images.splitlines()) - 2 >= 3  # two outputs and the chart's still


# -- the docs' example ------------------------------------------------------------------------


def test_tutorial_notebook_site_builds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """docs/tutorial/notebook-post.md: the text notebook runs and is an article."""
    site = Path(__file__).parent.parent / "docs" / "how-to" / "files" / "notebook-blog"
    result = sphinx_build(
        site, tmp_path, "html", "-W", "--keep-going", "-D", "nb_execution_mode=force"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    html = tmp_path / "html" / "posts" / "first-notebook"
    from bs4 import BeautifulSoup

    page = BeautifulSoup((html / "index.html").read_text(), "html.parser")
    assert page.select_one("h1").get_text() == "My first notebook post"
    assert "slope 1.98, intercept 1.01" in page.get_text()  # the cell ran
    figure = page.select_one("figure#fig-fit")
    assert figure.select_one("img")["alt"].startswith("Fifty dots")
    assert "import matplotlib" not in page.get_text()  # remove-input
    assert page.select_one(".byline-notebook a[download]")["href"] == "first-notebook.ipynb"
    assert json.loads((html / "first-notebook.ipynb").read_text())["cells"]


def test_glued_figure_is_numbered(built) -> None:  # type: ignore[no-untyped-def]
    """myst-nb's ``glue:figure`` gives a captioned, numbered figure from a cell's output."""
    page = read_html(built.app, DEMO)
    figure = page.select_one("figure#fig-purple")
    assert figure.select_one(".caption-number").get_text().strip() == "Fig. 2"
    assert figure.select_one("img")["alt"] == "A purple rectangle"
    assert page.select_one('a.reference.internal[href="#fig-purple"]').get_text() == "Fig. 2"


def test_chart_without_static_image_gets_one_from_kaleido(built) -> None:  # type: ignore[no-untyped-def]
    """kaleido 1.x draws the still with the local Chromium (offline), for no-JS and PDF."""
    page = read_html(built.app, DEMO)
    [bare] = [
        f
        for f in page.select("figure.article-plotly")
        if f.select_one(".article-plotly-chart")["aria-label"] == "Bare chart"
    ]
    still = bare.select_one(".article-plotly-fallback img")
    assert still["src"].split("/")[-1].startswith("plotly-")
    assert (still["width"], still["height"]) == ("1400", "600")  # 700 x 300 at scale 2
    assert still["alt"] == "Static version of the chart 'Bare chart'"


def test_chart_without_any_still_has_a_note(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-browser"))
    result = build_root("test-notebook", tmp_path, builder="latex")
    tex = (result.outdir / "demo.tex").read_text()
    assert "An interactive chart: see the web version of this post." in tex
    html = build_root("test-notebook", tmp_path / "html")
    [bare] = [
        f
        for f in read_html(html.app, DEMO).select("figure.article-plotly")
        if "Bare chart" in str(f)
    ]
    assert bare.select_one(".article-plotly-note") is not None


# -- Altair / Vega-Lite ---------------------------------------------------------------------


def test_vega_lite_chart_markup(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, DEMO)
    vega = page.select_one("figure.article-vega")
    assert vega.select_one(".article-vega-chart")["aria-label"] == "Accuracy by model"
    assert "270px" in vega["style"]  # the spec's height plus axes: reserved
    spec = json.loads(vega.select_one("script[type='application/json']").string)
    assert spec["mark"] == "bar"
    assert "cdn.jsdelivr" not in str(page)  # Altair's HTML output is never used
    assert vega["data-article-scripts"].split() == [
        "../../_static/vega.min.js",
        "../../_static/vega-lite.min.js",
    ]
    assert not [s for s in page.select("script[src]") if "vega" in s["src"]]
    assert (built.outdir / "_static" / "vega-lite.min.js").is_file()
    other = read_html(built.app, "posts/meta/index")
    assert "vega" not in str(other.select("script[src], [data-article-scripts]"))


@pytest.mark.browser
def test_charts_of_the_test_root_in_chromium(page, built) -> None:  # type: ignore[no-untyped-def]
    """Plotly and Vega-Lite draw from the site's own files; a spec naming a remote data
    URL never makes the browser contact that host (the page fixture fails on any)."""
    for base in serve(built.outdir):
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.goto(base + "posts/demo/index.html")
        page.locator(".article-vega").first.scroll_into_view_if_needed()
        page.wait_for_selector(".article-vega.is-interactive svg", timeout=15000)
        page.locator(".article-plotly").first.scroll_into_view_if_needed()
        page.wait_for_selector(".article-plotly.is-interactive .main-svg", timeout=15000)
        assert page.locator(".article-vega.is-interactive").count() == 2
        assert page.locator(".article-vega-chart svg .mark-rect path").count() == 2  # bars
        page.evaluate("document.documentElement.dataset.theme = 'dark'")
        page.wait_for_timeout(500)
        fill = page.evaluate(
            "document.querySelector('.article-vega-chart svg').style.backgroundColor"
        )
        assert fill == "rgb(22, 24, 29)"  # the dark page background (--article-bg)
        assert not errors, errors


def test_parallel_build_matches_serial(built, tmp_path) -> None:  # type: ignore[no-untyped-def]
    parallel = build_root("test-notebook", tmp_path, parallel=2)

    def summary(result) -> tuple:  # type: ignore[no-untyped-def]
        page = read_html(result.app, DEMO)
        return (
            page.select_one("header.article-titleblock h1").get_text(),
            [f.get("id") for f in page.select("figure")],
            [s.get_text() for s in page.select(".caption-number")],
            sorted(w.split("WARNING: ", 1)[1] for w in article_warnings(result, "notebook")),
        )

    assert summary(parallel) == summary(built)
    assert (parallel.outdir / "_static" / "plotly.min.js").stat().st_size == (
        built.outdir / "_static" / "plotly.min.js"
    ).stat().st_size


def test_every_warning_in_a_notebook_names_the_cell(built) -> None:  # type: ignore[no-untyped-def]
    """A warning raised by another feature (here a citation) inside a Markdown cell is
    prefixed with the cell and the line in it."""
    [cite] = [w for w in article_warnings(built, "citation") if "unknownkey2020" in w]
    assert "posts/demo/index.ipynb:180004: WARNING: Cell 18, line 3: Citation key" in cite
