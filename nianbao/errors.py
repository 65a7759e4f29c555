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
