"""The reader's patterns and helpers written in a cheaper form than they
were first written in (cheaper for ``re`` to compile) match exactly what the
first forms matched: over every code point where a character class changed,
and over the lines of the seed and the corpus pages for whole patterns."""

from __future__ import annotations

import re

import pytest
from _corpus import CORPUS, SEED

from convert.readers.encoding import decode, is_private_use, private_use_note
from convert.readers.news import lines
from convert.readers.news.units import is_han_word

EVERY_CHARACTER = "".join(map(chr, range(0x110000)))
TEXT_LINES = sorted({line for path in [SEED, *CORPUS.glob("*.txt")]
                     for line in decode(path.read_bytes())[0].splitlines() if line.strip()})


def test_every_unified_ideograph_is_a_word_character():
    # Why [\w\u4e00-\u9fff] could be written \w.
    ideographs = EVERY_CHARACTER[0x4E00:0xA000]
    assert re.fullmatch(r"\w+", ideographs)
    assert [m.start() for m in re.finditer(r"[\w\u4e00-\u9fff]", EVERY_CHARACTER)] == \
        [m.start() for m in re.finditer(r"\w", EVERY_CHARACTER)]


OLD_FORMS = {
    "TITLE_SEPARATOR": (
        r"\s*(?:[_|｜»]|--|－|—|::|\s-\s?|\s@\s|(?<=[\u4e00-\u9fff\w])-(?=[\u4e00-\u9fff])"
        r"|(?<=[^\s\w-])-(?=[\w\u4e00-\u9fff][^\s-]{1,20}(?:\s|$|-))|(?<=[？！」』”])-(?=[\w\u4e00-\u9fff]))\s*"),
    "PICTURE_LABEL": (
        r"^[\u4e00-\u9fff\w]{0,10}(?:官網|官网|網站|网站|資料圖片|资料图片|網上圖片|网上图片|截圖|截图|資料照片|资料照片)$"),
    "POSTED_AT": (
        r"^(?:posted|Posted|POSTED|发表于|發表於)\s*@?\s*"
        r"(?P<date>\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s+"
        r"(?P<name>[\w\u4e00-\u9fff][\w\u4e00-\u9fff.-]{1,29})(?:\s|$)"),
    "DATELINE_CREDIT": r"^[\w\u4e00-\u9fff·]{2,20}\s*(?:\d{1,2}月)?\d{1,2}日(?:报道|報導|讯|訊|电|電)$",
}
SAMPLES = [
    "新闻标题-新闻频道-某某网", "標題－頻道", "某某網 - 首頁", "標題_新聞_網站", "問題？-答案", "「引號」-后文",
    "abc-def", "中文-English-中文", "a-b-c-d", "五礦資源官網", "網上截圖", "資料圖片", "posted @ 2024-05-09 14:45 作者名",
    "發表於 2024/5/9 作者_名-1.x ", "新華社北京10月3日电", "王·小明 3日讯", "—", "-", "",
]


@pytest.mark.parametrize("name", OLD_FORMS)
def test_a_pattern_matches_as_its_first_form_did(name):
    old, new = re.compile(OLD_FORMS[name]), getattr(lines, name)
    assert new.pattern != old.pattern
    for text in [*SAMPLES, *TEXT_LINES]:
        assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)], text


def test_a_breadcrumbs_parts_are_checked_as_they_first_were():
    old_parts = (r"[\w\u4e00-\u9fff][\w\u4e00-\u9fff_-]*(?: [\w\u4e00-\u9fff_-]+){0,3}", r"[\w\u4e00-\u9fff _-]+")
    new_parts = (r"\w[\w-]*(?: [\w-]+){0,3}", r"[\w -]+")
    parts = [*SAMPLES, "首页", "要闻 动态", "新聞_中心-2", "a b c d e", " x", *TEXT_LINES]
    for old, new in zip(old_parts, new_parts, strict=True):
        assert [bool(re.fullmatch(new, p)) for p in parts] == [bool(re.fullmatch(old, p)) for p in parts]


