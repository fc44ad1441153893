"""A fresh database for one soak run, and the environment every process of the run shares.

SQLite: a new file in the run's folder. PostgreSQL: a server started by ``pgserver`` (as the
test suite does, tests/integration/conftest.py) with a new database on it. Either way the app's
own ``prepare_database`` migrates it and ``seed_demo`` creates branch DEMO (counters 1–6, users
teller1…6, lobby, supervisor, password ``Demo@2026``) and the generated demo customers.
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
import shutil
import tempfile
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.services.bootstrap import DEMO_BRANCH_CODE, prepare_database, seed_demo

log = logging.getLogger(__name__)

KINDS = ("sqlite", "postgresql")
#: Settings every soak process reads from its config dir. The idle lock is off: nobody touches
#: the teller console, and a locked console would hide (and stop refreshing) what is measured.
SETTINGS_TOML = "[security]\nidle_lock_minutes = 0.0\n"


@dataclass
class SoakDatabase:
    kind: str
    url: str
    folder: Path
    _server: Any = None
    _server_dir: Path | None = None
    customers: int = 0
    env: dict[str, str] = field(default_factory=dict)

    def close(self) -> None:
        """Stop the PostgreSQL server (if this run started one) and remove its data directory."""
        if self._server is not None:
            try:
                self._server.cleanup()
            except Exception:  # noqa: BLE001 - best effort at the very end; logged
                log.warning("pgserver cleanup failed", exc_info=True)
            self._server = None
        if self._server_dir is not None:
            shutil.rmtree(self._server_dir, ignore_errors=True)
            self._server_dir = None


def new_data_key() -> str:
    """A ``BRANCHDESK_DATA_KEY`` value (app/keys.py): every process of a run holds the same key."""
    return "soak:" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def _start_pgserver() -> tuple[Any, Path, str]:
    # Outside the out dir: pgserver runs postgres as an unprivileged user when we are root, and
    # that user must be able to reach the data directory (the suite does the same).
    datadir = Path(tempfile.mkdtemp(prefix="branchdesk-soak-pg-"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns without XDG_RUNTIME_DIR
        import pgserver

        server = pgserver.get_server(datadir, cleanup_mode="stop")
    return server, datadir, server.get_uri()


def _create_pg_database(admin_uri: str) -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"soak_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_uri, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return make_url(admin_uri).set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False)


def prepare(kind: str, folder: Path, *, data_key: str, customers: int) -> SoakDatabase:
    """Create, migrate and seed the database; lay out config/data/log dirs under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    server = server_dir = None
    if kind == "sqlite":
        path = folder / "branchdesk.sqlite3"
        for stale in folder.glob("branchdesk.sqlite3*"):
            stale.unlink()
        url = f"sqlite:///{path}"
    elif kind == "postgresql":
        server, server_dir, admin = _start_pgserver()
        url = _create_pg_database(admin)
    else:
        raise ValueError(f"unknown database kind {kind!r}")
    soak = SoakDatabase(kind, url, folder, server, server_dir)
    try:
        soak.env = environment(soak, data_key)
        previous = {name: os.environ.get(name) for name in soak.env}
        os.environ.update(soak.env)  # the demo customers are encrypted with the run's key
        try:
            db = prepare_database(url)
            try:
                seed_demo(db, customers=customers)
            finally:
                db.dispose()
        finally:
            for name, value in previous.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        soak.customers = customers
    except BaseException:
        soak.close()
        raise
    return soak


def environment(soak: SoakDatabase, data_key: str) -> dict[str, str]:
    """BRANCHDESK_* variables for every process of the run (log dirs are set per process)."""
    config = soak.folder / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text(SETTINGS_TOML, encoding="utf-8")
    (soak.folder / "data").mkdir(parents=True, exist_ok=True)
    return {
        "BRANCHDESK_DATABASE_URL": soak.url,
        "BRANCHDESK_BRANCH": DEMO_BRANCH_CODE,
        "BRANCHDESK_CONFIG_DIR": str(config),
        "BRANCHDESK_DATA_DIR": str(soak.folder / "data"),
        "BRANCHDESK_LOG_DIR": str(soak.folder / "logs" / "soak"),
        "BRANCHDESK_DATA_KEY": data_key,
    }
