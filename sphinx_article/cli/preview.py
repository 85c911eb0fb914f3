"""``sphinx-article preview SITE [POST]``: serve the site, rebuild on save, reload the page.

Why not ``sphinx-build`` in a loop (or sphinx-autobuild, which runs one): every run
pays for process start, imports and unpickling the environment (about 1.3 s on a
100-post track) before it reads the one file that changed.  Here one Sphinx
application stays warm in the process; a save re-reads only what the edit affects, and
the environment is pickled once, when the preview stops, instead of after every edit.

* :class:`WarmSite` owns the application; :meth:`WarmSite.rebuild` returns what the
  page banner and the terminal show (warnings, an error, seconds).
* :func:`changed_files` is the watcher: a cheap poll of modification times (no
  dependency, works on every file system, including mounted ones where inotify is
  silent).
* :class:`PreviewServer` serves the output on localhost and injects one script
  (``theme/preview/live.js``) into HTML responses only: the built files stay exactly
  what ``sphinx-build`` writes.  The script long-polls ``/__preview__/wait`` and
  reloads the page (keeping the scroll position) when a rebuild has finished, and
  shows the rebuild's warnings in a banner.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import pickle
import sys
import threading
import time
import webbrowser
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, unquote, urlsplit

from ..assets import theme_dir
from .onepost import PostInSite, site_exclude_patterns

PREFIX = "/__preview__/"
WAIT_SECONDS = 20.0
POLL_SECONDS = 0.05
IGNORED_DIRS = frozenset({"_build", "__pycache__", "node_modules", ".git", ".venv"})


@dataclass
class BuildResult:
    """One rebuild, as the banner and the terminal report it."""

    version: int
    seconds: float
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "seconds": round(self.seconds, 3),
            "warnings": self.warnings,
            "error": self.error,
        }


class TeeLog(io.TextIOBase):
    """Sphinx's warning stream: printed to the terminal and kept for the page banner."""

    def __init__(self, terminal: Any) -> None:
        self.terminal = terminal
        self.lines: list[str] = []
        self._partial = ""

    def write(self, text: str) -> int:
        self.terminal.write(text)
        self._partial += text
        *done, self._partial = self._partial.split("\n")
        self.lines.extend(line for line in done if line.strip())
        return len(text)

    def flush(self) -> None:
        self.terminal.flush()

    def take(self) -> list[str]:
        lines, self.lines = self.lines, []
        return lines


@contextlib.contextmanager
def env_pickled_at_exit() -> Iterator[None]:
    """Skip Sphinx's pickling of the whole environment after each rebuild.

    The preview keeps the environment in memory, so the pickle is only needed for the
    next start; :meth:`WarmSite.close` writes it once.  This reaches into
    ``sphinx.builders`` (its module-level ``pickle``); when that name is not there (a
    future Sphinx), nothing is changed and rebuilds are merely slower.
    """
    # Sphinx loads only when a build runs: the CLI's other commands start without it
    import sphinx.builders as builders_module
    from sphinx.environment import BuildEnvironment

    real = getattr(builders_module, "pickle", None)
    if real is not pickle:
        yield
        return

    class EnvSkippingPickle:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        @staticmethod
        def dump(obj: Any, file: Any, *args: Any, **kwargs: Any) -> None:
            if not isinstance(obj, BuildEnvironment):
                pickle.dump(obj, file, *args, **kwargs)

    builders_module.pickle = EnvSkippingPickle()  # type: ignore[assignment]
    try:
        yield
    finally:
        builders_module.pickle = real


class WarmSite:
    """A Sphinx application kept in memory between rebuilds of one site."""

    def __init__(self, site: Path, outdir: Path, post: PostInSite | None = None) -> None:
        self.site = site.resolve()
        self.outdir = outdir.resolve()
        self.post = post
        self.log = TeeLog(sys.stderr)
        self.app: Any = None
        self.version = 0
        self.last = BuildResult(version=0, seconds=0.0)
        self.lock = threading.Lock()
        # Sphinx registers directives and roles in docutils' global tables for the life of
        # its application: the application and that registration live and die together.
        self.namespace = contextlib.ExitStack()

    @property
    def html_dir(self) -> Path:
        return self.outdir / "html"

    def _new_app(self) -> Any:
        # Sphinx loads only when a build runs: the CLI's other commands start without it
        from sphinx.application import Sphinx
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        self.namespace.close()
        self.namespace = contextlib.ExitStack()
        self.namespace.enter_context(patch_docutils(self.site))
        self.namespace.enter_context(docutils_namespace())
        overrides: dict[str, Any] = {}
        if self.post is not None:
            overrides["exclude_patterns"] = self.post.exclude_patterns(
                site_exclude_patterns(self.site)
            )
        return Sphinx(
            str(self.site),
            str(self.site),
            str(self.html_dir),
            str(self.outdir / "doctrees"),
            "html",
            confoverrides=overrides,
            status=None,
            warning=cast(Any, self.log),
            freshenv=False,
            keep_going=True,
        )

    def rebuild(self, fresh: bool = False) -> BuildResult:
        """Re-read what changed and write it; a new application when ``fresh``."""
        with self.lock:
            start = time.perf_counter()
            error = ""
            try:
                with env_pickled_at_exit():
                    if fresh or self.app is None:
                        self.app = self._new_app()
                    self.app.build()
            except Exception as exc:  # shown in the banner; the next save starts afresh
                error = f"{type(exc).__name__}: {exc}"
                print(f"preview: the build failed: {error}", file=sys.stderr)
                self.app = None
            self.version += 1
            self.last = BuildResult(
                self.version, time.perf_counter() - start, self.log.take(), error
            )
            return self.last

    def close(self) -> None:
        """Write the environment pickle once, so the next start is incremental."""
        # Sphinx loads only when a build runs: the CLI's other commands start without it
        from sphinx.application import ENV_PICKLE_FILENAME

        with self.lock:
            if self.app is not None:
                with contextlib.suppress(OSError, pickle.PicklingError):
                    path = Path(self.app.doctreedir) / ENV_PICKLE_FILENAME
                    with path.open("wb") as handle:
                        pickle.dump(self.app.env, handle, pickle.HIGHEST_PROTOCOL)
            self.namespace.close()


