"""The ``sphinx-article`` command: ``check`` a site's posts, scaffold a ``new`` one.

Exit codes: 0 when all is well, 1 when ``check`` found problems (or ``new`` refused to
overwrite a post), 2 on usage errors (bad arguments, no conf.py, a bad slug).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sphinx-article",
        description="Tools for a sphinx-article site: lint posts without building, and "
        "scaffold new posts.",
        epilog="Exit codes: 0 clean, 1 problems found (or post exists), 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = commands.add_parser(
        "check", help="lint every post of a site without building it",
        description="Lint every post (documents matching article_posts) without building: "
        "front matter, missing images, alt text, citation keys, colour contrast, image "
        "sizes, and with --review anonymity. One 'file:line: subtype: message' per problem.",
    )
    check.add_argument("site", type=Path, help="the site's folder (the one with conf.py)")
    check.add_argument("--review", action="store_true",
                       help="also report author names, emails and ORCIDs left in posts")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="output format (default: text)")

    new = commands.add_parser(
        "new", help="scaffold a new post that builds",
        description="Create SITE/posts/<slug>/ with index.md (front matter placeholders and "
        "an example of each directive), hero.png and refs.bib. Refuses to overwrite.",
    )
    new.add_argument("path", type=Path, help="the new post's folder, e.g. site/posts/my-post")
    new.add_argument("--title", required=True, help="the post's title")
    return parser


def run_check(args: argparse.Namespace) -> int:
    from .check import ConfError, as_json, check_site, load_site

    if not args.site.is_dir():
        print(f"sphinx-article check: {args.site} is not a folder.", file=sys.stderr)
        return EXIT_USAGE
    try:
        site = load_site(args.site)
    except ConfError as exc:
        print(f"sphinx-article check: {exc}", file=sys.stderr)
        return EXIT_USAGE
    count, findings = check_site(site, review=args.review)
    if args.format == "json":
        print(json.dumps(as_json(count, findings), indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            print(finding.text())
        summary = f"{count} post{'s' if count != 1 else ''} checked, " + (
            f"{len(findings)} problem{'s' if len(findings) != 1 else ''}." if findings
            else "no problems.")
        print(summary, file=sys.stderr)
    return EXIT_PROBLEMS if findings else EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, scaffold

    try:
        files = scaffold(args.path, args.title)
    except ScaffoldError as exc:
        print(f"sphinx-article new: {exc}", file=sys.stderr)
        return EXIT_USAGE if exc.usage else EXIT_PROBLEMS
    for path in files:
        print(f"created {path}")
    note_posts_pattern(args.path)
    return EXIT_OK


def note_posts_pattern(target: Path) -> None:
    """Say so when the new folder is not where the site's ``article_posts`` looks."""
    from sphinx.util.matching import patmatch

    from .check import ConfError, load_site

    for site_dir in list(target.resolve().parents)[:4]:
        if (site_dir / "conf.py").is_file():
            try:
                site = load_site(site_dir)
            except ConfError:
                return
            docname = (target.resolve() / "index").relative_to(site_dir).as_posix()
            if not patmatch(docname, site.posts):
                print(f"note: '{docname}' does not match article_posts = '{site.posts}'; "
                      "the build will treat it as an ordinary page.", file=sys.stderr)
            return


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run_check(args) if args.command == "check" else run_new(args)
    except BrokenPipeError:  # ``| head``: stop quietly, as Unix tools do
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PROBLEMS


if __name__ == "__main__":
    sys.exit(main())
