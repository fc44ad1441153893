"""docs/ARCHITECTURE.md stays true: every file or folder it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "ARCHITECTURE.md"
#: A path in backticks: starts with one of the project's top folders.
PATH = re.compile(r"`((?:app|ui|tests|tools|docs|packaging|resources)/[\w/.-]*)`")


def test_every_path_the_architecture_names_exists() -> None:
    named = set(PATH.findall(DOC.read_text(encoding="utf-8")))
    assert len(named) > 30  # the pattern still finds the paths
    missing = sorted(path for path in named if not (ROOT / path.rstrip("/")).exists())
    assert missing == [], f"docs/ARCHITECTURE.md names paths that do not exist: {missing}"
