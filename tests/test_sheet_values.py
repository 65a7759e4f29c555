"""What a spreadsheet cell holds for a value of an issue list."""

from __future__ import annotations

from nianbao.export.sheet import value


def test_numbers_written_as_text_are_stored_as_numbers_even_with_spaces_around() -> None:
    assert [value(v) for v in ("15", "15 ", " 1.5", "-3", "１５")] == [15, 15, 1.5, -3, 15]


def test_text_that_only_ends_or_starts_with_a_digit_stays_text() -> None:
    assert [value(v) for v in ("2024年", "表3", "12a", "1.2.3")] == ["2024年", "表3", "12a", "1.2.3"]


def test_an_empty_value_is_no_cell() -> None:
    assert [value(v) for v in ("", None, float("nan"))] == [None, None, None]
