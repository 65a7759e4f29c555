"""Bounded work for any input: caps checked before a DOCX or PDF is parsed (nianbao/limits.toml).

A DOCX is a zip: its members' declared sizes, their compression ratio and their actual inflated
sizes are checked by streaming them, so a 4 MB file whose document.xml inflates to 4 GiB is refused
in well under a second with little memory. A PDF's page count is read from its page tree before any
layout analysis.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO
from typing import Any

from nianbao.errors import UnreadableReport
from nianbao.limits import limit

_MIB = 1024 * 1024
_CHUNK = _MIB


def _mib(n: float) -> str:
    return f"{n / _MIB:.0f} MB"


def _bomb(detail_zh: str, detail_en: str) -> UnreadableReport:
    return UnreadableReport(
        "docx_too_large",
        f"Word 文件解压后过大或压缩比异常（{detail_zh}），可能是“压缩炸弹”，已拒绝处理。请上传年报本身。",
        f"the Word file would inflate too much ({detail_en}): refused as a possible zip bomb",
    )


def check_docx_zip(data: bytes, damaged: Callable[[str], UnreadableReport]) -> None:
    """Refuse a DOCX whose zip members would inflate past the caps, or do not inflate to what they declare.

    A member that fails to inflate (bad data, bad CRC, a size that lies) raises `damaged(detail)`
    here: python-docx would inflate such a member whole, in memory, before noticing.
    """
    try:
        zf = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    member_cap = limit("docx", "max_member_bytes")
    total_cap = limit("docx", "max_total_bytes")
    ratio_cap = limit("docx", "max_ratio")
    with zf:
        infos = zf.infolist()
        if len(infos) > limit("docx", "max_members"):
            raise _bomb(f"{len(infos)} 个部件", f"{len(infos)} zip members")
        total = 0
        for info in infos:
            size = info.file_size
            total += size
            if size > member_cap:
                raise _bomb(
                    f"{info.filename} 解压后 {_mib(size)}", f"{info.filename} inflates to {_mib(size)}"
                )
            if total > total_cap:
                raise _bomb(f"共 {_mib(total)}", f"{_mib(total)} in all")
            if size > _MIB and size > ratio_cap * max(1, info.compress_size):
                ratio = size / max(1, info.compress_size)
                raise _bomb(f"{info.filename} 压缩比 {ratio:.0f}", f"{info.filename} ratio {ratio:.0f}")
        # The declared sizes can lie: inflate each member for real, in chunks, counting.
        actual = 0
        for info in infos:
            n = 0
            try:
                with zf.open(info) as fh:
                    while chunk := fh.read(_CHUNK):
                        n += len(chunk)
                        actual += len(chunk)
                        if n > member_cap or actual > total_cap or n > info.file_size:
                            raise _bomb(
                                f"{info.filename} 实际解压超过声明", f"{info.filename} inflates past its size"
                            )
            except UnreadableReport:
                raise
            except Exception as exc:  # bad data or CRC: zipfile stopped at the declared size
                raise damaged(f"{info.filename}: {type(exc).__name__}") from exc


def check_pdf_pages(pdf: Any) -> int:
    """The number of pages of an opened pdfplumber PDF, counted from its page tree up to the cap + 1.

    Raises UnreadableReport when it is over the cap (limits.toml [pdf] max_pages), before any page
    is laid out.
    """
    from pdfminer.pdfpage import PDFPage

    cap = int(limit("pdf", "max_pages"))
    n = 0
    for _ in PDFPage.create_pages(pdf.doc):
        n += 1
        if n > cap:
            raise UnreadableReport(
                "too_many_pages",
                f"PDF 超过 {cap} 页，不像是一份政府信息公开年报，已拒绝处理。请只上传年报本身。",
                f"the PDF has more than {cap} pages: it does not look like one annual report",
            )
    return n
