"""Words on the pages: dates as a supervisor writes them and each page's one-sentence headline.
Pure: no Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd


def cn_date(d: Any) -> str:
    """2026年1月31日; empty for a missing date."""
    if d is None or (not isinstance(d, str) and pd.isna(d)):
        return ""
    if isinstance(d, str):
        try:
            d = date.fromisoformat(d[:10])
        except ValueError:
            return str(d)
    if isinstance(d, pd.Timestamp | datetime):
        d = d.date()
    return f"{d.year}年{d.month}月{d.day}日"


def points(x: Any) -> str:
    """A score as 87.5 or 100 (— when there is none)."""
    if x is None or pd.isna(x):
        return "—"
    return f"{float(x):g}" if float(x) != int(float(x)) else str(int(float(x)))


def overview_headline(year: int, due: int, failed: int, ranking: Sequence[Mapping[str, Any]]) -> str:
    """2025 年度 49 家单位应报，3 家不合格，城东区排名末位（不合格：…）。"""
    head = f"{year} 年度 {due} 家单位应报，" + (f"{failed} 家不合格" if failed else "全部合格")
    if not ranking:
        return head + "。"
    last = max(ranking, key=lambda r: (int(r["rank"]), str(r["district"])))
    failing = [r["district"] for r in ranking if r["verdict"] == "不合格"]
    tail = f"，{last['district']}排名末位"
    if failing:
        tail += f"；{len(failing)} 个区县不合格：{'、'.join(failing)}"
    return head + tail + "。"


def district_headline(card: Mapping[str, Any]) -> str:
    """城东区 2025 年度不合格（得分 72.4，合格率 71%）：7 家应报单位中 2 家不合格；原因……"""
    units = card.get("units") or []
    failed = sum(1 for u in units if u.get("due") and u.get("verdict") == "不合格")
    rate = card.get("pass_rate")
    rate_text = "—" if rate is None else f"{float(rate):g}%"
    head = (
        f"{card['district']} {card['year']} 年度{card.get('verdict') or '尚无结论'}"
        f"（得分 {points(card.get('score'))}，合格率 {rate_text}）：{card.get('due', 0)} 家应报单位中"
        + (f" {failed} 家不合格" if failed else "全部合格")
    )
    return head + (f"；{card['reason']}。" if card.get("reason") else "。")


def report_headline(unit: str | None, year: int | None, version: int, scores: Mapping[str, Any]) -> str:
    """城东区民政局 2025 年度年报（第 2 版）不合格：否决 1 项，得分 0（否决前得分 92）。"""
    name = f"{unit or '未识别单位'} {year or ''} 年度年报（第 {version} 版）"
    if not scores:
        return name + "尚未评分。"
    vetoes = int(scores.get("vetoes") or 0)
    text = f"{name}{scores.get('verdict')}：得分 {points(scores.get('score'))}"
    if vetoes:
        text += f"（否决前得分 {points(scores.get('score_before_veto'))}），否决 {vetoes} 项"
    errors = int(scores.get("errors") or 0)
    warnings = int(scores.get("warnings") or 0)
    return text + f"，错误 {errors} 项，警告 {warnings} 项。"


def findings_headline(shown: int, by_severity: Mapping[str, int], units: int, total: int) -> str:
    """符合条件的问题 120 条（全部 480 条），其中否决 3 条、错误 40 条，涉及 25 家单位。"""
    if not shown:
        return f"没有符合条件的问题（全部 {total} 条）。"
    parts = [f"{s} {int(by_severity[s])} 条" for s in ("否决", "错误") if by_severity.get(s)]
    return (
        f"符合条件的问题 {shown} 条（全部 {total} 条）"
        + (f"，其中{'、'.join(parts)}" if parts else "")
        + f"，涉及 {units} 家单位。"
    )