@pytest.mark.parametrize("shortest, longest", [(1, 6), (2, 4), (2, 6)])
def test_a_han_word_is_what_the_character_class_matched(shortest, longest):
    pattern = re.compile(r"[\u4e00-\u9fff]" + f"{{{shortest},{longest}}}")
    singles = list(EVERY_CHARACTER[:0x10000:7] + EVERY_CHARACTER[0x4DF0:0x4E10] + EVERY_CHARACTER[0x9FF0:0xA010])
    words = ["", "本地", "社會新聞", "本地社會新聞", "本地社會新聞版", "本地 社會", "本地\n", "中文abc", "〇一", "一〇",
             *(w for text in TEXT_LINES for w in text.split())]
    for text in [*singles, *words, *(c * n for c in "中鿿一\u4dff\ua000" for n in range(8))]:
        assert is_han_word(text, shortest, longest) == bool(pattern.fullmatch(text)), repr(text)


def test_the_private_use_area_is_what_the_character_class_matched():
    old = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
    assert [i for i, c in enumerate(EVERY_CHARACTER) if is_private_use(c)] == \
        [m.start() for m in old.finditer(EVERY_CHARACTER)]
    text = "中文\ue000\ue000 \uf8ff\U000f0000\U0010fffd\U0010fffe\U000ffffe abc"
    assert private_use_note(text, "gb18030").startswith("5 character(s) decoded as gb18030 ")
    assert private_use_note("中文 abc", "utf-8") is None


def test_a_paragraph_numbered_opens_with_a_number_opener():
    from convert.readers.news.blocks import NUMBER_OPENERS, NUMBERING, numbering

    # Every opener that a numbering pattern takes, whatever follows it, is one
    # numbering() lets through (\d is str.isdecimal in re).
    # Each pattern is tried at the start of every line of one text (re.M), a
    # line a character and an ending.
    tails = ["要", "是", "、", "一）", "1）", "一，", ".", "1."]
    lines_ = "\n".join(c + tail for c in EVERY_CHARACTER[:0x20000] if c != "\n" for tail in tails)
    for _, pattern in NUMBERING:
        for m in re.finditer(pattern.pattern, lines_, re.M):
            assert m[0][0] in NUMBER_OPENERS or m[0][0].isdecimal(), (pattern.pattern, m[0])
    assert [m.start() for m in re.finditer(r"\d", EVERY_CHARACTER)] == \
        [i for i, c in enumerate(EVERY_CHARACTER) if c.isdecimal()]
    assert numbering("第三，") == ("cjk-di", 3, "第三，")
    assert numbering("（２）") == ("arabic-paren", 2, "（２）")
    assert numbering("⑤ 五") == ("circled", 5, "⑤")
    assert numbering("本文") is None


FURNITURE_SAMPLES = {
    "share": ["分享到微信", "分享：", "分享:"], "tools": ["打印 收藏", "列印　推薦"], "original-title": ["原標題：某某"],
    "caption": ["图注 某某", "圖：某某", "資料圖", "图/某某"], "related": ["相关新闻", "熱門推薦"],
    "disclaimer": ["“特别声明：", "\"免責聲明：", "「特別聲明:", "免责声明："], "source-note": ["（刊于某报）", "(原載於", "《人民日报》（2020年1月2日 3 版）"],
    "navigation": ["上一页", "返回頂部", "责任编辑：", "下一頁"],
}


def test_a_furniture_rule_anchored_at_the_start_takes_only_lines_opening_with_its_openers():
    from convert.readers.news.patterns import FURNITURE_RULES

    anchored = [(kind, pattern, opens) for kind, pattern, _, opens in FURNITURE_RULES if opens is not None]
    assert anchored
    for kind, pattern, opens in anchored:
        samples = [s for s in FURNITURE_SAMPLES[kind] if pattern.search(s)]
        assert samples and all(s[0] in opens for s in samples), kind
        # Every character in front of a sample, and in place of its first.
        text = "\n".join(c + s[k:] for c in EVERY_CHARACTER[:0x10000] if c != "\n" for s in samples for k in (0, 1))
        for m in re.finditer(pattern.pattern, text, pattern.flags | re.M):
            assert m[0][0] in opens, (kind, m[0])


