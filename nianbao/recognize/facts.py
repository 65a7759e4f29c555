"""Narrative facts: numbers in the prose with what they count (e.g. 通知公告189条, 收到申请8件)."""

from __future__ import annotations

import re

from nianbao.model import Fact
from nianbao.recognize.normalize import fold

_UNIT = r"(?:条|件|个|篇|项|次|期|场|人次|份|起|家|元|万元)"
_NUM = re.compile(rf"(\d+(?:\.\d+)?)\s*(余)?\s*({_UNIT})")
_BLANK = re.compile(rf"([\u4e00-\u9fff]{{2,10}})[ \u3000\u00a0]{{2,}}({_UNIT})(?=[，,。；;、）)\s]|$)")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_TOTAL = re.compile(r"(共|合计|总计|累计|总数|总量|全年)")
_HEDGE = re.compile(r"(预计|约|大约|左右|近|超过|逾)")
_LABEL_STOP = re.compile(r"[，,、：:；;。（(）)“”\"\s]")

# Quantity classes, tried in order against the words just before the number.
_QUANTITIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("applications_natural", re.compile(r"自然人")),
    ("applications_org", re.compile(r"法人|其他组织|企业")),
    ("applications_carried", re.compile(r"结转")),
    ("applications_received", re.compile(r"(收到|受理|接收|接到|新收|办理).{0,12}申请|申请.{0,4}$")),
    ("applications_concluded", re.compile(r"办结|答复完毕|已答复")),
    ("reviews", re.compile(r"行政复议")),
    ("lawsuits", re.compile(r"行政诉讼")),
    ("processing_fee", re.compile(r"信息处理费")),
    ("normative_documents", re.compile(r"规范性文件")),
    ("proactive_published", re.compile(r"(主动公开|公开|发布|更新).{0,12}(信息|政务|政府信息|内容)|信息$")),
)


def _label(before: str) -> str:
    """The words that name what a number counts: the text back to the previous punctuation."""
    parts = _LABEL_STOP.split(before)
    label = parts[-1] if parts else before
    label = re.sub(
        r"^(其中|截止.{0,6}?底|截至.{0,6}?底|全年|本年度?|年度|共|累计|合计|总计|预计)+", "", label
    )
    return label[-14:]


def _quantity(context: str) -> str:
    for key, pat in _QUANTITIES:
        if pat.search(context):
            return key
    return "other"


# A number with its counting unit, just before an opening bracket: the bracket lists that item's parts.
_COUNTED_END = re.compile(rf"\d+(?:\.\d+)?\s*余?\s*{_UNIT}\s*$")


def _child_of_an_item(sentence: str, at: int) -> bool:
    """Whether the number at `at` sits in brackets opened right after a counted number
    ("新闻100条（其中图片新闻30条、视频20条）"): it is that item's part, not an item of the list."""
    stack: list[int] = []  # where each bracket still open at `at` was opened
    for i, ch in enumerate(sentence[:at]):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            stack.pop()
    return bool(stack) and bool(_COUNTED_END.search(sentence[: stack[-1]]))


# A long line that stops without punctuation was wrapped by the page (PDF): the sentence goes on.
_WRAPPED = re.compile(r"(?<=[^\n。；;！!？?：:]{20})\n(?=[\u3400-\u9fff\d])")


def extract_facts(section_key: str, text: str) -> list[Fact]:
    """All counted numbers in one section's prose, in order."""
    facts: list[Fact] = []
    text = _WRAPPED.sub("", text)
    folded = fold(text)
    for sm in _SENTENCE.finditer(folded):
        sentence = sm.group(0)
        raw_sentence = text[sm.start() : sm.end()].strip()
        for m in _NUM.finditer(sentence):
            before = sentence[max(0, m.start() - 24) : m.start()]
            # Dates and percentages are not counts.
            after = sentence[m.end() : m.end() + 1]
            if m.group(3) == "年" or after in ("月", "日"):
                continue
            if re.search(r"\d$", before):
                continue
            label = _label(before)
            near = sentence[max(0, m.start() - 8) : m.start()]
            role = "total" if _TOTAL.search(near) else "item"
            if _child_of_an_item(sentence, m.start()):
                role = "child"
            hedge = _HEDGE.search(sentence[max(0, m.start() - 10) : m.start()])
            qualifier = "余" if m.group(2) else (hedge.group(1) if hedge else None)
            facts.append(
                Fact(
                    section=section_key,
                    quantity=_quantity(before),
                    label=label,
                    value=float(m.group(1)),
                    unit=m.group(3),
                    sentence=raw_sentence[:200],
                    position=sm.start() + m.start(),
                    role=role,
                    qualifier=qualifier,
                )
            )
        for b in _BLANK.finditer(sentence):
            label = _label(b.group(1))
            facts.append(
                Fact(
                    section=section_key,
                    quantity=_quantity(b.group(1)),
                    label=label,
                    value=None,
                    unit=b.group(2),
                    sentence=raw_sentence[:200],
                    position=sm.start() + b.start(),
                    role="item",
                )
            )
    facts.sort(key=lambda f: f.position)
    return facts
