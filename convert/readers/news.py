"""The news-text reader: a scraped Chinese news page as plain text → Document.

A page has, from top to bottom: a breadcrumb (site >> channel), the title, a
date-and-source line, the body (paragraphs, numbered points), then the byline,
the editors line and page furniture (share and QR captions, menus).  The
reader works in three zones:

* header: breadcrumb, title, subtitle or author line, the date line;
* trailer: scanned from the end — furniture, editors, source notes, bylines,
  and what is glued to the last paragraph (``(姚彤)``, ``（編輯：管中維）``,
  a wire date code such as ``1021029``);
* body: everything between, with captions and 原标题 lines taken out and
  runs of numbered paragraphs (一要…八要, 一是, （一）, 1.) made ordered lists.

Nothing is dropped: what is neither metadata nor body is kept as furniture.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..model import (
    Document,
    Furniture,
    Heading,
    ListItem,
    Meta,
    OrderedList,
    Para,
    Str,
    paragraph_texts,
)
from .encoding import decode

# ------------------------------------------------------------------ patterns

SPACE = " \t\u00a0\u3000\u2002\u2003\u2009\u200a"
_TERMINAL = "。！？!?…"
_CLOSERS = "”’」』）)】》"
_CN_DIGITS = "〇零一二三四五六七八九十百"

_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?P<H>\d{1,2})\s*[:：時时]\s*(?P<M>\d{2})(?:\s*[:：分]\s*\d{2}\s*秒?)?)?"
)
_LABELS = (
    "责任编辑", "責任編輯", "责编", "責編", "编辑", "編輯", "来源", "來源", "稿源", "出处", "出處",
    "作者", "记者", "記者", "发布时间", "發佈時間", "發布時間", "发表时间", "發表時間", "时间", "時間",
    "日期", "校对", "校對", "责任校对", "責任校對", "审核", "審核", "监制", "監製", "浏览次数", "瀏覽次數",
)
_LABEL_RE = re.compile(r"(?P<label>" + "|".join(_LABELS) + r")\s*[:：]\s*")
_SOURCE_LABELS = {"来源", "來源", "稿源", "出处", "出處"}
_EDITOR_LABELS = {"责任编辑", "責任編輯", "责编", "責編", "编辑", "編輯"}
_AUTHOR_LABELS = {"作者", "记者", "記者"}

_EDITORS_LINE = re.compile(
    r"^[（(]?\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：]\s*(?P<names>.*?)\s*[）)]?$"
)
_EDITORS_TAIL = re.compile(
    r"^(?P<body>.*?)\s*[（(]\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：]\s*(?P<names>.+)[）)]\s*$"
)
_WIRE_CODE_TAIL = re.compile(r"^(?P<body>.*[" + _TERMINAL + _CLOSERS + r"])\s*(?P<code>\d{6,8})$")
_WIRE_CODE_AFTER_BRACKET = re.compile(r"^(?P<body>.*[）)])\s*(?P<code>\d{6,8})$")
_BYLINE_TAIL = re.compile(
    r"^(?P<body>.*[" + _TERMINAL + r"”」』])\s*[（(](?P<name>[^（）()。！？]{2,40})[）)]$"
)
_NOT_A_BYLINE = re.compile(
    r"^(完|全文完|待续|待續|续|續|图|圖|注|註|下转|上接|\d|本文|原载|原載|来源|來源|转载|轉載|摘自|选自|選自|据|據|作者系)"
    r"|《|作者系|本文作者")
_WIRE_BYLINE = re.compile(
    r"^[（(](?P<org>[^（）()]{0,12}?)(?P<role>記者|记者)\s*(?P<rest>[^（）()]{2,30}?)\s*(?:\d{1,2}日)?[電电][）)]"
)
_REPORTER_LINE = re.compile(
    r"^(?:[（(]\s*)?(?P<byline>(?:本报|本報|本台|本刊)?(?:特约)?(?:记者|記者|通讯员|通訊員)[\s：:]*[^（）()，。]{2,30}?)(?:\s*[）)])?$"
)
_AUTHOR_LINE = re.compile(r"^(?:作者|文|撰文|文／|文/)\s*[:：/／|｜]?\s*(?P<name>[^\s，。]{2,12})$")
_PLAIN_NAME = re.compile(r"^[\u4e00-\u9fff·・]{2,5}$")

# Dateline places, so that "戴雅真台北" gives the reporter "戴雅真".
_DATELINE_PLACES = (
    "台北", "臺北", "新北", "桃園", "台中", "臺中", "台南", "臺南", "高雄", "基隆", "新竹", "嘉義",
    "花蓮", "台東", "臺東", "宜蘭", "屏東", "金門", "澎湖", "北京", "上海", "天津", "重慶", "重庆",
    "香港", "澳門", "澳门", "廣州", "广州", "深圳", "南京", "杭州", "武汉", "武漢", "成都", "西安",
    "乌鲁木齐", "烏魯木齊", "拉萨", "拉薩", "東京", "东京", "首爾", "首尔", "華盛頓", "华盛顿",
    "紐約", "纽约", "倫敦", "伦敦", "巴黎", "柏林", "莫斯科", "新加坡", "曼谷", "雪梨", "悉尼",
)

# (kind, pattern, longest line it may take).  A pattern that can match inside
# a sentence only takes short lines, so a body paragraph that mentions a QR
# code or 未经授权 stays in the body.
_ANY = 10**9
_FURNITURE_RULES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("share", re.compile(r"(微信|微博|QQ|朋友圈).{0,6}(扫一扫|掃一掃|关注|關注|添加)|(扫一扫|掃一掃|扫描二维码|掃描二維碼|长按|長按)"), 40),
    ("share", re.compile(r"^(分享到|分享至|分享：|分享:)"), 80),
    ("tools", re.compile(r"^(打印|列印)(\s|　)*(网摘|網摘|纠错|糾錯|推荐|推薦|关闭|關閉|收藏)"), 80),
    ("original-title", re.compile(r"^(原标题|原標題|原题|原題)\s*[:：]"), 200),
    ("caption", re.compile(r"^(图为|圖為|图片来源|圖片來源|图片说明|圖片說明|资料图|資料圖|图：|圖：|图/|圖/)"), 300),
    ("caption", re.compile(r"(攝|摄|傳真|传真)\s*\d{2,4}年\d{1,2}月\d{1,2}日$"), _ANY),
    ("caption", re.compile(r"[（(][^（）()]{1,6}(提供|供图|供圖|摄|攝)[）)]$|(摄|攝)\s*$"), 80),
    ("related", re.compile(r"^(相关新闻|相關新聞|相关阅读|相關閱讀|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|热门推荐|熱門推薦)"), 30),
    ("copyright", re.compile(r"^(Copyright|©|\(c\)\s*\d{4})", re.I), 160),
    ("copyright", re.compile(r"(版权所有|版權所有|未经.{0,6}授权|未經.{0,6}授權)"), 30),
    ("disclaimer", re.compile(r"^本文系转载|^本文系轉載|不代表.{0,10}(观点|觀點|立场|立場)"), 80),
    ("navigation", re.compile(r"^(上一页|上一頁|下一页|下一頁|返回(首页|首頁|顶部|頂部)|责任编辑：\s*$)"), 30),
)
_SOURCE_NOTE = re.compile(r"^(?:本文)?(?:来源|來源|稿源|转自|轉自|选自|選自)\s*[:：]\s*(?P<value>.+)$")


# ------------------------------------------------------------------ units


@dataclass
class _Unit:
    """A paragraph-sized piece of the input: one non-empty line, or lines
    joined back where a page was hard-wrapped."""

    text: str
    line: int


@dataclass
class _Found:
    title: str = ""
    subtitle: str | None = None
    breadcrumb: str | None = None
    site: str | None = None
    channel: str | None = None
    published: str | None = None
    source: str | None = None
    byline: str | None = None
    editors: list[str] = field(default_factory=list)
    furniture: list[Furniture] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def clean_text(text: str) -> tuple[str, list[str]]:
    """Line endings to LF, zero-width marks out, characters XML 1.0 forbids out
    (with a warning: they would make DOCX and EPUB invalid)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_ZERO_WIDTH)
    warnings = []
    bad = [c for c in set(text) if _forbidden_in_xml(c)]
    if bad:
        count = sum(text.count(c) for c in bad)
        text = "".join(c for c in text if not _forbidden_in_xml(c))
        codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(bad)[:8])
        warnings.append(f"removed {count} control or invalid character(s) ({codes})")
    return text, warnings


