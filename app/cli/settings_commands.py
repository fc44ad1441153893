"""``branchdesk-admin settings list|set|unset``: the branch's shared settings (branch policy).

``list`` shows every setting this workstation resolves, with where its value comes from
(environment, branch, file, default). ``set`` and ``unset`` change a branch-wide value for all
the branch's workstations (app/services/branch_settings.py); they apply at each workstation's
next sign-in.
"""

from __future__ import annotations

import argparse
import json

from app.cli.common import Commands, Context, emit
from app.services.branch_settings import BranchSettings
from app.settings import BRANCH, SPECS


def cmd_list(ctx: Context) -> int:
    branch = ctx.branch()  # (opening the database applied the branch's values to ctx.settings)
    rows = [{"key": s.key, "value": ctx.settings.get(s.key), "source": ctx.settings.source(s.key), "scope": s.scope,
             "unit": s.unit, "help": s.help}
            for s in SPECS if ctx.args.all or s.scope == BRANCH]
    width = max(len(r["key"]) for r in rows)
    text = "\n".join(f"{r['key']:<{width}}  {json.dumps(r['value'], ensure_ascii=False)}"
                     f"{' ' + r['unit'] if r['unit'] else ''}  ({r['source']})" for r in rows)
    emit(ctx.args, {"branch": branch.code, "settings": rows}, f"branch {branch.code}\n{text}")
    return 0


def cmd_set(ctx: Context) -> int:
    branch = ctx.branch()
    changed = BranchSettings(ctx.db).change(ctx.actor, branch.id, {ctx.args.key: ctx.args.value})
    emit(ctx.args, {"branch": branch.code, "changed": changed},
         f"{ctx.args.key} set for branch {branch.code}" if changed else f"{ctx.args.key} unchanged")
    return 0


def cmd_unset(ctx: Context) -> int:
    branch = ctx.branch()
    changed = BranchSettings(ctx.db).change(ctx.actor, branch.id, {ctx.args.key: None})
    emit(ctx.args, {"branch": branch.code, "changed": changed},
         f"{ctx.args.key} no longer set for branch {branch.code}: each workstation's file or the default applies"
         if changed else f"{ctx.args.key} was not set for branch {branch.code}")
    return 0


def register(areas: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    settings = Commands(areas, "settings", "the branch's shared settings (queue, complaint, security policy)", common)
    p = settings.add("list", cmd_list, "settings and where each value comes from")
    p.add_argument("--all", action="store_true", help="also this workstation's own settings")
    p = settings.add("set", cmd_set, "set a branch-wide value for all the branch's workstations")
    p.add_argument("key", help="e.g. complaints.decide_days")
    p.add_argument("value", help="e.g. 15")
    p = settings.add("unset", cmd_unset, "return a setting to each workstation's file or the default")
    p.add_argument("key")
