"""The CSV import with a progress bar and Cancel (the import stops after the current batch;
batches already imported stay, each whole)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.domain.errors import DomainError
from app.services.customers.importing import CustomerImport, ImportResult
from ui.context import AppContext
from ui.errors import describe, describe_unexpected
from ui.worker import Cancelled, Progress, Worker


class ImportDialog(QDialog):
    def __init__(self, context: AppContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import customers"))
        self.setMinimumWidth(420)
        self._ctx = context
        self.result: ImportResult | None = None
        self.label = QLabel(self.tr("Importing {file}…").format(file=Path(path).name))
        self.label.setObjectName("importStatus")
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setObjectName("importProgress")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.buttons)
        self.worker = Worker(self)
        self.worker.progress.connect(self._progress)
        self.worker.result.connect(self._done)
        self.worker.error.connect(self._failed)
        importer = context.services.customer_import()
        self.worker.run(self._run, importer, context.actor, Path(path))

    @staticmethod
    def _run(importer: CustomerImport, actor, path: Path, progress: Progress) -> ImportResult:  # type: ignore[no-untyped-def]
        # The import stops between batches when the callback says False (never mid-batch).
        return importer.import_file(actor, path, progress=lambda done, total:
                                    False if progress.cancelled else progress(done, total))

    def cancel(self) -> None:
        if self.result is None and self.worker.busy:
            self.worker.cancel()
            self.label.setText(self.tr("Cancelling after the current batch…"))
        else:
            self.reject()

    def _progress(self, done: int, total: int) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)

    def _done(self, result: ImportResult) -> None:
        self.result = result
        self.bar.setValue(self.bar.maximum())
        text = self.tr("Imported {imported}, rejected {rejected}.").format(imported=result.imported,
                                                                           rejected=result.rejected)
        if result.cancelled:
            text = self.tr("Cancelled.") + " " + text
        if result.error_file:
            text += " " + self.tr("Reasons are in {file}.").format(file=result.error_file)
        self.label.setText(text)
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

    def _failed(self, error: object) -> None:
        if isinstance(error, Cancelled):
            self.label.setText(self.tr("Cancelled."))
        else:
            self.label.setText(describe(error) if isinstance(error, DomainError)
                               else describe_unexpected(error))  # type: ignore[arg-type]
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
