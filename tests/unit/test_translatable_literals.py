"""Every text handed to Qt's translation is a literal lupdate can extract: a wrapper such as
``def _t(text): return QCoreApplication.translate("Audit", text)`` passes the tests in English and
leaves the Chinese UI showing English (it happened to the audit log's labels)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _is_translate(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr in {"translate", "tr"}


def test_translated_texts_are_literals() -> None:
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_translate(node)):
                continue
            texts = node.args[1:2] if node.func.attr == "translate" else node.args[:1]  # type: ignore[union-attr]
            if node.func.attr == "translate" and not (  # type: ignore[union-attr]
                    isinstance(node.func.value, ast.Name) and node.func.value.id in {"QCoreApplication", "app",  # type: ignore[union-attr]
                                                                                    "QApplication"}):
                continue  # some other object's translate (e.g. str.translate)
            if texts and not (isinstance(texts[0], ast.Constant) and isinstance(texts[0].value, str)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
