"""Sphinx citizenship: ``-j 2`` equals ``-j 1``, clean builds are byte-identical, and an
edit to one post re-reads only that post (and the pages that list posts)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, build_root, reread_docs

EXTRA_POSTS = 8  # enough documents for Sphinx to really read in parallel


def make_site(tmp: Path) -> Path:
    """The example site plus a few more posts (copies with their own slugs)."""
    site = tmp / "site"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("_build"))
    source = site / "posts" / "calibration-correction"
    for i in range(EXTRA_POSTS):
        target = site / "posts" / f"copy-{i}"
        shutil.copytree(source, target)
        text = (target / "index.md").read_text(encoding="utf-8")
        text = text.replace(
            "title: A correction on calibration curves", f"title: Calibration note number {i}"
        )
        text = text.replace("published: 2026-02-01", f"published: 2026-01-{10 + i:02d}")
        # equation and figure labels are site-wide in Sphinx: give each copy its own
        text = text.replace("(ece)", f"(ece-{i})").replace(
            "fig-reliability", f"fig-reliability-{i}"
        )
        text = text.replace("{eq}`ece`", f"{{eq}}`ece-{i}`")
        (target / "index.md").write_text(text, encoding="utf-8")
    return site


def outputs(
    outdir: Path, suffixes: tuple[str, ...] = (".html", ".xml", ".tex", ".bib")
) -> dict[str, bytes]:
    return {
        str(path.relative_to(outdir)): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.suffix in suffixes and ".doctrees" not in path.parts
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    return make_site(tmp_path_factory.mktemp("parallel"))


def test_parallel_build_equals_serial(site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    serial = build_root("serial", tmp_path / "a", src=site)
    parallel = build_root("parallel", tmp_path / "b", src=site, parallel=2)
    assert parallel.app.parallel == 2
    one, two = outputs(serial.outdir), outputs(parallel.outdir)
    assert one.keys() == two.keys()
    different = [name for name in one if one[name] != two[name]]
    assert not different, f"-j 2 output differs from -j 1 in {different}"


def test_clean_builds_are_byte_identical(site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = outputs(build_root("one", tmp_path / "a", src=site).outdir)
    second = outputs(build_root("two", tmp_path / "b", src=site).outdir)
    assert first == second
    latex_one = outputs(build_root("one", tmp_path / "c", src=site, builder="latex").outdir)
    latex_two = outputs(build_root("two", tmp_path / "d", src=site, builder="latex").outdir)
    assert latex_one == latex_two and any(name.endswith(".tex") for name in latex_one)


def test_incremental_rebuild_rereads_only_the_edited_post(site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    work = tmp_path / "inc"
    first = build_root("site", work, src=site)
    assert len(reread_docs(first)) >= 6
    post = work / "site" / "posts" / "copy-3" / "index.md"
    post.write_text(
        post.read_text(encoding="utf-8").replace(
            "The model is still over-confident", "The model is, alas, still over-confident"
        ),
        encoding="utf-8",
    )
    second = build_root("site", work, src=site)
    reread = reread_docs(second)
    assert "posts/copy-3/index" in reread
    others = set(reread) - {"posts/copy-3/index"}
    assert others <= {"index"}, f"an edit to one post re-read {sorted(others)}"
    # and the incremental result equals a clean build of the edited sources
    clean = build_root("clean", tmp_path / "clean", src=work / "site")
    incremental, fresh = outputs(second.outdir), outputs(clean.outdir)
    assert incremental.keys() == fresh.keys()
    assert [n for n in incremental if incremental[n] != fresh[n]] == []
    assert "alas" in (second.outdir / "posts" / "copy-3" / "index.html").read_text(encoding="utf-8")


def test_no_change_rebuild_reads_nothing(site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_root("site", tmp_path, src=site)
    again = build_root("site", tmp_path, src=site)
    assert reread_docs(again) == []
