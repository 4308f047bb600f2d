"""Flattened pages: a page whose lines were joined by single spaces (a search
index's copy), or a scraper's record, cut back into blocks."""

from __future__ import annotations

import re

from ..._lazy_re import lazy
from .dates import find_dates
from .header import parse_breadcrumb
from .lines import (
    ARTICLE_END,
    BARE_LABEL,
    CJK,
    DESK_LEAD,
    FIELD,
    LOCATION_TAG,
    OUTLET_REPORTERS,
    PHOTO_CREDIT_TAIL,
    REPORTER_LEAD,
    SURNAMES,
    density_score,
    is_crumb,
    is_personal_name,
    ui_heavy,
)
from .patterns import REPORTER_LINE, SPACE, TERMINAL
from .units import Page, Unit, strip_space


def cut_pieces(text: str, line: int) -> list[Unit]:
    """A flattened stretch of page cut back into blocks: at every space, then
    prose glued back where a space fell inside a paragraph (a word run
    together with a sentence, both long enough to be prose)."""
    out: list[Unit] = []
    # A date and its time are one token (2019-03-18 23:59): the spaces inside
    # are held while the page is cut at the others.
    held = list(text)
    for date in find_dates(text):
        for k in range(date.start, date.start + len(text[date.start:date.end].rstrip())):
            if held[k] == " ":
                held[k] = "\0"
    value = False  # the last piece is a label's one-word value (来自: 互联网): no sentence runs on from it
    for token in "".join(held).split(" "):
        token = token.replace("\0", " ").strip(" ")
        if not token:
            continue
        if out and not (value and len(CJK.findall(token)) >= 10) and continues_piece(out[-1].text, token):
            out[-1].text += " " + token
        else:
            value = bool(out) and out[-1].text[-1] in ":：︰" and bool(FIELD_VALUE.fullmatch(token))
            out.append(Unit(token, line))
    # Paragraph marks (two ideographic spaces) start a new block.
    result: list[Unit] = []
    for u in out:
        pieces = u.text.split("\u3000\u3000")
        for k, piece in enumerate(pieces):
            if strip_space(piece):
                result.append(Unit(strip_space(piece), line, k > 0))
    return result

# A label's value: one word, and what follows it is not part of it.
FIELD_VALUE = lazy(r"[\u4e00-\u9fff]{1,8}")

SECOND_NAME = lazy(FIELD.pattern + r"[\u4e00-\u9fff]{2,4}")

NAME = lazy(r"[\u4e00-\u9fff]{2,4}")

STAFF_CODE = lazy(r"[A-Z]{1,4}\d{2,6}")

WIRE_OPENING = lazy(r"[（(][^（）()]{2,30}(?:電|电)[）)]")

# A wire dateline opening its paragraph: 据新华社拉萨电（, 新华社北京5月9日电.
DATELINE_OPENING = lazy(r"(?:据|據)?[\u4e00-\u9fff]{2,12}?(?:(?:\d{1,2}月)?\d{1,2}日(?:电|電)|(?:电|電)[（(])")

CREDIT_WORD_END = lazy(r"(?:攝|摄|翻攝|翻摄|供图|供圖|提供)$")

ROLE_END = lazy(r"(?:记者|記者|通讯员|通訊員)$")

WIRE_DATELINE_WORD = lazy(r"[\u4e00-\u9fff]{2,12}?(?:\d{1,2}月)?\d{1,2}日(?:电|電)")

INITIAL_END = lazy(r"(?<![A-Za-z])[A-Z]\.$")

NEWS_CREDIT = lazy(r"[\u4e00-\u9fff]{0,10}[网網社台报報](?:讯|訊)")

LATIN_WORD = lazy(r"[A-Za-z][A-Za-z0-9.+#_-]{0,19}")

PROSE_MARKS = lazy(r"[，、；：,;:]")


def is_prose(text: str) -> bool:
    """A sentence under way: ten Chinese characters and a clause mark."""
    return len(CJK.findall(text)) >= 10 and bool(PROSE_MARKS.search(text))

