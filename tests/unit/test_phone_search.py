"""A phone's last four digits, or its first three and last four (issue #18)."""

from __future__ import annotations

import pytest

from app.domain.phone_search import phone_tail_query


@pytest.mark.parametrize(("query", "expected"), [
    ("1234", ("", "1234")), (" 1234 ", ("", "1234")), ("****1234", ("", "1234")),
    ("138 1234", ("138", "1234")), ("138-1234", ("138", "1234")), ("138****1234", ("138", "1234")),
    ("1381234", None),           # seven digits in one: not read as head and tail
    ("238 1234", None),          # no mobile starts with 2
    ("123", None), ("12345", None), ("13812341234", None),  # a full number is an exact search
    ("张1234", None), ("12a4", None), ("", None),
])
def test_what_reads_as_a_phone_tail(query: str, expected: tuple[str, str] | None) -> None:
    assert phone_tail_query(query) == expected
