"""``branchdesk-admin user reset-password|unlock``: account help for branch IT."""

from __future__ import annotations

import getpass
import sys

from app.cli.common import Commands, Context, emit


def read_password(ctx: Context) -> str:
    """From --password, else one line of stdin (scripts), else a prompt without echo."""
    if ctx.args.password is not None:
        return str(ctx.args.password)
    return sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("New password: ")


def cmd_reset_password(ctx: Context) -> int:
    ctx.services.accounts.reset_password(ctx.actor, ctx.args.username, read_password(ctx))
    emit(ctx.args, {"username": ctx.args.username, "reset": True},
         f"password of {ctx.args.username} reset; the account is unlocked")
    return 0


def cmd_unlock(ctx: Context) -> int:
    was_locked = ctx.services.accounts.unlock(ctx.actor, ctx.args.username)
    emit(ctx.args, {"username": ctx.args.username, "was_locked": was_locked},
         f"{ctx.args.username} unlocked" if was_locked else f"{ctx.args.username} was not locked")
    return 0


def extend(user: Commands) -> None:
    p = user.add("reset-password", cmd_reset_password,
                 "set a new password (from --password, stdin or a prompt) and lift any lock")
    p.add_argument("username")
    p.add_argument("--password")
    p = user.add("unlock", cmd_unlock, "lift the lock after too many wrong passwords")
    p.add_argument("username")
