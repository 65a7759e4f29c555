"""The 通报 of one round as a Word document (GB/T 9704 layout as far as python-docx allows), and its
附件1 as XLSX. `compose` gathers every sentence and number from the round tables; the writers
only lay them out, so the page preview and the document say the same thing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from nianbao import rounds, units

# GB/T 9704-2012 in one place: fonts, sizes (号 → pt), A4 margins, line pitch.
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_PAGE = "宋体"
SIZE_TITLE = 22.0  # 二号
SIZE_BODY = 16.0  # 三号
SIZE_PAGE = 14.0  # 四号
SIZE_TABLE = 12.0  # 小四: tables and the annex
SIZE_MASTHEAD = 36.0
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
LINE_PITCH_PT = 28.9  # 22 lines of 28 characters on the type area
RED = (0xC0, 0x00, 0x00)


def cn_date(d: date) -> str:
    """2026年12月15日 (no leading zeros, as official documents write it)."""
    return f"{d.year}年{d.month}月{d.day}日"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}%"


def _score(x: Any) -> str:
    if x is None:
        return "—"
    v = float(x)
    return f"{v:.0f}" if v == round(v) else f"{v:.1f}"


@dataclass
class Block:
    """One element of the notice, in order: a heading, a paragraph or a table."""

    kind: str  # h1 | h2 | p | table
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Notice:
    """Everything the 通报 says, in order, with the numbers behind it."""

    round: int
    closed_on: date
    report_year: int
    issuing_body: str
    doc_number: str
    title: str
    addressees: str
    deadline: date
    deadline_warning: str | None
    body: list[Block]
    annex_header: list[str]
    annex: list[list[str]]
    numbers: dict[str, Any]


def _districts_in_order(names: set[str]) -> list[str]:
    known = units.districts()
    return [d for d in known if d in names] + sorted(n for n in names if n not in known)


Districts = tuple[str, ...] | None  # the districts a reader may see; None: the whole city


def _allowed(row: dict[str, Any], districts: Districts) -> bool:
    return districts is None or row["district"] in districts


def scoped_summary(
    summary: dict[str, Any], units_: list[dict[str, Any]], findings: list[dict[str, Any]]
) -> dict[str, Any]:
    """A round's summary counted over some of its units and findings only, with the same
    definitions as the view round_summary (a test checks that the whole city gives the same)."""
    out = dict(summary)
    passed = sum(u["verdict"] == "合格" for u in units_)
    status = Counter(f["status"] for f in findings)
    out.update(
        units_due=len(units_),
        units_passed=passed,
        pass_rate=round(100.0 * passed / len(units_), 1) if units_ else None,
        new=status["新发现"],
        open=sum(status[s_] for s_ in rounds.OPEN),
        rectified=status["已整改"],
        overdue=status["逾期未整改"],
        not_applicable=status["不再适用"],
        escalated=sum(bool(u["escalated"]) for u in units_),
        newly_failing=sum(u["unit_status"] == "新不合格" for u in units_),
        back_to_pass=sum(u["unit_status"] == "恢复合格" for u in units_),
        dismissed=sum(int(u["dismissed"] or 0) for u in units_),
    )
    return out


def scope_view(view: rounds.RoundView, districts: Districts) -> rounds.RoundView:
    """The part of a round a reader limited to `districts` may see: their units and findings, and
    the summary counted over them (None: the round as it is). The previous round's summary is
    left as it is: `round_view` scopes it."""
    if districts is None:
        return view
    kept_units = [u for u in view.units if _allowed(u, districts)]
    kept_findings = [f for f in view.findings if _allowed(f, districts)]
    summary = scoped_summary(view.summary, kept_units, kept_findings)
    return rounds.RoundView(summary, kept_units, kept_findings, view.previous, view.revisions)


def round_view(
    con: duckdb.DuckDBPyConnection, k: int | None, districts: Districts = None
) -> rounds.RoundView:
    """Round k (default the latest) as a reader limited to `districts` sees it, the previous
    round's summary counted over the same districts."""
    return _previous_scoped(con, scope_view(rounds.show_round(con, k), districts), districts)


