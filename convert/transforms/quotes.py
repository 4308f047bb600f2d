"""Quote marks by region, chosen by nesting depth.

Mainland usage quotes with “ ” and, inside a quotation, ‘ ’; Taiwan and Hong
Kong with 「 」 and 『 』 (clreq; GB/T 15834).  Deeper levels alternate.
Converting needs to know the depth, not the source's glyph: a page that
wrote “…‘…’…” becomes 「…『…』…」, and one that nested “ inside “ gets the
inner pair right too.

How the marks are read:

- Every unit (a paragraph, a heading, a list item with its marker, or one
  metadata field) is one string, so a quotation may open in one inline node
  and close in another.
- A closing mark closes the innermost open quotation, whatever its glyph; a
  closing mark with nothing open is a stray and keeps its level (” and 」 are
  outer, ’ and 』 inner).  An opening mark that is never closed keeps the depth
  it opened at.
- Straight quotes (" and ＂) open, or close an open straight quote; ASCII ' is
  left alone, and so is ’ between two Latin letters or digits (De’Mon).  For
  the same reason a closing mark between two Latin letters never becomes ’:
  its quotation keeps its marks.
- A quotation that runs over several paragraphs, Chinese style: each of its
  paragraphs opens with a quote mark and only the last one closes.  A
  paragraph that opens with a quote mark after one left open starts that
  quotation again at its depth.  A paragraph that does not open with a quote
  mark but closes one it never opened continues the open quotation, so its
  inner quotes get the inner marks.
- Only quotes in Chinese text change: a quotation that holds or touches Chinese
  (他說“OK”), a lone mark next to Chinese.  An English quotation inside Chinese
  text keeps its marks (He said “hi”).

Styles: ``keep`` leaves every mark; ``mainland`` and ``taiwan`` as above;
``auto`` follows the document's script (simplified: mainland, traditional:
taiwan, which is also Hong Kong's usage).  The transform changes quote marks
only, one character for one, and running it twice changes nothing more.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

from .._lazy_re import lazy
from ..lang import script_of
from ..model import Document
from .punctuation import BLANKS, CHINESE, QUOTE_MARKS, FirstAfter, Neighbours, Protected, is_chinese
from .units import TextUnit, rewrite_units

STYLES = {"mainland": ("“”", "‘’"), "taiwan": ("「」", "『』")}
OPENING = "“‘「『"
CLOSING = "”’」』"
STRAIGHT = "\"＂"
INNER = "‘’『』"  # a stray mark of these keeps the inner level


def quote_style(doc: Document, requested: str) -> str | None:
    """The style to apply (mainland, taiwan), None for keep."""
    if requested == "keep":
        return None
    if requested != "auto":
        return requested
    return "mainland" if script_of(doc) == "hans" else "taiwan"


def convert_quotes(doc: Document, requested: str = "auto") -> Document:
    style = quote_style(doc, requested)
    if style is None:
        return doc
    body = _Quotes(STYLES[style])

    def rewrite(unit: TextUnit) -> dict[int, str]:
        if unit.in_body:
            return body.convert(unit.text)
        return _Quotes(STYLES[style]).convert(unit.text)  # metadata fields stand alone

    return rewrite_units(doc, rewrite)


def convert_quotes_text(text: str, style: str) -> str:
    """One string on its own, e.g. a title: ``style`` is mainland or taiwan."""
    changes = _Quotes(STYLES[style]).convert(text)
    return "".join(changes.get(i, ch) for i, ch in enumerate(text)) if changes else text


@dataclass
class _Open:
    """An opening mark on the stack: where it is (-1: in an earlier unit),
    its depth, and whether it changes (it stands in Chinese text)."""

    at: int
    depth: int
    chinese: bool = False
    closed: bool = False  # closed in the unit it opened in


@dataclass
class _Quotes:
    """Reads units in order, carrying a quotation left open into the next one."""

    marks: tuple[str, str]  # outer pair, inner pair
    open_quotes: list[_Open] = field(default_factory=list)

    def convert(self, text: str) -> dict[int, str]:
        """The quote marks of ``text`` that change, by index."""
        if not _QUOTE.search(text):
            # Nothing to close what is open: the earlier quotation was never closed.
            self.open_quotes = []
            return {}
        if self.open_quotes:
            alone = _tokens(text)
            if _opens_first(text, alone) or not _closes_unopened(alone):
                self.open_quotes = []  # a new start, or the earlier quotation was never closed
        tokens = _tokens(text, len(self.open_quotes))
        for q in self.open_quotes:
            q.at = -1
        out: dict[int, str] = {}
        # Found once for the unit: read afresh for every mark, a run of
        # thousands of quote marks took a scan of the run each.
        near = _Near(text)

        def put(i: int, mark: str) -> None:
            if mark != text[i]:
                out[i] = mark

        # Each opening mark's index, until its closing mark is seen: its
        # Chinese test needs the quotation's content.
        opened: list[_Open] = []
        for i, role in tokens:
            if role == "open":
                q = _Open(i, len(self.open_quotes))
                self.open_quotes.append(q)
                opened.append(q)
            elif self.open_quotes:
                q = self.open_quotes.pop()
                if q.at >= 0:
                    q.chinese = near.pair_is_chinese(q.at, i) and self._fits(q.depth, text, i)
                    put(q.at, self._mark(q.depth, 0, q.chinese, text[q.at]))
                    q.closed = True
                put(i, self._mark(q.depth, 1, q.chinese and self._fits(q.depth, text, i), text[i]))
            else:  # stray: keeps its own level
                level = 1 if text[i] in INNER else 0
                chinese = near.touches_chinese(i) and self._fits(level, text, i)
                put(i, self._mark(level, 1, chinese, text[i]))
        for q in opened:
            if not q.closed:  # still open at the end of the unit
                q.chinese = near.touches_chinese(q.at) or near.holds_chinese(q.at + 1, len(text))
                put(q.at, self._mark(q.depth, 0, q.chinese, text[q.at]))
        return out

    def _fits(self, depth: int, text: str, i: int) -> bool:
        """Whether the closing mark at ``i`` may become this style's mark:
        never ’ between two Latin letters, where it would read as an apostrophe."""
        return not (self.marks[depth % 2][1] == "’" and _between_latin(text, i))

    def _mark(self, depth: int, side: int, chinese: bool, original: str) -> str:
        return self.marks[depth % 2][side] if chinese else original


_QUOTE = lazy("[" + re.escape(OPENING + CLOSING + STRAIGHT) + "]")


class _ChineseContent:
    """is_chinese() less the quote marks, which don't count as content (see
    _Near.holds_chinese): 「」『』＂＇ are wide.  A pattern's ``search``, made
    of punctuation's class of Chinese characters and a step past each quote
    mark it finds: compiling a second class of the CJK ranges cost more than
    the quotes of an article."""

    @staticmethod
    def search(s: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        while True:
            m = CHINESE.search(s, pos, endpos)
            if m is None or s[m.start()] not in QUOTE_MARKS:
                return m
            pos = m.start() + 1


_CHINESE_CONTENT = _ChineseContent()


def _tokens(text: str, open_before: int = 0) -> list[tuple[int, str]]:
    """The quote marks of ``text`` in order, each "open" or "close";
    ``open_before`` quotations are open when the text starts."""
    protected = Protected(text)
    tokens: list[tuple[int, str]] = []
    straight = [False] * open_before  # per open quotation: opened with a straight mark
    for m in _QUOTE.finditer(text):
        i = m.start()
        if protected and i in protected:
            continue
        ch = m.group()
        if ch == "’" and _between_latin(text, i):
            continue  # an apostrophe: De’Mon
        if ch in STRAIGHT:
            role = "close" if straight and straight[-1] else "open"
        else:
            role = "open" if ch in OPENING else "close"
        if role == "open":
            straight.append(ch in STRAIGHT)
        elif straight:
            straight.pop()
        tokens.append((i, role))
    return tokens


def _between_latin(text: str, i: int) -> bool:
    return (0 < i < len(text) - 1 and text[i - 1].isascii() and text[i - 1].isalnum()
            and text[i + 1].isascii() and text[i + 1].isalnum())


def _opens_first(text: str, tokens: list[tuple[int, str]]) -> bool:
    start = len(text) - len(text.lstrip(BLANKS))
    return bool(tokens) and tokens[0] == (start, "open")


def _closes_unopened(tokens: list[tuple[int, str]]) -> bool:
    depth = 0
    for _, role in tokens:
        if role == "open":
            depth += 1
        elif depth:
            depth -= 1
        else:
            return True
    return False


class _Near:
    """What is around and between the quote marks of one text."""

    def __init__(self, text: str):
        self.neighbour = Neighbours(text)
        # Quote marks don't count as content: 「」 are wide, but whether they
        # are there depends on this very transform.
        self.chinese_after = FirstAfter(text, _CHINESE_CONTENT)

    def touches_chinese(self, i: int) -> bool:
        return is_chinese(self.neighbour(i, -1)) or is_chinese(self.neighbour(i, 1))

    def holds_chinese(self, start: int, end: int) -> bool:
        return self.chinese_after(start) < end

    def pair_is_chinese(self, open_at: int, close_at: int) -> bool:
        return (self.holds_chinese(open_at + 1, close_at)
                or is_chinese(self.neighbour(open_at, -1)) or is_chinese(self.neighbour(close_at, 1)))
