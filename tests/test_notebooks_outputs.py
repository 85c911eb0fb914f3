"""Notebook outputs (issue 16, the rest): ipywidgets fallbacks, long input cells folded,
dark variants of image outputs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from playwright.sync_api import expect

from conftest import ROOTS, article_warnings, build_root, need_latex, read_html, sphinx_build

POST = "posts/outputs/index"
DATAFRAME = (
    "<div><style scoped>.dataframe td { color: red }</style>"
    '<table border="1" class="dataframe"><thead><tr style="text-align: right;">'
    "<th></th><th>model</th><th>acc_%</th></tr></thead><tbody>"
    '<tr><th rowspan="2">run&nbsp;1</th><td>logistic &amp; co</td><td>91.0</td></tr>'
    "<tr><td>$\\alpha$_{x}</td><td>88.5</td></tr>"
    '<tr><th>run 2</th><td colspan="2">n/a</td></tr></tbody></table></div>'
)


def _png(source: dict) -> str:
    [output] = [o for o in source["cells"][2]["outputs"] if "image/png" in o.get("data", {})]
    return output["data"]["image/png"]


def _cell(source: str, outputs: list, tags: list[str] | None = None, **meta: object) -> dict:
    metadata = dict(meta, tags=tags) if tags else dict(meta)
    return {
        "cell_type": "code",
        "execution_count": 1,
        "id": f"c{abs(hash(source)) % 10**8}",
        "metadata": metadata,
        "outputs": outputs,
        "source": source,
    }


def _display(data: dict) -> dict:
    return {"output_type": "display_data", "data": data, "metadata": {}}


def outputs_site(tmp: Path) -> Path:
    src = tmp / "site"
    shutil.copytree(ROOTS / "test-notebook", src)
    demo = json.loads((src / "posts" / "demo" / "index.ipynb").read_text())
    png = _png(demo)
    widget = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    long_code = "\n".join(f"line_{n} = {n}" for n in range(1, 41))
    cells = [
        {
            "cell_type": "markdown",
            "id": "front",
            "metadata": {},
            "source": "---\ntitle: Outputs\ndescription: Widgets, folds and dark variants.\n"
            "published: 2026-04-25\n---\n\nSome outputs.",
        },
        # 1: a widget with only its text version
        _cell(
            "slider",
            [
                _display(
                    {
                        "application/vnd.jupyter.widget-view+json": widget,
                        "text/plain": "IntSlider(value=3)",
                    }
                )
            ],
        ),
        # 2: a widget with a static image
        _cell(
            "plot_widget",
            [
                _display(
                    {
                        "application/vnd.jupyter.widget-view+json": widget,
                        "image/png": png,
                        "text/plain": "Output()",
                    }
                )
            ],
            mystnb={"image": {"alt": "A widget's still"}},
        ),
        # 3: a widget with nothing static
        _cell("bare_widget", [_display({"application/vnd.jupyter.widget-view+json": widget})]),
        # 4: a long input cell
        _cell(long_code, []),
        # 5: a short one
        _cell("short = 1", []),
        # 6: light and dark variants of one plot
        _cell(
            "light_and_dark()",
            [
                _display({"image/png": png, "text/plain": "light"}),
                _display({"image/png": png, "text/plain": "dark"}),
            ],
            tags=["dark-variant"],
            mystnb={"image": {"alt": "A red rectangle"}, "figure": {"caption": "Both modes."}},
        ),
        # 7: an unpaired one
        _cell(
            "just_one()",
            [_display({"image/png": png, "text/plain": "one"})],
            tags=["dark-variant"],
            mystnb={"image": {"alt": "One rectangle"}},
        ),
        # 8: a DataFrame (pandas' HTML, with a text/latex tabular that is not math)
        _cell(
            "results",
            [
                {
                    "output_type": "execute_result",
                    "execution_count": 1,
                    "metadata": {},
                    "data": {
                        "text/html": DATAFRAME,
                        "text/plain": "  model  acc",
                        "text/latex": "\\begin{tabular}{ll}a & b\\end{tabular}",
                    },
                }
            ],
        ),
        # 9: the hero, light and dark
        _cell(
            "hero_plot()",
            [
                _display({"image/png": png, "text/plain": "hero light"}),
                _display({"image/png": png, "text/plain": "hero dark"}),
            ],
            tags=["remove-input"],
            article={"hero": True, "dark-variant": True},
            mystnb={
                "image": {"alt": "The hero rectangle"},
                "figure": {"caption": "A *hero* caption."},
            },
        ),
        # 10, 11: a hero tag without an image, and a second hero
        _cell("no_plot()", [], tags=["hero"]),
        _cell(
            "second_hero()",
            [_display({"image/png": png, "text/plain": "2nd"})],
            tags=["hero"],
            mystnb={"image": {"alt": "Second"}},
        ),
        # 12: a LaTeX tabular without HTML
        _cell(
            "styler",
            [
                _display(
                    {
                        "text/latex": "\\begin{tabular}{ll}x & y\\end{tabular}",
                        "text/plain": "plain version of the table",
                    }
                )
            ],
        ),
    ]
    notebook = {
        "cells": cells,
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "widgets": {
                "application/vnd.jupyter.widget-state+json": {
                    "state": {"abc": {"model_name": "IntSliderModel"}},
                    "version_major": 2,
                    "version_minor": 0,
                }
            },
        },
    }
    (src / "posts" / "outputs").mkdir()
    (src / "posts" / "outputs" / "index.ipynb").write_text(json.dumps(notebook))
    return src


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("nbout")
    return build_root("test-notebook", tmp, src=outputs_site(tmp))


def _cells(page):  # type: ignore[no-untyped-def]
    return page.select("div.cell")


# -- ipywidgets ------------------------------------------------------------------------------


def test_widgets_show_their_static_version_or_a_note(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, POST)
    cells = _cells(page)
    assert "IntSlider(value=3)" in cells[0].get_text()
    assert cells[1].select_one('img[alt="A widget\'s still"]') is not None
    note = cells[2].select_one(".article-nb-widget")
    assert "Interactive widget: it needs a live kernel; open the notebook" in note.get_text()
    for cell in cells[:3]:
        assert not cell.select("script")
        assert cell.select_one(".cell_output").get_text(strip=True) or cell.select("img")
    # no widget manager, no CDN, no widget state on the page
    html = str(page)
    assert "widget-state" not in html and "widget-view" not in html
    assert "cdn.jsdelivr" not in html and "require.js" not in html and "cdnjs" not in html


def test_widget_warnings_are_located(built) -> None:  # type: ignore[no-untyped-def]
    warnings = [w for w in article_warnings(built, "notebook") if "ipywidgets" in w]
    assert len(warnings) == 3
    assert any(
        "posts/outputs/index.ipynb:2" in w and "Cell 2" in w and "text version" in w
        for w in warnings
    )
    assert any("Cell 3" in w and "static image" in w for w in warnings)
    assert any("Cell 4" in w and "note" in w for w in warnings)


def test_widgets_with_raw_html_still_no_script(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = build_root(
        "test-notebook",
        tmp_path,
        src=outputs_site(tmp_path),
        confoverrides={"article_raw_html": True},
    )
    page = read_html(result.app, POST)
    cells = _cells(page)
    assert not any(cell.select("script") for cell in cells[:3])
    assert cells[2].select_one(".article-nb-widget") is not None


def test_widget_note_in_latex(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = build_root("test-notebook", tmp_path, src=outputs_site(tmp_path), builder="latex")
    tex = next(Path(result.app.outdir).glob("outputs*.tex")).read_text()
    assert "Interactive widget: it needs a live kernel" in tex
    assert "IntSlider(value=3)" in tex


# -- long input cells ---------------------------------------------------------------------


def test_long_input_cell_folds(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, POST)
    cells = _cells(page)
    fold = cells[3].select_one("details.article-nb-fold")
    assert fold is not None and not fold.has_attr("open")
    summary = fold.select_one("summary")
    assert (
        summary.select_one(".article-nb-fold-label").get_text()
        == "Show all 40 lines of this code cell"
    )
    preview = summary.select_one("pre.article-nb-fold-preview")
    assert preview["aria-hidden"] == "true"
    assert "line_1 = 1" in preview.get_text() and "line_9 = 9" not in preview.get_text()
    # the whole cell is inside, highlighted as usual
    assert "line_40 = 40" in fold.select_one(".cell_input").get_text()
    assert not cells[4].select("details")  # a short cell is not folded


def test_fold_threshold_setting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = build_root(
        "test-notebook",
        tmp_path,
        src=outputs_site(tmp_path),
        confoverrides={"article_notebook_fold_lines": 0},
    )
    assert not read_html(result.app, POST).select("details.article-nb-fold")


def test_long_cell_whole_in_latex(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = build_root("test-notebook", tmp_path, src=outputs_site(tmp_path), builder="latex")
    tex = next(Path(result.app.outdir).glob("outputs*.tex")).read_text()
    assert "line\\PYGZus{}40" in tex or "line_40" in tex
    assert "Show all" not in tex


@pytest.mark.browser
def test_folded_cell_in_chromium(page, built) -> None:  # type: ignore[no-untyped-def]
    """Keyboard: Tab reaches the summary, Enter opens it; print shows the whole cell."""
    page.goto((Path(built.app.outdir) / f"{POST}.html").as_uri())
    fold = page.locator("details.article-nb-fold")
    last = fold.locator(".cell_input").get_by_text("line_40")
    assert not last.is_visible()
    page.emulate_media(media="print")
    expect(last).to_be_visible()  # notebooks.js opens the fold when the print media applies
    assert not fold.locator("summary").is_visible()
    page.emulate_media(media="screen")
    expect(fold).not_to_have_attribute("open", "")  # folded again after printing
    fold.locator("summary").focus()
    page.keyboard.press("Enter")
    assert fold.evaluate("d => d.open")
    assert last.is_visible()
    assert not fold.locator(".article-nb-fold-preview").is_visible()


# -- dark variants -------------------------------------------------------------------------


def test_dark_variant_pairs(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, POST)
    cells = _cells(page)
    light, dark = cells[5].select("img")
    assert "only-light" in light["class"] and "only-dark" in dark["class"]
    [figure] = cells[5].select("figure")  # one figure, one caption for the pair
    assert figure.select_one("figcaption").get_text().count("Both modes.") == 1
    assert dark["alt"] == light["alt"] == "A red rectangle"
    [unpaired] = cells[6].select("img")
    assert "only-light" not in unpaired["class"] and "only-dark" not in unpaired["class"]
    [warning] = [w for w in article_warnings(built, "notebook") if "dark-variant" in w]
    assert "posts/outputs/index.ipynb:80002:" in warning and "Cell 8" in warning
    # one alt-text warning per light image at most: the dark twin borrows the light alt
    assert not [w for w in article_warnings(built, "alt") if "outputs" in w]


@pytest.mark.browser
def test_dark_variant_follows_the_theme(page, built) -> None:  # type: ignore[no-untyped-def]
    page.goto((Path(built.app.outdir) / f"{POST}.html").as_uri())
    images = page.locator("div.cell").nth(5).locator("img")
    page.emulate_media(color_scheme="light")
    assert images.nth(0).is_visible() and not images.nth(1).is_visible()
    page.emulate_media(color_scheme="dark")
    assert not images.nth(0).is_visible() and images.nth(1).is_visible()


def test_dark_variant_dropped_from_latex(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = build_root("test-notebook", tmp_path, src=outputs_site(tmp_path), builder="latex")
    tex = next(Path(result.app.outdir).glob("outputs*.tex")).read_text()
    section = tex[tex.index("light\\PYGZus{}and\\PYGZus{}dark") : tex.index("just\\PYGZus{}one")]
    assert section.count("\\sphinxincludegraphics") == 1


def test_download_keeps_the_widget_state(built) -> None:  # type: ignore[no-untyped-def]
    data = json.loads((Path(built.app.outdir) / "posts" / "outputs" / "outputs.ipynb").read_text())
    assert (
        "abc" in data["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    )


# -- DataFrames in the PDF ----------------------------------------------------------------------


def test_html_table_reader() -> None:
    from sphinx_article.notebooks.tables import html_table

    table = html_table(DATAFRAME)
    rows = [[entry.astext() for entry in row] for row in table.findall(nodes.row)]
    assert rows == [
        ["", "model", "acc_%"],
        ["run 1", "logistic & co", "91.0"],
        ["", "$\\alpha$_{x}", "88.5"],
        ["run 2", "n/a", ""],
    ]
    assert table.next_node(nodes.tgroup)["cols"] == 3
    assert html_table("<p>no table</p>") is None


def test_dataframe_is_a_latex_table(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = build_root("test-notebook", tmp_path, src=outputs_site(tmp_path), builder="latex")
    tex = next(Path(result.app.outdir).glob("outputs*.tex")).read_text()
    start = tex.index("acc\\_\\%")
    table = tex[tex.rindex("\\begin{", 0, start) : start + 2000]
    assert "tabular" in table or "longtable" in table
    assert "logistic \\& co" in table and "88.5" in table
    assert "\\(\\alpha" not in table  # author text escaped, never math
    assert "\\begin{tabular}{ll}a" not in tex  # the output's own text/latex is not set as math
    assert "\\begin{tabular}{ll}x" not in tex and "plain version of the table" in tex


def test_dataframe_stays_html_on_the_web(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, POST)
    table = _cells(page)[7].select_one(".article-nb-html table.dataframe")
    assert table is not None and "logistic & co" in table.get_text()


@pytest.mark.pdf
def test_dataframe_pdf_compiles(tmp_path) -> None:  # type: ignore[no-untyped-def]
    need_latex()
    src = outputs_site(tmp_path)
    result = sphinx_build(src, tmp_path / "out", "latexpdf")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    pdf = tmp_path / "out" / "latex" / "outputs.pdf"
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for needle in (
        "logistic & co",
        "91.0",
        "88.5",
        "acc_%",
        "line_40 = 40",
        "plain version of the table",
        "Interactive widget: it needs a live kernel",
    ):
        assert needle in text, needle


# -- execution timeout -------------------------------------------------------------------------


def _slow_notebook(title: str, sleep: float, timeout: int | None) -> dict:
    metadata: dict = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    }
    if timeout is not None:
        metadata["mystnb"] = {"execution_timeout": timeout}
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": metadata,
        "cells": [
            {
                "cell_type": "markdown",
                "id": "front",
                "metadata": {},
                "source": f"---\ntitle: {title}\ndescription: Slow.\npublished: 2026-04-26\n---\n\nText.",
            },
            _cell("print('fast cell ran')", []),
            _cell(f"import time\ntime.sleep({sleep})\nprint('slow cell ended')", []),
            _cell("print('cell after ran')", []),
        ],
    }


def test_timed_out_cell_is_located_and_the_post_builds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Site-wide nb_execution_timeout = 2; 'slow' keeps it, 'patient' raises its own."""
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-notebook-exec", src)
    for name in ("raises", "nokernel"):
        shutil.rmtree(src / "posts" / name)
    for name, notebook in (
        ("slow", _slow_notebook("Slow", 8, None)),
        ("patient", _slow_notebook("Patient", 3, 30)),
    ):
        (src / "posts" / name).mkdir()
        (src / "posts" / name / "index.ipynb").write_text(json.dumps(notebook))
    result = build_root(
        "test-notebook-exec", tmp_path, src=src, confoverrides={"nb_execution_timeout": 2}
    )
    [warning] = [w for w in article_warnings(result, "notebook") if "did not finish" in w]
    assert "posts/slow/index.ipynb:30002:" in warning
    assert "Cell 3 did not finish within 2 s" in warning and "execution_timeout" in warning

    def outputs(docname: str) -> str:
        page = read_html(result.app, docname)
        return " ".join(o.get_text() for o in page.select(".cell_output"))

    slow = outputs("posts/slow/index")
    assert "fast cell ran" in slow and "KeyboardInterrupt" in slow  # the kernel stopped
    assert "cell after ran" not in slow
    # one warning for the timeout: the interrupt is not reported as a raising cell
    assert [w for w in article_warnings(result, "notebook") if "posts/slow" in w] == [warning]
    patient = outputs("posts/patient/index")
    assert "slow cell ended" in patient and "cell after ran" in patient


