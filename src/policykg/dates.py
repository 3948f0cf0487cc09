"""Dutch date expressions with their precision.

The texts write dates as "24 januari 2018", "09 december 2016", "20/09/2018", "19 en 20 april
2016", "18, 22 en 23 mei 2017", "Van 24 tot en met 28 juli 17", "in mei ‘18", "eind juni 2017",
"in het najaar van 2018", "eind 2017", or a day without a year whose year the paragraph gives.
:func:`find_dates` returns each expression with the dates it denotes, keeping the precision
(day, month, season, year) and the words as written, plus the interval of days it covers, so
that "najaar 2018" is neither lost nor turned into a false exact day.

Month names come from Babel's Dutch locale data rather than from a list typed here.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from babel.dates import get_month_names

MONTHS: dict[str, int] = {name.lower(): number for number, name in get_month_names("wide", locale="nl").items()}
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_YEAR4 = r"(?:19|20)\d\d"
_YEAR = rf"(?:{_YEAR4}|[‘'’]\d\d|\d\d(?![\d/]))"
SEASONS = {"voorjaar": (3, 21, 6, 20), "lente": (3, 21, 6, 20), "zomer": (6, 21, 9, 20), "najaar": (9, 21, 12, 20),
           "herfst": (9, 21, 12, 20), "winter": (12, 21, 3, 20)}  # fmt: skip
QUALIFIERS = {"begin": (1, 10), "midden": (11, 20), "medio": (11, 20), "half": (11, 20), "eind": (21, 31)}
QUALIFIER_MONTHS = {"begin": (1, 3), "midden": (5, 8), "medio": (5, 8), "half": (5, 8), "eind": (10, 12)}

DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or the year."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        m = DATE_RE.match(text)
        if not m:
            raise ValueError(f"not a date YYYY, YYYY-MM or YYYY-MM-DD: {text!r}")
        year, month, day = (int(g) if g else None for g in m.groups())
        assert year is not None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"month out of range in {text!r}")
        if day is not None:
            date(year, month or 1, day)  # raises ValueError for impossible days
        return cls(year, month, day)

    @property
    def iso(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    @property
    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> date:
        if self.day is not None and self.month is not None:
            return date(self.year, self.month, self.day)
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])


@dataclass(frozen=True)
class EventDate:
    """One date a text denotes: its value at its precision, an optional last day, and its interval."""

    value: PartialDate
    written: str
    earliest: date
    latest: date
    end: date | None = None
    text: str | None = None
    """The words of an imprecise date ("najaar 2018", "eind juni 2017") kept beside the interval."""

    @property
    def iso(self) -> str:
        return self.value.iso


@dataclass(frozen=True)
class DateMention:
    """A date expression in a string, where it stands, and the dates it denotes."""

    start: int
    end: int
    written: str
    dates: tuple[EventDate, ...]


def _year(token: str) -> int:
    digits = re.sub(r"\D", "", token)
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _day(year: int, month: int, day: int, written: str, end: date | None = None) -> EventDate | None:
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return EventDate(PartialDate(year, month, day), written, value, end or value, end=end)


def _month(year: int, month: int, written: str, qualifier: str | None = None) -> EventDate:
    last = calendar.monthrange(year, month)[1]
    first_day, last_day = 1, last
    if qualifier in QUALIFIERS:
        first_day, last_day = QUALIFIERS[qualifier][0], min(QUALIFIERS[qualifier][1], last)
    return EventDate(
        PartialDate(year, month), written, date(year, month, first_day), date(year, month, last_day),
        text=written if qualifier else None,
    )  # fmt: skip


def _season(year: int, season: str, written: str) -> EventDate:
    m1, d1, m2, d2 = SEASONS[season]
    end_year = year + 1 if m2 < m1 else year
    words = f"{season} {year}"
    return EventDate(PartialDate(year), written, date(year, m1, d1), date(end_year, m2, d2), text=words)


def _year_only(year: int, written: str, qualifier: str | None = None) -> EventDate:
    if qualifier in QUALIFIER_MONTHS:
        m1, m2 = QUALIFIER_MONTHS[qualifier]
        return EventDate(
            PartialDate(year), written, date(year, m1, 1),
            date(year, m2, calendar.monthrange(year, m2)[1]), text=written,
        )  # fmt: skip
    return EventDate(PartialDate(year), written, date(year, 1, 1), date(year, 12, 31))


_DAYS = r"\d{1,2}(?:\s*(?:,|en|&)\s*\d{1,2})*"
_THROUGH = rf"\b[Vv]an\s+(\d{{1,2}})\s+(?:({_MONTH})\s+)?tot\s+en\s+met\s+(\d{{1,2}})\s+({_MONTH})(?:\s+({_YEAR}))?"
_SEASON = rf"\b(?:(?:het|de)\s+)?(najaar|voorjaar|lente|zomer|herfst|winter)(?:maanden)?(?:\s+(?:van\s+)?({_YEAR4}))?"
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("through", re.compile(_THROUGH, re.I)),
    ("dash-range", re.compile(rf"\b(\d{{1,2}})\s*-\s*(\d{{1,2}})\s+({_MONTH})(?:\s+({_YEAR4}))?", re.I)),
    ("numeric-range", re.compile(r"\b(\d{1,2})\s*-\s*(\d{1,2})/(\d{1,2})(?:/((?:19|20)?\d\d))?\b")),
    ("days", re.compile(rf"\b({_DAYS})\s+({_MONTH})(?:\s+({_YEAR}))?(?![\d/])", re.I)),
    ("numeric", re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,2})/((?:19|20)?\d\d)(?![\d/])")),
    ("season", re.compile(_SEASON, re.I)),
    ("month", re.compile(rf"\b(?:(begin|midden|medio|half|eind)\s+)?({_MONTH})(?:\s+({_YEAR}))?(?![\d/])", re.I)),
    ("year", re.compile(rf"\b(?:(begin|midden|medio|half|eind)\s+)?({_YEAR4})\b(?!\s*-\s*\d)(?!/)", re.I)),
)  # fmt: skip


def find_dates(text: str, context_year: int) -> list[DateMention]:
    """Every date expression in ``text``; a day or month without a year takes ``context_year``."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            dates = _interpret(kind, m, context_year)
            if not dates:
                continue
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.start(), m.end(), m.group(0), tuple(dates)))
    return sorted(found, key=lambda d: d.start)


