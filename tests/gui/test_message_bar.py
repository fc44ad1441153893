"""The message bar: a refusal becomes one sentence marked as an error; a success clears it; a bug
is not swallowed."""

from __future__ import annotations

import pytest

from app.domain.errors import NotFound
from ui.message_bar import MessageBar, guarded


def test_a_refusal_is_shown_as_an_error_and_a_success_clears_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    bar = MessageBar(name="m")
    qtbot.addWidget(bar)

    def refused() -> int:
        raise NotFound(what="Ticket", key="A001")

    assert bar.guarded(refused) == (None, False)
    assert bar.severity == "error" and "A001" in bar.text()
    assert bar.guarded(lambda: 7) == (7, True)
    assert bar.severity == "" and bar.text() == ""


def test_information_after_success_stays_and_ok_is_its_own_state(qtbot) -> None:  # type: ignore[no-untyped-def]
    bar = MessageBar()
    qtbot.addWidget(bar)
    bar.show_ok("saved")
    assert bar.guarded(lambda: None) == (None, True)
    assert (bar.text(), bar.severity) == ("saved", "ok")  # only an error is cleared by a success
    bar.report("failed", error=True)
    assert bar.severity == "error"


def test_a_bug_is_not_turned_into_a_message(qtbot) -> None:  # type: ignore[no-untyped-def]
    bar = MessageBar()
    qtbot.addWidget(bar)
    with pytest.raises(ZeroDivisionError):
        bar.guarded(lambda: 1 // 0)
    shown: list[str] = []
    assert guarded(shown.append, lambda: (_ for _ in ()).throw(NotFound(what="User", key="x"))) == (None, False)
    assert len(shown) == 1 and "x" in shown[0]
