"""The ``sphinx-article`` command: ``check`` a site's posts, scaffold a ``new`` one.

Exit codes: 0 when all is well, 1 when ``check`` found problems (or ``new`` refused to
overwrite a post), 2 on usage errors (bad arguments, no conf.py, a bad slug).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__

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
        "check",
        help="lint every post of a site without building it",
        description="Lint every post (documents matching article_posts) without building: "
        "front matter, missing images, alt text, citation keys, colour contrast, image "
        "sizes, and with --review anonymity. One 'file:line: subtype: message' per problem.",
    )
    check.add_argument("site", type=Path, help="the site's folder (the one with conf.py)")
    check.add_argument(
        "--review",
        action="store_true",
        help="also report author names, emails and ORCIDs left in posts",
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="output format (default: text; github: workflow-command "
        "annotations for GitHub Actions)",
    )
    check.add_argument(
        "--changed-only",
        metavar="REF",
        help="only report posts with a file changed since the git revision "
        "REF (e.g. origin/main in a pull request)",
    )

    new = commands.add_parser(
        "new",
        help="scaffold a new post that builds",
        description="Create SITE/posts/<slug>/ with index.md (front matter placeholders and "
        "an example of each directive), hero.png and refs.bib. Refuses to overwrite.",
    )
    new.add_argument("path", type=Path, help="the new post's folder, e.g. site/posts/my-post")
    new.add_argument("--title", required=True, help="the post's title")
    add_author_loop_commands(commands)
    return parser


def add_author_loop_commands(commands: Any) -> None:
    """``preview``, ``build`` and ``new-site``: the author's and the organiser's loops."""
    preview = commands.add_parser(
        "preview",
        help="serve the site on localhost, rebuild on save, reload the page",
        description="Build the site once, serve it on localhost and keep the build warm: "
        "each save re-reads only what changed and reloads the browser. Warnings show in "
        "the terminal and in a banner on the page. With POST, only that post (and the "
        "pages that list it) is built.",
    )
    preview.add_argument("site", type=Path, help="the site's folder (the one with conf.py)")
    preview.add_argument(
        "post",
        type=Path,
        nargs="?",
        help="optional: a post's folder; build and serve only that post",
    )
    preview.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    preview.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    preview.add_argument("--outdir", type=Path, help="output folder (default: SITE/_build/preview)")
    preview.add_argument("--open", action="store_true", help="open the page in a browser")

    build = commands.add_parser(
        "build",
        help="build one post on its own (HTML, and its PDF with --pdf)",
        description="Build one post with its site's configuration and theme into a small "
        "site of its own (default: SITE/_build/post/<slug>/): the post's page, the home "
        "page listing it, and with --pdf its PDF. The time does not grow with the track.",
    )
    build.add_argument(
        "post",
        type=Path,
        help="the post's folder, e.g. site/posts/my-post (with --changed-since: the site's folder)",
    )
    build.add_argument("--pdf", action="store_true", help="also build the post's PDF")
    build.add_argument(
        "--outdir", type=Path, help="output folder (with --changed-since: one sub-folder per post)"
    )
    build.add_argument(
        "--changed-since",
        metavar="REF",
        help="build every post with a file changed since the git revision REF",
    )

    new_site = commands.add_parser(
        "new-site",
        help="scaffold a track: conf.py, home page, a first post, CI workflows",
        description="Create a new track repository in DIR: conf.py, index.md, about.md, a "
        "first post, .gitignore, GitHub Actions workflows (checks with annotations, a "
        "preview of changed posts, the review build, deployment to Pages) and a GitLab "
        "CI equivalent. Refuses to write into a folder that has a conf.py.",
    )
    new_site.add_argument("dir", type=Path, help="the new site's folder")
    new_site.add_argument(
        "--venue", required=True, help="the track's name, e.g. 'ICLR 2027 Blogposts Track'"
    )
    new_site.add_argument(
        "--url", default="https://example.org/", help="the site's public URL (article_site_url)"
    )


def run_preview(args: argparse.Namespace) -> int:
    # lazy: a sub-command loads only what it runs (`sphinx-article --help` stays instant)
    from .onepost import OnePostError, locate_post
    from .preview import WarmSite, serve

    if not (args.site / "conf.py").is_file():
        print(f"sphinx-article preview: {args.site}: no conf.py here.", file=sys.stderr)
        return EXIT_USAGE
    try:
        post = locate_post(args.post) if args.post else None
    except OnePostError as exc:
        print(f"sphinx-article preview: {exc}", file=sys.stderr)
        return EXIT_USAGE
    outdir = args.outdir or args.site / "_build" / "preview"
    return serve(WarmSite(args.site, outdir, post), args.host, args.port, args.open)


def run_build(args: argparse.Namespace) -> int:
    # lazy: a sub-command loads only what it runs (`sphinx-article --help` stays instant)
    from .gitchanges import GitError
    from .onepost import OnePostError, build_post, changed_posts_in, locate_post

    try:
        if args.changed_since:
            posts = changed_posts_in(args.post, args.changed_since)
            if not posts:
                print(f"No post changed since {args.changed_since}.")
                return EXIT_OK
        else:
            posts = [locate_post(args.post)]
    except (OnePostError, GitError) as exc:
        print(f"sphinx-article build: {exc}", file=sys.stderr)
        return EXIT_USAGE
    failed = 0
    for post in posts:
        if args.changed_since:
            outdir = (args.outdir or post.site / "_build" / "post") / post.slug
        else:
            outdir = args.outdir or post.site / "_build" / "post" / post.slug
        status, out = build_post(post, outdir, pdf=args.pdf, quiet=False)
        failed += bool(status)
        if status == 0:
            print(
                f"{post.docname}: HTML in {out / 'html'}"
                + (f", PDF in {out / 'latex'}" if args.pdf else "")
            )
    return EXIT_PROBLEMS if failed else EXIT_OK


def run_new_site(args: argparse.Namespace) -> int:
    # lazy: a sub-command loads only what it runs (`sphinx-article --help` stays instant)
    from .newsite import NewSiteError, new_site

    try:
        files = new_site(args.dir, args.venue, args.url)
    except NewSiteError as exc:
        print(f"sphinx-article new-site: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for path in files:
        print(f"created {path}")
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    # lazy: a sub-command loads only what it runs (`sphinx-article --help` stays instant)
    from .check import ConfError, as_json, check_site, load_site
    from .gitchanges import GitError

    if not args.site.is_dir():
        print(f"sphinx-article check: {args.site} is not a folder.", file=sys.stderr)
        return EXIT_USAGE
    try:
        site = load_site(args.site)
    except ConfError as exc:
        print(f"sphinx-article check: {exc}", file=sys.stderr)
        return EXIT_USAGE
    count, findings = check_site(site, review=args.review)
    if args.changed_only:
        try:
            count, findings = only_changed(site, args.changed_only, findings)
        except GitError as exc:
            print(f"sphinx-article check: --changed-only: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if args.format == "json":
        print(json.dumps(as_json(count, findings), indent=2, ensure_ascii=False))
    elif args.format == "github":
        # lazy: a sub-command loads only what it runs (`sphinx-article --help` stays instant)
        from .annotations import workflow_command

        for finding in findings:
            print(workflow_command(finding.file, finding.line, finding.subtype, finding.message))
        print(
            f"{count} post{'s' if count != 1 else ''} checked, {len(findings)} "
            f"problem{'s' if len(findings) != 1 else ''}.",
            file=sys.stderr,
        )
    else:
        for finding in findings:
            print(finding.text())
        summary = f"{count} post{'s' if count != 1 else ''} checked, " + (
            f"{len(findings)} problem{'s' if len(findings) != 1 else ''}."
            if findings
            else "no problems."
        )
        print(summary, file=sys.stderr)
    return EXIT_PROBLEMS if findings else EXIT_OK


def only_changed(site: Any, ref: str, findings: list[Any]) -> tuple[int, list[Any]]:
    """Keep the findings in posts with a file changed since ``ref``; count those posts."""
    # lazy: a sub-command loads only what it runs (`sphinx-article --help` stays instant)
    from .check import find_posts
    from .gitchanges import changed_files, changed_posts

    posts = changed_posts(find_posts(site), changed_files(site.root, ref))
    folders = {source.resolve().parent for _, source in posts}

    def in_changed(finding: Any) -> bool:
        path = (Path.cwd() / finding.file).resolve()
        return any(folder == path.parent or folder in path.parents for folder in folders)

    return len(posts), [finding for finding in findings if in_changed(finding)]


def run_new(args: argparse.Namespace) -> int:
    # lazy: a sub-command loads only what it runs (`sphinx-article --help` stays instant)
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
    # lazy: a sub-command loads only what it runs (`sphinx-article --help` stays instant)
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
                print(
                    f"note: '{docname}' does not match article_posts = '{site.posts}'; "
                    "the build will treat it as an ordinary page.",
                    file=sys.stderr,
                )
            return


COMMANDS = {
    "check": run_check,
    "new": run_new,
    "preview": run_preview,
    "build": run_build,
    "new-site": run_new_site,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # ``| head``: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PROBLEMS


if __name__ == "__main__":
    sys.exit(main())
