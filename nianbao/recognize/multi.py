"""One file, one report: a file whose six sections start over after the last one holds several."""

from __future__ import annotations

from nianbao.errors import UnreadableReport
from nianbao.recognize.sections import Heading, _pattern
from nianbao.recognize.stream import Stream
from nianbao.templates import sections as section_specs

RESTART_MIN = 3  # headings found again, in order, after the first report's last heading


def restarted_headings(s: Stream, headings: list[Heading]) -> int:
    """How many of the section headings (一、总体情况, 二、…) occur again, in order, after the last one found."""
    if len(headings) < RESTART_MIN:
        return 0
    cursor = headings[-1].end
    again = 0
    for spec in section_specs():
        m = _pattern(spec["no"], spec["keywords"]).search(s.text, cursor)
        if not m:
            continue
        again += 1
        cursor = m.end()
    return again


def refuse_several(s: Stream, headings: list[Heading]) -> None:
    """Raise UnreadableReport when the file holds more than one report."""
    if restarted_headings(s, headings) >= RESTART_MIN:
        raise UnreadableReport(
            "several_reports",
            "文件中包含多份年报，请分别上传。",
            "the file holds more than one annual report: upload each report on its own",
        )
