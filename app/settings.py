"""Workstation settings: declared once as data, stored as TOML, overridable by environment.

Every value that the bank may tune (DOMAIN.md calls them *configurable*) is declared
here with its type, default, unit and help text; nothing else in the code carries such
a literal. The file lives in the user config dir (platformdirs); environment variables
win over the file so that a shared install can be steered without editing it.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

APP_NAME = "BranchDesk"
APP_AUTHOR = "BranchDesk"


#: Scopes of a setting. A workstation setting lives in this PC's settings.toml (its database, role,
#: printers...). A branch setting is the branch's policy (queue, complaint deadlines, security, tiers,
#: notices): a supervisor sets it once in the database for all the branch's workstations
#: (app/services/branch_settings.py); until then this PC's file or the default applies.
WORKSTATION = "workstation"
BRANCH = "branch"


@dataclass(frozen=True)
class SettingSpec:
    key: str
    type: type
    default: Any
    help: str
    unit: str = ""
    env: str | None = None
    choices: tuple[Any, ...] = ()
    scope: str = WORKSTATION
    #: Bounds of a number a supervisor may set for the branch (app/services/branch_settings.py).
    minimum: float | None = None
    maximum: float | None = None


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("database.url", str, "", "SQLAlchemy URL of the database; empty means the local SQLite file.",
                env="BRANCHDESK_DATABASE_URL"),
    SettingSpec("workstation.branch", str, "", "Code of the branch this workstation belongs to.",
                env="BRANCHDESK_BRANCH"),
    SettingSpec("workstation.counter", int, 0, "Counter (window) number served at this workstation; 0 for none.",
                env="BRANCHDESK_COUNTER"),
    SettingSpec("workstation.role", str, "counter", "Role of this workstation.",
                choices=("counter", "lobby", "display", "kiosk", "dashboard")),
    SettingSpec("ui.language", str, "zh_CN", "User-interface language.", env="BRANCHDESK_LANG",
                choices=("zh_CN", "en")),
    SettingSpec("branch.timezone", str, "Asia/Shanghai", "Default time zone of a new branch (business day)."),
    SettingSpec("queue.wait_alert_minutes", int, 20, "Waiting time that raises an alert.", unit="min",
                scope=BRANCH, minimum=1, maximum=240),
    SettingSpec("queue.starvation_minutes", int, 30,
                "A normal ticket waiting this long is not passed over again by priority tickets.", unit="min",
                scope=BRANCH, minimum=1, maximum=480),
    SettingSpec("queue.recalls_before_no_show", int, 2,
                "How many times a ticket is recalled before it may be marked a no-show.", unit="recalls",
                scope=BRANCH, minimum=0, maximum=10),
    SettingSpec("queue.service_time_weight", float, 0.3,
                "Weight of the newest service in the recent average service time (0–1).", unit="ratio",
                scope=BRANCH, minimum=0.05, maximum=1),
    SettingSpec("queue.elderly_age", int, 65, "Age from which a customer is served through the green channel.",
                unit="years", scope=BRANCH, minimum=50, maximum=100),
    SettingSpec("appointment.early_minutes", int, 30,
                "How early before the slot an appointment may check in with priority.", unit="min",
                scope=BRANCH, minimum=0, maximum=240),
    SettingSpec("appointment.late_minutes", int, 10,
                "How late after the slot start an appointment still checks in with priority.", unit="min",
                scope=BRANCH, minimum=0, maximum=120),
    SettingSpec("display.announce_repeats", int, 2, "How many times each call is spoken.", unit="times"),
    SettingSpec("display.flash_seconds", int, 6, "How long a new call flashes on the calling display.", unit="s"),
    SettingSpec("display.notice", str, "欢迎光临！请留意叫号，过号请重新取号。为保障您的资金安全，请勿向他人透露密码和验证码。",
                "Scrolling notice line on the calling display.", scope=BRANCH),
    SettingSpec("display.history_size", int, 8, "How many recent calls the calling display lists."),
    SettingSpec("display.screen", int, 0,
                "Monitor (0 = primary) on which the calling display or the kiosk opens full screen."),
    SettingSpec("events.sqlite_poll_ms", int, 250,
                "How often a workstation on SQLite checks for changes by other workstations.", unit="ms"),
    SettingSpec("printing.slip_printer", str, "", "Printer for ticket slips; empty for the system default."),
    SettingSpec("printing.a4_printer", str, "", "Printer for A4 forms; empty for the system default."),
    SettingSpec("printing.slip_width_mm", int, 80, "Paper width of the slip printer.", unit="mm", choices=(80, 58)),
    SettingSpec("printing.slip_notice", str, "请留意叫号屏幕及语音提示，过号请重新取号。",
                "Notice printed at the foot of every ticket slip.", scope=BRANCH),
    SettingSpec("printing.bank_name", str, "",
                "The bank's name on slips, letters, reports, the calling display and the kiosk (set by the setup "
                "wizard with a new branch).", scope=BRANCH),
    SettingSpec("backup.keep_days", int, 14, "How many daily SQLite backups are kept.", unit="days"),
    SettingSpec("logging.keep_days", int, 183,
                "How many days of this workstation's log files are kept (PIPL: at least six months).", unit="days"),
    SettingSpec("dashboard.queue_per_counter", int, 5,
                "People waiting per open counter of a business type that raises an alert.", unit="people",
                scope=BRANCH, minimum=1, maximum=100),
    SettingSpec("dashboard.satisfaction_goal_percent", int, 95,
                "Branch goal for the share of satisfied ratings (满意 and above).", unit="%",
                scope=BRANCH, minimum=50, maximum=100),
    SettingSpec("dashboard.history_weeks", int, 4,
                "How many previous weeks the usual day (same weekday) on the dashboard charts averages.",
                unit="weeks", scope=BRANCH, minimum=1, maximum=12),
    SettingSpec("complaints.decide_days", int, 15,
                "Calendar days from receipt within which a complaint must be decided.", unit="days",
                scope=BRANCH, minimum=1, maximum=60),
    SettingSpec("complaints.extended_days", int, 30,
                "Deadline of a complex complaint after a supervisor's first extension.", unit="days",
                scope=BRANCH, minimum=1, maximum=90),
    SettingSpec("complaints.max_days", int, 60,
                "Deadline of an especially complex complaint after the second extension (the maximum).",
                unit="days", scope=BRANCH, minimum=1, maximum=180),
    SettingSpec("complaints.review_days", int, 30,
                "Days after the decision within which the complainant may ask for review.", unit="days",
                scope=BRANCH, minimum=1, maximum=90),
    SettingSpec("complaints.near_due_days", int, 3,
                "Open complaints due within this many days are highlighted as near due.", unit="days",
                scope=BRANCH, minimum=0, maximum=30),
    SettingSpec("complaints.reference_prefix", str, "TS", "Prefix of complaint reference numbers (TS-2026-0001).",
                scope=BRANCH),
    SettingSpec("security.max_failed_logins", int, 5,
                "Wrong passwords in a row after which an account is locked.", unit="attempts",
                scope=BRANCH, minimum=3, maximum=20),
    SettingSpec("security.lockout_minutes", int, 15, "How long a locked account stays locked.", unit="min",
                scope=BRANCH, minimum=1, maximum=1440),
    SettingSpec("security.password_min_length", int, 8, "Minimum length of a new password.", unit="characters",
                scope=BRANCH, minimum=6, maximum=64),
    SettingSpec("security.password_letters_and_digits", bool, True,
                "A new password must contain at least one letter and one digit.", scope=BRANCH),
    SettingSpec("security.idle_lock_minutes", float, 5.0,
                "Idle time after which a counter or lobby workstation locks itself; 0 never locks.", unit="min",
                scope=BRANCH, minimum=0, maximum=240),
    SettingSpec("backup.dir", str, "", "Folder of the scheduled SQLite backups; empty means 'backups' next to "
                "the database file."),
    SettingSpec("customers.tier_gold_score", int, 55,
                "Composite score (0–100) from which a customer is served as 金卡 (gold).", unit="points",
                scope=BRANCH, minimum=0, maximum=100),
    SettingSpec("customers.tier_platinum_score", int, 75,
                "Composite score (0–100) from which a customer is served as 白金 (platinum).", unit="points",
                scope=BRANCH, minimum=0, maximum=100),
    SettingSpec("customers.tier_diamond_score", int, 90,
                "Composite score (0–100) from which a customer is served as 钻石 (diamond).", unit="points",
                scope=BRANCH, minimum=0, maximum=100),
    SettingSpec("customers.review_months", int, 12,
                "Months between periodic reviews of a customer's record; a company's review falls due at "
                "its business licence expiry when that comes first.", unit="months", scope=BRANCH,
                minimum=1, maximum=60),
    SettingSpec("customers.reveal_seconds", int, 15,
                "How long a revealed ID number, phone or account stays visible before it is masked again.",
                unit="s", scope=BRANCH, minimum=3, maximum=300),
    SettingSpec("customers.search_page_size", int, 50, "Customers listed per page of search results."),
    SettingSpec("customers.import_batch_size", int, 1000,
                "Rows imported per transaction by the customer import.", unit="rows"),
    SettingSpec("customers.key_file", str, "",
                "File holding the data-encryption key of personal fields; empty: data.key in the config directory. "
                "BRANCHDESK_DATA_KEY wins over the file.", env="BRANCHDESK_DATA_KEY_FILE"),
)

_BY_KEY = {spec.key: spec for spec in SPECS}


#: Settings that only make sense together (rules in app/services/branch_settings.py). When the branch
#: sets one of a group, the whole group comes from the branch (its values, else the defaults) and
#: never half from this PC's file: deadlines must lengthen and tier scores rise as a set.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("complaints.decide_days", "complaints.extended_days", "complaints.max_days"),
    ("customers.tier_gold_score", "customers.tier_platinum_score", "customers.tier_diamond_score"),
)

#: The words a yes/no setting accepts as text.
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def spec(key: str) -> SettingSpec:
    return _BY_KEY[key]


def branch_specs() -> tuple[SettingSpec, ...]:
    """The settings a branch shares, in declaration order."""
    return tuple(s for s in SPECS if s.scope == BRANCH)


def choices(key: str) -> tuple[Any, ...]:
    return _BY_KEY[key].choices


def default(key: str) -> Any:
    """The declared default of a setting (what a fresh install uses)."""
    return _BY_KEY[key].default


class SettingsError(ValueError):
    """A settings file or override holds a value of the wrong type or out of range."""


def config_dir() -> Path:
    override = os.environ.get("BRANCHDESK_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def data_dir() -> Path:
    override = os.environ.get("BRANCHDESK_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    override = os.environ.get("BRANCHDESK_LOG_DIR")
    return Path(override) if override else Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def coerce(spec: SettingSpec, raw: Any, source: str) -> Any:
    """``raw`` as the setting's type, or SettingsError naming ``source``."""
    try:
        if spec.type is int and isinstance(raw, str):
            value: Any = int(raw.strip())
        elif spec.type is bool and isinstance(raw, str):
            word = raw.strip().lower()
            if word not in TRUE_WORDS + FALSE_WORDS:
                raise ValueError(f"not a yes/no word: {raw!r}")
            value = word in TRUE_WORDS
        elif spec.type in (int, float) and isinstance(raw, bool):
            raise TypeError("a number is expected")
        else:
            value = spec.type(raw)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"{source}: setting {spec.key} must be {spec.type.__name__}, got {raw!r}") from exc
    if spec.choices and value not in spec.choices:
        raise SettingsError(f"{source}: setting {spec.key} must be one of {spec.choices}, got {value!r}")
    return value