def _forbidden_in_xml(c: str) -> bool:
    o = ord(c)
    if o in (0x9, 0xA, 0xD):
        return False
    return o < 0x20 or 0x7F <= o <= 0x9F or 0xD800 <= o <= 0xDFFF or o in (0xFFFE, 0xFFFF)


def _strip(s: str) -> str:
    return s.strip(SPACE + "\n")


def _is_wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in ("W", "F")


def split_units(text: str) -> list[_Unit]:
    """Non-empty lines, with hard-wrapped lines of one paragraph joined.

    Only a text that really is hard-wrapped gets joined: several lines share
    one length (the wrap width).  Then a line of that width that ends without
    closing punctuation continues into the next unless the next is indented;
    date lines are never joined.  Two wide characters join with nothing,
    Latin words with a space.
    """
    raw = text.split("\n")
    wrap_width = _wrap_width([len(_strip(line)) for line in raw])
    units: list[_Unit] = []
    joining = False
    for number, line in enumerate(raw, start=1):
        stripped = _strip(line)
        if not stripped:
            joining = False
            continue
        indented = line[:1] in ("\u3000", " ", "\t", "\u00a0")
        if joining and not indented and units and not _parse_dateline(stripped):
            prev = units[-1]
            glue = "" if _is_wide(prev.text[-1]) or _is_wide(stripped[0]) else " "
            prev.text += glue + stripped
        else:
            units.append(_Unit(stripped, number))
        joining = (
            wrap_width > 0
            and len(stripped) >= wrap_width - 1
            and stripped[-1] not in _TERMINAL + _CLOSERS + "：:；;"
            and not _parse_dateline(stripped)
        )
    return units


