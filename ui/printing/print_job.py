"""Send PDF bytes to a QPrinter off the GUI thread, one job at a time per printer.

Each page is rendered with QtPdf to an image at (up to) the printer's
resolution and painted onto the printer. Rendering rather than passing the PDF
through means every driver — a thermal kiosk printer, a laser, Qt's own PDF
output used by the tests — gets exactly what the preview showed.

Jobs queue per printer (vorta's one-job-per-repository rule): two slips for
the lobby printer come out in order, while a form for the A4 printer need not
wait behind them.
"""

from __future__ import annotations

import logging
from typing import Literal

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QObject,
    QRectF,
    QRunnable,
    QSize,
    QThreadPool,
    QTimer,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

log = logging.getLogger(__name__)

DocumentKind = Literal["slip", "a4"]
KINDS: tuple[str, ...] = ("slip", "a4")

#: Rendering resolution cap: thermal heads are 203 dpi, and 300 dpi text is crisp
#: on a laser while an A4 page stays ~35 MB in memory (1200 dpi would be ~550 MB).
MAX_RENDER_DPI = 300


class PrintError(Exception):
    """A print job could not be completed; the message is meant for the user."""


def check_kind(kind: str) -> DocumentKind:
    if kind not in KINDS:
        raise ValueError(f"Unknown document kind {kind!r}; expected one of {KINDS}")
    return kind  # type: ignore[return-value]


def queue_key(printer: QPrinter) -> str:
    """Jobs with the same key run one after another: the file for PDF output, else the printer."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        return "pdf:" + printer.outputFileName()
    return "printer:" + printer.printerName()


def _exact_page_size(points: object) -> QPageSize:
    return QPageSize(points, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch)


def _on_white(image: QImage) -> QImage:
    # QtPdf renders onto a transparent background; printers and PDF writers want paper white.
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(Qt.GlobalColor.white)
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    return flat


def render_to_printer(pdf_bytes: bytes, printer: QPrinter, kind: str, on_page=None) -> int:
    """Print every page of ``pdf_bytes`` on ``printer``; returns the number of pages.

    Blocking: call from a worker thread (QPainter on a QPrinter is allowed
    outside the GUI thread). A slip sets the printer's paper to the slip's own
    size (roll width × content height); an A4 document keeps the paper the
    printer is set to and is scaled to fit it. ``on_page(done, total)`` is
    called after each page. Raises :class:`PrintError`.
    """
    check_kind(kind)
    data = QByteArray(pdf_bytes)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    try:
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
            raise PrintError(QCoreApplication.translate(
                "PrintJob", "The document to print could not be read."))
        total = document.pageCount()

        printer.setFullPage(True)  # the PDF already carries its margins
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
        if kind == "slip":
            printer.setPageSize(_exact_page_size(document.pagePointSize(0)))

        painter = QPainter()
        if not painter.begin(printer):
            raise PrintError(QCoreApplication.translate("PrintJob", "The printer could not be started."))
        try:
            for index in range(total):
                page_points = document.pagePointSize(index)
                if index > 0:
                    if kind == "slip":
                        printer.setPageSize(_exact_page_size(page_points))
                    if not printer.newPage():
                        raise PrintError(QCoreApplication.translate(
                            "PrintJob", "The printer refused a new page."))
                resolution = printer.resolution()
                paper = QRectF(printer.pageLayout().fullRectPixels(resolution))
                dpi = min(resolution, MAX_RENDER_DPI)
                image = document.render(
                    index,
                    QSize(round(page_points.width() / 72 * dpi), round(page_points.height() / 72 * dpi)),
                )
                if image.isNull():
                    raise PrintError(QCoreApplication.translate(
                        "PrintJob", "A page could not be rendered for printing."))
                # Fit the page into the paper, keeping its proportions, top-centred.
                scale = min(paper.width() / page_points.width(), paper.height() / page_points.height())
                width, height = page_points.width() * scale, page_points.height() * scale
                target = QRectF(paper.x() + (paper.width() - width) / 2, paper.y(), width, height)
                painter.drawImage(target, _on_white(image))
                if on_page is not None:
                    on_page(index + 1, total)
        finally:
            painter.end()
        return total
    finally:
        document.close()
        buffer.close()


class PrintJob(QObject):
    """One document on its way to one printer.

    Signals arrive on the GUI thread: ``progress(done, total)`` after each page,
    ``failed(message)`` with a user-facing message when something went wrong,
    then always ``finished(ok)``.
    """

    progress = Signal(int, int)
    failed = Signal(str)
    finished = Signal(bool)

    def __init__(
        self,
        pdf_bytes: bytes,
        printer: QPrinter,
        kind: str,
        *,
        error: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.pdf_bytes = pdf_bytes
        self.printer = printer  # owned by the job from now on; not touched by the GUI
        self.kind = check_kind(kind)
        self.key = queue_key(printer)
        self.pages_printed = 0
        self._error = error  # known before starting (e.g. no such printer)

    def run(self) -> None:
        """Blocking body of the job; runs on a worker thread."""
        try:
            if self._error is not None:
                raise PrintError(self._error)
            self.pages_printed = render_to_printer(
                self.pdf_bytes, self.printer, self.kind, on_page=self.progress.emit
            )
        except PrintError as exc:
            self.failed.emit(str(exc))
            self.finished.emit(False)
        except Exception:  # noqa: BLE001 — a worker must report, never die silently
            log.exception("Printing failed on %s", self.key)
            self.failed.emit(QCoreApplication.translate(
                "PrintJob", "Printing failed because of an unexpected error; see the log."))
            self.finished.emit(False)
        else:
            self.finished.emit(True)


class _Runner(QRunnable):
    def __init__(self, job: PrintJob) -> None:
        super().__init__()
        self._job = job

    def run(self) -> None:
        self._job.run()


class PrintQueue(QObject):
    """Runs print jobs on worker threads, one at a time per printer (FIFO).

    Create and use it on the GUI thread. A submitted job starts once control
    is back in the event loop, so signals connected right after ``submit``
    (or ``print_pdf``) are never missed. The queue keeps each job alive until
    its signals have been delivered.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools: dict[str, QThreadPool] = {}
        self._jobs: set[PrintJob] = set()
        self._unstarted: list[tuple[QThreadPool, PrintJob]] = []

    def submit(self, job: PrintJob) -> PrintJob:
        pool = self._pools.get(job.key)
        if pool is None:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)  # one job at a time on this printer
            self._pools[job.key] = pool
        self._jobs.add(job)
        job.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._unstarted.append((pool, job))
        QTimer.singleShot(0, self, self._start_unstarted)
        return job

    def _start_unstarted(self) -> None:
        unstarted, self._unstarted = self._unstarted, []
        for pool, job in unstarted:
            pool.start(_Runner(job))

    @Slot(bool)
    def _on_finished(self, _ok: bool) -> None:
        job = self.sender()
        # Drop our reference only after other receivers have had the same signal.
        QTimer.singleShot(0, self, lambda: self._jobs.discard(job))

    def pending(self) -> int:
        """Jobs submitted and not yet finished (including their signal delivery)."""
        return len(self._jobs)

    def wait_for_done(self, msecs: int = -1) -> bool:
        """Start anything still waiting, block until every worker is idle (for shutdown).

        True when all finished within ``msecs`` (-1: no limit).
        """
        self._start_unstarted()
        return all(pool.waitForDone(msecs) for pool in self._pools.values())


