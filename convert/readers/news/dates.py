"""Every date form news pages show, as ISO values.

``2019-09-07 13:43:12``, ``2015/10/20 11:40``, ``2019年09月07日 13:43``, the
time first and run together with the date (``15:312018/09/16``, ``20:36
2023/03/31``), and western forms (``Fri Mar 18 20:52:50 2016``, ``Dec 28
Sat 2013 00:28``).  A date shown without a year gives nothing: the year
cannot be known from the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..._lazy_re import lazy
from .patterns import DATE

_TIME_FIRST = lazy(
    r"(?<!\d)(?P<H>\d{1,2})[:：](?P<M>\d{2})(?::\d{2})?\s*"
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)日?"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?"
_WESTERN = lazy(
    r"(?:" + _WEEKDAY + r"\s+)?(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+"
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?:" + _WEEKDAY + r"\s+)?(?:(?P<y>(?:19|20)\d{2}),?\s+)?"
    r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2})?(?:\s+(?P<y2>(?:19|20)\d{2}))?(?!\d)"
)


# Official documents write their dates in Chinese numerals: 二〇二二年五月十日.
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0}
_CN_DATE = lazy(
    r"(?P<y>[〇零○ＯO一二三四五六七八九]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,2})\s*月"
    r"\s*(?P<d>[一二三四五六七八九十]{1,3})\s*日"
)


def _cn_number(text: str) -> int:
    if "十" not in text:
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


_LABELLED_TIME = lazy(
    r"[,，\s]*(?:(?:週|周|星期|礼拜|禮拜)[一二三四五六日天]\s*)?(?:[（(][一二三四五六日][）)]\s*)?(?:(?:北京时间|北京時間|格林尼治标准时间|格林威治標準時間|香港時間|台北時間|GMT|HKT|UTC|CST)\s*)?"
    r"(?:(?P<pm>下午|晚上|晚間|晚间|PM|pm)|上午|早上|凌晨|中午|AM|am)?\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?!\d)"
)


# Day first, as European and Hong Kong pages write it: 06/02/2022 - 13:48,
# 17/09/2022 11:30 PM; month first where the day cannot be first (9/17/2004)
# or in the form American software writes, unpadded with seconds and a
# 12-hour clock: 9/7/2004 5:54:13 AM.
_SLASHED = lazy(
    r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d{2})(?![\d/])"
    r"(?:\s*-?\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?:(?P<S>:\d{2})?\s*(?P<half>[AP]M)\b)?)?"
)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    value: str  # "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM+08:00"


def _iso(y: int, mo: int, d: int, hh: str | None, mm: str | None) -> str | None:
    try:
        date(y, mo, d)
    except ValueError:
        return None
    value = f"{y:04d}-{mo:02d}-{d:02d}"
    if hh is not None and mm is not None and int(hh) < 24 and int(mm) < 60:
        value += f"T{int(hh):02d}:{int(mm):02d}+08:00"
    return value


def find_dates(text: str) -> list[FoundDate]:
    """The dates in ``text`` in order of position; overlapping forms give the
    longest reading (a time before the date is part of it)."""
    found: list[FoundDate] = []
    for m in _TIME_FIRST.finditer(text):
        value = _iso(int(m["y"]), int(m["m"]), int(m["d"]), m["H"], m["M"])
        if value:
            found.append(FoundDate(m.start(), m.end(), value))
    for m in DATE.finditer(text):
        hour, minute, end = m["H"], m["M"], m.end()
        if hour is None and (t := _LABELLED_TIME.match(text, m.end())):
            # "2012年12月10日, 格林尼治标准时间10:41", "2023-04-14 HKT 21:06", "下午2:05"
            hour, minute, end = t["H"], t["M"], t.end()
            if t["pm"] and int(hour) < 12:
                hour = str(int(hour) + 12)
        value = _iso(int(m["y"]), int(m["m"]), int(m["d"]), hour, minute)
        if value:
            found.append(FoundDate(m.start(), end, value))
    for m in _WESTERN.finditer(text):
        year = m["y"] or m["y2"]
        if year:
            value = _iso(int(year), _MONTHS.index(m["mon"].lower()) + 1, int(m["d"]), m["H"], m["M"])
            if value:
                found.append(FoundDate(m.start(), m.end(), value))
    for m in _SLASHED.finditer(text):
        first, second, hour = int(m["d"]), int(m["m"]), m["H"]
        if m["half"]:
            hour = str(int(hour) % 12 + (12 if m["half"] == "PM" else 0))
        american = m["half"] and m["S"] and not m["d"].startswith("0") and not m["m"].startswith("0")
        if second > 12 >= first or (american and first <= 12):
            first, second = second, first
        value = _iso(int(m["y"]), second, first, hour, m["M"])
        if value:
            found.append(FoundDate(m.start(), m.end(), value))
    for m in _CN_DATE.finditer(text):
        value = _iso(_cn_number(m["y"]), _cn_number(m["m"]), _cn_number(m["d"]), None, None)
        if value:
            found.append(FoundDate(m.start(), m.end(), value))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[FoundDate] = []
    for f in found:
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    # "今天是2023年5月1日 星期一": a banner with the day the page was seen.
    return [f for f in kept if not _TODAY.search(text[max(0, f.start - 6): f.start])]


_TODAY = lazy(r"(今天是|今日是|今天|今日|Today is)[:：\s]*$", re.I)
