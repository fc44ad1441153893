"""``python -m tools.soak``: the soak test of the workstation windows (see tools/soak/__init__.py).

    python -m tools.soak [--database sqlite|postgresql|both] [--minutes N] [--tickets N] [--out DIR]
    python -m tools.soak --short [--out DIR]      # CI: both databases, ~80 s each

Exit code 0 when every target is met, 1 when one is not (or the soak could not run), 2 on bad
usage. Errors are one line; the details go to ``soak.log`` in the out dir.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
from pathlib import Path

from tools.soak.database import KINDS, new_data_key
from tools.soak.plan import Plan, make_plan
from tools.soak.report import Targets, judge, render_markdown, summary

log = logging.getLogger("tools.soak")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.soak",
                                     description="Soak test: the windows over a compressed branch day.")
    parser.add_argument("--database", choices=[*KINDS, "both"], help="default: sqlite (both with --short)")
    parser.add_argument("--minutes", type=float, help="length of the day per database (default 20; short 80 s)")
    parser.add_argument("--tickets", type=int, help="tickets to issue per database (default 75 a minute)")
    parser.add_argument("--out", type=Path, help="folder for the databases, samples, screenshots and report")
    parser.add_argument("--short", action="store_true", help="the short form for CI (~3 minutes in all)")
    args = parser.parse_args(argv)
    if args.minutes is not None and args.minutes <= 0:
        parser.error("--minutes must be positive")
    if args.tickets is not None and args.tickets <= 0:
        parser.error("--tickets must be positive")
    return args


def _logging(out: Path) -> None:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    handler = logging.FileHandler(out / "soak.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter("soak: %(message)s"))
    console.setLevel(logging.INFO)
    logging.getLogger("tools.soak").addHandler(console)


def soak(plan: Plan) -> dict:
    from tools.soak.run import run_database

    data_key = new_data_key()
    targets = Targets(judge_rss_and_lag=not plan.short)
    runs = [judge(run_database(kind, plan, data_key), targets) for kind in plan.databases]
    return summary(runs, targets)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = args.out or Path(tempfile.gettempdir()) / "branchdesk-soak"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"soak: error: cannot create {out}: {error.strerror}", file=sys.stderr)
        return 2
    _logging(out)
    plan = make_plan(database=args.database or ("both" if args.short else "sqlite"), minutes=args.minutes,
                     tickets=args.tickets, out=out, short=args.short)
    log.info("plan: %s", plan)
    try:
        report = soak(plan)
    except KeyboardInterrupt:
        print("soak: interrupted", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - one line for the user, the traceback in soak.log
        logging.getLogger().exception("the soak could not run")
        print(f"soak: error: {type(error).__name__}: {error} (details in {out / 'soak.log'})", file=sys.stderr)
        return 1
    (out / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    (out / "report.md").write_text(render_markdown(report), encoding="utf-8")
    for run in report["runs"]:
        for failure in run["failures"]:
            print(f"soak: FAIL {run['database']}: {failure}", file=sys.stderr)
        for warning in run["warnings"]:
            print(f"soak: warning {run['database']}: {warning}", file=sys.stderr)
    print(f"soak: {'PASS' if report['passed'] else 'FAIL'} — {out / 'report.md'}")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
