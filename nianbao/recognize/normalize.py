"""Character folding that keeps string length: Traditional to Simplified, full-width to ASCII."""

from __future__ import annotations

import re
from functools import cache

import opencc

_T2S = opencc.OpenCC("t2s")

_FOLD = {
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
    **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
    "（": "(",
    "）": ")",
    "：": ":",
    "，": ",",
    "．": ".",
    "。": "。",
    "／": "/",
    "＼": "\\",
    "－": "-",
    "−": "-",
    "＋": "+",
    "％": "%",
    "\u3000": " ",
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u200b": " ",
    "\ufeff": " ",
    "\t": " ",
    "“": '"',
    "”": '"',
    "＂": '"',
    "‘": "'",
    "’": "'",
}


@cache
def fold_char(ch: str) -> str:
    """One character folded: Simplified, half-width; always exactly one character."""
    if ch in _FOLD:
        return _FOLD[ch]
    if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
        simp = str(_T2S.convert(ch))
        if len(simp) == 1:
            return simp
    return ch


# fold_char of every character met so far, for str.translate: the characters it changes, and the set
# of those looked up (bounded by the characters that exist).
_FOLDED: dict[int, str] = {}
_LOOKED_UP: set[str] = set()


def fold(text: str) -> str:
    """Fold every character; the result has the same length, so positions carry over."""
    new = set(text) - _LOOKED_UP
    for ch in new:
        folded = fold_char(ch)
        if folded != ch:
            _FOLDED[ord(ch)] = folded
    _LOOKED_UP.update(new)
    return text.translate(_FOLDED)


_NON_WORD = re.compile(r"[\W_]+")


def squash(text: str) -> str:
    """Folded text with punctuation and white space removed (for comparing labels)."""
    return _NON_WORD.sub("", fold(text))


# Between two characters of a label: punctuation, spaces and line breaks, but no cell or row break.
GAP = r"[^\w\x1e\x1f]*"


@cache
def label_pattern(alternatives: tuple[str, ...], glued: bool = False) -> re.Pattern[str]:
    """A regex matching any of the label forms, ignoring punctuation and spaces between characters.

    With `glued`, a leading item number may follow a digit (used only where the row must start).
    """
    parts = []
    for alt in sorted(alternatives, key=lambda a: -len(squash(a))):
        chars = squash(alt)
        if not chars:
            continue
        body = GAP.join(re.escape(c) for c in chars)
        # A leading item number must not be the tail of a longer number.
        if chars[0].isdigit() and not glued:
            body = r"(?<!\d)" + body
        parts.append(body)
    return re.compile("|".join(f"(?:{p})" for p in parts))


CJK = re.compile(r"[\u3400-\u9fff]")
