"""The dashboard's library: cached reads, the upload check, exports and rendering helpers.

The only package code that imports Streamlit. Pages call into it: `from nianbao import ui`.
"""

from __future__ import annotations

from nianbao.ui.auth import current_actor, current_scope, current_user, login
from nianbao.ui.config import db_path
from nianbao.ui.data import (
    Forbidden,
    filter_default,
    keep_filters,
    page_run,
    rule_catalog,
    rules_headline,
    section_titles,
    years,
)
from nianbao.ui.errors import UiError, guard
from nianbao.ui.nav import link, param, set_params, shared_choice, shared_year

# the reads and writes with the signed-in user's scope applied (nianbao.ui.scoped)
from nianbao.ui.scoped import (
    check_upload,
    delete_version,
    district_names,
    district_view,
    export_scope,
    finding_options,
    finding_page,
    finding_summary,
    findings_download,
    findings_view,
    overview,
    raw_document,
    report_cells,
    report_sections,
    report_tables,
    report_view,
    restore_version,
    save_upload,
    scorecard,
    year_reports,
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
    "delete_version",
    "district_names",
    "district_view",
    "export_scope",
    "filter_default",
    "finding_options",
    "finding_page",
    "finding_summary",
    "findings_download",
    "findings_view",
    "guard",
    "login",
    "keep_filters",
    "link",
    "overview",
    "page_run",
    "param",
    "parse_upload",
    "raw_document",
    "report_cells",
    "report_sections",
    "report_tables",
    "report_view",
    "restore_version",
    "rule_catalog",
    "rules_headline",
    "save_upload",
    "scorecard",
    "section_titles",
    "set_params",
    "shared_choice",
    "shared_year",
    "upload_source",
    "year_reports",
    "years",
]
