"""Recognise a Document as an annual report: sections, template, cells, metadata, facts, notes."""

from __future__ import annotations

import re

from nianbao.document import Document
from nianbao.errors import UnreadableReport
from nianbao.model import Cell, Note, Report, Section
from nianbao.recognize.facts import extract_facts
from nianbao.recognize.meta import find_title, published_from, signature_from, unit_from, year_from
from nianbao.recognize.multi import refuse_several
from nianbao.recognize.normalize import squash
from nianbao.recognize.sanity import tame_numbers
from nianbao.recognize.sections import Heading, find_headings
from nianbao.recognize.stream import Stream, build
from nianbao.recognize.tables import TableRead, read_tables
from nianbao.recognize.values import read_value
from nianbao.templates import VERSIONS, Template, for_year, template

# Pre-2019 reports: statistics tables with 计量单位 / 历年累计 and none of the official tables.
_OLD_FORMAT = ("计量单位", "历年累计", "指标名称")
_REPORT_WORDS = re.compile(r"政府信息公开|政务公开|信息公开")


def detect_template(s: Stream, year: int | None) -> tuple[str | None, dict[str, int]]:
    """The format version from the fingerprints of DOMAIN.md §1.0; ties go to the year's format."""
    flat = squash(s.text)
    scores: dict[str, int] = {}
    for v in VERSIONS:
        scores[v] = sum(1 for fp in template(v).fingerprints if squash(fp) in flat)
    if "逾期不补正" in flat or "逾期未按收费通知" in flat:
        scores["2021"] += 2
    best = max(scores.values())
    if best == 0:
        return None, scores
    winners = [v for v, sc in scores.items() if sc == best]
    if len(winners) == 1:
        return winners[0], scores
    if year is not None:
        return for_year(year).version, scores
    return winners[-1], scores


def _bounds(headings: list[Heading], length: int) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for i, h in enumerate(headings):
        end = headings[i + 1].start if i + 1 < len(headings) else length
        out[h.key] = (h.start, end)
    return out