def test_a_json_document_is_recognised_as_the_pattern_alone_recognised_it():
    from convert.readers.json import JsonReader

    old = re.compile(rb'(?:\xef\xbb\xbf)?\s*\{\s*"schema"\s*:\s*"convert\.document"')
    body = b'{ "schema" : "convert.document", "version": 1}'
    inputs = [b"", b"{", body, b"\xef\xbb\xbf" + body, b"\xef\xbb\xbf\xef\xbb\xbf" + body, b"[" + body,
              *(bytes([b]) + body for b in range(256)), *(bytes([b, b]) + body for b in range(256)),
              *(b"\xef\xbb\xbf" + bytes([b]) + body for b in range(256))]
    assert sum(JsonReader().sniff(data) for data in inputs) > 8
    for data in inputs:
        assert JsonReader().sniff(data) == bool(old.match(data)), data[:4]
        assert JsonReader().sniff(bytearray(data)) == bool(old.match(data)), data[:4]


OPENS_SAMPLES = {
    "TITLE_FIELD": ["标题：某某某某某", "標 題: 某某某某", "文章主題：某某某某"],
    "SUBJECT_FIELD": ["主题：某某某某", "主題：某某某某"], "POSTER_FIELD": ["作者：某某", "楼主：某某", "發信人: 某某"],
    "COMMENT_BUTTON": ["我要说说", "我要說兩句", "我要评论"], "REPORTERS_CREDIT": ["本报记者 王燕平 方云凤", "（记者 张三）"],
    "TITLE_LABEL_ALONE": ["标题：", "標      題：", "标 题:"], "HASHTAGS": ["#新聞 #台灣"],
    "SOURCE_NOTE": ["来源：新华社", "本文来源：某報", "轉自：某網", "選自: 某刊"],
    "WIRE_BYLINE": ["（中央社記者戴雅真台北29日電）", "(中央社记者某某北京电)"],
    "REPORTER_LINE": ["记者 张三", "（本报记者 李四）", "(特约记者：王五)", "本報記者 某某", "通讯员 某某", "記者某某某"],
    "BRACKET_EDITOR": ["（编辑 张三）", "(本报责编 李四)"], "CATEGORY_FIELD": ["所属分类：数理化", "頻道: 國際", "版塊：生活"],
    "LOCATION_TAG": ["发布于：北京", "來自 台北市", "IP属地：广东"],
    "REPLY_HEADER": ["作者：某某 时间：2020", "發信人: abc 發表於 2020", "回复人：某 發表時間：2020"],
    "SIGNATURE": ["--", "-- "], "BBS_SOURCE": ["※ 来源：·水木社区 ", "來源：·某站"],
    "POSTED_AT": ["posted @ 2024-05-09 14:45 作者名", "發表於 2024/5/9 名字 ", "POSTED 2024-5-9 ab"],
    "AUTHOR_LINE_START": ["文／张三", "图文 | 李四四", "圖文/王五"],
    "DATE_FIELD": ["时间：2020-01-02 10:00", "日期: 2020年1月2日", "發佈時間：2020-01-02"],
}


def _lazy_patterns_with_openers():
    from importlib import import_module

    from convert._lazy_re import LazyPattern

    modules = [import_module(f"convert.readers.news.{name}")
               for name in ("blocks", "flat", "header", "headline", "lines", "page", "patterns", "subheadings", "trailer")]
    found = {name: value for module in modules for name, value in vars(module).items()
             if isinstance(value, LazyPattern) and value.opens is not None}
    assert set(found) == set(OPENS_SAMPLES)  # every pattern that names its openers is checked here
    return found


@pytest.mark.parametrize("name", OPENS_SAMPLES)
def test_a_pattern_that_names_its_openers_matches_only_lines_opening_with_them(name):
    pattern = _lazy_patterns_with_openers()[name]
    samples = OPENS_SAMPLES[name]
    assert all(pattern.match(s) for s in samples) and all(s[0] in pattern.opens for s in samples)
    # Every character in front of a sample, and in place of its first, at the
    # start of a line of one text (re.M: each line tried as a whole string).
    text = "\n".join(c + s[k:] for c in EVERY_CHARACTER[:0x10000] if c != "\n" for s in samples for k in (0, 1))
    for m in re.finditer(pattern.pattern, text, pattern.flags | re.M):
        assert m[0][0] in pattern.opens, (name, m[0])
    for text in TEXT_LINES:  # the same answers as the pattern compiled
        assert bool(pattern.match(text)) == bool(pattern.compiled().match(text)), text
        assert bool(pattern.fullmatch(text)) == bool(pattern.compiled().fullmatch(text)), text