def _wrap_width(widths: list[int]) -> int:
    """The width a hard-wrapped text was cut at, 0 when it was not: the most
    common length of long lines, shared by at least three lines and by a third
    of the text's lines."""
    from collections import Counter

    long_lines = [w for w in widths if w >= 20]
    if len(long_lines) < 3:
        return 0
    # Lines of one paragraph wrap at w or w-1 (a closing mark pushed over).
    counts = Counter(long_lines)
    width, n = max(((w, counts[w] + counts[w - 1]) for w in counts), key=lambda x: (x[1], x[0]))
    nonempty = sum(1 for w in widths if w)
    return width if n >= 3 and n * 3 >= nonempty else 0


# ------------------------------------------------------------------ header


def _normalise_date(m: re.Match[str]) -> str | None:
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


def _labelled_fields(text: str) -> dict[str, str]:
    """``来源：X  作者：Y`` → {"来源": "X", "作者": "Y"}; a value runs to the next
    label or to a wide gap (two or more spaces)."""
    found: dict[str, str] = {}
    matches = list(_LABEL_RE.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = re.split(r"[ \u00a0\u3000]{2,}", _strip(text[m.end():end]))[0]
        found.setdefault(m["label"], _strip(value).rstrip("|｜/丨 ").strip())
    return found


def _parse_dateline(text: str) -> _Found | None:
    """A date-and-source line: a date near its start, standing on its own
    (not "2024年1月1日起，…", which is a headline), and no sentence in it.

    What the line holds besides the date and the labelled fields (a site
    name, 【字号】, a view counter) is kept as furniture of kind "dateline".
    """
    if len(text) > 160 or "。" in text:
        return None
    m = _DATE.search(text)
    if not m or m.start() > 24:
        return None
    before, after = text[: m.start()], text[m.end():]
    if before and before[-1] not in SPACE + ":：】]|｜":
        return None
    if after and after[0] not in SPACE + "|｜/【[（(丨-" and not _LABEL_RE.match(after):
        return None
    found = _Found(published=_normalise_date(m))
    # Labels written with a gap before the colon ("来源 ：X") read the same.
    normal = re.sub(r"(" + "|".join(_LABELS) + r")\s+(?=[:：])", r"\1", text)
    fields = _labelled_fields(normal)
    leftover = normal.replace(m.group(0), "", 1) if found.published else normal
    for label, value in fields.items():
        leftover = re.sub(re.escape(label) + r"\s*[:：]\s*" + re.escape(value), "", leftover, count=1)
        if not value:
            continue
        if label in _SOURCE_LABELS:
            found.source = value
        elif label in _EDITOR_LABELS:
            found.editors = _split_names(value)
        elif label in _AUTHOR_LABELS:
            found.byline = value
    # Labels left with nothing after them (发布时间： once its date is taken).
    leftover = re.sub(r"(" + "|".join(_LABELS) + r")\s*[:：]\s*(?=[\s\u3000\u00a0]|$)", "", leftover)
    leftover = _strip(re.sub(r"[\s\u3000\u00a0|｜/丨]+", " ", leftover))
    if leftover:
        found.furniture.append(Furniture(leftover, "dateline"))
    return found


def _split_names(value: str) -> list[str]:
    return [n for n in (_strip(x) for x in re.split(r"[、，,；;]", value)) if n]


_BREADCRUMB_SPLIT = re.compile(r"\s*(?:>>|＞＞|»|>|＞|→|/)\s*")


def _parse_breadcrumb(text: str) -> tuple[str | None, str | None] | None:
    if len(text) > 60 or any(c in text for c in "。，,！？"):
        return None
    parts = [p for p in _BREADCRUMB_SPLIT.split(text) if p]
    if len(parts) < 2:
        parts = [p for p in re.split(r"\s*[-－_—|｜]\s*", text) if p]
    if len(parts) < 2:
        return None
    home = parts[0] in ("首页", "首頁")
    parts = [p for p in parts if p not in ("正文", "首页", "首頁")] or parts
    if home:  # "首頁 > 政治": no site named, the channel is what remains
        return None, parts[-1]
    return parts[0], parts[-1] if len(parts) > 1 else None


def _looks_like_breadcrumb(text: str) -> bool:
    return bool(re.search(r">>|＞＞|»| > |＞", text)) and len(text) <= 60


def _read_header(units: list[_Unit], found: _Found, fallback_title: str) -> int:
    """Fill title, breadcrumb and date fields from the top; return where the
    body starts.  The title is the line just above the date line (or the first
    line that is not a breadcrumb, where there is no date line); lines above
    the title are the breadcrumb or header furniture."""
    date_at = next((i for i, u in enumerate(units[:8]) if _parse_dateline(u.text)), None)
    if date_at is not None:
        _take_dateline(_parse_dateline(units[date_at].text), found, units[date_at].line)
        above, body_start = units[:date_at], date_at + 1
    else:
        lead = 0
        while lead < min(3, len(units) - 1) and _looks_like_breadcrumb(units[lead].text):
            lead += 1
        above, body_start = units[: lead + 1], lead + 1

    # Just above a date line is the title, however long; without a date line
    # only a line that looks like one is taken for it.
    if above and (_is_title(above[-1].text) or (date_at is not None and not _looks_like_breadcrumb(above[-1].text))):
        found.title = above[-1].text
        above = above[:-1]
    else:
        found.title = fallback_title
        if date_at is None:  # the first line is already text: keep it in the body
            above, body_start = above[:-1], body_start - 1

    for i, u in enumerate(above):
        crumb = _parse_breadcrumb(u.text) if i == 0 or _looks_like_breadcrumb(u.text) else None
        if crumb and found.breadcrumb is None:
            found.breadcrumb = u.text
            found.site, found.channel = crumb
        else:
            found.furniture.append(Furniture(u.text, "header", u.line))

    # Under the title: a subtitle, an author line, a late date line.
    while body_start < len(units):
        text = units[body_start].text
        if text.startswith(("——", "—")) and len(text) <= 60 and "。" not in text and not found.subtitle:
            found.subtitle = text.lstrip("—－- ")
        elif date_at is None and found.byline is None and (name := _author_line(text)):
            found.byline = name
        elif date_at is None and body_start <= 3 and (dateline := _parse_dateline(text)):
            date_at = body_start
            _take_dateline(dateline, found, units[body_start].line)
        else:
            break
        body_start += 1
    return body_start


def _take_dateline(dateline: _Found | None, found: _Found, line: int) -> None:
    assert dateline is not None
    found.published, found.source = dateline.published, dateline.source
    found.byline = found.byline or dateline.byline
    found.editors = found.editors or dateline.editors
    found.furniture.extend(Furniture(f.text, f.kind, line) for f in dateline.furniture)


def _is_title(text: str) -> bool:
    return len(text) <= 80 and not text.endswith(("。", "；", "，"))


def _author_line(text: str) -> str | None:
    m = _AUTHOR_LINE.match(text)
    if m:
        return m["name"]
    m = _REPORTER_LINE.match(text)
    if m:
        return _strip(m["byline"])
    if _PLAIN_NAME.match(text):
        return text
    return None


# ------------------------------------------------------------------ trailer


def _furniture_kind(text: str) -> str | None:
    for kind, pattern, longest in _FURNITURE_RULES:
        if len(text) <= longest and pattern.search(text):
            return kind
    return None


def _read_trailer(body: list[_Unit], found: _Found) -> list[_Unit]:
    """Take metadata and furniture off the end of the body; return the rest."""
    trailer: list[Furniture] = []
    while body:
        unit = body[-1]
        text = unit.text
        if (code := _WIRE_CODE_AFTER_BRACKET.match(text)) and _EDITORS_LINE.match(code["body"]):
            # "（編輯：張均懋）1060323": the wire date code, then the editors line.
            trailer.append(Furniture(code["code"], "wire-code", unit.line))
            text = unit.text = code["body"]
        if (m := _EDITORS_LINE.match(text)) and not found.editors:
            found.editors = _split_names(m["names"])
        elif (kind := _furniture_kind(text)) is not None:
            trailer.append(Furniture(text, kind, unit.line))
        elif m := _SOURCE_NOTE.match(text):
            trailer.append(Furniture(text, "source-note", unit.line))
            if found.source is None:
                found.source = _strip(m["value"])
        elif (name := _closing_byline(text)) and found.byline is None:
            found.byline = name
        else:
            break
        body.pop()
    if body:
        last = body[-1]
        last.text = _strip_tail(last.text, last.line, found, trailer)
        if not last.text:
            body.pop()
    found.furniture.extend(reversed(trailer))
    return body


def _closing_byline(text: str) -> str | None:
    m = re.match(r"^[（(]([^（）()]{2,30})[）)]$", text)
    if m and not _NOT_A_BYLINE.match(m[1]):
        return _strip(m[1])
    m = _REPORTER_LINE.match(text)
    return _strip(m["byline"]) if m else None


def _strip_tail(text: str, line: int, found: _Found, trailer: list[Furniture]) -> str:
    """Bylines, editors and wire codes glued to the end of the last paragraph."""
    while True:
        if m := _WIRE_CODE_TAIL.match(text):
            trailer.append(Furniture(m["code"], "wire-code", line))
            text = _strip(m["body"])
        elif m := _EDITORS_TAIL.match(text):
            if not found.editors:
                found.editors = _split_names(m["names"])
            text = _strip(m["body"])
        elif (m := _BYLINE_TAIL.match(text)) and not _NOT_A_BYLINE.match(m["name"]) and found.byline is None:
            found.byline = _strip(m["name"])
            text = _strip(m["body"])
        else:
            return text


# ------------------------------------------------------------------ body

_NUM = "[" + _CN_DIGITS + "]{1,3}"
_NUMBERING: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cjk-yao", re.compile(r"^(?P<n>" + _NUM + r")要")),
    ("cjk-shi", re.compile(r"^(?P<n>" + _NUM + r")是")),
    ("cjk-paren", re.compile(r"^[（(](?P<n>" + _NUM + r")[）)]")),
    ("cjk-comma", re.compile(r"^(?P<n>" + _NUM + r")、")),
    ("cjk-di", re.compile(r"^第(?P<n>" + _NUM + r")[，,、：:]")),
    ("arabic-paren", re.compile(r"^[（(](?P<n>\d{1,2})[）)]")),
    ("arabic", re.compile(r"^(?P<n>\d{1,2})[.．、](?!\d)")),
    ("circled", re.compile(r"^(?P<n>[\u2460-\u2473])")),
)


