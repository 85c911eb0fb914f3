"""Time sphinx-article against plain Sphinx + myst-parser + sphinxcontrib-bibtex.

Builds the same generated content (``generate.py``) in both dialects and prints one
table: full builds (``-j 1`` and ``-j 2``), an incremental rebuild after editing one
post, a no-change rebuild, the page weight of a post page loaded in headless Chromium,
and one post's PDF. Each timing is the minimum of ``--repeat`` runs (default 2).
Results also go to ``benchmarks/_work/results.json``. See ``benchmarks/README.md``.

    python benchmarks/run.py                 # 20 and 100 posts, everything
    python benchmarks/run.py --quick         # 20 posts, no PDF
    python benchmarks/run.py --posts 50 --repeat 3 --jobs 1
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import http.server
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

SA, PLAIN = generate.DIALECTS
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

#: name -> (limit, unit, description) -- from the benchmark issue; SPEC "Quality bars".
TARGETS = {
    "full_ratio": (0.75, "x", "full build <= 0.75x plain (SPEC bar: <= 1.15x)"),
    "full_ratio_spec": (1.15, "x", "SPEC quality bar: full build <= 1.15x plain"),
    "incremental": (2.0, "s", "incremental rebuild after editing one post <= 2 s"),
    "nochange": (1.0, "s", "no-change rebuild <= 1 s"),
    "css_js_gzip": (60 * 1024, "B", "CSS + JS of a post page <= 60 KB compressed"),
    "third_party": (0, "", "zero third-party requests"),
    "pdf_ratio": (1.3, "x", "one post's PDF <= 1.3x plain"),
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- building


#: Runs sphinx-build in the child and reports the time spent inside ``main()``, i.e.
#: without interpreter start-up and ``import sphinx.cmd.build``.
TIMED = """
import sys, time
t0 = time.perf_counter()
from sphinx.cmd.build import main
t1 = time.perf_counter()
try:
    rc = main(sys.argv[1:])
finally:
    sys.stderr.write("\\n@@bench startup=%.4f inner=%.4f\\n" % (t1 - t0, time.perf_counter() - t1))
