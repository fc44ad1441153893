"""Complaint rules without a database: vocabularies, the workflow, deadline arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.complaint_deadline import ComplaintClock, DeadlinePolicy, Pause, handling_days
from app.domain.complaint_overdue import overdue
from app.domain.complaints import (
    ACTION_PERMISSION,
    TRANSITIONS,
    ComplaintAction,
    ComplaintStatus,
    allowed_actions,
    next_status,
    review_window_open,
)
from app.domain.complaints_vocab import BUSINESSES, CATEGORIES, CHANNELS, REASONS, SEVERITIES
from app.domain.errors import Conflict, InvalidTransition, ValidationError
from app.domain.roles import Role, has_permission

S, A = ComplaintStatus, ComplaintAction
POLICY = DeadlinePolicy()
NOV23 = date(2026, 11, 23)


def overdue_on(clock: ComplaintClock, today: date) -> bool:
    """The one overdue rule applied to a running complaint with this clock."""
    return overdue(S.INVESTIGATING, clock.due(POLICY, today), clock.paused, today)


# -- vocabularies ----------------------------------------------------------------------

def test_jrt_0169_vocabularies_hold_the_standard_terms() -> None:
    assert [t.zh for t in BUSINESSES.terms] == [
        "人民币储蓄", "贷款", "银行卡", "支付结算", "债务催收", "自营理财", "银行代理业务", "其他中间业务",
        "个人金融信息", "外汇", "贵金属", "国库", "人民币管理", "其他"]
    assert [t.zh for t in REASONS.terms] == [
        "服务态度及服务质量", "服务设施、设备、业务系统", "管理制度、业务规则与流程", "营销方式和手段", "信息披露",
        "自主选择权", "定价收费", "产品收益", "合同条款", "消费者资金安全", "消费者信息安全", "债务催收方式和手段"]
    assert CHANNELS.zh("branch_counter") == "营业现场"
    assert [t.zh.split("—")[-1] for t in CHANNELS.terms if t.zh.startswith("电子渠道")] == [
        "网银", "电话", "移动客户端", "网络公众平台", "短信"]
    assert CATEGORIES.codes() == ("product", "service", "policy", "other")
    assert SEVERITIES.codes() == ("general", "major", "malicious")


@pytest.mark.parametrize("vocab", [CHANNELS, BUSINESSES, REASONS, CATEGORIES, SEVERITIES], ids=lambda v: v.field)
def test_codes_are_unique_ascii_and_labelled(vocab) -> None:  # type: ignore[no-untyped-def]
    codes = vocab.codes()
    assert len(set(codes)) == len(codes)
    for term in vocab.terms:
        assert term.code.isascii() and term.code == term.code.lower() and term.zh and term.en


def test_vocabulary_validation_names_the_field() -> None:
    assert REASONS.validate("pricing_fees") == "pricing_fees"
    with pytest.raises(ValidationError) as missing:
        REASONS.validate("")
    assert missing.value.params == {"field": "reason", "reason": "required"}
    with pytest.raises(ValidationError) as unknown:
        CHANNELS.validate("carrier_pigeon")
    assert unknown.value.params["field"] == "channel"


# -- workflow --------------------------------------------------------------------------

def test_the_main_path_from_draft_to_closed() -> None:
    status = S.DRAFT
    for action, expected in [(A.SUBMIT, S.RECEIVED), (A.ACCEPT, S.ACCEPTED), (A.INVESTIGATE, S.INVESTIGATING),
                             (A.EXTEND, S.EXTENDED), (A.EXTEND, S.EXTENDED), (A.DECIDE, S.DECIDED),
                             (A.SEND_REPLY, S.REPLY_SENT), (A.CLOSE, S.CLOSED), (A.REQUEST_REVIEW, S.REVIEW_REQUESTED),
                             (A.CLOSE, S.CLOSED)]:
        status = next_status("TS-2026-0001", status, action)
        assert status is expected


@pytest.mark.parametrize(("action", "status"), [
    (A.CLOSE, S.RECEIVED), (A.DECIDE, S.RECEIVED), (A.DECIDE, S.ACCEPTED), (A.SEND_REPLY, S.INVESTIGATING),
    (A.ACCEPT, S.CLOSED), (A.WITHDRAW, S.CLOSED), (A.EXTEND, S.DECIDED), (A.SUBMIT, S.RECEIVED),
    (A.MERGE, S.DECIDED), (A.REQUEST_REVIEW, S.INVESTIGATING), (A.ACCEPT, S.WITHDRAWN), (A.ACCEPT, S.MERGED),
], ids=str)
def test_illegal_transitions_are_refused(action: ComplaintAction, status: ComplaintStatus) -> None:
    with pytest.raises(InvalidTransition) as refused:
        next_status("TS-2026-0007", status, action)
    assert refused.value.code == "complaint_invalid_transition"
    assert refused.value.params == {"complaint": "TS-2026-0007", "status": status.value, "action": action.value}


def test_terminal_states_allow_nothing_but_review_of_a_closed_one() -> None:
    assert allowed_actions(S.WITHDRAWN) == []
    assert allowed_actions(S.MERGED) == []
    assert allowed_actions(S.CLOSED) == [A.REQUEST_REVIEW]


def test_paused_complaint_offers_resume_but_not_decide() -> None:
    assert A.RESUME not in allowed_actions(S.INVESTIGATING)
    paused = allowed_actions(S.INVESTIGATING, paused=True)
    assert A.RESUME in paused and A.DECIDE not in paused and A.PAUSE not in paused


def test_every_action_has_a_permission_and_the_roles_split_as_domain_says() -> None:
    assert set(ACTION_PERMISSION) == set(ComplaintAction)
    assert {a for a, _ in TRANSITIONS} | {A.SAVE_DRAFT} == set(ComplaintAction)
    for role, may_close, may_extend in [(Role.TELLER, False, False), (Role.LOBBY_MANAGER, True, False),
                                        (Role.SUPERVISOR, True, True)]:
        assert has_permission(role, ACTION_PERMISSION[A.CLOSE]) is may_close
        assert has_permission(role, ACTION_PERMISSION[A.EXTEND]) is may_extend
        assert has_permission(role, ACTION_PERMISSION[A.SUBMIT])


def test_review_window_is_thirty_days_inclusive() -> None:
    decided = date(2026, 11, 30)
    assert review_window_open(decided, date(2026, 12, 30), 30)
    assert not review_window_open(decided, date(2026, 12, 31), 30)
    assert not review_window_open(decided, date(2026, 11, 29), 30)


# -- deadlines: known answers ----------------------------------------------------------

def test_due_fifteen_calendar_days_after_receipt() -> None:
    clock = ComplaintClock(NOV23)
    assert clock.due(POLICY, NOV23) == date(2026, 12, 8)
    assert not overdue_on(clock, date(2026, 12, 8))
    assert overdue_on(clock, date(2026, 12, 9))


def test_crosses_year_end_and_weekends_counting_calendar_days() -> None:
    clock = ComplaintClock(date(2026, 12, 24))
    assert clock.due(POLICY, date(2026, 12, 24)) == date(2027, 1, 8)


def test_extensions_go_to_thirty_then_sixty_and_no_further() -> None:
    clock = ComplaintClock(NOV23)
    once = clock.extend(POLICY, reason="需调取录像", approved_by="supervisor")
    assert once.due(POLICY, NOV23) == date(2026, 12, 23)
    twice = once.extend(POLICY, reason="需总行核查", approved_by="supervisor")
    assert twice.due(POLICY, NOV23) == date(2027, 1, 22)
    with pytest.raises(Conflict) as refused:
        twice.extend(POLICY, reason="again", approved_by="supervisor")
    assert refused.value.code == "complaint_max_extended"


def test_extension_needs_a_reason_and_an_approver() -> None:
    with pytest.raises(ValidationError) as no_reason:
        ComplaintClock(NOV23).extend(POLICY, reason="  ", approved_by="supervisor")
    assert no_reason.value.params["field"] == "extension reason"
    with pytest.raises(ValidationError) as no_approver:
        ComplaintClock(NOV23).extend(POLICY, reason="复杂", approved_by="")
    assert no_approver.value.params["field"] == "approved by"


def test_configurable_terms() -> None:
    policy = DeadlinePolicy(decide_days=10, extended_days=20, max_days=45)
    clock = ComplaintClock(NOV23, extensions=2)
    assert clock.due(policy, NOV23) == NOV23 + timedelta(days=45)
    with pytest.raises(ValidationError):
        DeadlinePolicy(decide_days=30, extended_days=20)


def test_appraisal_pause_days_are_not_counted() -> None:
    clock = ComplaintClock(NOV23).pause(date(2026, 11, 25))
    assert clock.paused
    # Still paused on Dec 10: 15 paused days so far push the due date to Dec 23, and it is not overdue.
    assert clock.due(POLICY, date(2026, 12, 10)) == date(2026, 12, 23)
    assert not overdue_on(clock, date(2026, 12, 30))
    resumed = clock.resume(date(2026, 12, 5))
    assert resumed.paused_days(date(2027, 1, 1)) == 10
    assert resumed.due(POLICY, date(2026, 12, 5)) == date(2026, 12, 18)
    with pytest.raises(Conflict):
        resumed.resume(date(2026, 12, 6))
    with pytest.raises(Conflict):
        clock.pause(date(2026, 11, 26))


def test_new_facts_restart_the_clock_keeping_the_extension() -> None:
    clock = ComplaintClock(NOV23).extend(POLICY, reason="复杂", approved_by="s")
    restarted = clock.restart(date(2026, 12, 1))
    assert restarted.due(POLICY, date(2026, 12, 1)) == date(2026, 12, 31)
    with pytest.raises(ValidationError):
        clock.restart(date(2026, 11, 1))


def test_handling_days_subtract_pauses() -> None:
    assert handling_days(NOV23, date(2026, 12, 3)) == 10
    assert handling_days(NOV23, date(2026, 12, 3), (Pause(date(2026, 11, 25), date(2026, 11, 28)),)) == 7
    # A pause that ran past the decision only counts up to the decision.
    assert handling_days(NOV23, date(2026, 11, 30), (Pause(date(2026, 11, 28), date(2026, 12, 5)),)) == 5


# -- deadlines: invariants -------------------------------------------------------------

dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
offsets = st.integers(min_value=0, max_value=400)


@given(start=dates, ahead=offsets, extensions=st.integers(0, 2))
def test_due_is_start_plus_limit_without_pauses(start: date, ahead: int, extensions: int) -> None:
    clock = ComplaintClock(start, extensions=extensions)
    today = start + timedelta(days=ahead)
    assert clock.due(POLICY, today) == start + timedelta(days=POLICY.limit(extensions))
    assert overdue_on(clock, today) == (ahead > POLICY.limit(extensions))


@given(start=dates, pause_at=offsets, length=offsets, later=offsets)
def test_a_closed_pause_moves_the_due_date_by_exactly_its_length(start: date, pause_at: int, length: int,
                                                                 later: int) -> None:
    begin = start + timedelta(days=pause_at)
    clock = ComplaintClock(start).pause(begin).resume(begin + timedelta(days=length))
    today = begin + timedelta(days=length + later)
    assert clock.due(POLICY, today) == ComplaintClock(start).due(POLICY, today) + timedelta(days=length)


@given(start=dates, pause_at=offsets, a=offsets, b=offsets)
def test_an_open_pause_never_lets_the_complaint_fall_overdue(start: date, pause_at: int, a: int, b: int) -> None:
    clock = ComplaintClock(start).pause(start + timedelta(days=pause_at))
    today = start + timedelta(days=pause_at + a)
    assert clock.due(POLICY, today) <= clock.due(POLICY, today + timedelta(days=b))
    if pause_at <= POLICY.decide_days:
        assert not overdue_on(clock, today)


@given(start=dates, ext=st.integers(0, 1), restart_after=offsets)
def test_extending_or_restarting_never_brings_the_due_date_forward(start: date, ext: int, restart_after: int) -> None:
    clock = ComplaintClock(start, extensions=ext)
    today = start + timedelta(days=restart_after)
    before = clock.due(POLICY, today)
    assert clock.extend(POLICY, reason="r", approved_by="s").due(POLICY, today) > before
    assert clock.restart(today).due(POLICY, today) >= before


@given(received=dates, took=offsets, pause_at=offsets, length=offsets)
def test_handling_days_between_zero_and_calendar_days(received: date, took: int, pause_at: int, length: int) -> None:
    decided = received + timedelta(days=took)
    start = received + timedelta(days=pause_at)
    days = handling_days(received, decided, (Pause(start, start + timedelta(days=length)),))
    assert 0 <= days <= took
    assert days == took - max(0, min(start + timedelta(days=length), decided).toordinal()
                              - start.toordinal()) * (start <= decided)
