"""Sub-headings a flattened page ran into their paragraphs.

A page saved as one line (a search index's copy) keeps a sub-heading as a
phrase, a space and the paragraph: "民用和非民用气价暂不并轨 今年年中，
国家发改委…".  The split is made only where the evidence is good: the
opening has no punctuation and at least two Han characters, the space is
the last one before the paragraph's first mark, and what follows is a
sentence of its own (PROSE_MIN characters at least).  A news dateline
(新华社北京11月17日电 记者…, 中国网5月13日讯 据…) is the paragraph's own
opening, not a heading; nor is a name before what it says, or a word a
particle attaches to.
"""

from __future__ import annotations

from ..._lazy_re import lazy
from .blocks import is_heading
from .lines import is_personal_name
from .units import Unit

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


def split_flattened_headings(units: list[Unit]) -> list[Unit]:
    out = []
    for u in units:
        found = split_flattened_heading(u.text)
        if found is None:
            out.append(u)
        else:
            out += [Unit(found[0], u.line, u.indented), Unit(found[1], u.line)]
    return out
