"""The layers of `checks/`: no import loop, and no import from a lower layer to a higher one.

Every `import` of every module counts, wherever it stands: at the top, inside a function (a
lazy import is still a dependency) or under `if TYPE_CHECKING:`. ARCHITECTURE.md shows the
same order.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

LAYERS: tuple[tuple[str, ...], ...] = (
    ("checks",),                       # the package itself: its version
    ("checks.errors",),
    ("checks.french",),                # plurals, decimals, Paris dates, typography (Babel)
    ("checks.files",),
    ("checks.settings",),              # what a setting is: catalogue, values, screens
    ("checks.appliance",),             # what the API says, HTTP, a reading, a snapshot
    ("checks.audit",),                 # baseline, rules, findings, diff, timeline
    ("checks.reports",),               # writers: lay out what the layers below produced
    ("checks.operations",),            # what a technician does: fix, fleet, history, exporter
    ("checks.emulator",),
    ("checks.cli", "checks.__main__", "checks.emulator.__main__"),  # the two command lines
)
"""Lowest first: a module may import its own layer (without a loop) and the layers below."""


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / "checks").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _target(name: str) -> str | None:
    """The module of `checks` an imported name comes from (a module, else its package)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> set[str]:
    """Every module of `checks` that `module` imports, anywhere in its body."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names = [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            target = _target(name)
            if target is not None and target != module:
                found.add(target)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def layer_of(module: str) -> int:
    """The layer whose name is the longest prefix of the module's."""
    best, depth = -1, -1
    for index, layer in enumerate(LAYERS):
        for prefix in layer:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > depth:
                best, depth = index, len(prefix)
    assert best >= 0, f"{module} belongs to no layer: add it to LAYERS"
    return best


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One loop per strongly connected group of modules (Tarjan), as a path that closes."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_every_module_belongs_to_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_no_import_loop() -> None:
    assert cycles(GRAPH) == []


def test_no_import_climbs_to_a_higher_layer() -> None:
    upward = sorted(f"{module} -> {target}" for module, targets in GRAPH.items()
                    for target in targets if layer_of(target) > layer_of(module))
    assert upward == []


def test_the_graph_sees_lazy_and_type_checking_imports(tmp_path: Path) -> None:
    """The reader of imports itself: a lazy import and a TYPE_CHECKING one both count."""
    assert "checks.reports.fleet" in GRAPH["checks.operations.fleet"]  # inside a method
    assert "checks.audit.findings" in GRAPH["checks.reports"]  # under TYPE_CHECKING
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
