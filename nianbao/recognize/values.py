"""Reading one cell's text: a number, an explicit zero, a blank, a dash, 无, text, or a number with a unit."""

from __future__ import annotations

import re
from itertools import combinations

from nianbao.recognize.normalize import fold

WHITESPACE = " \t\n\r\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff\x1e\x1f"
UNITS = ("万元", "亿元", "千元", "元", "万", "亿", "件", "条", "个", "项", "次", "宗", "份", "人次", "%")
_NUMBER = r"[+-]?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
NUMBER = re.compile(rf"^{_NUMBER}$")
NUMBER_UNIT = re.compile(rf"^({_NUMBER})\s*({'|'.join(UNITS)})$")
DASH = re.compile(r"^[-—–―‐/\\~～]+$")
NONE_WORDS = {"无", "没有", "暂无"}


def clean_raw(text: str) -> str:
    """The cell text with surrounding white space (including U+00A0 and U+3000) removed."""
    return text.strip(WHITESPACE)


def _number(text: str) -> float:
    return float(text.replace(",", "").replace(" ", ""))


def read_value(raw: str) -> tuple[float | None, str | None, str]:
    """(value, unit, state) for one cell's raw text."""
    s = fold(clean_raw(raw)).strip()
    if not s:
        return None, None, "blank"
    if NUMBER.match(s):
        v = _number(s)
        return v, None, ("zero" if v == 0 else "number")
    m = NUMBER_UNIT.match(s)
    if m:
        return _number(m.group(1)), m.group(2), "unit"
    if DASH.match(s):
        return None, None, "dash"
    if s in NONE_WORDS:
        return None, None, "none"
    return None, None, "text"


def is_value_like(text: str) -> bool:
    """Whether a token could be a value cell (anything but a label or prose)."""
    return read_value(text)[2] != "text"


_TOKEN = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d+)?$")


def split_glued(run: str, n: int, signed: tuple[bool, ...] = ()) -> list[str] | None:
    """The only way to cut a glued digit run into n numbers (no leading zeros), or None if not unique."""
    s = run.replace(" ", "")
    if not s or len(s) > 60 or n < 1:
        return None
    found: list[list[str]] = []
    for cuts in combinations(range(1, len(s)), n - 1):
        bounds = (0, *cuts, len(s))
        parts = [s[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        ok = True
        for i, p in enumerate(parts):
            body = p[1:] if p.startswith("-") and i < len(signed) and signed[i] else p
            if not _TOKEN.match(body):
                ok = False
                break
        if ok:
            found.append(parts)
            if len(found) > 1:
                return None
    return found[0] if found else None
