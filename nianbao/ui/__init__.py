"""The dashboard's library: cached reads, the upload check, exports and rendering helpers.

The only package code that imports Streamlit. Pages call into it: `from nianbao import ui`.
"""

from __future__ import annotations

from nianbao.ui.config import db_path
from nianbao.ui.data import (
    district_names,
    district_view,
    export_scope,
    filter_default,
    filter_findings,
    filter_options,
    findings_view,
    frame_of,
    keep_filters,
    linked_findings,
    overview,
    raw_document,
    report_cells,
    report_sections,
    report_tables,
    report_view,
    rule_catalog,
    rules_headline,
    scorecard,
    section_titles,
    year_reports,
    years,
)
from nianbao.ui.errors import UiError, guard
from nianbao.ui.nav import link, param, set_params, shared_choice, shared_year
from nianbao.ui.upload import (
    check_upload,
    delete_version,
    parse_upload,
    restore_version,
    save_upload,
    upload_source,
)

__all__ = [
    "UiError",
    "check_upload",
    "db_path",
    "delete_version",
    "district_names",
    "district_view",
    "export_scope",
    "filter_default",
    "filter_findings",
    "filter_options",
    "findings_view",
    "frame_of",
    "guard",
    "keep_filters",
    "linked_findings",
    "link",
    "overview",
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
