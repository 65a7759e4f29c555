"""Report metadata: title, unit, year and publication date."""

from __future__ import annotations

import re

from nianbao.recognize.normalize import fold

_YEAR = re.compile(r"(20\d{2})\s*年")
_TITLE_HINT = re.compile(r"(年度报告|年报|工作报告|年度工作|报\s*告$|年度报$)")
_SUFFIX = re.compile(
    r"(关于)?(政府信息公开|政务公开|信息公开)?(工作)?(年度)?(工作)?(报告|年报)$|"
    r"(政府信息公开|政务公开|信息公开)(工作)?$"
)
_DATE_KEYS = re.compile(r"(发布时间|发布日期|成文日期|公开日期|发文日期|时间)\s*[:：]?\s*")
_DATE = re.compile(r"(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_PERIOD = re.compile(r"统计期限.{0,6}?(20\d{2})\s*年\s*1\s*月\s*1\s*日")


_BREADCRUMB = re.compile(r"(当前位置|所在位置|首页\s*[>/»]|>\s*\S+\s*>|^\S+/\S+/\S+/)")
_LABEL_PREFIX = re.compile(r"^(标题|题\s*目|名\s*称)\s*[:：]\s*")
_TITLE_IN_TEXT = re.compile(
    r"(?:公布|发布|印发)?([^，,。；;“”《》]{0,30}?20\d{2}\s*年度?[^，,。；;“”《》]{0,30}?"
    r"(?:政府信息公开|信息公开|政务公开)[^，,。；;]{0,8}?(?:年度报告|年报))"
)


def find_title(lines: list[str], header_lines: list[str]) -> str | None:
    """The report title: the first lines before 一、总体情况 that name a report, joined when split."""
    top = [_LABEL_PREFIX.sub("", fold(ln).strip()) for ln in lines[:12] if ln.strip()]
    top = [ln for ln in top if ln and not _BREADCRUMB.search(ln)]
    for i, ln in enumerate(top):
        if len(ln) > 80 or "。" in ln or ln.startswith("根据"):
            continue
        if _TITLE_HINT.search(ln) and ("公开" in ln or "报告" in ln):
            # A title split over two lines: "…人民政府政务公开" / "2020年度工作报告".
            if i > 0 and _YEAR.match(fold(ln)) and len(top[i - 1]) < 40 and "公开" in top[i - 1]:
                return top[i - 1] + ln
            # A title wrapped by a narrow page, even mid-word: "…年度报" / "告".
            nxt = top[i + 1].replace(" ", "") if i + 1 < len(top) else ""
            if (
                nxt
                and len(nxt) <= 3
                and re.search(r"(报告|报告书|年报)$", ln + nxt)
                and not ln.endswith("报告")
            ):
                return ln + nxt
            return ln
    for ln in header_lines:
        f = fold(ln)
        if "公开" in f and ("报告" in f or "年报" in f):
            return f.split("_")[0].split("-")[0].strip()
    for ln in top:
        m = _TITLE_IN_TEXT.search(ln)
        if m:
            return re.sub(r"^(现特?|特)?(向社会)?(公布|发布|印发)", "", m.group(1).strip())
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
    # The year the text speaks of most often (a history paragraph may mention an older one first).
    years = [int(y) for y in _YEAR.findall(joined) if 2008 <= int(y) <= 2100]
    if years:
        return max(set(years), key=lambda y: (years.count(y), y))
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
        after_unit = _strip_suffix(after)
        cand = after_unit if _UNITISH.search(after_unit) and not _UNITISH.search(before) else before
        if len(cand) < 2:
            cand = after_unit
    else:
        cand = t
    cand = _strip_suffix(cand)
    cand = re.sub(r"^(现特?|特)?(向社会)?(公布|发布|印发)", "", cand)
    return cand if _UNITISH.search(cand) and len(cand) >= 2 else None


_UNITISH = re.compile(r"(政府|局|委|办|镇|乡|街道|区|县|市|中心|处|所|院|会|站|队|厅|署)$")


def _strip_suffix(text: str) -> str:
    cand = text.strip(",，、:：()（）《》 ")
    for _ in range(3):
        cand = _SUFFIX.sub("", cand)
    cand = cand.strip(",，、:：()（）《》 ")
    # "X人民政府信息公开…" reads as "X人民政府" + "信息公开…".
    return cand + "政府" if cand.endswith("人民") else cand


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
