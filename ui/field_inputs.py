"""Inputs by field kind: the same ID-number, phone, credit-code and date field on every form.

What a field accepts as it is typed (a Qt validator: the characters of its kind, its length) and
the hint it shows. Whether the value is right (a check character, a mobile prefix) is the
services' check, app/domain/identity.py, the same for every form; these only keep letters out of
a phone field. ``*`` is let through: a draft shows stored values masked (``138****1234``), and
the services match an unchanged masked value with the stored one.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDateEdit, QLineEdit

#: Dates read the same in both languages and cannot be misread (the English locale's short
#: format is 12/9/26: the 9th of December or the 12th of September?).
DATE_FORMAT = "yyyy-MM-dd"

#: 18 characters: 17 digits and a digit or X (lower case x is taken and stored upper case).
_ID_NUMBER = QRegularExpression(r"[0-9*]{0,17}[0-9Xx*]?")
#: Digits and what people write between them: +86 138-1234 1234, (010) 6512 3456.
_PHONE = QRegularExpression(r"[0-9+()\- *]{0,20}")
#: The unified social credit code: 18 digits and capital letters.
_CREDIT_CODE = QRegularExpression(r"[0-9A-Za-z*]{0,18}")


def _restrict(edit: QLineEdit, pattern: QRegularExpression, length: int) -> QLineEdit:
    edit.setValidator(QRegularExpressionValidator(pattern, edit))
    edit.setMaxLength(length)
    return edit


def id_number_input(edit: QLineEdit) -> QLineEdit:
    edit.setPlaceholderText(QCoreApplication.translate("FieldInputs", "18-character resident ID number"))
    return _restrict(edit, _ID_NUMBER, 18)


def phone_input(edit: QLineEdit) -> QLineEdit:
    edit.setPlaceholderText(QCoreApplication.translate("FieldInputs", "Mobile, or landline with area code"))
    return _restrict(edit, _PHONE, 20)


def credit_code_input(edit: QLineEdit) -> QLineEdit:
    edit.setPlaceholderText(QCoreApplication.translate("FieldInputs", "18-character unified social credit code"))
    return _restrict(edit, _CREDIT_CODE, 18)


def date_input(initial: date | QDate) -> QDateEdit:
    """A date field: year-month-day in both languages, with the calendar a click away."""
    edit = QDateEdit(initial if isinstance(initial, QDate) else QDate(initial.year, initial.month, initial.day))
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    return edit