sys.exit(rc)
"""


@dataclass
class Build:
    seconds: float
    rc: int
    inner: float | None = None
    cpu: float | None = None  # user + sys CPU of the child and its children (LaTeX too)
    reads: int = 0
    writes: int = 0
    warnings: list[str] = field(default_factory=list)
    tail: str = ""


def run_sphinx(
    src: Path,
    builder: str = "html",
    jobs: int = 1,
    make_mode: bool = False,
    retries: int = 3,
    fresh: bool = False,
) -> Build:
    """:func:`sphinx_build`, retried after a pause when it fails.

    The package is edited while benchmarks run; a build that fails (for instance on a
    half-saved module) is retried up to ``retries`` times, 20 s apart. A ``fresh``
    build starts from an empty ``_build`` each time.
    """
    for attempt in range(retries + 1):
        if fresh:
            clean(src)
        build = sphinx_build(src, builder, jobs, make_mode)
        if build.rc == 0 or attempt == retries:
            return build
        log(f"build of {src.name} failed (rc={build.rc}), retrying in 20 s:\n{build.tail[-1200:]}")
        time.sleep(20)
    return build


def sphinx_build(src: Path, builder: str = "html", jobs: int = 1, make_mode: bool = False) -> Build:
    """One ``sphinx-build`` in a subprocess, wall-clock timed (interpreter start included)."""
    out = src / "_build"
    if make_mode:
        cmd = [sys.executable, "-c", TIMED, "-M", builder, str(src), str(out), "-j", str(jobs)]
    else:
        cmd = [
            sys.executable,
            "-c",
            TIMED,
            "-b",
            builder,
            "-j",
            str(jobs),
            "-d",
            str(out / "doctrees"),
            str(src),
            str(out / builder),
        ]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "LC_ALL": "C.UTF-8"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stdout, stderr = proc.stdout, proc.stderr
    reads = len(re.findall(r"^reading sources\.\.\. \[", stdout, re.M))
    if jobs > 1:  # parallel reads print "[ 50%] a .. b" chunks; use the summary line
        match = re.search(r"updating environment: .*?(\d+) added, (\d+) changed", stdout)
        reads = int(match[1]) + int(match[2]) if match else reads
    writes = len(re.findall(r"^writing output\.\.\. \[", stdout, re.M))
    warnings = [line for line in stderr.splitlines() if "WARNING:" in line or "ERROR:" in line]
    timed = re.search(r"^@@bench startup=([\d.]+) inner=([\d.]+)$", stderr, re.M)
    return Build(
        seconds,
        proc.returncode,
        float(timed[2]) if timed else None,
        cpu,
        reads,
        writes,
        warnings,
        "" if proc.returncode == 0 else stdout[-1500:] + "\n--- stderr ---\n" + stderr[-3000:],
    )


def compile_bytecode() -> None:
    """Write the bytecode of sphinx-article (and anything else importable that lacks it)
    before timing anything.  A package installed by pip has it; a checkout run with
    ``PYTHONDONTWRITEBYTECODE`` (as here: builds must not litter the tree) never does, and
    every build would then compile the extension's ~70 modules again, about 0.3 s of a
    no-change rebuild that no author pays."""
    import importlib.util

    spec = importlib.util.find_spec("sphinx_article")
    if spec is None or not spec.submodule_search_locations:
        return
    for folder in spec.submodule_search_locations:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", folder],
            check=False,
            stdout=subprocess.DEVNULL,
        )


def clean(src: Path) -> None:
    shutil.rmtree(src / "_build", ignore_errors=True)


def warning_kinds(warnings: list[str]) -> dict[str, int]:
    """Count warnings by their ``[type.subtype]`` (or message, locations stripped)."""
    kinds: Counter[str] = Counter()
    for line in warnings:
        match = re.search(r"\[([\w.-]+)\]\s*$", line)
        if match:
            kinds[match[1]] += 1
        else:
            kinds[re.sub(r"^.*?(WARNING|ERROR): ", "", line)[:80]] += 1
    return dict(kinds.most_common())


def edit_post(src: Path, slug: str, revision: int) -> None:
    """Change one sentence of a post (which also updates its mtime)."""
    path = src / "posts" / slug / "index.md"
    text = path.read_text(encoding="utf-8")
    pattern = re.escape(generate.EDIT_SENTENCE[:-1]) + r"(?: \(revision \d+\))?\."
    new, count = re.subn(pattern, generate.EDIT_SENTENCE[:-1] + f" (revision {revision}).", text)
    assert count == 1, f"edit sentence not found in {path}"
    path.write_text(new, encoding="utf-8")


# --------------------------------------------------------------------------- page weight


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def page_weight(html_dir: Path, page: str) -> dict:
    """Load ``page`` in headless Chromium from a local server; sum what it fetched."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html_dir))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page}"
    third_party: list[str] = []
    finished = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            try:
                tab = browser.new_page(viewport={"width": 1280, "height": 900})

                def route(route):  # block and record anything not served by us
                    parts = urlsplit(route.request.url)
                    if parts.scheme in ("http", "https") and parts.hostname not in LOCAL_HOSTS:
                        third_party.append(route.request.url)
                        route.abort()
                    else:
                        route.continue_()

                tab.route("**/*", route)
                tab.on("requestfinished", lambda request: finished.append(request))
                document = tab.goto(url, wait_until="load")
                if document is None or document.status != 200:
                    raise RuntimeError(f"{url}: HTTP {document and document.status}")
                tab.evaluate("document.fonts.ready.then(() => true)")
                tab.wait_for_load_state("networkidle")
                kinds: dict[str, dict] = {}
                requests = []
                for request in finished:
                    response = request.response()
                    body = response.body() if response else b""
                    kind = request.resource_type
                    entry = kinds.setdefault(kind, {"requests": 0, "bytes": 0, "gzip": 0})
                    entry["requests"] += 1
                    entry["bytes"] += len(body)
                    entry["gzip"] += len(gzip.compress(body, compresslevel=6, mtime=0))
                    requests.append(
                        {
                            "url": request.url.replace(url.rsplit("/", 1)[0], "."),
                            "type": kind,
                            "status": response.status if response else None,
                            "bytes": len(body),
                        }
                    )
            finally:
                browser.close()
    finally:
        server.shutdown()
    empty = {"requests": 0, "bytes": 0, "gzip": 0}
    css, js, fonts = (kinds.get(k, empty) for k in ("stylesheet", "script", "font"))
    return {
        "page": page,
        "by_type": kinds,
        "css_js_bytes": css["bytes"] + js["bytes"],
        "css_js_gzip": css["gzip"] + js["gzip"],
        "font_bytes": fonts["bytes"],
        "requests": len(finished) + len(third_party),
        "third_party": sorted(set(third_party)),
        "list": requests,
    }


