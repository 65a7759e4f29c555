"""Numbers are data, never a crash: absurd values are kept as text with a parse note.

A cell holding a 39-digit number, 500 digits, 1e400 or 0.1234567890123 cannot be a count or an
amount in an annual report; reading it as a number would only overflow the checks further on.
Such a cell keeps its raw text with state `text`; a narrative number of that kind is dropped from
the facts. Either way the report carries a `number_out_of_range` note (rule NUM-1 reports it).
"""

from __future__ import annotations

import math
import re

from nianbao.limits import limit
from nianbao.model import Note, Report

NOTE_CODE = "number_out_of_range"
_TABLES = {"t2": "表二", "t3": "表三", "t4": "表四"}
_DECIMALS = re.compile(r"\.(\d+)")
YEARS = (1949, 2200)  # a report year outside these is a typo or junk, and would overflow the store


def absurd(value: float | None, raw: str = "") -> bool:
    """Whether a number is too large, not finite, or written with too many decimals to be real data."""
    if value is None:
        return False
    if not math.isfinite(value) or abs(value) >= limit("numbers", "max_abs"):
        return True
    m = _DECIMALS.search(raw.replace(",", ""))
    return m is not None and len(m.group(1)) > limit("numbers", "max_decimals")


def _shown(raw: str) -> str:
    return raw if len(raw) <= 40 else raw[:40] + f"…（共 {len(raw)} 个字符）"


def tame_numbers(report: Report) -> Report:
    """Turn absurd cell values into text and drop absurd narrative numbers, noting each (idempotent)."""
    for c in report.cells:
        if c.value is not None and absurd(c.value, c.raw):
            c.value, c.unit, c.state = None, None, "text"
            where = f"{_TABLES.get(c.table, c.table)}·{c.row_label.split('/')[-1]}·{c.col_label}"
            report.notes.append(
                Note(
                    NOTE_CODE,
                    f"{where}的“{_shown(c.raw)}”不是合理的数字（过大、非有限数或小数位过多），按文字保存，未参与核对。",
                    table=c.table,
                    row=c.row,
                )
            )
    kept = []
    for f in report.facts:
        if absurd(f.value):
            report.notes.append(
                Note(
                    NOTE_CODE,
                    f"正文中的数字不合理（过大或非有限数），未作为叙述数字核对：{_shown(f.sentence)}",
                )
            )
            continue
        kept.append(f)
    report.facts = kept
    if report.year is not None and not YEARS[0] <= report.year <= YEARS[1]:
        report.notes.append(Note(NOTE_CODE, f"报告年度“{report.year}”不合理，未采用。"))
        report.year = None
    return report
