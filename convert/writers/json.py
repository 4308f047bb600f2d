"""The document model itself, as versioned JSON (see ``convert.model``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from ..model import Document, to_json
from .options import option


@dataclass(frozen=True)
class JsonOptions:
    indent: int | None = option(2, help="spaces a level of nesting is indented; none: all on one line")


class JsonWriter:
    name = "json"
    extension = "json"
    kind = "data"
    Options = JsonOptions

    def write(self, doc: Document, out: BinaryIO, options: JsonOptions = JsonOptions()) -> tuple[str, ...]:
        out.write((to_json(doc, indent=options.indent) + "\n").encode("utf-8"))
        return ()
