"""The top of an article: breadcrumb, title, subtitle or author line, and the
date-and-source line."""

from __future__ import annotations

import re

from ..._lazy_re import lazy
from ...model import Furniture
from .patterns import (
    AUTHOR_LABELS,
    AUTHOR_LINE,
    DATE,
    DOCUMENT_NUMBER,
    EDITOR_LABELS,
    LABEL_RE,
    PLAIN_NAME,
    REPORTER_LINE,
    SOURCE_LABELS,
    SPACE,
    outlet,
)
from .units import Found, Unit, is_han_word, strip_space

# A date-and-source line holds a date, a source, an editor and a view
# counter; one longer than this is prose that happens to start with a date.
DATELINE_MAX = 160
# Before its date a date line carries at most a label or a site's name
# (发布时间：, 人民网); a date further in belongs to a sentence.
DATE_START_MAX = 24
# A breadcrumb names a site and two or three columns; a longer line with a
# separator in it is a title or a sentence (A > B in a headline).
BREADCRUMB_MAX = 60
# A deck under the title (——记某某) is one phrase, never a paragraph.
SUBTITLE_MAX = 60
# Headlines run to about 40 characters, two-line ones to 80; longer is prose.
TITLE_MAX = 80

WIDE_GAP = lazy(r"[ \u00a0\u3000]{2,}")
DATELINE_SEPARATORS = lazy(r"[\s\u3000\u00a0|｜/丨]+")
BYLINE_LABEL = lazy(r"^(?:编译|編譯|文|撰文|采写|採寫|整理|图文|圖文|文字)\s*[/／:：︱|｜]\s*")
BYLINE_PLACE = lazy(r"\s*[／/][^／/]{0,10}(?:報導|报道|報道|電|电|整理)$")
NAME_SEPARATORS = lazy(r"[、，,；;]")
# An HTML attribute a broken template left as text, where a field's value was to be.
MARKUP_DEBRIS = lazy(r'^[A-Za-z-]+\s*=\s*"[^"]*"$')


def normalise_date(m: re.Match[str]) -> str | None:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    try:
        from datetime import date

        date(y, mo, d)
    except ValueError:
        return None
    value = f"{y:04d}-{mo:02d}-{d:02d}"
    if m["H"] is not None:
        hh, mm = int(m["H"]), int(m["M"])
        if hh < 24 and mm < 60:
            value += f"T{hh:02d}:{mm:02d}+08:00"
    return value


