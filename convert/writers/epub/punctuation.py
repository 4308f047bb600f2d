"""Adjacent punctuation compressed by the embedded faces (clreq 3.1.6).

Two full-width marks side by side (。」 」， ，「 ”“ 《（) take 1.5 em, not 2:
the blank half between them goes, the first mark's when its blank is on the
right (a closing bracket, a Mainland stop mark), else the second's when its
blank is on the left (an opening bracket), so that brackets and quotes stay
tight to what they enclose; beside the centred marks of Taiwan and Hong Kong
faces only a quarter em is blank, and nothing goes.

Reading systems differ (see docs/typography.md): Chromium-based ones
(Readium, Thorium, recent Calibre) compress pairs themselves with
``text-spacing-trim``, with a face that has 'halt'; WebKit (Apple Books),
Gecko and MuPDF do not.  So the embedded subsets carry the pairs as 'kern'
adjustments, which every shaper applies unasked, and the stylesheet turns
kerning off where ``text-spacing-trim`` does the work, so that no pair is
compressed twice.

Which side of a mark is blank is read from the region's face: its 'halt'
sets each mark in half an em, moving it left by the blank before its ink.

A vertical book follows the same rule down the column, with the marks'
vertical forms: the face's 'vhal' tells which end of each form is blank
(a Mainland stop mark's is at its foot, an opening bracket's at its head),
and the pairs become 'vkrn' (see ``_vertical_subset``).
"""

from __future__ import annotations

import functools

from ... import lang
from .._font_subset import PairClasses

CUT = 0.5  # em: the blank half a pair gives up
# Marks with a blank part (clreq's adjustable marks): pause and stop marks,
# brackets and quotes, the ones kinsoku keeps off a line's edges.
_ADJUSTABLE = frozenset(c for c in lang.CANNOT_START + lang.CANNOT_END if not c.isascii())
# Centred in a Taiwan or Hong Kong face, these keep their full em (clreq
# 3.1.6.1: not adjustable), as in the PDF.
_CENTRED_FULL = frozenset("！？")


@functools.cache
def mark_blanks(region: str, vertical: bool = False) -> dict[str, tuple[float, float]]:
    """mark -> (blank left, blank right) in em, in the region's bundled
    face: half an em beside the ink, or a quarter each side of a centred
    mark; ``vertical``: (blank at the head, blank at the foot) of the
    mark's vertical form."""
    from .._font_subset import half_width_marks, vertical_half_width_marks
    from .._fonts import font_path

    marks = (vertical_half_width_marks if vertical else half_width_marks)(font_path(region))
    blanks = {}
    for mark, (placement, advance) in marks.items():
        if mark not in _ADJUSTABLE or advance != -CUT:
            continue
        # Across the line a placement to the left (negative) removes the
        # blank before the ink; down a column, one upwards (positive) does.
        left = placement if vertical else -placement
        if left == CUT - left and mark in _CENTRED_FULL:
            continue
        blanks[mark] = (left, CUT - left)
    return blanks


def pair_cut(a: str, b: str, blanks: dict[str, tuple[float, float]]) -> float:
    """The blank two adjacent marks ``a`` ``b`` give up between them."""
    if a not in blanks or b not in blanks:
        return 0.0
    if blanks[a][1] > blanks[a][0]:
        return blanks[a][1]
    if blanks[b][0] > blanks[b][1]:
        return blanks[b][0]
    return 0.0


@functools.cache
def pair_classes(region: str, vertical: bool = False) -> PairClasses:
    """``pair_cut`` as classes of the subsets' 'kern' ('vkrn' when
    ``vertical``): a first mark blank on its right (1) or not (2), a second
    mark blank on its left (1) or not (2), right and left being foot and
    head in a column.  The first glyph gives up the blank, whichever of the
    two has it: the second glyph moves into it."""
    blanks = mark_blanks(region, vertical)
    first = {m: 1 if right > left else 2 for m, (left, right) in blanks.items()}
    second = {m: 1 if left > right else 2 for m, (left, right) in blanks.items()}
    return PairClasses(first, second, ((-CUT, -CUT), (-CUT, 0.0)))
