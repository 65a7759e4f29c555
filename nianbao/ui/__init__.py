"""The dashboard's library: cached reads, the upload check, exports and rendering helpers.

The only package code that imports Streamlit. Pages call into it: `from nianbao import ui`.
"""

from __future__ import annotations

from nianbao.ui.auth import current_actor, current_scope, current_user, login
from nianbao.ui.config import db_path
from nianbao.ui.data import Forbidden, filter_findings, filter_options, rule_catalog, years
from nianbao.ui.errors import UiError, guard

# the reads and writes with the signed-in user's scope applied (nianbao.ui.scoped)
from nianbao.ui.scoped import (
    check_upload,
    district_names,
    district_view,
    findings_view,
    overview,
    raw_document,
    report_tables,
    save_upload,
)
from nianbao.ui.upload import parse_upload, upload_source

__all__ = [
    "Forbidden",
    "UiError",
    "check_upload",
    "current_actor",
    "current_scope",
    "current_user",
    "db_path",
    "district_names",
    "district_view",
    "filter_findings",
    "filter_options",
    "findings_view",
    "guard",
    "login",
    "overview",
    "parse_upload",
    "raw_document",
    "report_tables",
    "rule_catalog",
    "save_upload",
    "upload_source",
    "years",
]
