"""Punctuation in Chinese text: full-width marks, normal forms, stray spaces.

Scraped news mixes ASCII marks into Chinese sentences ("24日下午,自治區"),
keeps small forms from old encodings (﹔ U+FE54 for ；) and carries HTML's
``&nbsp;`` as U+00A0.  The rules, in the order a reader would ask for them:

1. Small and vertical presentation forms become the normal full-width forms
   everywhere (﹔→；, ﹐→，, ︵→（); a run of horizontal bars ―― (U+2015, what
   some GBK tables give for the Chinese dash) becomes ——.
2. ASCII , : ; ? ! become ，：；？！ when they stand in Chinese text: when the
   nearest character before them (past spaces and quote marks) is Chinese — a
   Han character, full-width punctuation or another wide character — or the
   next one is and no space comes between ("NBA:勇士"; but in "world! 你好"
   the "!" ends an English sentence).  Never inside a URL or an e-mail
   address, and a , or : between two digits stays (1,000, 14:35, 3:2).
3. ASCII ( ) are judged as a pair: both become （） when the pair holds or
   touches Chinese (中國(China), (姚彤), (3)項); notation written onto a Latin
   word or number, f(x), and an English aside stay.
   An unpaired one follows rule 2, "(" looking at what follows it.
4. Runs of ASCII spaces and no-break spaces (U+00A0):
   - between two Han characters: one ideographic space U+3000, except
     between two parts of a transliterated name (安格拉 默克尔), where the
     space stands for the interpunct the name lost: 安格拉·默克尔;
   - next to full-width punctuation: dropped, since the mark's glyph already
     holds its own space (also next to a curly quote, dash or ellipsis whose
     other side is Chinese);
   - between a Han character and a Latin letter or digit: one ASCII space;
   - anywhere else (between Latin words, at either end of a paragraph): kept.

The no-break space in the seed's title, "新疆維吾爾自治區黨委召開常委會議 陳全國主持",
becomes an ideographic space (U+3000), not an ASCII space.  It separates the
headline's two clauses, and Chinese typesetting writes that break as a one-em
gap: U+3000 is exactly one em in every CJK font, keeps the characters on the
em grid and does not stretch in justified lines.  An ASCII space is a
font-dependent sliver (often about a quarter em) that justification widens
unevenly.  Dropping the no-break quality is right too: a long title should be
allowed to break at its clause boundary.  The writers' metadata line separates
its parts with U+3000 for the same reason.

Marks a rule changes alter the context of their neighbours ("好?!", "中 (文)"),
so the rules run until the text no longer changes; each pass only converts or
removes, so that takes at most a few passes, and the result is idempotent.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from .._lazy_re import lazy
from ..model import Document, Heading, iter_units
from .units import TextUnit, rewrite_units

SMALL_FORMS = {
    # small form variants (U+FE50–FE6B)
    "﹐": "，", "﹑": "、", "﹒": "．", "﹔": "；", "﹕": "：", "﹖": "？", "﹗": "！",
    "﹙": "（", "﹚": "）", "﹛": "｛", "﹜": "｝", "﹝": "〔", "﹞": "〕", "﹟": "＃",
    "﹠": "＆", "﹡": "＊", "﹢": "＋", "﹣": "－", "﹤": "＜", "﹥": "＞", "﹦": "＝",
    "﹨": "＼", "﹩": "＄", "﹪": "％", "﹫": "＠",
    # vertical presentation forms (U+FE10–FE19, U+FE30–FE48): horizontal text
    # never wants them, and fonts draw them rotated
    "︐": "，", "︑": "、", "︒": "。", "︓": "：", "︔": "；", "︕": "！", "︖": "？",
    "︗": "〖", "︘": "〗", "︙": "…", "︰": "‥", "︱": "—", "︲": "–",
    "︵": "（", "︶": "）", "︷": "｛", "︸": "｝", "︹": "〔", "︺": "〕", "︻": "【",
    "︼": "】", "︽": "《", "︾": "》", "︿": "〈", "﹀": "〉", "﹁": "「", "﹂": "」",
    "﹃": "『", "﹄": "』", "﹇": "［", "﹈": "］",
}
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}

SPACES = " \u00a0"  # what rule 4 cleans up; U+3000 is a deliberate space
BLANKS = " \u00a0\u3000"
QUOTE_MARKS = "“”‘’「」『』\"'＂＇"
# Marks as wide as a Han character only when set in Chinese: whether a space
# next to one is stray depends on its other side.
AMBIGUOUS = "“”‘’—…·‧"

# Every repeat that can fail after it is bounded, so that a failed attempt
# costs a bounded number of steps whatever the text: unbounded, each start
# in a long run of letters (base64 data) scanned the whole run, and a
# paragraph of 100 KB took minutes.  The bounds are the standards' (a
# scheme is a short name, RFC 5321 allows 64 characters before the @ and
# 63 in a label); a longer run only starts its match further on, and the
# part left out holds none of the marks a span protects.
_URL = lazy(r"(?:[A-Za-z][A-Za-z0-9+.-]{0,31}://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_EMAIL = lazy(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,127}")
_SPACE_RUN = lazy(r"[ \u00a0\u3000]+")
_BARS = lazy(r"[―—]*―[―—]*")

# The rules look only at the characters below and their neighbours, so a
# paragraph is searched for them first, and then visited only where they are:
# most of a news text is Han characters no rule changes.
_SMALL = lazy("[" + re.escape("".join(SMALL_FORMS)) + "]")
_MARKS = lazy("[" + re.escape("".join(FULL_WIDTH)) + "]")
_TOUCHED = lazy("[" + re.escape("".join(SMALL_FORMS) + "―" + "".join(FULL_WIDTH) + SPACES) + "]")
# is_chinese() as a character class, for scanning a stretch at C speed.
CHINESE_CLASS = (r"\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
                  r"\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6b\uff01-\uff65\U00020000-\U0003134f")
CHINESE = lazy(f"[{CHINESE_CLASS}]")  # shared: each class of the CJK ranges costs a 64K-entry table


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x3134F)


def is_wide_punct(ch: str) -> bool:
    """Full-width punctuation: CJK symbols, full-width ASCII marks, CJK
    compatibility forms (not U+3000 and not the ideographic 々〆〇)."""
    cp = ord(ch)
    return ((0x3001 <= cp <= 0x303F and ch not in "々〆〇")
            or 0xFF01 <= cp <= 0xFF0F or 0xFF1A <= cp <= 0xFF20 or 0xFF3B <= cp <= 0xFF40
            or 0xFF5B <= cp <= 0xFF65 or 0xFE10 <= cp <= 0xFE19 or 0xFE30 <= cp <= 0xFE6B)


def is_chinese(ch: str | None) -> bool:
    """A character that makes its surroundings Chinese text: Han, full-width
    punctuation, full-width letters and digits, kana, bopomofo."""
    if ch is None:
        return False
    cp = ord(ch)
    return (is_han(ch) or is_wide_punct(ch) or ch in "々〆〇" or 0xFF10 <= cp <= 0xFF5A
            or 0x3040 <= cp <= 0x30FF or 0x3100 <= cp <= 0x312F or 0x31A0 <= cp <= 0x31FF)


def _is_alnum_ascii(ch: str | None) -> bool:
    return ch is not None and ch.isascii() and ch.isalnum()


class Protected:
    """The stretches of a text inside a URL or an e-mail address; ``i in
    protected`` tells whether character ``i`` is in one."""

    def __init__(self, text: str):
        spans = []
        # Both patterns need one of these; most paragraphs have none.
        if "://" in text or "www." in text or "@" in text:
            for pattern in (_URL, _EMAIL):
                for m in pattern.finditer(text):
                    start, end = m.span()
                    # Sentence punctuation after a link belongs to the sentence, and a
                    # closing bracket only to a link that opened one.  Counted
                    # once: a link ending in a long run of ")" stays linear.
                    opened = closed = None
                    while end > start:
                        last = text[end - 1]
                        if last in ".,:;!?'":
                            end -= 1
                        elif last == ")":
                            if opened is None:
                                opened, closed = text.count("(", start, end), text.count(")", start, end)
                            if opened >= closed:
                                break
                            closed -= 1
                            end -= 1
                        else:
                            break
                    if end > start:
                        spans.append((start, end))
        spans.sort()
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in spans:  # merged, so that one lookup answers
            if self.ends and start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def __bool__(self) -> bool:
        return bool(self.starts)

    def __contains__(self, i: int) -> bool:
        k = bisect_right(self.starts, i) - 1
        return k >= 0 and i < self.ends[k]


_SKIPPED = BLANKS + QUOTE_MARKS


def neighbour(text: str, i: int, step: int, skip: str = _SKIPPED) -> str | None:
    """The nearest character from ``i`` in direction ``step`` that is not in
    ``skip``: by default neither a space nor a quote mark (a comma after “好”
    belongs to 好)."""
    j = i + step
    while 0 <= j < len(text) and text[j] in skip:
        j += step
    return text[j] if 0 <= j < len(text) else None


def normalize_text(text: str, heading: bool = False) -> str:
    """``text`` with the rules applied: as a body paragraph's, or with
    ``heading`` as a title's or a heading's (where a space between two Han
    characters is a clause gap)."""
    changes = normalize_changes(text, heading)
    return _with_changes(text, changes)[0] if changes else text


def normalize_changes(text: str, heading: bool = False) -> dict[int, str]:
    """The characters of ``text`` that change, by index: what each becomes
    ("" where it is dropped)."""
    touched = [m.start() for m in _TOUCHED.finditer(text)]
    if not touched:
        return {}
    changes = _one_pass(text, heading)
    # A pass changes only characters _TOUCHED finds.  When the first pass
    # changed every one of them into something it does not find, the text
    # now holds none and a second pass would change nothing.
    if all(i in changes for i in touched) and not any(map(_TOUCHED.match, changes.values())):
        return changes
    while changes:
        # The next pass reads the text as changed so far; ``kept`` maps its
        # indices back to those of ``text``.
        current, kept = _with_changes(text, changes)
        more = _one_pass(current, heading)
        if not more:
            break
        for j, piece in more.items():
            changes[kept(j)] = piece
    return changes


def _with_changes(text: str, changes: dict[int, str]) -> tuple[str, Callable[[int], int]]:
    parts = []
    last = 0
    dropped = []
    for i in sorted(changes):
        parts.append(text[last:i])
        parts.append(changes[i])
        if not changes[i]:
            dropped.append(i)
        last = i + 1
    parts.append(text[last:])
    # A character at index j of the new text was preceded by ``n`` dropped
    # ones, n the number of drops whose own index minus the drops before it
    # is at most j.
    shifted = [d - n for n, d in enumerate(dropped)]

    def kept(j: int) -> int:
        return j + bisect_right(shifted, j)

    return "".join(parts), kept


def normalize_punctuation(doc: Document) -> Document:
    # Metadata fields and headings are titles: their gaps are clause gaps.
    headings = {f"paragraph {n}" for n, unit in enumerate(iter_units(doc.blocks), 1) if isinstance(unit, Heading)}

    def rewrite(unit: TextUnit) -> dict[int, str]:
        return normalize_changes(unit.text, not unit.in_body or unit.where in headings)

    return rewrite_units(doc, rewrite)


def _one_pass(s: str, heading: bool = False) -> dict[int, str]:
    """What each rule makes of ``s``, by index, where that differs from ``s``.
    Every rule reads ``s`` as it is: marks a rule changes count as changed
    only in the next pass."""
    out: dict[int, str] = {}
    for m in _SMALL.finditer(s):
        out[m.start()] = SMALL_FORMS[m.group()]
    if "―" in s:
        for m in _BARS.finditer(s):
            if m.end() - m.start() >= 2:
                for i in range(m.start(), m.end()):
                    if s[i] != "—":
                        out[i] = "—"

    marks = [m.start() for m in _MARKS.finditer(s)]
    rest: list[int] = []  # marks rule 2 decides
    pending: dict[int, int] = {}  # pairs (opening -> closing) their neighbours may still decide
    if marks:
        protected = Protected(s)
        if protected:
            marks = [i for i in marks if i not in protected]
        pairs = _paren_pairs(s, marks)
        chinese_after = FirstAfter(s, CHINESE)
        for i in marks:
            ch = s[i]
            if ch in "()" and i in pairs:
                if ch == ")":
                    continue  # decided with its opening, which comes first
                verdict = _pair_is_chinese(s, i, pairs[i], chinese_after)
                if verdict:
                    out[i], out[pairs[i]] = "（", "）"
                elif verdict is None:
                    pending[i] = pairs[i]
            elif ch in ",:" and 0 < i < len(s) - 1 and s[i - 1].isdigit() and s[i + 1].isdigit():
                continue  # 1,000 and 14:35
            # The usual case, 你好, read at once: a Chinese character right
            # before the mark that neighbour() would not skip.  (One class of
            # CJK ranges compiled, not two: each costs a 64K-entry table.)
            elif ch != "(" and i and s[i - 1] not in _SKIPPED and CHINESE.match(s, i - 1):
                out[i] = FULL_WIDTH[ch]
            else:
                rest.append(i)

    runs = []
    if " " in s or "\u00a0" in s:
        runs = [m.span() for m in _SPACE_RUN.finditer(s)
                if m.start() and m.end() < len(s) and m.group().strip("\u3000")]
    if not rest and not runs and not pending:
        return out
    # A mark reads the marks and spaces around it as this pass leaves them:
    # a run of marks (中!!!!!, ! ! ! ，, 中(x)(x)(x)) converts in one pass,
    # where reading the text as it was took a pass a mark, each over the
    # whole paragraph.  The rules only ever add Chinese marks and remove
    # spaces, so the order in which they are applied changes nothing but
    # the count of passes.  Left to right first: what a mark looks at on
    # its left is settled before it; then right to left, the spaces with
    # the marks.  Each rule reads the text both as the pass found it and as
    # it leaves it, as two passes would: a small form's replacement
    # (︱ → —) may count for less than the small form did.
    both = BLANKS + QUOTE_MARKS
    for i in sorted([*rest, *pending]):
        if i in pending:
            if is_chinese(_seen(s, out, i, -1, both)):
                out[i], out[pending[i]] = "（", "）"
            continue
        skip = both if s[i] != "(" else QUOTE_MARKS
        if is_chinese(neighbour(s, i, -1, skip)) or is_chinese(_seen(s, out, i, -1, skip)):
            out[i] = FULL_WIDTH[s[i]]
    events = [(i, i + 1, "mark") for i in rest if i not in out] + [(a, b, "run") for a, b in runs]
    events += [(close, opening, "pair") for opening, close in pending.items() if opening not in out]
    for start, end, kind in sorted(events, reverse=True):
        if kind == "pair":
            if is_chinese(_seen(s, out, start, 1, both)):
                out[end], out[start] = "（", "）"
            continue
        if kind == "mark":
            skip = both if s[start] == "(" else QUOTE_MARKS
            if is_chinese(neighbour(s, start, 1, skip)) or is_chinese(_seen(s, out, start, 1, skip)):
                out[start] = FULL_WIDTH[s[start]]
            continue
        replacement = _space_between(s[start - 1], s[end])
        if replacement == "\u3000":
            if _name_parts_either_side(s, start, end):
                replacement = NAME_DOT
            elif not heading:
                replacement = _gap_in_paragraph(s, start, end)
        if replacement is None:
            replacement = _space_between(out.get(start - 1, s[start - 1]) or s[start - 1],
                                         out.get(end, s[end]) or s[end])
        if replacement is not None:
            if replacement != s[start]:
                out[start] = replacement
            for i in range(start + 1, end):
                out[i] = ""
    return out


class FirstAfter:
    """Where the first match of ``pattern`` at or after an index is, for
    many indexes of one text: the stretch known to hold none is searched
    once, however many pairs of brackets enclose it (((((x))))))."""

    def __init__(self, s: str, pattern: re.Pattern[str]):
        self.s, self.pattern = s, pattern
        self.asked, self.found = 0, -1  # none in s[asked:found]; a match at found

    def __call__(self, i: int) -> int:
        if self.asked <= i <= self.found:
            return self.found
        if i < self.asked <= self.found + 1 and self.found >= 0:
            m = self.pattern.search(self.s, i, self.asked)  # only the stretch not searched yet
            if m:
                self.found = m.start()
        else:
            m = self.pattern.search(self.s, i)
            self.found = m.start() if m else len(self.s)
        self.asked = i
        return self.found


class Neighbours:
    """``neighbour`` for many indexes of one text: its runs of skipped
    characters are found once, so a run of ten thousand quote marks is
    crossed in one step, not once by every mark in it."""

    def __init__(self, s: str, skip: str = BLANKS + QUOTE_MARKS):
        self.s, self.skip = s, skip
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in re.finditer("[" + re.escape(skip) + "]+", s):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def __call__(self, i: int, step: int) -> str | None:
        j = i + step
        if 0 <= j < len(self.s) and self.s[j] in self.skip:
            k = bisect_right(self.starts, j) - 1
            j = self.ends[k] if step > 0 else self.starts[k] - 1
        return self.s[j] if 0 <= j < len(self.s) else None


def _seen(s: str, out: dict[int, str], i: int, step: int, skip: str) -> str | None:
    """``neighbour`` over the text as this pass leaves it so far: changed
    characters as they become, dropped ones not at all."""
    j = i + step
    while 0 <= j < len(s):
        c = out.get(j, s[j])
        if c and c not in skip:
            return c
        j += step
    return None


# The interpunct (间隔号, GB/T 15834) between the parts of a foreign name.
NAME_DOT = "\u00b7"
# The characters of the transliteration tables Chinese newsrooms use for
# foreign names (Xinhua's), simplified and traditional: a run of two or more
# of them on both sides of a space is two parts of one name.  Everyday words
# almost never consist of these alone (天然气, 价格, 记者 do not).
TRANSLITERATION = frozenset(
    "阿埃艾爱安昂奥巴拜班邦鲍贝本比彼毕宾波伯博布查达戴丹道德邓迪蒂丁杜多厄恩尔法菲费芬丰弗伏福盖甘冈戈"
    "哥格根古圭哈海汉豪赫亨洪胡怀霍基吉加贾杰金卡凯坎康考柯科克肯库夸奎昆拉莱赖兰朗劳勒雷蕾里莉丽列林琳"
    "隆卢鲁路伦罗洛吕马玛迈麦曼梅门蒙米敏明缪莫默姆穆纳娜奈南内尼妮宁纽努诺欧帕潘庞佩彭皮珀普齐奇恰乔切"
    "钦琼丘萨塞赛桑瑟森沙莎舍申圣施什舒斯松苏索塔泰坦汤唐特提汀通图托瓦万旺威韦维温沃乌武西希锡谢辛休雅"
    "亚扬耶伊因尤约泽扎詹茹卓兹佐芙薇娅黛丝"
    "愛鮑貝畢賓達鄧爾豐費蓋岡漢懷賈傑凱庫誇萊賴蘭勞裏裡麗倫羅盧魯呂馬瑪邁麥門繆納內寧紐諾歐龐齊喬瓊"
    "薩賽聖蘇湯圖萬韋維溫烏錫謝亞揚約澤紮絲婭奧頓遜"
)


def _name_parts_either_side(s: str, start: int, end: int) -> bool:
    """Whether the space s[start:end] parts two runs of transliteration
    characters, each at least two long."""
    before = 0
    while before < start and s[start - 1 - before] in TRANSLITERATION:
        before += 1
    after = 0
    while end + after < len(s) and s[end + after] in TRANSLITERATION:
        after += 1
    return before >= 2 and after >= 2 and " " not in s[start:end].replace("\u00a0", " ")[1:]


# A news dateline's end (新华社北京11月17日电, 中国网5月13日讯, 央广网…消息):
# newspapers set a one-em space after it.
_DATELINE_END = lazy(r"(?:[日网網社台报報][电電讯訊]|日消息)$")
# What a word in a paragraph is bounded by, besides spaces and punctuation.
_WORD_END = lazy(r"[\s\u3000]|[^\w]")
# A stray space leaves a word this short (or shorter) on one side, cut off
# by the space from the sentence it belongs to: 天然气 价格调整, 供应商 中石油 、,
# （记者 格桑边觉）.
STRAY_WORD = 3
# What a phrase follows: the text's start, a space, an opening bracket or a
# pause or stop (not a colon: "原价：80元 老人票原价" is a listing's fields).
_STARTS_A_PHRASE = "（(「『“‘《〈【〔［。！？；，、"
# Particles that attach to the word before them: a space before one is stray.
_ATTACHED = frozenset("的地得了着著过過之")


def _word_before(s: str, start: int) -> tuple[int, str | None]:
    """The length of the word that ends at ``start`` and what bounds it on
    the left (None: the start of the text)."""
    i = start
    while i > 0 and not _WORD_END.match(s[i - 1]):
        i -= 1
    return start - i, s[i - 1] if i else None


def _word_after(s: str, end: int) -> tuple[int, str | None]:
    j = end
    while j < len(s) and not _WORD_END.match(s[j]):
        j += 1
    return j - end, s[j] if j < len(s) else None


def _gap_in_paragraph(s: str, start: int, end: int) -> str:
    """What the spaces s[start:end] between two Han characters of a body
    paragraph become.  Two or more spaces were typed as a gap, and a
    dateline ends in one: U+3000.  A single space that cuts a short word off
    the phrase it belongs to (the word stands between it and the text's
    edge, another space, the bracket that encloses it or the mark that ends
    the phrase before), or comes before a particle, is stray: it goes.  Any other (a pause a blog writes as a
    space, a gap between the fields of a listing) stays a one-em gap."""
    if end - start > 1 or _DATELINE_END.search(s, 0, start):
        return "\u3000"
    if s[end] in _ATTACHED:
        return ""
    length, bound = _word_before(s, start)
    if length <= STRAY_WORD and (bound is None or bound.isspace() or bound in _STARTS_A_PHRASE):
        return ""
    length, bound = _word_after(s, end)
    if length <= STRAY_WORD and (bound is None or bound.isspace() or bound in "）)」』”’》〉】〕］"):
        return ""
    return "\u3000"


def _space_between(left: str, right: str) -> str | None:
    """What a run of spaces between ``left`` and ``right`` becomes; None: keep it."""
    if is_han(left) and is_han(right):
        return "\u3000"
    if is_wide_punct(left) or is_wide_punct(right):
        return ""
    if (left in AMBIGUOUS and is_chinese(right)) or (right in AMBIGUOUS and is_chinese(left)):
        return ""
    if (is_han(left) and _is_alnum_ascii(right)) or (_is_alnum_ascii(left) and is_han(right)):
        return " "
    return None


def _paren_pairs(s: str, marks: list[int]) -> dict[int, int]:
    """Matching ASCII brackets among the unprotected ``marks``, each index
    mapped to its partner's."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i in marks:
        ch = s[i]
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    return pairs


def _pair_is_chinese(s: str, open_at: int, close_at: int, chinese_after: FirstAfter) -> bool | None:
    """True or False; None when only its neighbours, which may yet change, decide."""
    if chinese_after(open_at + 1) < close_at:
        return True
    if open_at > 0 and _is_alnum_ascii(s[open_at - 1]):
        return False  # notation written onto a Latin word or number: f(x), 2(3)
    return True if is_chinese(neighbour(s, open_at, -1)) or is_chinese(neighbour(s, close_at, 1)) else None
