"""Bytes to text: BOM, then a declared charset, then strict UTF-8, then GB18030. Junk is refused."""

from __future__ import annotations

import codecs
import re

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
    candidates: list[str] = []
    if declared:
        name = declared.strip().lower()
        # A GB declaration is never trusted: strict UTF-8 is tried first, since GB18030 decodes anything.
        if name not in _WIDEN:
            candidates.append(name)
    candidates += ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            return _checked(data.decode(enc))
        except (UnicodeDecodeError, LookupError):
            continue
    return _checked(data.decode("gb18030", errors="replace"))


def _checked(text: str) -> str:
    """Refuse text that is mostly control characters or replacement marks (binary junk)."""
    sample = text[:20000]
    if not sample:
        return text
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f\v"))
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
