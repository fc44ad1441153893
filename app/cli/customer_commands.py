"""``customers import|export|search|duplicates|merge`` and ``keys status|rotate|prune``
(``customers add|edit|history``: app/cli/customer_record_commands.py).

``customers import`` exits 0 when the file was read to its end (rejected rows are listed in the
error file), 2 when it is refused or unreadable, and 130 when interrupted with Ctrl-C; the
batches committed before a failure or an interruption stay, each with its audit entry.

``customers merge KEEP DROP --reason …`` folds a duplicate record (an import brings the same
person in twice, e.g. under a mistyped ID number) into the one kept: a supervisor's step
(``merge_customers``; others are refused and the refusal is audited), one transaction with its
``merge`` audit entry naming the ``--as`` user. ``customers duplicates ID`` lists the candidates.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.cli import customer_record_commands
from app.cli.common import Commands, Context, emit
from app.domain.roles import Permission
from app.keys import KEY_ENV, DataKeyError, FieldCipher, default_key_path, load_keyring
from app.output_files import replacing
from app.services.audit import AuditAction, record, require
from app.services.customers.service import customer_summary
from app.services.data_keys import create_data_key, forget, key_source, loose_permissions, open_cipher, registered_keys
from app.services.key_rotation import keys_in_use, rotate, seals_per_key


def cmd_import(ctx: Context) -> int:
    importer = ctx.services.customer_import(batch_size=ctx.args.batch_size or 0, workers=ctx.args.workers)
    shown = False

    def progress(done: int, total: int) -> None:
        nonlocal shown
        shown = True
        print(f"\r{done}/{total} rows", end="", file=sys.stderr, flush=True)

    try:
        result = importer.import_file(ctx.actor, Path(ctx.args.file),
                                      error_path=Path(ctx.args.errors) if ctx.args.errors else None,
                                      progress=progress)
    except KeyboardInterrupt:
        print(("\n" if shown else "") + "branchdesk-admin: import interrupted; the batches already committed "
              "stay (audit log: import_batch)", file=sys.stderr)
        return 130
    except BaseException:
        if shown:  # end the progress line, so that the error is a line of its own
            print(file=sys.stderr)
        raise
    print(file=sys.stderr)
    emit(ctx.args, result, f"imported {result.imported}, rejected {result.rejected}"
         + (f" (reasons in {result.error_file})" if result.error_file else ""))
    return 0


def cmd_export(ctx: Context) -> int:
    importer = ctx.services.customer_import()
    if ctx.args.output:
        with replacing(ctx.args.output, "w", encoding="utf-8-sig", newline="") as out:
            count = importer.export_csv(ctx.actor, out)
    else:
        count = importer.export_csv(ctx.actor, sys.stdout)  # type: ignore[arg-type]
    if ctx.args.output:
        emit(ctx.args, {"exported": count, "file": ctx.args.output}, f"exported {count} customers (masked)")
    return 0


def cmd_search(ctx: Context) -> int:
    page = ctx.services.customers.search(ctx.actor, ctx.args.text, page=ctx.args.page, page_size=ctx.args.page_size)
    rows = [customer_summary(hit) for hit in page.items]
    emit(ctx.args, {"query": page.query, "mode": page.mode, "page": page.page, "has_more": page.has_more,
                    "results": rows},
         "\n".join(f"{r['id']:>8}  {r['name']}  {r['id_number']}  {r['phone']}  {r['tier']}" for r in rows)
         or "no customers found")
    return 0


def cmd_duplicates(ctx: Context) -> int:
    found = ctx.services.customer_merge.duplicates_of(ctx.actor, ctx.args.customer_id)
    rows = [{"id": d.customer_id, "name": d.name, "id_number": d.id_masked, "reason": d.reason} for d in found]
    emit(ctx.args, rows, "\n".join(f"{r['id']:>8}  {r['name']}  {r['id_number']}  {r['reason']}" for r in rows)
         or "no duplicates found")
    return 0


def cmd_merge(ctx: Context) -> int:
    keep, drop = ctx.args.keep, ctx.args.drop
    moved = ctx.services.customer_merge.merge(ctx.actor, keep, drop, ctx.args.reason)
    emit(ctx.args, {"kept": keep, "merged": drop, "moved": moved},
         f"merged customer {drop} into {keep}: " + ", ".join(f"{count} {kind}" for kind, count in moved.items()))
    return 0


def cmd_keys_create(ctx: Context) -> int:
    """The explicit way (besides first-run setup) to make a database's first data key."""
    require_key_permission(ctx)
    key_file = ctx.settings.get("customers.key_file")
    existed = bool(os.environ.get(KEY_ENV)) or default_key_path(key_file).exists()
    ring = create_data_key(ctx.db, key_file).ring  # refuses a database that holds data without its key
    fingerprint = ring.fingerprint(ring.current)
    if not existed:  # a second call changes nothing, and says so
        record(ctx.db, ctx.actor, AuditAction.KEY_ROTATION, target_type="data_key", target_id=ring.current,
               detail={"created": True, "fingerprint": fingerprint})
    emit(ctx.args, {"key": ring.current, "fingerprint": fingerprint, "created": not existed, "source":
                    key_source(key_file)},
         (f"created the data key {ring.current} (fingerprint {fingerprint}) in {key_source(key_file)}; keep a copy "
          "with the branch's backups, apart from them") if not existed else
         f"this database already has its key {ring.current} (fingerprint {fingerprint}); nothing was made")
    return 0


def require_key_permission(ctx: Context) -> None:
    """Changing the data keys is a settings change (as the rotation service itself checks)."""
    require(ctx.db, ctx.actor, Permission.CHANGE_SETTINGS)


