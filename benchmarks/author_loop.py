"""The author's loop, measured: preview edit -> updated page, and one-post builds.

* **Preview.** ``sphinx-article preview`` on the generated N-post site (``generate.py``,
  the same content as ``run.py``); after the first build, ``--edits`` times: change one
  sentence of a post (a different post each time) and poll the served page until the
  new text is there. Reported: median and worst edit -> page time (target: under 1 s).
* **One post on its own.** ``sphinx-article build posts/<first>`` on a 10-post and an
  N-post track (fresh output each time): the time must not grow with the track
  (target: within 20 %).

Usage::

    python benchmarks/author_loop.py [--posts 100] [--edits 10] [--small 10]
    python benchmarks/author_loop.py --site ../shared/corpus/iclr-2025   # a real track

Writes ``benchmarks/_work/author-loop.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import generate
from run import compile_bytecode

HERE = Path(__file__).parent
WORK = HERE / "_work"
CLI = [sys.executable, "-m", "sphinx_article.cli"]


def make_site(posts: int) -> Path:
    site = WORK / f"loop-{posts}"
    if not (site / "conf.py").is_file():
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                str(site),
                "--posts",
                str(posts),
                "--dialect",
                "sphinx-article",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    root = site / "sphinx-article" if (site / "sphinx-article").is_dir() else site
    shutil.rmtree(root / "_build", ignore_errors=True)
    return root


def post_sources(site: Path) -> list[Path]:
    return sorted(site.glob("posts/*/index.md"))


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (localhost)
        return response.read().decode()


def measure_preview(site: Path, edits: int) -> dict[str, object]:
    process = subprocess.Popen(
        [*CLI, "preview", str(site), "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    start, url = time.perf_counter(), ""
    while not url:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            raise SystemExit("preview exited before serving")
        match = re.search(r"serving (http://\S+)", line)
        url = match.group(1) if match else ""
    first = time.perf_counter() - start
    # keep reading the preview's log: a track with many warnings (the corpus) would fill
    # the pipe and block the preview in its next write
    threading.Thread(target=process.stderr.read, daemon=True).start()
    times = []
    try:
        sources = post_sources(site)
        for i in range(edits):
            source = sources[(i * 7) % len(sources)]
            marker = f"loop edit {i} {time.time_ns()}"
            text = source.read_text(encoding="utf-8")
            page = url + source.parent.relative_to(site).as_posix() + "/"
            t0 = time.perf_counter()
            if generate.EDIT_SENTENCE in text:  # a generated post: change one sentence
                edited = text.replace(
                    generate.EDIT_SENTENCE, f"{generate.EDIT_SENTENCE} ({marker})", 1
                )
            else:  # a real post (--site): a new last paragraph
                edited = text.rstrip("\n") + f"\n\n{marker}\n"
            source.write_text(edited, encoding="utf-8")
            while marker not in fetch(page):
                time.sleep(0.01)
            times.append(time.perf_counter() - t0)
            source.write_text(text, encoding="utf-8")
            time.sleep(1.0)  # let the restoring rebuild finish before the next edit
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {
        "first_build_s": round(first, 2),
        "edits_s": [round(t, 3) for t in times],
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
    }


def measure_one_post(site: Path, repeat: int = 2) -> float:
    first = post_sources(site)[0].parent
    best = float("inf")
    for _ in range(repeat):
        out = WORK / "one-post-out"
        shutil.rmtree(out, ignore_errors=True)
        t0 = time.perf_counter()
        subprocess.run(
            [*CLI, "build", str(first), "--outdir", str(out)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        best = min(best, time.perf_counter() - t0)
    return round(best, 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument(
        "--site",
        type=Path,
        help="measure the preview of this site instead "
        "(copied first; e.g. the ICLR 2025 corpus); no one-post builds",
    )
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    compile_bytecode()
    if args.site:
        copy = WORK / f"loop-{args.site.name}"
        shutil.rmtree(copy, ignore_errors=True)
        # plain copies: a read-only corpus must not give a read-only copy (no _build in it)
        shutil.copytree(
            args.site, copy, ignore=shutil.ignore_patterns("_build"), copy_function=shutil.copyfile
        )
        for folder in (copy, *(p for p in copy.rglob("*") if p.is_dir())):
            folder.chmod(0o755)
        preview = measure_preview(copy, args.edits)
        (WORK / f"author-loop-{args.site.name}.json").write_text(json.dumps(preview, indent=1))
        print(
            f"preview of {args.site.name}: first build {preview['first_build_s']} s; "
            f"edit -> page median of {args.edits} {preview['median_s']} s "
            f"({'met' if preview['median_s'] < 1 else 'MISSED'} < 1 s), "
            f"worst {preview['max_s']} s"
        )
        return 0
    big, small = make_site(args.posts), make_site(args.small)
    results: dict[str, object] = {
        f"one_post_build_{args.small}_posts_s": measure_one_post(small),
        f"one_post_build_{args.posts}_posts_s": measure_one_post(big),
        "preview": measure_preview(big, args.edits),
    }
    (WORK / "author-loop.json").write_text(json.dumps(results, indent=1))
    preview = results["preview"]
    assert isinstance(preview, dict)
    one_small = results[f"one_post_build_{args.small}_posts_s"]
    one_big = results[f"one_post_build_{args.posts}_posts_s"]
    assert isinstance(one_small, float) and isinstance(one_big, float)
    growth = one_big / one_small
    print(f"{'Measurement':44} {'value':>10}  target")
    print(
        f"{'preview: first build, ' + str(args.posts) + ' posts':44} {preview['first_build_s']:>9}s"
    )
    print(
        f"{'preview: edit -> page, median of ' + str(args.edits):44} "
        f"{preview['median_s']:>9}s  < 1 s  {'met' if preview['median_s'] < 1 else 'MISSED'}"
    )
    print(f"{'preview: edit -> page, worst':44} {preview['max_s']:>9}s")
    print(f"{'build one post, ' + str(args.small) + '-post track':44} {one_small:>9}s")
    print(
        f"{'build one post, ' + str(args.posts) + '-post track':44} {one_big:>9}s  "
        f"within 20% ({growth:.2f}x)  {'met' if growth <= 1.2 else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
