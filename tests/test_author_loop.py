"""The author's loop and the organiser's pipeline: ``preview``, ``build`` one post,
``new-site`` with its CI workflows, ``check --format github`` and ``--changed-only``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from sphinx_article.cli.annotations import workflow_command
from sphinx_article.cli.main import main
from sphinx_article.cli.newsite import markdown_text

from conftest import EXAMPLE

BIN = Path(sys.executable).parent
CLI = [sys.executable, "-m", "sphinx_article.cli"]
ANNOTATION = re.compile(r"^::(error|warning) file=[^,:]+(,line=\d+)?,title=article\.[a-z-]+::\S.*$")


def git(folder: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    return subprocess.run(
        ["git", *args], cwd=folder, env=env, check=True, capture_output=True, text=True
    ).stdout


def copy_example(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("_build"))
    return site


# -- new-site and its workflows -----------------------------------------------------------


@pytest.fixture
def skeleton(tmp_path: Path) -> Path:
    site = tmp_path / "track"
    assert main(["new-site", str(site), "--venue", "Test <Track> & *2027*"]) == 0
    return site


def test_new_site_writes_a_track_that_builds_without_warnings(skeleton: Path) -> None:
    for name in (
        "conf.py",
        "index.md",
        "about.md",
        ".gitignore",
        "README.md",
        ".github/workflows/pull-request.yml",
        ".github/workflows/publish.yml",
        ".gitlab-ci.yml",
        "posts/welcome/index.md",
        "posts/welcome/refs.bib",
    ):
        assert (skeleton / name).is_file(), name
    conf: dict[str, object] = {}
    exec(compile((skeleton / "conf.py").read_text(), "conf.py", "exec"), conf)  # noqa: S102
    assert conf["article_venue"] == "Test <Track> & *2027*"  # a Python literal, not code
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            str(skeleton),
            str(skeleton / "_build/html"),
            "-W",
            "--keep-going",
            "-q",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    home = (skeleton / "_build/html/index.html").read_text()
    assert "Test &lt;Track&gt; &amp; *2027*" in home  # escaped, never markup
    assert "posts/welcome/" in home  # the first post is listed, not a draft


def test_new_site_refuses_an_existing_site(
    skeleton: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new-site", str(skeleton), "--venue", "Again"]) == 2
    assert "already holds a site" in capsys.readouterr().err


def test_markdown_text_escapes_markup() -> None:
    assert markdown_text("a *b* [c](javascript:x) `d`\n<e>") == (
        r"a \*b\* \[c\]\(javascript:x\) \`d\` \<e\>"
    )


def test_workflows_parse_and_need_no_secret(skeleton: Path) -> None:
    for name in ("pull-request.yml", "publish.yml"):
        text = (skeleton / ".github/workflows" / name).read_text()
        assert "secrets." not in text
        flow = yaml.safe_load(text)
        assert flow["jobs"] and flow["name"]
        for job in flow["jobs"].values():
            assert job["runs-on"] == "ubuntu-latest"
            for step in job["steps"]:
                assert "uses" in step or "run" in step
    pr = yaml.safe_load((skeleton / ".github/workflows/pull-request.yml").read_text())
    assert pr[True] == {"pull_request": None}  # YAML 1.1 reads the key 'on' as True
    assert pr["permissions"] == {"contents": "read"}
    assert set(pr["jobs"]) == {"check", "preview", "review"}
    publish = yaml.safe_load((skeleton / ".github/workflows/publish.yml").read_text())
    assert publish["permissions"]["pages"] == "write"
    gitlab = yaml.safe_load((skeleton / ".gitlab-ci.yml").read_text())
    assert {"check", "preview", "review", "pages"} <= set(gitlab)


def workflow_commands(skeleton: Path) -> list[str]:
    """The ``run:`` commands of the workflows that do the work (installs left out)."""
    commands = []
    for name in ("pull-request.yml", "publish.yml"):
        flow = yaml.safe_load((skeleton / ".github/workflows" / name).read_text())
        for job in flow["jobs"].values():
            for step in job["steps"]:
                run = step.get("run", "")
                if run and "install" not in run:
                    commands.append(run)
    return commands


@pytest.mark.pdf
def test_workflow_commands_run_on_the_skeleton(skeleton: Path) -> None:
    """Each command of the workflows, run as the runner would on a pull request."""
    git(skeleton, "init", "-q", "-b", "main")
    git(skeleton, "add", "-A")
    git(skeleton, "commit", "-qm", "track")
    git(skeleton, "checkout", "-qb", "submission")
    assert main(["new", str(skeleton / "posts/my-submission"), "--title", "My submission"]) == 0
    git(skeleton, "add", "-A")
    git(skeleton, "commit", "-qm", "a post")
    env = {**os.environ, "BASE_REF": "main", "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    commands = workflow_commands(skeleton)
    assert any("--format github --changed-only" in c for c in commands)
    assert any("--changed-since" in c for c in commands)
    for command in commands:
        result = subprocess.run(
            command,
            shell=True,
            cwd=skeleton,
            env=env,  # noqa: S602
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, (command, result.stdout, result.stderr)
    preview = skeleton / "_build/preview/my-submission"
    assert (preview / "html/posts/my-submission/index.html").is_file()
    assert (preview / "latex/my-submission.pdf").is_file()
    assert not (preview / "html/posts/welcome").exists()  # only the changed post
    assert (skeleton / "_build/review/html/posts/my-submission/index.html").is_file()
    assert (skeleton / "_build/html/posts/welcome/index.html").is_file()


# -- check --format github and --changed-only ---------------------------------------------


def test_workflow_command_escapes_what_could_forge_a_command() -> None:
    line = workflow_command("posts/a,b:c/index.md", 3, "alt", "100% bad\n::error::forged")
    assert line == (
        "::error file=posts/a%2Cb%3Ac/index.md,line=3,title=article.alt::"
        "100%25 bad%0A::error::forged"
    )
    assert "\n" not in line


def test_check_github_format_matches_the_workflow_command_syntax(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = copy_example(tmp_path)
    post = site / "posts/gradient-times-input/index.md"
    post.write_text(post.read_text() + "\n![](missing.png)\n\n{cite:p}`nokey2099`\n")
    os.chdir(site)
    code = main(["check", ".", "--format", "github"])
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert code == 1 and len(lines) >= 3
    for line in lines:
        assert ANNOTATION.match(line), line
    assert any(
        "file=posts/gradient-times-input/index.md,line=" in line and "title=article.image" in line
        for line in lines
    )


def test_check_changed_only_reports_only_the_changed_posts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = copy_example(tmp_path)
    for slug in ("gradient-times-input", "attention-revisited"):
        post = site / "posts" / slug / "index.md"
        post.write_text(post.read_text() + "\n![](missing.png)\n")
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "base")
    post = site / "posts/attention-revisited/index.md"
    post.write_text(post.read_text() + "\nOne more sentence.\n")
    os.chdir(site)
    assert main(["check", ".", "--changed-only", "main"]) == 1
    out, err = capsys.readouterr()
    assert "attention-revisited" in out and "gradient-times-input" not in out
    assert err.startswith("1 post checked")
    assert main(["check", ".", "--changed-only", "no-such-ref"]) == 2


# -- one post on its own ------------------------------------------------------------------


def test_build_one_post_leaves_the_others_out(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    result = subprocess.run(
        [
            *CLI,
            "build",
            str(site / "posts/gradient-times-input"),
            "--outdir",
            str(tmp_path / "one"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    html = tmp_path / "one/html"
    assert (html / "posts/gradient-times-input/index.html").is_file()
    assert sorted(p.name for p in (html / "posts").iterdir()) == ["gradient-times-input"]
    home = (html / "index.html").read_text()
    assert "posts/gradient-times-input/" in home and "attention-revisited" not in home
    assert not (site / "_build").exists() or not (site / "_build/html").exists()


def test_build_refuses_a_folder_that_is_not_a_post(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    result = subprocess.run(
        [*CLI, "build", str(site / "posts")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and "not a post of the site" in result.stderr


# -- preview --------------------------------------------------------------------------------


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    site = copy_example(tmp_path)
    process = subprocess.Popen(
        [*CLI, "preview", str(site), "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    url = ""
    deadline = time.monotonic() + 180
    assert process.stderr is not None
    while time.monotonic() < deadline and not url:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            break
        match = re.search(r"serving (http://\S+)", line)
        url = match.group(1) if match else ""
    try:
        assert url, "preview did not start"
        yield site, url
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (localhost)
        return response.read().decode()


def wait_for(url: str, needle: str, timeout: float = 60) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if needle in fetch(url):
            return time.monotonic() - start
        time.sleep(0.05)
    raise AssertionError(f"{needle!r} never appeared in {url}")


def test_preview_serves_rebuilds_on_save_and_reports_warnings(preview: tuple[Path, str]) -> None:
    site, url = preview
    page = url + "posts/gradient-times-input/"
    html = fetch(page)
    assert '<script src="/__preview__/live.js" data-version="1" defer></script>' in html
    assert (
        "live.js"
        not in (site / "_build/preview/html/posts/gradient-times-input/index.html").read_text()
    )
    assert "location.reload" in fetch(url + "__preview__/live.js")
    post = site / "posts/gradient-times-input/index.md"
    post.write_text(post.read_text().replace("Saliency", "Saliencyfresh", 1))
    wait_for(page, "Saliencyfresh")
    status = json.loads(fetch(url + "__preview__/wait?since=1"))
    assert status["version"] >= 2 and status["error"] == ""
    post.write_text(post.read_text() + "\n{cite:p}`nosuchkey2099`\n")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = json.loads(fetch(url + "__preview__/status"))
        if any("nosuchkey2099" in w for w in status["warnings"]):
            break
        time.sleep(0.1)
    assert any("nosuchkey2099" in w and "index.md:" in w for w in status["warnings"])


def test_preview_serves_nothing_outside_the_output(preview: tuple[Path, str]) -> None:
    _, url = preview
    for path in ("../conf.py", "..%2F..%2Fconf.py", "%2e%2e/%2e%2e/conf.py"):
        with pytest.raises(urllib.error.HTTPError) as info:
            fetch(url + path)
        assert info.value.code == 404


def test_warm_rebuild_reads_only_the_edited_post(tmp_path: Path) -> None:
    """A post edited in an earlier rebuild is not read again by the next one (it once
    depended on the other posts' virtual bib files, which never exist, so every post ever
    edited was re-read on every save and the preview slowed down as the author worked)."""
    from sphinx_article.cli.preview import WarmSite

    site = copy_example(tmp_path)
    warm = WarmSite(site, site / "_build" / "preview")
    try:
        assert not warm.rebuild(fresh=True).error
        read: list[list[str]] = []
        warm.app.connect("env-before-read-docs", lambda app, env, docs: read.append(sorted(docs)))
        posts = sorted(site.glob("posts/*/index.md"))[:3]
        for n, post in enumerate(posts):
            post.write_text(post.read_text(encoding="utf-8") + f"\n\nEdit {n}.\n", encoding="utf-8")
            assert not warm.rebuild().error
        edited = [f"posts/{post.parent.name}/index" for post in posts]
        for docs, docname in zip(read, edited, strict=False):
            assert docname in docs
            assert not set(docs) & (set(edited) - {docname}), docs
    finally:
        warm.close()
