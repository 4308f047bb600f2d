"""Line breaking and justification for Chinese text, independent of any PDF library.

Follows the Chinese prohibition rules (kinsoku, after W3C clreq and GB/T 15834):
no line starts with a pause or stop mark or a closing quote/bracket, none ends
with an opening one, and ——, ―― and …… stay whole.

Punctuation widths follow clreq §3.1.6.  A full-width mark is one em wide
wherever it stands, except in two places: a bracket or quote and the mark
beside it take 1.5 em (the blank half between them goes, so brackets and
quotes stay tight to what they enclose; ``lang.pair_cut`` is the rule every
writer shares), and at a line edge, where ``Trimming`` says which blank halves
the margin takes.  A line is never squeezed to fit: a mark that may not start
a line is pushed in only when halving it at the line end makes room, else a
character is pushed out.  A justified line spreads its slack over the gaps
between characters, the gaps between Han characters last (``_spread``);
Latin words are never spaced out, and nothing goes inside —— or …… or
between two marks.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from ... import lang

# The line-edge rules every writer shares (convert.lang), as sets.
CANNOT_START = frozenset(lang.CANNOT_START)
CANNOT_END = frozenset(lang.CANNOT_END)
NEVER_SPLIT = frozenset(lang.NEVER_SPLIT)
# Full-width marks with a blank part the layout may take off (clreq's
# "adjustable" marks): pause and stop marks, brackets and quotes.
ADJUSTABLE = frozenset(lang.OPENING + lang.CLOSING + lang.PAUSES_STOPS)

# A line pushed out shorter than this (of the measure) breaks the long Latin
# word that would otherwise leave it gaping; so does one whose slack would
# open its Han gaps wider than HAN_GAP: after one of URL_BREAKS or before one
# of CALL_BREAKS if that avoids it, else where the word overflows.
MIN_FILL = 0.6
URL_BREAKS = frozenset("/.-_?&=#")
CALL_BREAKS = frozenset("([")
# A Latin "word" this long (em: twenty letters) is a URL or program code, not
# a word, and may be split where it overflows.
LONG_WORD = 10.0
# Justification: the widest gap between Han characters a line's slack should
# open (beyond it Han text looks letter-spaced), and the widest a Han/Latin
# boundary or a word space grows (em).
HAN_GAP = 0.1
EDGE_GAP = 0.25

FORCED_BREAK = "\n"
_EPS = 1e-6


@dataclass(frozen=True)
class Trimming:
    """Which blank halves of the marks at a line's edges the margin takes.

    ``line_start``: an opening bracket or quote that starts a line loses
    the half before it (clreq 3.1.6.3).  ``line_end``: a mark whose blank
    half is on the right (closing brackets and quotes; Mainland pause and
    stop marks) loses it at the end of a line (GB/T 15834 5.1.10).  Adjacent
    marks are compressed whatever this says, as ``lang.pair_cut`` says for
    ``region``; ``vertical``: down a column, the marks' vertical forms.
    """

    line_start: bool = True
    line_end: bool = True
    region: str = "cn"
    vertical: bool = False


# Mainland: every blank half at a line edge goes (GB/T 15834 5.1.10).
MAINLAND = Trimming()
# Hong Kong publications adjust as the Mainland's do; their 。，、：；！？ sit
# centred, with no blank half to give, and keep their em.
HONG_KONG = Trimming(region="hk")
# Many Taiwan publications never adjust punctuation (clreq 3.1.6): marks keep
# their full em at line edges, and only adjacent marks are compressed.
TAIWAN = Trimming(line_start=False, line_end=False, region="tw")
TRIMMING = {"cn": MAINLAND, "hk": HONG_KONG, "tw": TAIWAN}


@dataclass(slots=True)
class Glyph:
    """One character as set: its font, size and width in points.

    ``blank_left``/``blank_right`` are the blank half of a full-width mark
    the layout may take off, on the side away from its ink.  A glyph set
    narrower or wider than the font draws it (an apostrophe in a Latin word,
    a wide space, a dash drawn as one line with the next) keeps the font's
    own ``advance``, is drawn ``shift`` points from its place, stretched by
    ``scale`` and raised by ``rise``.  ``word`` makes it part of a Latin
    word whatever it is.
    """

    char: str
    font: str
    size: float
    width: float
    blank_left: float = 0.0
    blank_right: float = 0.0
    emphasis: bool = False
    color: float = 0.0  # grey level, 0 black
    shift: float = 0.0
    advance: float | None = None
    word: bool = False
    scale: float = 1.0
    rise: float = 0.0

    @property
    def font_advance(self) -> float:
        return self.width if self.advance is None else self.advance

    @property
    def mark(self) -> bool:
        """A punctuation mark (pairs with a neighbouring mark)."""
        return not self.word and is_mark(self.char)


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
    # the glyphs set narrower than their advance: a blank half taken off
    # their right, or off the left of the glyph after them
    narrowed: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


def is_mark(ch: str) -> bool:
    """Full-width punctuation, the dashes and the ellipsis included."""
    found = _MARK.get(ch)
    if found is None:
        found = _MARK[ch] = ch in ADJUSTABLE or (
            not ch.isascii() and unicodedata.category(ch)[0] == "P"
            and unicodedata.east_asian_width(ch) in ("W", "F", "A"))
    return found


_MARK: dict[str, bool] = {}


def is_latin(ch: str) -> bool:
    """Part of a Latin word or number: letters, digits and the marks inside them."""
    found = _LATIN.get(ch)
    if found is None:
        found = _LATIN[ch] = not ch.isspace() and (ch.isascii() or (
            unicodedata.east_asian_width(ch) not in ("W", "F")
            and unicodedata.category(ch)[0] in "LNM"))
    return found


_LATIN: dict[str, bool] = {}


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
    if a.char == b.char and a.char in NEVER_SPLIT:
        return False
    return break_allowed(a.char, b.char) and not (_latin(a) and _latin(b))


# What a glyph is to the gaps beside it.
_HAN, _LATIN_WORD, _SPACE, _WIDE_SPACE, _MARK_GLYPH = range(5)


def _class(g: Glyph) -> int:
    if g.word:
        return _LATIN_WORD
    ch = g.char
    found = _CLASSES.get(ch)
    if found is None:
        if ch.isspace():
            return _WIDE_SPACE if g.width > g.size / 2 else _SPACE
        found = _CLASSES[ch] = _LATIN_WORD if is_latin(ch) else _MARK_GLYPH if is_mark(ch) else _HAN
    return found


_CLASSES: dict[str, int] = {}


def _kind(a: int, b: int) -> str:
    """How the gap between glyphs of classes a and b may stretch: 'han',
    'edge' (capped) or 'none'."""
    if a == b == _LATIN_WORD or _WIDE_SPACE in (a, b):
        return "none"  # inside a word; an ideographic space is wide enough already
    if a == b == _MARK_GLYPH:
        return "none"  # a compressed pair, or the parts of —— and ……
    if _LATIN_WORD in (a, b) or _SPACE in (a, b):
        return "edge"
    return "han"


_KINDS = [[_kind(a, b) for b in range(5)] for a in range(5)]


def _gap_kinds(glyphs: list[Glyph]) -> list[str]:
    """The kind of each gap between neighbours."""
    classes = [_class(g) for g in glyphs]
    return [_KINDS[a][b] for a, b in pairwise(classes)]


def pair_cut(a: Glyph, b: Glyph, region: str = "cn", vertical: bool = False) -> tuple[float, float]:
    """The blank two adjacent marks give up between them, off a's right and
    off b's left, as ``lang.pair_cut`` rules for the region (」， 。” ”“ ，「
    《（ take 1.5 em, ？！ keeps 2).  Only blank the face leaves goes: a mark
    set in a face whose ink fills that half (a fallback face's) keeps it,
    and an apostrophe inside a word is no quote."""
    if a.word or b.word:
        return (0.0, 0.0)
    right, left = lang.pair_cut(a.char, b.char, region, vertical)
    if right and a.blank_right * (1 + _EPS) >= right * a.size:
        return (a.blank_right, 0.0)
    if left and b.blank_left * (1 + _EPS) >= left * b.size:
        return (0.0, b.blank_left)
    return (0.0, 0.0)


def _start_trim(g: Glyph, trimming: Trimming) -> float:
    return g.blank_left if trimming.line_start and g.blank_left > g.blank_right else 0.0


def _end_trim(g: Glyph, trimming: Trimming) -> float:
    return g.blank_right if trimming.line_end and g.blank_right > g.blank_left else 0.0


def _trims(glyphs: list[Glyph], trimming: Trimming) -> tuple[list[float], list[float], list[int]]:
    """The blank taken off the left and the right of each glyph of a line,
    and the glyphs this narrows (see ``Line.narrowed``)."""
    n = len(glyphs)
    lefts, rights, narrowed = [0.0] * n, [0.0] * n, []
    for i in range(n - 1):
        a, b = glyphs[i], glyphs[i + 1]
        if a.blank_right or b.blank_left:
            right, left = pair_cut(a, b, trimming.region, trimming.vertical)
            if right or left:
                rights[i] += right
                lefts[i + 1] += left
                narrowed.append(i)
    if n:
        lefts[0] += _start_trim(glyphs[0], trimming)
        rights[-1] += _end_trim(glyphs[-1], trimming)
        if rights[-1]:
            narrowed.append(n - 1)
    return lefts, rights, narrowed


class _Widths:
    """The set width of any run of a paragraph's glyphs as one line, in O(1):
    prefix sums of the glyphs' widths and of the pair compressions, and what
    each glyph would give up at either edge of a line."""

    def __init__(self, glyphs: list[Glyph], trimming: Trimming):
        self.glyphs = glyphs
        n = len(glyphs)
        widths, cuts = [0.0] * (n + 1), [0.0] * (n + 1)  # cuts: of the gaps before each glyph
        starts, keys = [0.0] * n, [0.0] * n
        total = cut_total = 0.0
        for i, g in enumerate(glyphs):
            total += g.width
            widths[i + 1] = total
            # The width of glyphs[start:i + 1] as a line is keys[i] less what
            # depends on the start only; keys never decrease along a
            # paragraph (a mark gives up at most the half em it adds), so
            # the longest line from a start is found by bisection.
            keys[i] = total - cut_total
            if g.blank_left:
                starts[i] = _start_trim(g, trimming)
            if g.blank_right:
                keys[i] -= _end_trim(g, trimming)
            if i + 1 < n and (g.blank_right or glyphs[i + 1].blank_left):
                cut_total += sum(pair_cut(g, glyphs[i + 1], trimming.region, trimming.vertical))
            cuts[i + 1] = cut_total
        self._widths, self._cuts, self._start, self.keys = widths, cuts, starts, keys

    def line(self, start: int, last: int) -> float:
        """Width of glyphs[start:last + 1] set as a line (``last`` not a space)."""
        if last < start:
            return 0.0
        return self.keys[last] - self._widths[start] + self._cuts[start] - self._start[start]

    def longest(self, start: int, stop: int, avail: float) -> int:
        """The end of the longest run from ``start`` (up to ``stop``) that
        fits in ``avail`` as a line; trailing spaces always fit."""
        limit = avail + _EPS + self._widths[start] - self._cuts[start] + self._start[start]
        end = bisect_right(self.keys, limit, start, stop)
        glyphs = self.glyphs
        while end < stop and glyphs[end].char.isspace():
            end += 1
        return end

    def span(self, start: int, end: int) -> float:
        """Width of glyphs[start:end] as a line, trailing spaces left out."""
        last = end - 1
        while last >= start and self.glyphs[last].char.isspace():
            last -= 1
        return self.line(start, last)


def _spread(slack: float, han: int, edge: int, size: float) -> tuple[float, float]:
    """What each gap between Han characters and each Han/Latin (or word
    space) gap takes of a line's slack.  All take the same up to
    HAN_GAP; beyond that the Han/Latin gaps widen first, up to EDGE_GAP (clreq
    expands word spaces and Han/Latin spaces before the gaps between Han
    characters), and only then do the Han gaps take the rest."""
    if not han and not edge:
        return (0.0, 0.0)
    soft, cap = HAN_GAP * size, EDGE_GAP * size
    if slack <= soft * (han + edge):
        each = slack / (han + edge)
        return (each, each)
    if edge and slack <= soft * han + cap * edge:
        return (soft, (slack - soft * han) / edge)
    edge_gap = min(cap, slack / edge) if edge else 0.0
    return ((slack - edge_gap * edge) / han if han else 0.0, edge_gap)


def _capacity(glyphs: list[Glyph]) -> float:
    """The slack a line of these glyphs takes without a gap between Han
    characters opening wider than HAN_GAP."""
    while glyphs and glyphs[-1].char.isspace():
        glyphs = glyphs[:-1]
    kinds = _gap_kinds(glyphs)
    if not kinds:
        return 0.0
    return glyphs[0].size * (HAN_GAP * kinds.count("han") + EDGE_GAP * kinds.count("edge"))


def set_line(glyphs: list[Glyph], avail: float, justify: bool, indent: float = 0.0,
             trimming: Trimming = MAINLAND) -> Line:
    """Place ``glyphs`` on one line of width ``avail``: compress adjacent marks,
    trim the marks at its edges, and spread the slack over the gaps if
    ``justify``.  A line that overflows is left to overflow: punctuation is
    never squeezed to fit."""
    while glyphs and glyphs[-1].char.isspace():
        glyphs = glyphs[:-1]
    n = len(glyphs)
    lefts, rights, narrowed = _trims(glyphs, trimming)
    slack = avail - (sum(g.width for g in glyphs) - sum(lefts) - sum(rights))

    extra = [0.0] * n  # added after glyph i
    if justify and slack > _EPS and n > 1:
        kinds = _gap_kinds(glyphs)
        han = kinds.count("han")
        edge = kinds.count("edge")
        han_gap, edge_gap = _spread(slack, han, edge, glyphs[0].size)
        gap_of = {"han": han_gap, "edge": edge_gap, "none": 0.0}
        extra = [gap_of[k] for k in kinds]
        extra.append(0.0)

    xs = []
    pen = 0.0
    for g, left, right, more in zip(glyphs, lefts, rights, extra, strict=True):
        xs.append(pen + g.shift - left)
        pen += g.width - left - right + more
    return Line(list(glyphs), xs, pen, indent, narrowed)


def _choose_cut(glyphs: list[Glyph], widths: _Widths, start: int, end: int, avail: float) -> int:
    """Where to end the line that holds glyphs[start:end] and overflows with glyphs[end].

    A mark that may not start a line has already been pushed in if halving
    it at the line end made room for it; otherwise a character is pushed out.
    A long Latin word (a URL, program code) is split rather than leave a
    line whose slack would letter-space its Han characters.
    """
    if end > start and _can_break(glyphs, end):
        return end
    cut = next((c for c in range(end - 1, start, -1) if _can_break(glyphs, c)), None)
    if cut is not None and (not _latin(glyphs[end]) or _absorbs(glyphs, widths, start, cut, avail)):
        return cut
    # The overflow is inside a Latin word that would be pushed out whole.
    low = cut if cut is not None else start
    for inside in range(end, low, -1):
        if _url_break(glyphs, inside) and _absorbs(glyphs, widths, start, inside, avail):
            return inside
    if cut is not None and widths.span(start, cut) >= MIN_FILL * avail:
        word_end = next((c for c in range(end + 1, len(glyphs)) if _can_break(glyphs, c)), len(glyphs))
        if widths.span(cut, word_end) < LONG_WORD * glyphs[end].size:
            return cut  # an ordinary word is never split; its line stays loose
    return _break_inside_word(glyphs, start, end)


def _absorbs(glyphs: list[Glyph], widths: _Widths, start: int, cut: int, avail: float) -> bool:
    """Can glyphs[start:cut] be justified without gaps wider than HAN_GAP?"""
    return avail - widths.span(start, cut) <= _capacity(glyphs[start:cut]) + _EPS


def _url_break(glyphs: list[Glyph], cut: int) -> bool:
    """May a Latin word be split before glyphs[cut]: after a slash, dot or
    hyphen, or before the bracket of a call in program code (``observeOn(``)?"""
    a, b = glyphs[cut - 1].char, glyphs[cut].char
    if b in CANNOT_START or b.isspace() or a in CANNOT_END:
        return False
    return a in URL_BREAKS or b in CALL_BREAKS and is_latin(a)


def _break_inside_word(glyphs: list[Glyph], start: int, end: int) -> int:
    """Split a word too long to move where it overflows; never before a mark
    that may not start a line."""
    for cut in range(end, start, -1):
        a, b = glyphs[cut - 1].char, glyphs[cut].char
        if b not in CANNOT_START and a not in CANNOT_END:
            return cut
    return max(end, start + 1)


def break_lines(glyphs: list[Glyph], width: float, *, first_indent: float = 0.0,
                justify: bool = True, trimming: Trimming = MAINLAND) -> list[Line]:
    """Break a paragraph into lines of ``width`` points, the first indented."""
    spans: list[tuple[int, int, bool]] = []  # start, end, ends the paragraph (or a forced line)
    widths = _Widths(glyphs, trimming)
    start = 0
    n = len(glyphs)
    # where the forced line breaks are, and the first not yet passed
    breaks = [i for i, g in enumerate(glyphs) if g.char == FORCED_BREAK] + [n]
    next_break = 0
    while start < n:
        avail = width - (first_indent if not spans else 0.0)
        while breaks[next_break] < start:
            next_break += 1
        end = widths.longest(start, breaks[next_break], avail)
        if end == n or glyphs[end].char == FORCED_BREAK:
            spans.append((start, end, True))
            start = end + 1
            continue
        cut = _choose_cut(glyphs, widths, start, end, avail)
        forced = cut < n and glyphs[cut].char == FORCED_BREAK
        spans.append((start, cut, cut == n or forced))
        start = cut + 1 if forced else cut
    _no_lone_last_character(glyphs, widths, spans, width)

    lines = []
    for i, (start, end, last) in enumerate(spans):
        indent = first_indent if i == 0 else 0.0
        lines.append(set_line(glyphs[start:end], width - indent, justify and not last, indent,
                              trimming))
    return lines


def _no_lone_last_character(glyphs: list[Glyph], widths: _Widths,
                            spans: list[tuple[int, int, bool]], width: float) -> None:
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
                if widths.span(cut, e1) <= width + _EPS:
                    spans[i - 1], spans[i] = (s0, cut, False), (cut, e1, True)
                break


def balanced_lines(glyphs: list[Glyph], width: float, trimming: Trimming = MAINLAND) -> list[Line]:
    """Ragged lines of near-equal length, for centred titles: the narrowest
    measure that needs no more lines than ``width`` does."""
    lines = break_lines(glyphs, width, justify=False, trimming=trimming)
    if len(lines) < 2:
        return lines
    low, high = width / len(lines), width
    for _ in range(12):
        mid = (low + high) / 2
        if len(break_lines(glyphs, mid, justify=False, trimming=trimming)) > len(lines):
            low = mid
        else:
            high = mid
    return break_lines(glyphs, high, justify=False, trimming=trimming)