CLOCK = lazy(r"\d[:：︰]\d")

def continues_piece(before: str, token: str) -> bool:
    if token in ("(完)", "（完）", "【完】"):  # the end mark of the paragraph before
        return True
    if token[0] in "、，,；;：:。！？!?）)」』”’" and before[-1] not in "。！？!?":
        return True  # no block starts with a comma: the space fell inside a sentence (中石油 、 中海油)
    if before[-1] in "、，,；;" and not ui_heavy(token):
        return True  # nor ends with one
    tail = before[-24:]
    if (tail.count("（") + tail.count("(") > tail.count("）") + tail.count(")")
            and (re.match(r"^[^（()）]{0,20}[）)]", token) or len(token) <= 20 and not re.search(r"[（(]", token))):
        return True  # a space inside brackets: （常书香 马丹阳 ）
    if INITIAL_END.search(before) and token[0].isascii() and token[0].isalpha():
        return True  # an initial and the name it abbreviates: P. LEAGUE+, J. K. Rowling
    if NEWS_CREDIT.fullmatch(before.strip(SPACE)) and len(CJK.findall(token)) >= 10:
        return True  # "本报讯 近日，…": a paper's credit opens its first sentence, even set off by spaces
    last_word = before.rsplit(" ", 1)[-1]
    if BARE_LABEL.fullmatch(last_word):
        # "来源： 国际在线": a label and its value; an empty label before the text is not.
        return len(token) <= 20 and not find_dates(token)
    field_before = FIELD.match(before)
    if field_before:
        if NAME.fullmatch(token) and token[0] in SURNAMES and SECOND_NAME.fullmatch(before):
            return True  # "作者：上官云 宋宇晟": a second name in the field
        # "責任編輯：向昌明 SN123": the editor's staff code; nothing else joins a field
        return bool(STAFF_CODE.fullmatch(token))
    if before[-1] in "】》" or before[0] in "|｜" or token.startswith(("图为", "圖為", "▲", "图注", "圖注")):
        return False
    if is_prose(before) and not ui_heavy(token) and (
            LATIN_WORD.fullmatch(token) and CJK.match(before[-1])
            or LATIN_WORD.fullmatch(last_word) and CJK.match(token[0]) and " " in before):
        return True  # a Latin word set off by spaces inside a Chinese sentence: 拿到 ChatGPT 之后
    bare = before.strip(SPACE)  # a piece may still carry its paragraph mark (　　)
    if (ROLE_END.search(bare) or OUTLET_REPORTERS.match(bare) or REPORTER_LINE.match(bare)) \
            and is_personal_name(token) and len(bare) <= 30:
        return True  # "半月谈记者 史卫燕", "光明日报记者 王建宏 张文攀"
    if token.startswith("题") and WIRE_DATELINE_WORD.fullmatch(last_word):
        return True  # "新华社北京5月9日电 题：…"
    if len(before) <= 4 and CJK.match(before) and token[-1] in "？！?!" and not PROSE_MARKS.search(token):
        return False  # a menu's last word, then a headline that is one sentence (徒手抓子弹真的存在吗？)
    longer = last_word if len(last_word) >= len(token) else token
    if before[-1] not in "）)" and len(CJK.findall(longer)) < 10:
        return False  # two short words: a menu, not a sentence cut by a space
    if (LOCATION_TAG.match(before) or is_personal_name(before) or is_personal_name(token)
            or WIRE_OPENING.match(token) or DATELINE_OPENING.match(token) or OUTLET_REPORTERS.match(token)
            or before[-1] in TERMINAL + "”」』;；" or CREDIT_WORD_END.search(before)
            or OUTLET_REPORTERS.match(before) or REPORTER_LINE.match(before)):
        return False  # a place tag, a name alone, a wire dateline opening, an ended sentence, a credit
    if before[-1] in "）)":
        # A bracket closes a caption's credit or a reporter's: the line ends
        # there.  A wire dateline (（法新社羅馬19日電）) or an aside (谷歌(微博))
        # runs on into its sentence.
        if PHOTO_CREDIT_TAIL.search(before) or ARTICLE_END.search(before) or len(token) < 10:
            return False
        return bool(CJK.match(token[0]) or token[0].isalnum() or token[0] in "“「『《")
    if not (CJK.match(before[-1]) or before[-1] in "，,、：:" or before[-1].isalnum()):
        return False
    if not CJK.search(last_word) or CLOCK.search(last_word):  # a time, a counter, a Latin word
        return False
    if (REPORTER_LEAD.match(token + " ") or REPORTER_LEAD.match(last_word + " ")
            or DESK_LEAD.match(token) or DESK_LEAD.match(last_word)):
        return False
    if not (CJK.match(token[0]) or token[0].isalnum() or token[0] in "“「『《（("):
        return False
    if FIELD.match(token) or find_dates(token[:30]) or find_dates(before[-20:]):
        return False
    return not ui_heavy(token) and not ui_heavy(before)

