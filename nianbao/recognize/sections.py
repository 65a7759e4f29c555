"""Find the six section headings in order, tolerating paraphrased titles (DOMAIN.md §1.1)."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    for spec in section_specs():
        m = _pattern(spec["no"], spec["keywords"]).search(s.text, cursor)
        if not m:
            continue
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
        found.append(Heading(spec["no"], spec["key"], m.start(), end, s.raw[m.start() : end].strip()))
        # The next heading may stand on this heading's line (`…改进情况仍需改进。六、其他…`).
        cursor = m.end()
    for h, nxt in zip(found, found[1:], strict=False):
        if h.end > nxt.start:
            h.end = nxt.start
            h.text = s.raw[h.start : h.end].strip()
    return found
