"""``branchdesk``: the desktop application.

    branchdesk                 sign in and work on the configured database
    branchdesk --demo          create the demo branch on first run, then sign in
    branchdesk --self-test     headless check of the panes; exits 0 when all is well

Exit codes: 0 done, 1 unexpected failure (details in the log), 2 refused to start (a bad setting,
no branch, a Qt binding known to crash, system libraries Qt needs missing — named on one line). The calling display and the kiosk run under a small
supervising process that restarts them after a crash (app/supervisor.py; ``--no-supervise``).

This module stays light (no Qt, no database layer): the supervising process of the display and
the kiosk only starts and watches its child, and must not spend a second importing the
workstation first. Everything else is ui/workstation_start.py.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from app import __version__
from app.logging_setup import configure_logging
from app.settings import Settings, SettingsError, choices
from app.supervisor import UNATTENDED_ROLES, is_supervised_child, supervise

ROLES = choices("workstation.role")


class _VersionAction(argparse.Action):
    """``--version`` with the Qt and Python versions, imported only when asked for."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        from ui.binding_check import versions

        parser.exit(message=f"branchdesk {__version__} ({versions()})\n")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="branchdesk", description="BranchDesk bank-branch service desk")
    parser.add_argument("--demo", action="store_true", help="seed the demo branch and users on first run")
    parser.add_argument("--self-test", action="store_true", help="run a headless self-test and exit")
    parser.add_argument("--database", metavar="URL", help="database URL (overrides settings)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="user-interface language (overrides settings)")
    parser.add_argument("--role", choices=list(ROLES),
                        help="what this workstation shows (overrides settings): the main window at a counter or the "
                             "lobby desk, the calling display, or the ticket kiosk")
    parser.add_argument("--no-supervise", action="store_true",
                        help="run the display or kiosk window directly, without the process that restarts it "
                             "after a crash")
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    return parser.parse_args(argv)


def unattended_role(args: argparse.Namespace) -> str | None:
    """The display or kiosk role this process should supervise rather than show, if any."""
    if args.self_test or args.no_supervise or is_supervised_child():
        return None
    try:
        role = args.role or Settings().get("workstation.role")
    except SettingsError:
        return None  # the window itself reports the bad settings file
    return role if role in UNATTENDED_ROLES else None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(arguments)
    log_path = configure_logging(trace_faults=True)  # a fatal error leaves every thread's stack in the log
    role_to_supervise = unattended_role(args)
    if role_to_supervise is not None:
        return supervise(arguments, role_to_supervise)
    from ui.workstation_start import start

    return start(args, log_path)


if __name__ == "__main__":
    sys.exit(main())
