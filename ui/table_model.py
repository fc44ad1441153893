"""One table model for every list of service results (queue, customers, complaints…).

``set_rows`` shows a new list (a new search): the view starts afresh. ``update_rows`` shows a
re-read of the same list (a live refresh): with a ``key`` (e.g. the ticket's id) rows that stay
keep their identity, so the view keeps its selection, current row and scroll position; only
rows that came or went are inserted or removed, moved rows are moved, and cells whose row
changed get ``dataChanged``. No model reset, so nothing blinks.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex


#: A column of figures (counts, minutes): right-aligned, and no hover text repeating them.
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[Row]):
    header: str
    value: Callable[[Row], Any]
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class RecordTableModel(QAbstractTableModel, Generic[Row]):
    def __init__(self, columns: Sequence[Column[Row]], parent=None, *,  # type: ignore[no-untyped-def]
                 key: Callable[[Row], Hashable] | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Row] = []
        #: What makes two readings of a row the same row (e.g. ``lambda t: t.id``); see update_rows.
        self.key = key

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Show a new list: a model reset (selection and scroll position start afresh)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def update_rows(self, rows: Sequence[Row]) -> None:
        """Show a re-read of the list, row by row by :attr:`key`: removes, moves, inserts and
        ``dataChanged``, never a reset. Keys must be unique within ``rows``."""
        if self.key is None:
            raise TypeError("update_rows needs the model's key (RecordTableModel(..., key=...))")
        key = self.key
        new_keys = [key(row) for row in rows]
        wanted = set(new_keys)
        if len(wanted) != len(new_keys):
            raise ValueError("update_rows: two rows have the same key")
        self._remove_rows_not_in(wanted)
        keys = [key(row) for row in self._rows]  # every one of them is wanted now
        staying = set(keys)
        changed: list[int] = []
        for target, (new_key, row) in enumerate(zip(new_keys, rows, strict=True)):
            # Rows before ``target`` are in their place; ``new_key`` is at ``target``, further down, or new.
            if target == len(keys) or keys[target] != new_key:
                if new_key not in staying:
                    self.beginInsertRows(QModelIndex(), target, target)
                    self._rows.insert(target, row)
                    keys.insert(target, new_key)
                    self.endInsertRows()
                    continue
                source = keys.index(new_key, target + 1)
                self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), target)
                self._rows.insert(target, self._rows.pop(source))
                keys.insert(target, keys.pop(source))
                self.endMoveRows()
            if self._rows[target] != row:
                self._rows[target] = row
                changed.append(target)
        self._emit_changed(changed)

    def _remove_rows_not_in(self, wanted: set[Hashable]) -> None:
        """Remove the rows whose key is not wanted, one ``beginRemoveRows`` per run of them."""
        assert self.key is not None
        gone = [i for i, row in enumerate(self._rows) if self.key(row) not in wanted]
        while gone:
            last = gone.pop()
            first = last
            while gone and gone[-1] == first - 1:
                first = gone.pop()
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first:last + 1]
            self.endRemoveRows()

    def _emit_changed(self, rows: list[int]) -> None:
        """One ``dataChanged`` per run of consecutive changed rows (the views repaint just those)."""
        last_column = self.columnCount() - 1
        start = 0
        while start < len(rows):
            end = start
            while end + 1 < len(rows) and rows[end + 1] == rows[end] + 1:
                end += 1
            self.dataChanged.emit(self.index(rows[start], 0), self.index(rows[end], last_column))
            start = end + 1

    def clock_moved(self, column: int) -> None:
        """A column computed from the clock (minutes waited) shows new values although no row
        changed: repaint that column (update_rows compares rows, not what the clock makes of them)."""
        if self._rows:
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_of(self, key: Hashable) -> int | None:
        """The row number of the row with this key (None: not shown)."""
        if self.key is None:
            raise TypeError("row_of needs the model's key")
        return next((i for i, row in enumerate(self._rows) if self.key(row) == key), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(self._rows[index.row()])
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ItemDataRole.ToolTipRole and not column.align & Qt.AlignmentFlag.AlignRight:
            # A text a narrow column shows as "Loss report / password …" reads whole on hover.
            value = column.value(self._rows[index.row()])
            return None if value is None or str(value) == "" else str(value)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        return None
