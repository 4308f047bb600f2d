"""A text cut into units: its non-empty lines, with the lines of a
hard-wrapped paragraph joined back.

Kept out of units.py, which every stage imports: the cut asks the header
stage whether a line is a date line (a date line is never joined), and the
header stage is itself built on units.py.
"""

from __future__ import annotations

from collections import Counter

from .header import parse_dateline
from .patterns import CLOSERS, TERMINAL
from .units import Unit, is_wide, strip_space


def split_units(text: str) -> list[Unit]:
    """Non-empty lines, with hard-wrapped lines of one paragraph joined.

    Only a text that really is hard-wrapped gets joined: several lines share
    one length (the wrap width).  Then a line of that width that ends without
    closing punctuation continues into the next unless the next is indented;
    date lines are never joined.  Two wide characters join with nothing,
    Latin words with a space.
    """
    raw = text.split("\n")
    width = wrap_width([len(strip_space(line)) for line in raw])
    units: list[Unit] = []
    joining = False
    for number, line in enumerate(raw, start=1):
        stripped = strip_space(line)
        if not stripped:
            joining = False
            continue
        indented = line[:1] in ("\u3000", " ", "\t", "\u00a0")
        if joining and not indented and units and not parse_dateline(stripped):
            prev = units[-1]
            glue = "" if is_wide(prev.text[-1]) or is_wide(stripped[0]) else " "
            prev.text += glue + stripped
        else:
            units.append(Unit(stripped, number, indented))
        joining = (
            width > 0
            and len(stripped) >= width - 1
            and stripped[-1] not in TERMINAL + CLOSERS + "：:；;"
            and not parse_dateline(stripped)
        )
    return units


def wrap_width(widths: list[int]) -> int:
    """The width a hard-wrapped text was cut at, 0 when it was not: the most
    common length of long lines, shared by at least three lines and by a third
    of the text's lines."""
    long_lines = [w for w in widths if w >= 20]
    if len(long_lines) < 3:
        return 0
    # Lines of one paragraph wrap at w or w-1 (a closing mark pushed over).
    counts = Counter(long_lines)
    width, n = max(((w, counts[w] + counts[w - 1]) for w in counts), key=lambda x: (x[1], x[0]))
    nonempty = sum(1 for w in widths if w)
    return width if n >= 3 and n * 3 >= nonempty else 0
