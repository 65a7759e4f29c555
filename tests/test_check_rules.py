"""Every rule fires on a minimally broken report built in code, and is silent once the break is fixed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from checkkit import fact, make_report, open_store, put, rows, rule_ids, section, store

from nianbao.catalog import set_setting
from nianbao.checks import check_reports
from nianbao.model import Note, Report


@dataclass
class Case:
    """A rule, and a way to build its broken (and fixed) input: reports to store, the last one checked."""

    rule: str
    build: Callable[[bool], list[Report]]
    settings: dict[str, str] = field(default_factory=dict)


def single(mutate: Callable[[Report], None], **kw: object) -> Callable[[bool], list[Report]]:
    def build(broken: bool) -> list[Report]:
        r = make_report(**kw)  # type: ignore[arg-type]
        if broken:
            mutate(r)
        return [r]

    return build


def t3_consistent(r: Report, n: int = 26) -> None:
    for row in ("new", "r1_disclosed", "r7_total"):
        put(r, "t3", row, "natural", str(n))
        put(r, "t3", row, "total", str(n))


def lbl_3(r: Report) -> None:
    put(r, "t4", "cases", "review_upheld", "2")


def cs_2(r: Report) -> None:
    put(r, "t2", "normative", "issued", "5")
    put(r, "t2", "normative", "in_force", "2")


def cs_3(r: Report) -> None:
    put(r, "t2", "normative", "published", "5")
    put(r, "t2", "normative", "total", "3")
    put(r, "t2", "normative", "made", "5")


def remove_section(key: str) -> Callable[[Report], None]:
    def go(r: Report) -> None:
        r.sections = [s for s in r.sections if s.key != key]

    return go


def drop_table(tbl: str) -> Callable[[Report], None]:
    def go(r: Report) -> None:
        r.tables_found = [t for t in r.tables_found if t != tbl]
        for c in r.cells:
            if c.table == tbl:
                c.raw, c.value, c.state = "", None, "missing"

    return go


def headers_only(r: Report) -> None:
    for c in r.cells:
        if c.table == "t4":
            c.raw, c.value, c.state = "", None, "blank"


def cross_year(
    mutate_now: Callable[[Report], None], version: str = "2019", years: tuple[int, int] = (2019, 2020)
):
    def build(broken: bool) -> list[Report]:
        prev = make_report(version, years[0], published=f"{years[0] + 1}-01-15")
        now = make_report(version, years[1], published=f"{years[1] + 1}-01-15")
        prev.sections[0].text = "去年的总体情况：" + "甲乙丙丁戊己庚辛" * 5
        now.sections[0].text = "今年的总体情况：" + "子丑寅卯辰巳午未" * 5
        section(now, "problems").text = "今年的问题：人员变动频繁，新进人员需要培训。改进：建立岗位手册。"
        if broken:
            mutate_now(now)
        # the previous year may need values of its own
        if mutate_now is xy_1:
            put(prev, "t3", "new", "natural", "2")
            put(prev, "t3", "new", "total", "2")
            put(prev, "t3", "carried_out", "natural", "2")
            put(prev, "t3", "carried_out", "total", "2")
            put(now, "t3", "carried_in", "natural", "2" if not broken else "0")
            put(now, "t3", "carried_in", "total", "2" if not broken else "0")
            put(now, "t3", "r1_disclosed", "natural", "2" if not broken else "0")
            put(now, "t3", "r1_disclosed", "total", "2" if not broken else "0")
            put(now, "t3", "r7_total", "natural", "2" if not broken else "0")
            put(now, "t3", "r7_total", "total", "2" if not broken else "0")
        if mutate_now is xy_2:
            put(prev, "t2", "normative", "in_force", "10")
            put(now, "t2", "normative", "issued", "3")
            put(now, "t2", "normative", "in_force", "13" if not broken else "20")
        if mutate_now is xy_3:
            put(prev, "t2", "licensing", "prev_items", "40")
            put(prev, "t2", "licensing", "change", "-2", -2.0, "number")
            put(now, "t2", "licensing", "prev_items", "38" if not broken else "40")
        if mutate_now is cs_9:
            now.sections[0].text = prev.sections[0].text if broken else now.sections[0].text
        return [prev, now]

    return build


def xy_1(r: Report) -> None:
    """Values are set in cross_year."""


def xy_2(r: Report) -> None:
    """Values are set in cross_year."""


def xy_3(r: Report) -> None:
    """Values are set in cross_year."""


def cs_9(r: Report) -> None:
    """The copy is made in cross_year."""


def copied_tables(broken: bool) -> list[Report]:
    """Two years of one unit: the same stock (现行有效件数) both years; the flows copied only when broken."""
    prev = make_report("2021", 2021, published="2022-03-01")
    now = make_report("2021", 2022, published="2023-03-01")
    prev.sections[0].text = "去年的总体情况：" + "甲乙丙丁戊己庚辛" * 5
    now.sections[0].text = "今年的总体情况：" + "子丑寅卯辰巳午未" * 5
    section(now, "problems").text = "今年的问题：人员变动频繁，新进人员需要培训。改进：建立岗位手册。"
    for r in (prev, now):
        put(r, "t2", "normative", "in_force", "10")
    if broken:
        for r in (prev, now):
            put(r, "t2", "licensing", "decisions", "12")
            put(r, "t2", "penalty", "decisions", "30")
            put(r, "t2", "enforcement", "decisions", "4")
    return [prev, now]


def carried(r: Report) -> None:
    """Table 3 with 2 applications carried in from last year and 1 carried over to next year."""
    for col in ("natural", "total"):
        put(r, "t3", "new", col, "1")
        put(r, "t3", "carried_in", col, "2")
        put(r, "t3", "r1_disclosed", col, "2")
        put(r, "t3", "r7_total", col, "2")
        put(r, "t3", "carried_out", col, "1")


def t4_cases(r: Report) -> None:
    """Table 4: two reviews (one upheld, one corrected) and one lawsuit still pending."""
    for col, v in (
        ("review_upheld", "1"),
        ("review_corrected", "1"),
        ("review_total", "2"),
        ("direct_pending", "1"),
        ("direct_total", "1"),
    ):
        put(r, "t4", "cases", col, v)


def no_report(broken: bool) -> list[Report]:
    # 城东区人民政府 is registered by configuration; with as_of past its deadline it must have a report.
    other = make_report(unit="西宁市城中区人民政府")
    reports = [other]
    if not broken:
        reports.append(make_report(unit="西宁市城东区人民政府"))
    return reports


def suspect(r: Report) -> None:
    t3_consistent(r)
    put(r, "t3", "r7_total", "natural", "20")


def suspect_fixed(broken: bool) -> list[Report]:
    r = make_report()
    t3_consistent(r)
    if broken:
        put(r, "t3", "r7_total", "natural", "20")
    return [r]


def itemised(r: Report) -> None:
    s = "公开新闻100条、通知公告50条，共发布信息160条。"
    fact(r, "overview", "other", "新闻", 100, unit="条", sentence=s, position=4)
    fact(r, "overview", "other", "通知公告", 50, unit="条", sentence=s, position=12)
    fact(
        r,
        "overview",
        "proactive_published",
        "发布信息",
        160,
        unit="条",
        sentence=s,
        position=22,
        role="total",
    )


def itemised_fixed(broken: bool) -> list[Report]:
    r = make_report()
    itemised(r)
    if not broken:
        r.facts[-1].value = 150
    return [r]


def history_jump(broken: bool) -> list[Report]:
    prev = make_report("2019", 2019, published="2020-01-15")
    now = make_report("2019", 2020, published="2021-01-15")
    put(prev, "t2", "licensing", "decisions", "12")
    put(now, "t2", "licensing", "decisions", "150" if broken else "30")
    return [prev, now]


TOWNS = (
    "总寨镇",
    "南川东路街道办事处",
    "人民街街道办事处",
    "礼让街街道办事处",
    "饮马街街道办事处",
    "仓门街街道办事处",
)


def peer_outlier(broken: bool) -> list[Report]:
    peers = []
    for i, town in enumerate(TOWNS[1:]):
        r = make_report("2021", 2021, unit=f"西宁市城中区{town}", published="2022-01-20")
        put(r, "t2", "licensing", "decisions", str(10 + 3 * i))
        peers.append(r)
    checked = make_report("2021", 2021, unit=f"西宁市城中区{TOWNS[0]}", published="2022-01-20")
    put(checked, "t2", "licensing", "decisions", "2910" if broken else "25")
    return [*peers, checked]


def itemised_after(broken: bool) -> list[Report]:
    from nianbao.recognize.facts import extract_facts

    r = make_report()
    total = 140 if broken else 160  # 100 + 50 items may leave some out, but not exceed the total
    r.facts = extract_facts("overview", f"全年共发布信息{total}条，其中新闻100条、通知公告50条。")
    return [r]


def narrative(
    broken_text: str,
    fixed_text: str,
    key: str = "overview",
    prepare: Callable[[Report], None] | None = None,
) -> Callable[[bool], list[Report]]:
    """A report whose section's facts are read from one text (broken or fixed); `prepare` sets its cells."""

    def build(broken: bool) -> list[Report]:
        from nianbao.recognize.facts import extract_facts

        r = make_report()
        if prepare:
            prepare(r)
        text = broken_text if broken else fixed_text
        r.facts = extract_facts(key, text)
        section(r, key).text = text
        return [r]

    return build


