"""The end of an article, read from the bottom up: furniture, editors, source
notes, bylines, and what is glued to the last paragraph."""

from __future__ import annotations

from ..._lazy_re import lazy
from ...model import Furniture
from .header import split_names
from .patterns import (
    BYLINE_TAIL,
    EDITORS_LINE,
    EDITORS_TAIL,
    ISSUER,
    NOT_A_BYLINE,
    REPORTER_LINE,
    SOURCE_NOTE,
    WIRE_CODE_AFTER_BRACKET,
    WIRE_CODE_TAIL,
    furniture_kind,
    outlet,
)
from .units import Found, Unit, strip_space

# A closing line that is a name in brackets: （记者 张三）.
PARENTHESISED = lazy(r"^[（(]([^（）()]{2,30})[）)]$")
# Where the article first appeared: （刊于《半月谈》2019年第24期）.
FIRST_APPEARED = lazy(r"(刊于|刊於|原载|原載|载于|載於|原文刊)")


def read_trailer(body: list[Unit], found: Found) -> list[Unit]:
    """Take metadata and furniture off the end of the body; return the rest."""
    trailer: list[Furniture] = []
    while body:
        unit = body[-1]
        text = unit.text
        if (code := WIRE_CODE_AFTER_BRACKET.match(text)) and EDITORS_LINE.match(code["body"]):
            # "（編輯：張均懋）1060323": the wire date code, then the editors line.
            trailer.append(Furniture(code["code"], "wire-code", unit.line))
            text = unit.text = code["body"]
        if (m := EDITORS_LINE.match(text)) and not found.editors:
            found.editors = split_names(m["names"])
            found.because("editors", "the editors line closing the article")
        elif (kind := furniture_kind(text)) is not None:
            trailer.append(Furniture(text, kind, unit.line))
        elif m := SOURCE_NOTE.match(text):
            trailer.append(Furniture(text, "source-note", unit.line))
            if found.source is None:
                found.source = outlet(strip_space(m["value"]))
                found.because("source", "the source note closing the article")
        elif found.published is None and len(body) >= 2 and (signed := _signature(body[-2].text, text)):
            # A notice signs off with its issuer and date: that is when it was published.
            found.published = signed
            found.because("published", "the issuer's signature closing the notice")
            trailer.append(Furniture(text, "signature", unit.line))
            trailer.append(Furniture(body[-2].text, "signature", body[-2].line))
            body.pop()
        elif (name := closing_byline(text)) and found.byline is None:
            found.byline = name
            found.because("byline", "the byline closing the article")
        else:
            break
        body.pop()
    if body:
        last = body[-1]
        last.text = strip_tail(last.text, last.line, found, trailer)
        if not last.text:
            body.pop()
    found.furniture.extend(reversed(trailer))
    return body


def _signature(issuer: str, date_line: str) -> str | None:
    from .dates import find_dates

    dates = find_dates(date_line)
    if len(dates) == 1 and len(strip_space(date_line)) <= dates[0].end - dates[0].start + 2 and ISSUER.match(issuer):
        return dates[0].value
    return None


def closing_byline(text: str) -> str | None:
    m = PARENTHESISED.match(text)
    if m and not NOT_A_BYLINE.match(m[1]):
        return strip_space(m[1])
    m = REPORTER_LINE.match(text)
    return strip_space(m["byline"]) if m else None


def strip_tail(text: str, line: int, found: Found, trailer: list[Furniture]) -> str:
    """Bylines, editors and wire codes glued to the end of the last paragraph."""
    while True:
        if m := WIRE_CODE_TAIL.match(text):
            trailer.append(Furniture(m["code"], "wire-code", line))
            text = strip_space(m["body"])
        elif m := EDITORS_TAIL.match(text):
            if not found.editors:
                found.editors = split_names(m["names"])
                found.because("editors", "the editors glued to the last paragraph")
            text = strip_space(m["body"])
        elif (m := BYLINE_TAIL.match(text)) and FIRST_APPEARED.match(m["name"]):
            # "（刊于《半月谈》2019年第24期）": where the article first appeared
            trailer.append(Furniture(text[len(m["body"]):].strip(), "source-note", line))
            text = strip_space(m["body"])
        elif (m := BYLINE_TAIL.match(text)) and not NOT_A_BYLINE.match(m["name"]) and found.byline is None:
            found.byline = strip_space(m["name"])
            found.because("byline", "the bracketed byline ending the last paragraph")
            text = strip_space(m["body"])
        else:
            return text
