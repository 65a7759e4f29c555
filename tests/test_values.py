"""Reading one cell: numbers, zeros, blanks, dashes, 无, text and units are told apart."""

from __future__ import annotations

from nianbao.recognize.values import read_value, split_glued


def test_blank_cell_is_not_zero() -> None:
    assert read_value("")[2] == "blank"
    assert read_value("\u00a0 \u3000")[2] == "blank"
    assert read_value("0") == (0.0, None, "zero")


def test_dash_and_slash_are_placeholders() -> None:
    for raw in ("-", "—", "/", "——", "－"):
        assert read_value(raw)[2] == "dash", raw


def test_wu_is_its_own_state() -> None:
    assert read_value("无") == (None, None, "none")


def test_negative_change_keeps_its_sign() -> None:
    assert read_value("-8") == (-8.0, None, "number")
    assert read_value("－8") == (-8.0, None, "number")


def test_full_width_digits_and_padding_are_normalised() -> None:
    assert read_value("　４９４６９")[0] == 49469


def test_decimals_are_kept() -> None:
    assert read_value("24252.311082")[0] == 24252.311082


def test_value_with_unit_keeps_number_as_written() -> None:
    assert read_value("10.22亿") == (10.22, "亿", "unit")
    assert read_value("80618元") == (80618.0, "元", "unit")
    assert read_value("1646.5万元") == (1646.5, "万元", "unit")


def test_other_text_is_text() -> None:
    assert read_value("阎良区公务用车10辆")[2] == "text"


def test_glued_digits_split_only_when_unique() -> None:
    assert split_glued("000", 3) == ["0", "0", "0"]
    assert split_glued("1000001", 7) == ["1", "0", "0", "0", "0", "0", "1"]
    assert split_glued("898989", 3) is None


def test_glued_split_refuses_leading_zeros() -> None:
    assert split_glued("007", 3) == ["0", "0", "7"]
