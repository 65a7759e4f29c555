"""Report metadata: title, unit, year and publication date."""

from __future__ import annotations

import re

from nianbao.recognize.normalize import fold

_YEAR = re.compile(r"(20\d{2})\s*年")
_TITLE_HINT = re.compile(r"(年度报告|年报|工作报告|年度工作|报\s*告$)")
_SUFFIX = re.compile(
    r"(关于)?(政府信息公开|政务公开|信息公开)?(工作)?(年度)?(工作)?(报告|年报)$|"
    r"(政府信息公开|政务公开|信息公开)(工作)?$"
)
_DATE_KEYS = re.compile(r"(发布时间|发布日期|成文日期|公开日期|发文日期|时间)\s*[:：]?\s*")
_DATE = re.compile(r"(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_PERIOD = re.compile(r"统计期限.{0,6}?(20\d{2})\s*年\s*1\s*月\s*1\s*日")


def find_title(lines: list[str], header_lines: list[str]) -> str | None:
    """The report title: the first lines before 一、总体情况 that name a report, joined when split."""
    top = [ln.strip() for ln in lines[:12] if ln.strip()]
    for i, ln in enumerate(top):
        if len(ln) > 80:
            continue
        if _TITLE_HINT.search(ln) and ("公开" in ln or "报告" in ln):
            # A title split over two lines: "…人民政府政务公开" / "2020年度工作报告".
            if i > 0 and _YEAR.match(fold(ln)) and len(top[i - 1]) < 40 and "公开" in top[i - 1]:
                return top[i - 1] + ln
            if i + 1 < len(top) and len(top[i + 1]) <= 6 and top[i + 1].replace(" ", "") in ("报告", "报告书"):
                return ln + top[i + 1].replace(" ", "")
            return ln
    for ln in header_lines:
        if "公开" in ln and ("报告" in ln or "年报" in ln):
            return ln.split("_")[0].split("-")[0].strip()
    return None


def year_from(title: str | None, texts: list[str]) -> int | None:
    """The report year: from the title, else the statistics period, else the first year in the text."""
    if title:
        m = _YEAR.search(fold(title))
        if m:
            return int(m.group(1))
    joined = fold("\n".join(texts))
    m = _PERIOD.search(joined)
    if m:
        return int(m.group(1))
    m = _YEAR.search(joined)
    if m:
        y = int(m.group(1))
        if 2008 <= y <= 2100:
            return y
    return None


def unit_from(title: str | None) -> str | None:
    """The unit named in the title: what is left once the year and the report words are removed."""
    if not title:
        return None
    t = fold(title).replace(" ", "")
    m = _YEAR.search(t)
    if m:
        before, after = t[: m.start()], t[m.end() :]
        after = re.sub(r"^度", "", after)
        cand = before if len(before) >= 2 else after
    else:
        cand = t
    cand = cand.strip(",，、:：()（）《》 ")
    for _ in range(3):
        cand = _SUFFIX.sub("", cand)
    cand = cand.strip(",，、:：()（）《》 ")
    return cand or None


def published_from(lines: list[str]) -> str | None:
    """The publication date the page shows (发布时间 / 发布日期 / 成文日期), as YYYY-MM-DD."""
    for ln in lines:
        f = fold(ln)
        for km in _DATE_KEYS.finditer(f):
            dm = _DATE.match(f, km.end())
            if dm:
                y, mo, d = (int(g) for g in dm.groups())
                if 1 <= mo <= 12 and 1 <= d <= 31:
                    return f"{y:04d}-{mo:02d}-{d:02d}"
    return None
