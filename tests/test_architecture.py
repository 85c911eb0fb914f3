"""The package's shape: no import cycles, and no import hidden in a function without a reason.

An import inside a function is how a cycle hides (the module imports fine until the
function runs) and how a hot path pays an import on every call.  Both are allowed only
with a comment beside them saying why (an optional dependency, a command-line
sub-command loaded on demand, ...).  The graph below counts every import that runs,
module-level or in a function, and leaves out ``if TYPE_CHECKING:`` blocks.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "sphinx_article"
SKIP = {"vendor", "templates", "locale"}


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (``sphinx_article.site.listing``)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if SKIP.intersection(parts):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(("sphinx_article", *parts))] = path
    return found


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(tree: ast.AST, in_function: bool = False) -> Iterator[tuple[ast.stmt, bool]]:
    """Each import statement that runs, and whether it sits inside a function."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node.test):
            for child in node.orelse:
                yield from imports(ast.Module(body=[child], type_ignores=[]), in_function)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, in_function
        inner = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        yield from imports(node, inner)


def targets(name: str, path: Path, node: ast.stmt, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``node`` (in module ``name``) imports."""
    if isinstance(node, ast.Import):
        bases = [alias.name for alias in node.names]
        found = set()
        for base in bases:
            while base and base not in known:
                base = base.rpartition(".")[0]
            if base:
                found.add(base)
        return found
    assert isinstance(node, ast.ImportFrom)
    if node.level:
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    found = set()
    for alias in node.names:
        if f"{base}.{alias.name}" in known:  # from . import feed
            found.add(f"{base}.{alias.name}")
        elif base in known:
            found.add(base)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for node, _ in imports(ast.parse(path.read_text(encoding="utf-8"))):
            edges[name] |= targets(name, path, node, known) - {name}
    # the package's __init__ only registers the extension: importing it is not a dependency
    edges["sphinx_article"] = set()
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_cycle() -> None:
    edges = graph()
    described = []
    for component in cycles(edges):
        inside = set(component)
        links = [f"{a} -> {b}" for a in component for b in sorted(edges[a] & inside)]
        described.append(", ".join(links))
    assert described == [], "import cycles:\n" + "\n".join(described)


def test_the_cycle_check_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def unexplained_imports(text: str) -> list[int]:
    """Lines of the imports inside functions with no comment on their line or the line
    above; a comment above a run of imports covers the whole run."""
    lines = text.splitlines()
    explained_ends: set[int] = set()
    missing = []
    inner = sorted(
        (node for node, in_function in imports(ast.parse(text)) if in_function),
        key=lambda node: node.lineno,
    )
    for node in inner:
        end = node.end_lineno or node.lineno
        above = node.lineno - 1
        while above >= 1 and not lines[above - 1].strip():
            above -= 1  # isort's blank line between sections stays inside the run
        if (
            any("#" in lines[number - 1] for number in range(node.lineno, end + 1))
            or (above >= 1 and lines[above - 1].strip().startswith("#"))
            or above in explained_ends
        ):
            explained_ends.add(end)
        else:
            missing.append(node.lineno)
    return missing


def test_a_comment_explains_a_run_of_imports() -> None:
    text = (
        "def f():\n    # optional: the notebooks extra\n    import a\n\n    import b\n"
        "    x = 1\n    import c\n"
    )
    assert unexplained_imports(text) == [7]


def test_imports_inside_functions_say_why() -> None:
    unexplained = []
    for path in modules().values():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for number in unexplained_imports(text):
            statement = lines[number - 1].strip()
            where = f"{path.relative_to(PACKAGE.parent)}:{number}"
            unexplained.append(f"{where}: {statement}")
    assert unexplained == [], (
        "imports inside a function need a comment beside them (same or previous line) "
        "saying why they are not at the top of the module, or move them up:\n"
        + "\n".join(unexplained)
    )


def test_the_tested_upstream_ranges_are_the_pins_and_are_installed() -> None:
    """``_compat.TESTED`` and pyproject.toml's pins say the same, and this environment
    is inside them (a new upstream release is tried on purpose, not by accident)."""
    import tomllib  # only this test reads pyproject.toml

    from sphinx_article import _compat

    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    pins = {
        spec.split(">=")[0]: spec.split("#")[0].strip()
        for spec in project["project"]["dependencies"]
    }
    for name, (low, high) in _compat.TESTED.items():
        assert pins[name] == f"{name}>={low},<{high}", name
    assert _compat.untested() == {}


def test_the_matrix_installs_the_lower_pins() -> None:
    """``.ci/oldest.txt`` (the version matrix's oldest column, ``scripts/matrix.sh``)
    installs exactly the lower bound of each tested range."""
    from packaging.version import Version

    from sphinx_article import _compat

    lines = (PACKAGE.parent / ".ci" / "oldest.txt").read_text(encoding="utf-8").splitlines()
    oldest = dict(line.split("==") for line in lines if line and not line.startswith("#"))
    for name, (low, _high) in _compat.TESTED.items():
        assert Version(oldest[name]) == Version(low), name


def test_the_model_layer_loads_without_sphinx() -> None:
    """``sphinx_article.model`` is what a post *is*: the command line, the build and the
    PDF all ask it, so importing every one of its modules must not load Sphinx."""
    model = sorted(name for name in modules() if name.startswith("sphinx_article.model"))
    assert len(model) > 10
    probe = (
        "import importlib, sys\n"
        f"for name in {model!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'sphinx' or m.startswith('sphinx.')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]", f"the model layer loaded Sphinx: {loaded}"


def test_the_layout_has_its_rooms() -> None:
    """Model, features, site, PDF, notebooks and CLI are subpackages; what stays at the top
    is the spine every feature shares (setup, configuration, warnings, domain, theme)."""
    rooms = {
        path.name
        for path in PACKAGE.iterdir()
        if path.is_dir() and (path / "__init__.py").is_file()
    }
    assert {"model", "features", "site", "pdf", "notebooks", "cli"} <= rooms
    top = {path.stem for path in PACKAGE.glob("*.py")}
    assert top == {
        "__init__",
        "_compat",
        "_docs",
        "assets",
        "buildcache",
        "config",
        "dependencies",
        "domain",
        "guard",
        "html_theme",
        "visitors",
        "warnings_",
    }
