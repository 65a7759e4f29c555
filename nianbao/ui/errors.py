"""Chinese messages instead of tracebacks: every page runs its work inside `guard()`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

from nianbao.errors import UnreadableReport
from nianbao.store import StoreError
from nianbao.ui.plain import md

log = logging.getLogger("nianbao.ui")


class UiError(Exception):
    """A failure the user can act on, with the message to show (in Chinese)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def message_for(exc: BaseException) -> str:
    """The Chinese message for any exception (never a traceback)."""
    if isinstance(exc, UiError):
        return exc.message + (f"\n\n{exc.hint}" if exc.hint else "")
    if isinstance(exc, UnreadableReport):
        return f"无法读取该文件：{md(exc.zh)}"  # may quote the file
    if isinstance(exc, StoreError):
        return exc.zh
    if isinstance(exc, duckdb.CatalogException):
        return "数据库缺少所需的表或视图，可能是旧版本建立的数据库。请重新运行 `nianbao demo` 或 `nianbao ingest` 以升级数据库。"
    if isinstance(exc, duckdb.OutOfMemoryException):
        return "数据库运算内存不足，本次操作未作任何更改。请稍后重试；若反复出现，请管理员调高内存上限（NIANBAO_DUCKDB_MEMORY_LIMIT_MB）。"
    if isinstance(exc, duckdb.IOException):
        return "无法读写数据库文件，请稍后刷新页面；若反复出现，请联系管理员并提供日志。"
    if isinstance(exc, duckdb.Error):
        return "查询数据库时出错，请稍后重试；若反复出现，请联系管理员并提供日志。"
    if isinstance(exc, MemoryError):
        return "文件过大或结构过于复杂，处理时内存不足，无法检查。"
    return "处理时发生意外错误，请稍后重试；若反复出现，请联系管理员并提供日志。"


@contextmanager
def guard() -> Iterator[None]:
    """Run a page's work; show a Chinese error instead of a traceback, and log the details.

    Streamlit's own stop/rerun signals are BaseExceptions and pass through untouched.
    """
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the page must never show a traceback
        if not isinstance(exc, UiError | UnreadableReport | StoreError):
            log.exception("dashboard error")
        st.error(message_for(exc), icon="⚠️")
