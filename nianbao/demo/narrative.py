"""The report's prose: preamble, the six sections, and the closing line.

Numbers appear only where the tables back them (applications, carried-over applications,
review and lawsuit cases, normative documents), or as an itemised list with its own total.
Each sentence holds at most one counted quantity, so that the parser reads what it counts.
Section 五 draws its problems and measures from pools in a per-unit order, so that two
consecutive years of a unit share none of them (unless a defect copies last year's text).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from nianbao.demo.places import DemoUnit
from nianbao.demo.spec import SectionText

OPENINGS = (
    "{year}年，{unit}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "按照国家、省、市关于政务公开工作的部署要求，扎实推进决策、执行、管理、服务、结果公开。",
    "{year}年，{unit}深入贯彻党中央、国务院关于全面推进政务公开工作的决策部署，严格执行《中华人民共和国政府信息公开条例》，"
    "以公开促落实、以公开促规范、以公开促服务，政务公开工作取得新进展。",
    "{year}年，在市、区（县）政务公开工作领导小组的指导下，{unit}围绕中心工作，不断完善政务公开制度机制，"
    "持续加大主动公开力度，依法规范办理依申请公开，政府信息公开工作质量进一步提升。",
    "{year}年，{unit}把政务公开作为建设法治政府、服务型政府的重要抓手，健全工作机制，拓展公开渠道，"
    "切实保障人民群众的知情权、参与权、表达权和监督权。",
    "{year}年，{unit}对照年度政务公开工作要点，逐项明确责任分工，推动政务公开工作与业务工作同部署、同落实、同检查。",
)

PROACTIVE_LEADS = (
    "围绕群众关心关注的重点领域，及时发布政策文件、工作动态和办事指南。",
    "坚持“以公开为常态、不公开为例外”原则，严格落实信息发布审核制度。",
    "聚焦民生保障、乡村振兴、营商环境等重点领域，做好信息公开和政策解读。",
    "依托门户网站政府信息公开专栏，持续更新法定主动公开内容。",
    "按照“谁制作、谁公开”的原则，规范信息发布流程，确保信息发布及时准确。",
)

REQUEST_ANSWERS = (
    "所有申请均在法定期限内予以答复，未发生逾期答复情况。",
    "严格按照法定程序受理、审查、答复，答复内容规范、依据充分。",
    "对申请逐件登记、逐件审核，做到依法依规、按时答复。",
    "进一步规范依申请公开受理、交办、答复流程，答复文书格式统一、告知事项完整。",
)

MANAGEMENT = (
    "（三）政府信息管理。严格落实政府信息公开保密审查机制，坚持先审查、后公开，全年未发生泄密事件。",
    "（三）政府信息管理。动态更新政府信息公开指南和目录，及时清理过期失效信息，确保信息准确规范。",
    "（三）政府信息管理。健全信息发布“三审三校”制度，明确专人负责信息的收集、审核和发布。",
    "（三）政府信息管理。定期开展行政规范性文件清理，对清理结果及时向社会公开。",
)

PLATFORMS = (
    "（四）政府信息公开平台建设。持续优化门户网站政府信息公开专栏，规范设置栏目，确保栏目内容准确、更新及时。",
    "（四）政府信息公开平台建设。充分发挥门户网站第一平台作用，同步利用政务新媒体扩大信息传播覆盖面。",
    "（四）政府信息公开平台建设。按照统一标准规范政府信息公开平台，做好栏目迁移和内容整合工作。",
    "（四）政府信息公开平台建设。加强政务服务大厅政府信息查阅点建设，方便群众现场查阅政府信息。",
)

OVERSIGHT = (
    "（五）监督保障。{short}将政务公开工作纳入年度工作考核，通过网站留言、满意度调查等方式开展社会评议，"
    "本年度未发生因政府信息公开工作引起的责任追究情况。",
    "（五）监督保障。{short}成立政务公开工作领导小组，将政务公开纳入工作考核内容，主动接受社会评议和群众监督，"
    "全年未发生责任追究情况。",
    "（五）监督保障。{short}定期开展政务公开自查，落实工作考核、社会评议和责任追究制度，全年未出现责任追究情形。",
)

PROBLEMS = (
    "主动公开的深度和广度还不够，部分信息公开不够及时",
    "政策解读形式较为单一，图解、视频等多元化解读运用不多",
    "政务公开工作人员多为兼职，业务能力有待进一步提高",
    "依申请公开办理的规范化水平还需提升，答复文书仍有不够严谨之处",
    "基层政务公开标准化规范化建设推进不够平衡",
    "政务新媒体与门户网站联动不够，信息发布协同性不强",
    "部分栏目内容更新不及时，存在信息更新滞后的情况",
    "公众参与渠道利用不充分，政民互动效果不够明显",
    "重点领域信息公开的精细化程度不高，公开内容与群众需求结合不够紧密",
    "信息发布审核把关不够严格，个别信息存在格式不规范问题",
    "政府信息管理制度执行不够到位，信息分类归档不够规范",
    "对政务公开工作的宣传培训力度不够，干部职工公开意识有待增强",
    "办事指南要素不够完整，部分事项办理结果公开不充分",
    "年度报告编制中对数据的核对把关不够细致",
)

MEASURES = (
    "进一步拓展主动公开的范围和深度，做到应公开尽公开",
    "丰富政策解读形式，运用图表图解、视频音频等方式提高解读质量",
    "加强政务公开业务培训，不断提高工作人员业务素质",
    "规范依申请公开办理流程，严格答复文书审核把关",
    "深化基层政务公开标准化规范化建设，推动公开事项目录落地见效",
    "加强门户网站与政务新媒体的统筹联动，形成信息发布合力",
    "建立栏目更新责任清单，定期巡查栏目内容更新情况",
    "畅通政民互动渠道，及时回应社会关切",
    "聚焦重点领域，细化公开内容，提升公开实效",
    "严格落实信息发布“三审三校”制度，确保信息准确规范",
    "健全政府信息管理制度，规范信息的分类、归档和更新",
    "加大政务公开宣传力度，增强干部职工依法公开意识",
    "完善办事指南要素，及时公开办理结果",
    "建立年度报告数据核对机制，确保报告数据准确",
    "加强对政务公开工作的督促检查，压实工作责任",
    "做好政府信息公开保密审查，防止泄密事件发生",
    "推进决策公开，扩大公众参与，做好意见征集和结果反馈",
    "及时清理过期失效信息，保持公开内容的时效性",
    "优化政府信息公开指南和目录，方便群众查询",
    "加强政务服务大厅政府信息查阅点建设",
    "将政务公开工作纳入年度考核，强化考核结果运用",
)

PROBLEM_INTROS = (
    "{year}年，{short}政府信息公开工作取得了一定成效，但仍存在一些不足：",
    "对照上级要求和群众期盼，{short}政府信息公开工作还存在以下问题：",
    "回顾全年工作，{short}在政府信息公开方面还存在一些短板和不足：",
    "在看到成绩的同时，我们也清醒地认识到，工作中还存在以下问题：",
)

MEASURE_INTROS = (
    "下一步，{short}将重点做好以下工作：",
    "针对上述问题，{short}将采取以下改进措施：",
    "{next}年，{short}将从以下方面加以改进：",
)

OTHER_2021 = (
    "本年度{short}认真落实上级年度政务公开工作要点，各项任务均按时完成。",
    "人大代表建议和政协提案办理结果已按要求在门户网站公开。",
    "本年度无其他需要报告的事项。",
    "积极推进政务公开工作创新，探索开展政府开放日活动，邀请群众参与政务公开工作。",
)

OTHER_2019 = (
    "本年度无其他需要报告的事项。",
    "本年度{short}认真落实上级年度政务公开工作要点，各项任务均按时完成。",
    "无。",
)

ORDINALS = ("一", "二", "三", "四", "五")


@dataclass
class Stated:
    """The numbers the narrative states (equal to the tables unless a defect says otherwise)."""

    received: int  # Table 3 一 总计
    natural: int  # Table 3 一 自然人
    organisations: int  # Table 3 一, the five organisation columns
    carried_in: int  # Table 3 二 总计
    reviews: int  # Table 4 行政复议 总计
    lawsuits: int  # Table 4 two 行政诉讼 总计
    normative: int  # Table 2 行政规范性文件 made / issued this year
    processing_fee_yuan: int  # 信息处理费 (section 六, 2021 format)


def title(unit: DemoUnit, year: int, rng: random.Random) -> str:
    """A realistic title naming the unit and the year."""
    name = unit.name
    if unit.district.short != unit.district.name and rng.random() < 0.35:
        name = unit.district.short + unit.local
    prefix = "西宁市" if rng.random() < 0.5 else ""
    form = rng.choice(
        ("{y}年政府信息公开工作年度报告", "{y}年度政府信息公开工作年度报告", "{y}年政府信息公开工作年度报告")
    )
    return prefix + name + form.format(y=year)


def preamble(unit: DemoUnit, year: int, version: str, rng: random.Random) -> list[str]:
    """The paragraphs before 一、总体情况."""
    basis = (
        "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"
        if year >= 2021
        else "《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）"
    )
    first = (
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{basis}要求编制，"
        "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
        "存在的主要问题及改进情况、其他需要报告的事项。"
    )
    period = f"本报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。"
    site = unit.district.site
    contact = f"本报告电子版可在“{site}”门户网站政府信息公开专栏查阅和下载。如对本报告有疑问，请与{unit.name}办公室联系。"
    if rng.random() < 0.5:
        return [first + period + contact]
    return [first, period + contact]


def overview(unit: DemoUnit, year: int, stated: Stated, items: list[int], rng: random.Random) -> list[str]:
    """Section 一: the five sub-topics of the 2021 format (used for both formats)."""
    paras = [rng.choice(OPENINGS).format(year=year, unit=unit.name)]
    names = ("政务动态", "通知公告", "政策文件", "人事信息")
    listed = "、".join(f"{n}{v}条" for n, v in zip(names, items, strict=True))
    proactive = (
        f"（一）主动公开。{rng.choice(PROACTIVE_LEADS)}全年发布{listed}，共主动公开政府信息{sum(items)}条。"
    )
    doc_word = "行政规范性文件" if year >= 2021 else "规范性文件"
    if stated.normative > 0:
        proactive += f"本年度制发{doc_word}{stated.normative}件，均按规定进行合法性审查并及时公开。"
    else:
        proactive += f"本年度未制发{doc_word}。"
    paras.append(proactive)
    req = "（二）依申请公开。"
    if stated.received == 0:
        req += f"本年度{unit.short_local}未收到政府信息公开申请。"
    else:
        req += f"本年度共收到政府信息公开申请{stated.received}件。"
        if stated.organisations == 0:
            req += "均为自然人申请。"
        else:
            req += f"其中自然人申请{stated.natural}件；法人或其他组织申请{stated.organisations}件。"
    if stated.carried_in > 0:
        req += f"上年结转申请{stated.carried_in}件。"
    req += rng.choice(REQUEST_ANSWERS)
    paras.append(req)
    paras.append(rng.choice(MANAGEMENT))
    paras.append(rng.choice(PLATFORMS))
    paras.append(rng.choice(OVERSIGHT).format(short=unit.short_local))
    return paras


def appeals_text(stated: Stated) -> list[str]:
    """Section 四's sentence after the table."""
    if stated.reviews == 0 and stated.lawsuits == 0:
        return ["本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"]
    out = []
    if stated.reviews:
        out.append(f"本年度发生政府信息公开行政复议案件{stated.reviews}件。")
    else:
        out.append("本年度未发生政府信息公开行政复议案件。")
    if stated.lawsuits:
        out.append(f"发生政府信息公开行政诉讼案件{stated.lawsuits}件。")
    else:
        out.append("未发生政府信息公开行政诉讼案件。")
    return ["".join(out)]


