"""``branchdesk-admin audit verify|list|export``: the security log for branch IT and auditors.

``verify`` exits 3 when the log is broken and names the first entry that does not match (an
edited row, the row after a removed one, a seal that does not match), or says what is wrong as a
whole (a protecting trigger dropped, the newest entry this workstation recorded gone)."""

from __future__ import annotations

import argparse
import json
import sys

from app.cli.common import Commands, Context, emit, to_json
from app.domain.time_range import parse_bound
from app.output_files import write_text
from app.services.audit import AuditEntryView, AuditFilter, entries_csv

EXIT_BROKEN_CHAIN = 3


def _filter(ctx: Context) -> AuditFilter:
    tz = ctx.settings.get("branch.timezone")
    args = ctx.args
    return AuditFilter(
        username=args.user or None, action=args.action or None,
        since=parse_bound(args.since, tz, end=False, field="since") if args.since else None,
        until=parse_bound(args.until, tz, end=True, field="until") if args.until else None)


def cmd_verify(ctx: Context) -> int:
    report = ctx.services.audit_log.verify_report(ctx.actor)
    broken = report.broken
    if broken is None:
        head = f"; the newest entry this workstation recorded (#{report.head.entry_id}) is there" if report.head else \
            "; this workstation keeps no head for this database"
        tail = f"; {report.unsealed_tail} newest not sealed yet (written without the data key)" \
            if report.unsealed_tail else ""
        emit(ctx.args, {"intact": True, "entries": report.entries, "sealed": report.sealed,
                        "unsealed_tail": report.unsealed_tail,
                        "head_entry_id": report.head.entry_id if report.head else None},
             f"audit chain intact: {report.entries} entries, {report.sealed} sealed{tail}{head}")
        return 0
    if ctx.args.json:
        print(json.dumps({"intact": False, "entry_id": broken.entry_id, "reason": broken.reason}))
    where = f"at entry {broken.entry_id}" if broken.entry_id else "as a whole"
    print(f"branchdesk-admin: audit chain broken {where}: {broken.reason}", file=sys.stderr)
    return EXIT_BROKEN_CHAIN


def _line(entry: AuditEntryView) -> str:
    detail = json.dumps(entry.detail, ensure_ascii=False, sort_keys=True) if entry.detail else ""
    target = f" {entry.target_type}:{entry.target_id}" if entry.target_type else ""
    at = entry.at.isoformat(timespec="seconds")
    return f"{entry.id:>6}  {at}  {entry.username:<16} {entry.action:<18}{target} {detail}"


def cmd_list(ctx: Context) -> int:
    entries = ctx.services.audit_log.entries(ctx.actor, _filter(ctx), limit=ctx.args.limit)
    if ctx.args.csv:
        sys.stdout.write(entries_csv(entries))
    elif ctx.args.json:
        print(json.dumps(to_json(entries), ensure_ascii=False))
    else:
        print("\n".join(_line(e) for e in entries) if entries else "no entries")
    return 0


def cmd_export(ctx: Context) -> int:
    """All matching entries, oldest first, as CSV (the export itself is audited)."""
    text = ctx.services.audit_log.export_csv(ctx.actor, _filter(ctx))
    if ctx.args.out:
        write_text(ctx.args.out, text, encoding="utf-8-sig")  # the BOM lets Excel read UTF-8
        rows = max(0, len(text.splitlines()) - 1)
        print(json.dumps({"file": ctx.args.out, "rows": rows}) if ctx.args.json else f"{rows} entries written to "
              f"{ctx.args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", help="only this user name")
    parser.add_argument("--action", help="only this action (login, lockout, reveal, export…)")
    parser.add_argument("--since", help="from this date or time (YYYY-MM-DD[THH:MM], branch time zone)")
    parser.add_argument("--until", help="up to this date (inclusive) or time (exclusive)")


def register(areas: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    audit = Commands(areas, "audit", "the security audit log", common)
    audit.add("verify", cmd_verify, f"check the hash chain; exit {EXIT_BROKEN_CHAIN} naming the first broken entry")
    p = audit.add("list", cmd_list, "list entries, newest first")
    _filters(p)
    p.add_argument("--limit", type=int, default=1000)
    p.add_argument("--csv", action="store_true", help="CSV instead of text")
    p = audit.add("export", cmd_export, "export entries as CSV (to --out FILE or stdout), oldest first")
    _filters(p)
    p.add_argument("--out", metavar="FILE")