def test_openers_are_not_consulted_for_a_match_from_a_position():
    from convert._lazy_re import lazy

    pattern = lazy(r"ab", opens="a")
    assert pattern.match("xab") is None and pattern.match("xab", 1) is not None and pattern.match("ab")
    assert pattern.fullmatch("xab", pos=1) is not None and pattern.search("xab")


def _label_texts():
    from itertools import product

    from convert.readers.news.patterns import LABELS

    pieces = ["", " ", "  ", "\u3000", "\n", "：", ":", "︰", "X", "新华社", "2020-01-02"]
    texts = [*TEXT_LINES]
    for label in LABELS:
        texts += [label + a + b + c + d for a, b, c, d in product(pieces[:6], pieces[4:8], pieces[:5], pieces[7:])]
        texts += [label[:-1] + a + label + b + "：" for a, b in product(pieces[:4], pieces[:4])]
        texts += ["编辑" + label + " ：", "责任" + label + "：X", label + label + "：", label + "：" + label + " ：Y"]
    return texts


def test_gaps_before_colons_go_as_the_alternation_of_labels_took_them():
    from convert.readers.news.header import without_gaps_before_colons
    from convert.readers.news.patterns import LABELS

    assert not [(a, b) for a in LABELS for b in LABELS if a != b and b.startswith(a)]
    old = re.compile(r"(" + "|".join(LABELS) + r")\s+(?=[:：︰])")
    texts = _label_texts()
    assert sum(old.search(t) is not None for t in texts) > 1000
    for text in texts:
        assert without_gaps_before_colons(text) == old.sub(r"\1", text), text


def test_empty_labels_go_as_the_alternation_of_labels_took_them():
    from convert.readers.news.header import without_empty_labels
    from convert.readers.news.patterns import LABELS

    old = re.compile(r"(" + "|".join(LABELS) + r")\s*[:：︰]\s*(?=[\s\u3000\u00a0]|$)")
    texts = _label_texts()
    assert sum(old.search(t) is not None for t in texts) > 1000
    for text in texts:
        assert without_empty_labels(text) == old.sub("", text), text


def _flattened_pages():
    from convert.readers.news.units import strip_space

    for path in sorted([SEED, *CORPUS.glob("*.txt")]):
        lines_ = [line for line in decode(path.read_bytes())[0].split("\n") if strip_space(line)]
        if lines_ and len(lines_) <= 5 and max(map(len, lines_)) > 200:  # as segment() takes a page flattened
            yield path.name, " ".join(strip_space(line) for line in lines_)


def test_a_loose_match_is_the_candidates_core_with_whitespace_and_dashes_around():
    from convert.readers.news.headline import CORE_WINDOW, DASHES, loose_core, loose_pattern

    # The characters loose_pattern does not take literally are whitespace and DASHES.
    literal = [loose_pattern("甲" + c + "乙") == "甲\\s?" + re.escape(c) + "\\s?乙" for c in EVERY_CHARACTER[:0x10000]]
    assert [c for c, kept in zip(EVERY_CHARACTER, literal, strict=False) if not kept] == \
        [c for c in EVERY_CHARACTER[:0x10000] if c.isspace() or c in DASHES]
    assert [m.start() for m in re.finditer(r"\s", EVERY_CHARACTER)] == \
        [i for i, c in enumerate(EVERY_CHARACTER) if c.isspace()]
    pages = list(_flattened_pages())
    assert len(pages) >= 5
    matched = 0
    for _, page in pages:
        head = page[:200]
        ends = sorted({m.start() for m in re.finditer(" ", head)} | {len(head)})
        spots = [k + 1 for k in range(len(page) - 2) if page[k] == " " and page.startswith(page[:2], k + 1)]
        for end in ends:
            candidate = page[:end].strip()
            if len(candidate) < 4:
                continue
            pattern = re.compile(loose_pattern(candidate) + r"(?= |$)")
            for spot in spots:
                if m := pattern.match(page, spot):
                    matched += 1
                    assert loose_core(m[0]) == loose_core(candidate)
                    assert loose_core(page[spot:spot + CORE_WINDOW]).startswith(loose_core(candidate))
    assert matched >= 5
    title = "法国总统 奥朗德——第二次-到访 中国"
    shown = "法国总统  奥朗德 - 第二 次－－到访\u3000中国"
    assert re.match(loose_pattern(title), shown) and loose_core(shown) == loose_core(title) == "法国总统奥朗德第二次到访中国"
