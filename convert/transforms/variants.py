"""Repair simplified leftovers in traditional text (on by default; ``--no-fix-variants``).

Sites that publish a traditional edition by converting character for
character leave behind characters that are traditional in their own right
but here stand for another: the seed has 精准, 標准 (準), 全國范圍, 風范 (範),
實干 (幹).  A plain OpenCC round trip finds them, and also breaks what was
right: 指明了→指明瞭, 更加注重→更加註重 (OpenCC reads 加注), 布局→佈局.

So a character is repaired only when all of these hold:

1. OpenCC proposes another character for it when it reads the sentence in
   simplified form (t2s, then s2tw; s2hk for Hong Kong text).  Phrase
   matching works on simplified text: s2tw on "實干" as written gives 實乾,
   on "实干" 實幹.
2. The proposal has the same simplified form, so a repair never changes
   what the text says and repairing twice changes nothing more.
3. The character is a leftover:
   - either it is not a traditional character at all: Big5 (Big5-HKSCS for
     Hong Kong text) has no code for it (发, 这, 温 in Taiwan text) and it
     is no traditional form either (啓, 綫, 峯 are outside Big5 but are
     regional forms, which OpenCC's t2s simplifies: they stay);
   - or it is one of ``REPAIRABLE``, the characters that are both traditional
     and the simplified form of others, for which OpenCC's reading in context
     has proved reliable.  了, 注, 布, 台, 周 and the like are not on the list:
     they are right as they stand far more often than OpenCC's guess.
4. No entry of ``KEEP`` (places OpenCC is known to get wrong: 不准 as "not
   allowed", the gazetteers 縣志, surnames before 先生) matches there, and for
   characters that are common surnames (范, 余) an entry of ``EVIDENCE`` (the
   words in which the other form is certain) does.  Both are read on the
   simplified text and are the regression list of phrases seen to go wrong.

OpenCC's t2s, s2tw and s2hk are read from tables made from its dictionaries
(``convert._variant_chars``, ``python -m convert.lang``), s2tw and s2hk only
around the suspects: loading the converter's phrase dictionary cost more than
the rest of converting an article, and the tables read as OpenCC reads (a
test holds them to it).

``find_variant_repairs`` lists every change with its place and context (for
``docconv inspect``); ``fix_variants`` makes them.  Text that is not
traditional is left alone: script conversion converts simplified text whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from .._lazy_re import lazy
from ..lang import is_traditional_form, region_of, script_of
from ..model import Document
from .punctuation import is_han
from .units import TextUnit, rewrite_units, text_units

# Traditional characters that are also the simplified form of another, which a
# one-to-one converter leaves standing: 准 準, 范 範, 干 幹/乾, 志 誌, 制 製, ...
REPAIRABLE = frozenset("准范干志制征采松斗谷丑云几余卷系借致舍蒙曲划")

# Where OpenCC's proposal is wrong: regular expressions over the simplified
# text, each matching exactly the character to keep.
KEEP = tuple(lazy(p) for p in (
    r"(?<![说拿看估吃])(?<=不)准(?![确时则备])",  # 不准 (not allowed) vs 不準確
    r"(?<=[县省府州市方通])志",  # gazetteers: 縣志, 地方志, 通志
    r"(?<=姓).",  # 姓范
    r".(?=(?:先生|女士|小姐|太太|老师|教授|医生|某))",  # 范先生, 余某
    r"(?<=[老小])[范余干谷曲]",  # 老范, 小余
    # OpenCC reads 美制/日制 (made in) before 制裁, 制度, 制定: 美制裁 is "US sanctions"
    # (but 研制定型 is 研製).
    r"(?<=[美日俄韩英法德港台澳欧印越朝中])制(?=[裁度定止约衡])",
))
# Characters that are common surnames are repaired only inside these words.
EVIDENCE = {
    "范": lazy(r"(?<=[风规示模典防师就])范|范(?=[围例畴本式])"),
    "余": lazy(r"(?<=[其业多剩残盈结富有之])余|余(?=[下额地震热晖款粮量数])"),
}


@dataclass(frozen=True, slots=True)
class VariantRepair:
    """One repaired character.

    ``where`` names the unit ("title", "paragraph 4"), ``offset`` the
    character's index in it; ``context`` is the text around it as read, with
    the character at ``context_offset``.
    """

    char: str
    replacement: str
    where: str
    offset: int
    context: str
    context_offset: int

    def __str__(self) -> str:
        return f"{self.where}: {self.char}→{self.replacement} in “{self.context}”"


CONTEXT = 6  # characters on either side in a report


def find_variant_repairs(doc: Document) -> list[VariantRepair]:
    if script_of(doc) != "hant":
        return []
    region = region_of(doc)
    found = []
    for unit in text_units(doc):
        for i, new in _repairs(unit.text, region):
            start = max(0, i - CONTEXT)
            line_start = unit.text.rfind("\n", start, i) + 1
            start = max(start, line_start)
            end = unit.text.find("\n", i, i + CONTEXT + 1)
            end = i + CONTEXT + 1 if end < 0 else end
            found.append(VariantRepair(unit.text[i], new, unit.where, i,
                                       unit.text[start:end], i - start))
    return found


def fix_variants(doc: Document) -> Document:
    if script_of(doc) != "hant":
        return doc
    region = region_of(doc)

    def rewrite(unit: TextUnit) -> dict[int, str]:
        return dict(_repairs(unit.text, region))

    return rewrite_units(doc, rewrite)


def repair_text(text: str, region: str = "tw") -> str:
    repairs = _repairs(text, region)
    if not repairs:
        return text
    out = list(text)
    for i, new in repairs:
        out[i] = new
    return "".join(out)


def _repairs(text: str, region: str) -> list[tuple[int, str]]:
    """(index, replacement) for each leftover in ``text``."""
    # Only a suspect character can be repaired; each distinct one is judged once.
    suspects = {c for c in set(text) if is_han(c) and _suspect(c, region)}
    if not suspects:
        return []
    simplified = _to_simplified(text)
    # Not a regular expression of the suspects: compiling a class of CJK
    # characters costs more than reading a paragraph.
    places = [i for i, c in enumerate(text) if c in suspects]
    proposal = _proposals(simplified, places, region)
    candidates = [i for i in places if proposal[i] != text[i]]
    if not candidates:
        return []
    kept = {m.start() for pattern in KEEP for m in pattern.finditer(simplified)}
    evidence = {ch: {m.start() for m in pattern.finditer(simplified)}
                for ch, pattern in EVIDENCE.items() if ch in suspects}
    repairs = []
    for i in candidates:
        ch, new = text[i], proposal[i]
        if i in kept or _simplify(new) != _simplify(ch):
            continue
        if ch in evidence and i not in evidence[ch]:
            continue
        repairs.append((i, new))
    return repairs


def _to_simplified(text: str) -> str:
    """What OpenCC's t2s makes of ``text``, read from the tables: each place's
    longest phrase, else the character (every value has its key's length)."""
    tables = _simplifying()
    text = text.translate(tables.normalization)
    out = []
    at = run = 0
    while at < len(text):
        phrases = tables.phrases.get(text[at])
        for length in range(min(tables.longest_phrase, len(text) - at), 1, -1) if phrases else ():
            value = phrases.get(text[at:at + length])
            if value is not None:
                out += (text[run:at].translate(tables.characters), value)
                at = run = at + length
                break
        else:
            at += 1
    out.append(text[run:].translate(tables.characters))
    return "".join(out)


@lru_cache(maxsize=4096)
def _suspect(ch: str, region: str) -> bool:
    # Outside Big5 is not enough: 啓, 綫 and 峯 are traditional forms of their
    # own (OpenCC's t2s simplifies them), used in Hong Kong and Taiwan, and a
    # leftover is by definition a form t2s would not touch.
    return ch in REPAIRABLE or (not is_traditional_form(ch) and not _encodable(ch, "big5hkscs" if region == "hk" else "big5"))


@cache
def _encodable(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=4096)
def _simplify(ch: str) -> str:
    tables = _simplifying()
    return ch.translate(tables.normalization).translate(tables.characters)


# ------------------------------------------------- OpenCC's s2tw and s2hk, as tables
#
# OpenCC reads a text in stages: it normalises each character, cuts the text
# into phrases (at each place the longest phrase of its dictionary, else one
# character, from the left), and converts each cut by phrase, else by
# character, once with the simplified-to-traditional dictionaries and once
# with the region's variants.  Every value has its key's length, so a
# character's proposal is at its own index.  A character that is in no phrase
# (nor does its conversion start or end a variant phrase) is where a cut
# always ends: a stretch between two such is read alone as it is read in the
# whole text, so only the stretches around the suspects are read.


class _Tables:
    """One region's tables, the phrases of a first character built when a
    reading first meets it."""

    def __init__(self, region: str) -> None:
        from .. import _variant_chars as t

        prefix = "HK" if region == "hk" else "TW"
        self.normalization = _pairs(t.NORMALIZATION)
        self.characters = _pairs(t.CHARACTERS)
        self.longest_phrase = t.LONGEST_PHRASE
        self._phrases = t.PHRASES
        self._offsets = t.PHRASE_OFFSETS
        self._starts = {char: n for n, char in enumerate(t.PHRASE_STARTS)}
        self._by_start: dict[str, dict[str, str]] = {}
        self.variant_phrases = {entry[:len(entry) // 2]: entry[len(entry) // 2:]
                                for entry in getattr(t, f"{prefix}_VARIANT_PHRASES").split(" ") if entry}
        self.variants = _pairs(getattr(t, f"{prefix}_VARIANTS"))
        self.longest_variant_phrase = max(map(len, self.variant_phrases), default=1)
        in_variant_phrases = set("".join(self.variant_phrases))
        # Characters that are in a phrase, or convert to one in a variant phrase:
        # a cut may go on across them.
        self.joined = set(t.PHRASE_CHARACTERS) | in_variant_phrases
        self.joined.update(chr(k) for k, v in self.characters.items() if v in in_variant_phrases)

    def phrases_from(self, char: str) -> dict[str, str]:
        """The phrases that start with ``char``, each with what it converts
        to, or "" when it converts as its characters do."""
        found = self._by_start.get(char)
        if found is None:
            found = self._by_start[char] = {}
            n = self._starts.get(char)
            if n is not None:
                for entry in self._phrases[self._offsets[n]:self._offsets[n + 1]].split():
                    key, _, value = entry.partition("=")
                    found[key] = value
        return found


def _pairs(text: str) -> dict[int, str]:
    """A table for ``str.translate`` of a string of characters each followed by its value."""
    return dict(zip(map(ord, text[::2]), text[1::2], strict=True))


@cache
def _tables(region: str) -> _Tables:
    return _Tables(region)


class _Simplifying:
    """OpenCC's t2s: its phrases by their first character, and its characters."""

    def __init__(self) -> None:
        from .. import _variant_chars as t

        self.normalization = _pairs(t.NORMALIZATION)
        self.characters = _pairs(t.SIMPLIFYING_CHARACTERS)
        self.phrases: dict[str, dict[str, str]] = {}
        for entry in t.SIMPLIFYING_PHRASES.split(" "):
            key, _, value = entry.partition("=")
            self.phrases.setdefault(key[0], {})[key] = value
        self.longest_phrase = max(len(key) for phrases in self.phrases.values() for key in phrases)


@cache
def _simplifying() -> _Simplifying:
    return _Simplifying()


def _proposals(simplified: str, places: list[int], region: str) -> dict[int, str]:
    """What OpenCC's s2tw (s2hk for ``region`` "hk") makes of ``simplified``,
    at each of ``places``: {index: character}."""
    tables = _tables(region)
    text = simplified.translate(tables.normalization)
    joined = tables.joined
    found: dict[int, str] = {}
    for i in places:
        if i in found:
            continue
        start, end = i, i + 1
        while start > 0 and text[start - 1] in joined:
            start -= 1
        while end < len(text) and text[end] in joined:
            end += 1
        for offset, char in enumerate(_read_stretch(text[start:end], tables), start):
            found[offset] = char
    return found


def _read_stretch(text: str, tables: _Tables) -> str:
    out = []
    at = run = 0
    while at < len(text):
        phrases = tables.phrases_from(text[at])
        for length in range(min(tables.longest_phrase, len(text) - at), 1, -1) if phrases else ():
            key = text[at:at + length]
            value = phrases.get(key)
            if value is not None:
                value = value or key.translate(tables.characters)
                if run < at:
                    out.append(_read_variants(text[run:at].translate(tables.characters), tables))
                out.append(_read_variants(value, tables))
                at = run = at + length
                break
        else:
            at += 1
    if run < len(text):
        out.append(_read_variants(text[run:].translate(tables.characters), tables))
    return "".join(out)


def _read_variants(cut: str, tables: _Tables) -> str:
    out = []
    at = 0
    while at < len(cut):
        for length in range(min(tables.longest_variant_phrase, len(cut) - at), 1, -1):
            value = tables.variant_phrases.get(cut[at:at + length])
            if value is not None:
                out.append(value)
                at += length
                break
        else:
            out.append(tables.variants.get(ord(cut[at]), cut[at]))
            at += 1
    return "".join(out)
