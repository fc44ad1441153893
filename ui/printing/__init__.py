"""Qt side of printing: the app font, PDF preview, print jobs and printer settings.

Documents are built as PDF bytes by :mod:`app.printing`; this package only
shows them (QtPdf) and sends them to a QPrinter.
"""
