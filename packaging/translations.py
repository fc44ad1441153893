"""Keep the Qt translation catalogues in step with the sources, and compile them.

    python packaging/translations.py update    # pyside6-lupdate: ui/**/*.py -> resources/translations/*.ts
    python packaging/translations.py compile   # pyside6-lrelease: *.ts -> *.qm (shipped with the app)

Source strings are English (``self.tr("…")``); translators fill ``branchdesk_zh_CN.ts`` with
Qt Linguist. The compiled ``.qm`` files are committed so a source checkout speaks Chinese
without a build step; tests check both are up to date.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN", "en")


def ts_path(language: str) -> Path:
    return TRANSLATIONS / f"branchdesk_{language}.ts"


def qm_path(language: str) -> Path:
    return TRANSLATIONS / f"branchdesk_{language}.qm"


def ui_sources() -> list[Path]:
    return sorted(p for p in (ROOT / "ui").rglob("*.py") if "__pycache__" not in p.parts)


def _tool(name: str) -> str:
    # Beside this interpreter first: a venv's tools are there even when it is not activated.
    beside = str(Path(sys.executable).parent)
    found = shutil.which(f"pyside6-{name}", path=beside) or shutil.which(f"pyside6-{name}") or shutil.which(name)
    if found is None:
        raise SystemExit(f"pyside6-{name} not found; install PySide6")
    return found


def update(ts_files: list[Path] | None = None) -> None:
    """Add new source strings to the catalogues (existing translations are kept)."""
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    for ts in ts_files or [ts_path(language) for language in LANGUAGES]:
        language = ts.stem.removeprefix("branchdesk_")
        subprocess.run([_tool("lupdate"), "-no-obsolete", "-locations", "none", "-target-language", language,
                        *map(str, ui_sources()), "-ts", str(ts)], check=True, capture_output=True)


def compile_catalogue(ts: Path, qm: Path) -> None:
    subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def compile_all() -> None:
    for language in LANGUAGES:
        compile_catalogue(ts_path(language), qm_path(language))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    else:
        raise SystemExit(__doc__)
