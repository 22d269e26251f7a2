"""The architecture is enforced: numerics never imports sympy; theory never imports numerics."""

import subprocess
import sys

import pytest


def _imported(module: str) -> set:
    code = (f"import sys, importlib, pkgutil, {module}\n"
            f"for m in pkgutil.walk_packages({module}.__path__, '{module}.'):\n"
            f"    importlib.import_module(m.name)\n"
            "print(' '.join(sorted(k.split('.')[0] for k in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_numerics_never_imports_sympy():
    mods = _imported("numerics")
    assert "sympy" not in mods
    assert "theory" not in mods and "proofs_checks" not in mods


def test_theory_never_imports_numerics_or_checks():
    mods = _imported("theory")
    assert "numerics" not in mods and "proofs_checks" not in mods


# -- the import graph: no circles, and the claim modules are leaves ------------------------------
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("theory", "numerics", "proofs_checks")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _import_graph() -> dict:
    """Module -> first-party modules it imports, from every ``import`` statement at any depth
    (lazy imports inside functions count: a lazy circle is still a circle)."""
    files = {_module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    graph = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                names = [base] + [f"{base}.{a.name}" for a in node.names]
            else:
                continue
            for target in names:
                # The longest first-party module the name refers to.
                while target and target not in files:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    targets.add(target)
        graph[name] = targets
    return graph


def _cycles(graph: dict) -> list:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _ancestors(name: str) -> set:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_no_import_circles():
    graph = _import_graph()
    # A package importing its own submodules (its __init__ catalogue) is not a circle.
    graph = {m: {t for t in ts if t not in _ancestors(m)} for m, ts in graph.items()}
    assert _cycles(graph) == []


def test_commands_and_experiments_do_not_import_claims():
    offenders = {m: sorted(t for t in ts if t.startswith("proofs_checks.claims"))
                 for m, ts in _import_graph().items()
                 if m.startswith(("proofs_checks.commands", "proofs_checks.experiments",
                                  "proofs_checks.reproduce"))}
    assert {m: ts for m, ts in offenders.items() if ts} == {}
