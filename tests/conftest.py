"""Shared fixtures: Sphinx test roots, HTML parsing, the built example site served on
localhost, and a headless Chromium (Debian's, driven by Playwright).

Browser tests fail (never skip) when Chromium is missing, unless
``SPHINX_ARTICLE_SKIP_BROWSER=1`` is set: CI installs it, so a skip would hide a break.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

pytest_plugins = ("sphinx.testing.fixtures",)

TESTS = Path(__file__).parent
REPO = TESTS.parent
ROOTS = TESTS / "roots"
ARTIFACTS = TESTS / "artifacts"
EXAMPLE = REPO / "example_site"
CHROMIUM = os.environ.get("SPHINX_ARTICLE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_PATHS = [
    REPO / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js",
    Path("/usr/share/javascript/axe-core/axe.min.js"),
]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


class Built:
    """A finished build of one test root: the app, its warnings, its output folder."""

    def __init__(self, app, warnings: str, status: str = "") -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.status = status
        self.env = app.env
        self.outdir = Path(app.outdir)
        self.srcdir = Path(app.srcdir)
        self.warnings = warnings

    def getvalue(self) -> str:  # lets a Built stand where a warning stream is expected
        return self.warnings


def build_root(
    root: str,
    tmp_path: Path,
    builder: str = "html",
    confoverrides: dict | None = None,
    parallel: int = 0,
    src: Path | None = None,
) -> Built:
    """Copy ``tests/roots/<root>`` (or ``src``) to ``tmp_path`` and build it there."""
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path / (src.name if src else root)
    if not srcdir.exists():
        shutil.copytree(
            src or ROOTS / root, srcdir, symlinks=True, ignore=shutil.ignore_patterns("_build")
        )
    status, warnings = StringIO(), StringIO()
    app = SphinxTestApp(
        builder,
        srcdir=srcdir,
        builddir=srcdir / "_build",
        confoverrides=confoverrides or {},
        status=status,
        warning=warnings,
        parallel=parallel,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return Built(app, warnings.getvalue(), status.getvalue())


def reread_docs(built: Built) -> list[str]:
    """Docnames a build read (from its status output)."""
    import re

    text = re.sub(r"\x1b\[[0-9;]*m", "", built.status)
    return sorted(set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", text)))


def read_html(app, docname: str) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    """Parse one built page of a sphinx.testing app."""
    path = Path(app.outdir) / f"{docname}.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def warning_lines(warning) -> list[str]:  # type: ignore[no-untyped-def]
    """The WARNING/ERROR lines a build printed (colour codes removed)."""
    import re

    text = re.sub(r"\x1b\[[0-9;]*m", "", warning.getvalue())
    return [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]


def article_warnings(warning, subtype: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [line for line in warning_lines(warning) if f"[article.{subtype}]" in line]


def sphinx_build(
    source: Path, out: Path, builder: str = "html", *extra: str
) -> subprocess.CompletedProcess[str]:
    """Run sphinx-build in a subprocess (a clean interpreter, like a user's shell)."""
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", builder, str(source), str(out), "-q", *extra],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def example_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once per session (HTML)."""
    out = tmp_path_factory.mktemp("example")
    result = sphinx_build(EXAMPLE, out, "html", "-W", "--keep-going")
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "html"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(example_html: Path) -> Iterator[str]:
    """Base URL of the example site served on localhost."""
    yield from serve(example_html)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if os.environ.get("SPHINX_ARTICLE_SKIP_BROWSER") == "1":
        pytest.skip("SPHINX_ARTICLE_SKIP_BROWSER=1")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (see README)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh 1400x900 page that fails the test on any request to another host."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    foreign: list[str] = []

    def check(request) -> None:  # type: ignore[no-untyped-def]
        host = urlparse(request.url).hostname
        if request.url.startswith(("http:", "https:")) and host not in ("127.0.0.1", "localhost"):
            foreign.append(request.url)

    tab.on("request", check)
    yield tab
    context.close()
    assert not foreign, f"requests to third-party hosts: {foreign}"


def screenshot(tab, name: str, full_page: bool = True) -> Path:  # type: ignore[no-untyped-def]
    """Save a screenshot under tests/artifacts/ (kept by CI)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=full_page)
    return path


def axe_source() -> str:
    for path in AXE_PATHS:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.fail("axe-core not found: run 'scripts/setup.sh --test' (it installs axe-core from npm)")


def run_axe(tab) -> list[dict]:  # type: ignore[no-untyped-def]
    """Inject axe-core from disk (no CDN) and return its violations."""
    tab.add_script_tag(content=axe_source())
    result = tab.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return result


def need_latex() -> None:
    if shutil.which("latexmk") is None or shutil.which("pdftotext") is None:
        pytest.fail("latexmk/pdftotext not found: install TeX Live and poppler-utils (see README)")


# -- fuzzing (tests/test_fuzz.py) ---------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sphinx-article fuzzing")
    group.addoption(
        "--fuzz-count",
        type=int,
        default=150,
        help="number of mutants the fuzz test builds (default: 150)",
    )
    group.addoption(
        "--fuzz-seed",
        type=int,
        default=20250101,
        help="seed of the fuzz test's mutations (default: fixed)",
    )


@pytest.fixture(scope="session")
def fuzz_count(request: pytest.FixtureRequest) -> int:
    return int(request.config.getoption("--fuzz-count"))


@pytest.fixture(scope="session")
def fuzz_seed(request: pytest.FixtureRequest) -> int:
    return int(request.config.getoption("--fuzz-seed"))


# -- the real corpus (tests/test_corpus.py, tests/test_check_parity.py) -------------------

CORPUS = Path(
    os.environ.get("SPHINX_ARTICLE_CORPUS")
    or Path(__file__).resolve().parents[2] / "shared/corpus/iclr-2025"
)


class CorpusBuild:
    """The corpus copied to a temporary folder and built there (HTML, --keep-going)."""

    def __init__(self, source: Path, html: Path, code: int, log: str) -> None:
        self.source, self.html, self.code, self.log = source, html, code, log

    def warnings(self) -> list[str]:
        import re

        return [
            line for line in self.log.split("\n") if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)
        ]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusBuild:
    """The ICLR 2025 corpus, unmodified, built once per session (skipped when absent).

    Tests using it are marked ``xdist_group("corpus")`` so ``-n 2 --dist loadgroup``
    builds it once.  ``SPHINX_ARTICLE_CORPUS`` points at another copy.
    """
    import re

    if not (CORPUS / "conf.py").is_file():
        pytest.skip(f"corpus not present at {CORPUS}")
    work = tmp_path_factory.mktemp("corpus")
    source = work / "iclr-2025"
    shutil.copytree(CORPUS, source, symlinks=True, ignore=shutil.ignore_patterns("_build"))
    result = sphinx_build(source, work / "out", "html", "--keep-going")
    log = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    return CorpusBuild(source, work / "out" / "html", result.returncode, log)
