"""The PDF writer's options, apart from the writer so that the modules
setting a document can name them without importing the package back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ...errors import UsageError
from ..options import option


@dataclass(frozen=True)
class PdfOptions:
    """``font_size``: body text in points (10.5 is the 五号 of Chinese print);
    ``chars_per_line``: the measure in body characters; ``line_spacing``:
    baseline to baseline, in multiples of the font size; ``layout``: lines
    across the page, or columns top to bottom and right to left (直排), whose
    length keeps the proportion of the page.  The page is A4."""

    font_size: float = option(10.5, metavar="POINTS", help="body text size in points, 6-20")
    chars_per_line: int = option(40, metavar="N", help="the measure, in body characters a line")
    line_spacing: float = option(1.75, metavar="TIMES",
                                 help="baseline to baseline, in multiples of the font size, 1.2-3")
    layout: Literal["horizontal", "vertical"] = option(
        "horizontal", help="horizontal lines, or vertical columns right to left")

    def __post_init__(self) -> None:
        if not 6 <= self.font_size <= 20:
            raise UsageError(f"pdf font_size must be 6-20 points, not {self.font_size}")
        if not 12 <= self.chars_per_line * self.font_size <= 500:
            raise UsageError(
                f"pdf: {self.chars_per_line} characters of {self.font_size} pt do not fit A4")
        if not 1.2 <= self.line_spacing <= 3:
            raise UsageError(f"pdf line_spacing must be 1.2-3, not {self.line_spacing}")
        if self.layout not in ("horizontal", "vertical"):
            raise UsageError(f"pdf layout must be horizontal or vertical, not {self.layout!r}")
