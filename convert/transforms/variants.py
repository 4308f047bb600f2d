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

``find_variant_repairs`` lists every change with its place and context (for
``docconv inspect``); ``fix_variants`` makes them.  Text that is not
traditional is left alone: script conversion converts simplified text whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ..lang import is_traditional_form, opencc_converter, region_of, script_of
from ..model import Document
from .punctuation import is_han
from .units import TextUnit, rewrite_units, text_units

# Traditional characters that are also the simplified form of another, which a
# one-to-one converter leaves standing: 准 準, 范 範, 干 幹/乾, 志 誌, 制 製, ...
REPAIRABLE = frozenset("准范干志制征采松斗谷丑云几余卷系借致舍蒙曲划")

# Where OpenCC's proposal is wrong: regular expressions over the simplified
# text, each matching exactly the character to keep.
KEEP = tuple(re.compile(p) for p in (
    r"(?<![说拿看估吃])(?<=不)准(?![确时则备])",  # 不准 (not allowed) vs 不準確
    r"(?<=[县省府州市方通])志",  # gazetteers: 縣志, 地方志, 通志
    r"(?<=姓).",  # 姓范
    r".(?=(?:先生|女士|小姐|太太|老师|教授|医生|某))",  # 范先生, 余某
    r"(?<=[老小])[范余干谷曲]",  # 老范, 小余
))
# Characters that are common surnames are repaired only inside these words.
EVIDENCE = {
    "范": re.compile(r"(?<=[风规示模典防师就])范|范(?=[围例畴本式])"),
    "余": re.compile(r"(?<=[其业多剩残盈结富有之])余|余(?=[下额地震热晖款粮量数])"),
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
    suspects = sorted(c for c in set(text) if is_han(c) and _suspect(c, region))
    if not suspects:
        return []
    simplified = _to_simplified(text)
    proposal = opencc_converter("s2hk" if region == "hk" else "s2tw").convert(simplified)
    if len(proposal) != len(text):
        return []
    candidates = [m.start() for m in re.finditer("[" + "".join(suspects) + "]", text)
                  if proposal[m.start()] != m.group()]
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
    simplified = opencc_converter("t2s").convert(text)
    if len(simplified) != len(text):  # a phrase changed length: go character by character
        simplified = "".join(_simplify(c) for c in text)
    return simplified


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
    return opencc_converter("t2s").convert(ch)