def _previous_scoped(
    con: duckdb.DuckDBPyConnection, view: rounds.RoundView, districts: Districts
) -> rounds.RoundView:
    if districts is not None and view.previous is not None:
        view.previous = scope_view(rounds.show_round(con, int(view.previous["round"])), districts).summary
    return view


def round_summaries(con: duckdb.DuckDBPyConnection, districts: Districts = None) -> list[dict[str, Any]]:
    """Every closed round's summary, oldest first, counted over `districts` (None: the city)."""
    listed = rounds.list_rounds(con)
    if districts is None:
        return listed
    return [scope_view(rounds.show_round(con, int(s["round"])), districts).summary for s in listed]


def compose(
    con: duckdb.DuckDBPyConnection,
    k: int | None = None,
    cfg: rounds.RoundConfig | None = None,
    districts: Districts = None,
) -> Notice:
    """The notice of round k (default the latest closed), from the round tables.

    `districts`: a reader limited to some districts (district staff) gets their districts' part of
    the city's notice: their units, findings and annex rows, their counts and their row of the
    city's ranking (with its rank among all districts); no other district's unit is named."""
    cfg = cfg or rounds.load_config()
    full = rounds.show_round(con, k)
    view = _previous_scoped(con, scope_view(full, districts), districts)
    area = "全市" if districts is None else "、".join(districts) or "（无）"
    s, prev = view.summary, view.previous
    k, closed_on, year = view.number, s["closed_on"], int(s["report_year"])
    deadline, warning = s["deadline"], s["deadline_warning"]
    due = view.units
    failing = [u for u in due if u["verdict"] == "不合格"]
    passed = [u for u in due if u["verdict"] == "合格"]
    published = [u for u in due if u["report_id"] is not None]
    open_f = [f for f in view.findings if f["status"] in rounds.OPEN]
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for f in open_f:
        by_unit.setdefault(f["unit_id"], []).append(f)
    numbers: dict[str, Any] = {
        "units_due": len(due),
        "published": len(published),
        "passed": len(passed),
        "failing": len(failing),
        "pass_rate": s["pass_rate"],
        "previous_pass_rate": prev["pass_rate"] if prev else None,
        "open": int(s["open"]),
        "new": int(s["new"]),
        "rectified": int(s["rectified"]),
        "overdue": int(s["overdue"]),
        "not_applicable": int(s["not_applicable"]),
        "escalated": int(s["escalated"]),
    }
    body: list[Block] = []
    if districts is not None:
        body.append(Block("p", f"（本件为第{k}期通报中涉及{area}的部分，只列{area}单位的检查情况。）"))
    body.append(
        Block(
            "p",
            f"按照市政府“两周一通报”检查机制要求，截至{cn_date(closed_on)}，我办对{area}{len(due)}家应发布"
            f"{year}年度政府信息公开工作年度报告的单位进行了第{k}期检查。现将检查情况通报如下。",
        )
    )
    body.append(Block("h1", "一、总体情况"))
    rate = s["pass_rate"]
    if prev is not None and prev["pass_rate"] is not None and rate is not None:
        delta = round(float(rate) - float(prev["pass_rate"]), 1)
        trend = f"较上期（第{prev['round']}期，{_pct(prev['pass_rate'])}）" + (
            f"上升{delta:.1f}个百分点" if delta > 0 else f"下降{-delta:.1f}个百分点" if delta < 0 else "持平"
        )
    else:
        trend = "本期为该年度报告的首次检查"
    body.append(
        Block(
            "p",
            f"本期应发布年度报告单位{len(due)}家，已发布{len(published)}家，未按期发布{len(due) - len(published)}家；"
            f"检查合格{len(passed)}家，不合格{len(failing)}家，合格率{_pct(rate)}，{trend}。"
            f"本期共发现未整改问题{numbers['open']}个，其中新发现{numbers['new']}个。"
            + ("各区县排名如下：" if districts is None else f"{area}在全市各区县中的排名如下："),
        )
    )
    ranking = _ranking(full.units)  # ranked among every district, then only the reader's rows
    ranking.rows = [r for r in ranking.rows if districts is None or r[1] in districts]
    body.append(ranking)

    body.append(Block("h1", "二、存在的主要问题"))
    body.append(Block("h2", "（一）检查不合格的单位"))
    groups: dict[str, list[dict[str, Any]]] = {}
    for u in failing:
        groups.setdefault(u["district"] or "市本级", []).append(u)
    all_districts = _districts_in_order({u["district"] or "市本级" for u in due})
    for d in all_districts:
        units_d = groups.get(d, [])
        if not units_d:
            body.append(Block("p", f"{d}：本期检查的单位均合格。"))
            continue
        parts = []
        for u in units_d:
            probs = by_unit.get(u["unit_id"], [])
            titles = list(dict.fromkeys(f["rule_title"] for f in probs if f["rule_title"]))
            reason = "、".join(titles[:3]) + ("等" if len(titles) > 3 else "") if titles else "得分低于合格线"
            parts.append(f"{u['unit_name'] or u['unit_id']}（{_score(u['score'])}分，{reason}）")
        body.append(Block("p", f"{d}：" + "；".join(parts) + "。"))
    body.append(Block("h2", "（二）问题类别"))
    cats = Counter(f["category"] for f in open_f if f["category"])
    sevs = Counter(f["severity"] for f in open_f if f["severity"])
    numbers["categories"] = dict(cats)
    if cats:
        text = "、".join(f"{c}问题{n}个" for c, n in cats.most_common())
        sev_text = "、".join(f"{s_}{sevs[s_]}个" for s_ in ("否决", "错误", "警告", "提示") if sevs.get(s_))
        body.append(Block("p", f"按类别统计，未整改问题中{text}；按严重程度，{sev_text}。"))
    else:
        body.append(Block("p", "本期未发现未整改的问题。"))

    body.append(Block("h1", "三、整改情况"))
    if prev is not None:
        na = numbers["not_applicable"]
        body.append(
            Block(
                "p",
                f"上期通报的问题中，本期已整改{numbers['rectified']}个，逾期未整改{numbers['overdue']}个。"
                + (f"另有{na}个问题因检查规则调整或重新解析不再适用，不计入整改数。" if na else ""),
            )
        )
    else:
        body.append(Block("p", f"本期为首次通报，所列问题的整改时限为{cn_date(deadline)}。"))
    escalated = [u for u in due if u["escalated"]]
    n = cfg.consecutive
    if escalated:
        names = "、".join(u["unit_name"] or u["unit_id"] for u in escalated)
        body.append(
            Block(
                "p",
                f"{names}已连续{n}期（含本期）检查不合格，现予以重点通报。请上述单位主要负责同志亲自督办，"
                "逐项整改并书面说明未按期整改的原因。",
            )
        )
    else:
        body.append(Block("p", f"本期没有连续{n}期检查不合格的单位。"))

    body.append(Block("h1", "四、表现较好的单位"))
    if passed:
        top = sorted(passed, key=lambda u: (-(u["score"] or 0), u["unit_id"]))[: cfg.praise_top]
        tops = "、".join(f"{u['unit_name'] or u['unit_id']}（{_score(u['score'])}分）" for u in top)
        body.append(
            Block(
                "p",
                f"本期检查合格的单位共{len(passed)}家，予以通报表扬。其中得分较高的有：{tops}。"
                "合格单位名单见附件2。",
            )
        )
    else:
        body.append(Block("p", "本期没有检查合格的单位。"))

    body.append(Block("h1", "五、工作要求"))
    body.append(
        Block(
            "p",
            f"（一）限期整改。请被通报单位对照附件1逐项整改，本期新发现的问题于{cn_date(deadline)}前完成整改，"
            + ("逾期未整改的问题立即整改，" if numbers["overdue"] else "")
            + "整改后的年度报告应在原发布栏目重新发布，并将整改情况报送市政府信息与政务公开办公室。",
        )
    )
    body.append(
        Block(
            "p",
            "（二）压实责任。各区县人民政府要加强对本辖区单位的指导和督促，逾期未整改的，将在下期通报中予以重点通报。",
        )
    )
    body.append(
        Block(
            "p",
            "（三）举一反三。未被通报的单位要对照本通报开展自查，确保年度报告内容完整、数据准确、按时发布。",
        )
    )

    annex = [
        [
            str(i),
            f["district"] or "市本级",
            f["unit_id"] or "",
            f["message"] or f["rule_title"] or "",
            f["location"] or "",
            cn_date(f["deadline"]) if f["deadline"] else "",
        ]
        for i, f in enumerate(open_f, 1)
    ]
    numbers["praised"] = [u["unit_id"] for u in passed]
    return Notice(
        round=k,
        closed_on=closed_on,
        report_year=year,
        issuing_body=cfg.issuing_body,
        doc_number=cfg.number(k, closed_on),
        title=f"关于{year}年度政府信息公开工作年度报告第{k}期检查情况的通报"
        + ("" if districts is None else f"（{area}部分）"),
        addressees=cfg.addressees + "：",
        deadline=deadline,
        deadline_warning=warning,
        body=body,
        annex_header=["序号", "区县", "单位", "问题", "位置", "整改期限"],
        annex=annex,
        numbers=numbers,
    )


