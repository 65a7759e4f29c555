"""Bytes to text: BOM, UTF-16 without one, a declared charset, strict UTF-8, then GB18030 or Big5.

Junk is refused. Between the legacy encodings (GB18030 and Big5 decode each other's bytes without
error, into nonsense) the one whose text uses more of an annual report's everyday characters wins.
"""

from __future__ import annotations

import codecs
import re
from functools import cache

from nianbao.errors import UnreadableReport

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# gb2312 and gbk declarations are widened to their superset: sites declare gb2312 and send GBK.
_WIDEN = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
}


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode document bytes; raise UnreadableReport for binary junk."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _checked(data[len(bom) :].decode(enc, errors="replace"))
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _checked(utf16)
    candidates: list[str] = []
    if declared:
        name = declared.strip().lower()
        # A GB declaration is never trusted: strict UTF-8 is tried first, since GB18030 decodes anything.
        if name not in _WIDEN:
            candidates.append(name)
    candidates += ["utf-8"]
    for enc in candidates:
        try:
            return _checked(data.decode(enc))
        except (UnicodeDecodeError, LookupError):
            continue
    legacy = _legacy(data)
    if legacy is not None:
        return _checked(legacy)
    return _checked(data.decode("gb18030", errors="replace"))


# Characters every annual report uses a lot, in simplified and (added below) traditional forms.
_EVERYDAY = (
    "政府信息公开工作年度报告本情况主动申请依法行政复议诉讼件数条项不予处理结果办理其他"
    "总计上下一二三四五六七八九十区县市人民局镇街道单位机关部门规定条例国家社会发展的了和在是有为"
)


@cache
def _everyday() -> frozenset[str]:
    import opencc

    return frozenset(_EVERYDAY + opencc.OpenCC("s2t").convert(_EVERYDAY))


def _everyday_share(text: str) -> float:
    """The share of CJK characters in text that are everyday report characters."""
    sample = text[:20000]
    cjk = [ch for ch in sample if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 0.0
    common = _everyday()
    return sum(1 for ch in cjk if ch in common) / len(cjk)


def _legacy(data: bytes) -> str | None:
    """GB18030 or Big5, whichever decodes strictly into more everyday characters (GB18030 on a tie)."""
    best: tuple[float, str] | None = None
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        share = _everyday_share(text)
        if best is None or share > best[0] + 0.05:
            best = (share, text)
    return best[1] if best else None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte-order mark: many NUL bytes, and one byte order reads as text."""
    sample = data[:8192]
    if len(sample) < 16 or sample.count(0) < len(sample) // 20:
        return None
    best: tuple[float, str] | None = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data[: len(data) // 2 * 2].decode(enc)
        except UnicodeDecodeError:
            continue
        head = text[:4000]
        plain = sum(
            1
            for ch in head
            if ch in "\t\n\r"
            or " " <= ch <= "~"
            or "\u4e00" <= ch <= "\u9fff"
            or "\u3000" <= ch <= "\u303f"
            or "\uff00" <= ch <= "\uffef"
        )
        share = plain / max(1, len(head))
        if share > 0.9 and (best is None or share > best[0]):
            best = (share, text)
    return best[1] if best else None


# Replacement marks and control characters other than white space (\t \n \v \f \r).
_JUNK = re.compile("[\ufffd\x00-\x08\x0e-\x1f]")


def _checked(text: str) -> str:
    """Refuse text that is mostly control characters or replacement marks (binary junk)."""
    sample = text[:20000]
    if not sample:
        return text
    bad = len(_JUNK.findall(sample))
    if bad > max(8, len(sample) // 50):
        raise UnreadableReport(
            "binary",
            "文件内容不是可读的文本（可能是二进制或已损坏的文件）。",
            "the file is not readable text (binary or damaged)",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag, if any."""
    m = META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None
