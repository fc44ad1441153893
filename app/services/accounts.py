"""Sign-in and user accounts for one process: the auth use cases with its policy and clock bound.

The functions in app/services/auth.py take the database, the password policy and the clock on
every call; screens and commands get them from here, wired once (app/services/registry.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from app.db.engine import Database
from app.services import auth
from app.services.actor import Actor
from app.settings import Settings


class Accounts:
    def __init__(self, db: Database, settings: Settings, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock
        self.policy = auth.AuthPolicy.from_settings(settings)

    def sign_in(self, username: str, password: str, *, via: str = "sign_in") -> Actor:
        return auth.authenticate(self.db, username, password, policy=self.policy, clock=self.clock, via=via)

    def reauthenticate(self, actor: Actor, password: str) -> Actor:
        return auth.reauthenticate(self.db, actor, password, policy=self.policy, clock=self.clock)

    def sign_out(self, actor: Actor) -> None:
        auth.logout(self.db, actor, clock=self.clock)

    def change_password(self, actor: Actor, old_password: str, new_password: str) -> None:
        auth.change_password(self.db, actor, old_password, new_password, policy=self.policy, clock=self.clock)

    def reset_password(self, actor: Actor, username: str, new_password: str) -> None:
        auth.reset_password(self.db, actor, username, new_password, policy=self.policy, clock=self.clock)

    def unlock(self, actor: Actor, username: str) -> bool:
        return auth.unlock_user(self.db, actor, username, clock=self.clock)

    def add_user(self, actor: Actor, *, username: str, display_name: str, password: str, role: str,
                 branch_code: str | None = None) -> int:
        return auth.add_user(self.db, actor, username=username, display_name=display_name, password=password,
                             role=role, branch_code=branch_code, policy=self.policy, clock=self.clock)