# -- a cell output as the hero -------------------------------------------------------------------


def test_hero_tagged_cell_output_is_the_hero(built) -> None:  # type: ignore[no-untyped-def]
    page = read_html(built.app, POST)
    hero = page.select_one("figure.article-hero")
    assert hero is not None and "article-width-page" in hero["class"]
    # lifted into the page header, under the title block
    assert hero.find_previous("header", class_="article-titleblock") is not None
    assert not hero.find_parent(class_="cell")
    light, dark = hero.select("img")
    assert light["alt"] == dark["alt"] == "The hero rectangle"
    assert "only-light" in light["class"] and "only-dark" in dark["class"]  # dark-variant
    assert light["fetchpriority"] == "high"
    assert not _cells(page)[8].select("img")  # not shown twice
    assert not _cells(page)[8].select("figure, figcaption")
    caption = hero.select_one("figcaption.article-hero__caption")
    assert caption.get_text().strip() == "A hero caption." and caption.select_one("em")
    og = page.select_one('meta[property="og:image"]')
    assert og is not None and "_images/" in og["content"]
    warnings = [w for w in article_warnings(built, "hero") if "posts/outputs" in w]
    assert len(warnings) == 2
    assert (
        "index.ipynb:110002:" in warnings[0]
        and "Cell 11 is tagged 'hero' but shows no" in warnings[0]
    )
    assert "Cell 12 is tagged 'hero' but this post already has a hero" in warnings[1]
    assert _cells(page)[10].select_one('img[alt="Second"]') is not None  # stays in place


