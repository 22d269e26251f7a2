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
