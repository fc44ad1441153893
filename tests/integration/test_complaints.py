"""Complaint entry and handling on both databases: drafts, deadlines, transitions, merge, permissions."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from app.db.models import Complaint, ComplaintEvent, ComplaintSequence, Counter, User
from app.domain.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationError
from app.services.complaint_reads import ComplaintFilter, ComplaintReads
from app.services.complaint_sealing import SEALED_FIELDS
from app.services.complaints import ComplaintService

from .complaint_helpers import walk_in_entry
from .test_concurrency import run_threads


@pytest.fixture
def complaints(db, clock):  # type: ignore[no-untyped-def]
    return ComplaintService(db, clock=clock)


@pytest.fixture
def reads(db, clock):  # type: ignore[no-untyped-def]
    return ComplaintReads(db, clock=clock)


def submitted(complaints, reads, actor, branch) -> int:  # type: ignore[no-untyped-def]
    reference = complaints.submit(actor, branch.id, walk_in_entry())
    return next(r.id for r in reads.list(actor, branch.id) if r.reference == reference)


def events(db, complaint_id: int) -> list[tuple[str, str | None, str]]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return [(e.action, e.from_status, e.to_status) for e in session.scalars(
            select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint_id).order_by(ComplaintEvent.id))]


def test_submit_gives_a_reference_the_due_date_and_the_first_responder(complaints, reads, branch,
                                                                      actors) -> None:  # type: ignore[no-untyped-def]
    first = complaints.submit(actors.teller1, branch.id, walk_in_entry())
    second = complaints.submit(actors.lobby, branch.id, walk_in_entry(complainant_name="李四"))
    assert (first, second) == ("TS-2026-0001", "TS-2026-0002")
    rows = {r.reference: r for r in reads.list(actors.lobby, branch.id)}
    row = rows["TS-2026-0001"]
    assert row.status == "received" and row.received_on == date(2026, 11, 23)
    assert row.due_on == date(2026, 12, 8)  # 15 calendar days
    assert row.owner_name == "张伟" and not row.overdue and not row.near_due
    view = reads.get(actors.lobby, row.id)
    assert view.attachments == ["身份证复印件"]
    assert [e.action for e in view.events] == ["submit"]


def test_reference_numbers_restart_each_year(complaints, branch, actors, clock) -> None:  # type: ignore[no-untyped-def]
    assert complaints.submit(actors.lobby, branch.id, walk_in_entry()) == "TS-2026-0001"
    clock.set("2027-01-04T02:00:00+00:00")
    assert complaints.submit(actors.lobby, branch.id, walk_in_entry()) == "TS-2027-0001"
    assert complaints.submit(actors.lobby, branch.id, walk_in_entry(),
                             received_on=date(2026, 12, 31)) == "TS-2026-0002"


def test_draft_survives_and_is_completed_later(db, complaints, reads, branch, actors) -> None:  # type: ignore[no-untyped-def]
    draft_id = complaints.save_draft(actors.teller1, branch.id, walk_in_entry(request=None, facts=None, reason=None))
    # "crash": a brand-new service on the same database still finds the draft
    again = ComplaintReads(db, clock=reads.clock)
    row = next(r for r in again.list(actors.teller1, branch.id) if r.id == draft_id)
    assert row.status == "draft" and row.reference is None
    with pytest.raises(ValidationError) as missing:
        complaints.submit(actors.teller1, branch.id, walk_in_entry(request=None, facts=None, reason=None),
                          complaint_id=draft_id)
    assert missing.value.params["field"] == "reason"
    assert missing.value.params["missing"] == ["reason", "request", "facts"]
    reference = complaints.submit(actors.teller1, branch.id, walk_in_entry(), complaint_id=draft_id)
    assert reference == "TS-2026-0001"
    assert events(db, draft_id) == [("save_draft", None, "draft"), ("submit", "draft", "received")]
    with pytest.raises(Conflict):
        complaints.save_draft(actors.teller1, branch.id, walk_in_entry(), complaint_id=draft_id)


def test_organisation_needs_a_valid_credit_code_and_legal_representative(complaints, branch,
                                                                         actors) -> None:  # type: ignore[no-untyped-def]
    org = dict(complainant_kind="organisation", complainant_name=None, org_name="某某贸易有限公司",
               org_legal_rep="王五")
    with pytest.raises(ValidationError) as missing:
        complaints.submit(actors.lobby, branch.id, walk_in_entry(**org))
    assert missing.value.params["field"] == "org_credit_code"
    with pytest.raises(ValidationError) as bad:
        complaints.submit(actors.lobby, branch.id, walk_in_entry(**org, org_credit_code="91110000600037341A"))
    assert bad.value.params == {"field": "org_credit_code", "reason": "credit_code_invalid"}
    assert complaints.submit(actors.lobby, branch.id,
                             walk_in_entry(**org, org_credit_code="91110000600037341l")).startswith("TS-")


def test_agent_needs_contact_and_authorisation(complaints, branch, actors) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as missing:
        complaints.submit(actors.lobby, branch.id, walk_in_entry(agent_name="赵律师", agent_contact="13900000000"))
    assert missing.value.params["field"] == "agent_authorisation"


def test_full_path_to_closed_with_an_event_for_every_step(db, complaints, reads, branch, actors,
                                                          clock) -> None:  # type: ignore[no-untyped-def]
    cid = submitted(complaints, reads, actors.teller1, branch)
    lobby, supervisor = actors.lobby, actors.supervisor
    complaints.accept(lobby, cid)
    complaints.assign(lobby, cid, lobby.user_id or 0, "大堂经理跟进")
    complaints.investigate(lobby, cid)
    complaints.extend(supervisor, cid, "需调取监控录像")
    clock.advance(days=20)
    complaints.decide(lobby, cid, "经核实，柜员服务用语不当，已批评教育。")
    complaints.send_reply(lobby, cid, "written", "尊敬的客户：经调查……")
    complaints.close(lobby, cid, satisfied=True)
    assert events(db, cid) == [
        ("submit", "draft", "received"), ("accept", "received", "accepted"), ("assign", "accepted", "accepted"),
        ("investigate", "accepted", "investigating"), ("extend", "investigating", "extended"),
        ("decide", "extended", "decided"), ("send_reply", "decided", "reply_sent"),
        ("close", "reply_sent", "closed")]
    view = reads.get(lobby, cid)
    assert view.row.closed and view.fields["satisfied"] is True and view.row.handler_name == "李经理"
    assert view.row.due_on == date(2026, 12, 23) and view.row.decided_on == date(2026, 12, 13)
    assert view.events[4].note == "需调取监控录像" and view.events[4].user_name == "王主管"
    # review within 30 days of the decision, then closed again
    clock.advance(days=29)
    complaints.request_review(lobby, cid, "客户书面申请复核")
    complaints.close(lobby, cid, satisfied=False)
    clock.advance(days=5)
    with pytest.raises(Conflict) as late:
        complaints.request_review(lobby, cid, "再次申请")
    assert late.value.code == "complaint_review_late"


def test_illegal_transitions_are_refused_and_change_nothing(db, complaints, reads, branch,
                                                            actors) -> None:  # type: ignore[no-untyped-def]
    cid = submitted(complaints, reads, actors.teller1, branch)
    with pytest.raises(InvalidTransition) as refused:
        complaints.decide(actors.lobby, cid, "结论")
    assert refused.value.code == "complaint_invalid_transition"
    with pytest.raises(InvalidTransition):
        complaints.close(actors.lobby, cid, satisfied=True)
    assert reads.get(actors.lobby, cid).row.status == "received"
    assert len(events(db, cid)) == 1
    with pytest.raises(NotFound):
        complaints.accept(actors.lobby, 999_999)


def test_teller_records_but_cannot_handle_close_or_extend(complaints, reads, branch,
                                                          actors) -> None:  # type: ignore[no-untyped-def]
    cid = submitted(complaints, reads, actors.teller1, branch)
    for step in (lambda: complaints.accept(actors.teller1, cid),
                 lambda: complaints.extend(actors.teller1, cid, "复杂"),
                 lambda: complaints.close(actors.teller1, cid, satisfied=True)):
        with pytest.raises(PermissionDenied):
            step()
    complaints.accept(actors.lobby, cid)
    with pytest.raises(PermissionDenied):
        complaints.extend(actors.lobby, cid, "复杂")  # the lobby manager handles, only a supervisor extends
    complaints.extend(actors.supervisor, cid, "复杂")
    complaints.decide(actors.supervisor, cid, "结论")
    complaints.send_reply(actors.supervisor, cid, "phone", "电话告知结论")
    complaints.close(actors.supervisor, cid, satisfied=True)
    assert reads.get(actors.supervisor, cid).row.status == "closed"


def test_other_branch_staff_cannot_touch_it(complaints, reads, branch, actors,
                                            other_branch) -> None:  # type: ignore[no-untyped-def]
    cid = submitted(complaints, reads, actors.teller1, branch)
    with pytest.raises(PermissionDenied):
        reads.get(other_branch.teller, cid)
    assert reads.list(other_branch.teller, other_branch.branch.id) == []


def test_extensions_stop_at_sixty_days(complaints, reads, branch, actors) -> None:  # type: ignore[no-untyped-def]
    cid = submitted(complaints, reads, actors.teller1, branch)
    complaints.accept(actors.lobby, cid)
    complaints.extend(actors.supervisor, cid, "复杂")
    complaints.extend(actors.supervisor, cid, "特别复杂")
    assert reads.get(actors.lobby, cid).row.due_on == date(2027, 1, 22)
    with pytest.raises(Conflict) as refused:
        complaints.extend(actors.supervisor, cid, "再延")
    assert refused.value.code == "complaint_max_extended"
    with pytest.raises(ValidationError):
        complaints.extend(actors.supervisor, cid, "   ")


def test_appraisal_pause_stops_the_clock_and_new_facts_restart_it(complaints, reads, branch, actors,
                                                                  clock) -> None:  # type: ignore[no-untyped-def]
    cid = submitted(complaints, reads, actors.teller1, branch)
    complaints.accept(actors.lobby, cid)
    clock.advance(days=2)
    complaints.pause(actors.lobby, cid, "送外部机构鉴定签名")
    clock.advance(days=30)  # Dec 25: long past the original Dec 8, but paused
    row = reads.get(actors.lobby, cid).row
    assert row.paused and not row.overdue
    assert reads.list(actors.lobby, branch.id, ComplaintFilter(overdue=True)) == []
    with pytest.raises(Conflict):
        complaints.pause(actors.lobby, cid, "again")
    complaints.resume(actors.lobby, cid, "鉴定结果已回")
    row = reads.get(actors.lobby, cid).row
    assert row.due_on == date(2027, 1, 7) and not row.paused  # 30 paused days not counted
    clock.advance(days=3)  # Dec 28
    complaints.new_facts(actors.lobby, cid, "客户补充了新的交易凭证")
    view = reads.get(actors.lobby, cid)
    assert view.row.due_on == date(2027, 1, 12)  # 15 days from Dec 28
    assert "[2026-12-28] 客户补充了新的交易凭证" in str(view.fields["facts"])


def test_overdue_and_near_due_filters_and_dashboard_counts(complaints, reads, branch, actors,
                                                           clock) -> None:  # type: ignore[no-untyped-def]
    old = complaints.submit(actors.lobby, branch.id, walk_in_entry(), received_on=date(2026, 11, 1))
    near = complaints.submit(actors.lobby, branch.id, walk_in_entry(category="product"),
                             received_on=date(2026, 11, 10))
    fresh = complaints.submit(actors.lobby, branch.id, walk_in_entry())
    complaints.save_draft(actors.lobby, branch.id, walk_in_entry())
    assert [r.reference for r in reads.list(actors.lobby, branch.id, ComplaintFilter(overdue=True))] == [old]
    assert [r.reference for r in reads.list(actors.lobby, branch.id, ComplaintFilter(due_within_days=3))] == [near]
    assert [r.reference for r in reads.list(actors.lobby, branch.id, ComplaintFilter(category="product"))] == [near]
    assert {r.reference for r in reads.list(actors.lobby, branch.id, ComplaintFilter(status="received"))} == {
        old, near, fresh}
    counts = reads.dashboard_counts(branch.id)
    assert (counts.open, counts.due_soon, counts.overdue) == (3, 1, 1)
    rows = {r.reference: r for r in reads.list(actors.lobby, branch.id)}
    assert rows[old].overdue and rows[near].near_due and not rows[fresh].near_due


def test_merge_of_a_repeat_keeps_the_original_clock(db, complaints, reads, branch, actors,
                                                    clock) -> None:  # type: ignore[no-untyped-def]
    original = submitted(complaints, reads, actors.teller1, branch)
    clock.advance(days=5)
    repeat = submitted(complaints, reads, actors.teller2, branch)
    complaints.merge(actors.lobby, repeat, original, "同一事项重复投诉")
    assert reads.get(actors.lobby, repeat).row.status == "merged"
    view = reads.get(actors.lobby, original)
    assert view.row.due_on == date(2026, 12, 8)
    assert view.events[-1].action == "merge" and "TS-2026-0002" in (view.events[-1].note or "")
    with db.read() as session:
        assert session.get(Complaint, repeat).merged_into_id == original
    with pytest.raises(InvalidTransition):
        complaints.accept(actors.lobby, repeat)
    with pytest.raises(ValidationError):
        complaints.merge(actors.lobby, original, original)


def test_subject_links_must_be_of_the_branch(db, complaints, branch, actors,
                                             other_branch) -> None:  # type: ignore[no-untyped-def]
    with db.read() as session:
        own_counter = session.scalar(select(Counter.id).where(Counter.branch_id == branch.id, Counter.number == 3))
        foreign = session.scalar(select(Counter.id).where(Counter.branch_id == other_branch.branch.id))
        teller = session.scalar(select(User.id).where(User.username == "teller3"))
    complaints.submit(actors.lobby, branch.id, walk_in_entry(subject_counter_id=own_counter, subject_user_id=teller))
    with pytest.raises(ValidationError) as wrong:
        complaints.submit(actors.lobby, branch.id, walk_in_entry(subject_counter_id=foreign))
    assert wrong.value.params["field"] == "subject_counter_id"


def test_concurrent_submissions_get_distinct_consecutive_references(db, complaints, branch,
                                                                    actors) -> None:  # type: ignore[no-untyped-def]
    threads, each = 8, 5

    def submit(_i: int) -> list[str]:
        return [complaints.submit(actors.lobby, branch.id, walk_in_entry()) for _ in range(each)]

    references = [r for batch in run_threads(threads, submit) for r in batch]
    assert sorted(references) == [f"TS-2026-{n:04d}" for n in range(1, threads * each + 1)]
    with db.read() as session:
        assert session.scalar(select(ComplaintSequence.last_number)) == threads * each
        assert session.scalar(select(func.count()).select_from(Complaint)) == threads * each


def test_attachments_are_stored_as_a_clean_json_list(db, complaints, reads, branch, actors) -> None:  # type: ignore[no-untyped-def]
    cid = complaints.save_draft(actors.lobby, branch.id,
                                walk_in_entry(attachments=(" 交易凭条 ", "", "授权委托书")))
    with db.read() as session:
        assert json.loads(session.get(Complaint, cid).attachments) == ["交易凭条", "授权委托书"]


# -- fuzzing the text fields -----------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from app.domain.complaint_entry import SHORT_LIMITS, TEXT_FIELDS  # noqa: E402

NASTY = st.sampled_from(["", " ", "\x00", "\x1b[31m", "'; DROP TABLE complaints; --", "<script>alert(1)</script>",
                         "\u202e", "\r\n", "\ufeff", "😀", "张" * 5000, "a\x7fb", "Robert'); --", "%s%s", "\\"])
TEXTS = st.one_of(st.text(max_size=300), NASTY, st.text(min_size=90, max_size=250).map(lambda s: s * 20),
                  st.builds(lambda a, b: a + b, NASTY, st.text(max_size=40)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(TEXT_FIELDS), value=TEXTS, submit=st.booleans())
def test_fuzzed_text_is_stored_clean_or_refused_whole(db, complaints, branch, actors, field, value,
                                                      submit) -> None:  # type: ignore[no-untyped-def]
    with db.read() as session:
        before = session.scalar(select(func.count()).select_from(Complaint))
        events_before = session.scalar(select(func.count()).select_from(ComplaintEvent))
    entry = walk_in_entry(**{field: value})
    try:
        if submit:
            complaints.submit(actors.lobby, branch.id, entry)
        else:
            complaints.save_draft(actors.lobby, branch.id, entry)
    except ValidationError as refused:
        assert refused.params["field"]  # names what is wrong
        with db.read() as session:  # nothing written at all
            assert session.scalar(select(func.count()).select_from(Complaint)) == before
            assert session.scalar(select(func.count()).select_from(ComplaintEvent)) == events_before
        return
    with db.read() as session:
        stored = session.scalars(select(Complaint).order_by(Complaint.id.desc()).limit(1)).one()
        kept = getattr(stored, field)
    if field in SEALED_FIELDS:  # stored encrypted: compare what it opens to
        kept = complaints.sealer.open(field, kept)
    expected = value.replace("\r\n", "\n").strip() or None
    if field == "org_credit_code" and expected:
        expected = expected.upper()
    assert kept == expected
    if kept is not None:
        assert len(kept) <= SHORT_LIMITS.get(field, 4000)
        assert not any(ord(c) < 32 and c not in "\n\t" for c in kept)


def test_personal_fields_are_sealed_at_rest_and_rotate_with_the_key(db, branch, actors, clock) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from app.keys import FieldCipher
    from app.services.complaint_sealing import ComplaintSealer
    from app.services.data_keys import open_cipher
    from app.services.key_rotation import keys_in_use, rotate

    cipher = open_cipher(db)  # the branch's key
    sealer = ComplaintSealer(cipher)
    service = ComplaintService(db, clock=clock, sealer=sealer)
    reads = ComplaintReads(db, clock=clock, sealer=sealer)
    entry = walk_in_entry(agent_name="李四", agent_contact="13900001111", agent_authorisation="授权委托书一份")
    reference = service.submit(actors.lobby, branch.id, entry)
    complaint_id = next(r.id for r in reads.list(actors.lobby, branch.id) if r.reference == reference)
    with db.engine.connect() as connection:
        raw = " ".join(str(v) for v in connection.execute(text("SELECT * FROM complaints")).one())
    for plain in ("11010119900307037X", "13812341234", "13900001111"):
        assert plain not in raw
    assert [reads.reveal(actors.teller1, complaint_id, name, "核对") for name in SEALED_FIELDS] == [
        "11010119900307037X", "13812341234", "13900001111"]
    assert keys_in_use(db) == {cipher.current: 3}
    rotated = FieldCipher(cipher.ring.rotated())
    rotate(db, actors.supervisor, rotated, batch=1)
    assert keys_in_use(db) == {rotated.current: 3}
    only_new = ComplaintSealer(FieldCipher(rotated.ring.without({cipher.current})))
    assert ComplaintReads(db, clock=clock, sealer=only_new).reveal(
        actors.teller1, complaint_id, "complainant_id_number", "核对") == "11010119900307037X"