def cmd_keys_status(ctx: Context) -> int:
    """The workstation's keys against the ones the database records (never the key material)."""
    key_file = ctx.settings.get("customers.key_file")
    registered = registered_keys(ctx.db)
    warnings: list[str] = []
    try:
        ring = load_keyring(default_key_path(key_file), create=False)
        fingerprints, current = {k: ring.fingerprint(k) for k in ring.keys}, ring.current
    except DataKeyError as problem:
        fingerprints, current = {}, None
        warnings.append(str(problem))
    mismatched = sorted(k for k, fp in registered.items() if fingerprints.get(k) != fp)
    if mismatched:
        warnings.append(f"this workstation lacks or has a different key for {', '.join(mismatched)}: "
                        f"expected {', '.join(registered[k] for k in mismatched)}")
    if loose_permissions(key_file):
        warnings.append(f"{key_source(key_file)} can be read by other users of this computer (should be 0600)")
    used, sealing = keys_in_use(ctx.db), seals_per_key(ctx.db)
    data = {"source": key_source(key_file), "current": current, "keys": sorted(fingerprints),
            "fingerprints": fingerprints, "registered": registered, "values_per_key": used,
            "audit_seals_per_key": sealing, "warnings": warnings}
    lines = [f"key source {data['source']}; current key {current}"]
    lines += [f"  {k}  {fp}{'  (recorded in the database)' if k in registered else ''}" for k, fp in fingerprints.items()]
    lines += [f"values per key: {used}", f"audit seals per key: {sealing}"] + [f"warning: {w}" for w in warnings]
    emit(ctx.args, data, "\n".join(lines))
    return 0


def cmd_keys_rotate(ctx: Context) -> int:
    require_key_permission(ctx)  # sign-in and permission first: a refused rotation writes no key
    key_file = ctx.settings.get("customers.key_file")
    ring = open_cipher(ctx.db, key_file, create=False).ring  # this database's keys, or a refusal
    if not os.environ.get(KEY_ENV):
        # Key file: add the new current key first (old keys stay), so a crash mid-way loses nothing.
        ring = ring.rotated()
        ring.write(default_key_path(key_file))
    result = rotate(ctx.db, ctx.actor, FieldCipher(ring), batch=ctx.args.batch_size,
                    progress=lambda n: print(f"\r{n} values re-encrypted", end="", file=sys.stderr, flush=True))
    print(file=sys.stderr)
    emit(ctx.args, result, f"{result.rows} values now under key {result.key_id} "
                           f"(fingerprint {ring.fingerprint(result.key_id)}); run `keys prune` to drop keys no "
                           "value uses")
    return 0


def cmd_keys_prune(ctx: Context) -> int:
    if os.environ.get(KEY_ENV):
        print(f"branchdesk-admin: keys come from {KEY_ENV}; remove old keys from it by hand", file=sys.stderr)
        return 2
    require_key_permission(ctx)
    key_file = ctx.settings.get("customers.key_file")
    ring = open_cipher(ctx.db, key_file, create=False).ring
    used, sealing = keys_in_use(ctx.db), seals_per_key(ctx.db)  # a key that sealed audit entries stays
    unused = {k for k in ring.keys if k != ring.current and not used.get(k) and not sealing.get(k)}
    ring.without(unused).write(default_key_path(key_file))
    forget(ctx.db, unused)
    emit(ctx.args, {"dropped": sorted(unused)}, f"dropped {len(unused)} unused key(s)")
    return 0


def register(areas: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    customers = Commands(areas, "customers", "customer registration, changes and history, import, export, search "
                         "and merging of duplicates", common)
    p = customers.add("import", cmd_import, "import customers from a CSV file (UTF-8 or GBK); exit 0 when read to "
                      "the end, 2 when refused or unreadable, 130 when interrupted")
    p.add_argument("file")
    p.add_argument("--errors", help="where to write rejected rows (default: FILE.errors.csv)")
    p.add_argument("--batch-size", type=int, default=0, help="rows per transaction (default: setting)")
    p.add_argument("--workers", type=int, default=1,
                   help="processes that validate and encrypt rows (large files: the number of CPU cores)")
    p = customers.add("export", cmd_export, "export all customers, masked, as CSV")
    p.add_argument("--output", "-o", help="file to write (default: stdout)")
    p = customers.add("search", cmd_search, "search as a teller would (masked results)")
    p.add_argument("text")
    p.add_argument("--page", type=int, default=0)
    p.add_argument("--page-size", type=int, default=50)
    p = customers.add("duplicates", cmd_duplicates, "other customers with the same ID number, or the same name "
                      "and a shared phone (masked)")
    p.add_argument("customer_id", type=int)
    p = customers.add("merge", cmd_merge, "fold a duplicate customer into the one kept: its tickets, notes, "
                      "follow-ups, accounts, phones and complaints move (supervisor; audited)")
    p.add_argument("keep", type=int, help="id of the customer kept")
    p.add_argument("drop", type=int, help="id of the duplicate merged into it")
    p.add_argument("--reason", required=True, help="why (kept in the audit log)")
    customer_record_commands.extend(customers)

    keys = Commands(areas, "keys", "data-encryption key of personal fields", common)
    keys.add("status", cmd_keys_status, "show the current key and how many values each key holds")
    keys.add("create", cmd_keys_create, "make the first data key of a database without one (supervisor)")
    p = keys.add("rotate", cmd_keys_rotate, "new key; re-encrypt every value in batches")
    p.add_argument("--batch-size", type=int, default=1000)
    keys.add("prune", cmd_keys_prune, "drop old keys that no stored value uses any more")