CASES: dict[str, Case] = {
    "OFF-1 一+二 ≠ （七）总计+四 in one column": Case(
        "OFF-1",
        single(
            lambda r: (put(r, "t3", "carried_out", "natural", "3"), put(r, "t3", "carried_out", "total", "3"))
        ),
    ),
    "LBL-1 a row's 总计 is not the sum of the applicants": Case(
        "LBL-1", single(lambda r: put(r, "t3", "r5_2", "total", "4"))
    ),
    "LBL-2 （七）总计 is not the sum of the outcomes": Case(
        "LBL-2", single(lambda r: (put(r, "t3", "r3_1", "natural", "1"), put(r, "t3", "r3_1", "total", "1")))
    ),
    "LBL-2 counts the three （六） sub-rows of the 2021 format": Case(
        "LBL-2",
        single(
            lambda r: (put(r, "t3", "r6_2", "legal", "1"), put(r, "t3", "r6_2", "total", "1")),
            version="2021",
            year=2022,
            published="2023-03-01",
        ),
    ),
    "LBL-3 a Table 4 group's 总计 is not the sum of its results": Case("LBL-3", single(lbl_3)),
    "LBL-4 a count is negative": Case(
        "LBL-4", single(lambda r: put(r, "t2", "penalty", "decisions", "-1", -1.0, "number"))
    ),
    "LBL-4 a count is not a whole number": Case(
        "LBL-4", single(lambda r: put(r, "t2", "licensing", "decisions", "2.5", 2.5, "number"))
    ),
    "SUS-1 points at the one cell that fixes every failed identity": Case("SUS-1", suspect_fixed),
    "CS-1 a required cell is blank": Case("CS-1", single(lambda r: put(r, "t3", "r4_2", "commercial", ""))),
    "CS-1 a dash is not a number": Case(
        "CS-1", single(lambda r: put(r, "t2", "rules", "made", "-", None, "dash"))
    ),
    "SEC-1 a section is missing": Case("SEC-1", single(remove_section("problems"))),
    "TBL-1 Table 3 is missing (veto)": Case("TBL-1", single(drop_table("t3"))),
    "TBL-2 Table 4 is missing": Case("TBL-2", single(drop_table("t4"))),
    "TBL-3 a table has headers only": Case("TBL-3", single(headers_only)),
    "META-1 the title is missing": Case("META-1", single(lambda r: setattr(r, "title", None))),
    "TIME-1 a government report published after 31 March": Case(
        "TIME-1", single(lambda r: setattr(r, "published", "2021-04-02"))
    ),
    "TIME-1 a department report published after 31 January": Case(
        "TIME-1",
        single(
            lambda r: setattr(r, "published", "2021-02-01"), unit="西宁市城中区民政局", published="2021-01-31"
        ),
    ),
    "TIME-1 a zone's report published after its locally set deadline": Case(
        "TIME-1",
        single(lambda r: setattr(r, "published", "2021-04-02"), unit="平潭综合实验区（管委会）"),
    ),
    "TIME-1 a bare district name is the district government, due 31 March": Case(
        "TIME-1",
        single(lambda r: setattr(r, "published", "2021-04-01"), unit="西宁市城中区", published="2021-03-20"),
    ),
    "KIND-1 a unit whose kind cannot be told from its name": Case(
        "KIND-1",
        single(
            lambda r: setattr(r, "unit", "西宁市某某有限公司"),
            unit="西宁市城中区民政局",
            published="2021-01-20",
        ),
    ),
    "TIME-2 a registered unit has no report after its deadline": Case(
        "TIME-2", no_report, {"timeliness.as_of": "2021-06-01"}
    ),
    "TIME-3 the publication date is unknown": Case("TIME-3", single(lambda r: setattr(r, "published", None))),
    "CS-2 2021 format: 本年制发 > 现行有效 + 本年废止": Case(
        "CS-2", single(cs_2, version="2021", year=2022, published="2023-03-01")
    ),
    "CS-3 2019 format: 本年新公开 > 对外公开总数量": Case("CS-3", single(cs_3)),
    "CS-3B 2019 format: 本年新公开 > 本年新制作 (soft)": Case(
        "CS-3B",
        single(
            lambda r: (
                put(r, "t2", "normative", "made", "2"),
                put(r, "t2", "normative", "published", "3"),
                put(r, "t2", "normative", "total", "10"),
            )
        ),
    ),
    "CS-4 a unit written into an amount cell": Case(
        "CS-4", single(lambda r: put(r, "t2", "procurement", "proc_amount", "10.22亿", 10.22, "unit"))
    ),
    "CS-4 a 万元 fee that looks like yuan": Case(
        "CS-4",
        single(
            lambda r: put(r, "t2", "fees", "fee_amount", "86000", 86000.0, "number"),
            version="2021",
            year=2022,
            unit="西宁市城中区总寨镇",
            published="2023-03-01",
        ),
    ),
    "CS-5 the narrative's application count matches nothing in Table 3": Case(
        "CS-5", single(lambda r: fact(r, "overview", "applications_received", "收到政府信息公开申请", 8))
    ),
    "CS-5 the narrative's 上年结转 differs from Table 3 二": Case(
        "CS-5",
        narrative(
            "本年度上年结转政府信息公开申请3件。", "本年度上年结转政府信息公开申请2件。", prepare=carried
        ),
    ),
    "CS-5 the narrative's 结转下年度 differs from Table 3 四": Case(
        "CS-5",
        narrative(
            "本年度收到政府信息公开申请1件，结转下年度继续办理2件。",
            "本年度收到政府信息公开申请1件，结转下年度继续办理1件。",
            prepare=carried,
        ),
    ),
    "CS-5 the narrative's 办结 count matches nothing in Table 3": Case(
        "CS-5",
        narrative(
            "本年度办结政府信息公开申请25件。", "本年度办结政府信息公开申请26件。", prepare=t3_consistent
        ),
    ),
    "CS-6 the narrative states the applications received twice, differently": Case(
        "CS-6",
        single(
            lambda r: (
                fact(r, "overview", "applications_received", "收到申请", 0, position=1),
                fact(r, "requests", "applications_received", "共收到申请", 3, position=2),
            )
        ),
    ),
    "NAR-1 itemised counts do not add up to the stated total": Case("NAR-1", itemised_fixed),
    "NAR-1 共X条，其中A条、B条 with items adding up to more than X": Case("NAR-1", itemised_after),
    "NAR-1 an item's bracketed parts are not items of the list, and cannot exceed the item": Case(
        "NAR-1",
        narrative(
            "发布新闻100条（其中图片新闻80条、视频新闻50条）、通知公告50条，共发布信息150条。",
            "发布新闻100条（其中图片新闻30条、视频新闻20条）、通知公告50条，共发布信息150条。",
        ),
    ),
    "NAR-1 a list that ends with 其他 must add up exactly": Case(
        "NAR-1",
        narrative(
            "全年共发布信息160条，其中新闻100条、通知公告50条、其他信息5条。",
            "全年共发布信息160条，其中新闻100条、通知公告50条、其他信息10条。",
        ),
    ),
    "NAR-2 a number is left blank in the narrative": Case(
        "NAR-2", single(lambda r: fact(r, "overview", "proactive_published", "主动公开信息", None, unit="条"))
    ),
    "NAR-3 a number is hedged with 预计": Case(
        "NAR-3",
        single(
            lambda r: fact(
                r,
                "overview",
                "proactive_published",
                "发布信息",
                460,
                unit="条",
                role="total",
                qualifier="预计",
            )
        ),
    ),
    "CS-7 Table 4 has cases but section 四 says none happened": Case(
        "CS-7",
        single(
            lambda r: (
                put(r, "t4", "cases", "review_upheld", "1"),
                put(r, "t4", "cases", "review_total", "1"),
            )
        ),
    ),
    "CS-7 section 四 counts other reviews than Table 4": Case(
        "CS-7",
        narrative(
            "本年度发生政府信息公开行政复议案件3件，行政诉讼案件1件。",
            "本年度发生政府信息公开行政复议案件2件，行政诉讼案件1件。",
            key="appeals",
            prepare=t4_cases,
        ),
    ),
    "CS-7 section 四 counts other lawsuits than Table 4": Case(
        "CS-7",
        narrative(
            "本年度发生政府信息公开行政复议案件2件，行政诉讼案件2件。",
            "本年度发生政府信息公开行政复议案件2件，行政诉讼案件1件。",
            key="appeals",
            prepare=t4_cases,
        ),
    ),
    "CS-7 section 四 says 均获维持 but Table 4 has a correction or a pending case": Case(
        "CS-7",
        narrative(
            "本年度发生政府信息公开行政复议案件2件，行政诉讼案件1件，均获维持。",
            "本年度发生政府信息公开行政复议案件2件，其中维持1件、纠正1件；行政诉讼案件1件，尚未审结。",
            key="appeals",
            prepare=t4_cases,
        ),
    ),
    "CS-8 section 五 just says 无": Case(
        "CS-8", single(lambda r: setattr(section(r, "problems"), "text", "无。"))
    ),
    "CS-9 section 一 copied from last year": Case("CS-9", cross_year(cs_9)),
    "CS-9 Tables 2–4 repeat last year's non-zero flow numbers (a repeated stock is not copying)": Case(
        "CS-9", copied_tables
    ),
    "CS-10 2021 format: section 六 does not mention 信息处理费": Case(
        "CS-10",
        single(
            lambda r: setattr(section(r, "other"), "text", "无。"),
            version="2021",
            year=2022,
            published="2023-03-01",
        ),
    ),
    "CS-11 the title names another year": Case(
        "CS-11", single(lambda r: setattr(r, "title", "西宁市城中区人民政府2019年政府信息公开工作年度报告"))
    ),
    "CS-11 a date typo 202020年": Case(
        "CS-11",
        single(
            lambda r: setattr(
                section(r, "overview"), "text", TEXT_OVERVIEW + "统计期限为2020年1月1日至202020年12月31日。"
            )
        ),
    ),
    "CS-12 2019 tables in a 2021 report (veto)": Case(
        "CS-12", single(lambda r: setattr(r, "year", 2021), published="2022-03-01")
    ),
    "FMT-1 a 2021 table prints （六）其他处理 as one 2019-shaped row": Case(
        "FMT-1",
        single(
            lambda r: r.notes.append(
                Note(
                    "r6_2019_shape",
                    "表三「（六）其他处理」按 2019 版格式印为一行（0 0 0 0 0 0 0）。",
                    "t3",
                    "r6",
                )
            ),
            version="2021",
            year=2022,
            published="2023-03-01",
        ),
    ),
    "TITLE-1 a non-standard title": Case(
        "TITLE-1", single(lambda r: setattr(r, "title", "西宁市城中区人民政府政务公开2020年度工作报告"))
    ),
    "ART-50 a government report leaves out 工作考核/社会评议/责任追究": Case(
        "ART-50",
        single(
            lambda r: setattr(
                section(r, "overview"),
                "text",
                "本年度主动公开、依申请公开、政府信息管理、平台建设、监督保障情况良好。",
            )
        ),
    ),
    "ART-50 a town's 人民政府 report leaves them out too": Case(
        "ART-50",
        single(
            lambda r: setattr(
                section(r, "overview"),
                "text",
                "本年度主动公开、依申请公开、政府信息管理、平台建设、监督保障情况良好。",
            ),
            unit="西宁市城中区总寨镇人民政府",
        ),
    ),
    "ART-50 reads 考评, 测评 and 问责 as the words they stand for": Case(
        "ART-50",
        narrative(
            "本年度主动公开、依申请公开、政府信息管理、平台建设、监督保障情况良好，开展绩效考评。",
            "本年度主动公开、依申请公开、政府信息管理、平台建设、监督保障情况良好，"
            "开展绩效考评和群众满意度测评，未发生问责情况。",
        ),
    ),
    "CT-1 section 一 covers few of the five topics": Case(
        "CT-1",
        single(
            lambda r: setattr(
                section(r, "overview"), "text", "本年度落实工作考核、社会评议和责任追究，网站发布新闻100条。"
            )
        ),
    ),
    "XY-1 上年结转 differs from last year's 结转下年度": Case("XY-1", cross_year(xy_1)),
    "XY-2 现行有效件数 does not follow from last year": Case("XY-2", cross_year(xy_2, "2021", (2022, 2023))),
    "XY-3 上一年项目数量 does not follow from last year": Case("XY-3", cross_year(xy_3)),
    "PL-1 a town reports 规章": Case(
        "PL-1",
        single(
            lambda r: (
                put(r, "t2", "rules", "made", "1"),
                put(r, "t2", "rules", "published", "1"),
                put(r, "t2", "rules", "total", "1"),
            ),
            unit="西宁市城中区总寨镇",
        ),
    ),
    "PL-1 an impossible 上一年项目数量": Case(
        "PL-1", single(lambda r: put(r, "t2", "licensing", "prev_items", "49469"))
    ),
    "PL-2 a cell more than ten times last year's": Case("PL-2", history_jump),
    "NUM-1 a 39-digit number in a cell is kept as text, with a note": Case(
        "NUM-1", single(lambda r: put(r, "t3", "new", "natural", "9" * 39, float("9" * 39), "number"))
    ),
    "NUM-1 a narrative number of 500 digits is not a fact": Case(
        "NUM-1", single(lambda r: fact(r, "overview", "proactive_published", "发布信息", float("9" * 500)))
    ),
    "PL-3 a town far above the other towns": Case("PL-3", peer_outlier),
}

