"""Adjacent punctuation compressed by the embedded faces (clreq 3.1.6).

Which pairs compress, and by how much, is ``lang.pair_cut``, the rule the
PDF writer sets lines by: a bracket or quote beside another mark (。」 」，
，「 ”“ 《（) takes 1.5 em, not 2, the blank half between the two inks going;
two marks without a bracket (？！) and pairs with no blank half between them
(「」, a centred Taiwan 。 before 」) keep their ems.

Reading systems differ (see docs/typography.md): Chromium-based ones
(Readium, Thorium, recent Calibre) compress pairs themselves with
``text-spacing-trim``, with a face that has 'halt'; WebKit (Apple Books),
Gecko and MuPDF do not.  So the embedded subsets carry the pairs as 'kern'
adjustments, which every shaper applies unasked, and the stylesheet turns
kerning off where ``text-spacing-trim`` does the work, so that no pair is
compressed twice.

A vertical book follows the same rule down the column with the marks'
vertical forms, head for left and foot for right (a Mainland full stop's
blank is at its foot, an opening bracket's at its head; ！？：； stand
centred), and the pairs become 'vkrn' (see ``_vertical_subset``).
"""

from __future__ import annotations

import functools

from ... import lang
from .._font_subset import PairClasses

# The marks a pair may hold, in a fixed order: classes are numbered by it,
# so the same book gets the same font bytes.
_MARKS = tuple(dict.fromkeys(lang.PAIRED_MARKS))


def pair_em(a: str, b: str, region: str, vertical: bool = False) -> float:
    """The blank two adjacent marks give up between them, in em."""
    return sum(lang.pair_cut(a, b, region, vertical))


@functools.cache
def pair_classes(region: str, vertical: bool = False) -> PairClasses:
    """``lang.pair_cut`` as classes of the subsets' 'kern' ('vkrn' when
    ``vertical``, by the rule down a column): marks whose cuts against every
    other mark are the same share a class, first and second alike; the first
    glyph of a pair gives up the blank, whichever of the two has it, and the
    second moves into it."""
    cuts = {(a, b): pair_em(a, b, region, vertical) for a in _MARKS for b in _MARKS}

    def cut(a: str, b: str) -> float:
        return cuts[a, b]

    rows = {a: tuple(cut(a, b) for b in _MARKS) for a in _MARKS}
    columns = {b: tuple(cut(a, b) for a in _MARKS) for b in _MARKS}
    first = _classes(rows)
    second = _classes(columns)
    first_of = {number: next(m for m, n in first.items() if n == number) for number in set(first.values())}
    second_of = {number: next(m for m, n in second.items() if n == number) for number in set(second.values())}
    advance = tuple(
        tuple(-cut(first_of[i], second_of[j]) or 0.0 for j in range(1, len(second_of) + 1))
        for i in range(1, len(first_of) + 1))
    return PairClasses(first, second, advance)


def _classes(cuts: dict[str, tuple[float, ...]]) -> dict[str, int]:
    """mark -> class (from 1), one class for each distinct row of cuts; a
    mark that gives nothing against any mark is in none."""
    numbers: dict[tuple[float, ...], int] = {}
    out = {}
    for mark, row in cuts.items():
        if any(row):
            out[mark] = numbers.setdefault(row, len(numbers) + 1)
    return out
