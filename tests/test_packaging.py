"""The wheel: it ships the theme and LaTeX style, and a non-editable install of it builds
the example site with the theme (found through the ``sphinx.html_themes`` entry point)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE, REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return next(out.glob("sphinx_article-*.whl"))


def test_wheel_ships_theme_and_style(wheel) -> None:  # type: ignore[no-untyped-def]
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "sphinx_article/__init__.py",
        "sphinx_article/theme/html/theme.toml",
        "sphinx_article/theme/html/layout.html",
        "sphinx_article/theme/html/static/article-theme.css",
        "sphinx_article/theme/components/base.css",
        "sphinx_article/theme/latex/sphinxarticle.sty",
        "sphinx_article/theme/vendor/vega/vega.min.js",  # notebook posts: Altair charts
        "sphinx_article/theme/html/partials/article/titleblock.html",  # the page's templates
        "sphinx_article/theme/html/partials/article/post-card.html",
        *(
            f"sphinx_article/locale/{lang}/LC_MESSAGES/sphinx_article.{ext}"
            for lang in ("fr", "de")
            for ext in ("po", "mo")
        ),  # translated labels
    ):
        assert required in names, required
    assert not [n for n in names if "_build" in n or n.endswith(".pyc")]
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "sphinx_article = sphinx_article.html_theme" in text
    assert "sphinx-article = sphinx_article.cli.main:main" in text


def test_installed_wheel_builds_the_example_site(wheel, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "site-packages"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sphinx_article, sphinx_article.assets as a; "
            "print(sphinx_article.__file__); print(a.theme_dir())",
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    ).stdout.split()
    assert probe[0].startswith(str(target)) and probe[1].startswith(str(target))
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(EXAMPLE), str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    page = (out / "posts" / "gradient-times-input" / "index.html").read_text(encoding="utf-8")
    assert "article-titleblock" in page and "article-theme.css" in page
