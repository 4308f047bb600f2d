"""Plain UTF-8 text: title, metadata line, paragraphs separated by blank lines,
the numbered points as written, then byline and editors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from ..model import Document
from .common import rendered_lines
from .options import option

_LINE_ENDINGS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


def _line_ending(text: str) -> str:
    if text.lower() in _LINE_ENDINGS:
        return _LINE_ENDINGS[text.lower()]
    if text in _LINE_ENDINGS.values():
        return text
    raise ValueError(f"takes lf, crlf or cr, not {text!r}")


@dataclass(frozen=True)
class TxtOptions:
    line_ending: str = option("\n", metavar="lf|crlf|cr", parse=_line_ending, help="what ends a line")


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
