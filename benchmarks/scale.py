"""How a sphinx-article track's build grows with its number of posts (issue 17, item 5).

For each size (default 20, 100 and 1,000 posts of ``generate.py``'s content): a full
build from an empty ``_build`` at ``-j 1`` and ``-j 2`` (wall time, CPU time, peak
memory), then, on the ``-j 1`` output, a one-post edit and a no-change rebuild.  Beside
each figure: the figure divided by the number of posts, and how that per-post cost
changed from the previous size -- a factor well above 1 means the build grows worse
than linearly with the track, which is a defect to find.

Usage::

    python benchmarks/scale.py [--posts 20,100,1000] [--jobs 1,2]

Peak memory is the largest resident set of the build's processes (``ru_maxrss`` of the
children, so at ``-j 2`` the larger of the main process and its forked workers).
Writes ``benchmarks/_work/scale.json`` (after every size) and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from run import TIMED, compile_bytecode, edit_post

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"


@dataclass
class Sample:
    posts: int
    kind: str  # "full -j1", "full -j2", "edit", "no-change"
    seconds: float
    cpu: float
    peak_mb: float
    reads: int
    rc: int


def site(posts: int) -> Path:
    """The generated sphinx-article site of ``posts`` posts (written once, seeded)."""
    root = WORK / "scale" / f"sphinx-article-{posts}"
    if not (root / "conf.py").is_file():
        shutil.rmtree(root, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                str(root),
                "--posts",
                str(posts),
                "--dialect",
                "sphinx-article",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return root


#: Runs in a fresh process between this script and the build, so that ``ru_maxrss`` of
#: its children is this build's peak alone (for this script's own children it would be
#: the largest of every build so far); prints rc, peak KB, CPU s and documents read.
PROBE = r"""
import json, re, resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
use = resource.getrusage(resource.RUSAGE_CHILDREN)
summary = re.search(r"updating environment: .*?(\d+) added, (\d+) changed", proc.stdout)
reads = int(summary[1]) + int(summary[2]) if summary else 0
print(json.dumps([proc.returncode, use.ru_maxrss, use.ru_utime + use.ru_stime, reads]))
"""


def build(src: Path, posts: int, kind: str, jobs: int = 1) -> Sample:
    """One ``sphinx-build -b html`` in a child process; its wall, CPU and peak memory."""
    out = src / "_build"
    cmd = [
        sys.executable,
        "-c",
        TIMED,
        "-b",
        "html",
        "-j",
        str(jobs),
        "-d",
        str(out / "doctrees"),
        str(src),
        str(out / "html"),
    ]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "LC_ALL": "C.UTF-8"}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *cmd], capture_output=True, text=True, env=env, check=False
    )
    seconds = time.perf_counter() - start
    rc, maxrss_kb, cpu, reads = json.loads(proc.stdout.strip().splitlines()[-1])
    return Sample(
        posts, kind, round(seconds, 2), round(cpu, 2), round(maxrss_kb / 1024, 1), reads, rc
    )


def measure(posts: int, jobs: list[int]) -> list[Sample]:
    src = site(posts)
    samples = []
    for j in sorted(jobs, reverse=True):  # -j 1 last: the edit and no-change use its output
        shutil.rmtree(src / "_build", ignore_errors=True)
        samples.append(build(src, posts, f"full -j{j}", j))
        print(f"  {posts} posts, full -j{j}: {samples[-1].seconds} s", file=sys.stderr)
    slug = sorted(p.name for p in (src / "posts").iterdir())[posts // 2]
    time.sleep(1.1)  # the edit's mtime must be later than the last read
    edit_post(src, slug, int(time.time()))
    samples.append(build(src, posts, "edit"))
    samples.append(build(src, posts, "no-change"))
    return samples


def table(samples: list[Sample]) -> str:
    """Per size and kind; the last column compares with the previous size: CPU grew by
    this factor while the track grew by that one (linear growth: the two are equal; a
    rebuild should barely grow at all)."""
    rows = [
        "| Posts | Build | Wall s | CPU s | Peak MB | Docs read | CPU ms per post | "
        "CPU growth (posts growth) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    previous: dict[str, Sample] = {}
    for s in samples:
        before = previous.get(s.kind)
        growth = (
            f"{s.cpu / before.cpu:.2f}x ({s.posts / before.posts:.0f}x)"
            if before is not None and before.cpu
            else ""
        )
        rows.append(
            f"| {s.posts} | {s.kind} | {s.seconds:.2f} | {s.cpu:.2f} | "
            f"{s.peak_mb:.0f} | {s.reads} | {1000 * s.cpu / s.posts:.1f} | {growth} |"
        )
        previous[s.kind] = s
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", default="20,100,1000")
    parser.add_argument("--jobs", default="1,2")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    compile_bytecode()
    samples: list[Sample] = []
    for posts in (int(n) for n in args.posts.split(",")):
        samples += measure(posts, [int(j) for j in args.jobs.split(",")])
        (WORK / "scale.json").write_text(json.dumps([asdict(s) for s in samples], indent=1))
    print(table(samples))
    failed = [s for s in samples if s.rc != 0]
    for s in failed:
        print(f"build failed: {s}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