TEXT_OVERVIEW = make_report().sections[0].text


def _run(tmp_path: Path, case: Case, broken: bool) -> list[str]:
    con, db = open_store(tmp_path)
    try:
        for k, v in case.settings.items():
            set_setting(con, k, v)
        rid = ""
        for r in case.build(broken):
            rid = store(con, db, r)
        if case.rule == "TIME-2":
            found = con.execute(
                "select rule_id from findings where rule_id = 'TIME-2' and unit_id = '城东区人民政府'"
            ).fetchall()
            return [row[0] for row in found]
        return rule_ids(con, rid)
    finally:
        con.close()


@pytest.mark.parametrize("name", list(CASES))
def test_rule_fires_on_the_broken_report(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    assert case.rule in _run(tmp_path / "broken", case, True)


@pytest.mark.parametrize("name", list(CASES))
def test_rule_is_silent_once_the_break_is_fixed(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    assert case.rule not in _run(tmp_path / "fixed", case, False)


def test_a_clean_report_has_no_findings_at_all(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    for r in (make_report(), make_report("2021", 2022, published="2023-03-01")):
        rid = store(con, db, r)
        assert check_reports(con, [rid]) == []
    con.close()


def test_every_catalogued_rule_has_a_fires_and_silent_case() -> None:
    from nianbao.catalog import rules

    # Website rules (scope = "website") have theirs in tests/test_harvest_freshness.py.
    assert {r["rule_id"] for r in rules() if r["scope"] == "report"} == {c.rule for c in CASES.values()}


def test_the_suspect_cell_message_names_the_cell_and_the_fixing_value(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    r = make_report()
    suspect(r)
    rid = store(con, db, r)
    msgs = [f["message"] for f in check_reports(con, [rid]) if f["rule_id"] == "SUS-1"]
    con.close()
    assert msgs == ["疑似填报错误：（七）总计·自然人 应为 26（现为 20），改后 3 个不成立的等式全部成立。"]


def test_no_suspect_cell_is_named_when_two_cells_explain_the_failure_equally(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    r = make_report()
    # A whole row (予以公开 5 and 5) with no matching 一 or （七）: no single cell explains both failures.
    put(r, "t3", "r1_disclosed", "natural", "5")
    put(r, "t3", "r1_disclosed", "total", "5")
    rid = store(con, db, r)
    found = rule_ids(con, rid)
    con.close()
    assert "LBL-2" in found and "SUS-1" not in found


def test_the_off_1_message_carries_both_sides(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    r = make_report()
    put(r, "t3", "carried_out", "natural", "3")
    rid = store(con, db, r)
    msgs = [f["message"] for f in check_reports(con, [rid]) if f["rule_id"] == "OFF-1"]
    con.close()
    assert msgs == ["表三·自然人列：一+二 = 0，（七）总计+四 = 3，不相等（相差 3）。"]


def test_cs_5_ignores_counts_that_are_not_the_total_received(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    r = make_report()
    t3_consistent(r, 42)
    # "法人或其他组\n织申请11件": a line break cut the label; it is not the number received.
    fact(r, "overview", "applications_received", "织申请", 11)
    fact(r, "overview", "applications_received", "收到政府信息公开申请", 42)
    rid = store(con, db, r)
    found = rule_ids(con, rid)
    con.close()
    assert "CS-5" not in found


def test_cs_7_reads_which_kind_of_case_section_four_says_did_not_happen(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    fired = []
    for text in (
        "本年度发生行政复议案件1件。未发生政府信息公开行政诉讼案件。",
        "本年度未发生政府信息公开行政复议案件。",
    ):
        r = make_report()
        put(r, "t4", "cases", "review_upheld", "1")
        put(r, "t4", "cases", "review_total", "1")
        section(r, "appeals").text = text
        fired.append("CS-7" in rule_ids(con, store(con, db, r)))
    con.close()
    assert fired == [False, True]


def test_lbl_4_lets_an_amount_have_decimals(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    r = make_report("2021", 2022, published="2023-03-01")
    put(r, "t2", "fees", "fee_amount", "1.5", 1.5, "number")
    found = rule_ids(con, store(con, db, r))
    con.close()
    assert "LBL-4" not in found


def test_ct_1_is_a_hint_on_a_2019_format_report_and_a_warning_on_a_2021_one(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    found = {}
    for version, year, published in (("2019", 2020, "2021-03-01"), ("2021", 2022, "2023-03-01")):
        r = make_report(version, year, published=published)
        section(r, "overview").text = "本年度落实工作考核、社会评议和责任追究，网站发布新闻100条。"
        rid = store(con, db, r)
        found[version] = rows(
            con,
            "select severity, deduction from report_findings where report_id = ? and rule_id = 'CT-1'",
            [rid],
        )
    con.close()
    assert found == {"2019": [("提示", 0.0)], "2021": [("警告", 2.0)]}
