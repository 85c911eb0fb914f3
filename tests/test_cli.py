"""``sphinx-article check`` and ``sphinx-article new``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sphinx_article.cli.main import main

from conftest import EXAMPLE, ROOTS, sphinx_build, warning_lines

CHECK_ROOT = ROOTS / "test-check"
PROBLEMS = "posts/problems/index.md"
EXPECTED = [  # (line, subtype, part of the message): one problem of each kind
    (6, "orcid", "fails its checksum"),
    (10, "anonymity", "'Ada Lovelace'"),
    (12, "image", "'missing.png' does not exist"),
    (16, "alt", "'small.png' has no alternative text"),
    (18, "citation", "'unknown2021' is not in posts/problems/refs.bib"),
    (20, "contrast", "#F0E442 of term 'y' reaches 1.32:1"),  # the directive's line
    (28, "image", "'big.png' is 4 KB, over the image budget of 2 KB"),
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_each_problem_with_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(CHECK_ROOT), "--review")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == len(EXPECTED), out
    for line, (number, subtype, needle) in zip(lines, EXPECTED, strict=True):
        assert line.startswith(f"{CHECK_ROOT / PROBLEMS}:{number}: {subtype}: "), line
        assert needle in line, line
    assert "2 posts checked, 7 problems." in err


def test_without_review_no_anonymity(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(CHECK_ROOT))
    assert code == 1 and "anonymity" not in out and len(out.splitlines()) == 6


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(CHECK_ROOT), "--review", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["posts"] == 2
    assert [(p["line"], p["subtype"]) for p in data["problems"]] == [(n, s) for n, s, _ in EXPECTED]
    assert set(data["problems"][0]) == {"file", "line", "subtype", "message"}


def test_example_site_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(EXAMPLE), "--review")
    assert (code, out) == (0, ""), out
    assert "no problems" in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["check"],
        ["check", "/no/such/site"],
        ["check", str(ROOTS)],
        ["check", str(CHECK_ROOT), "--format", "xml"],
        ["frobnicate"],
        ["new", "x"],
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    assert code == 2
    assert capsys.readouterr().err


def test_broken_conf_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "conf.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(tmp_path))
    assert code == 2 and "boom" in err


def test_console_script_help() -> None:
    script = Path(sys.executable).parent / "sphinx-article"
    for argv in ([], ["check"], ["new"]):
        result = subprocess.run([str(script), *argv, "--help"], capture_output=True, text=True)
        assert result.returncode == 0 and "usage: sphinx-article" in result.stdout
    assert (
        "--review"
        in subprocess.run([str(script), "check", "--help"], capture_output=True, text=True).stdout
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A minimal site: conf.py and a home page with a post index."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "conf.py").write_text(
        'extensions = ["sphinx_article"]\nhtml_theme = "sphinx_article"\n'
        'article_site_url = "https://new.example.org/"\nproject = "New"\n',
        encoding="utf-8",
    )
    (root / "index.md").write_text("# New site\n\n```{post-index}\n```\n", encoding="utf-8")
    return root


def test_new_then_build_gives_no_warning(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "new", str(site / "posts/first-post"), "--title", 'A "first" post: <b>hello</b>'
    )
    assert code == 0, err
    assert sorted(p.name for p in (site / "posts/first-post").iterdir()) == [
        "hero.png",
        "index.md",
        "refs.bib",
    ]
    assert (site / "posts/first-post/hero.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run(capsys, "check", str(site))[0] == 0
    for builder in ("html", "latex"):
        result = sphinx_build(site, tmp_path / "out", builder)
        assert result.returncode == 0, result.stderr
        assert not warning_lines(_Stream(result.stderr)), result.stderr
    page = (tmp_path / "out/html/posts/first-post/index.html").read_text(encoding="utf-8")
    assert "A &quot;first&quot; post: &lt;b&gt;hello&lt;/b&gt;" in page or (
        "A “first” post: &lt;b&gt;hello&lt;/b&gt;" in page
    )
    assert "<b>hello</b>" not in page
    # a new post is a draft: built, not listed
    assert "first-post" not in (tmp_path / "out/html/index.html").read_text(encoding="utf-8")


class _Stream:
    def __init__(self, text: str) -> None:
        self.text = text

    def getvalue(self) -> str:
        return self.text


def test_new_refuses_to_overwrite(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "new", str(site / "posts/taken"), "--title", "One")[0] == 0
    index = site / "posts/taken/index.md"
    before = index.read_bytes()
    code, _, err = run(capsys, "new", str(site / "posts/taken"), "--title", "Two")
    assert code == 1 and "already exists" in err
    assert index.read_bytes() == before


@pytest.mark.parametrize("slug", ["Bad_Slug", "-leading", "two--hyphens", "ünïcode", "a" * 81])
def test_new_rejects_bad_slugs(site: Path, slug: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "new", str(site / "posts" / slug), "--title", "T")
    assert code == 2 and "not a valid post slug" in err
    assert not (site / "posts" / slug).exists()


def test_check_is_much_faster_than_a_build(tmp_path: Path) -> None:
    """20 copies of the clean post: check takes a fraction of a build's time."""
    root = tmp_path / "many"
    shutil.copytree(CHECK_ROOT, root)
    shutil.rmtree(root / "posts/problems")
    for i in range(20):
        shutil.copytree(root / "posts/clean", root / f"posts/clean-{i:02d}")
    start = time.perf_counter()
    checked = subprocess.run(
        [sys.executable, "-m", "sphinx_article.cli", "check", str(root)],
        capture_output=True,
        text=True,
    )
    check_time = time.perf_counter() - start
    assert checked.returncode == 0, checked.stdout + checked.stderr
    start = time.perf_counter()
    built = sphinx_build(root, tmp_path / "out", "html")
    build_time = time.perf_counter() - start
    assert built.returncode == 0, built.stderr
    assert check_time < build_time / 2, (check_time, build_time)


def test_check_never_reads_a_bibliography_outside_the_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = tmp_path / "site" / "posts" / "escape"
    post.mkdir(parents=True)
    (tmp_path / "site" / "conf.py").write_text('extensions = ["sphinx_article"]\n')
    (tmp_path / "secret.bib").write_text("@misc{leaked, title = {Secret}}\n")
    (post / "index.md").write_text(
        "---\ntitle: T\ndescription: D\nauthors: [A B]\nbibliography: [../../../secret.bib]\n"
        "---\n\nText {cite:p}`leaked`.\n"
    )
    code, out, _ = run(capsys, "check", str(tmp_path / "site"))
    assert code == 1
    assert "index.md:5: citation: Bibliography '../../../secret.bib' is outside the site" in out
    assert "Citation key 'leaked' is not in the post's bibliography" in out
