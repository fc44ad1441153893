"""The layers point one way: app/ never imports Qt or ui/; app/domain is plain Python.

Checked twice: by import-linter (the contracts in pyproject.toml) and by a plain AST walk
that holds even where import-linter is not installed."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"

QT_OR_UI = {"PySide6", "shiboken6", "ui"}
NOT_IN_DOMAIN = {"sqlalchemy", "alembic", "psycopg", "app.db", "app.services", "app.printing", "PySide6",
                 "reportlab"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, source: str | None = None) -> set[str]:
    """Absolute names of everything a file imports, relative imports resolved, plus string
    arguments of importlib.import_module()/__import__() calls."""
    source = path.read_text(encoding="utf-8") if source is None else source
    tree = ast.parse(source, filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            if prefix:
                found.add(prefix)
            found.update(f"{prefix}.{alias.name}" if prefix else alias.name for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def violations(files: list[Path], forbidden: set[str]) -> list[str]:
    return violations_in({path: None for path in files}, forbidden)


def violations_in(sources: dict[Path, str | None], forbidden: set[str]) -> list[str]:
    bad = []
    for path, source in sources.items():
        for name in sorted(imported_modules(path, source)):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return bad


def test_ast_walker_sees_every_import_form() -> None:
    """The checker itself: a file at app/domain/probe.py (parsed, never written)."""
    source = ("import PySide6.QtCore\nfrom shiboken6 import isValid\nfrom ... import ui\n"
              "import importlib\nimportlib.import_module('ui.main_window')\nfrom ..db import models\n"
              "from . import tickets\n")
    names = imported_modules(APP / "domain" / "probe.py", source)
    assert {"PySide6.QtCore", "shiboken6", "ui", "ui.main_window", "app.db.models",
            "app.domain.tickets"} <= names
    assert violations_in({APP / "domain" / "probe.py": source}, QT_OR_UI) == [
        "app/domain/probe.py imports PySide6.QtCore", "app/domain/probe.py imports shiboken6",
        "app/domain/probe.py imports shiboken6.isValid", "app/domain/probe.py imports ui",
        "app/domain/probe.py imports ui.main_window"]


def test_app_never_imports_qt_or_ui() -> None:
    files = sorted(APP.rglob("*.py"))
    assert len(files) > 10
    assert violations(files, QT_OR_UI) == []


def test_domain_is_plain_python() -> None:
    files = sorted((APP / "domain").rglob("*.py"))
    assert files
    assert violations(files, NOT_IN_DOMAIN) == []


def test_importing_the_core_loads_no_qt() -> None:
    """At run time too: the CLI, services and events import without pulling in Qt."""
    code = ("import sys, app.cli.main, app.events, app.services.queue, app.services.bootstrap, app.db.migrate\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'PySide6', 'shiboken6', 'ui'})\n"
            "print(bad); sys.exit(1 if bad else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_linter_contracts_are_kept() -> None:
    executable = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(executable).exists():
        pytest.fail("lint-imports is missing: pip install -e '.[test]' installs import-linter")
    result = subprocess.run([executable, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    print(output)
    assert result.returncode == 0, output
    assert "0 broken" in output
