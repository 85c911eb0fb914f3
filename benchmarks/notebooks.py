"""What a notebook post costs: build time of the example site's notebook post alone, with
MyST-NB's execution off, cached (a cold cache: executed once; a warm cache: outputs
reused) and forced, next to the same site with only a Markdown post.

    python benchmarks/notebooks.py              # each timing the minimum of 2 runs
    python benchmarks/notebooks.py --repeat 3

Sites are written under ``benchmarks/_work/notebooks/``; results to
``benchmarks/_work/notebooks.json``.  Uses the interpreter it runs under.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXAMPLE = REPO / "example_site"
WORK = HERE / "_work" / "notebooks"
NOTEBOOK = "logistic-regression-notebook"
MARKDOWN = "calibration-correction"

CONF = """extensions = ["sphinx_article"]
html_theme = "sphinx_article"
project = "Notebook benchmark"
article_site_url = "https://blog.example.org/"
article_notebooks = True
nb_execution_mode = {mode!r}
exclude_patterns = ["_build"]
"""


def make_site(name: str, post: str, mode: str) -> Path:
    site = WORK / name
    if site.exists():
        shutil.rmtree(site)
    (site / "posts").mkdir(parents=True)
    shutil.copytree(EXAMPLE / "posts" / post, site / "posts" / post)
    (site / "conf.py").write_text(CONF.format(mode=mode))
    (site / "index.md").write_text("# Benchmark\n\n```{post-index}\n```\n")
    return site


def build(site: Path, clean_cache: bool = True) -> float:
    """One full HTML build (the doctree cache removed; the execution cache kept unless
    ``clean_cache``)."""
    out = site / "_build"
    shutil.rmtree(out / "html", ignore_errors=True)
    shutil.rmtree(out / "doctrees", ignore_errors=True)
    if clean_cache:
        shutil.rmtree(out / ".jupyter_cache", ignore_errors=True)
        shutil.rmtree(out / "jupyter_execute", ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", "html", str(site), str(out), "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build of {site} failed:\n{result.stderr[-2000:]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    rows: dict[str, float] = {}
    markdown = make_site("markdown", MARKDOWN, "off")
    rows["Markdown post (for scale)"] = min(build(markdown) for _ in range(args.repeat))
    off = make_site("off", NOTEBOOK, "off")
    rows["notebook, execution off (stored outputs)"] = min(build(off) for _ in range(args.repeat))
    cache = make_site("cache", NOTEBOOK, "cache")
    rows["notebook, cache cold (executes)"] = min(build(cache) for _ in range(args.repeat))
    build(cache, clean_cache=False)
    rows["notebook, cache warm (outputs reused)"] = min(
        build(cache, clean_cache=False) for _ in range(args.repeat)
    )
    force = make_site("force", NOTEBOOK, "force")
    rows["notebook, execution force"] = min(build(force) for _ in range(args.repeat))
    width = max(len(k) for k in rows)
    print(f"{'build (one post + index), full HTML':<{width}}  seconds")
    for name, seconds in rows.items():
        print(f"{name:<{width}}  {seconds:7.2f}")
    (HERE / "_work").mkdir(exist_ok=True)
    (HERE / "_work" / "notebooks.json").write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
