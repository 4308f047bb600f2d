"""The whole of a JSON document checked before it becomes a Document.

A document read back from JSON may have been written by hand or by another
program.  Each value is checked for its type and its range where it stands,
and the first bad one is named by its path (``blocks[3].c.level``) in a
one-line SchemaError, so that no writer meets a title that is a number, a
heading of level -5 (``<h-4>``), editors given as one string (split into
characters), a character XML cannot carry or nesting deep enough to
exhaust the stack.

This module knows the JSON form only, not the model's classes, so that the
model can check what it decodes without a circle of imports; the tables
below describe the model's nodes and metadata as the JSON holds them, and
tests/test_model.py checks that they agree with the model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

SCHEMA_NAME = "convert.document"
SCHEMA_VERSION = 1
MAX_DEPTH = 64  # nodes inside nodes; a news article needs a handful
MAX_DIGITS = 20  # an integer longer than this is no line number or level
MAX_LINE = 10**9

# Characters XML 1.0 forbids or discourages, as the news reader removes
# them; text with one cannot be set in a DOCX or EPUB.
_NOT_XML = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
_SURROGATE = "[\ud800-\udfff]"
# Well-formed language tags (RFC 5646), which EPUBCheck asks of every lang.
_LANGUAGE_TAG = (
    r"(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?|x(?:-[a-z0-9]{1,8})+)")
_PUBLISHED = r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:Z|[+-]\d{2}:\d{2})?)?"


@cache
def _compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern above, compiled when first used: most runs check no JSON."""
    return re.compile(pattern, flags)


def is_language_tag(text: str) -> bool:
    """Whether ``text`` is a well-formed language tag (zh-Hant-TW, yue-HK)."""
    return bool(_compiled(_LANGUAGE_TAG, re.I).fullmatch(text))


SCRIPTS = ("", "hans", "hant")
# The fields of model.Meta, in its order.
META_FIELDS = ("title", "subtitle", "site", "channel", "breadcrumb", "published", "source", "byline",
               "byline_under_title", "editors", "language", "script", "identifier", "input_path", "encoding")


class BadValue(ValueError):
    """A value of the document that is not what its place asks for."""


class _LongNumber:
    """An integer too long to read as one (Python refuses 4,300 digits and up)."""

    def __init__(self, digits: str):
        self.digits = len(digits.lstrip("-"))


def _int(text: str) -> int | _LongNumber:
    return int(text) if len(text) <= MAX_DIGITS else _LongNumber(text)


def loads(text: str) -> Any:
    """JSON text as Python values; numbers too long to be any value here
    and NaN or Infinity are kept for the check to name with their path."""
    import json

    try:
        return json.loads(text, parse_int=_int, parse_constant=float)
    except RecursionError:
        raise BadValue(f"nested deeper than any document ({MAX_DEPTH} levels at most)") from None


def _json_text(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _what(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _LongNumber):
        return f"a number of {value.digits} digits"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value).replace("inf", "Infinity").replace("nan", "NaN")
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {_json_text(value[:30])}" + ("…" if len(value) > 30 else "")
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class _Checker:
    def fail(self, path: str, message: str) -> None:
        raise BadValue(f"{path}: {message}")

    def object(self, value: Any, path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, not {_what(value)}")
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            self.fail(path, f"unknown field {unknown[0]!r} (known: {', '.join(allowed)})")
        return value

    def list(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, f"expected a list, not {_what(value)}")
        return value

    def text(self, value: Any, path: str, rendered: bool = True, optional: bool = False) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str):
            self.fail(path, f"expected {'text or null' if optional else 'text'}, not {_what(value)}")
        bad = _compiled(_NOT_XML if rendered else _SURROGATE).search(value)
        if bad:
            kind = "a lone surrogate" if "\ud800" <= bad.group() <= "\udfff" else "a control character"
            self.fail(path, f"{kind} U+{ord(bad.group()):04X} at character {bad.start()}, "
                            "which no document can hold")

    def integer(self, value: Any, path: str, low: int, high: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"expected a whole number from {low} to {high}, not {_what(value)}")
        if not low <= value <= high:
            self.fail(path, f"expected a whole number from {low} to {high}, not {value}")

    def language(self, value: Any, path: str) -> None:
        self.text(value, path)
        if not is_language_tag(value):
            self.fail(path, f"{_what(value)} is not a language tag (zh-Hant-TW)")

    # -- the document

    def document(self, data: Any) -> None:
        doc = self.object(data, "the document", ("schema", "version", "meta", "blocks", "furniture", "warnings"))
        if doc.get("schema") != SCHEMA_NAME:
            self.fail("schema", f"not a convert document (expected {_json_text(SCHEMA_NAME)}, "
                                f"not {_what(doc.get('schema'))})")
        version = doc.get("version")
        if version != SCHEMA_VERSION or isinstance(version, bool):
            if isinstance(version, int) and not isinstance(version, bool):
                self.fail("version", f"schema version {version} is not supported (this version reads "
                                     f"{SCHEMA_VERSION})")
            self.fail("version", f"expected the number {SCHEMA_VERSION}, not {_what(version)}")
        if doc.get("meta") is not None:
            self.meta(doc["meta"])
        for i, block in enumerate(self.list(doc.get("blocks", []), "blocks")):
            self.node(block, f"blocks[{i}]", BLOCKS, 1)
        for i, item in enumerate(self.list(doc.get("furniture", []), "furniture")):
            where = f"furniture[{i}]"
            piece = self.object(item, where, ("text", "kind", "line"))
            for name in ("text", "kind"):
                if name not in piece:
                    self.fail(f"{where}.{name}", "missing")
                self.text(piece[name], f"{where}.{name}", rendered=False)
            if "line" in piece:
                self.integer(piece["line"], f"{where}.line", 0, MAX_LINE)
        for i, warning in enumerate(self.list(doc.get("warnings", []), "warnings")):
            self.text(warning, f"warnings[{i}]", rendered=False)

    def meta(self, value: Any) -> None:
        meta = self.object(value, "meta", META_FIELDS)
        for name, field_value in meta.items():
            path = f"meta.{name}"
            if name in ("title", "identifier"):
                self.text(field_value, path)
            elif name in ("subtitle", "site", "channel", "breadcrumb", "source", "byline"):
                self.text(field_value, path, optional=True)
            elif name in ("input_path", "encoding"):
                self.text(field_value, path, rendered=False, optional=True)
            elif name == "editors":
                for i, editor in enumerate(self.list(field_value, path)):
                    self.text(editor, f"{path}[{i}]")
            elif name == "language":
                self.language(field_value, path)
            elif name == "script":
                if field_value not in SCRIPTS or not isinstance(field_value, str):
                    self.fail(path, f"expected one of {', '.join(map(_json_text, SCRIPTS))}, not {_what(field_value)}")
            elif name == "published" and field_value is not None:
                self.published(field_value, path)
            elif name == "byline_under_title" and not isinstance(field_value, bool):
                self.fail(path, f"expected true or false, not {_what(field_value)}")

    def published(self, value: Any, path: str) -> None:
        self.text(value, path, optional=True)
        m = _compiled(_PUBLISHED).fullmatch(value)
        try:
            if m is None:
                raise ValueError
            y, mo, d, hh, mm, ss = (int(g) if g else 0 for g in m.groups())
            datetime(y, mo, d, hh, mm, ss)
        except ValueError:
            self.fail(path, f"{_what(value)} is not a date (2017-06-25 or 2017-06-25T14:35+08:00)")

    def node(self, value: Any, path: str, allowed: frozenset[str], depth: int) -> None:
        if depth > MAX_DEPTH:  # named by the outermost node: the whole path would fill the screen
            self.fail(path.split(".c.")[0], f"nodes nested deeper than any document ({MAX_DEPTH} levels at most)")
        node = self.object(value, path, ("t", "c"))
        kind = node.get("t")
        if not isinstance(kind, str) or kind not in NODES:
            self.fail(f"{path}.t", f"unknown node kind {_what(kind)}")
        if kind not in allowed:
            self.fail(f"{path}.t", f"a {kind} cannot stand here (expected {' or '.join(sorted(allowed))})")
        fields = NODES[kind]
        content = self.object(node.get("c", {}), f"{path}.c", tuple(fields))
        for name, check in fields.items():
            check(self, content.get(name, _MISSING), f"{path}.c.{name}", depth)


