"""Users and sign-in. Passwords are hashed with Argon2id (argon2-cffi).

Sign-in is audited (login, login_failed, lockout, logout). After ``max_failed_logins``
wrong passwords in a row an account is locked for ``lockout_minutes``; a supervisor may
unlock it early or reset its password. The counters live on the user row, so the lock
holds on every workstation of the branch.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import Branch, User
from app.domain.business_day import utcnow
from app.domain.errors import AuthenticationFailed, Conflict, DomainError, NotFound, ValidationError
from app.domain.roles import Permission, Role
from app.services.actor import Actor
from app.services.audit import AuditAction, record_in, require
from app.settings import Settings, default

Clock = Callable[[], datetime]

_hasher = PasswordHasher()

#: The declared default; the policy in force comes from settings (:class:`AuthPolicy`).
MIN_PASSWORD_LENGTH: int = default("security.password_min_length")

USERNAME_MAX = 64


class AccountLocked(DomainError):
    code = "account_locked"
    template = "Too many wrong passwords: the account is locked for {minutes} more minutes, or until a supervisor " \
               "unlocks it."


@dataclass(frozen=True)
class AuthPolicy:
    max_failed_logins: int = default("security.max_failed_logins")
    lockout_minutes: int = default("security.lockout_minutes")
    password_min_length: int = default("security.password_min_length")
    letters_and_digits: bool = default("security.password_letters_and_digits")

    @classmethod
    def from_settings(cls, settings: Settings) -> AuthPolicy:
        return cls(max_failed_logins=settings.get("security.max_failed_logins"),
                   lockout_minutes=settings.get("security.lockout_minutes"),
                   password_min_length=settings.get("security.password_min_length"),
                   letters_and_digits=settings.get("security.password_letters_and_digits"))

    def check_password(self, password: str) -> None:
        """Refuse a new password that does not meet the policy."""
        if len(password) < self.password_min_length:
            raise ValidationError(field="password", reason="min_length", limit=self.password_min_length)
        if self.letters_and_digits and not (any(c.isalpha() for c in password)
                                            and any(c.isdigit() for c in password)):
            raise ValidationError(field="password", reason="letter_and_digit")


DEFAULT_POLICY = AuthPolicy()


def _actor(user: User) -> Actor:
    return Actor(user_id=user.id, username=user.username, display_name=user.display_name,
                 role=Role(user.role), branch_id=user.branch_id)


def _validate_new_user(username: str, display_name: str, password: str, role: str, policy: AuthPolicy) -> Role:
    if (not username or len(username) > USERNAME_MAX or not username.isascii()
            or not username.replace("_", "").replace(".", "").isalnum()):
        raise ValidationError(field="username", reason="username_characters")
    if not display_name.strip():
        raise ValidationError(field="display name", reason="required")
    policy.check_password(password)
    try:
        return Role(role)
    except ValueError:
        raise ValidationError(field="role", reason="one_of", choices=tuple(r.value for r in Role)) from None


def add_user(db: Database, actor: Actor, *, username: str, display_name: str, password: str, role: str,
             branch_code: str | None = None, policy: AuthPolicy = DEFAULT_POLICY, clock: Clock = utcnow) -> int:
    require(db, actor, Permission.MANAGE_USERS, clock=clock)
    checked_role = _validate_new_user(username, display_name, password, role, policy)
    with db.write() as session:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict(reason="user_exists", user=username)
        branch_id = None
        if branch_code:
            branch_id = session.scalar(select(Branch.id).where(Branch.code == branch_code))
            if branch_id is None:
                raise NotFound(what="Branch", key=branch_code)
        user = User(username=username, display_name=display_name.strip(), role=checked_role.value,
                    password_hash=_hasher.hash(password), branch_id=branch_id, active=True,
                    created_at=clock(), failed_logins=0)
        session.add(user)
        session.flush()
        record_in(session, actor, AuditAction.USER_CREATE, at=clock(), target_type="user", target_id=username,
                  detail={"role": checked_role.value, "branch": branch_code})
        return user.id


def _unknown(username: str) -> Actor:
    """Who a failed sign-in under a name that does not exist is recorded as."""
    return Actor(user_id=None, username=username[:USERNAME_MAX], display_name="", role=Role.TELLER)


def _locked_minutes(user: User, now: datetime) -> int | None:
    if user.locked_until is None or user.locked_until <= now:
        return None
    return max(1, math.ceil((user.locked_until - now).total_seconds() / 60))


def authenticate(db: Database, username: str, password: str, *, policy: AuthPolicy = DEFAULT_POLICY,
                 clock: Clock = utcnow, via: str = "sign_in") -> Actor:
    """Check a user name and password; count failures and lock the account after too many.

    Failure, lock and success are each audited in the same transaction as the counter change,
    so the log and the counters never disagree. ``via`` says where the password was typed
    (the sign-in dialog, or the workstation's idle lock)."""
    with db.write() as session:
        now = clock()
        user = session.scalar(select(User).where(User.username == username).with_for_update())
        if user is None or not user.active:
            # Hash anyway so a wrong user name takes as long as a wrong password.
            _hasher.hash(password)
            record_in(session, _unknown(username), AuditAction.LOGIN_FAILED, at=now,
                      detail={"reason": "unknown user" if user is None else "inactive", "via": via})
            failure: DomainError = AuthenticationFailed()
        else:
            failure = _check_password(session, user, password, policy, now, via)
            if failure is None:
                return _actor(user)
    raise failure


def _check_password(session: Session, user: User, password: str, policy: AuthPolicy, now: datetime,
                    via: str) -> DomainError | None:
    """None when the password is right (and the account not locked); else the error to raise
    after the transaction (which keeps the counted failure) commits."""
    actor = _actor(user)
    minutes = _locked_minutes(user, now)
    if minutes is not None:
        record_in(session, actor, AuditAction.LOGIN_FAILED, at=now, target_type="user", target_id=user.username,
                  detail={"reason": "locked", "via": via})
        return AccountLocked(minutes=minutes)
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins = (user.failed_logins or 0) + 1
        record_in(session, actor, AuditAction.LOGIN_FAILED, at=now, target_type="user", target_id=user.username,
                  detail={"reason": "wrong password", "failures": user.failed_logins, "via": via})
        if user.failed_logins >= policy.max_failed_logins:
            user.locked_until = now + timedelta(minutes=policy.lockout_minutes)
            user.failed_logins = 0
            record_in(session, actor, AuditAction.LOCKOUT, at=now, target_type="user", target_id=user.username,
                      detail={"minutes": policy.lockout_minutes})
            return AccountLocked(minutes=policy.lockout_minutes)
        return AuthenticationFailed()
    user.failed_logins = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    record_in(session, actor, AuditAction.LOGIN, at=now, target_type="user", target_id=user.username,
              detail={"via": via})
    return None


def reauthenticate(db: Database, actor: Actor, password: str, *, policy: AuthPolicy = DEFAULT_POLICY,
                   clock: Clock = utcnow) -> Actor:
    """Unlock an idle-locked workstation: only the signed-in person's own password will do,
    and wrong ones count toward the account's lockout like any other."""
    return authenticate(db, actor.username, password, policy=policy, clock=clock, via="idle_unlock")


def logout(db: Database, actor: Actor, *, clock: Clock = utcnow) -> None:
    with db.write() as session:
        record_in(session, actor, AuditAction.LOGOUT, at=clock(), target_type="user", target_id=actor.username)


def change_password(db: Database, actor: Actor, old_password: str, new_password: str, *,
                    policy: AuthPolicy = DEFAULT_POLICY, clock: Clock = utcnow) -> None:
    """A user changes their own password (knowing the current one)."""
    policy.check_password(new_password)
    if new_password == old_password:
        raise ValidationError(field="password", reason="password_unchanged")
    with db.write() as session:
        user = session.get(User, actor.user_id) if actor.user_id is not None else None
        if user is None:
            raise NotFound(what="User", key=actor.username)
        try:
            _hasher.verify(user.password_hash, old_password)
        except (VerificationError, InvalidHashError):
            raise AuthenticationFailed() from None
        user.password_hash = _hasher.hash(new_password)
        record_in(session, actor, AuditAction.USER_CHANGE, at=clock(), target_type="user", target_id=user.username,
                  detail={"change": "own password"})


def _user_by_name(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username).with_for_update())
    if user is None:
        raise NotFound(what="User", key=username)
    return user


def reset_password(db: Database, actor: Actor, username: str, new_password: str, *,
                   policy: AuthPolicy = DEFAULT_POLICY, clock: Clock = utcnow) -> None:
    """A supervisor sets a new password for someone (who forgot theirs); also lifts a lock."""
    require(db, actor, Permission.MANAGE_USERS, clock=clock)
    policy.check_password(new_password)
    with db.write() as session:
        user = _user_by_name(session, username)
        user.password_hash = _hasher.hash(new_password)
        user.failed_logins = 0
        user.locked_until = None
        record_in(session, actor, AuditAction.PASSWORD_RESET, at=clock(), target_type="user", target_id=username)


def unlock_user(db: Database, actor: Actor, username: str, *, clock: Clock = utcnow) -> bool:
    """A supervisor lifts a lockout early. True when the account was locked."""
    require(db, actor, Permission.MANAGE_USERS, clock=clock)
    with db.write() as session:
        user = _user_by_name(session, username)
        now = clock()
        was_locked = _locked_minutes(user, now) is not None
        user.failed_logins = 0
        user.locked_until = None
        record_in(session, actor, AuditAction.UNLOCK, at=now, target_type="user", target_id=username,
                  detail={"was_locked": was_locked})
        return was_locked
