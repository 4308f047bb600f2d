"""Plain UTF-8 text: title, metadata line, paragraphs separated by blank lines,
the numbered points as written, then byline and editors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from ..model import Document
from .common import rendered_lines


@dataclass(frozen=True)
class TxtOptions:
    line_ending: str = "\n"


class TxtWriter:
    name = "txt"
    extension = "txt"
    kind = "text"
    Options = TxtOptions

    def write(self, doc: Document, out: BinaryIO, options: TxtOptions = TxtOptions()) -> tuple[str, ...]:
        blank = options.line_ending * 2
        text = blank.join(line.text for line in rendered_lines(doc)) + options.line_ending
        out.write(text.encode("utf-8"))
        return ()
