"""Turn uploaded or harvested bytes into a Document; the format is sniffed from the content."""

from __future__ import annotations

import zipfile
from io import BytesIO

from nianbao.document import Document
from nianbao.errors import UnreadableReport, out_of_memory

MAX_BYTES = 50 * 1024 * 1024


def sniff(data: bytes) -> str:
    """Media type from the bytes themselves, never from the file name."""
    head = data[:2048].lstrip()
    if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        except zipfile.BadZipFile:
            pass
        return "application/zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "application/msword"
    low = head.lower()
    for marker in (
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<table",
        b"<meta",
        b"<div",
        b"<p>",
        b"<p ",
    ):
        if marker in low or marker in data[:200_000].lower():
            return "text/html"
    return "text/plain"


def extract(data: bytes, filename: str = "") -> Document:
    """Read any supported file into a Document, or raise UnreadableReport.

    Running out of memory is never reported as a damaged file, even where an extractor's
    catch-all wrapped the MemoryError in its "damaged" message.
    """
    try:
        return _extract(data, filename)
    except MemoryError as exc:
        raise out_of_memory() from exc
    except UnreadableReport as exc:
        if isinstance(exc.__cause__, MemoryError):
            raise out_of_memory() from exc.__cause__
        raise


def _extract(data: bytes, filename: str) -> Document:
    if not data or not data.strip():
        raise UnreadableReport(
            "empty", "文件为空，请上传年度报告的正文。", "the file is empty: upload the report itself"
        )
    if len(data) > MAX_BYTES:
        raise UnreadableReport(
            "too_large",
            "文件超过 50 MB，请确认是否为年度报告。",
            "the file is larger than 50 MB: is it really a report?",
        )
    kind = sniff(data)
    if kind == "application/pdf":
        from nianbao.extract.pdf import extract_pdf

        return extract_pdf(data)
    if kind.endswith("wordprocessingml.document"):
        from nianbao.extract.docx import extract_docx

        return extract_docx(data)
    if kind == "application/msword":
        raise UnreadableReport(
            "doc",
            "不支持旧版 Word（.doc）文件，请另存为 .docx 后上传。",
            "old Word .doc files are not supported: save as .docx",
        )
    if kind == "application/zip":
        raise UnreadableReport(
            "zip",
            "这是一个压缩包或损坏的 Word 文件，无法读取。",
            "a zip archive or a damaged .docx: cannot be read",
        )
    if kind == "text/html":
        from nianbao.extract.html import extract_html

        return extract_html(data)
    from nianbao.extract.text import extract_text

    return extract_text(data)
