"""Find the six section headings in order, tolerating paraphrased titles (DOMAIN.md §1.1)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.recognize.normalize import squash
from nianbao.recognize.stream import Stream
from nianbao.templates import sections as section_specs


@dataclass
class Heading:
    """A section heading found in the stream."""

    no: str
    key: str
    start: int
    end: int
    text: str
    # Found under another number than the format's (`三、主动公开工作情况` for section 二).
    renumbered: bool = False


_NUMERALS = "[一二三四五六七八九十]"


def _renumbered(keywords: list[str]) -> re.Pattern[str]:
    """The heading under any numeral, but only at the start of a line (not inside prose)."""
    kw = "|".join(f"(?:{k})" for k in keywords)
    return re.compile(
        rf"(?m)^[ \t]*{_NUMERALS}\s*[、.．]\s*[^\n\x1e\x1f。]{{0,12}}?(?:{kw})[^\n\x1e\x1f。]{{0,16}}$"
    )


def _first_subheading(keywords: list[str]) -> re.Pattern[str]:
    """A section's first sub-heading, `（一）主要问题`, alone on its line."""
    kw = "|".join(f"(?:{k})" for k in keywords)
    return re.compile(rf"(?m)^[ \t]*[(（]\s*一\s*[)）]\s*(?:{kw})[^\n\x1e\x1f。]{{0,16}}$")


def _pattern(no: str, keywords: list[str]) -> re.Pattern[str]:
    kw = "|".join(f"(?:{k})" for k in keywords)
    # Anywhere in a line, even glued to a digit or word (`…收费0三、收到和处理`), but not inside a
    # bracketed item number, a longer numeral (十二、) or an ordinal (第三、).
    return re.compile(
        rf"(?<![(（第一二三四五六七八九十]){no}\s*[、.,，．]\s*[^\n\x1e\x1f。]{{0,12}}?(?:{kw})"
    )


def find_headings(s: Stream) -> list[Heading]:
    """Headings in document order; a missing section is skipped and the search goes on."""
    found: list[Heading] = []
    cursor = 0
    specs = section_specs()
    for i, spec in enumerate(specs):
        m = _pattern(spec["no"], spec["keywords"]).search(s.text, cursor)
        renumbered = False
        if not m:
            # Never past a later section's own heading, so the order of sections holds.
            own = (_pattern(o["no"], o["keywords"]).search(s.text, cursor) for o in specs[i + 1 :])
            limit = min([x.start() for x in own if x], default=len(s.text))
            cands = list(_renumbered(spec["keywords"]).finditer(s.text, cursor, limit))
            if not cands and spec.get("first_subheading"):
                cands = list(_first_subheading(spec["first_subheading"]).finditer(s.text, cursor, limit))
            if not cands:
                continue
            # The one carrying the format's own title wins (`一、主动公开政府信息情况` over `三、主动公开工作情况`).
            title = squash(spec["title"].split("、", 1)[-1])
            m = next((c for c in cands if title in squash(c.group())), cands[0])
            renumbered = True
        line_end = s.text.find("\n", m.start())
        for sep in ("\x1e", "\x1f"):
            k = s.text.find(sep, m.start())
            if k >= 0 and (line_end < 0 or k < line_end):
                line_end = k
        if line_end < 0:
            line_end = len(s.text)
        end = line_end
        if end - m.start() > 40:
            # Heading glued to the text that follows: stop after the keyword and its usual tail.
            tail = re.compile(r"[^\s\d,，。:：]{0,12}?(?:情况|事项|措施)").match(s.text, m.end())
            end = tail.end() if tail and tail.end() - m.start() <= 40 else m.end()
        text = s.raw[m.start() : end].strip()
        found.append(Heading(spec["no"], spec["key"], m.start(), end, text, renumbered))
        # The next heading may stand on this heading's line (`…改进情况仍需改进。六、其他…`).
        cursor = m.end()
    for h, nxt in zip(found, found[1:], strict=False):
        if h.end > nxt.start:
            h.end = nxt.start
            h.text = s.raw[h.start : h.end].strip()
    return found
