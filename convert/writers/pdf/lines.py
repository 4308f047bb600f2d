"""Line breaking and justification for Chinese text, independent of any PDF library.

Follows the Chinese prohibition rules (kinsoku, after W3C clreq and GB/T 15834):
no line starts with a pause or stop mark or a closing quote/bracket, none ends
with an opening one, and —— and …… stay whole.  A violation is resolved by
pushing the offending mark into the line (squeezing the blank half of the
line's punctuation) before pushing a character out to the next line.  A
justified line spreads its slack over the gaps between Han characters; Latin
words are never spaced out and a Han/Latin boundary takes at most 1/4 em.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise

from ... import lang

# The line-edge rules every writer shares (convert.lang), as sets.
CANNOT_START = frozenset(lang.CANNOT_START)
CANNOT_END = frozenset(lang.CANNOT_END)
NEVER_SPLIT = frozenset(lang.NEVER_SPLIT)
# Full-width marks whose blank half may be squeezed to push a mark into a line.
SQUEEZABLE = frozenset("、，。．：；”’」』）］｝〕】〉》“‘「『（［｛〔【〈《")

# A line pushed out shorter than this (of the measure) breaks the long Latin
# word that would otherwise leave it gaping, after one of URL_BREAKS if it can.
MIN_FILL = 0.6
URL_BREAKS = frozenset("/.-_?&=#")

FORCED_BREAK = "\n"
_EPS = 1e-6


@dataclass(slots=True)
class Glyph:
    """One character as set: its font, size and width in points.

    ``squeeze_left``/``squeeze_right`` are how many points of blank may be
    taken off either side of a full-width punctuation mark.  A glyph set
    narrower than the font draws it (an apostrophe in a Latin word, a wide
    space) keeps the font's own ``advance`` and is drawn ``shift`` points
    from its place.  ``word`` makes it part of a Latin word whatever it is.
    """

    char: str
    font: str
    size: float
    width: float
    squeeze_left: float = 0.0
    squeeze_right: float = 0.0
    emphasis: bool = False
    color: float = 0.0  # grey level, 0 black
    shift: float = 0.0
    advance: float | None = None
    word: bool = False

    @property
    def squeeze(self) -> float:
        return self.squeeze_left + self.squeeze_right

    @property
    def font_advance(self) -> float:
        return self.width if self.advance is None else self.advance


@dataclass(slots=True)
class Line:
    """A set line: each glyph with the x of its origin, relative to the line's start.

    ``extent`` is where the last glyph ends; ``indent`` is the first-line
    indent already included in the available width.
    """

    glyphs: list[Glyph]
    xs: list[float] = field(default_factory=list)
    extent: float = 0.0
    indent: float = 0.0

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


def is_latin(ch: str) -> bool:
    """Part of a Latin word or number: letters, digits and the marks inside them."""
    if ch.isspace():
        return False
    if ch.isascii():
        return True
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return False
    return unicodedata.category(ch)[0] in "LNM"


def break_allowed(before: str, after: str) -> bool:
    """May a line end after ``before`` and the next begin with ``after``?"""
    if after in CANNOT_START or before in CANNOT_END or after.isspace():
        return False
    if before == after and before in NEVER_SPLIT:
        return False
    return not (is_latin(before) and is_latin(after))


def _latin(g: Glyph) -> bool:
    return g.word or is_latin(g.char)


def _can_break(glyphs: list[Glyph], at: int) -> bool:
    """May a line end before glyphs[at]?"""
    if at >= len(glyphs) or glyphs[at].char == FORCED_BREAK:
        return True
    a, b = glyphs[at - 1], glyphs[at]
    return break_allowed(a.char, b.char) and not (_latin(a) and _latin(b))


def _gap_kind(a: Glyph, b: Glyph) -> str:
    """How the gap between two neighbours may stretch: 'han', 'edge' (capped) or 'none'."""
    la, lb = _latin(a), _latin(b)
    if la and lb or _wide_space(a) or _wide_space(b):
        return "none"  # an ideographic space is wide enough already
    if la or lb or a.char.isspace() or b.char.isspace():
        return "edge"
    return "han"


def _wide_space(g: Glyph) -> bool:
    return g.char.isspace() and g.width > g.size / 2


def _natural(glyphs: list[Glyph]) -> float:
    return sum(g.width for g in glyphs)


def set_line(glyphs: list[Glyph], avail: float, justify: bool, indent: float = 0.0) -> Line:
    """Place ``glyphs`` on one line of width ``avail``: squeeze punctuation if
    they overflow, spread the slack over the gaps if ``justify``."""
    while glyphs and glyphs[-1].char.isspace():
        glyphs = glyphs[:-1]
    natural = _natural(glyphs)
    slack = avail - natural
    squeeze_total = sum(g.squeeze for g in glyphs)
    ratio = 0.0
    if slack < -_EPS and squeeze_total > _EPS:
        ratio = min(1.0, -slack / squeeze_total)

    extra = [0.0] * len(glyphs)  # added after glyph i
    if justify and slack > _EPS and len(glyphs) > 1:
        kinds = [_gap_kind(a, b) for a, b in pairwise(glyphs)]
        han = [i for i, k in enumerate(kinds) if k == "han"]
        edge = [i for i, k in enumerate(kinds) if k == "edge"]
        cap = glyphs[0].size / 4
        if han or edge:
            each = slack / (len(han) + len(edge))
            edge_gap = min(each, cap)
            han_gap = (slack - edge_gap * len(edge)) / len(han) if han else 0.0
            for i in han:
                extra[i] = han_gap
            for i in edge:
                extra[i] = edge_gap

    xs = []
    pen = 0.0
    for i, g in enumerate(glyphs):
        xs.append(pen + g.shift - g.squeeze_left * ratio)
        pen += g.width - g.squeeze * ratio + extra[i]
    return Line(list(glyphs), xs, pen, indent)


def _fits_squeezed(glyphs: list[Glyph], avail: float) -> bool:
    trimmed = glyphs
    while trimmed and trimmed[-1].char.isspace():
        trimmed = trimmed[:-1]
    return _natural(trimmed) - sum(g.squeeze for g in trimmed) <= avail + _EPS


def _choose_cut(glyphs: list[Glyph], start: int, end: int, avail: float) -> int:
    """Where to end the line that holds glyphs[start:end] and overflows with glyphs[end]."""
    if end > start and _can_break(glyphs, end):
        return end
    # Push in: take up to two more marks if squeezing the punctuation makes room.
    for cut in range(end + 1, min(end + 2, len(glyphs)) + 1):
        if _can_break(glyphs, cut) and _fits_squeezed(glyphs[start:cut], avail):
            return cut
    # Push out: end the line earlier, at the last place a break is allowed,
    # unless that leaves a gaping line in front of a long Latin word (a URL).
    for cut in range(end - 1, start, -1):
        if _can_break(glyphs, cut):
            if not _latin(glyphs[end]) or _natural(glyphs[start:cut]) >= MIN_FILL * avail:
                return cut
            break
    return _break_inside_word(glyphs, start, end, avail)


def _break_inside_word(glyphs: list[Glyph], start: int, end: int, avail: float) -> int:
    """Split a word too long to move: after a slash, dot or hyphen if one is
    near the end of the line, else where it overflows; never before a mark
    that may not start a line."""
    fallback = None
    for cut in range(end, start, -1):
        a, b = glyphs[cut - 1].char, glyphs[cut].char
        if b in CANNOT_START or a in CANNOT_END:
            continue
        if fallback is None:
            fallback = cut
        if _natural(glyphs[start:cut]) < MIN_FILL * avail:
            break
        if a in URL_BREAKS:
            return cut
    return fallback if fallback is not None else max(end, start + 1)


def break_lines(glyphs: list[Glyph], width: float, *, first_indent: float = 0.0,
                justify: bool = True) -> list[Line]:
    """Break a paragraph into lines of ``width`` points, the first indented."""
    spans: list[tuple[int, int, bool]] = []  # start, end, ends the paragraph (or a forced line)
    start = 0
    n = len(glyphs)
    while start < n:
        avail = width - (first_indent if not spans else 0.0)
        pen, end = 0.0, start
        while end < n and glyphs[end].char != FORCED_BREAK:
            if pen + glyphs[end].width > avail + _EPS and not glyphs[end].char.isspace():
                break
            pen += glyphs[end].width
            end += 1
        if end == n or glyphs[end].char == FORCED_BREAK:
            spans.append((start, end, True))
            start = end + 1
            continue
        cut = _choose_cut(glyphs, start, end, avail)
        forced = cut < n and glyphs[cut].char == FORCED_BREAK
        spans.append((start, cut, cut == n or forced))
        start = cut + 1 if forced else cut
    _no_lone_last_character(glyphs, spans, width)

    lines = []
    for i, (start, end, last) in enumerate(spans):
        indent = first_indent if i == 0 else 0.0
        lines.append(set_line(glyphs[start:end], width - indent, justify and not last, indent))
    return lines


def _no_lone_last_character(glyphs: list[Glyph], spans: list[tuple[int, int, bool]],
                            width: float) -> None:
    """A paragraph's last line never holds a single character (with its
    punctuation): the line before gives it a companion."""
    for i in range(1, len(spans)):
        (s0, e0, last0), (s1, e1, last1) = spans[i - 1], spans[i]
        if last0 or not last1:
            continue
        if sum(1 for g in glyphs[s1:e1] if g.char not in CANNOT_START and not g.char.isspace()) > 1:
            continue
        for cut in range(e0 - 1, s0 + 1, -1):
            if _can_break(glyphs, cut):
                if _natural(glyphs[cut:e1]) <= width + _EPS:
                    spans[i - 1], spans[i] = (s0, cut, False), (cut, e1, True)
                break


def balanced_lines(glyphs: list[Glyph], width: float) -> list[Line]:
    """Ragged lines of near-equal length, for centred titles: the narrowest
    measure that needs no more lines than ``width`` does."""
    lines = break_lines(glyphs, width, justify=False)
    if len(lines) < 2:
        return lines
    low, high = width / len(lines), width
    for _ in range(12):
        mid = (low + high) / 2
        if len(break_lines(glyphs, mid, justify=False)) > len(lines):
            low = mid
        else:
            high = mid
    return break_lines(glyphs, high, justify=False)
