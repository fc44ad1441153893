"""What the ticket kiosk looks like: the header, the start page of service cards, the two entry
pages (ID number, booking code) with their keypads, and the result card.

:class:`KioskScreens` builds the pages and scales their type and cards to the screen (landscape
or portrait); what a touch does — identifying, issuing, checking in, printing the slip, going
back to the start — is :class:`ui.kiosk.kiosk_window.KioskWindow`'s, which wires the buttons.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.branches import BusinessTypeView
from ui.context import AppContext
from ui.kiosk.keypad import Keypad
from ui.kiosk.masked_entry import MaskedEntry
from ui.kiosk.style import FONT_PX, KIOSK_STYLE
from ui.printing.fonts import app_font_family

DESIGN_WIDTH = 1920
DESIGN_HEIGHT = 1080
ID_LENGTH = 18
BOOKING_CODE_LENGTH = 6
MAX_COLUMNS_LANDSCAPE = 5
MAX_COLUMNS_PORTRAIT = 2


class _ServiceButton(QPushButton):
    """A large card: the ticket prefix, the Chinese name, and the English name below it."""

    def __init__(self, bt: BusinessTypeView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serviceButton")
        self.code = bt.code
        self.setAccessibleName(f"{bt.prefix} {bt.name_zh} {bt.name_en}")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.prefix = QLabel(bt.prefix)
        self.prefix.setObjectName("servicePrefix")
        self.prefix.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_zh = QLabel(bt.name_zh)
        self.name_zh.setObjectName("serviceNameZh")
        self.name_en = QLabel(bt.name_en)
        self.name_en.setObjectName("serviceNameEn")
        self.name_en.setWordWrap(True)
        for label in (self.prefix, self.name_zh, self.name_en):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.name_zh.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_en.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        badge = QHBoxLayout()
        badge.addStretch(1)
        badge.addWidget(self.prefix)
        badge.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 18, 14, 14)
        box.setSpacing(8)
        box.addStretch(1)
        box.addLayout(badge)
        box.addSpacing(6)
        box.addWidget(self.name_zh)
        box.addWidget(self.name_en)
        box.addStretch(1)


class KioskScreens(QWidget):
    """The kiosk's pages and how they fit the screen; see the module's docstring. Buttons, fields
    and labels are public attributes (for the window's wiring and for tests)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._family = app_font_family()

        self.setObjectName("kiosk")
        self.setWindowTitle(self.tr("Ticket kiosk — {branch}").format(branch=context.branch.name))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(KIOSK_STYLE)

        self.pages = QStackedWidget()
        self._entry_layouts: list[QBoxLayout] = []
        self._build_start_page()
        self._build_identify_page()
        self._build_booking_page()
        self._build_result_page()
        page = QVBoxLayout(self)
        # The kiosk is sized by its screen, never by its content: type scales to fit instead.
        page.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addWidget(self._build_header())
        page.addWidget(self.pages, 1)

    # -- building ----------------------------------------------------------------------

    @staticmethod
    def _label(name: str, text: str = "", align: Qt.AlignmentFlag | None = None, *, wrap: bool = False) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setWordWrap(wrap)
        if align is not None:
            label.setAlignment(align)
        return label

    @staticmethod
    def _button(name: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def _build_header(self) -> QFrame:
        header = QFrame()
        header.setObjectName("header")
        self.bank_label = self._label("bankName", self._ctx.settings.get("printing.bank_name").strip())
        self.bank_label.setVisible(bool(self.bank_label.text()))  # not set: the branch's name alone
        self.branch_label = self._label("branchName", self._ctx.branch.name)
        self.clock_label = self._label("clockLabel", "", Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.bank_label)
        names.addWidget(self.branch_label)
        row = QHBoxLayout(header)
        row.setContentsMargins(48, 12, 48, 12)
        row.addLayout(names, 1)
        row.addWidget(self.clock_label)
        self._header = header
        return header

    def _build_start_page(self) -> None:
        start = QWidget()
        self.start_title = self._label("pageTitle", self.tr("Please choose your service"))
        self.start_hint = self._label("pageHint", self.tr("Touch a service to take a number."))

        self.identified_bar = QFrame()
        self.identified_bar.setObjectName("identifiedBar")
        self.identified_label = self._label("identifiedBanner", "", wrap=True)
        self.cancel_identification_button = self._button("cancelIdentification", self.tr("Cancel"))
        bar = QHBoxLayout(self.identified_bar)
        bar.setContentsMargins(24, 12, 16, 12)
        bar.addWidget(self.identified_label, 1)
        bar.addWidget(self.cancel_identification_button)
        self.identified_bar.hide()

        self.business_buttons: dict[str, _ServiceButton] = {}
        self._grid = QGridLayout()
        self._grid.setSpacing(18)
        for bt in self._ctx.services.catalog.business_types():
            self.business_buttons[bt.code] = _ServiceButton(bt)
        self._grid_columns = 0
        self._arrange_grid(landscape=True)

        self.identify_button = self._button("priorityButton", self.tr(
            "Aged {age} and over? Enter your ID number for priority service").format(
            age=self._ctx.services.queue.policy.elderly_age))
        self.booking_button = self._button("bookingButton", self.tr("Have a booking? Check in here"))
        for button in (self.identify_button, self.booking_button):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        options = QHBoxLayout()
        options.setSpacing(18)
        options.addWidget(self.identify_button, 1)
        options.addWidget(self.booking_button, 1)

        self.message = self._label("message", "", Qt.AlignmentFlag.AlignCenter, wrap=True)
        box = QVBoxLayout(start)
        box.setContentsMargins(48, 28, 48, 28)
        box.setSpacing(16)
        box.addWidget(self.start_title)
        box.addWidget(self.start_hint)
        box.addWidget(self.identified_bar)
        box.addLayout(self._grid, 1)
        box.addWidget(self.message)
        box.addLayout(options)
        self.start_page = start
        self.pages.addWidget(start)

    def _arrange_grid(self, *, landscape: bool) -> None:
        """Rows as even as possible: up to five columns on a landscape screen, two on a portrait one."""
        count = max(1, len(self.business_buttons))
        widest = MAX_COLUMNS_LANDSCAPE if landscape else MAX_COLUMNS_PORTRAIT
        rows = -(-count // widest)
        columns = -(-count // rows)
        if columns == self._grid_columns:
            return
        self._grid_columns = columns
        for button in self.business_buttons.values():
            self._grid.removeWidget(button)
        for index, button in enumerate(self.business_buttons.values()):
            self._grid.addWidget(button, index // columns, index % columns)
        for column in range(8):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)

    def _entry_page(self, title: str, hint: str, field: QLineEdit, keypad: Keypad, back: QPushButton,
                    confirm: QPushButton, message: QLabel) -> QWidget:
        page = QWidget()
        left = QVBoxLayout()
        left.setSpacing(18)
        left.addWidget(self._label("pageTitle", title, wrap=True))
        left.addWidget(self._label("pageHint", hint, wrap=True))
        left.addSpacing(12)
        left.addWidget(field)
        left.addWidget(message)
        left.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setSpacing(18)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(confirm)
        left.addLayout(buttons)
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight, page)
        row.setContentsMargins(64, 40, 64, 40)
        row.setSpacing(56)
        row.addLayout(left, 3)
        row.addWidget(keypad, 2)
        self._entry_layouts.append(row)
        return page

    def _entry_field(self, placeholder: str, length: int, field: QLineEdit | None = None) -> QLineEdit:
        field = field or QLineEdit()
        field.setObjectName("entryField")
        field.setMaxLength(length)
        field.setPlaceholderText(placeholder)
        field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return field

    def _build_identify_page(self) -> None:
        # Masked as typed: the kiosk stands in the lobby, its type is large.
        self.id_field = MaskedEntry(ID_LENGTH)
        self._entry_field(self.tr("18-character ID number"), ID_LENGTH, self.id_field)
        self.id_keypad = Keypad(self.id_field, with_x=True)
        self.id_message = self._label("message", "", wrap=True)
        self.id_back_button = self._button("backButton", self.tr("Back"))
        self.id_continue_button = self._button("primaryButton", self.tr("Continue"))
        self.identify_page = self._entry_page(
            self.tr("Enter your resident ID number"),
            self.tr("Customers aged {age} and over are served through the green channel. "
                    "The number is used only to issue this ticket and is not shown on it.").format(
                age=self._ctx.services.queue.policy.elderly_age),
            self.id_field, self.id_keypad, self.id_back_button, self.id_continue_button, self.id_message)
        self.pages.addWidget(self.identify_page)

    def _build_booking_page(self) -> None:
        self.booking_field = self._entry_field(self.tr("6-digit booking code"), BOOKING_CODE_LENGTH)
        self.booking_keypad = Keypad(self.booking_field, with_x=False)
        self.booking_message = self._label("message", "", wrap=True)
        self.booking_back_button = self._button("backButton", self.tr("Back"))
        self.check_in_button = self._button("primaryButton", self.tr("Check in"))
        self.booking_page = self._entry_page(
            self.tr("Enter your booking code"),
            self.tr("You received the code when you booked. Checking in on time gives you priority."),
            self.booking_field, self.booking_keypad, self.booking_back_button, self.check_in_button,
            self.booking_message)
        self.pages.addWidget(self.booking_page)

    def _build_result_page(self) -> None:
        page = QWidget()
        card = QFrame()
        card.setObjectName("resultCard")
        center = Qt.AlignmentFlag.AlignCenter
        self.result_caption = self._label("resultCaption", self.tr("Your number"), center)
        self.result_number = self._label("resultNumber", "", center)
        self.result_business = self._label("resultBusiness", "", center)
        self.result_priority = self._label("resultPriority", "", center)
        self.result_ahead = self._label("resultDetail", "", center)
        self.result_wait = self._label("resultDetail", "", center)
        self.print_status = self._label("printStatus", "", center, wrap=True)
        self.done_button = self._button("doneButton", self.tr("Done"))
        priority_row = QHBoxLayout()
        priority_row.addStretch(1)
        priority_row.addWidget(self.result_priority)
        priority_row.addStretch(1)
        for label in (self.result_caption, self.result_number, self.result_business, self.result_priority,
                      self.result_ahead, self.result_wait, self.print_status):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        box = QVBoxLayout(card)
        box.setContentsMargins(48, 32, 48, 32)
        box.setSpacing(16)
        box.addStretch(1)
        box.addWidget(self.result_caption)
        box.addWidget(self.result_number)
        box.addWidget(self.result_business)
        box.addLayout(priority_row)
        box.addSpacing(12)
        box.addWidget(self.result_ahead)
        box.addWidget(self.result_wait)
        box.addSpacing(12)
        box.addWidget(self.print_status)
        box.addStretch(1)
        done_row = QHBoxLayout()
        done_row.addStretch(1)
        done_row.addWidget(self.done_button)
        done_row.addStretch(1)
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 32, 0, 32)
        outer.setSpacing(24)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer.addLayout(row, 1)
        outer.addLayout(done_row)
        self.result_page = page
        self.pages.addWidget(page)

    # -- scaling -----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        # Designed for 1920×1080; a portrait screen (1080×1920) is the same design turned.
        long_side, short_side = max(self.width(), self.height()), min(self.width(), self.height())
        scale = max(0.3, min(long_side / DESIGN_WIDTH, short_side / DESIGN_HEIGHT))
        for widget in self.findChildren(QWidget):
            size = FONT_PX.get(widget.objectName())
            if size is not None:
                font = QFont(self._family)
                font.setPixelSize(max(8, round(size[0] * scale)))
                font.setBold(size[1])
                widget.setFont(font)
        for button in self.business_buttons.values():
            button.prefix.setFixedSize(round(84 * scale), round(84 * scale))
            button.setMinimumHeight(round(150 * scale))
        for keypad in (self.id_keypad, self.booking_keypad):
            for key in keypad.keys.values():
                key.setMinimumSize(round(120 * scale), round(96 * scale))
        self._header.setFixedHeight(round(104 * scale))
        landscape = self.width() >= self.height()
        self._arrange_grid(landscape=landscape)
        for layout in self._entry_layouts:  # keypad beside the field, or under it on a portrait screen
            layout.setDirection(QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom)