_default_queue: PrintQueue | None = None


def default_queue() -> PrintQueue:
    """The application's print queue (created on first use, on the GUI thread)."""
    global _default_queue
    if _default_queue is None:
        _default_queue = PrintQueue(QCoreApplication.instance())
    return _default_queue


def print_pdf(pdf_bytes: bytes, printer: QPrinter, kind: str, queue: PrintQueue | None = None) -> PrintJob:
    """Queue ``pdf_bytes`` for ``printer`` (e.g. one set up by a QPrintDialog)."""
    return (queue or default_queue()).submit(PrintJob(pdf_bytes, printer, kind))


def printer_for(printer_name: str) -> tuple[QPrinter, str | None]:
    """A QPrinter for ``printer_name`` ("" = system default) and an error if there is none."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if printer_name:
        info = QPrinterInfo.printerInfo(printer_name)
        if info.isNull():
            return printer, QCoreApplication.translate(
                "PrintJob", "The printer “{name}” is not available.").format(name=printer_name)
        printer.setPrinterName(info.printerName())
        return printer, None
    info = QPrinterInfo.defaultPrinter()
    if info.isNull():
        return printer, QCoreApplication.translate("PrintJob", "No printer is installed on this computer.")
    printer.setPrinterName(info.printerName())
    return printer, None


def print_without_dialog(
    pdf_bytes: bytes, printer_name: str, kind: str, queue: PrintQueue | None = None
) -> PrintJob:
    """Print straight to a named printer ("" = system default), as the kiosk does for slips.

    Never raises for a missing printer: the returned job reports it through
    ``failed`` and ``finished(False)`` like any other failure.
    """
    check_kind(kind)
    printer, error = printer_for(printer_name)
    if kind == "a4" and error is None:
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    return (queue or default_queue()).submit(PrintJob(pdf_bytes, printer, kind, error=error))