# -- watching --------------------------------------------------------------------------


def snapshot(root: Path, skip: Path) -> dict[str, float]:
    """path -> mtime of every source-side file below ``root`` (output folders skipped)."""
    found: dict[str, float] = {}
    stack = [str(root)]
    skip_str = str(skip)
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name in IGNORED_DIRS:
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.path != skip_str:
                        stack.append(entry.path)
                elif entry.is_file():
                    found[entry.path] = entry.stat().st_mtime
            except OSError:
                continue
    return found


def changed_files(before: dict[str, float], after: dict[str, float]) -> set[str]:
    """Files added, removed or modified between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def watch(site: WarmSite, on_built: Any, stop: threading.Event) -> None:
    """Poll the site; after a save (once the files are still), rebuild and notify."""
    state = snapshot(site.site, site.outdir)
    while not stop.wait(POLL_SECONDS):
        now = snapshot(site.site, site.outdir)
        changed = changed_files(state, now)
        if not changed:
            continue
        while True:  # an editor may write in several steps: wait until it is done
            time.sleep(POLL_SECONDS / 2)
            later = snapshot(site.site, site.outdir)
            if later == now:
                break
            now = later
        state = now
        fresh = any(Path(path).name == "conf.py" for path in changed)
        names = ", ".join(sorted(os.path.relpath(p, site.site) for p in changed)[:3])
        print(f"preview: {names} changed; rebuilding", file=sys.stderr)
        result = site.rebuild(fresh=fresh)
        print(
            f"preview: rebuilt in {result.seconds:.2f} s"
            + (f", {len(result.warnings)} warning(s)" if result.warnings else ""),
            file=sys.stderr,
        )
        on_built(result)


# -- serving ---------------------------------------------------------------------------


def live_script() -> bytes:
    return (theme_dir() / "preview" / "live.js").read_bytes()


def inject(html: bytes, version: int) -> bytes:
    """Add the live-reload script before ``</body>`` (or at the end)."""
    tag = f'<script src="{PREFIX}live.js" data-version="{version}" defer></script>'.encode()
    at = html.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


class PreviewServer(ThreadingHTTPServer):
    """Serves the built HTML with live reload; answers long polls after each rebuild."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: WarmSite) -> None:
        self.site = site
        self.changed = threading.Condition()
        super().__init__(address, PreviewHandler)

    def notify(self, result: BuildResult) -> None:
        with self.changed:
            self.changed.notify_all()

    def wait_for(self, since: int, timeout: float = WAIT_SECONDS) -> BuildResult:
        with self.changed:
            self.changed.wait_for(lambda: self.site.last.version != since, timeout)
        return self.site.last

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]
        return f"http://{host if host not in ('', '0.0.0.0') else '127.0.0.1'}:{port}/"


class PreviewHandler(SimpleHTTPRequestHandler):
    server: PreviewServer

    def translate_path(self, path: str) -> str:
        root = self.server.site.html_dir
        relative = unquote(urlsplit(path).path).lstrip("/")
        target = (root / relative).resolve()
        if target != root and root not in target.parents:  # never outside the output
            return str(root / "__outside__")
        return str(target)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib name)
        pass  # the terminal is for the build's messages

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        parts = urlsplit(self.path)
        if parts.path.startswith(PREFIX):
            self.preview_endpoint(parts.path[len(PREFIX) :], parse_qs(parts.query))
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not parts.path.endswith("/"):
                super().do_GET()  # the stdlib's redirect to the slash form
                return
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = inject(path.read_bytes(), self.server.site.last.version)
            self.reply(HTTPStatus.OK, "text/html; charset=utf-8", body)
            return
        super().do_GET()

    def preview_endpoint(self, name: str, query: dict[str, list[str]]) -> None:
        if name == "live.js":
            self.reply(HTTPStatus.OK, "text/javascript; charset=utf-8", live_script())
        elif name in ("status", "wait"):
            result = self.server.site.last
            if name == "wait":
                try:
                    since = int(query.get("since", ["-1"])[0])
                except ValueError:
                    since = -1
                result = self.server.wait_for(since)
            body = json.dumps(result.as_json()).encode()
            self.reply(HTTPStatus.OK, "application/json", body)
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def reply(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


def serve(
    site: WarmSite,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    ready: Any = None,
) -> int:
    """Build once, then serve and rebuild on every save until interrupted."""
    print(f"preview: building {site.site} ...", file=sys.stderr)
    first = site.rebuild(fresh=True)
    print(f"preview: built in {first.seconds:.1f} s", file=sys.stderr)
    server = PreviewServer((host, port), site)
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(site, server.notify, stop), daemon=True)
    watcher.start()
    start_page = server.url
    if site.post is not None:
        start_page += (
            site.post.docname.rsplit("/", 1)[0] + "/"
            if site.post.docname.endswith("/index")
            else site.post.docname + ".html"
        )
    print(f"preview: serving {start_page}  (Ctrl+C to stop)", file=sys.stderr, flush=True)
    if ready is not None:
        ready(server)
    if open_browser:
        webbrowser.open(start_page)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("\npreview: stopping", file=sys.stderr)
    finally:
        stop.set()
        server.server_close()
        site.close()
    return 0
