"""Units: the paragraph-sized pieces of an input (lines, or hard-wrapped
lines joined back: split.py cuts them), and the state the stages fill in as
they read."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ...model import Furniture
from .patterns import SPACE


@dataclass
class Unit:
    """A paragraph-sized piece of the input: one non-empty line, or lines
    joined back where a page was hard-wrapped."""

    text: str
    line: int
    indented: bool = False  # set in from the margin as a paragraph is (　　)


@dataclass
class Found:
    title: str = ""
    subtitle: str | None = None
    breadcrumb: str | None = None
    site: str | None = None
    channel: str | None = None
    published: str | None = None
    source: str | None = None
    byline: str | None = None
    byline_under_title: bool = False  # on a line of its own right under the title
    editors: list[str] = field(default_factory=list)
    furniture: list[Furniture] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Why each field holds what it holds: field -> (rule, runner-up, line or 0).
    reasons: dict[str, tuple[str, str | None, int]] = field(default_factory=dict)

    def because(self, name: str, rule: str, runner_up: str | None = None, line: int = 0) -> None:
        """Record why ``name`` holds what it holds, the first rule to fill it;
        nothing for a field a rule left empty (a 来源 naming no outlet), so a
        later rule that fills it gives the reason."""
        if getattr(self, name, True) in (None, "", []):
            return
        self.reasons.setdefault(name, (rule, runner_up, line))


ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def clean_text(text: str) -> tuple[str, list[str]]:
    """Line endings to LF, zero-width marks out, characters XML 1.0 forbids out
    (with a warning: they would make DOCX and EPUB invalid)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(ZERO_WIDTH)
    warnings = []
    bad = [c for c in set(text) if forbidden_in_xml(c)]
    if bad:
        count = sum(text.count(c) for c in bad)
        text = "".join(c for c in text if not forbidden_in_xml(c))
        codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(bad)[:8])
        warnings.append(f"removed {count} control or invalid character(s) ({codes})")
    return text, warnings


def forbidden_in_xml(c: str) -> bool:
    o = ord(c)
    if o in (0x9, 0xA, 0xD):
        return False
    return o < 0x20 or 0x7F <= o <= 0x9F or 0xD800 <= o <= 0xDFFF or o in (0xFFFE, 0xFFFF)


def strip_space(s: str) -> str:
    return s.strip(SPACE + "\n")


def is_han_word(text: str, shortest: int, longest: int) -> bool:
    """Whether ``text`` is ``shortest`` to ``longest`` characters of
    U+4E00-U+9FFF, as ``re.fullmatch(r"[\u4e00-\u9fff]{shortest,longest}",
    text)`` says (a class over that range cost re a loop over its 21,000
    code points to compile, each pattern that held one)."""
    return shortest <= len(text) <= longest and all("\u4e00" <= c <= "\u9fff" for c in text)


def is_wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in ("W", "F")


@dataclass
class Page:
    units: list[Unit]  # lines, or a flattened page's pieces
    flattened: bool
    headline: int | None = None  # index into units
    title: str = ""
    site: str | None = None
    runner_up: str | None = None  # the title that came second
    evidence: dict[str, str] = field(default_factory=dict)
