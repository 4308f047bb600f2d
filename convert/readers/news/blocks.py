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


def numbering(text: str) -> tuple[str, int, str] | None:
    """(style, number, marker) when the paragraph opens with a list number."""
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


# A sub-heading flattened onto its paragraph ("民用和非民用气价暂不并轨 今年年中，
# 国家发改委…"): a heading-like opening, a space between two Han characters,
# then prose.  The split is made only where the evidence is good: the
# opening has no punctuation and at least two Han characters, the space is
# the last one before the paragraph's first mark, and what follows is a
# sentence of its own (PROSE_MIN characters at least).  A news dateline (新华社北京11月17日电 记者…, 中国网5月13日讯 据…)
# is the paragraph's own opening, not a heading.
_SENTENCE_MARKS = lazy(r"[。！？!?，,；;：:、]")
_DATELINE_END = lazy(r"(?:[日网網社台报報][电電讯訊]|日消息)$")
_HAN = lazy(r"[\u3400-\u9fff]")
PROSE_MIN = 16
_BRACKETS = ("（）", "()", "“”", "「」", "《》", "【】", "『』")
# Particles that attach to what comes before them: no sentence starts with one.
_NO_SENTENCE_START = frozenset("的地得了着著过過之")
# Particles that end a spoken sentence, never a heading (也太可愛了, 敬一杯囉).
_SENTENCE_FINAL = frozenset("了吧呢嗎吗啊呀囉啦喔哦")


def split_flattened_heading(text: str) -> tuple[str, str] | None:
    """(heading, paragraph) when ``text`` is a sub-heading run into its
    paragraph by a page flattened onto one line; None otherwise."""
    from .lines import is_personal_name  # lines reads list numbering from here

    first_mark = _SENTENCE_MARKS.search(text)
    if first_mark is None:
        return None
    # the last space before the first mark, between two Han characters
    cut = max(text.rfind(" ", 0, first_mark.start()), text.rfind("\u00a0", 0, first_mark.start()))
    if cut <= 0:
        return None
    head, body = text[:cut].rstrip(" \u00a0"), text[cut + 1:].lstrip(" \u00a0")
    if not head or not body or not _HAN.match(head[-1]) or not _HAN.match(body[0]):
        return None
    if len(_HAN.findall(head)) < 2 or not is_heading(head) or _DATELINE_END.search(head):
        return None
    if any(head.count(opening) != head.count(closing) for opening, closing in _BRACKETS):
        return None  # the space is inside a bracket: （记者 格桑边觉）
    if is_personal_name(head) or body[0] in _NO_SENTENCE_START or head[-1] in _SENTENCE_FINAL:
        return None  # a name before what it says; a word run on (扩展阅读 的影片); a sentence
    if len(body) < PROSE_MIN:
        return None
    return head, body


def _split_flattened_headings(units: list[Unit]) -> list[Unit]:
    out = []
    for u in units:
        found = split_flattened_heading(u.text)
        if found is None:
            out.append(u)
        else:
            out += [Unit(found[0], u.line, u.indented), Unit(found[1], u.line)]
    return out


def build_blocks(units: list[Unit]) -> list:
    units = _split_flattened_headings(units)
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
