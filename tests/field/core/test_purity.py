"""The field core imports only the standard library and the other pure cores (the import-linter
contract checks the same; this catches it without running lint-imports)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import doorstep.field.core

CORE = Path(doorstep.field.core.__file__).parent
ALLOWED_PREFIXES = ("doorstep.common.core", "doorstep.compliance.core", "doorstep.field.core")


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add("." * node.level + (node.module or ""))
    return modules


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda path: path.name)
def test_a_core_module_imports_only_the_standard_library_and_pure_cores(path: Path) -> None:
    for module in imported_modules(path):
        if module.startswith("."):
            continue  # relative: inside the core package
        top = module.split(".")[0]
        assert top in sys.stdlib_module_names or module.startswith(ALLOWED_PREFIXES), f"{path.name}: {module}"