SENTENCE_END_SPACE = lazy(r"[。！？!?][”」’』）)]? +\S")

def record_page(numbered: list[tuple[int, str]]) -> Page:
    """A scraper's record: title and date lines, then the article's text
    flattened onto a line, which is cut back into paragraphs."""
    if len(numbered) == 1:
        return Page(one_line_article(*numbered[0]), True)
    units: list[Unit] = []
    for n, line in numbered:
        line = strip_space(line)
        units.extend(cut_pieces(line, n) if SENTENCE_END_SPACE.search(line) else [Unit(line, n)])
    return Page(units, True)

DATELINE_LABEL_END = lazy(r"(?:发布时间|發布時間|發佈時間|发表时间|發表時間|时间|時間|日期|更新)\s*[:：︰]?\s*$")

SECTION_WORD = lazy(r"[\u4e00-\u9fff]{2,4}")

DATELINE_FIELD = lazy(
    r"[\s\u00a0\u3000]*(?P<label>来源|來源|作者|记者|記者|编辑|編輯|责任编辑|責任編輯)\s*[:：︰]\s*(?P<value>[^\s\u00a0\u3000]*)")

def one_line_article(line_number: int, line: str) -> list[Unit]:
    """A whole article flattened onto one line, with no page title to anchor
    it: the head before the first date is breadcrumb and title, the date
    and its labelled fields one date line, the rest cut into paragraphs; with
    no date, the short pieces before the first sentence are the title (and
    the author's name after it)."""
    line = strip_space(line)
    dates = find_dates(line[:300])
    if dates and dates[0].start >= 4:
        head = strip_space(DATELINE_LABEL_END.sub("", line[: dates[0].start]))
        units = []
        first, _, rest = head.partition(" ")
        if rest and len(rest) >= 4 and (parse_breadcrumb(first) or is_crumb(first)) or (
                len(rest) >= 8 and SECTION_WORD.fullmatch(first) and not is_personal_name(first)):
            # a breadcrumb, or a section's name, above the headline (本地 政府聘…)
            units.append(Unit(first, line_number))
            head = rest
        units.append(Unit(head, line_number))
        at = dates[0].end
        fields = [line[dates[0].start: at].strip()]
        while (m := DATELINE_FIELD.match(line, at)) and len(m["value"]) <= 20:
            fields.append(f"{m['label']}：{m['value']}")
            at = m.end()
        units.append(Unit("  ".join(fields), line_number))
        return units + cut_pieces(line[at:], line_number)
    pieces = cut_pieces(line, line_number)
    lead = 0
    while (lead < len(pieces) - 1 and lead < 3 and len(pieces[lead].text) <= 40
           and pieces[lead].text[-1] not in TERMINAL and density_score(pieces[lead].text) < 20):
        lead += 1
    if lead >= 2:
        name = pieces[lead - 1].text if is_personal_name(pieces[lead - 1].text) else None
        title_parts = [p.text for p in pieces[: lead - 1 if name else lead]]
        units = [Unit(" ".join(title_parts), line_number)] + ([Unit(name, line_number)] if name else [])
        return units + pieces[lead:]
    return pieces
