"""The shape of the house, checked from the code itself: no import circle anywhere in penguin_core (every
import counted, function-level and type-checking ones included), arrows pointing down between its
packages, and the core never drawing."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "penguin_core"


def modules() -> dict[str, Path]:
    found = {}
    for path in CORE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = modules()


def imported(name: str) -> set[str]:
    """Every module of penguin_core that ``name`` imports anywhere in its code, and the packages whose
    ``__init__`` such an import runs (its own packages apart)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            targets |= {f"{base}.{alias.name}" for alias in node.names} | {base}
    found = set()
    for target in targets:
        while target and target not in MODULES:
            target = target.rpartition(".")[0]
        if not target or target == name:
            continue
        parts = target.split(".")
        found |= {".".join(parts[:i]) for i in range(2, len(parts) + 1)
                  if not name.startswith(".".join(parts[:i]) + ".") and ".".join(parts[:i]) != name}
    return found


GRAPH = {name: imported(name) for name in MODULES}


def cycle() -> list[str] | None:
    """One import circle, as the modules along it, or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = "open"
        path.append(name)
        for other in sorted(GRAPH[name]):
            if state.get(other) == "open":
                return path[path.index(other):] + [other]
            if other not in state and (found := visit(other)):
                return found
        state[name] = "done"
        path.pop()
        return None

    for name in sorted(GRAPH):
        if name not in state and (found := visit(name)):
            return found
    return None


def test_the_walker_sees_function_level_imports_and_circles():
    assert "penguin_core.keras_model" in GRAPH["penguin_core.model"]  # imported inside _summary_text
    GRAPH["penguin_core.engine.network"].add("penguin_core.run")  # a circle, as engine/training.py once had
    try:
        assert cycle() is not None
    finally:
        GRAPH["penguin_core.engine.network"].discard("penguin_core.run")


def test_no_import_circle_anywhere_in_penguin_core():
    assert cycle() is None, " -> ".join(cycle())


def package_of(name: str) -> str:
    return ".".join(name.split(".")[:2])


@pytest.mark.parametrize("package, allowed", [
    ("penguin_core.engine", {"penguin_core.errors"}),  # arrays in, network and epoch records out
    ("penguin_core.settings", {"penguin_core.errors", "penguin_core.data", "penguin_core.engine"}),
    ("penguin_core.classroom", {"penguin_core.errors", "penguin_core.text", "penguin_core.database",
                                "penguin_core.figures", "penguin_core.engine",
                                "penguin_core.settings", "penguin_core.server"}),  # never the lab (server: clients)
    ("penguin_core.server", {"penguin_core.errors", "penguin_core.engine"}),  # the queue knows no lab or run
])
def test_a_package_imports_only_what_lies_below_it(package, allowed):
    outside = {package_of(other) for name, imports in GRAPH.items() if package_of(name) == package
               for other in imports if package_of(other) != package}
    assert outside <= allowed, sorted(outside - allowed)


def test_the_core_never_imports_streamlit_nor_a_page():
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(n.split(".")[0] in ("streamlit", "pages", "app") for n in names), name
