"""Issue #18: the counter selector showed "1号窗口" in English. The name every counter is created
with reads in the UI's language; a name the branch gave a counter is shown as given."""

from __future__ import annotations

from app.services.branches import CounterView
from ui.labels import counter_label
from ui.queue.counter_state import counter_chooser


def test_the_default_counter_name_reads_in_english_and_a_given_name_stays(qapp) -> None:  # type: ignore[no-untyped-def]
    assert counter_label(3, "3号窗口") == "Counter 3"
    assert counter_label(7, "贵宾室") == "贵宾室"
    assert counter_label(2, "3号窗口") == "3号窗口"  # not the counter's own default: a name as given


def test_the_console_selector_uses_the_words(qapp) -> None:  # type: ignore[no-untyped-def]
    combo = counter_chooser([CounterView(1, 1, "1号窗口", True), CounterView(2, 2, "理财室", True)], 0)
    try:
        assert [combo.itemText(i) for i in range(combo.count())] == ["Counter 1", "理财室"]
    finally:
        combo.deleteLater()


def test_the_complaint_forms_counter_list_uses_the_words(qtbot, make_main_window) -> None:  # type: ignore[no-untyped-def]
    window = make_main_window("supervisor", counter=0)
    form = window.complaints_pane.record()
    combo = form.subject_counter
    assert [combo.itemText(i) for i in range(1, combo.count())][:2] in (["Counter 1", "Counter 2"],
                                                                       ["1号窗口", "2号窗口"])
    form.close()