def _section_text(s: Stream, start: int, end: int) -> str:
    chars = [
        ("\n" if ch in "\x1e\x1f" else ch)
        for i, ch in enumerate(s.raw[start:end], start)
        if not s.consumed[i] and not s.in_table[i]
    ]
    lines = [ln.strip() for ln in "".join(chars).split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _cells(tpl: Template, tables: TableRead) -> list[Cell]:
    cells: list[Cell] = []
    col_index: dict[tuple[str, str], int] = {}
    for b in tpl.t2_blocks:
        for r in b.rows:
            for i, c in enumerate(b.columns):
                col_index[(r.key, c.key)] = i
    for spec in tpl.cells:
        if spec.table == "t2":
            idx = col_index[(spec.row, spec.col)]
        elif spec.table == "t3":
            idx = [c.key for c in tpl.t3_columns].index(spec.col)
        else:
            idx = [c.key for c in tpl.t4_columns].index(spec.col)
        rr = tables.rows.get((spec.table, spec.row))
        if rr is None or idx >= len(rr.raws):
            cells.append(
                Cell(
                    spec.table, spec.row, spec.col, spec.row_label, spec.col_label, "", None, None, "missing"
                )
            )
            continue
        raw = rr.raws[idx]
        override = rr.override[idx]
        if override in ("missing", "ambiguous"):
            cells.append(
                Cell(
                    spec.table, spec.row, spec.col, spec.row_label, spec.col_label, raw, None, None, override
                )
            )
            continue
        value, unit, state = read_value(raw)
        cells.append(
            Cell(spec.table, spec.row, spec.col, spec.row_label, spec.col_label, raw, value, unit, state)
        )
    return cells


def recognize(doc: Document, *, list_date: str | None = None) -> Report:
    """Read a Document into a Report, or raise UnreadableReport when it is not a supported report.

    `list_date`: for a harvested report, the date on its entry in the site's list (YYYY-MM-DD),
    used when the page itself shows no publication date.
    """
    s = build(doc)
    headings = find_headings(s)
    refuse_several(s, headings)
    lines = [ln for ln in s.raw.replace("\x1f", "\n").replace("\x1e", "\n").split("\n")]
    first_heading = headings[0].start if headings else len(s.raw)
    top_lines = s.raw[:first_heading].replace("\x1f", "\n").replace("\x1e", "\n").split("\n") or lines[:12]
    title = find_title(top_lines if any(x.strip() for x in top_lines) else lines, doc.header_lines)
    year = year_from(title, [s.raw[:20000]])
    version, scores = detect_template(s, year)
    flat = squash(s.text)
    official = any(
        k in flat
        for k in ("本列数据的勾稽关系", "第二十条第一项", "本年新收政府信息公开申请", "结转下年度继续办理")
    )
    has_tables = official
    if not official and sum(1 for k in _OLD_FORMAT if k in flat) >= 2:
        raise UnreadableReport(
            "unsupported_format",
            "这是 2019 年以前的旧版年报格式，本工具只支持 2019 年（试行）和 2021 年两版官方格式。",
            "format not supported: a pre-2019 report (only the 2019 and 2021 official formats are read)",
        )
    if len(headings) < 2 and not has_tables:
        raise UnreadableReport(
            "not_a_report",
            "未识别到政府信息公开工作年度报告的章节或统计表，请确认上传的是年度报告。",
            "not an annual report: none of its sections or tables were found",
        )
    if not _REPORT_WORDS.search(s.text) and not has_tables:
        raise UnreadableReport(
            "not_a_report",
            "文件中没有政府信息公开年度报告的内容。",
            "not an annual report (no 政府信息公开 content)",
        )
    bounds = _bounds(headings, len(s.raw))
    notes: list[Note] = list(Note("extract", n) for n in doc.notes)
    tpl: Template | None = template(version) if version else None
    listing = tpl or (for_year(year) if year and year >= 2019 else None)
    report = Report(unit=unit_from(title), year=year, template=version, title=title, published=None)
    if report.unit:
        report.sources["unit"] = "title"
    if listing is not None:
        tables = read_tables(s, listing, bounds)
        notes += tables.notes
        report.cells = _cells(listing, tables)
        report.tables_found = tables.found
        for t in ("t2", "t3", "t4"):
            if t not in tables.found:
                notes.append(
                    Note(
                        "missing_table", f"未找到{ {'t2': '表二', 't3': '表三', 't4': '表四'}[t] }。", table=t
                    )
                )
    if tpl is None and listing is not None and report.tables_found:
        # Tables 3 and 4 are the same in both formats: with no Table 2 to tell, the year decides.
        report.template = listing.version
        notes.append(
            Note("template_inferred", f"表格未含版本特征，按报告年度推定为 {listing.version} 版格式。")
        )
    elif tpl is None:
        notes.append(Note("no_template", "未识别到官方统计表格式（2019 或 2021 版）。"))
    for h in headings:
        if h.renumbered:
            lost = h.text[:1] in "(（"
            message = (
                f"未见第{h.no}部分的标题，按其首个小标题「{h.text}」认定该部分。"
                if lost
                else f"「{h.text}」编号与规定的「{h.no}、」不符，按标题内容认定为第{h.no}部分。"
            )
            notes.append(Note("section_renumbered", message))
        start, end = bounds[h.key]
        text = _section_text(s, h.end, end)
        report.sections.append(Section(no=h.no, key=h.key, heading=h.text, text=text))
    for sec in report.sections:
        report.facts += extract_facts(sec.key, sec.text)
    _metadata(report, doc, top_lines + lines[:60], lines, list_date, notes)
    report.notes = notes
    return tame_numbers(report)


def _metadata(
    report: Report, doc: Document, head: list[str], lines: list[str], list_date: str | None, notes: list[Note]
) -> None:
    """Unit and publication date by precedence, each with where it was read (`report.sources`).

    The unit: the title, else the 落款. The date: the page's own 发布日期 / 公开日期 / 成文日期,
    else the harvested list entry's date, else the 落款 date (with a note: it is when the report
    was signed, which may be before it was published).
    """
    signature = signature_from(lines)
    if report.unit is None and signature.unit:
        report.unit = signature.unit
        report.sources["unit"] = "signature"
    page = published_from(doc.header_lines + head)
    if page:
        report.published, report.sources["published"] = page, "page"
    elif list_date:
        report.published, report.sources["published"] = list_date, "list"
    elif signature.date:
        report.published, report.sources["published"] = signature.date, "signature"
        notes.append(
            Note(
                "published_from_signature",
                f"页面未显示发布日期，按文末落款日期 {signature.date} 计（落款日期可能早于实际发布日期）。",
            )
        )
