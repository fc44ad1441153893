"""Regenerate the README screenshots offscreen, in Chinese, from a throw-away demo database.

    QT_QPA_PLATFORM=offscreen python packaging/screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_TEXTTOSPEECH_ENGINE", "mock")

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.domain.priority import PriorityClass  # noqa: E402
from app.services.auth import authenticate  # noqa: E402
from app.services.bootstrap import DEMO_PASSWORD, prepare_database, seed_demo  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.services.registry import Services  # noqa: E402
from ui.context import AppContext  # noqa: E402
from ui.event_bridge import EventBridge  # noqa: E402
from ui.i18n import install_translators  # noqa: E402
from ui.workstation_start import open_workstation_window  # noqa: E402
from ui.printing.fonts import install_app_font  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def settle(app: QApplication, seconds: float = 0.5) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    app = QApplication(sys.argv[:1])
    install_app_font(app)
    translators = install_translators(app, "zh_CN")  # noqa: F841
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["BRANCHDESK_CONFIG_DIR"] = tmp
        db = prepare_database(f"sqlite:///{Path(tmp) / 'shots.sqlite3'}")
        branch = seed_demo(db)
        lobby = authenticate(db, "lobby", DEMO_PASSWORD)
        teller = authenticate(db, "teller1", DEMO_PASSWORD)
        base = AppContext(Services(db, Settings(), zone=branch.timezone), branch, language="zh_CN", actor=lobby)
        for code, priority in (("loan", PriorityClass.NORMAL), ("deposit_withdrawal", PriorityClass.GREEN),
                               ("wealth", PriorityClass.VIP_GOLD), ("deposit_withdrawal", PriorityClass.NORMAL),
                               ("remittance", PriorityClass.NORMAL), ("account_opening", PriorityClass.NORMAL)):
            base.services.queue.issue_ticket(lobby, branch.id, code, priority=priority)
        for counter in (2, 3):
            base.services.queue.call_next(teller, branch.id, counter)
        OUT.mkdir(parents=True, exist_ok=True)
        shots = (("counter", teller, 1, "teller-console.png", (1280, 800)),
                 ("display", None, 0, "calling-display.png", (1600, 900)),
                 ("kiosk", lobby, 0, "kiosk.png", (1280, 800)))
        for role, actor, counter, name, size in shots:
            context = AppContext(Services(db, Settings(), zone=branch.timezone), branch, language="zh_CN", actor=actor,
                                 counter_number=counter)
            bridge = EventBridge(db, branch.id)
            bridge.start()
            window = open_workstation_window(role, context, bridge)
            window.showNormal()
            window.resize(*size)
            if role == "counter":
                settle(app)
                context.services.queue.call_next(teller, branch.id, 1)
            settle(app, 1.0)
            window.grab().save(str(OUT / name))
            window.close()
            bridge.stop()
        db.dispose()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
