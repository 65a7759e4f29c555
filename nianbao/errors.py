"""The one error a file can raise on its way in: it is not a readable report."""

from __future__ import annotations


class UnreadableReport(Exception):
    """A file that cannot be read as an annual report; carries a Chinese and an English message."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.code = code
        self.zh = zh
        self.en = en

    def __str__(self) -> str:
        return f"{self.en} ({self.zh})"


def out_of_memory() -> UnreadableReport:
    """A file that needed more memory than the machine has: too large or too complex, not damaged."""
    return UnreadableReport(
        "out_of_memory",
        "文件过大或结构过于复杂，处理时内存不足，无法检查。请确认上传的是年报本身，或拆分后再上传。",
        "the file is too large or too complex: it ran out of memory while being read",
    )