_MISSING = object()
Check = Callable[[_Checker, Any, str, int], None]


def _required(check: Check) -> Check:
    def checked(self: _Checker, value: Any, path: str, depth: int) -> None:
        if value is _MISSING:
            self.fail(path, "missing")
        check(self, value, path, depth)
    return checked


def _optional(check: Check) -> Check:
    def checked(self: _Checker, value: Any, path: str, depth: int) -> None:
        if value is not _MISSING:
            check(self, value, path, depth)
    return checked


def _nodes(allowed: frozenset[str] | str) -> Check:
    def check(self: _Checker, value: Any, path: str, depth: int) -> None:
        kinds = INLINES if allowed == "inlines" else BLOCKS if allowed == "blocks" else allowed
        for i, item in enumerate(self.list(value, path)):
            self.node(item, f"{path}[{i}]", kinds, depth + 1)
    return _optional(check)


def _text(self: _Checker, value: Any, path: str, depth: int) -> None:
    self.text(value, path)


def _level(self: _Checker, value: Any, path: str, depth: int) -> None:
    self.integer(value, path, 1, 6)


def _attr(self: _Checker, value: Any, path: str, depth: int) -> None:
    attr = self.object(value, path, ("id", "classes", "pairs"))
    if "id" in attr:
        self.text(attr["id"], f"{path}.id")
    for i, name in enumerate(self.list(attr.get("classes", []), f"{path}.classes")):
        self.text(name, f"{path}.classes[{i}]")
    for i, pair in enumerate(self.list(attr.get("pairs", []), f"{path}.pairs")):
        where = f"{path}.pairs[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            self.fail(where, f"expected a [key, value] pair, not {_what(pair)}")
        self.text(pair[0], f"{where}[0]")
        if pair[0] == "lang":
            self.language(pair[1], f"{where}[1]")
        else:
            self.text(pair[1], f"{where}[1]")


INLINES = frozenset(("Str", "Strong", "Emph", "Span", "LineBreak"))
BLOCKS = frozenset(("Heading", "Para", "OrderedList", "BlockQuote", "Div"))
_CONTENT = _nodes("inlines")
NODES: dict[str, dict[str, Check]] = {
    "Str": {"text": _required(_text)},
    "Strong": {"content": _CONTENT},
    "Emph": {"content": _CONTENT},
    "Span": {"content": _CONTENT, "attr": _optional(_attr)},
    "LineBreak": {},
    "Heading": {"level": _required(_level), "content": _CONTENT},
    "Para": {"content": _CONTENT},
    "ListItem": {"marker": _required(_text), "lead": _CONTENT, "content": _CONTENT},
    "OrderedList": {"items": _nodes(frozenset(("ListItem",))), "style": _optional(_text)},
    "BlockQuote": {"blocks": _nodes("blocks")},
    "Div": {"blocks": _nodes("blocks"), "attr": _optional(_attr)},
}


def check_document(data: Any) -> None:
    """Raise BadValue naming the first value of ``data`` that is not what
    a document of this schema version holds there."""
    _Checker().document(data)
