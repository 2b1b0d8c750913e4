"""The package layout: imports go down the stages, never up, and the Dagster layer has no circle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Stages in the order a day's data goes through them; a module may import its own stage and the
# stages before it. `ops`, `config` and `errors` serve every stage and import none of them.
STAGES = {
    "pipeline.errors": 0,
    "pipeline.config": 0,
    "pipeline.ops": 0,
    "pipeline.collect": 1,
    "pipeline.article": 2,
    "pipeline.sources": 3,  # the outlets to watch, with each site's reading overrides
    "pipeline.nlp": 4,
    "pipeline.daily": 5,
    "pipeline.evaluation": 5,
    "pipeline.real_gold": 5,
    "pipeline.real_scoring": 5,
    "pipeline.warehouse": 6,
    "pipeline.review": 7,
}
# Commands that train a component on the gold read the scoring of a later stage; the pipeline
# never imports them.
TOOLS = {"pipeline.nlp.recipients.train"}


def _stage(module: str) -> int | None:
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        rank = STAGES.get(".".join(parts[:n]))
        if rank is not None:
            return rank
    return None


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[str]:
    """Every module of veille `path` imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return [name for name in found if name.split(".")[0] in {"pipeline", "assets", "veille"}]


def _pipeline_modules() -> list[Path]:
    return sorted((REPO / "pipeline").rglob("*.py"))


def test_every_pipeline_module_belongs_to_a_stage():
    unplaced = [_module_name(p) for p in _pipeline_modules() if _stage(_module_name(p)) is None]
    assert unplaced == ["pipeline"]


@pytest.mark.parametrize("path", _pipeline_modules(), ids=lambda p: _module_name(p))
def test_imports_go_down_the_stages(path: Path):
    module = _module_name(path)
    rank = _stage(module)
    if rank is None or module in TOOLS:
        return
    upward = [
        name
        for name in _imports(path)
        if not name.startswith("pipeline") or (_stage(name) or 0) > rank
    ]
    assert upward == [], f"{module} (stage {rank}) imports a later stage or the Dagster layer"


def test_dagster_layer_has_no_import_circle():
    graph: dict[str, set[str]] = {}
    for path in sorted((REPO / "assets").glob("*.py")):
        name = _module_name(path)
        graph[name] = {
            imported
            for imported in _imports(path)
            if imported.startswith("assets.") and imported.count(".") == 1
        } | {f"assets.{alias}" for alias in _from_assets(path)}
    seen: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        if seen.get(node) == 1:
            raise AssertionError(" -> ".join([*trail, node]))
        if seen.get(node) == 2:
            return
        seen[node] = 1
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, [*trail, node])
        seen[node] = 2

    for node in graph:
        visit(node, [])


def _from_assets(path: Path) -> set[str]:
    """Modules named by `from assets import a, b`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "assets"
        for alias in node.names
    }
