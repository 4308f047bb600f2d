"""The EPUB writer's options, apart from the writer so that the modules
building a book can name them without importing the package back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..options import option


@dataclass(frozen=True)
class EpubOptions:
    """``embed_fonts``: embed the bundled fonts, subset to the book's
    characters; off leaves the choice of font to the reading system.
    ``layout``: horizontal lines, or vertical columns right to left (直排)."""

    embed_fonts: bool = option(
        True, flag="--no-embed-fonts", switch=False,
        help="embed the bundled fonts, cut down to the characters the book sets; "
             "false leaves fonts to the reading system",
        flag_help="leave fonts to the reading system instead of embedding a subset")
    layout: Literal["horizontal", "vertical"] = option(
        "horizontal", help="horizontal lines, or vertical columns right to left")
