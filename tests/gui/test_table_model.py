"""Keyed row updates in the table-model base (ui/table_model.py): a live refresh keeps the
selection and the scroll position; rows are inserted, removed, moved and changed, never reset."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QAbstractItemView, QTableView

from ui.table_model import Column, RecordTableModel


@dataclass(frozen=True)
class Ticket:
    id: int
    number: str
    status: str = "waiting"


COLUMNS = [Column("No.", lambda t: t.number), Column("Status", lambda t: t.status)]


def tickets(ids: range | list[int]) -> list[Ticket]:
    return [Ticket(i, f"A{i:03d}") for i in ids]


class Signals:
    """The structural signals a model emitted."""

    def __init__(self, model: RecordTableModel) -> None:  # type: ignore[type-arg]
        self.names: list[str] = []
        self.changed_rows: list[tuple[int, int]] = []
        for name in ("modelReset", "rowsInserted", "rowsRemoved", "rowsMoved", "layoutChanged"):
            getattr(model, name).connect(lambda *_args, name=name: self.names.append(name))
        model.dataChanged.connect(lambda top, bottom, *_: self.changed_rows.append((top.row(), bottom.row())))


@pytest.fixture
def table(qtbot):  # type: ignore[no-untyped-def]
    model: RecordTableModel[Ticket] = RecordTableModel(COLUMNS, key=lambda t: t.id)
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.resize(300, 200)  # about five rows: the list scrolls
    qtbot.addWidget(view)
    view.show()
    model.set_rows(tickets(range(1, 101)))
    return model, view


def selected_ids(model, view) -> list[int]:  # type: ignore[no-untyped-def]
    return [model.row_at(index.row()).id for index in view.selectionModel().selectedRows()]


def test_a_live_update_keeps_selection_and_scroll_position(qtbot, table) -> None:  # type: ignore[no-untyped-def]
    model, view = table
    view.selectRow(model.row_of(60))
    view.scrollTo(model.index(model.row_of(60), 0))
    scrolled = view.verticalScrollBar().value()
    assert scrolled > 0
    signals = Signals(model)

    rows = tickets(range(1, 101))
    rows[59] = replace(rows[59], status="called")  # the selected ticket was called
    rows[79] = replace(rows[79], status="called")
    rows.append(Ticket(101, "A101"))  # a new ticket at the end
    model.update_rows(rows)

    assert model.rows() == rows
    assert "modelReset" not in signals.names and signals.names == ["rowsInserted"]
    assert signals.changed_rows == [(59, 59), (79, 79)]
    assert selected_ids(model, view) == [60]
    assert view.currentIndex().row() == model.row_of(60)
    assert view.verticalScrollBar().value() == scrolled
    assert model.data(model.index(59, 1)) == "called"


def test_the_selection_follows_its_row_when_others_come_go_and_move(qtbot, table) -> None:  # type: ignore[no-untyped-def]
    model, view = table
    view.selectRow(model.row_of(50))
    kept = QPersistentModelIndex(model.index(model.row_of(50), 0))
    signals = Signals(model)
    # Tickets 1–10 were served (gone), 95 jumped to the front (transferred), 200 and 201 came.
    rows = [Ticket(95, "A095")] + tickets(range(11, 95)) + tickets([96, 97, 98, 99, 100, 200, 201])
    model.update_rows(rows)
    assert model.rows() == rows
    assert "modelReset" not in signals.names and "layoutChanged" not in signals.names
    assert signals.names.count("rowsRemoved") == 1  # one run of ten rows, one signal
    assert "rowsMoved" in signals.names
    assert selected_ids(model, view) == [50]
    assert kept.isValid() and model.row_at(kept.row()).id == 50
    # The selected ticket itself goes (Qt's view then moves the current row on, as for any removal).
    model.update_rows([r for r in rows if r.id != 50])
    assert 50 not in selected_ids(model, view) and model.row_of(50) is None


def test_an_update_without_changes_emits_nothing(qtbot, table) -> None:  # type: ignore[no-untyped-def]
    model, _view = table
    signals = Signals(model)
    model.update_rows(tickets(range(1, 101)))
    assert signals.names == [] and signals.changed_rows == []


def test_set_rows_still_starts_afresh(qtbot, table) -> None:  # type: ignore[no-untyped-def]
    """A new search is a new list: reset, selection gone."""
    model, view = table
    view.selectRow(3)
    signals = Signals(model)
    model.set_rows(tickets(range(1, 101)))
    assert signals.names == ["modelReset"] and selected_ids(model, view) == []


def test_random_updates_end_with_the_new_rows_and_a_consistent_model(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Qt's model tester checks every signal against the model's state as it goes."""
    model: RecordTableModel[Ticket] = RecordTableModel(COLUMNS, key=lambda t: t.id)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    rng = random.Random(20261204)
    for _ in range(200):
        ids = rng.sample(range(40), rng.randint(0, 25))
        rows = [Ticket(i, f"A{i:03d}", rng.choice(["waiting", "called"])) for i in ids]
        before = {t.id: QPersistentModelIndex(model.index(r, 0)) for r, t in enumerate(model.rows())}
        model.update_rows(rows)
        assert model.rows() == rows
        for key, index in before.items():  # rows that stayed kept their identity
            assert index.isValid() == (key in ids)
            if index.isValid():
                assert model.row_at(index.row()).id == key


def test_keys_must_be_given_and_unique(qtbot) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError):
        RecordTableModel(COLUMNS).update_rows(tickets([1]))
    model: RecordTableModel[Ticket] = RecordTableModel(COLUMNS, key=lambda t: t.id)
    with pytest.raises(ValueError, match="same key"):
        model.update_rows([Ticket(1, "A001"), Ticket(1, "A001")])
    assert model.rowCount(QModelIndex()) == 0


def test_a_text_cell_reads_whole_on_hover_a_number_does_not_repeat_itself(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from ui.table_model import RIGHT, Column, RecordTableModel

    model = RecordTableModel([Column("Business", lambda r: r[0]), Column("Waiting", lambda r: r[1], RIGHT)])
    model.set_rows([("Loss report / password reset", 3), ("", 0)])
    tip = Qt.ItemDataRole.ToolTipRole
    assert model.data(model.index(0, 0), tip) == "Loss report / password reset"
    assert model.data(model.index(0, 1), tip) is None and model.data(model.index(1, 0), tip) is None
