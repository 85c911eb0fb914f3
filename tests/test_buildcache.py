"""The theme's compiled templates are kept between builds, and never used stale."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import EXAMPLE, sphinx_build


def test_a_changed_template_is_recompiled_not_served_from_the_cache(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE / "posts/gradient-times-input", site / "posts/gradient-times-input")
    (site / "index.md").write_text("# Home\n\n```{post-index}\n```\n")
    (site / "_templates").mkdir()
    (site / "_templates/layout.html").write_text(
        '{% extends "!layout.html" %}{% block footer %}FIRST-FOOTER{{ super() }}{% endblock %}'
    )
    (site / "conf.py").write_text(
        'extensions = ["sphinx_article"]\nhtml_theme = "sphinx_article"\n'
        'templates_path = ["_templates"]\n'
    )
    out = tmp_path / "out"
    assert sphinx_build(site, out).returncode == 0
    cache = out / "doctrees" / "jinja-bytecode"
    assert any(cache.glob("*.cache")), "compiled templates are kept"
    assert "FIRST-FOOTER" in (out / "html/index.html").read_text()
    (site / "_templates/layout.html").write_text(
        '{% extends "!layout.html" %}{% block footer %}SECOND-FOOTER{{ super() }}{% endblock %}'
    )
    assert sphinx_build(site, out).returncode == 0
    html = (out / "html/index.html").read_text()
    assert "SECOND-FOOTER" in html and "FIRST-FOOTER" not in html