def _ranking(due: list[dict[str, Any]]) -> Block:
    """Districts ranked by their units' average score in the round."""
    agg: dict[str, list[dict[str, Any]]] = {}
    for u in due:
        agg.setdefault(u["district"] or "市本级", []).append(u)
    stats = []
    for d, us in agg.items():
        scores = [float(u["score"] or 0) for u in us]
        ok = sum(u["verdict"] == "合格" for u in us)
        stats.append((d, len(us), ok, 100.0 * ok / len(us), sum(scores) / len(scores)))
    stats.sort(key=lambda t: (-t[4], -t[3], t[0]))
    rows, rank, last = [], 0, None
    for i, (d, n, ok, rate, avg) in enumerate(stats, 1):
        if (round(avg, 1), round(rate, 1)) != last:
            rank, last = i, (round(avg, 1), round(rate, 1))
        rows.append([str(rank), d, str(n), str(ok), f"{rate:.1f}%", f"{avg:.1f}"])
    return Block("table", header=["排名", "区县", "应报单位", "合格", "合格率", "平均分"], rows=rows)


# ---- the Word document ----------------------------------------------------------------------


def _fonts(
    run: Any, font: str, size: float, *, bold: bool = False, color: tuple[int, int, int] | None = None
) -> None:
    """Set a run's font for Latin and East Asian text (w:eastAsia), even when the font is not installed."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor(*color)
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)


def _para(
    doc: Any, text: str, font: str, size: float, *, align: str = "justify", indent: bool = True, **kw: Any
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(max(LINE_PITCH_PT, size * 1.25))
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # 首行缩进两字
    if text:
        _fonts(p.add_run(text), font, size, **kw)
    return p


def _page_number_footer(section: Any) -> None:
    """“— 1 —” centred at the foot: a PAGE field between two em dashes (4号宋体)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(p.add_run("— "), FONT_PAGE, SIZE_PAGE)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = p.add_run()
        _fonts(run, FONT_PAGE, SIZE_PAGE)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text or ""
    _fonts(p.add_run(" —"), FONT_PAGE, SIZE_PAGE)


