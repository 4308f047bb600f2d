"""How the package is put together: its layers (the import-linter contracts
in pyproject.toml, which `make lint` checks too) and no circle of imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp  # import-linter's own graph of the imports
from _corpus import ROOT

# No exceptions: each writer's Options has a module of its own that both its
# light package and its heavy parts import.
KNOWN_CIRCLES: set[frozenset[str]] = set()


def test_the_layers_contract_holds():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    r = subprocess.run([str(lint_imports), "--config", str(ROOT / "pyproject.toml"), "--no-cache", "--no-logo"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_no_module_imports_itself_round_a_circle():
    graph = grimp.build_graph("convert", cache_dir=None)  # imports made only for type checkers count too
    circles: dict[frozenset[str], list[str]] = {}
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                chain = [importer, *back]
                circles.setdefault(frozenset(chain), [_step(graph, a, b) for a, b in zip(chain, chain[1:], strict=False)])
    found = {members: steps for members, steps in circles.items() if members not in KNOWN_CIRCLES}
    assert not found, "\n\n".join("\n".join(steps) for steps in found.values())


def _step(graph: grimp.ImportGraph, importer: str, imported: str) -> str:
    details = graph.get_import_details(importer=importer, imported=imported)
    where = f" (line {details[0]['line_number']}: {details[0]['line_contents']})" if details else ""
    return f"{importer} -> {imported}{where}"
