"""Reading CSV records: rows that do not match the header and quotes never closed are refused at
the right line, and the rows after a bad quote are read as themselves."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.csv_records import FEWER_FIELDS, MORE_FIELDS, UNCLOSED_QUOTE, CsvRecords, scan_quotes
from app.domain.errors import ValidationError


def read(*lines: str, end: str = "\n") -> list[tuple[int, list[str] | str]]:
    records = CsvRecords(end.join(lines))
    assert records.header == ["name", "id", "address"]
    return list(records)


HEADER = "name,id,address"


def test_rows_with_fewer_or_more_fields_are_refused_with_their_line() -> None:
    assert read(HEADER, "张三,1,北京", "李四,2", "王五,3,上海,多余", "赵六,4,深圳") == [
        (2, ["张三", "1", "北京"]), (3, FEWER_FIELDS), (4, MORE_FIELDS), (5, ["赵六", "4", "深圳"])]
    assert FEWER_FIELDS == "file: fewer fields than the header"


def test_blank_rows_of_any_width_are_left_to_the_caller_and_empty_lines_skipped() -> None:
    assert read(HEADER, "", ",,", "   ", ",,,,", "张三,1,北京") == [
        (3, ["", "", ""]), (4, ["   "]), (5, ["", "", "", "", ""]), (6, ["张三", "1", "北京"])]


def test_a_quote_never_closed_is_refused_where_it_opened_and_the_next_rows_are_read() -> None:
    # Today's csv module makes lines 3-4 part of line 2's address.
    assert read(HEADER, '张三,1,"北京', "李四,2,上海", "王五,3,广州") == [
        (2, UNCLOSED_QUOTE), (3, ["李四", "2", "上海"]), (4, ["王五", "3", "广州"])]
    assert UNCLOSED_QUOTE == "file: a quote opened on this line is not closed"


def test_a_quote_closed_by_a_later_rows_quote_in_the_same_column_is_caught() -> None:
    # The csv module reads lines 2-4 as one record with exactly three fields: it looks fine.
    rows = read(HEADER, '张三,1,"北京', "李四,2,上海", '王五,3,"广州,天河"', "赵六,4,深圳")
    assert rows == [(2, UNCLOSED_QUOTE), (3, ["李四", "2", "上海"]), (4, ["王五", "3", "广州,天河"]),
                    (5, ["赵六", "4", "深圳"])]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_a_quote_open_at_the_end_of_the_file_is_refused(end: str) -> None:
    assert read(HEADER, "张三,1,北京", '李四,2,"上海', end=end) == [(2, ["张三", "1", "北京"]), (3, UNCLOSED_QUOTE)]
    assert read(HEADER, "张三,1,北京", '李四,2,"上海', "", end=end) == [(2, ["张三", "1", "北京"]), (3, UNCLOSED_QUOTE)]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_a_cell_with_a_line_break_is_one_record_numbered_by_its_first_line(end: str) -> None:
    assert read(HEADER, '张三,1,"北京市' + end + '东城区"', "李四,2,上海", end=end) == [
        (2, ["张三", "1", "北京市" + end + "东城区"]), (4, ["李四", "2", "上海"])]


def test_quotes_inside_quotes_and_commas_are_kept() -> None:
    assert read(HEADER, '"张""三",1,"北京,东城"') == [(2, ['张"三', "1", "北京,东城"])]


def test_a_quote_running_into_the_field_size_limit_is_one_refused_row() -> None:
    lines = [HEADER, '张三,1,"北京'] + ["李四,2," + "长" * 1000] * 200 + ["王五,3,广州"]
    rows = read(*lines)
    assert rows[0] == (2, UNCLOSED_QUOTE) and rows[1] == (3, ["李四", "2", "长" * 1000])
    assert rows[-1] == (203, ["王五", "3", "广州"]) and len(rows) == 202


def test_a_single_line_the_csv_module_cannot_read_fails_the_file_naming_it() -> None:
    with pytest.raises(ValidationError) as failed:
        read(HEADER, "张三,1,北京", "李四,2," + "x" * 200_000)
    assert failed.value.params["field"] == "file" and failed.value.params["reason"] == "line_unreadable"
    assert failed.value.params["line"] == 3 and failed.value.message.startswith("file: line 3: ")


def test_scan_quotes_names_the_line_of_the_open_quote_and_stray_closing_quotes() -> None:
    assert scan_quotes('a,"b\nc",d\ne,"f', 7) == (9, False)
    assert scan_quotes('a,"b"x,c', 1) == (None, True)
    assert scan_quotes('a,"b""c",d\r\n', 1) == (None, False)


_cell = st.text(alphabet=st.sampled_from(['a', '张', ',', '"', '\n', '\r', ' ']), max_size=6)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(_cell, min_size=3, max_size=3), min_size=1, max_size=8))
def test_what_the_csv_module_writes_is_read_back_unchanged(rows: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    csv.writer(out).writerows([["name", "id", "address"], *rows])
    records = list(CsvRecords(out.getvalue()))
    assert [fields for _, fields in records] == rows
    assert [line for line, _ in records] == sorted({line for line, _ in records})
