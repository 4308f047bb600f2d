"""The HTML reader's entry point: a saved web page → Document.

Choosing a reader asks every reader whether an input is of its kind, so
this module holds only what answers that (``sniff``, the suffixes); the
reading itself, described in ``convert.readers.html_page``, is imported
when a page is read.  Its public names are at hand here too
(``from convert.readers.html import read_html``)."""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING, Any

from .._lazy_re import lazy

if TYPE_CHECKING:
    from ..model import Document
    from .html_page import Markup, crawl_text, decode_html, page_lines, parse_page, read_html

__all__ = ["HtmlReader", "Markup", "crawl_text", "decode_html", "page_lines", "parse_page", "read_html", "sniff"]

_READING = frozenset({"Markup", "crawl_text", "decode_html", "page_lines", "parse_page", "read_html"})

SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")

_SNIFF_START = lazy(
    r"<(?:!doctype\s+html|html|head|body|meta|title|script|style|link|base)(?=[\s>/])", re.I)
_HEAD_OR_BODY = lazy(r"<(?:head|body)(?:\s[^<>]{0,2000})?>", re.I)
_LEADING_JUNK = lazy(r"(?:\s+|<!--.*?-->|<\?xml[^>]{0,200}\?>)*", re.S)


def sniff(data: bytes) -> bool:
    """Whether the first bytes of an input are an HTML page, whatever its
    name: it starts (after blanks, comments and an XML declaration) with
    ``<!DOCTYPE html>``, ``<html>`` or a tag only a page's head holds
    (``<meta>``, ``<title>``, ``<script>``, ...), or has a ``<head>`` or
    ``<body>`` tag within its first kilobyte."""
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", "ignore")
    else:
        text = head.decode("latin-1")  # tags are ASCII in every encoding a page comes in
    if "<" not in text:
        return False  # no tag: most text inputs are answered without compiling the patterns
    text = text.lstrip("\ufeff").removeprefix("\u00ef\u00bb\u00bf")  # a UTF-8 BOM read as Latin-1
    start = _LEADING_JUNK.match(text).end()
    return bool(_SNIFF_START.match(text, start) or _HEAD_OR_BODY.search(text[:1024]))


class HtmlReader:
    """Entry point ``convert.readers: html``."""

    name = "html"
    suffixes = SUFFIXES

    def sniff(self, data: bytes) -> bool:
        return sniff(data)

    def read(self, data: bytes, *, path: str | None = None, encoding: str | None = None) -> Document:
        from .html_page import read_html

        return read_html(data, path=path, encoding=encoding)[0]

    def explain(self, data: bytes, *, path: str | None = None, encoding: str | None = None
                ) -> tuple[Document, tuple[Any, ...]]:
        """The Document, and why each metadata field holds its value."""
        from .html_page import read_html

        return read_html(data, path=path, encoding=encoding)


def __getattr__(name: str) -> Any:
    """The reading's public names, imported on first use."""
    if name in _READING:
        from . import html_page

        value = globals()[name] = getattr(html_page, name)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
