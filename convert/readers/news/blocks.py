"""The body as blocks: paragraphs, sub-headings, and runs of numbered
paragraphs (一要…八要, 一是, （一）, 1.) made ordered lists."""

from __future__ import annotations

import re

from ..._lazy_re import lazy
from ...model import Heading, ListItem, OrderedList, Para, Str
from .patterns import CLOSERS, CN_DIGITS, HEADING_MAX
from .units import Unit

NUM = "[" + CN_DIGITS + "]{1,3}"
NUMBERING: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cjk-yao", lazy(r"^(?P<n>" + NUM + r")要")),
    ("cjk-shi", lazy(r"^(?P<n>" + NUM + r")是")),
    ("cjk-paren", lazy(r"^[（(](?P<n>" + NUM + r")[）)]")),
    ("cjk-comma", lazy(r"^(?P<n>" + NUM + r")、")),
    ("cjk-di", lazy(r"^第(?P<n>" + NUM + r")[，,、：:]")),
    ("arabic-paren", lazy(r"^[（(](?P<n>\d{1,2})[）)]")),
    ("arabic", lazy(r"^(?P<n>\d{1,2})[.．、](?!\d)")),
    ("circled", lazy(r"^(?P<n>[\u2460-\u2473])")),
)


def cjk_number(s: str) -> int | None:
    values = {c: i for i, c in enumerate("零一二三四五六七八九")}
    values["〇"] = 0
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = values.get(tens, None) if tens else 1
        o = values.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    if len(s) == 1 and s in values:
        return values[s]
    return None


# What each numbering above opens with (or a digit, \d): a paragraph that
# opens otherwise is answered without compiling the patterns.
NUMBER_OPENERS = frozenset(CN_DIGITS + "（(第" + "".join(map(chr, range(0x2460, 0x2474))))


def numbering(text: str) -> tuple[str, int, str] | None:
    """(style, number, marker) when the paragraph opens with a list number."""
    if not text or not (text[0] in NUMBER_OPENERS or text[0].isdecimal()):
        return None
    for style, pattern in NUMBERING:
        m = pattern.match(text)
        if not m:
            continue
        n = m["n"]
        if style == "circled":
            value = ord(n) - 0x2460 + 1
        elif style.startswith("arabic"):
            value = int(n)
        else:
            value = cjk_number(n)
        if value:
            return style, value, m.group(0)
    return None


LEAD = lazy(r"^(?P<lead>[^。！？；;!?]{1,40}[。！？；;!?])(?P<rest>.+)$", re.S)


def list_item(text: str, marker: str) -> ListItem:
    rest = text[len(marker):]
    m = LEAD.match(rest)
    if m:
        return ListItem(marker, (Str(m["lead"]),), (Str(m["rest"]),))
    return ListItem(marker, (), (Str(rest),) if rest else ())


def is_heading(text: str) -> bool:
    return len(text) <= HEADING_MAX and not any(c in text for c in "。！？!?，,；;：:") and text[-1] not in CLOSERS


def build_blocks(units: list[Unit]) -> list:
    blocks: list = []
    i = 0
    while i < len(units):
        run = [units[i]]
        first = numbering(units[i].text)
        if first and first[1] == 1:
            style, expected = first[0], 2
            j = i + 1
            while j < len(units):
                nxt = numbering(units[j].text)
                if not nxt or nxt[0] != style or nxt[1] != expected:
                    break
                run.append(units[j])
                expected += 1
                j += 1
            # Numbered lines that are all short titles are section headings,
            # not points; two or more sentences-long points make a list.
            if len(run) >= 2 and not all(is_heading(u.text) for u in run):
                items = tuple(list_item(u.text, numbering(u.text)[2]) for u in run)
                blocks.append(OrderedList(items, style))
                i = j
                continue
        text = units[i].text
        if is_heading(text) and i + 1 < len(units):
            blocks.append(Heading(2, (Str(text),)))
        else:
            blocks.append(Para((Str(text),)))
        i += 1
    return blocks
