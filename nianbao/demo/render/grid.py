"""The three statistics tables of one report as span tables (cells with rowspan / colspan).

Every renderer starts from the same span table: HTML writes it as is, DOCX and PDF expand it
to a grid plus merge ranges, and the Word-dump text writes each row's cells the way Word's
"save as text" does (a horizontally merged cell once, a vertically merged one as an empty cell).
"""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.demo.spec import DemoReport
from nianbao.templates import Template, template

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_ORGS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T4_PARTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


@dataclass(frozen=True)
class Span:
    """One table cell as written: its text (lines joined by '\\n') and its spans."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


SpanTable = list[list[Span]]


@dataclass
class Grid:
    """A span table expanded: the owner of every slot and the merge ranges."""

    table: SpanTable
    nrows: int
    ncols: int
    owner: list[list[tuple[int, int]]]  # slot -> (row, col) of the cell that covers it
    spans: dict[tuple[int, int], Span]  # origin slot -> cell

    def texts(self) -> list[list[str]]:
        """The full grid: a cell's text at its origin, '' in the slots it covers."""
        out = [[""] * self.ncols for _ in range(self.nrows)]
        for (r, c), span in self.spans.items():
            out[r][c] = span.text
        return out

    def merges(self) -> list[tuple[int, int, int, int]]:
        """(row0, col0, row1, col1), inclusive, for every cell spanning more than one slot."""
        return [
            (r, c, r + s.rowspan - 1, c + s.colspan - 1)
            for (r, c), s in self.spans.items()
            if s.rowspan > 1 or s.colspan > 1
        ]

    def dump_rows(self) -> list[list[str]]:
        """Rows as Word's text export writes them."""
        rows: list[list[str]] = []
        for r in range(self.nrows):
            row: list[str] = []
            for c in range(self.ncols):
                o = self.owner[r][c]
                if o == (r, c):
                    row.append(self.spans[o].text)
                elif o[0] < r and o[1] == c:
                    row.append("")
            rows.append(row)
        return rows


def expand(table: SpanTable) -> Grid:
    """Lay the cells out the way a browser does."""
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    spans: dict[tuple[int, int], Span] = {}
    ncols = 0
    for r, row in enumerate(table):
        c = 0
        for span in row:
            while (r, c) in owner:
                c += 1
            spans[(r, c)] = span
            for dr in range(span.rowspan):
                for dc in range(span.colspan):
                    owner[(r + dr, c + dc)] = (r, c)
            c += span.colspan
            ncols = max(ncols, c)
    nrows = len(table)
    grid = [[owner.get((r, c), (r, c)) for c in range(ncols)] for r in range(nrows)]
    for r in range(nrows):
        for c in range(ncols):
            if (r, c) not in owner:
                spans[(r, c)] = Span("")
    return Grid(table, nrows, ncols, grid, spans)


def _wrap(label: str, split: bool) -> str:
    """Some sites break long headers over two lines: 本年新\\n制作数量."""
    if split and len(label) >= 6 and "（" not in label:
        return label[:3] + "\n" + label[3:]
    return label


def table2(report: DemoReport, tpl: Template) -> SpanTable:
    """Table 2: one 4-column table of blocks; a block with fewer columns spans its last cell."""
    split = report.variant % 3 == 1
    rows: SpanTable = []
    for block in tpl.t2_blocks:
        n = len(block.columns)
        last = 3 - (n - 1)
        rows.append([Span(block.label, colspan=4, header=True)])
        head = [Span("信息内容", header=True)]
        for i, col in enumerate(block.columns):
            head.append(Span(_wrap(col.label, split), colspan=last if i == n - 1 else 1, header=True))
        rows.append(head)
        for r in block.rows:
            line = [Span(r.label, header=True)]
            for i, col in enumerate(block.columns):
                line.append(Span(report.cells[("t2", r.key, col.key)], colspan=last if i == n - 1 else 1))
            rows.append(line)
    return rows


def table3(report: DemoReport, tpl: Template) -> SpanTable:
    """Table 3 with its three header rows and nested row labels in three label columns."""
    cols = [c.key for c in tpl.t3_columns]
    rows: SpanTable = [
        [Span(T3_NOTE, rowspan=3, colspan=3, header=True), Span("申请人情况", colspan=7, header=True)],
        [
            Span("自然人", rowspan=2, header=True),
            Span("法人或其他组织", colspan=5, header=True),
            Span("总计", rowspan=2, header=True),
        ],
        [Span(o, header=True) for o in T3_ORGS],
    ]
    outer = {"new", "carried_in", "carried_out"}
    outcome = [r for r in tpl.t3_rows if r.key not in outer]
    groups: dict[str, int] = {}
    for r in outcome:
        parts = r.label.split("/")
        if len(parts) > 1:
            groups[parts[0]] = groups.get(parts[0], 0) + 1
    first_outcome = True
    seen: set[str] = set()
    for r in tpl.t3_rows:
        vals = [Span(report.cells[("t3", r.key, c)]) for c in cols]
        if r.key in outer:
            rows.append([Span(r.label, colspan=3, header=True), *vals])
            continue
        line: list[Span] = []
        if first_outcome:
            line.append(Span("三、本年度办理结果", rowspan=len(outcome), header=True))
            first_outcome = False
        parts = r.label.split("/")
        if len(parts) == 1:
            line.append(Span(parts[0], colspan=2, header=True))
        else:
            if parts[0] not in seen:
                seen.add(parts[0])
                line.append(Span(parts[0], rowspan=groups[parts[0]], header=True))
            line.append(Span(parts[1], header=True))
        rows.append(line + vals)
    return rows


def table4(report: DemoReport, tpl: Template) -> SpanTable:
    """Table 4: 行政复议 (5 columns) and 行政诉讼 (two groups of 5), one row of values."""
    return [
        [Span("行政复议", colspan=5, header=True), Span("行政诉讼", colspan=10, header=True)],
        [Span(p, rowspan=2, header=True) for p in T4_PARTS]
        + [Span("未经复议直接起诉", colspan=5, header=True), Span("复议后起诉", colspan=5, header=True)],
        [Span(p, header=True) for p in T4_PARTS * 2],
        [Span(report.cells[("t4", "cases", c.key)]) for c in tpl.t4_columns],
    ]


def tables(report: DemoReport) -> dict[str, SpanTable]:
    """The report's three tables, in the template its tables are written in."""
    tpl = template(report.version)
    return {"t2": table2(report, tpl), "t3": table3(report, tpl), "t4": table4(report, tpl)}
