"""The shape of the code: no import cycle, small modules, pages on the public API only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

CORE = REPO / "mosaic_core"
MAX_LINES = 300


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (inside functions too; TYPE_CHECKING blocks left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(inner) for inner in ast.walk(node)}
    found: set[str] = set()
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module_name(path): path for path in CORE.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in files and m != name} for name, path in files.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


class TestImportGraph:
    def test_no_cycle(self) -> None:
        """No module of mosaic_core imports, directly or through others, one that imports it."""
        assert _cycle(_graph()) is None, " -> ".join(_cycle(_graph()) or [])

    def test_the_cycle_finder_finds_cycles(self) -> None:
        """The checker itself reports a cycle when there is one."""
        assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
        assert _cycle({"a": {"b"}, "b": set()}) is None

    def test_graph_sees_imports_inside_functions(self) -> None:
        """Imports inside functions count (they closed the cycles the review found)."""
        assert "mosaic_core.generate.on_ray" in _graph()["mosaic_core.pipeline"]

    def test_core_never_imports_the_app(self) -> None:
        """mosaic_core imports neither streamlit nor the pages."""
        for path in CORE.rglob("*.py"):
            bad = {m for m in _imports(path) if m.split(".")[0] in ("streamlit", "pages", "app")}
            assert not bad, f"{path.relative_to(REPO)} imports {sorted(bad)}"


class TestModules:
    @pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(REPO)))
    def test_small(self, path: Path) -> None:
        """Every module of mosaic_core holds at most 300 lines."""
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= MAX_LINES, f"{path.relative_to(REPO)} has {lines} lines"


class TestPages:
    @pytest.mark.parametrize(
        "path", sorted([REPO / "app.py", *(REPO / "pages").rglob("*.py")]), ids=lambda p: str(p.relative_to(REPO))
    )
    def test_pages_use_the_public_api(self, path: Path) -> None:
        """The app imports mosaic_core's public API and its own package, never a core submodule."""
        ours = {m for m in _imports(path) if m.split(".")[0] in ("mosaic_core", "pages")}
        core = {m for m in ours if m.startswith("mosaic_core.")}
        import mosaic_core

        core -= {f"mosaic_core.{name}" for name in mosaic_core.__all__}  # `from mosaic_core import X`
        app = {m for m in ours if m.startswith("pages.") and not m.startswith("pages.studio")}
        assert not core, f"{path.relative_to(REPO)} imports core submodules {sorted(core)}"
        assert not app, f"{path.relative_to(REPO)} imports other pages {sorted(app)}"
