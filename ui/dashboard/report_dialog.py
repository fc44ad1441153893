"""Report dialog: pick the day and the kind (daily / monthly) and, for a regional supervisor,
all branches; then preview, print, or save as PDF, CSV or XLSX. The report is built on the
worker thread (ui/worker.py); the preview and printing are the shared ones (ui/printing)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.domain.business_day import business_day
from app.domain.errors import DomainError
from app.output_files import write_bytes
from ui.field_inputs import date_input
from app.services.report_export import ReportFormat, export
from app.services.reports import ReportKind, ReportService, can_report_all_branches
from ui.context import AppContext
from ui.errors import describe
from ui.printing.preview_dialog import PdfPreviewDialog, open_preview
from ui.worker import Cancelled, Worker
from ui.message_bar import MessageBar


class ReportDialog(QDialog):
    #: (format, bytes) of each report produced
    produced = Signal(str, bytes)

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 service: ReportService | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Branch reports"))
        self._ctx = context
        self.service = service or context.services.reports
        self.preview: PdfPreviewDialog | None = None
        self._pending: tuple[str, Path | None] = ("preview", None)
        self.last_saved: Path | None = None
        self.worker = Worker(self)
        self.worker.result.connect(self._on_result)
        self.worker.error.connect(self._on_error)
        self.worker.busy_changed.connect(self._on_busy)

        # The branch's business day, not this PC's calendar date (they differ around midnight when
        # the PC's clock is set to another time zone than the branch's).
        self.date_edit = date_input(business_day(context.clock(), context.branch.timezone))
        self.date_edit.setObjectName("reportDate")
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("reportKind")
        self.kind_combo.addItem(self.tr("Daily report"), ReportKind.DAILY.value)
        self.kind_combo.addItem(self.tr("Monthly report (month of the date)"), ReportKind.MONTHLY.value)
        self.all_branches = QCheckBox(self.tr("All branches"))
        self.all_branches.setObjectName("allBranches")
        self.all_branches.setVisible(context.actor is not None and can_report_all_branches(context.actor))
        form = QFormLayout()
        form.addRow(self.tr("Date"), self.date_edit)
        form.addRow(self.tr("Report"), self.kind_combo)
        form.addRow("", self.all_branches)

        self.preview_button = QPushButton(self.tr("Preview…"))
        self.preview_button.setObjectName("previewReport")
        self.preview_button.clicked.connect(lambda: self.generate("preview"))
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("printReport")
        self.print_button.clicked.connect(lambda: self.generate("print"))
        self.save_button = QPushButton(self.tr("Save as…"))
        self.save_button.setObjectName("saveReport")
        self.save_button.clicked.connect(self.save_as)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.message = MessageBar(name="reportMessage")

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def chosen_day(self) -> date:
        return self.date_edit.date().toPython()

    def generate(self, action: str, path: Path | None = None) -> None:
        """Build the report in the background, then preview, print or save it (``action``)."""
        fmt = ReportFormat.of_path(path.name) if path is not None else ReportFormat.PDF
        self._pending = (action, path)
        self.message.show_info(self.tr("Preparing the report…"))
        self.worker.run(self._produce, self.kind_combo.currentData(), self.chosen_day(),
                        self.all_branches.isVisible() and self.all_branches.isChecked(), fmt.value)

    def _produce(self, kind: str, day: date, all_branches: bool, fmt: str) -> tuple[str, str, bytes]:
        actor = self._ctx.actor
        report = self.service.build(actor, kind, day, branch_code=None if all_branches else self._ctx.branch.code,
                                    all_branches=all_branches)
        data = export(report, fmt, bank_name=self._ctx.settings.get("printing.bank_name"))
        return f"{report.title} {report.period}", fmt, data

    def save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save report"), f"report-{self.chosen_day():%Y%m%d}.pdf",
            self.tr("PDF (*.pdf);;CSV (*.csv);;Excel workbook (*.xlsx)"))
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        """Save in the format the file name ends with (.pdf, .csv or .xlsx; PDF when none)."""
        if path.suffix.lower() not in (".pdf", ".csv", ".xlsx"):
            path = path.with_name(path.name + ".pdf")
        self.generate("save", path)

    def _on_result(self, result: tuple[str, str, bytes]) -> None:
        title, fmt, data = result
        action, path = self._pending
        if action == "save" and path is not None:
            try:
                write_bytes(path, data)
            except OSError as error:
                self._show_problem(self.tr("The file could not be saved: {reason}").format(
                    reason=error.strerror or str(error)))
                return
            self.last_saved = path
            self.message.setText(self.tr("Saved to {path}.").format(path=str(path)))
        else:
            self.preview = open_preview(self.preview, data, title, "a4", self,
                                        printer_name=self._ctx.settings.get("printing.a4_printer"))
            self.message.setText("")
            if action == "print":
                self.preview.print_document()
        self.produced.emit(fmt, data)

    def _on_error(self, error: object) -> None:
        if isinstance(error, DomainError):
            self._show_problem(describe(error))
        elif not isinstance(error, Cancelled):
            self._show_problem(self.tr("The report could not be created: {error}").format(error=error))

    def _show_problem(self, text: str) -> None:
        self.message.show_error(text)

    def _on_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        for button in (self.preview_button, self.print_button, self.save_button):
            button.setEnabled(not busy)

    def done(self, result: int) -> None:
        self.worker.cancel()
        if self.preview is not None:
            self.preview.close()
        super().done(result)