def labelled_fields(text: str) -> dict[str, str]:
    """``来源：X  作者：Y`` → {"来源": "X", "作者": "Y"}; a value runs to the next
    label or to a wide gap (two or more spaces)."""
    found: dict[str, str] = {}
    matches = list(LABEL_RE.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = WIDE_GAP.split(strip_space(text[m.end():end]))[0]
        if MARKUP_DEBRIS.match(value):  # a page's template left the field empty: 作者： size="20"
            continue
        found.setdefault(m["label"], strip_space(value).rstrip("|｜/丨 ").strip())
    return found


# The two below edit what LABEL_RE finds, rather than compile two more
# alternations of the labels (each took about 0.7 ms of reading a file).
# No label is the start of another, so a label is where LABEL_RE finds one.


def without_gaps_before_colons(text: str) -> str:
    r"""Labels written with a gap before the colon (``来源 ：X``) as they read:
    ``来源：X`` (``re.sub(r"(LABELS)\s+(?=[:：︰])", r"\1", text)``)."""
    return LABEL_RE.sub(lambda m: m["label"] + text[m.start("colon"):m.end()], text)


def without_empty_labels(text: str) -> str:
    r"""Labels left with nothing after them (``发布时间：`` once its date is
    taken) out, but for the last blank after them
    (``re.sub(r"(LABELS)\s*[:：︰]\s*(?=\s|$)", "", text)``)."""

    def emptied(m: re.Match[str]) -> str:
        if m.end() == len(text):
            return ""
        return m[0][-1] if m.end() > m.end("colon") else m[0]

    return LABEL_RE.sub(emptied, text)


def parse_dateline(text: str) -> Found | None:
    """A date-and-source line: a date near its start, standing on its own
    (not "2024年1月1日起，…", which is a headline), and no sentence in it.

    What the line holds besides the date and the labelled fields (a site
    name, 【字号】, a view counter) is kept as furniture of kind "dateline".
    """
    if len(text) > DATELINE_MAX or "。" in text:
        return None
    m = DATE.search(text)
    if not m or m.start() > DATE_START_MAX:
        return None
    before, after = text[: m.start()], text[m.end():]
    if before and before[-1] not in SPACE + ":：】]|｜":
        return None
    if after and after[0] not in SPACE + "|｜/【[（(丨-" and not LABEL_RE.match(after):
        return None
    found = Found(published=normalise_date(m))
    normal = without_gaps_before_colons(text)
    fields = labelled_fields(normal)
    leftover = normal.replace(m.group(0), "", 1) if found.published else normal
    for label, value in fields.items():
        leftover = re.sub(re.escape(label) + r"\s*[:：︰]\s*" + re.escape(value), "", leftover, count=1)
        if not value:
            continue
        if label in SOURCE_LABELS:
            found.source = outlet(value)
            found.because("source", "labelled 来源 on the date line")
        elif label in EDITOR_LABELS:
            found.editors = split_names(value)
            found.because("editors", "labelled 编辑 on the date line")
        elif label in AUTHOR_LABELS:
            found.byline = value
            found.because("byline", "labelled 作者/记者 on the date line")
    leftover = without_empty_labels(leftover)
    leftover = strip_space(DATELINE_SEPARATORS.sub(" ", leftover))
    if leftover:
        found.furniture.append(Furniture(leftover, "dateline"))
    return found


def clean_byline(byline: str | None) -> str | None:
    """A byline as the page's conventions name the person: labels with a
    separator (编译/, 文／, 撰文：) and a trailing place and 報導 left out."""
    if not byline:
        return byline
    name = BYLINE_LABEL.sub("", byline)
    name = BYLINE_PLACE.sub("", name)
    return strip_space(name) or byline


def split_names(value: str) -> list[str]:
    names = []
    for part in (strip_space(x) for x in NAME_SEPARATORS.split(value)):
        words = part.split()
        # "严玉洁 王辉": Chinese names side by side are two people.
        if len(words) > 1 and all(is_han_word(w, 2, 4) for w in words):
            names.extend(words)
        elif part:
            names.append(part)
    return names


BREADCRUMB_SPLIT = lazy(r"\s*(?:>>|＞＞|»|>|＞|→|/)\s*")


def parse_breadcrumb(text: str) -> tuple[str | None, str | None] | None:
    if len(text) > BREADCRUMB_MAX or any(c in text for c in "。，,！？"):
        return None
    parts = [p for p in BREADCRUMB_SPLIT.split(text) if p]
    if len(parts) < 2:
        parts = [p for p in re.split(r"\s*[-－_—|｜]\s*", text) if p]
    if len(parts) < 2:
        return None
    home = parts[0] in ("首页", "首頁")
    parts = [p for p in parts if p not in ("正文", "首页", "首頁")] or parts
    if home:  # "首頁 > 政治": no site named, the channel is what remains
        return None, parts[-1]
    return parts[0], parts[-1] if len(parts) > 1 else None


def looks_like_breadcrumb(text: str) -> bool:
    return bool(re.search(r">>|＞＞|»| > |＞", text)) and len(text) <= BREADCRUMB_MAX


def read_header(units: list[Unit], found: Found, fallback_title: str) -> int:
    """Fill title, breadcrumb and date fields from the top; return where the
    body starts.  The title is the line just above the date line (or the first
    line that is not a breadcrumb, where there is no date line); lines above
    the title are the breadcrumb or header furniture."""
    # A date line opens the article: one that closes the text (a notice's
    # signature) is not it.
    date_at = next((i for i, u in enumerate(units[:8]) if parse_dateline(u.text) and i < len(units) - 1), None)
    if date_at is not None:
        take_dateline(parse_dateline(units[date_at].text), found, units[date_at].line)
        above, body_start = units[:date_at], date_at + 1
    else:
        lead = 0
        while lead < min(3, len(units) - 1) and looks_like_breadcrumb(units[lead].text):
            lead += 1
        above, body_start = units[: lead + 1], lead + 1

    # Just above a date line is the title, however long; without a date line
    # only a line that looks like one is taken for it.
    if above and (is_title(above[-1].text) or (date_at is not None and not looks_like_breadcrumb(above[-1].text))):
        found.title = above[-1].text
        found.because("title", "the line above the date line" if date_at is not None else "the first line",
                      above[0].text if len(above) > 1 else None)
        above = above[:-1]
    else:
        found.title = fallback_title
        found.because("title", "the file name: no line reads as a title", above[-1].text if above else None)
        if date_at is None:  # the first line is already text: keep it in the body
            above, body_start = above[:-1], body_start - 1

    if len(above) == 1 and is_han_word(above[0].text, 2, 6):
        # One short word above the headline: the column it runs in (本地, 社會).
        found.breadcrumb = found.channel = above[0].text
        found.because("channel", "one short word above the headline")
        above = []
    for i, u in enumerate(above):
        crumb = parse_breadcrumb(u.text) if i == 0 or looks_like_breadcrumb(u.text) else None
        if crumb and found.breadcrumb is None:
            found.breadcrumb = u.text
            found.site, found.channel = crumb
            found.because("channel", "the breadcrumb above the headline")
        else:
            found.furniture.append(Furniture(u.text, "header", u.line))

    # Under the title: a subtitle, an author line, a late date line.
    while body_start < len(units):
        text = units[body_start].text
        if text.startswith(("——", "—")) and len(text) <= SUBTITLE_MAX and "。" not in text and not found.subtitle:
            found.subtitle = text.lstrip("—－- ")
        elif "号" in text and DOCUMENT_NUMBER.match(text):  # an official document's number is not its text
            found.furniture.append(Furniture(text, "document-number", units[body_start].line))
        elif date_at is None and found.byline is None and (name := author_line(text)):
            found.byline, found.byline_under_title = name, True
            found.because("byline", "the author line under the title")
        elif date_at is None and body_start <= 3 and (dateline := parse_dateline(text)):
            date_at = body_start
            take_dateline(dateline, found, units[body_start].line)
        else:
            break
        body_start += 1
    return body_start


def take_dateline(dateline: Found | None, found: Found, line: int) -> None:
    assert dateline is not None
    found.published, found.source = dateline.published, dateline.source
    found.because("published", "the date line under the title")
    found.because("source", "labelled 来源 on the date line")
    found.byline = found.byline or dateline.byline
    found.editors = found.editors or dateline.editors
    found.furniture.extend(Furniture(f.text, f.kind, line) for f in dateline.furniture)


def is_title(text: str) -> bool:
    return len(text) <= TITLE_MAX and not text.endswith(("。", "；", "，"))


def author_line(text: str) -> str | None:
    m = AUTHOR_LINE.match(text)
    if m:
        return m["name"]
    m = REPORTER_LINE.match(text)
    if m:
        return strip_space(m["byline"])
    if PLAIN_NAME.match(text):
        return text
    return None