def problems(unit: DemoUnit, year: int, order: tuple[list[int], list[int]], rng: random.Random) -> list[str]:
    """Section 五: two problems and three measures, chosen so that consecutive years differ."""
    p_order, m_order = order
    i = year - 2019
    ps = [PROBLEMS[p_order[(2 * i + k) % len(p_order)]] for k in range(2)]
    ms = [MEASURES[m_order[(3 * i + k) % len(m_order)]] for k in range(3)]
    intro = rng.choice(PROBLEM_INTROS).format(year=year, short=unit.short_local)
    body = "；".join(f"{ORDINALS[k]}是{p}" for k, p in enumerate(ps)) + "。"
    m_intro = rng.choice(MEASURE_INTROS).format(next=year + 1, short=unit.short_local)
    m_body = "；".join(f"{ORDINALS[k]}是{m}" for k, m in enumerate(ms)) + "。"
    return [intro + body, m_intro + m_body]


def other(unit: DemoUnit, year: int, stated: Stated, rng: random.Random) -> list[str]:
    """Section 六: 信息处理费 (2021 format years) and other items."""
    short = unit.short_local
    if year >= 2021:
        if stated.processing_fee_yuan:
            fee = f"依据《政府信息公开信息处理费管理办法》规定，本年度共收取信息处理费{stated.processing_fee_yuan}元。"
        else:
            fee = "依据《政府信息公开信息处理费管理办法》规定，本年度未收取信息处理费。"
        return [fee, rng.choice(OTHER_2021).format(short=short)]
    return [rng.choice(OTHER_2019).format(short=short)]


