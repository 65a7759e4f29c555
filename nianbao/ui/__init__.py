"""The dashboard's library: cached reads, the upload check, exports and rendering helpers.

The only package code that imports Streamlit. Pages call into it: `from nianbao import ui`.
"""

from __future__ import annotations

from nianbao.ui.config import db_path
from nianbao.ui.data import (
    district_names,
    district_view,
    filter_findings,
    filter_options,
    findings_view,
    overview,
    raw_document,
    report_tables,
    rule_catalog,
    years,
)
from nianbao.ui.errors import UiError, guard
from nianbao.ui.upload import check_upload, parse_upload, save_upload, upload_source

__all__ = [
    "UiError",
    "check_upload",
    "db_path",
    "district_names",
    "district_view",
    "filter_findings",
    "filter_options",
    "findings_view",
    "guard",
    "overview",
    "parse_upload",
    "raw_document",
    "report_tables",
    "rule_catalog",
    "save_upload",
    "upload_source",
    "years",
]
