"""Sign-in lockout, password policy, own password change, supervisor reset and unlock; all audited."""

from __future__ import annotations

import pytest

from app.domain.errors import AuthenticationFailed, PermissionDenied, ValidationError
from app.services.audit import AuditFilter, AuditLog
from app.services.auth import (
    AccountLocked,
    AuthPolicy,
    add_user,
    authenticate,
    change_password,
    logout,
    reauthenticate,
    reset_password,
    unlock_user,
)
from app.services.bootstrap import DEMO_PASSWORD

POLICY = AuthPolicy(max_failed_logins=3, lockout_minutes=10, password_min_length=10, letters_and_digits=True)


def _actions(db, supervisor, clock, username):  # type: ignore[no-untyped-def]
    """Audit actions about ``username``, oldest first."""
    entries = AuditLog(db, clock).entries(supervisor, AuditFilter(username=username))
    return [e.action for e in reversed(entries)]


def test_lockout_after_n_failures_then_expiry(db, actors, clock) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        with pytest.raises(AuthenticationFailed):
            authenticate(db, "teller2", "wrong", policy=POLICY, clock=clock)
    with pytest.raises(AccountLocked) as caught:
        authenticate(db, "teller2", "wrong", policy=POLICY, clock=clock)
    assert caught.value.params == {"minutes": 10}
    # Locked: even the right password is refused, and does not reveal that it was right.
    clock.advance(minutes=4)
    with pytest.raises(AccountLocked) as caught:
        authenticate(db, "teller2", DEMO_PASSWORD, policy=POLICY, clock=clock)
    assert caught.value.params == {"minutes": 6}
    clock.advance(minutes=6)
    assert authenticate(db, "teller2", DEMO_PASSWORD, policy=POLICY, clock=clock).username == "teller2"
    assert _actions(db, actors.supervisor, clock, "teller2") == [
        "login",  # the fixture's sign-in
        "login_failed", "login_failed", "login_failed", "lockout", "login_failed", "login"]
    failed = AuditLog(db, clock).entries(actors.supervisor, AuditFilter(username="teller2", action="login_failed"))
    assert failed[0].detail == {"reason": "locked", "via": "sign_in"}
    assert failed[-1].detail == {"reason": "wrong password", "failures": 1, "via": "sign_in"}


def test_a_success_resets_the_failure_count(db, actors, clock) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        with pytest.raises(AuthenticationFailed):
            authenticate(db, "teller2", "wrong", policy=POLICY, clock=clock)
    authenticate(db, "teller2", DEMO_PASSWORD, policy=POLICY, clock=clock)
    for _ in range(2):
        with pytest.raises(AuthenticationFailed):
            authenticate(db, "teller2", "wrong", policy=POLICY, clock=clock)
    assert authenticate(db, "teller2", DEMO_PASSWORD, policy=POLICY, clock=clock).username == "teller2"


def test_unknown_user_failure_is_audited_under_the_typed_name(db, actors, clock) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AuthenticationFailed):
        authenticate(db, "x" * 300, DEMO_PASSWORD, clock=clock)
    [entry] = AuditLog(db, clock).entries(actors.supervisor, AuditFilter(username="x" * 64))
    assert (entry.action, entry.detail["reason"]) == ("login_failed", "unknown user")


def test_idle_unlock_failures_count_toward_lockout(db, actors, clock) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        with pytest.raises(AuthenticationFailed):
            reauthenticate(db, actors.teller2, "wrong", policy=POLICY, clock=clock)
    with pytest.raises(AccountLocked):
        reauthenticate(db, actors.teller2, "wrong", policy=POLICY, clock=clock)
    with pytest.raises(AccountLocked):
        authenticate(db, "teller2", DEMO_PASSWORD, policy=POLICY, clock=clock)


def test_supervisor_unlocks_and_resets(db, actors, clock) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        with pytest.raises((AuthenticationFailed, AccountLocked)):
            authenticate(db, "teller2", "wrong", policy=POLICY, clock=clock)
    with pytest.raises(PermissionDenied):
        unlock_user(db, actors.teller1, "teller2", clock=clock)
    assert unlock_user(db, actors.supervisor, "teller2", clock=clock) is True
    assert unlock_user(db, actors.supervisor, "teller2", clock=clock) is False
    authenticate(db, "teller2", DEMO_PASSWORD, policy=POLICY, clock=clock)

    with pytest.raises(PermissionDenied):
        reset_password(db, actors.lobby, "teller2", "Brand9new9pw", clock=clock)
    with pytest.raises(ValidationError) as caught:
        reset_password(db, actors.supervisor, "teller2", "short1", policy=POLICY, clock=clock)
    assert caught.value.params == {"field": "password", "reason": "min_length", "limit": 10}
    assert caught.value.message == "password: at least 10 characters"
    reset_password(db, actors.supervisor, "teller2", "Brand9new9pw", policy=POLICY, clock=clock)
    with pytest.raises(AuthenticationFailed):
        authenticate(db, "teller2", DEMO_PASSWORD, clock=clock)
    assert authenticate(db, "teller2", "Brand9new9pw", clock=clock).username == "teller2"
    log = AuditLog(db, clock)
    [reset] = log.entries(actors.supervisor, AuditFilter(action="password_reset"))
    assert (reset.username, reset.target_id) == ("supervisor", "teller2")
    assert [e.target_id for e in log.entries(actors.supervisor, AuditFilter(action="unlock"))] == ["teller2"] * 2
    denied = log.entries(actors.supervisor, AuditFilter(action="permission_denied"))
    assert {e.username for e in denied} == {"teller1", "lobby"}


def test_password_policy_on_creation_and_change(db, actors, clock) -> None:  # type: ignore[no-untyped-def]
    for bad, reason in (("abcdefghijkl", "letter_and_digit"), ("123456789012", "letter_and_digit"),
                        ("abc123", "min_length")):
        with pytest.raises(ValidationError) as caught:
            add_user(db, actors.supervisor, username="newbie", display_name="新人", password=bad, role="teller",
                     policy=POLICY, clock=clock)
        assert caught.value.params["reason"] == reason
    add_user(db, actors.supervisor, username="newbie", display_name="新人", password="Abcdef12345", role="teller",
             policy=POLICY, clock=clock)
    newbie = authenticate(db, "newbie", "Abcdef12345", clock=clock)
    with pytest.raises(AuthenticationFailed):
        change_password(db, newbie, "not-the-old-one", "Other12345x", policy=POLICY, clock=clock)
    with pytest.raises(ValidationError):
        change_password(db, newbie, "Abcdef12345", "weak", policy=POLICY, clock=clock)
    with pytest.raises(ValidationError):
        change_password(db, newbie, "Abcdef12345", "Abcdef12345", policy=POLICY, clock=clock)
    change_password(db, newbie, "Abcdef12345", "Other12345x", policy=POLICY, clock=clock)
    assert authenticate(db, "newbie", "Other12345x", clock=clock).user_id == newbie.user_id
    assert "user_change" in _actions(db, actors.supervisor, clock, "newbie")
    # The relaxed policy (letters and digits not required) accepts letters only.
    relaxed = AuthPolicy(password_min_length=4, letters_and_digits=False)
    add_user(db, actors.supervisor, username="relaxed", display_name="宽松", password="abcd", role="teller",
             policy=relaxed, clock=clock)


def test_logout_is_audited(db, actors, clock) -> None:  # type: ignore[no-untyped-def]
    logout(db, actors.teller1, clock=clock)
    assert _actions(db, actors.supervisor, clock, "teller1")[-1] == "logout"
