"""Reads back a document written by the ``json`` writer (``convert.model``)."""

from __future__ import annotations

import re

from ..errors import InputError
from ..model import Document, SchemaError, from_json

# How the json writer starts every document.
_SIGNATURE = re.compile(rb'(?:\xef\xbb\xbf)?\s*\{\s*"schema"\s*:\s*"convert\.document"')


class JsonReader:
    """Entry point ``convert.readers: json``."""

    name = "json"
    suffixes = (".json",)

    def sniff(self, data: bytes) -> bool:
        """A document the ``json`` writer wrote, whatever its name."""
        return bool(_SIGNATURE.match(data))

    def read(self, data: bytes, *, path: str | None = None, encoding: str | None = None) -> Document:
        from .encoding import check_encoding

        problem = check_encoding(encoding) if encoding else None
        if problem:
            raise InputError(problem, path)
        try:
            return from_json(data.decode(encoding or "utf-8-sig"))
        except (SchemaError, UnicodeDecodeError) as exc:
            raise InputError(str(exc), path) from None
