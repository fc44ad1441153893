"""Locate files under ``resources/`` the same way from source and from a bundle.

From a source checkout (or an editable install) the folder sits beside ``app/``.
In a PyInstaller bundle, it is unpacked under ``sys._MEIPASS``.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root:
        return Path(bundle_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a file under resources/; raises FileNotFoundError when it is missing."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"BranchDesk resource missing: {path}")
    return path
