"""Reads back a document written by the ``json`` writer (``convert.model``)."""

from __future__ import annotations

from .._lazy_re import lazy
from ..errors import InputError
from ..model import Document, SchemaError, from_json

# How the json writer starts every document.
_SIGNATURE = lazy(rb'(?:\xef\xbb\xbf)?\s*\{\s*"schema"\s*:\s*"convert\.document"')


class JsonReader:
    """Entry point ``convert.readers: json``."""

    name = "json"
    suffixes = (".json",)

    def sniff(self, data: bytes) -> bool:
        """A document the ``json`` writer wrote, whatever its name."""
        # What does not open with "{" (after a BOM and blanks, as the pattern
        # allows) is answered without compiling the pattern.
        if data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] != b"{":
            return False
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
