"""Navigation: the pages, deep links that can be pasted into a chat, and the year shared by every
page (kept in the URL's query string and in the session, so the sidebar keeps it too)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlencode

import streamlit as st
from streamlit.navigation.page import StreamlitPage

# url path -> page script, title, icon; the first is the default page.
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("overview", "app_pages/overview.py", "总览与排名", ":material/leaderboard:"),
    ("district", "app_pages/district.py", "区县记分卡", ":material/map:"),
    ("report", "app_pages/report.py", "年报详情", ":material/description:"),
    ("upload", "app_pages/upload.py", "上传即检", ":material/upload_file:"),
    ("findings", "app_pages/findings.py", "问题清单", ":material/checklist:"),
    ("harvest", "app_pages/harvest.py", "数据采集", ":material/cloud_download:"),
    ("bulletin", "app_pages/bulletin.py", "通报", ":material/campaign:"),
    ("rules", "app_pages/rules.py", "规则说明", ":material/menu_book:"),
)
SECTIONS = {
    "检查台": ("overview", "district", "report", "upload", "findings", "harvest", "bulletin"),
    "说明": ("rules",),
}
YEAR = "year"


def link(page: str, **params: object) -> str:
    """A relative deep link to a page with its query parameters (None values left out)."""
    kept = {k: str(v) for k, v in params.items() if v is not None and v != ""}
    return page + ("?" + urlencode(kept) if kept else "")


def param(name: str) -> str | None:
    """One query parameter of the current URL."""
    value = st.query_params.get(name)
    return str(value) if value else None


def set_params(**params: object) -> None:
    """Write query parameters to the URL (None removes one), so the view can be linked to."""
    for k, v in params.items():
        if v is None or v == "":
            if k in st.query_params:
                del st.query_params[k]
        elif st.query_params.get(k) != str(v):
            st.query_params[k] = str(v)


def shared_year(years: Sequence[int], *, where: object = None) -> int | None:
    """The year every page shows: from the URL, else the session, else the newest. A selector in
    the sidebar (or `where`) changes it; the URL and the session follow."""
    if not years:
        return None
    wanted = param(YEAR) or st.session_state.get("shared-year")
    try:
        year = int(str(wanted)) if wanted is not None else years[0]
    except ValueError:
        year = years[0]
    if year not in years:
        year = years[0]
    box = where if where is not None else st.sidebar
    chosen = box.selectbox(  # type: ignore[attr-defined]
        "年度",
        list(years),
        index=list(years).index(year),
        format_func=lambda y: f"{y} 年度",
        key=f"year-picker-{year}",  # a new key when the URL names another year
    )
    year = int(chosen)
    st.session_state["shared-year"] = year
    set_params(**{YEAR: year})
    return year


def requested_page() -> str | None:
    """The url path the browser asked for ('' for the root), when Streamlit tells it."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        return None if ctx is None else ctx.pages_manager.intended_page_name
    except Exception:  # noqa: BLE001 - an internal detail; without it unknown paths are Streamlit's
        return None


def _to_overview() -> None:
    """Where an unknown URL lands: the overview, with the query string kept."""
    st.switch_page(PAGES[0][1], query_params=dict(st.query_params))


def navigation() -> StreamlitPage:
    """The app's navigation; an unknown URL opens the overview instead of Streamlit's English
    "page not found" notice."""
    pages = {
        key: st.Page(script, title=title, icon=icon, url_path=key, default=i == 0)
        for i, (key, script, title, icon) in enumerate(PAGES)
    }
    sections: dict[str, list[StreamlitPage]] = {
        name: [pages[k] for k in keys] for name, keys in SECTIONS.items()
    }
    asked = (requested_page() or "").strip("/")
    if asked and asked not in pages and re.fullmatch(r"[\w-]{1,80}", asked):
        sections["说明"].append(
            st.Page(_to_overview, title="总览与排名", url_path=asked, visibility="hidden")
        )
    return st.navigation(sections)


def shared_choice(name: str, options: Sequence[str], label: str, *, where: object = None) -> str | None:
    """A choice kept in the URL under `name` (e.g. the district): from the URL, else the session,
    else the first option; a selector changes it."""
    if not options:
        return None
    wanted = param(name) or st.session_state.get(f"shared-{name}")
    value = str(wanted) if wanted in options else options[0]
    box = where if where is not None else st
    chosen = box.selectbox(  # type: ignore[attr-defined]
        label, list(options), index=list(options).index(value), key=f"{name}-picker-{value}"
    )
    st.session_state[f"shared-{name}"] = chosen
    set_params(**{name: chosen})
    return str(chosen)