def _cjk_number(s: str) -> int | None:
    values = {c: i for i, c in enumerate("零一二三四五六七八九")}
    values["〇"] = 0
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = values.get(tens, None) if tens else 1
        o = values.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    if len(s) == 1 and s in values:
        return values[s]
    return None


def _numbering(text: str) -> tuple[str, int, str] | None:
    """(style, number, marker) when the paragraph opens with a list number."""
    for style, pattern in _NUMBERING:
        m = pattern.match(text)
        if not m:
            continue
        n = m["n"]
        if style == "circled":
            value = ord(n) - 0x2460 + 1
        elif style.startswith("arabic"):
            value = int(n)
        else:
            value = _cjk_number(n)
        if value:
            return style, value, m.group(0)
    return None


_LEAD = re.compile(r"^(?P<lead>[^。！？；;!?]{1,40}[。！？；;!?])(?P<rest>.+)$", re.S)


def _list_item(text: str, marker: str) -> ListItem:
    rest = text[len(marker):]
    m = _LEAD.match(rest)
    if m:
        return ListItem(marker, (Str(m["lead"]),), (Str(m["rest"]),))
    return ListItem(marker, (), (Str(rest),) if rest else ())


def _is_heading(text: str) -> bool:
    return len(text) <= 30 and not any(c in text for c in "。！？!?，,；;：:") and text[-1] not in _CLOSERS