def _red_rule(paragraph: Any) -> None:
    """The red separator line under the masthead (a paragraph bottom border)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._element.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", "C00000")):
        bottom.set(qn(k), v)
    border.append(bottom)
    ppr.append(border)


def _table(doc: Any, header: list[str], rows: list[list[str]]) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(para.add_run(text), FONT_H1, SIZE_TABLE)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            para = cell.paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            _fonts(para.add_run(text), FONT_BODY, SIZE_TABLE)
    return table


def write_docx(notice: Notice, out: str | Path | Any) -> None:
    """Lay the notice out as a .docx file."""
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.shared import Mm, Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT_BODY
    normal.font.size = Pt(SIZE_BODY)
    from docx.oxml.ns import qn

    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_BODY)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    sec.footer_distance = Mm(20)
    _page_number_footer(sec)

    _para(
        doc, notice.issuing_body + "文件", FONT_TITLE, SIZE_MASTHEAD, align="center", indent=False, color=RED
    )
    _para(doc, "", FONT_BODY, SIZE_BODY, indent=False)
    number = _para(doc, notice.doc_number, FONT_BODY, SIZE_BODY, align="center", indent=False)
    _red_rule(number)
    _para(doc, "", FONT_BODY, SIZE_BODY, indent=False)
    _para(doc, notice.title, FONT_TITLE, SIZE_TITLE, align="center", indent=False)
    _para(doc, "", FONT_BODY, SIZE_BODY, indent=False)
    _para(doc, notice.addressees, FONT_BODY, SIZE_BODY, align="left", indent=False)
    for block in notice.body:
        if block.kind == "h1":
            _para(doc, block.text, FONT_H1, SIZE_BODY)
        elif block.kind == "h2":
            _para(doc, block.text, FONT_H2, SIZE_BODY)
        elif block.kind == "table":
            _table(doc, block.header, block.rows)
        else:
            _para(doc, block.text, FONT_BODY, SIZE_BODY)
    if notice.deadline_warning:
        _para(doc, f"（注：{notice.deadline_warning}）", FONT_BODY, SIZE_BODY)
    _para(doc, "", FONT_BODY, SIZE_BODY)
    _para(doc, "附件：1.未整改问题清单", FONT_BODY, SIZE_BODY)
    _para(doc, "2.检查合格单位名单", FONT_BODY, SIZE_BODY).paragraph_format.first_line_indent = Pt(
        SIZE_BODY * 5
    )
    _para(doc, "", FONT_BODY, SIZE_BODY)
    _para(doc, notice.issuing_body, FONT_BODY, SIZE_BODY, align="right", indent=False)
    _para(doc, cn_date(notice.closed_on), FONT_BODY, SIZE_BODY, align="right", indent=False)

    annex = doc.add_section(WD_SECTION.NEW_PAGE)
    annex.footer.is_linked_to_previous = True
    _para(doc, "附件1", FONT_H1, SIZE_BODY, align="left", indent=False)
    _para(doc, f"第{notice.round}期未整改问题清单", FONT_TITLE, SIZE_TITLE, align="center", indent=False)
    if notice.annex:
        _table(doc, notice.annex_header, notice.annex)
    else:
        _para(doc, "本期没有未整改的问题。", FONT_BODY, SIZE_BODY)
    _para(doc, "", FONT_BODY, SIZE_BODY)
    _para(doc, "附件2", FONT_H1, SIZE_BODY, align="left", indent=False)
    _para(doc, f"第{notice.round}期检查合格单位名单", FONT_TITLE, SIZE_TITLE, align="center", indent=False)
    praised = notice.numbers["praised"]
    if praised:
        _para(doc, "、".join(praised) + "。", FONT_BODY, SIZE_BODY)
    else:
        _para(doc, "本期没有检查合格的单位。", FONT_BODY, SIZE_BODY)
    doc.save(str(out) if isinstance(out, str | Path) else out)  # a path or a binary stream


def docx_bytes(notice: Notice) -> bytes:
    """The .docx file as bytes (for a download button)."""
    import io

    buf = io.BytesIO()
    write_docx(notice, buf)
    return buf.getvalue()


def write_annex_xlsx(notice: Notice, out: Any) -> None:
    """附件1 as an XLSX workbook in the issue-list style (bold frozen header, widths to fit)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from nianbao.export.findings import _width

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "附件1"
    ws.append(notice.annex_header)
    for row in notice.annex:
        ws.append([int(row[0]), *row[1:]])
    ws.freeze_panes = "A2"
    for c in ws[1]:
        c.font = Font(bold=True)
    for col in ws.columns:
        letter = col[0].column_letter
        longest = max(_width(str(c.value)) if c.value is not None else 0 for c in col)
        ws.column_dimensions[letter].width = min(max(6, longest + 2), 80)
        for c in col[1:]:
            c.alignment = Alignment(wrap_text=longest > 80, vertical="top")
    wb.save(out)


def annex_xlsx_bytes(notice: Notice) -> bytes:
    """The annex workbook as bytes."""
    import io

    buf = io.BytesIO()
    write_annex_xlsx(notice, buf)
    return buf.getvalue()
