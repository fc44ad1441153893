"""A table model whose refresh changes cells in place: same rows → ``dataChanged`` only, so
the view keeps its scroll position and selection and does not blink on every update."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from ui.table_model import RecordTableModel

Row = TypeVar("Row")


class LiveTableModel(RecordTableModel[Row]):
    def update_rows(self, rows: Sequence[Row]) -> None:
        if len(rows) != self.rowCount() or not rows:
            self.set_rows(rows)
            return
        old = self._rows
        self._rows = list(rows)
        changed = [i for i, (a, b) in enumerate(zip(old, self._rows, strict=True)) if a != b]
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0),
                                  self.index(max(changed), self.columnCount() - 1))
