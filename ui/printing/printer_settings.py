"""Choose the slip printer, the A4 printer and the slip roll width.

Takes and returns :class:`app.printing.data.PrinterChoice`; storing it is the
settings layer's job. A saved printer that is not installed right now stays
selected (marked unavailable) so opening the settings never loses it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from app.printing.data import ROLL_WIDTHS_MM, PrinterChoice

#: Item data of the "System default" entry (PrinterChoice stores "" for it).
SYSTEM_DEFAULT = ""


class PrinterSettingsWidget(QWidget):
    """Two printer combo boxes and a slip-width combo box.

    ``printer_names`` defaults to the printers Qt finds
    (``QPrinterInfo.availablePrinterNames()``); tests pass their own list.
    """

    changed = Signal()

    def __init__(
        self,
        choice: PrinterChoice | None = None,
        parent: QWidget | None = None,
        *,
        printer_names: Sequence[str] | None = None,
    ) -> None:
        super().__init__(parent)
        names = list(QPrinterInfo.availablePrinterNames() if printer_names is None else printer_names)
        self.printer_names = names

        self.slip_printer_combo = self._printer_combo(names)
        self.a4_printer_combo = self._printer_combo(names)
        self.slip_width_combo = QComboBox(self)
        for width in ROLL_WIDTHS_MM:
            self.slip_width_combo.addItem(self.tr("{width} mm").format(width=width), width)

        form = QFormLayout(self)
        form.addRow(self.tr("Ticket slip printer:"), self.slip_printer_combo)
        form.addRow(self.tr("Slip paper width:"), self.slip_width_combo)
        form.addRow(self.tr("A4 printer:"), self.a4_printer_combo)

        self.set_choice(choice or PrinterChoice())
        for combo in (self.slip_printer_combo, self.a4_printer_combo, self.slip_width_combo):
            combo.currentIndexChanged.connect(self.changed)

    def _printer_combo(self, names: list[str]) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(self.tr("System default"), SYSTEM_DEFAULT)
        for name in names:
            combo.addItem(name, name)
        return combo

    def _select_printer(self, combo: QComboBox, name: str) -> None:
        index = combo.findData(name)
        if index < 0:  # saved printer not installed now: keep it, say so
            combo.addItem(self.tr("{name} (not available)").format(name=name), name)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    def set_choice(self, choice: PrinterChoice) -> None:
        self._select_printer(self.slip_printer_combo, choice.slip_printer)
        self._select_printer(self.a4_printer_combo, choice.a4_printer)
        index = self.slip_width_combo.findData(choice.slip_width_mm)
        self.slip_width_combo.setCurrentIndex(index if index >= 0 else 0)

    def choice(self) -> PrinterChoice:
        return PrinterChoice(
            slip_printer=self.slip_printer_combo.currentData() or SYSTEM_DEFAULT,
            a4_printer=self.a4_printer_combo.currentData() or SYSTEM_DEFAULT,
            slip_width_mm=int(self.slip_width_combo.currentData()),
        )
