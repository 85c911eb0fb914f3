"""Profile one build of a generated site in-process (cProfile, or pyinstrument if asked).

    python benchmarks/profile_build.py --posts 20                     # full build, sphinx-article
    python benchmarks/profile_build.py --posts 100 --mode nochange    # rebuild with nothing changed
    python benchmarks/profile_build.py --posts 100 --mode incremental # after editing one post
    python benchmarks/profile_build.py --dialect plain --posts 20     # the baseline, for comparison
    python benchmarks/profile_build.py --pyinstrument                 # call tree (pip install pyinstrument)

Prints the top functions by cumulative time, then those in ``sphinx_article`` and the
extensions it loads, and writes ``benchmarks/_work/profile-<dialect>-<posts>-<mode>.prof``
(open with ``python -m pstats`` or snakeviz).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import run  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dialect", choices=generate.DIALECTS, default=generate.DIALECTS[0])
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--mode", choices=("full", "nochange", "incremental"), default="full")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument("--no-profile", action="store_true", help="only time the build (wall, CPU)")
    parser.add_argument("--work", type=Path, default=HERE / "_work")
    parser.add_argument(
        "--cache-pybtex-plugins",
        action="store_true",
        help="experiment: memoise pybtex.plugin._load_entry_point (see README)",
    )
    args = parser.parse_args()

    src = args.work / "profile" / f"{args.dialect}-{args.posts}"
    if args.mode == "full" or not (src / "_build" / "html").is_dir():
        generate.generate(src, args.posts, args.dialect)
    if args.mode != "full":
        shutil.rmtree(src / "_build", ignore_errors=True)
        build = run.run_sphinx(src)  # prime, in a subprocess
        print(f"primed in {build.seconds:.2f} s (rc={build.rc})", file=sys.stderr)
    if args.mode == "incremental":
        run.edit_post(
            src, generate.make_post(args.posts // 2, generate.SEED).slug, int(time.time())
        )

    from sphinx.cmd.build import main as sphinx_main

    if args.cache_pybtex_plugins:
        # Each pybtex find_plugin() call rescans every installed distribution's entry
        # points (importlib.metadata), tens of ms a call; this memoises the lookup.
        import functools

        import pybtex.plugin

        pybtex.plugin._load_entry_point = functools.lru_cache(maxsize=None)(
            pybtex.plugin._load_entry_point
        )

    argv = [
        "-b",
        "html",
        "-q",
        "-j",
        str(args.jobs),
        "-d",
        str(src / "_build" / "doctrees"),
        str(src),
        str(src / "_build" / "html"),
    ]
    name = f"profile-{args.dialect}-{args.posts}-{args.mode}"
    start, cpu = time.perf_counter(), time.process_time()
    if args.no_profile:
        rc = sphinx_main(argv)
    elif args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.002)
        profiler.start()
        rc = sphinx_main(argv)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        (args.work / f"{name}.html").write_text(profiler.output_html(), encoding="utf-8")
    else:
        profile = cProfile.Profile()
        rc = profile.runcall(sphinx_main, argv)
        profile.dump_stats(str(args.work / f"{name}.prof"))
        for title, restrict in (("all", None), ("sphinx_article", "sphinx_article/")):
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            if restrict is None:
                stats.strip_dirs()
            stats.sort_stats("cumulative")
            stats.print_stats(*(r for r in (restrict, args.top) if r))
            print(f"===== top by cumulative time ({title}) =====")
            print("\n".join(out.getvalue().splitlines()[6:]))
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats("tottime").print_stats(20)
        print("===== top by own time =====")
        print("\n".join(out.getvalue().splitlines()[6:]))
    print(
        f"{args.dialect}, {args.posts} posts, {args.mode}: rc={rc}, {time.perf_counter() - start:.2f} s "
        f"wall, {time.process_time() - cpu:.2f} s CPU"
        + ("" if args.no_profile else " under the profiler")
        + (" (pybtex plugins cached)" if args.cache_pybtex_plugins else ""),
        file=sys.stderr,
    )
    return rc


if __name__ == "__main__":
    sys.exit(main())
