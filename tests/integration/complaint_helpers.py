"""Shared builders for the complaint tests."""

from __future__ import annotations

from app.domain.complaint_entry import ComplaintEntry


def walk_in_entry(**changes: object) -> ComplaintEntry:
    values: dict[str, object] = dict(
        intake="in_person", channel="branch_counter", business="rmb_savings", reason="service_attitude",
        category="service", severity="general", complainant_name="张三", complainant_contact="13812341234",
        complainant_id_number="11010119900307037X", request="要求柜员道歉", facts="办理存款时柜员态度生硬。",
        attachments=("身份证复印件",))
    values.update(changes)
    return ComplaintEntry(**values)  # type: ignore[arg-type]
