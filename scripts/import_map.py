"""The import map of conformance/: every module's imports of the package's own modules,
read from the source (ast, no import is run). Prints the import circles, the imports that
break the layering, the imports between areas and the modules over the size limit; exits
1 when there is a circle or a layering break.

    .venv/bin/python scripts/import_map.py [--edges AREA]

The layers: the engine (engine/) starts containers and runs checks, and knows no mode,
feature, check or front; modes/ and features/ build on the engine; checks/ judge what
they measure; the fronts (cli, pytest_plugin, action_spec, options, settings) go through
the engine's door (conformance.engine: run, healthy_endpoint, clean) and nothing below it;
reporters read results only."""
from __future__ import annotations

import argparse
import ast
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "conformance"
FRONTS = {"cli", "pytest_plugin", "plugin_share", "action_spec", "options", "settings", "__main__"}
# area -> areas it must never import
FORBIDDEN = {
    "engine": {"modes", "features", "checks", "reporters", *FRONTS},
    "modes": {"checks", "reporters", *FRONTS},
    "features": {"checks", "reporters", *FRONTS},
    "checks": {"reporters", *FRONTS},
    "reporters": {"engine", "modes", "features", "checks", *FRONTS},
    "config": {"engine", "modes", "checks", "reporters", *FRONTS},
    "registry": {"engine", "modes", "features", "checks", "reporters", *FRONTS},
    "model": {"engine", "modes", "features", "checks", "reporters", "config", *FRONTS},
    "contract": {"*"},
}
SIZE_LIMIT = 300


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(mods: dict[str, Path]) -> dict[str, set]:
    edges: dict[str, set] = collections.defaultdict(set)
    for name, path in mods.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in _runtime_nodes(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module
                if not target or not target.startswith("conformance"):
                    continue
                for alias in node.names:
                    child = f"{target}.{alias.name}"
                    edges[name].add(child if child in mods else target)
            elif isinstance(node, ast.Import):
                edges[name].update(a.name for a in node.names if a.name in mods)
    return edges


def _runtime_nodes(tree: ast.AST):
    """Every node except those under `if TYPE_CHECKING:` (imports for annotations only,
    which never run)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and getattr(child.test, "id", getattr(child.test, "attr", "")) == "TYPE_CHECKING":
                todo.extend(child.orelse)
                continue
            todo.append(child)


def circles(mods: dict, edges: dict) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict = {}
    low: dict = {}
    stack: list = []
    on: set = set()
    found: list = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in mods:
        if v not in index:
            visit(v)
    return found


def area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "(package)"


def breaks(edges: dict) -> list[str]:
    found = []
    for source, targets in sorted(edges.items()):
        banned = FORBIDDEN.get(area(source), set())
        for target in sorted(targets):
            if area(target) != area(source) and ("*" in banned or area(target) in banned):
                found.append(f"{source} -> {target}")
            elif area(source) in FRONTS and area(target) == "engine" and target != "conformance.engine":
                found.append(f"{source} -> {target} (a front goes through conformance.engine only)")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", metavar="AREA", help="also list the imports out of this area")
    args = parser.parse_args()
    mods = modules()
    edges = imports(mods)
    found_circles, found_breaks = circles(mods, edges), breaks(edges)
    between = collections.Counter((area(a), area(b)) for a, bs in edges.items() for b in bs if area(a) != area(b))
    print(f"{len(mods)} modules, {sum(map(len, edges.values()))} imports of the package's own modules")
    print(f"import circles: {len(found_circles)}")
    for component in found_circles:
        print("  " + " <-> ".join(component))
    print(f"layering breaks: {len(found_breaks)}")
    for line in found_breaks:
        print("  " + line)
    print("imports between areas: " + ", ".join(f"{a}->{b} {n}" for (a, b), n in sorted(between.items())))
    big = sorted(((len(p.read_text().splitlines()), n) for n, p in mods.items()), reverse=True)
    print(f"modules over {SIZE_LIMIT} lines: " + (", ".join(f"{n} ({size})" for size, n in big if size > SIZE_LIMIT)
                                                    or "none"))
    if args.edges:
        for source, targets in sorted(edges.items()):
            if area(source) == args.edges:
                for target in sorted(t for t in targets if area(t) != args.edges):
                    print(f"  {source} -> {target}")
    return 1 if found_circles or found_breaks else 0


if __name__ == "__main__":
    sys.exit(main())
