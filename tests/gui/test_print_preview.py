"""Print preview, background printing to Qt's PDF output, printer settings, the UI font."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter

from app.printing.data import FormData, FormSection, PrinterChoice, SlipData
from app.printing.form import build_form
from app.printing.slip import build_ticket_slip
from ui.printing.fonts import UI_FONT_FAMILY, app_font_family
from ui.printing.preview_dialog import PdfPreviewDialog
from ui.printing.print_job import PrintQueue, print_pdf, print_without_dialog
from ui.printing.printer_settings import PrinterSettingsWidget

MM = 72 / 25.4
ISSUED = datetime(2024, 5, 6, 9, 15, tzinfo=timezone(timedelta(hours=8)))
JOB_TIMEOUT_MS = 30_000


def three_page_form() -> bytes:
    return build_form(
        FormData(
            title="个人开户业务核对表",
            fields=[("客户姓名", "张*"), ("业务类型", "个人开户")],
            sections=[
                FormSection(
                    heading="核对步骤",
                    rows=[(f"第 {i} 项核对", "已完成") for i in range(1, 91)],
                    column_headers=("核对事项", "结果"),
                )
            ],
            signature_labels=["客户签名", "经办柜员"],
            document_id="CL-TEST-0001",
            bank_name="中国工商银行",
            branch_name="北京分行西单支行",
            issued_at=ISSUED,
        )
    )


def slip_pdf(width_mm: int = 80) -> bytes:
    return build_ticket_slip(
        SlipData("中国工商银行", "北京分行西单支行", "个人业务", None, "A001", 0, None, ISSUED, "请等候叫号。", width_mm)
    )


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


@pytest.fixture
def form_pdf() -> bytes:
    pdf = three_page_form()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3
    return pdf


@pytest.fixture
def queue(qtbot) -> PrintQueue:
    q = PrintQueue()
    yield q
    assert q.wait_for_done(JOB_TIMEOUT_MS)
    qtbot.waitUntil(lambda: q.pending() == 0)


@pytest.fixture
def preview(qtbot, form_pdf: bytes, queue: PrintQueue) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(form_pdf, "核对表", "a4", print_queue=queue)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_page_navigation(qtbot, preview: PdfPreviewDialog) -> None:
    assert preview.view.pageMode() == QPdfView.PageMode.MultiPage
    assert preview.page_label.text() == "Page 1 of 3"
    assert not preview.previous_page_action.isEnabled()

    preview.next_page_action.trigger()
    assert preview.page_label.text() == "Page 2 of 3"
    preview.next_page_action.trigger()
    assert preview.page_label.text() == "Page 3 of 3"
    assert not preview.next_page_action.isEnabled()

    preview.previous_page_action.trigger()
    assert preview.page_label.text() == "Page 2 of 3"
    assert preview.current_page() == 1


def test_zoom(qtbot, preview: PdfPreviewDialog) -> None:
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    fitted = preview.zoom_factor()
    preview.zoom_in_action.trigger()
    assert preview.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert preview.view.zoomFactor() == pytest.approx(fitted * 1.25)
    preview.zoom_out_action.trigger()
    preview.zoom_out_action.trigger()
    assert preview.view.zoomFactor() == pytest.approx(fitted / 1.25)
    preview.fit_width_action.trigger()
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth


def test_print_to_pdf_printer_off_the_gui_thread(qtbot, preview: PdfPreviewDialog, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    with qtbot.waitSignal(preview.print_started, timeout=1000):
        job = preview.print_to(pdf_printer(out))
    pages: list[tuple[int, int]] = []
    job.progress.connect(lambda done, total: pages.append((done, total)))
    with qtbot.waitSignal(job.finished, timeout=JOB_TIMEOUT_MS) as finished:
        pass
    assert finished.args == [True]
    assert pages == [(1, 3), (2, 3), (3, 3)]
    assert preview.status_label.text() == "Sent to the printer."

    reader = PdfReader(out)
    assert len(reader.pages) == 3  # pages are printed as images at printer resolution
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595.3, abs=1.5)
        assert float(page.mediabox.height) == pytest.approx(841.9, abs=1.5)


@pytest.mark.parametrize("width_mm", [80, 58])
def test_slip_prints_on_paper_of_its_own_size(qtbot, queue: PrintQueue, tmp_path: Path, width_mm: int) -> None:
    out = tmp_path / "slip.pdf"
    job = print_pdf(slip_pdf(width_mm), pdf_printer(out), "slip", queue)
    with qtbot.waitSignal(job.finished, timeout=JOB_TIMEOUT_MS) as finished:
        pass
    assert finished.args == [True]
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    assert float(reader.pages[0].mediabox.width) == pytest.approx(width_mm * MM, abs=1.5)


def test_jobs_for_one_printer_run_in_order(qtbot, queue: PrintQueue, tmp_path: Path) -> None:
    out = tmp_path / "queue.pdf"
    done: list[int] = []
    jobs = [print_pdf(slip_pdf(), pdf_printer(out), "slip", queue) for _ in range(3)]
    for number, job in enumerate(jobs):
        job.finished.connect(lambda ok, n=number: done.append(n))
    with qtbot.waitSignals([job.finished for job in jobs], timeout=JOB_TIMEOUT_MS):
        pass
    assert done == [0, 1, 2]


def test_missing_printer_fails_with_a_message(qtbot, queue: PrintQueue) -> None:
    job = print_without_dialog(slip_pdf(), "No Such Printer 42", "slip", queue)
    messages: list[str] = []
    job.failed.connect(messages.append)
    with qtbot.waitSignal(job.finished, timeout=JOB_TIMEOUT_MS) as finished:
        pass
    assert finished.args == [False]
    assert len(messages) == 1 and "No Such Printer 42" in messages[0]


def test_save_as_pdf_and_close(qtbot, preview: PdfPreviewDialog, form_pdf: bytes, tmp_path: Path) -> None:
    saved = preview.save_to(tmp_path / "copy")
    assert saved.name == "copy.pdf"
    assert saved.read_bytes() == form_pdf

    preview.close_button.click()
    assert not preview.isVisible()
    assert preview.result() == PdfPreviewDialog.DialogCode.Rejected


def test_slip_preview_opens_at_fixed_zoom(qtbot, queue: PrintQueue) -> None:
    dialog = PdfPreviewDialog(slip_pdf(), "A001", "slip", print_queue=queue)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.page_label.text() == "Page 1 of 1"
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.Custom
    dialog.close()


def test_unknown_kind_is_rejected(qtbot) -> None:
    with pytest.raises(ValueError):
        PdfPreviewDialog(slip_pdf(), "A001", "letter")


def test_printer_settings_round_trip(qtbot) -> None:
    names = ["Kiosk-80", "HP LaserJet A4"]
    widget = PrinterSettingsWidget(PrinterChoice("Kiosk-80", "", 58), printer_names=names)
    qtbot.addWidget(widget)
    assert widget.slip_printer_combo.count() == 3  # System default + two printers
    assert widget.slip_printer_combo.itemText(0) == "System default"
    assert widget.choice() == PrinterChoice("Kiosk-80", "", 58)

    with qtbot.waitSignal(widget.changed, timeout=1000):
        widget.a4_printer_combo.setCurrentIndex(widget.a4_printer_combo.findData("HP LaserJet A4"))
    widget.slip_width_combo.setCurrentIndex(widget.slip_width_combo.findData(80))
    assert widget.choice() == PrinterChoice("Kiosk-80", "HP LaserJet A4", 80)


def test_printer_settings_keep_an_unavailable_printer(qtbot) -> None:
    widget = PrinterSettingsWidget(PrinterChoice("Old Kiosk", "", 80), printer_names=[])
    qtbot.addWidget(widget)
    assert "not available" in widget.slip_printer_combo.currentText()
    assert widget.choice().slip_printer == "Old Kiosk"


def test_bundled_font_registered_with_qt(qtbot) -> None:
    assert app_font_family() == UI_FONT_FAMILY
    assert app_font_family() == UI_FONT_FAMILY  # second call: no second registration