def _build_blocks(units: list[_Unit]) -> list:
    blocks: list = []
    i = 0
    while i < len(units):
        run = [units[i]]
        first = _numbering(units[i].text)
        if first and first[1] == 1:
            style, expected = first[0], 2
            j = i + 1
            while j < len(units):
                nxt = _numbering(units[j].text)
                if not nxt or nxt[0] != style or nxt[1] != expected:
                    break
                run.append(units[j])
                expected += 1
                j += 1
            # Numbered lines that are all short titles are section headings,
            # not points; two or more sentences-long points make a list.
            if len(run) >= 2 and not all(_is_heading(u.text) for u in run):
                items = tuple(_list_item(u.text, _numbering(u.text)[2]) for u in run)
                blocks.append(OrderedList(items, style))
                i = j
                continue
        text = units[i].text
        if _is_heading(text) and i + 1 < len(units):
            blocks.append(Heading(2, (Str(text),)))
        else:
            blocks.append(Para((Str(text),)))
        i += 1
    return blocks


# ------------------------------------------------------------------ entry


def read_news(text: str, *, path: str | None = None, encoding: str | None = None) -> Document:
    """Read the text of a news page (already decoded) into a Document."""
    from ..transforms.chinese_script import detect_script
    from .flattened import looks_flattened, unflatten

    text, warnings = clean_text(text)
    fallback_title = Path(path).stem if path else ""
    found = _Found(warnings=warnings)
    laid_out = unflatten(text) if looks_flattened(text) else None
    if laid_out is not None:
        # Everything sits on line 1 of a flattened page.
        units = [_Unit(line, 1) for line in laid_out.lines]
        found.furniture.extend(Furniture(t, kind, 1) for kind, t in laid_out.furniture)
    else:
        units = split_units(text)
    if not units:
        title = fallback_title or "untitled"
        return _document(found, title, [], path, encoding, "hans")

    body_start = _read_header(units, found, fallback_title)
    if laid_out is not None and laid_out.site:
        found.site = laid_out.site
    if not found.title:
        found.title = fallback_title or units[0].text[:40]
    body = _read_trailer(list(units[body_start:]), found)

    kept: list[_Unit] = []
    in_related_list = after_furniture = False
    for u in body:
        kind = "related" if in_related_list else _furniture_kind(u.text)
        # A "相关新闻" heading starts a list of links that runs to the end.
        in_related_list = in_related_list or kind == "related"
        if kind is None and after_furniture and not kept and _is_heading(u.text):
            kind = "caption"  # a picture's caption under 原标题, before the first paragraph
        after_furniture = kind is not None
        if kind is None and not kept and (name := _wire_byline(u.text)) and found.byline is None:
            found.byline = name
        if kind is not None:
            found.furniture.append(Furniture(u.text, kind, u.line))
            continue
        kept.append(u)
    found.furniture.sort(key=lambda f: f.line)
    script = detect_script(found.title + "".join(u.text for u in kept))
    return _document(found, found.title, _build_blocks(kept), path, encoding, script)


