"""Working days in China: weekends, public holidays and make-up working days (调休).

The maintained `chinesecalendar` package knows the published years (1.11: up to 2026). Past its
coverage a supervisor-editable holidays file is used, then weekends only, with a warning.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar

WARNING_WEEKENDS_ONLY = "{years}年的法定节假日安排尚未收录，整改期限仅按周末推算，请人工核对。"


@dataclass
class Calendar:
    """Which days are working days: chinesecalendar, then a holidays file, then weekends only."""

    holidays: set[date] = field(default_factory=set)
    workdays: set[date] = field(default_factory=set)
    file_years: set[int] = field(default_factory=set)

    @classmethod
    def from_file(cls, path: Path | None) -> Calendar:
        """Read the holidays file (a missing file is an empty one)."""
        cal = cls()
        if path is None or not path.is_file():
            return cal
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for year, entry in data.items():
            if not str(year).isdigit() or not isinstance(entry, dict):
                continue
            cal.file_years.add(int(year))
            cal.holidays |= {date.fromisoformat(str(d)) for d in entry.get("holidays", [])}
            cal.workdays |= {date.fromisoformat(str(d)) for d in entry.get("workdays", [])}
        return cal

    def source(self, day: date) -> str:
        """Where the answer for this day comes from: package | file | weekends."""
        try:
            chinese_calendar.is_workday(day)
            return "package"
        except NotImplementedError:
            return "file" if day.year in self.file_years else "weekends"

    def is_workday(self, day: date) -> bool:
        """Whether government offices work on this day."""
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            pass
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_workdays(self, start: date, n: int) -> tuple[date, str | None]:
        """The n-th working day after `start`, and a warning when a year was counted by weekends only."""
        day, left, guessed = start, n, set()
        while left > 0:
            day += timedelta(days=1)
            if self.source(day) == "weekends":
                guessed.add(day.year)
            if self.is_workday(day):
                left -= 1
        warning = None
        if guessed:
            warning = WARNING_WEEKENDS_ONLY.format(years="、".join(str(y) for y in sorted(guessed)))
        return day, warning