def _interpret(kind: str, m: re.Match[str], context_year: int) -> list[EventDate]:
    written = m.group(0)
    if kind == "through":
        d1, month1, d2, month2, year = m.groups()
        y = _year(year) if year else context_year
        first_month = MONTHS[(month1 or month2).lower()]
        end = _day(y, MONTHS[month2.lower()], int(d2), written)
        start = _day(y, first_month, int(d1), written, end.earliest if end else None)
        return [start] if start and end else []
    if kind == "dash-range":
        d1, d2, month, year = m.groups()
        y = _year(year) if year else context_year
        end = _day(y, MONTHS[month.lower()], int(d2), written)
        start = _day(y, MONTHS[month.lower()], int(d1), written, end.earliest if end else None)
        return [start] if start and end and int(d1) < int(d2) else []
    if kind == "numeric-range":
        d1, d2, month, year = m.groups()
        if not 1 <= int(month) <= 12:
            return []
        y = _year(year) if year else context_year
        end = _day(y, int(month), int(d2), written)
        start = _day(y, int(month), int(d1), written, end.earliest if end else None)
        return [start] if start and end and int(d1) < int(d2) else []
    if kind == "days":
        days_text, month, year = m.groups()
        if year is None and re.match(r"\s*\d", m.string[m.end() :]):
            return []
        y = _year(year) if year else context_year
        month_number = MONTHS[month.lower()]
        days = [int(d) for d in re.findall(r"\d{1,2}", days_text)]
        if len(days) == 2 and days[1] == days[0] + 1 and re.search(r"\ben\b", days_text):
            end = _day(y, month_number, days[1], written)
            start = _day(y, month_number, days[0], written, end.earliest if end else None)
            return [start] if start and end else []
        out = [_day(y, month_number, d, written) for d in days]
        return [d for d in out if d is not None]
    if kind == "numeric":
        day, month, year = (int(g) if len(g) > 2 else g for g in m.groups())
        y = _year(str(year))
        if not 1 <= int(month) <= 12:
            return []
        found = _day(y, int(month), int(day), written)
        return [found] if found else []
    if kind == "season":
        season, year = m.groups()
        return [_season(int(year) if year else context_year, season.lower(), written)]
    if kind == "month":
        qualifier, month, year = m.groups()
        if (
            year is None
            and not qualifier
            and not re.search(r"\b(in|tot|sinds|vanaf|van|eind|begin)\s+$", m.string[: m.start()], re.I)
        ):
            return []
        return [
            _month(
                _year(year) if year else context_year, MONTHS[month.lower()], written, qualifier and qualifier.lower()
            )
        ]
    if kind == "year":
        qualifier, year = m.groups()
        return [_year_only(int(year), written, qualifier and qualifier.lower())]
    return []