def _wire_byline(text: str) -> str | None:
    """``（中央社記者戴雅真台北29日電）`` → ``中央社記者戴雅真``."""
    m = _WIRE_BYLINE.match(text)
    if not m:
        return None
    rest = re.sub(r"\d.*$", "", m["rest"])
    for place in _DATELINE_PLACES:
        idx = rest.find(place)
        if idx >= 2:
            rest = rest[:idx]
            break
    else:
        rest = rest[:3]
    return f"{m['org']}{m['role']}{_strip(rest)}"


def _document(found: _Found, title: str, blocks: list, path: str | None, encoding: str | None,
              script: str) -> Document:
    meta = Meta(
        title=title,
        subtitle=found.subtitle,
        site=found.site,
        channel=found.channel,
        breadcrumb=found.breadcrumb,
        published=found.published,
        source=found.source,
        byline=found.byline,
        editors=tuple(found.editors),
        language="zh-Hans-CN" if script == "hans" else "zh-Hant",
        script=script,
        input_path=path,
        encoding=encoding,
    )
    doc = Document(meta, tuple(blocks), tuple(found.furniture), tuple(found.warnings))
    identity = "\n".join([title, *paragraph_texts(doc)])
    ident = uuid.uuid5(uuid.NAMESPACE_URL, "convert:" + identity)
    from dataclasses import replace

    return replace(doc, meta=replace(meta, identifier=f"urn:uuid:{ident}"))


def read_news_bytes(data: bytes, *, path: str | None = None, encoding: str | None = None) -> Document:
    notes: list[str] = []
    text, used = decode(data, encoding, path=path, notes=notes)
    if not _strip(text.replace("\r", "")):
        raise InputError("empty input (only whitespace, no text)", path)
    doc = read_news(text, path=path, encoding=used)
    if notes:
        from dataclasses import replace

        doc = replace(doc, warnings=(*notes, *doc.warnings))
    return doc


def read_news_file(path: str | Path, *, encoding: str | None = None) -> Document:
    p = Path(path)
    return read_news_bytes(p.read_bytes(), path=str(p), encoding=encoding)


class NewsReader:
    """Entry point ``convert.readers: news``."""

    name = "news"

    def read(self, data: bytes, *, path: str | None = None, encoding: str | None = None) -> Document:
        return read_news_bytes(data, path=path, encoding=encoding)
