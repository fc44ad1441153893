"""``customers add|edit|history``: a customer record registered, changed and traced from the CLI.

The same doors as the counter's form (app/services/customers/keeping.py): ``add`` needs the
customer's consent to the service and its date (``--consent-scope``, ``--consent-date``), ``edit``
names only what changes (a phone is added, or removed by its masked number as every list shows
it), and ``history`` is the record's audit trail, newest first (supervisors: ``view_audit``).
A refusal is one line on stderr and exit code 2, before anything is written.
"""

from __future__ import annotations

import argparse
import json
from datetime import date

from app.cli.common import Commands, Context, emit
from app.domain.errors import ValidationError
from app.output_files import replacing
from app.services.audit import AuditEntryView
from app.services.customers.editing import CustomerChanges
from app.domain.tiers import Compliance, Tier
from app.services.customers.records import ID_TYPES, CustomerInput
from app.services.customers.segments import SegmentFilter


def _date_option(value: str | None, option: str) -> date | None:
    """A ``YYYY-MM-DD`` option, refused as the other CLI date options are (``--date: a date …``)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(field=option, reason="date_format") from None


def cmd_add(ctx: Context) -> int:
    args = ctx.args
    data = CustomerInput(
        name=args.name, id_type=args.id_type, id_number=args.id_number, phones=tuple(args.phone or ()),
        address=args.address or "", occupation=args.occupation or "",
        consent=bool((args.consent_scope or "").strip()), consent_date=_date_option(args.consent_date, "--consent-date"),
        consent_scope=args.consent_scope or "", legal_representative=args.legal_representative or "",
        contact_name=args.contact or "", asset_band=args.asset_band or "", activity_band=args.activity_band or "",
        credit_grade=args.credit_grade or "", compliance=args.compliance or "", industry=args.industry or "",
        enterprise_size=args.enterprise_size or "",
        licence_expires_on=_date_option(args.licence_expires, "--licence-expires"))
    customer_id = ctx.services.customers.create(ctx.actor, data)
    emit(args, {"id": customer_id}, f"registered customer {customer_id}")
    return 0


def _phone_ids(ctx: Context, customer_id: int, masked: list[str]) -> tuple[int, ...]:
    """The ids of the phones to remove, named by their masked numbers (``138****1234``, as shown).
    A number that is not on the record, or that two of its phones share, is refused."""
    if not masked:
        return ()
    phones = ctx.services.customers.profile(ctx.actor, customer_id).phones
    ids = []
    for shown in masked:
        matches = [p.id for p in phones if p.masked == shown.strip()]
        if len(matches) != 1:
            raise ValidationError(field="phone to remove", reason="not_listed")
        ids.append(matches[0])
    return tuple(dict.fromkeys(ids))


def cmd_edit(ctx: Context) -> int:
    args = ctx.args
    changes = CustomerChanges(
        name=args.name, address=args.address, occupation=args.occupation,
        legal_representative=args.legal_representative, contact_name=args.contact,
        consent_scope=args.consent_scope, consent_date=_date_option(args.consent_date, "--consent-date"),
        asset_band=args.asset_band, activity_band=args.activity_band, credit_grade=args.credit_grade,
        compliance=args.compliance, industry=args.industry, enterprise_size=args.enterprise_size,
        licence_expires_on=_date_option(args.licence_expires, "--licence-expires"),
        add_phones=tuple(args.add_phone or ()),
        remove_phone_ids=_phone_ids(ctx, args.customer_id, args.remove_phone or []))
    changed = ctx.services.customer_records.change(ctx.actor, args.customer_id, changes)
    emit(args, {"id": args.customer_id, "changed": changed}, "changed: " + ", ".join(changed))
    return 0


def _entry(entry: AuditEntryView) -> dict[str, object]:
    return {"at": entry.at.isoformat(), "username": entry.username, "action": entry.action, "detail": entry.detail}


def _line(entry: AuditEntryView) -> str:
    detail = json.dumps(entry.detail, ensure_ascii=False, sort_keys=True) if entry.detail else ""
    return f"{entry.at.isoformat(timespec='seconds')}  {entry.username:<16} {entry.action:<18} {detail}".rstrip()


def cmd_history(ctx: Context) -> int:
    entries = ctx.services.customer_records.history(ctx.actor, ctx.args.customer_id)  # newest first
    emit(ctx.args, [_entry(e) for e in entries], "\n".join(_line(e) for e in entries) or "no history")
    return 0


def cmd_tiers(ctx: Context) -> int:
    """Every live customer of the user's branch scored and tiered again with the branch's thresholds."""
    if ctx.actor.branch_id is None:
        raise ValidationError(field="branch", reason="branch_ambiguous")
    moves = ctx.services.tier_recompute.run(ctx.actor, ctx.actor.branch_id)
    emit(ctx.args, {"customers": moves.customers, "up": moves.up, "down": moves.down, "rescored": moves.rescored,
                    "moves": [{"from": old, "to": new, "count": count} for (old, new), count in sorted(moves.moves.items())]},
         f"{moves.customers} customers: {moves.up} moved up, {moves.down} moved down")
    return 0


def cmd_segment(ctx: Context) -> int:
    """Count the branch's customers a filter picks; with --export, write those who agreed to
    marketing contact (masked) to a file — all or nothing, audited."""
    args = ctx.args
    if ctx.actor.branch_id is None:
        raise ValidationError(field="branch", reason="branch_ambiguous")
    where = SegmentFilter(tiers=tuple(args.tier or ()), compliance=tuple(args.compliance or ()),
                          dormant_days=args.dormant_days, review_due=args.review_due)
    count = ctx.services.segments.count(ctx.actor, ctx.actor.branch_id, where)
    if not args.export:
        emit(args, {"customers": count}, f"{count} customers")
        return 0
    text, rows = ctx.services.segments.export_for_contact(ctx.actor, ctx.actor.branch_id, where)
    with replacing(args.export, "w", encoding="utf-8-sig", newline="") as out:
        out.write(text)
    emit(args, {"customers": count, "exported": rows, "file": args.export},
         f"{count} customers; {rows} agreed to contact, exported (masked) to {args.export}")
    return 0


def _record_options(p: argparse.ArgumentParser) -> None:
    """What ``add`` and ``edit`` share; on ``edit`` an option left out leaves the field as it is."""
    p.add_argument("--address")
    p.add_argument("--occupation")
    p.add_argument("--consent-date", metavar="YYYY-MM-DD", help="when the customer agreed")
    p.add_argument("--consent-scope", metavar="SCOPE",
                   help='what the consent covers: "service,marketing,sharing" (服务/营销/共享); service is required')
    p.add_argument("--legal-representative")
    p.add_argument("--contact", help="contact person")
    p.add_argument("--industry", help="corporate records only")
    p.add_argument("--enterprise-size", metavar="SIZE", help="large|medium|small|micro (corporate records only)")
    p.add_argument("--licence-expires", metavar="YYYY-MM-DD", help="business licence expiry (corporate records only)")
    p.add_argument("--asset-band")
    p.add_argument("--activity-band")
    p.add_argument("--credit-grade")
    p.add_argument("--compliance")


def extend(customers: Commands) -> None:
    p = customers.add("add", cmd_add, "register a customer, with their consent to the service and its date (audited)")
    p.add_argument("--name", required=True)
    p.add_argument("--id-type", choices=ID_TYPES, default="resident_id")
    p.add_argument("--id-number", required=True, help="resident ID number or unified social credit code")
    p.add_argument("--phone", action="append", metavar="NUMBER", help="a phone (repeat for more)")
    _record_options(p)
    p = customers.add("edit", cmd_edit, "change a customer record: only the options given (audited, fields named)")
    p.add_argument("customer_id", type=int)
    p.add_argument("--name")
    _record_options(p)
    p.add_argument("--add-phone", action="append", metavar="NUMBER", help="a phone to add (repeat for more)")
    p.add_argument("--remove-phone", action="append", metavar="MASKED",
                   help="a phone to remove, by its masked number as shown (138****1234; repeat for more)")
    customers.add("tiers", cmd_tiers, "recompute the tiers of the branch's customers from their bands and the "
                  "branch's thresholds (supervisor; audited with the counts moved up and down)")
    p = customers.add("segment", cmd_segment, "count the branch's customers a filter picks; --export FILE "
                      "writes those who agreed to marketing contact, masked (needs export_customers; audited)")
    p.add_argument("--tier", action="append", choices=[t.value for t in Tier])
    p.add_argument("--compliance", action="append", choices=[c.value for c in Compliance])
    p.add_argument("--dormant-days", type=int, metavar="N", help="no ticket in the last N days")
    p.add_argument("--review-due", action="store_true", help="periodic review due by today")
    p.add_argument("--export", metavar="FILE", help="CSV for contact: masked, consent to marketing only")
    p = customers.add("history", cmd_history, "what was done to a customer record, by whom and when, newest first "
                      "(supervisor)")
    p.add_argument("customer_id", type=int)
