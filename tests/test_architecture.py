"""The house rules, checked: callers decide by engine capabilities, modules stay one stage each."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "briefer"
MAX_LINES = 400
# A comparison against an engine's name: `== "openai"`, `!= "extractive"`, `in ("openai", ...)`.
NAME_CHECK = re.compile(
    r"""(?:==|!=)\s*["'](?:openai|extractive|function)["']|\bin\s*\(\s*["'](?:openai|extractive)"""
)


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_nothing_outside_engines_branches_on_an_engine_name() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}"
        for path in _modules()
        if "engines" not in path.relative_to(PACKAGE).parts
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if NAME_CHECK.search(line)
    ]
    assert not offenders, "decide by engine.capabilities instead:\n" + "\n".join(offenders)


def test_no_module_holds_more_than_one_stage() -> None:
    large = {
        str(p.relative_to(PACKAGE)): n
        for p in _modules()
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert not large, f"modules over {MAX_LINES} lines: {large}"


# -- the import contract: layers, the engine boundary, no circles -----------------------------

# Highest first: a module may import its own layer's modules and lower layers', never a higher one.
# ``briefer/__init__.py`` is the facade over all of them (lazily) and stands outside the layers.
LAYERS: list[set[str]] = [
    {"briefer.__main__", "briefer.cli"},
    {"briefer.service"},
    {"briefer.api", "briefer.evaluate"},
    {"briefer.batch", "briefer.estimate"},
    {"briefer.pipeline"},
    {"briefer.engines", "briefer.cache", "briefer.render", "briefer.progress"},
    {
        "briefer.grounding",
        "briefer.loading",
        "briefer.prompts",
        "briefer.config",
        "briefer.fileio",
        "briefer.tokens",
    },
    {"briefer.text"},
    {"briefer.models", "briefer.choices", "briefer.errors", "briefer.deprecation", "briefer.__about__"},
]
# What code outside ``briefer/engines`` may import of it: the protocol, the registry, the neutral
# request/answer pair and the function engine for tests. The rest is each engine's own.
ENGINE_API = {
    "briefer.engines",
    "briefer.engines.base",
    "briefer.engines.llm.exchange",
    "briefer.engines.fake",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each module's briefer imports, wherever they stand (top level, in a function, or for typing)."""
    names = {_module_name(p) for p in _modules()}
    graph: dict[str, set[str]] = {}
    for path in _modules():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("briefer"):
                found |= {
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in names else node.module
                    for a in node.names
                }
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("briefer")}
        graph[_module_name(path)] = found - {_module_name(path)}
    return graph


def _layer(module: str) -> int | None:
    group = ".".join(module.split(".")[:2])
    return next((n for n, layer in enumerate(LAYERS) if group in layer), None)


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(m for m in _imports() if m != "briefer" and _layer(m) is None)
    assert not unplaced, f"add these to LAYERS: {unplaced}"


def test_no_module_imports_a_higher_layer() -> None:
    offenders = [
        f"{module} imports {target}"
        for module, targets in _imports().items()
        if module != "briefer"
        for target in targets
        if target != "briefer" and (_layer(target) or 0) < (_layer(module) or 0)
    ]
    assert not offenders, "imports against the layers:\n" + "\n".join(sorted(offenders))


def test_nothing_outside_engines_imports_an_engines_internals() -> None:
    offenders = [
        f"{module} imports {target}"
        for module, targets in _imports().items()
        if module != "briefer" and not module.startswith("briefer.engines")
        for target in targets
        if target.startswith("briefer.engines") and target not in ENGINE_API
    ]
    assert not offenders, "go through briefer.engines instead:\n" + "\n".join(sorted(offenders))


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for target in graph.get(module, ()):
            if target not in order:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], order[target])
        if low[module] == order[module]:
            component = stack[stack.index(module) :]
            del stack[stack.index(module) :]
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return circles


def test_the_circle_finder_finds_a_circle() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_circles() -> None:
    circles = _circles(_imports())
    assert not circles, "modules importing each other (even lazily or for typing): " + str(circles)
