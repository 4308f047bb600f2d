"""Flattened pages: a whole scraped web page on one or a few lines.

Menus, the breadcrumb, the title, the date line, the article and the page
footer run together, paragraphs marked by "　　" (two U+3000) or only by a
space after a full stop.  This module lays such a page out again as the
tidy blocks the news reader knows — breadcrumb, title, date line, paragraphs,
closing lines — and hands back what it cut away as furniture, so nothing is
lost.

Anchors, in order: the date line (a date with 来源 close after it); the title
just before it, which the page also shows at its very start (its <title>);
the breadcrumb just before the title; the end of the article at the first
closing marker (责编, 本文来源, 上一页, 打印, 分享到, ...) after a full stop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .patterns import DATE

_SOURCE_AFTERDATE = re.compile(r"^[\s\u3000\u00a0:：\d]{0,12}(来源|來源)")
_CRUMB = re.compile(r"((?:[^\s>＞»]+\s*(?:>>|>|＞|»)\s*)+[^\s>＞»]+)\s*$")
DATELINE_FIELD = re.compile(
    r"^[\s\u3000\u00a0]*(?P<label>来源|來源|责任编辑|責任編輯|编辑|編輯|作者)\s*[:：]\s*")
_AFTERDATELINE = re.compile(
    r"^[\s\u3000\u00a0]*(?:(?P<furniture>手机看新闻|字号|分享到[:：]?\s*\d*|[（(][^（）()\s]{1,8}[）)])"
    r"|(?P<original>(?:原标题|原標題)[:：][^\u3000]*?)(?=\u3000\u3000|$))"
)
_END_MARKERS = re.compile(
    r"\s*(?:[（(]\s*(?:责编|責編|责任编辑|責任編輯)\s*[:：]|本文来源[:：]|本文來源[:：]|责任编辑[:：]|責任編輯[:：]"
    r"|上一页\s|上一頁\s|打印\s|列印\s|分享到|本文系转载|本文系轉載|相关新闻|相關新聞|延伸阅读|延伸閱讀)"
)
_SENTENCE_END = re.compile(r"(?<=[。！？!?])(?:[”」’』]?)\s+")


@dataclass(frozen=True)
class Unflattened:
    lines: tuple[str, ...]  # breadcrumb, title, date line, paragraphs, closing lines
    furniture: tuple[tuple[str, str], ...]  # (kind, text), in page order
    site: str | None = None  # from the page title's suffix: "标题_网易财经", "标题--时政--人民网"


def looks_flattened(text: str) -> bool:
    """A page on one to three lines whose long line holds the date line too;
    a tidy article that merely has one long paragraph is not flattened."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines or len(lines) > 3:
        return False
    longest = max(lines, key=len)
    return len(longest) > 500 and any(
        _SOURCE_AFTERDATE.match(longest[m.end():]) for m in DATE.finditer(longest[:5000]))


def unflatten(text: str) -> Unflattened | None:
    """Lay a flattened page out as blocks, or None when no date line anchors it."""
    page = " ".join(line.strip() for line in text.split("\n") if line.strip())
    date = next((m for m in DATE.finditer(page) if _SOURCE_AFTERDATE.match(page[m.end():])), None)
    if date is None:
        return None
    furniture: list[tuple[str, str]] = []
    before = page[: date.start()].rstrip()
    title = _title_before(before, page[:300])
    lines: list[str] = []
    head = before[: len(before) - len(title)].rstrip() if title else before
    crumb = _CRUMB.search(head)
    if crumb:
        nav = head[: crumb.start()].strip()
        if nav:
            furniture.append(("navigation", nav))
        lines.append(crumb.group(1))
    elif head:
        furniture.append(("navigation", head))
    if title:
        lines.append(title)

    dateline, rest = _take_dateline(page, date)
    lines.append(dateline)
    while m := _AFTERDATELINE.match(rest):
        kind = "original-title" if m["original"] else "header"
        furniture.append((kind, (m["original"] or m["furniture"]).strip()))
        rest = rest[m.end():]

    body, tail = _split_tail(rest)
    paragraphs = [p for p in (s.strip(" \u00a0\u3000") for s in _paragraphs(body)) if p]
    lines.extend(paragraphs)
    lines.extend(_closing_lines(tail, furniture))
    return Unflattened(tuple(lines), tuple(furniture), _site_from_page_title(page, title))


def _site_from_page_title(page: str, title: str) -> str | None:
    if not title or not page.startswith(title):
        return None
    m = re.match(r"^(?:_|--|－|\s[-|｜]\s)(?:[^\s_]+(?:--|_))*(?P<site>[^\s_-]+)", page[len(title):])
    return m["site"] if m else None


def _title_before(before: str, page_start: str) -> str:
    """The longest end of ``before`` that the page also starts with (its <title>)."""
    for size in range(min(80, len(before)), 3, -1):
        candidate = before[-size:]
        if candidate[0].isspace():
            continue
        if page_start.startswith(candidate):
            return candidate.strip()
    return ""


def _take_dateline(page: str, date: re.Match[str]) -> tuple[str, str]:
    """The date and its labelled fields (one word each: menus follow them)."""
    parts = [page[date.start(): date.end()]]
    rest = page[date.end():]
    while m := DATELINE_FIELD.match(rest):
        value_match = re.match(r"[^\s\u3000]*", rest[m.end():])
        value = value_match.group(0) if value_match else ""
        # An empty field is followed straight by the article: a long word
        # with sentence punctuation is body text, not a name.
        if len(value) > 16 or any(c in value for c in "，。：:"):
            value = ""
        parts.append(f"{m['label']}：{value}" if value else "")
        rest = rest[m.end() + len(value):]
    return "  ".join(p for p in parts if p), rest


def _split_tail(rest: str) -> tuple[str, str]:
    for m in _END_MARKERS.finditer(rest):
        before = rest[: m.start()].rstrip()
        if before.endswith(("。", "！", "？", "）", ")", "”", "」")):
            return before, rest[m.start():].strip()
    return rest, ""


def _paragraphs(body: str) -> list[str]:
    if "\u3000\u3000" in body:
        return body.split("\u3000\u3000")
    return _SENTENCE_END.split(body) if _SENTENCE_END.search(body) else [body]


def _closing_lines(tail: str, furniture: list[tuple[str, str]]) -> list[str]:
    """Editors go back as their own line for the news reader; the rest of the
    footer (menus, related links, copyright) is furniture."""
    lines = []
    m = re.match(r"^[（(]?\s*(?:责编|責編|责任编辑|責任編輯)\s*[:：]\s*(.+?)[）)](?=\s|$)", tail) or \
        re.match(r"^(?:责任编辑|責任編輯)\s*[:：]\s*(\S+)", tail)
    source = re.match(r"^(本文来源|本文來源)\s*[:：]\s*(\S+)\s*", tail)
    if source:
        furniture.append(("source-note", source.group(0).strip()))
        tail = tail[source.end():]
        m = re.match(r"^(?:责任编辑|責任編輯)\s*[:：]\s*(\S+)", tail)
    if m:
        lines.append(f"（责编：{m.group(1)}）")
        tail = tail[m.end():].strip()
    if tail:
        furniture.append(("footer", tail))
    return lines
