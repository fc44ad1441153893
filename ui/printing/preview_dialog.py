"""Print preview: show a built PDF, then print it or save it.

The dialog gets the PDF bytes and nothing else; printing goes through
:mod:`ui.printing.print_job`, so the GUI stays responsive while a page renders.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QPointF, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.output_files import write_bytes
from ui.printing.print_job import PrintJob, PrintQueue, check_kind, print_pdf

log = logging.getLogger(__name__)

ZOOM_STEP = 1.25
ZOOM_MIN = 0.25
ZOOM_MAX = 6.0
#: A slip is narrow: show it at a readable fixed zoom instead of stretching it to the window.
SLIP_ZOOM = 1.5


class PdfPreviewDialog(QDialog):
    """Preview of one document with zoom, page navigation, Print… and Save as PDF….

    ``kind`` is ``"slip"`` (thermal roll) or ``"a4"``; it sets the initial
    zoom and how the document is printed. Actions and buttons are public
    attributes so tests (and keyboard users) can drive them.
    """

    #: Emitted with each print job this dialog starts.
    print_started = Signal(QObject)

    def __init__(
        self,
        pdf_bytes: bytes,
        title: str,
        kind: str = "a4",
        parent: QWidget | None = None,
        *,
        printer_name: str = "",
        print_queue: PrintQueue | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = check_kind(kind)
        self.pdf_bytes = pdf_bytes
        self.document_title = title
        self.printer_name = printer_name
        self.print_queue = print_queue
        self.last_job: PrintJob | None = None
        self.setWindowTitle(self.tr("Print preview — {title}").format(title=title))

        self.document = QPdfDocument(self)
        self._data = QByteArray(pdf_bytes)
        self._buffer = QBuffer(self._data, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)

        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setDocument(self.document)
        self.navigator = self.view.pageNavigator()

        self._build_toolbar()
        self._build_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.button_box)

        self.navigator.currentPageChanged.connect(self._update_page_controls)
        self.document.pageCountChanged.connect(self._update_page_controls)
        self.document.statusChanged.connect(self._update_page_controls)

        if self.kind == "slip":
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(SLIP_ZOOM)
            self.resize(460, 680)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.resize(820, 900)
        self._update_page_controls()

    # --- construction ---------------------------------------------------------------

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self)
        self.previous_page_action = QAction(self.tr("Previous page"), self)
        self.previous_page_action.setShortcut(QKeySequence(QKeySequence.StandardKey.MoveToPreviousPage))
        self.previous_page_action.triggered.connect(self.previous_page)
        self.next_page_action = QAction(self.tr("Next page"), self)
        self.next_page_action.setShortcut(QKeySequence(QKeySequence.StandardKey.MoveToNextPage))
        self.next_page_action.triggered.connect(self.next_page)
        self.page_label = QLabel(self)
        self.zoom_out_action = QAction(self.tr("Zoom out"), self)
        self.zoom_out_action.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut))
        self.zoom_out_action.triggered.connect(self.zoom_out)
        self.zoom_in_action = QAction(self.tr("Zoom in"), self)
        self.zoom_in_action.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomIn))
        self.zoom_in_action.triggered.connect(self.zoom_in)
        self.fit_width_action = QAction(self.tr("Fit width"), self)
        self.fit_width_action.triggered.connect(self.fit_width)

        self.toolbar.addAction(self.previous_page_action)
        self.toolbar.addWidget(self.page_label)
        self.toolbar.addAction(self.next_page_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.zoom_out_action)
        self.toolbar.addAction(self.zoom_in_action)
        self.toolbar.addAction(self.fit_width_action)

    def _build_buttons(self) -> None:
        self.status_label = QLabel(self)
        self.button_box = QDialogButtonBox(self)
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.print_button.setDefault(True)
        self.save_button = QPushButton(self.tr("Save as PDF…"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.button_box.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.button_box.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.button_box.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)

    # --- pages ------------------------------------------------------------------

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        """Index (0-based) of the page in view."""
        return self.navigator.currentPage()

    def go_to_page(self, index: int) -> None:
        if self.page_count() == 0:
            return
        index = max(0, min(index, self.page_count() - 1))
        self.navigator.jump(index, QPointF(), self.navigator.currentZoom())
        self._update_page_controls()

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def _update_page_controls(self) -> None:
        total = self.page_count()
        current = self.current_page() + 1 if total else 0
        self.page_label.setText(self.tr("Page {current} of {total}").format(current=current, total=total))
        self.previous_page_action.setEnabled(current > 1)
        self.next_page_action.setEnabled(current < total)
        self.print_button.setEnabled(total > 0)
        self.save_button.setEnabled(total > 0)
        if self.document.status() == QPdfDocument.Status.Error:
            self.status_label.setText(self.tr("The document could not be displayed."))

    # --- zoom -------------------------------------------------------------------

    def zoom_factor(self) -> float:
        """Zoom in effect; in fit-width mode, the factor QPdfView computed from the window."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or self.page_count() == 0:
            return self.view.zoomFactor()
        # QPdfView shows a page at (points × logical dpi / 72) × zoom pixels.
        page_width = self.document.pagePointSize(self.current_page()).width() * self.logicalDpiX() / 72
        margins = self.view.documentMargins()
        usable = self.view.viewport().width() - margins.left() - margins.right()
        return usable / page_width if page_width > 0 else 1.0

    def _set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, factor)))

    def zoom_in(self) -> None:
        self._set_zoom(self.zoom_factor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self.zoom_factor() / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    # --- print and save ---------------------------------------------------------

    def make_printer(self) -> QPrinter:
        """A printer preset for this document: the configured printer, A4 or the slip's size."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.printer_name:
            printer.setPrinterName(self.printer_name)
        if self.kind == "a4":
            printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(self.document_title)
        return printer

    def print_document(self) -> None:
        """Print… : let the user pick printer and copies, then print in the background."""
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print {title}").format(title=self.document_title))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> PrintJob:
        """Queue the document for ``printer``; progress shows in the status line."""
        job = print_pdf(self.pdf_bytes, printer, self.kind, self.print_queue)
        self.last_job = job
        self.status_label.setText(self.tr("Printing…"))
        job.progress.connect(self._on_print_progress)
        job.failed.connect(self._on_print_failed)
        job.finished.connect(self._on_print_finished)
        self.print_started.emit(job)
        return job

    def _on_print_progress(self, done: int, total: int) -> None:
        self.status_label.setText(self.tr("Printing page {done} of {total}…").format(done=done, total=total))

    def _on_print_failed(self, message: str) -> None:
        self.status_label.setText(message)
        QMessageBox.warning(self, self.tr("Printing failed"), message)

    def _on_print_finished(self, ok: bool) -> None:
        if ok:
            self.status_label.setText(self.tr("Sent to the printer."))

    def save_as(self) -> None:
        """Save as PDF… : ask for a file name and write the PDF bytes."""
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save as PDF"),
            f"{self.document_title}.pdf",
            self.tr("PDF files (*.pdf)"),
        )
        if not path:
            return
        try:
            self.save_to(path)
        except OSError as exc:
            log.warning("Could not save %s: %s", path, exc)
            QMessageBox.warning(
                self,
                self.tr("Save failed"),
                self.tr("The file could not be saved:\n{reason}").format(reason=exc.strerror or str(exc)),
            )

    def save_to(self, path: str | Path) -> Path:
        """Write the PDF to ``path`` (``.pdf`` added when missing); returns the path written."""
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        write_bytes(target, self.pdf_bytes)
        self.status_label.setText(self.tr("Saved to {path}.").format(path=str(target)))
        return target

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self._release_document()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self._release_document()
        super().done(result)

    def _release_document(self) -> None:
        # Print jobs hold their own copy of the bytes, so the preview can let go now.
        self.view.setDocument(None)
        self.document.close()


def open_preview(previous: PdfPreviewDialog | None, pdf: bytes, title: str, kind: str, parent: QWidget, *,
                 printer_name: str | None) -> PdfPreviewDialog:
    """Show ``pdf`` in a non-modal preview, closing the screen's previous one (one at a time)."""
    if previous is not None:
        previous.close()
    dialog = PdfPreviewDialog(pdf, title, kind, parent, printer_name=printer_name)
    dialog.setModal(False)
    dialog.show()
    return dialog