class Settings:
    """Values from the TOML file, with environment overrides on top and declared defaults below;
    a branch setting's value from the database (``use_branch_values``) comes before the file's."""

    def __init__(self, path: Path | None = None, environ: dict[str, str] | None = None) -> None:
        self.path = path or config_dir() / "settings.toml"
        self._environ = os.environ if environ is None else environ
        self._stored: dict[str, Any] = {}
        self._branch: dict[str, Any] = {}
        self._branch_defaults: dict[str, Any] = {}  # the rest of a GROUP the branch sets part of
        if self.path.exists():
            with self.path.open("rb") as fh:
                self._stored = _flatten(tomllib.load(fh))

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def get(self, key: str) -> Any:
        spec = _BY_KEY[key]
        if spec.env and self._environ.get(spec.env):
            return coerce(spec, self._environ[spec.env], f"environment {spec.env}")
        if key in self._branch:
            return self._branch[key]
        if key in self._branch_defaults:
            return self._branch_defaults[key]
        if key in self._stored:
            return coerce(spec, self._stored[key], str(self.path))
        return spec.default

    def source(self, key: str) -> str:
        """Where ``get(key)`` comes from: "environment", "branch", "file" or "default"."""
        spec = _BY_KEY[key]
        if spec.env and self._environ.get(spec.env):
            return "environment"
        if key in self._branch:
            return "branch"
        return "file" if key in self._stored and key not in self._branch_defaults else "default"

    def use_branch_values(self, values: dict[str, Any]) -> None:
        """Replace the branch's shared values (already checked when they were stored)."""
        self._branch = {key: value for key, value in values.items()
                        if key in _BY_KEY and _BY_KEY[key].scope == BRANCH}
        self._branch_defaults = {key: _BY_KEY[key].default for group in GROUPS if set(group) & set(self._branch)
                                 for key in group if key not in self._branch}

    def set(self, key: str, value: Any) -> None:
        spec = _BY_KEY[key]
        self._stored[key] = coerce(spec, value, "new value")

    def save(self) -> None:
        nested: dict[str, dict[str, Any]] = {}
        for key, value in sorted(self._stored.items()):
            section, name = key.split(".", 1)
            nested.setdefault(section, {})[name] = value
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_bytes(tomli_w.dumps(nested).encode("utf-8"))
        tmp.replace(self.path)

    def database_url(self) -> str:
        """The configured URL, or the local SQLite file in the user data dir."""
        url = self.get("database.url")
        if url:
            return url
        return f"sqlite:///{data_dir() / 'branchdesk.sqlite3'}"


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in tree.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, key + "."))
        elif key in _BY_KEY:
            flat[key] = value
    return flat
