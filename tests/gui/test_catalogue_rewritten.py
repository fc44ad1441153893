"""A translation catalogue rewritten while the app runs must not crash it (a soak window died of
SIGSEGV inside QCoreApplication.translate when the .qm file was rebuilt under it: Qt had mapped the
file into memory). ui/i18n.py loads a copy; checked in a process of its own, since the failure is
a crash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "resources" / "translations" / "branchdesk_zh_CN.qm"

SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QTranslator
from ui.i18n import _load_copy
app = QCoreApplication([])
path = Path(sys.argv[1])
translator = QTranslator(app)
assert _load_copy(translator, path)
app.installTranslator(translator)
before = QCoreApplication.translate("Audit", "Sign-in failed")
path.write_bytes(b"\\0" * 16)  # truncated and overwritten, as a rebuild or an update does
after = QCoreApplication.translate("Audit", "Sign-in failed")
print(before, after)
"""


def test_translations_survive_the_catalogue_being_rewritten(tmp_path) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "catalogue.qm"
    shutil.copyfile(CATALOGUE, copy)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(copy)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["登录失败", "登录失败"]
