"""Checklist templates (核对单模板): the stored versions, and a supervisor's import of a new one.

Importing shows the file's problems (file, step, reason) or a diff against the active
version first; only "Import" stores it (the service checks the permission and audits it).
Retired versions stay listed: runs that used them still read them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.services.checklist_templates import ImportPreview, TemplateSummary
from ui.context import AppContext
from ui.errors import describe
from ui.table_model import Column, RecordTableModel
from ui.message_bar import MessageBar


class TemplatesDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self.store = context.services.checklist_templates
        self.pending: tuple[str, str] | None = None  # (text, file name) previewed, not imported yet
        self.setWindowTitle(self.tr("Checklist templates"))
        self.setMinimumSize(720, 560)
        #: A template belongs to a business type: shown by its name (个人开户), not its code.
        names = {bt.code: bt.name(context.language) for bt in context.services.catalog.business_types()}
        self.model: RecordTableModel[TemplateSummary] = RecordTableModel([
            Column(self.tr("Business type"), lambda t: names.get(t.business_type, t.business_type)),
            Column(self.tr("Version"), lambda t: t.version),
            Column(self.tr("Steps"), lambda t: t.step_count),
            Column(self.tr("Title"), lambda t: t.title(context.language)),
            Column(self.tr("State"), lambda t: self.tr("active") if t.active else self.tr("retired")),
        ])
        self.table = QTableView()
        self.table.setObjectName("templatesTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.open_button = QPushButton(self.tr("Open template file…"))
        self.open_button.setObjectName("openTemplateButton")
        self.open_button.clicked.connect(lambda: self.choose_file())
        self.diff_view = QPlainTextEdit()
        self.diff_view.setObjectName("templateDiff")
        self.diff_view.setReadOnly(True)
        self.diff_view.setPlaceholderText(self.tr("Open a template file to see how it differs from the active version."))
        self.message = MessageBar(name="templateMessage")
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setObjectName("importTemplateButton")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(lambda: self.confirm_import())
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(self.tr("Changes from the active version:")))
        layout.addWidget(self.diff_view, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        summaries, ok = self.message.guarded(lambda: self.store.summaries(include_retired=True))
        if ok:
            self.model.set_rows(summaries)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open checklist template"), "",
                                              self.tr("Checklist templates (*.toml)"))
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> ImportPreview | None:
        """Validate the file and show its diff; nothing is stored yet."""
        self.pending = None
        self.import_button.setEnabled(False)
        self.diff_view.clear()
        try:
            text = path.read_text(encoding="utf-8")
            preview = self.store.preview_import(self._ctx.actor, text, path.name)  # type: ignore[arg-type]
        except DomainError as error:
            self._say(describe(error), error=True)
            return None
        except (OSError, UnicodeDecodeError) as error:
            self._say(self.tr("{file} cannot be read: {error}").format(file=path.name, error=error), error=True)
            return None
        self.pending = (text, path.name)
        self.diff_view.setPlainText("\n".join(preview.diff))
        self.import_button.setEnabled(True)
        self.import_button.setText(self.tr("Import {business} version {version}").format(
            business=preview.template.business_type, version=preview.template.version))
        self._say(self.tr("{file} is valid.").format(file=path.name))
        return preview

    def confirm_import(self) -> TemplateSummary | None:
        if self.pending is None:
            return None
        text, name = self.pending
        summary, ok = self.message.guarded(
            lambda: self.store.import_template(self._ctx.actor, text, name))  # type: ignore[arg-type]
        if not ok:
            return None
        self.pending = None
        self.import_button.setEnabled(False)
        self._say(self.tr("{business} version {version} imported; new checklists use it.").format(
            business=summary.business_type, version=summary.version))
        self.refresh()
        return summary

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.outcome(text, error=error)