def test_hero_in_the_pdf(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = build_root("test-notebook", tmp_path, src=outputs_site(tmp_path), builder="latex")
    tex = next(Path(result.app.outdir).glob("outputs*.tex")).read_text()
    hero = tex[tex.index("\\begin{ArticleHero}") : tex.index("\\end{ArticleHero}")]
    assert "includegraphics" in hero


# -- cell tags: the build and check agree ------------------------------------------------------


def tags_site(tmp: Path) -> Path:
    """One notebook post with every tag mistake, and nothing else to warn about."""
    src = tmp / "site"
    shutil.copytree(ROOTS / "test-notebook", src)
    png = _png(json.loads((src / "posts" / "demo" / "index.ipynb").read_text()))
    for name in ("broken", "old", "meta", "text", "demo"):
        shutil.rmtree(src / "posts" / name)
    image = _display({"image/png": png, "text/plain": "plot"})
    alt = {"image": {"alt": "A red rectangle"}}
    unrun = _cell("never_run()", [], tags=["hero"])
    unrun["execution_count"] = None
    cells = [
        {
            "cell_type": "markdown",
            "id": "front",
            "metadata": {},
            "source": "---\ntitle: Tags\ndescription: Tag mistakes.\npublished: 2026-04-27\n---\n\nText.",
        },
        # 2: three misspelt tags and one of another tool's (papermill), left alone
        _cell("print(1)", [], tags=["dark_variant", "heros", "Hide-Input", "parameters"]),
        # 3: a misspelt metadata key, and a dark-variant with one image
        _cell("one()", [image], article={"heros": True, "dark-variant": True}, mystnb=alt),
        # 4: article tags on a Markdown cell
        {"cell_type": "markdown", "id": "md", "metadata": {"tags": ["hero"]}, "source": "Hi."},
        # 5: dark-variant on a cell whose output has no image
        _cell(
            "print('no image')",
            [{"output_type": "stream", "name": "stdout", "text": "no image\n"}],
            tags=["dark-variant"],
        ),
        # 6: the hero; 7: a second hero; 8: a hero with no output at all
        _cell("hero()", [image], tags=["hero"], mystnb=alt),
        _cell("again()", [image], tags=["hero"], mystnb=alt),
        unrun,
    ]
    notebook = {
        "cells": cells,
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    }
    (src / "posts" / "tags").mkdir()
    (src / "posts" / "tags" / "index.ipynb").write_text(json.dumps(notebook))
    return src


def test_cell_tag_mistakes_are_located_warnings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = build_root("test-notebook", tmp_path, src=tags_site(tmp_path))
    tags = article_warnings(result, "cell-tag")
    assert len(tags) == 5, tags
    at = "posts/tags/index.ipynb:"
    assert any(f"{at}20002:" in w and "'dark_variant'" in w and "'dark-variant'" in w for w in tags)
    assert any("'heros' is not a cell tag; did you mean 'hero'?" in w for w in tags)
    assert any("'Hide-Input'" in w and "'hide-input'" in w for w in tags)
    assert not any("parameters" in w for w in tags)
    assert any(
        f"{at}30002:" in w and "Cell 3: 'heros' in the cell's \"article\" metadata" in w
        for w in tags
    )
    assert any(f"{at}40002:" in w and "Markdown cell" in w for w in tags)
    notebook = [w for w in article_warnings(result, "notebook") if "dark-variant" in w]
    assert any(f"{at}30002:" in w and "shows 1 image(s)" in w for w in notebook)
    assert any(f"{at}50002:" in w and "shows no image output" in w for w in notebook)
    heroes = article_warnings(result, "hero")
    assert any(f"{at}70002:" in w and "already has a hero" in w for w in heroes)
    assert any(f"{at}80002:" in w and "shows no image output" in w for w in heroes)
    # the misspelt key did nothing: cell 3's image is not the hero, cell 6's is
    page = read_html(result.app, "posts/tags/index")
    assert page.select_one("figure.article-hero img")["alt"] == "A red rectangle"
    assert len(_cells(page)[1].select("img")) == 1


def check_as_built(src: Path, tmp_path: Path) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """The build's and ``check``'s problems for ``src``, asserted to be at the same
    (file, line, subtype)."""
    from parity import build_problems, check_problems, compare

    result = sphinx_build(src, tmp_path / "out", "html", "--keep-going")
    assert result.returncode == 0, result.stderr[-3000:]
    build = build_problems(result.stdout + result.stderr, src)
    check = check_problems(src)
    missed, extra = compare(build, check)
    assert not missed and not extra, (missed, extra)
    return build, check


def test_check_reports_the_same_tag_problems(tmp_path) -> None:  # type: ignore[no-untyped-def]
    build, check = check_as_built(tags_site(tmp_path), tmp_path)
    subtypes = sorted(key[2] for key in check for _ in check[key])
    assert subtypes.count("cell-tag") == 5 and subtypes.count("hero") == 2
    # same messages, not only the same lines
    for key, messages in check.items():
        if key[2] in ("cell-tag", "hero", "notebook"):
            assert sorted(messages) == sorted(build[key]), key


def test_check_leaves_unrun_cells_to_an_executing_build(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from parity import check_problems

    src = tags_site(tmp_path)
    conf = src / "conf.py"
    conf.write_text(
        conf.read_text().replace('nb_execution_mode = "off"', 'nb_execution_mode = "cache"')
    )
    lines = {key[1] for key in check_problems(src) if key[2] == "hero"}
    assert lines == {70002}  # cell 8 was never run: the build will have its outputs


def test_kernel_transport_is_encrypted_when_it_can_be() -> None:
    import zmq
    from jupyter_client.manager import KernelManager

    from sphinx_article.notebooks.kernel import encrypt_kernel_transport

    if "transport_encryption" not in KernelManager.class_traits() or not zmq.has("curve"):
        pytest.skip("this jupyter_client/pyzmq cannot encrypt the kernel's transport")
    assert encrypt_kernel_transport()
    assert KernelManager().transport_encryption == "auto"


def test_executing_build_has_no_kernel_noise(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """ipykernel 7's "Kernel is running over TCP without encryption" reached the log."""
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-notebook-exec", src)
    shutil.rmtree(src / "posts" / "nokernel")
    result = sphinx_build(src, tmp_path / "out", "html", "--keep-going")
    assert result.returncode == 0, result.stderr[-3000:]
    assert (
        "after the error"
        in (tmp_path / "out" / "html" / "posts" / "raises" / "index.html").read_text()
    )
    assert "IPKernelApp" not in result.stderr and "over TCP" not in result.stderr


# -- a glued output as the hero (hero-figure :glue:) ---------------------------------------------


def _glued(key: str, data: dict) -> dict:
    """A ``glue(key, value, display=False)`` output as MyST-NB stores it."""
    prefix = "application/papermill.record/"
    return {
        "output_type": "display_data",
        "metadata": {"scrapbook": {"name": key, "mime_prefix": prefix}},
        "data": {prefix + mime: value for mime, value in data.items()},
    }


def _markdown(index: int, source: str) -> dict:
    return {"cell_type": "markdown", "id": f"md{index}", "metadata": {}, "source": source}


def _notebook(title: str, cells: list[dict]) -> dict:
    front = (
        f"---\ntitle: {title}\ndescription: Glued heroes.\npublished: 2026-05-01\n"
        "authors:\n  - name: Ada Lovelace\n---\n\nText."
    )
    return {
        "cells": [_markdown(0, front), *cells],
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    }


GLUE_HERO = (
    "```{hero-figure}\n:glue: loss-curve\n:alt: The loss falls\n:width: screen\n"
    ":credit: Plot: the authors\n:focus: 20% 80%\n:dark: dark.png\n\nThe *loss* curve.\n```"
)


def glue_site(tmp: Path) -> Path:
    """A notebook post whose hero is a glued output, one with each glue mistake, and two
    Markdown posts (``:glue:`` outside a notebook, a file and ``:glue:`` both)."""
    src = tmp / "site"
    shutil.copytree(ROOTS / "test-notebook", src)
    png = _png(json.loads((src / "posts" / "demo" / "index.ipynb").read_text()))
    for name in ("broken", "old", "meta", "text", "demo"):
        shutil.rmtree(src / "posts" / name)
    glue = _cell(
        "glue('loss-curve', fig); glue('accuracy', 0.93); glue('table', df)",
        [
            _glued("loss-curve", {"image/png": png, "text/plain": "<Figure>"}),
            _glued("accuracy", {"text/plain": "0.93"}),
            _glued(
                "table", {"text/html": "<table><tr><td>1</td></tr></table>", "text/plain": "df"}
            ),
        ],
        tags=["remove-cell"],
    )
    posts = {
        "glued": [glue, _markdown(2, GLUE_HERO)],
        # one mistake per post (a post with a failed hero-figure has had its one hero)
        "badkey": [glue, _markdown(2, "```{hero-figure}\n:glue: loss-curv\n:alt: Typo\n```")],
        "number": [glue, _markdown(2, "```{hero-figure}\n:glue: accuracy\n:alt: A number\n```")],
        "table": [glue, _markdown(2, "```{hero-figure}\n:glue: table\n:alt: A table\n```")],
        "neither": [glue, _markdown(2, "```{hero-figure}\n:alt: Nothing\n```")],
    }
    for name, cells in posts.items():
        (src / "posts" / name).mkdir()
        (src / "posts" / name / "index.ipynb").write_text(json.dumps(_notebook(name, cells)))
    import base64

    (src / "posts" / "glued" / "dark.png").write_bytes(base64.b64decode(png))
    for name, hero in (
        ("plain", "```{hero-figure}\n:glue: loss-curve\n:alt: Not here\n```"),
        ("both", "```{hero-figure} pic.png\n:glue: loss-curve\n:alt: Both\n```"),
    ):
        (src / "posts" / name).mkdir()
        (src / "posts" / name / "pic.png").write_bytes(base64.b64decode(png))
        (src / "posts" / name / "index.md").write_text(
            f"---\ntitle: {name}\ndescription: Glue outside a notebook.\n"
            "published: 2026-05-02\nauthors:\n  - name: Ada Lovelace\n---\n\n"
            f"{hero}\n\nText.\n"
        )
    return src


@pytest.fixture(scope="module")
def glued(tmp_path_factory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("nbglue")
    return build_root("test-notebook", tmp, src=glue_site(tmp))


def test_glued_output_is_the_hero(glued) -> None:  # type: ignore[no-untyped-def]
    page = read_html(glued.app, "posts/glued/index")
    hero = page.select_one("figure.article-hero")
    assert hero is not None and "article-width-screen" in hero["class"]
    assert hero.find_previous("header", class_="article-titleblock") is not None
    light, dark = hero.select("img")
    assert light["alt"] == dark["alt"] == "The loss falls"
    assert "_images/" in light["src"] and light["fetchpriority"] == "high"
    assert "only-dark" in dark["class"]
    caption = hero.select_one("figcaption.article-hero__caption")
    assert "The loss curve." in caption.get_text() and caption.select_one("em")
    assert "Plot: the authors" in caption.select_one(".article-hero__credit").get_text()
    og = page.select_one('meta[property="og:image"]')
    assert og["content"].endswith(light["src"].rsplit("/", 1)[-1])
    assert page.select_one('meta[property="og:image:alt"]')["content"] == "The loss falls"
    record = glued.app.env.get_domain("article").data["records"]["posts/glued/index"]["hero"]
    assert record["image"] == record["source"] and "jupyter_execute/" in record["image"]
    assert record["focus"] == "20% 80%" and record["dark"] == "posts/glued/dark.png"
    assert record["kind"] == "image" and record["width"] == "screen"
    card = [
        img
        for img in read_html(glued.app, "index").select(".post-card__media img")
        if "only-light" in img.get("class", [])
    ]
    assert len(card) == 1 and card[0]["src"].endswith(light["src"].rsplit("/", 1)[-1])
    assert "object-position: 20% 80%" in card[0]["style"]
    assert not [w for w in article_warnings(glued, "hero") if "posts/glued/" in w]


def test_glue_mistakes_are_located_warnings(glued) -> None:  # type: ignore[no-untyped-def]
    heroes = article_warnings(glued, "hero")

    def one(post: str) -> str:
        [found] = [w for w in heroes if f"posts/{post}/" in w]
        assert f"posts/{post}/index.ipynb:30002: WARNING: Cell 3, line 1: " in found, found
        assert read_html(glued.app, f"posts/{post}/index").select_one(".article-hero") is None
        return found

    assert "':glue: loss-curv' names no glued output; did you mean 'loss-curve'?" in one("badkey")
    assert "'accuracy' is not an image (it holds text/plain); glue a figure" in one("number")
    assert "'table' is not an image (it holds text/html, text/plain)" in one("table")
    assert "names no image; give an image file as its argument" in one("neither")
    assert any(
        "posts/plain/index.md:9:" in w and "this post is not a notebook" in w for w in heroes
    )
    assert read_html(glued.app, "posts/plain/index").select_one("figure.article-hero") is None
    [both] = [w for w in heroes if "posts/both/" in w]
    assert "index.md:9:" in both and "names both an image file 'pic.png'" in both
    shown = read_html(glued.app, "posts/both/index").select_one("figure.article-hero img")
    assert shown is not None and shown["alt"] == "Both"


def test_glued_hero_in_the_pdf(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = build_root("test-notebook", tmp_path, src=glue_site(tmp_path), builder="latex")
    tex = next(Path(result.app.outdir).glob("glued*.tex")).read_text()
    hero = tex[tex.index("\\begin{ArticleHero}") : tex.index("\\end{ArticleHero}")]
    assert "includegraphics" in hero and ".png" in hero
    assert "The \\sphinxstyleemphasis{loss} curve." in hero


def test_check_reports_the_same_glue_problems(tmp_path) -> None:  # type: ignore[no-untyped-def]
    build, check = check_as_built(glue_site(tmp_path), tmp_path)
    heroes = {key: messages for key, messages in check.items() if key[2] == "hero"}
    assert len(heroes) == 6  # badkey, number, table, neither, plain, both
    for key, messages in heroes.items():
        assert sorted(messages) == sorted(build[key]), key
    # a hero-figure with :glue: and no file is not a missing image to check
    assert not [key for key in check if key[2] in ("image", "alt")]
