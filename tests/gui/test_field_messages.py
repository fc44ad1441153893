"""FieldMessages: a new refusal replaces the marks of the last one without saying "all cleared"
(the form's bar, just set to the new refusal, must keep it)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from app.domain.errors import ValidationError
from ui.field_messages import FieldMessages


def test_a_new_refusal_replaces_the_marks_and_an_edit_clears_them(qtbot) -> None:  # type: ignore[no-untyped-def]
    form = QWidget()
    qtbot.addWidget(form)
    messages = FieldMessages(form)
    name, phone = QLineEdit(), QLineEdit()
    for field, edit in (("name", name), ("phone", phone)):
        messages.wrap(field, edit).setParent(form)
    cleared: list[bool] = []
    messages.all_cleared.connect(lambda: cleared.append(True))

    assert messages.show(ValidationError(field="name", reason="required", missing=["name", "phone"]))
    assert messages.marked() == ["name", "phone"]
    assert messages.show(ValidationError(field="phone", reason="phone_format"))
    assert messages.marked() == ["phone"] and cleared == []
    assert not messages.show(ValidationError(field="elsewhere", reason="required"))
    assert messages.marked() == []
    assert messages.show(ValidationError(field="phone", reason="phone_format"))
    phone.setText("138")
    assert messages.marked() == [] and cleared == [True]
