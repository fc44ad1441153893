"""A CSV file's records with the line each starts on; malformed records refused one by one.

The csv module on its own reads a short row as if the missing fields were blank, and a quote
that is never closed swallows the lines after it into one field (up to the next quote, or the
rest of the file) and hands back whatever it ends with, numbered by its last line. Here:

- a record with fewer or more fields than the header is refused, unless all its fields are
  blank (a spreadsheet's empty row; the caller skips it as a blank line);
- a quoted field may run past the end of its line (a cell with a line break, as Excel writes
  it) when it ends as a quoted field must — its closing quote followed by a comma or the end
  of the line — and the record has the header's number of fields. Otherwise, or when the file
  ends inside the quotes, the quote was never closed: the record is refused at the line where
  that quote opened, and reading goes on with the line after it, so the rows it had swallowed
  are read as the rows they are.

A refused record is ``(line, reason)``, the reason as the import reports any bad row
(``ValidationError.message``). The file as a whole fails (ValidationError) only where the csv
module gives up on a single line (a field over its size limit).

Records are read by the csv module straight from the text (C speed); only the rare record
that spans lines, or the last one, is looked at again in Python.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from app.domain.errors import ValidationError

#: (line number, fields) of a readable record, or (line number, reason) of a refused one.
Record = tuple[int, list[str] | str]

_BREAK = re.compile(r"\r\n|\r|\n")  # the line ends io.StringIO(newline="") splits at


FEWER_FIELDS = ValidationError(field="file", reason="fewer_fields").message
MORE_FIELDS = ValidationError(field="file", reason="more_fields").message
UNCLOSED_QUOTE = ValidationError(field="file", reason="unclosed_quote").message


def scan_quotes(raw: str, first_line: int) -> tuple[int | None, bool]:
    """Quoting of one record's raw text, which starts on line ``first_line``: the line where
    the quoted field still open at its end began (None if none is), and whether some closing
    quote is followed by anything but a comma, a quote or a line end.

    The csv module's rules: a quote opens a field only at the field's start, ``""`` inside
    quotes stands for a quote, and what follows a closing quote joins an unquoted field."""
    state, opened, stray, line, previous = "start", None, False, first_line, ""
    for char in raw:
        if state == "quoted":
            if char == '"':
                state = "closing"
        elif state == "closing" and char == '"':
            state = "quoted"
        elif char in ",\r\n":
            state = "start"
        elif state == "start" and char == '"':
            state, opened = "quoted", line
        else:
            stray = stray or state == "closing"
            state = "field"
        if char == "\r" or (char == "\n" and previous != "\r"):
            line += 1
        previous = char
    return (opened if state == "quoted" else None), stray


class CsvRecords:
    """The header, then (by iterating) every non-empty record after it, in file order."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._io = io.StringIO(text, newline="")
        self._reader = csv.reader(self._io)
        self._shift = 0  # the reader's line_num minus the file's number of the same line
        self.header: list[str] = next(self._reader, None) or []

    def __iter__(self) -> Iterator[Record]:
        width, size, reader = len(self.header), len(self._text), self._reader
        last = reader.line_num  # the file's number of the last line read
        while True:
            start = self._io.tell()
            try:
                fields = next(reader, None)
            except csv.Error as error:
                if reader.line_num - self._shift == last + 1:  # one line the csv module cannot read
                    raise ValidationError(field="file", reason="line_unreadable", line=last + 1, detail=str(error)) from None
                last = yield from self._unclosed(last + 1, last + 1, start)  # a quote ran on and on
                continue
            if fields is None:
                return
            first, last = last + 1, reader.line_num - self._shift
            end = self._io.tell()
            if end == size or last > first:
                opened, stray = scan_quotes(self._text[start:end], first) if '"' in self._text[start:end] \
                    else (None, False)
                if opened is not None:  # the file ended inside the quotes
                    last = yield from self._unclosed(opened, first, start)
                    continue
                if last > first and (stray or len(fields) != width):  # they swallowed the next line(s)
                    last = yield from self._unclosed(first, first, start)
                    continue
            if len(fields) != width and any(f.strip() for f in fields):
                yield first, FEWER_FIELDS if len(fields) < width else MORE_FIELDS
            elif fields:
                yield first, fields

    def _unclosed(self, line: int, first: int, start: int) -> Iterator[Record]:
        """Refuse the record at ``line`` (where its quote opened) and read on from the line after
        it; the record began on line ``first`` at offset ``start``. Returns the last line read."""
        position = start
        for _ in range(line - first + 1):
            found = _BREAK.search(self._text, position)
            position = found.end() if found else len(self._text)
        self._io.seek(position)
        self._shift = self._reader.line_num - line
        yield line, UNCLOSED_QUOTE
        return line
