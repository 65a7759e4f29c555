"""Report metadata: title, unit, year and publication date, and where each was read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.recognize.normalize import fold

_YEAR = re.compile(r"(20\d{2})\s*年")
_TITLE_HINT = re.compile(r"(年度报告|年报|工作报告|年度工作|报\s*告$|年度报$)")
_SUFFIX = re.compile(
    r"(关于)?(政府信息公开|政务公开|信息公开)?(工作)?(年度)?(工作)?(报告|年报)$|"
    r"(政府信息公开|政务公开|信息公开)(工作)?$"
)
# A crawler's wrapper (采集时间, 抓取时间 …) says when a copy was made, never when the page was published.
_CRAWLER = r"(?<!采集)(?<!抓取)(?<!爬取)(?<!入库)(?<!下载)(?<!访问)(?<!浏览)(?<!打印)"
_DATE_KEYS = re.compile(
    rf"(发布时间|发布日期|成文日期|公开日期|公开时间|发文日期|{_CRAWLER}时间(?=\s*[:：])|"
    rf"{_CRAWLER}日期(?=\s*[:：]))\s*[:：]?\s*"
)
_DATE_LABEL_ONLY = re.compile(r"^\s*(发布时间|发布日期|成文日期|公开日期|公开时间|发文日期)\s*[:：]?\s*$")
_DATE = re.compile(r"(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_SIGNATURE_DATE = re.compile(r"^(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
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
            # Wrapped after the report words: "2024年上海市科委政府信息公开工作" / "年度报告".
            if (
                i > 0
                and re.fullmatch(r"(工作)?(年度)?(报告|年报)", ln.replace(" ", ""))
                and "公开" in top[i - 1]
            ):
                return _with_unit_line(top, i - 1, top[i - 1] + ln)
            # A title wrapped by a narrow page, even mid-word: "…年度报" / "告".
            nxt = top[i + 1].replace(" ", "") if i + 1 < len(top) else ""
            if (
                nxt
                and len(nxt) <= 3
                and re.search(r"(报告|报告书|年报)$", ln + nxt)
                and not ln.endswith("报告")
            ):
                ln = ln + nxt
            # The unit on a line of its own above the rest: "淮安市洪泽区人民政府" / "2024年…报告".
            return _with_unit_line(top, i, ln)
    for ln in header_lines:
        f = fold(ln)
        if "公开" in f and ("报告" in f or "年报" in f):
            return f.split("_")[0].split("-")[0].strip()
    for ln in top:
        m = _TITLE_IN_TEXT.search(ln)
        if m:
            return re.sub(r"^(现特?|特)?(向社会)?(公布|发布|印发)", "", m.group(1).strip())
    return None


def _with_unit_line(top: list[str], i: int, title: str) -> str:
    """The title with the unit line above it, when the title names no unit and that line is one."""
    if i == 0 or unit_from(title) is not None:
        return title
    above = fold(top[i - 1]).replace(" ", "")
    if _is_unit_line(above):
        return top[i - 1].replace(" ", "") + title
    return title


def _is_unit_line(text: str) -> bool:
    """A line that is only a unit's name: short, no punctuation or year, ending as a unit does."""
    return (
        2 <= len(text) <= 30
        and _UNITISH.search(text) is not None
        and not re.search(r"[\s,，。:：;；、!！?？()（）《》\d]|网站|首页|当前位置", text)
    )


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


_UNITISH = re.compile(r"(政府|局|委|办|办公室|镇|乡|街道|区|县|市|中心|处|所|院|会|站|队|厅|署)$")


def _strip_suffix(text: str) -> str:
    cand = text.strip(",，、:：()（）《》 ")
    for _ in range(3):
        cand = _SUFFIX.sub("", cand)
    cand = cand.strip(",，、:：()（）《》 ")
    # "X人民政府信息公开…" reads as "X人民政府" + "信息公开…".
    return cand + "政府" if cand.endswith("人民") else cand


def published_from(lines: list[str]) -> str | None:
    """The publication date the page shows (发布时间 / 发布日期 / 成文日期), as YYYY-MM-DD.

    The label and its value may stand in separate table cells (one line each here). A crawler's
    wrapper (采集时间, 抓取时间) is not a publication date.
    """
    for i, ln in enumerate(lines):
        f = fold(ln)
        for km in _DATE_KEYS.finditer(f):
            found = _date_at(f, km.end())
            if found:
                return found
        if _DATE_LABEL_ONLY.match(f):
            following = next((fold(x).strip() for x in lines[i + 1 : i + 3] if x.strip()), "")
            found = _date_at(following, 0)
            if found:
                return found
    return None


def _date_at(text: str, pos: int) -> str | None:
    dm = _DATE.match(text, pos)
    if not dm:
        return None
    return _iso(*(int(g) for g in dm.groups()))


def _iso(y: int, mo: int, d: int) -> str | None:
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


@dataclass
class Signature:
    """The 落款 at the end of the body: the unit that signs and the date under it."""

    unit: str | None
    date: str | None


def signature_from(lines: list[str]) -> Signature:
    """The 落款: a unit's name on a line of its own near the end, and a date line right after it.

    Only the last lines are read, and a date counts only as a line of its own written as 年月日
    (a sentence that mentions a date is not a signature).
    """
    tail = [fold(ln).strip().replace(" ", "") for ln in lines if ln.strip()][-8:]
    unit: str | None = None
    date: str | None = None
    for i, ln in enumerate(tail):
        dm = _SIGNATURE_DATE.match(ln)
        if dm:
            date = _iso(*(int(g) for g in dm.groups()))
            if i > 0 and _is_unit_line(tail[i - 1]):
                unit = tail[i - 1]
            continue
        # Unit and date on one line: "淮安市洪泽区人民政府办公室2025年1月20日".
        m = re.match(r"^(.+?)(20\d{2}年\d{1,2}月\d{1,2}日)$", ln)
        if m and _is_unit_line(m.group(1)):
            unit, date = m.group(1), signature_date(m.group(2))
    return Signature(unit=unit, date=date)


def signature_date(text: str) -> str | None:
    """A 年月日 date as YYYY-MM-DD."""
    dm = _SIGNATURE_DATE.match(text)
    return _iso(*(int(g) for g in dm.groups())) if dm else None
