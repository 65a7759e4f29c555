"""The reads and writes pages use, with the signed-in user's scope applied (see nianbao.ui.auth).

Each wrapper passes `current_scope()` (or the user) into nianbao.ui.data / nianbao.ui.upload, so a
deep link to another district's scorecard or report raises Forbidden (无权查看) there.
"""

from __future__ import annotations

import pandas as pd

from nianbao.ui import data, upload
from nianbao.ui.auth import current_actor, current_scope, current_user


def district_names() -> list[str]:
    """The districts the user may see, in configuration order."""
    return data.district_names(current_scope())


def overview(db: str, year: int) -> data.Overview:
    """KPIs and the ranking for one year, over the districts the user may see."""
    return data.overview(db, year, current_scope())


def district_view(db: str, district: str) -> data.DistrictView:
    """One district's scorecard (Forbidden outside the user's districts)."""
    return data.district_view(db, district, current_scope())


def report_tables(db: str, report_id: str) -> data.ReportTables:
    """One report's tables and findings (Forbidden outside the user's districts)."""
    return data.report_tables(db, report_id, current_scope())


def raw_document(db: str, report_id: str) -> data.RawDocument:
    """One report's raw file (Forbidden outside the user's districts)."""
    return data.raw_document(db, report_id, current_scope())


def findings_view(db: str) -> pd.DataFrame:
    """The findings of the districts the user may see."""
    return data.findings_view(db, current_scope())


def check_upload(
    db: str, raw: bytes, file_name: str, unit: str | None, year: int | None
) -> upload.UploadCheck:
    """Check an upload (another district's stored reports are not used as its context)."""
    return upload.check_upload(db, raw, file_name, unit, year, current_scope())


def save_upload(db: str, raw: bytes, file_name: str, unit: str | None, year: int | None) -> str:
    """Save an upload as the signed-in user (Forbidden for viewers and for other districts' units)."""
    return upload.save_upload(db, raw, file_name, unit, year, user=current_user(), actor=current_actor())