def sections(
    unit: DemoUnit,
    year: int,
    stated: Stated,
    items: list[int],
    five: list[str],
    rng: random.Random,
) -> list[SectionText]:
    """The six sections; 二, 三 and 四 hold the tables between `before` and `after`."""
    two_before = rng.choice(([], ["本年度主动公开政府信息情况如下："]))
    three_before = rng.choice(([], ["本年度收到和处理政府信息公开申请情况如下："]))
    return [
        SectionText("一", "overview", "一、总体情况", overview(unit, year, stated, items, rng)),
        SectionText("二", "proactive", "二、主动公开政府信息情况", two_before),
        SectionText("三", "requests", "三、收到和处理政府信息公开申请情况", three_before),
        SectionText("四", "appeals", "四、政府信息公开行政复议、行政诉讼情况", [], appeals_text(stated)),
        SectionText("五", "problems", "五、存在的主要问题及改进情况", five),
        SectionText("六", "other", "六、其他需要报告的事项", other(unit, year, stated, rng)),
    ]


def pool_order(rng: random.Random) -> tuple[list[int], list[int]]:
    """A unit's own order of the problem and measure pools."""
    p = list(range(len(PROBLEMS)))
    m = list(range(len(MEASURES)))
    rng.shuffle(p)
    rng.shuffle(m)
    return p, m
