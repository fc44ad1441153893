"""Business types: the shipped data file, its checks, and seeding into both databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.errors import ValidationError
from app.resources import resource_path
from app.services.branches import list_business_types, load_business_type_file, seed_business_types

GOOD_ENTRY = '''
[[business_type]]
code = "{code}"
prefix = "{prefix}"
name_zh = "业务"
name_en = "Business"
target_minutes = {minutes}
'''


def write_types(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "types.toml"
    path.write_text("".join(entries), encoding="utf-8")
    return path


def test_shipped_file_has_ten_types_with_unique_prefixes() -> None:
    entries = load_business_type_file()
    assert len(entries) == 10
    assert len({e["prefix"] for e in entries}) == 10
    assert len({e["code"] for e in entries}) == 10
    # I and O are left out: on a slip they read like 1 and 0.
    assert not {"I", "O"} & {e["prefix"] for e in entries}
    assert all(e["name_zh"] and e["name_en"] and e["target_minutes"] > 0 for e in entries)
    assert resource_path("business_types.toml") == Path(__file__).resolve().parents[2] / "resources" / "business_types.toml"


def test_duplicate_prefix_names_the_entry(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_types(tmp_path, GOOD_ENTRY.format(code="a", prefix="A", minutes=5),
                       GOOD_ENTRY.format(code="b", prefix="B", minutes=5),
                       GOOD_ENTRY.format(code="c", prefix="A", minutes=5))
    with pytest.raises(ValidationError) as caught:
        load_business_type_file(path)
    assert caught.value.params["field"] == "types.toml entry 3: code/prefix"
    assert "entry 3" in str(caught.value)


def test_duplicate_code_names_the_entry(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_types(tmp_path, GOOD_ENTRY.format(code="a", prefix="A", minutes=5),
                       GOOD_ENTRY.format(code="a", prefix="B", minutes=5))
    with pytest.raises(ValidationError, match="entry 2"):
        load_business_type_file(path)


def test_missing_field_names_the_entry_and_field(tmp_path) -> None:  # type: ignore[no-untyped-def]
    broken = GOOD_ENTRY.format(code="b", prefix="B", minutes=5).replace('name_en = "Business"\n', "")
    path = write_types(tmp_path, GOOD_ENTRY.format(code="a", prefix="A", minutes=5), broken)
    with pytest.raises(ValidationError) as caught:
        load_business_type_file(path)
    assert caught.value.params == {"field": "types.toml entry 2: name_en", "reason": "required"}


@pytest.mark.parametrize(("prefix", "minutes", "field"), [
    ("a", 5, "prefix"), ("AB", 5, "prefix"), ("1", 5, "prefix"),
    ("A", 0, "types.toml entry 1: target_minutes"), ("A", "5", "types.toml entry 1: target_minutes"),
])
def test_bad_values_are_refused(tmp_path, prefix, minutes, field) -> None:  # type: ignore[no-untyped-def]
    minutes_toml = f'"{minutes}"' if isinstance(minutes, str) else str(minutes)
    path = write_types(tmp_path, GOOD_ENTRY.format(code="a", prefix=prefix, minutes=minutes_toml))
    with pytest.raises(ValidationError) as caught:
        load_business_type_file(path)
    assert caught.value.params["field"] == field


def test_seeding_adds_only_what_is_missing(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    shipped = list_business_types(db)
    assert [t.code for t in shipped] == [e["code"] for e in load_business_type_file()]
    assert seed_business_types(db) == 0
    extra = write_types(tmp_path, GOOD_ENTRY.format(code="loan", prefix="C", minutes=25),
                        GOOD_ENTRY.format(code="safe_box", prefix="L", minutes=30))
    assert seed_business_types(db, extra) == 1
    assert seed_business_types(db, extra) == 0
    added = {t.code: t for t in list_business_types(db)}
    assert len(added) == 11
    assert (added["safe_box"].prefix, added["safe_box"].target_minutes) == ("L", 30)
    assert added["loan"].target_minutes == 25  # an existing type is left as it is


def test_a_bad_file_seeds_nothing(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = write_types(tmp_path, GOOD_ENTRY.format(code="safe_box", prefix="L", minutes=30),
                      GOOD_ENTRY.format(code="other", prefix="L", minutes=30))
    with pytest.raises(ValidationError):
        seed_business_types(db, bad)
    assert len(list_business_types(db)) == 10
