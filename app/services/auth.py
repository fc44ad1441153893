"""Users and log-in. Passwords are hashed with Argon2id (argon2-cffi)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Branch, User
from app.domain.business_day import utcnow
from app.domain.errors import AuthenticationFailed, Conflict, NotFound, ValidationError
from app.domain.roles import Permission, Role
from app.services.audit import require
from app.services.actor import Actor

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 8


def _validate_new_user(username: str, display_name: str, password: str, role: str) -> Role:
    if not username or not username.isascii() or not username.replace("_", "").replace(".", "").isalnum():
        raise ValidationError(field="username", reason="letters, digits, '.' and '_' only")
    if not display_name.strip():
        raise ValidationError(field="display name", reason="required")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(field="password", reason=f"at least {MIN_PASSWORD_LENGTH} characters")
    try:
        return Role(role)
    except ValueError:
        raise ValidationError(field="role", reason=f"one of {', '.join(r.value for r in Role)}") from None


def add_user(db: Database, actor: Actor, *, username: str, display_name: str, password: str, role: str,
             branch_code: str | None = None) -> int:
    require(db, actor, Permission.MANAGE_USERS)
    checked_role = _validate_new_user(username, display_name, password, role)
    with db.write() as session:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict(reason=f"user {username} already exists")
        branch_id = None
        if branch_code:
            branch_id = session.scalar(select(Branch.id).where(Branch.code == branch_code))
            if branch_id is None:
                raise NotFound(what="Branch", key=branch_code)
        user = User(username=username, display_name=display_name.strip(), role=checked_role.value,
                    password_hash=_hasher.hash(password), branch_id=branch_id, active=True,
                    created_at=utcnow())
        session.add(user)
        session.flush()
        return user.id


def authenticate(db: Database, username: str, password: str) -> Actor:
    with db.read() as session:
        user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        # Hash anyway so a wrong user name takes as long as a wrong password.
        _hasher.hash(password)
        raise AuthenticationFailed()
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise AuthenticationFailed() from None
    return Actor(user_id=user.id, username=user.username, display_name=user.display_name,
                 role=Role(user.role), branch_id=user.branch_id)