# --------------------------------------------------------------------------- table


def fmt_s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def fmt_kb(value: float | None) -> str:
    return "-" if value is None else f"{value / 1024:.1f} KB"


def cpu_note(cpu: float | None) -> str:
    return "" if cpu is None else f" (cpu {cpu:.1f})"


def fmt_ratio(ratio: float | None, cpu_ratio: float | None = None) -> str:
    if ratio is None:
        return "-"
    return f"{ratio:.2f}x" + ("" if cpu_ratio is None else f" (cpu {cpu_ratio:.2f}x)")


def status(value: float | None, limit: float) -> str:
    if value is None:
        return "n/a"
    return "met" if value <= limit else "MISSED"


def best(builds: list[Build]) -> Build | None:
    ok = [b for b in builds if b.rc == 0]
    return min(ok, key=lambda b: b.seconds) if ok else None


def render_table(rows: list[tuple[str, str, str, str, str, str]]) -> str:
    header = ("Measurement", "sphinx-article", "plain", "ratio", "target", "status")
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = []
    for index, row in enumerate(table):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--posts", default="20,100", help="comma-separated site sizes (default 20,100)"
    )
    parser.add_argument("--quick", action="store_true", help="20 posts only, no PDF")
    parser.add_argument("--jobs", default="1,2", help="comma-separated -j values (default 1,2)")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs per measurement; the minimum counts"
    )
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF measurement")
    parser.add_argument("--no-weight", action="store_true", help="skip the page-weight measurement")
    parser.add_argument("--work", type=Path, default=HERE / "_work", help="work directory")
    args = parser.parse_args()
    compile_bytecode()
    sizes = [20] if args.quick else sorted({int(n) for n in args.posts.split(",")})
    jobs = sorted({int(j) for j in args.jobs.split(",")})
    do_pdf = not (args.quick or args.no_pdf)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    repeat = max(1, args.repeat)

    meta = {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
        "sizes": sizes,
        "jobs": jobs,
        "repeat": repeat,
        "commit": subprocess.run(
            ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip(),
    }
    try:
        import sphinx

        meta["sphinx"] = sphinx.__version__
    except ImportError:  # pragma: no cover
        pass
    results: dict = {"meta": meta, "full": [], "warnings": {}}
    rows: list[tuple[str, str, str, str, str, str]] = []
    notes: list[str] = []
    results["table"], results["notes"] = rows, notes

    def save() -> None:  # after every phase, so an interrupted run keeps what it measured
        (work / "results.json").write_text(
            json.dumps(results, indent=2, default=str), encoding="utf-8"
        )

    def src_for(dialect: str, n: int) -> Path:
        return work / "sites" / f"{dialect}-{n}"

    # ---- full builds
    for n in sizes:
        for dialect in (SA, PLAIN):
            generate.generate(src_for(dialect, n), n, dialect)
        samples: dict[tuple[int, str], list[Build]] = {}
        # -j 1 last, so each site is left with a -j 1 build for the incremental runs
        for j in sorted(jobs, reverse=True):
            for r in range(repeat):
                for dialect in (SA, PLAIN):
                    build = run_sphinx(src_for(dialect, n), jobs=j, fresh=True)
                    samples.setdefault((j, dialect), []).append(build)
                    log(
                        f"full {dialect:14s} n={n:<4d} -j {j} run {r + 1}: {build.seconds:6.2f} s "
                        f"rc={build.rc} reads={build.reads} warnings={len(build.warnings)}"
                    )
                    if build.rc:
                        log(build.tail)
        for j in jobs:
            sa, plain = best(samples[(j, SA)]), best(samples[(j, PLAIN)])
            ratio = sa.seconds / plain.seconds if sa and plain else None
            cpu_sa = min((b.cpu for b in samples[(j, SA)] if b.rc == 0), default=None)
            cpu_plain = min((b.cpu for b in samples[(j, PLAIN)] if b.rc == 0), default=None)
            cpu_ratio = cpu_sa / cpu_plain if cpu_sa and cpu_plain else None
            results["full"].append(
                {
                    "sphinx_article_cpu": [b.cpu for b in samples[(j, SA)]],
                    "plain_cpu": [b.cpu for b in samples[(j, PLAIN)]],
                    "cpu_ratio": cpu_ratio,
                    "posts": n,
                    "jobs": j,
                    "sphinx_article": [b.seconds for b in samples[(j, SA)]],
                    "plain": [b.seconds for b in samples[(j, PLAIN)]],
                    "sphinx_article_inner": [b.inner for b in samples[(j, SA)]],
                    "plain_inner": [b.inner for b in samples[(j, PLAIN)]],
                    "sphinx_article_min": sa.seconds if sa else None,
                    "plain_min": plain.seconds if plain else None,
                    "ratio": ratio,
                    "failed": [d for d in (SA, PLAIN) if best(samples[(j, d)]) is None],
                }
            )
            spec = "" if ratio is None else f" (spec <=1.15x: {status(ratio, 1.15)})"
            rows.append(
                (
                    f"Full build, {n} posts, -j {j}",
                    fmt_s(sa and sa.seconds) + cpu_note(cpu_sa),
                    fmt_s(plain and plain.seconds) + cpu_note(cpu_plain),
                    fmt_ratio(ratio, cpu_ratio),
                    "<= 0.75x plain",
                    status(ratio, 0.75) + spec,
                )
            )
        for dialect in (SA, PLAIN):
            last = samples[(jobs[0], dialect)][-1]
            results["warnings"][f"{dialect}-{n}"] = warning_kinds(last.warnings)
        save()

    # ---- incremental and no-change, on the biggest site (left with a -j 1 build)
    n = sizes[-1]
    results["incremental"], results["nochange"] = {}, {}
    inc: dict[str, Build | None] = {}
    nochange: dict[str, Build | None] = {}
    slug = generate.make_post(n // 2, generate.SEED).slug
    for dialect in (SA, PLAIN):
        src = src_for(dialect, n)
        if best(samples[(jobs[0], dialect)][-1:]) is None:  # the last full build failed
            run_sphinx(src, fresh=True)
        runs = []
        for r in range(repeat):
            edit_post(src, slug, r + 1)
            build = run_sphinx(src)
            runs.append(build)
            log(
                f"incremental {dialect:14s} n={n}: {build.seconds:6.2f} s reads={build.reads} writes={build.writes}"
            )
        inc[dialect] = best(runs)
        results["incremental"][dialect] = {
            "posts": n,
            "edited": f"posts/{slug}/index",
            "seconds": [b.seconds for b in runs],
            "min": inc[dialect] and inc[dialect].seconds,
            "inner": [b.inner for b in runs],
            "cpu": [b.cpu for b in runs],
            "reads": [b.reads for b in runs],
            "writes": [b.writes for b in runs],
        }
        runs = []
        for _ in range(repeat):
            build = run_sphinx(src)
            runs.append(build)
            log(
                f"no-change   {dialect:14s} n={n}: {build.seconds:6.2f} s reads={build.reads} writes={build.writes}"
            )
        nochange[dialect] = best(runs)
        results["nochange"][dialect] = {
            "posts": n,
            "seconds": [b.seconds for b in runs],
            "min": nochange[dialect] and nochange[dialect].seconds,
            "inner": [b.inner for b in runs],
            "cpu": [b.cpu for b in runs],
            "reads": [b.reads for b in runs],
            "writes": [b.writes for b in runs],
        }

    def rw(build: Build | None) -> str:
        if build is None:
            return ""
        inner = "" if build.inner is None else f", main() {build.inner:.2f} s"
        inner += "" if build.cpu is None else f", cpu {build.cpu:.2f} s"
        return f" ({build.reads}r/{build.writes}w{inner})"

    for label, data, key in (
        (f"Incremental, 1 of {n} posts edited, -j 1", inc, "incremental"),
        (f"No-change rebuild, {n} posts, -j 1", nochange, "nochange"),
    ):
        sa, plain = data[SA], data[PLAIN]
        ratio = sa.seconds / plain.seconds if sa and plain else None
        cpu_ratio = sa.cpu / plain.cpu if sa and plain and sa.cpu and plain.cpu else None
        limit, _, _ = TARGETS[key]
        rows.append(
            (
                label,
                fmt_s(sa and sa.seconds) + rw(sa),
                fmt_s(plain and plain.seconds) + rw(plain),
                fmt_ratio(ratio, cpu_ratio),
                f"<= {limit:g} s",
                status(sa and sa.seconds, limit)
                + ("" if sa is None else f" (cpu: {status(sa.cpu, limit)})"),
            )
        )
    save()
    notes.append(
        "Times are wall clock (status judged on these); 'cpu' = user+sys CPU seconds of the build "
        "process and its children, steadier than wall time on a busy machine."
    )
    notes.append(
        "(Nr/Nw, main() T) = documents read / pages written by that rebuild, and the wall time "
        "spent in sphinx.cmd.build.main() without interpreter start and sphinx import."
    )

    # ---- page weight
    if not args.no_weight:
        n = sizes[0]
        slug = generate.make_post(0, generate.SEED).slug
        weights = {}
        for dialect in (SA, PLAIN):
            src = src_for(dialect, n)
            if not (src / "_build" / "html" / "posts" / slug / "index.html").is_file():
                run_sphinx(src, fresh=True)
            try:
                weights[dialect] = page_weight(src / "_build" / "html", f"posts/{slug}/index.html")
                log(
                    f"page weight {dialect}: {weights[dialect]['css_js_gzip']} B gzip CSS+JS, "
                    f"{weights[dialect]['requests']} requests, third-party {len(weights[dialect]['third_party'])}"
                )
            except Exception as error:  # noqa: BLE001 - report and go on
                log(f"page weight {dialect} failed: {error!r}")
                weights[dialect] = None
        results["page_weight"] = weights
        save()
        sa, plain = weights.get(SA), weights.get(PLAIN)

        def get(w: dict | None, key: str):
            return None if w is None else w[key]

        def by(w: dict | None, kind: str, key: str) -> int | None:
            return None if w is None else w["by_type"].get(kind, {}).get(key, 0)

        limit = TARGETS["css_js_gzip"][0]
        rows.append(
            (
                "Post page CSS+JS, gzip",
                fmt_kb(get(sa, "css_js_gzip")),
                fmt_kb(get(plain, "css_js_gzip")),
                "",
                "<= 60 KB",
                status(get(sa, "css_js_gzip"), limit),
            )
        )
        rows.append(
            (
                "Post page CSS+JS, raw",
                fmt_kb(get(sa, "css_js_bytes")),
                fmt_kb(get(plain, "css_js_bytes")),
                "",
                "",
                "",
            )
        )
        for kind, label in (("stylesheet", "  CSS"), ("script", "  JS")):
            rows.append(
                (
                    f"{label} (gzip / raw, requests)",
                    "-"
                    if sa is None
                    else f"{fmt_kb(by(sa, kind, 'gzip'))} / {fmt_kb(by(sa, kind, 'bytes'))}, {by(sa, kind, 'requests')}",
                    "-"
                    if plain is None
                    else f"{fmt_kb(by(plain, kind, 'gzip'))} / {fmt_kb(by(plain, kind, 'bytes'))}, {by(plain, kind, 'requests')}",
                    "",
                    "",
                    "",
                )
            )
        rows.append(
            (
                "Post page fonts (raw, requests)",
                "-"
                if sa is None
                else f"{fmt_kb(by(sa, 'font', 'bytes'))}, {by(sa, 'font', 'requests')}",
                "-"
                if plain is None
                else f"{fmt_kb(by(plain, 'font', 'bytes'))}, {by(plain, 'font', 'requests')}",
                "",
                "self-hosted",
                "",
            )
        )
        rows.append(
            (
                "Post page requests (all)",
                str(get(sa, "requests")),
                str(get(plain, "requests")),
                "",
                "",
                "",
            )
        )
        third = [None if w is None else len(w["third_party"]) for w in (sa, plain)]
        rows.append(
            ("Third-party requests", str(third[0]), str(third[1]), "", "0", status(third[0], 0))
        )
        for dialect, w in ((SA, sa), (PLAIN, plain)):
            if w and w["third_party"]:
                notes.append(
                    f"third-party requests ({dialect}): " + ", ".join(w["third_party"][:5])
                )

    # ---- PDF of one post
    if do_pdf:
        pdf_runs: dict[str, list[Build]] = {SA: [], PLAIN: []}
        pdf_files: dict[str, list[str]] = {}
        for dialect in (SA, PLAIN):
            generate.generate(work / "sites" / f"{dialect}-pdf", 1, dialect, pdf=True)
        for r in range(repeat):
            for dialect in (SA, PLAIN):
                src = work / "sites" / f"{dialect}-pdf"
                build = run_sphinx(src, builder="latexpdf", make_mode=True, fresh=True)
                pdf_runs[dialect].append(build)
                pdfs = sorted(p.name for p in (src / "_build" / "latex").glob("*.pdf"))
                pdf_files[dialect] = pdfs
                if not pdfs:
                    build.rc = build.rc or 99
                log(
                    f"pdf {dialect:14s} run {r + 1}: {build.seconds:6.2f} s rc={build.rc} pdfs={pdfs}"
                )
                if build.rc:
                    log(build.tail[-1500:])
        sa, plain = best(pdf_runs[SA]), best(pdf_runs[PLAIN])
        ratio = sa.seconds / plain.seconds if sa and plain else None
        results["pdf"] = {
            d: {
                "seconds": [b.seconds for b in pdf_runs[d]],
                "rc": [b.rc for b in pdf_runs[d]],
                "cpu": [b.cpu for b in pdf_runs[d]],
                "min": best(pdf_runs[d]).seconds if best(pdf_runs[d]) else None,
                "pdfs": pdf_files.get(d, []),
            }
            for d in (SA, PLAIN)
        }
        results["pdf"]["ratio"] = ratio
        cpu_ratio = sa.cpu / plain.cpu if sa and plain and sa.cpu and plain.cpu else None
        rows.append(
            (
                "One post's PDF (-M latexpdf)",
                fmt_s(sa and sa.seconds) + cpu_note(sa and sa.cpu),
                fmt_s(plain and plain.seconds) + cpu_note(plain and plain.cpu),
                fmt_ratio(ratio, cpu_ratio),
                "<= 1.3x plain",
                status(ratio, 1.3),
            )
        )
        for dialect in (SA, PLAIN):
            if best(pdf_runs[dialect]) is None:
                notes.append(f"PDF build failed ({dialect}); see results.json / log for the tail.")
                results["pdf"][dialect]["tail"] = pdf_runs[dialect][-1].tail

    meta["loadavg_end"] = os.getloadavg()
    meta["finished"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    for name, kinds in results["warnings"].items():
        if kinds:
            top = ", ".join(f"{k} x{v}" for k, v in list(kinds.items())[:6])
            notes.append(f"warnings in {name}: {top}")
    save()

    print()
    print(
        f"sphinx-article benchmark -- {meta['started']}, commit {meta['commit']}, Sphinx {meta.get('sphinx')}, "
        f"{meta['cpus']} CPUs, load {meta['loadavg_start'][0]:.1f} -> {meta['loadavg_end'][0]:.1f}; "
        f"minimum of {repeat} runs, wall clock incl. interpreter start"
    )
    print()
    print(render_table(rows))
    print()
    for note in notes:
        print(f"* {note}")
    print(f"* results: {work / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
