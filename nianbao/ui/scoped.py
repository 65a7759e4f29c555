"""The reads and writes pages use, with the signed-in user's scope applied (see nianbao.ui.auth).

Each wrapper passes `current_scope()` (or the user) into nianbao.ui.data / nianbao.ui.upload, so a
deep link to another district's scorecard or report raises Forbidden (无权查看) there.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from nianbao.ui import data, export, upload
from nianbao.ui.auth import current_actor, current_scope, current_user


def district_names() -> list[str]:
    """The districts the user may see, in configuration order."""
    return data.district_names(current_scope())


def overview(db: str, year: int) -> data.Overview:
    """KPIs and the ranking for one year, over the districts the user may see."""
    return data.overview(db, year, current_scope())


def district_view(db: str, district: str, year: int) -> data.DistrictView:
    """One district's scorecard, its units in `year` (Forbidden outside the user's districts)."""
    return data.district_view(db, district, year, current_scope())


def report_tables(db: str, report_id: str) -> data.ReportTables:
    """One report's tables and findings (Forbidden outside the user's districts)."""
    return data.report_tables(db, report_id, current_scope())


def raw_document(db: str, report_id: str) -> data.RawDocument:
    """One report's raw file (Forbidden outside the user's districts)."""
    return data.raw_document(db, report_id, current_scope())


def findings_view(db: str) -> pd.DataFrame:
    """The findings of the districts the user may see."""
    return data.findings_view(db, current_scope())


def finding_options(db: str) -> dict[str, list[Any]]:
    """The finding list's filter values, over the districts the user may see."""
    return data.finding_options(db, current_scope())


def finding_summary(db: str, chosen: Mapping[str, Sequence[Any]]) -> data.ListSummary:
    """The finding list's counts for the chosen filters, over the districts the user may see."""
    return data.finding_summary(db, current_scope(), chosen)


def finding_page(db: str, chosen: Mapping[str, Sequence[Any]], page: int, size: int) -> list[dict[str, Any]]:
    """One page of the finding list (each row with its deep link), over the districts the user may see."""
    return data.linked_findings(data.finding_page(db, current_scope(), chosen, page, size))


def export_scope(chosen: dict[str, list[Any]]) -> list[str]:
    """The scope words of an export's file name (the user's districts when none is chosen)."""
    return data.export_scope(chosen, current_scope())


def findings_download(
    db: str,
    chosen: Mapping[str, Sequence[Any]],
    *,
    title: str,
    scope: Sequence[str],
    filters: Mapping[str, Sequence[Any]],
) -> export.Downloads:
    """The finding list's XLSX and CSV, to build when a button is clicked: the signed-in user's
    districts are read here, while the page runs, because the builders run outside it."""
    districts, picked, named, used = current_scope(), dict(chosen), list(scope), export.filter_text(filters)
    return export.Downloads(
        xlsx=functools.partial(data.export_table, db, districts, picked, "xlsx", title, named, used),
        csv=functools.partial(data.export_table, db, districts, picked, "csv", title, named, used),
    )


def check_upload(
    db: str, raw: bytes, file_name: str, unit: str | None, year: int | None
) -> upload.UploadCheck:
    """Check an upload against the store (nothing is written; saving is what scope limits)."""
    return upload.check_upload(db, raw, file_name, unit, year)


def save_upload(db: str, raw: bytes, file_name: str, unit: str | None, year: int | None) -> str:
    """Save an upload as the signed-in user (Forbidden for viewers and for other districts' units)."""
    return upload.save_upload(db, raw, file_name, unit, year, user=current_user(), actor=current_actor())


def scorecard(db: str, district: str, year: int) -> dict[str, Any]:
    """One district's verdict and units for one year (Forbidden outside the user's districts)."""
    return data.scorecard(db, district, year, current_scope())


def year_reports(db: str, year: int) -> pd.DataFrame:
    """One year's current reports of the districts the user may see, worst first."""
    return data.year_reports(db, year, current_scope())


def report_view(db: str, report_id: str) -> data.ReportView:
    """One report's verdict and versions (Forbidden outside the user's districts)."""
    return data.report_view(db, report_id, current_scope())


def report_cells(db: str, report_id: str) -> pd.DataFrame:
    """Every cell of one report (Forbidden outside the user's districts)."""
    return data.report_cells(db, report_id, current_scope())


def report_sections(db: str, report_id: str) -> dict[str, str]:
    """One report's section texts (Forbidden outside the user's districts)."""
    return data.report_sections(db, report_id, current_scope())


def _may_change(db: str, report_id: str) -> None:
    """Raise Forbidden unless the user may save reports of this report's unit."""
    if current_user() is None:
        return  # the demo: no login, no roles
    found = data.frame(
        db,
        "select unit_id from reports where report_id = ? union all "
        "select unit_id from deleted_reports where report_id = ?",
        [report_id, report_id],
    )
    upload.may_save(current_user(), None if found.empty else data._opt_str(found["unit_id"].iloc[0]))


def delete_version(db: str, report_id: str, reason: str | None) -> str:
    """Hide one stored version as the signed-in user (Forbidden for viewers and other districts)."""
    _may_change(db, report_id)
    return upload.delete_version(db, report_id, reason)


def restore_version(db: str, report_id: str) -> str:
    """Bring a deleted version back as the signed-in user (Forbidden for viewers and other districts)."""
    _may_change(db, report_id)
    return upload.restore_version(db, report_id)
