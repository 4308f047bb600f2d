"""The Chinese language rules every part shares: which script and region a
document is in, the language tags that say so, and where a line may break.

Readers tag what they read, transforms convert and retag, writers choose
faces, quote norms and kinsoku from the tags: each asks here, so a document
is simplified or traditional, mainland, Taiwan or Hong Kong the same way
everywhere.  Only the standard library is imported; OpenCC is loaded the
first time a text is converted to another script: detecting a script and
repairing variants read tables made from OpenCC's own (``_script_chars``,
``_variant_chars``; ``python -m convert.lang`` makes them again).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Document

# Output scripts a user can ask for: simplified, traditional (OpenCC's
# standard forms), and traditional as written in Taiwan or Hong Kong.
TARGETS = ("hans", "hant", "tw", "hk")

# The BCP 47 tag a document carries once it is in a target script.  Plain
# traditional names no region: its forms are OpenCC's, neither Taiwan's nor
# Hong Kong's.
LANGUAGE_TAGS = {"hans": "zh-Hans-CN", "hant": "zh-Hant", "tw": "zh-Hant-TW", "hk": "zh-Hant-HK"}

# How much of a text script detection reads: a page's opening decides, and a
# 50 MB text costs no more than an article.
SCRIPT_SAMPLE = 20000

# Regions whose text is traditional, and the typographic profile each follows
# (Macau writes as Hong Kong does).
_TRADITIONAL_REGIONS = {"tw": "tw", "hk": "hk", "mo": "hk"}


@dataclass(frozen=True)
class Tag:
    """The parts of a BCP 47 tag that matter here, lower-cased; '' when absent."""

    language: str
    script: str
    region: str


def parse_tag(tag: str) -> Tag:
    """``zh-Hant-HK`` → Tag("zh", "hant", "hk"); ``zh-yue-HK`` → Tag("yue", "", "hk").

    Extended language subtags replace the language (zh-yue is Cantonese);
    an extension or private-use singleton ends what is read.
    """
    subtags = tag.replace("_", "-").lower().split("-")
    language, script, region = subtags[0], "", ""
    for subtag in subtags[1:]:
        if len(subtag) == 1:
            break
        if not script and not region and len(subtag) == 3 and subtag.isalpha():
            language = subtag
        elif not script and not region and len(subtag) == 4 and subtag.isalpha():
            script = subtag
        elif not region and (len(subtag) == 2 and subtag.isalpha() or len(subtag) == 3 and subtag.isdigit()):
            region = subtag
    return Tag(language, script, region)


def script_of_tag(tag: str) -> str | None:
    """"hans" or "hant" when the tag says (by script, or by a traditional
    region: zh-TW, zh-HK, zh-MO), None when it does not."""
    parsed = parse_tag(tag)
    if parsed.script in ("hans", "hant"):
        return parsed.script
    if parsed.region in _TRADITIONAL_REGIONS:
        return "hant"
    return None


def region_of_tag(tag: str) -> str:
    """"cn", "tw" or "hk": the typographic profile (faces, quote norms) of a tag.

    The script subtag decides simplified against traditional glyphs (so
    zh-Hans-HK gets the mainland face); the region only picks between Taiwan
    and Hong Kong.  Tags that say neither, including non-Chinese ones, get "cn".
    """
    parsed = parse_tag(tag)
    if parsed.script == "hans":
        return "cn"
    if parsed.script == "hant":
        return _TRADITIONAL_REGIONS.get(parsed.region, "tw")
    if parsed.region in _TRADITIONAL_REGIONS:
        return _TRADITIONAL_REGIONS[parsed.region]
    if parsed.language == "yue":  # Cantonese is written traditional unless told otherwise
        return "hk"
    return "cn"


def script_of(doc: Document) -> str:
    """"hans" or "hant": the document's script as its metadata records it,
    else as its language tag says, else detected from its opening text."""
    if doc.meta.script in ("hans", "hant"):
        return doc.meta.script
    return script_of_tag(doc.meta.language) or detect_script(opening_text(doc))


def region_of(doc: Document) -> str:
    """"cn", "tw" or "hk" for a document; a traditional one whose tag names
    no region follows Taiwan's norms."""
    region = region_of_tag(doc.meta.language)
    if region == "cn" and script_of(doc) == "hant":
        return "tw"
    return region


def opening_text(doc: Document, size: int = SCRIPT_SAMPLE) -> str:
    """The title and the first paragraphs, ``size`` characters at most."""
    from .model import iter_units, unit_text

    parts, length = [doc.meta.title], len(doc.meta.title)
    # Paragraph by paragraph, as they are needed: a 50 MB text is not joined whole.
    for text in map(unit_text, iter_units(doc.blocks)):
        if length >= size:
            break
        parts.append(text)
        length += len(text)
    return "".join(parts)[:size]


def detect_script(text: str) -> str:
    """"hans" or "hant", by which characters are more frequent: those
    OpenCC's t2s would change (traditional-only) or those s2t would
    (simplified-only, or shared ones OpenCC standardises).

    Scraped traditional text often keeps simplified leftovers (精准, 范圍),
    so the majority decides.  The two sets are OpenCC's own, tabulated in
    ``_script_chars`` (``python -m convert.lang``), so reading a text costs no
    dictionary load.
    """
    from ._script_chars import SIMPLIFIED, TRADITIONAL

    sample = text[:SCRIPT_SAMPLE]
    traditional = sum(1 for c in sample if c in TRADITIONAL)
    simplified = sum(1 for c in sample if c in SIMPLIFIED)
    return "hant" if traditional > simplified else "hans"


def is_traditional_form(char: str) -> bool:
    """Whether OpenCC's t2s would simplify ``char``: a traditional form,
    whichever region writes it (啓 and 綫 in Hong Kong, 峯 in Taiwan)."""
    return char in _traditional_forms()


@cache
def _traditional_forms() -> frozenset[str]:
    # Not an import in is_traditional_form: it is asked of every character
    # of a traditional text, and a relative import costs more than the answer.
    from ._script_chars import TRADITIONAL

    return TRADITIONAL


def script_tables() -> tuple[str, str]:
    """Every character OpenCC's t2s changes and every one s2t changes, in
    code point order: what ``detect_script`` counts."""
    t2s, s2t = opencc_converter("t2s"), opencc_converter("s2t")
    traditional, simplified = [], []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:  # surrogates are not characters
            continue
        c = chr(code)
        if t2s.convert(c) != c:
            traditional.append(c)
        if s2t.convert(c) != c:
            simplified.append(c)
    return "".join(traditional), "".join(simplified)


def write_script_tables(path: str) -> None:
    from importlib.metadata import version

    traditional, simplified = script_tables()
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(f'"""Generated by `python -m convert.lang` from OpenCC {version("opencc")}; do not edit.\n\n'
                  f'{_OPENCC_NOTICE}"""\n\n')
        out.write(f"CONVERTER_VERSION = {version('opencc')!r}\n")
        for name, chars in (("TRADITIONAL", traditional), ("SIMPLIFIED", simplified)):
            lines = [chars[i:i + 60] for i in range(0, len(chars), 60)]
            out.write(f"{name} = frozenset(\n")
            out.writelines(f"    {line!r}\n" for line in lines)
            out.write(")\n")


# The configurations the variant repair reads text with (transforms/variants.py),
# and the dictionaries each stage of theirs consults, in the order OpenCC 1.4
# consults them: one per character to normalise, the phrases the text is cut
# into (longest first, from the left), then within each cut the phrases or
# else the characters of each conversion in turn.
_VARIANT_CONFIGS = {
    "tw": ("s2tw", "TWVariantsPhrases", "TWVariants"),
    "hk": ("s2hk", "HKVariantsPhrases", "HKVariants"),
}
_NORMALIZATION = "CJK_Compatibility_Ideographs"
_PHRASES = ("STPhrases", "STPhrases_GeneratedFromRegionalPhrases")
_CHARACTERS = "STCharacters"
# t2s, which reads the text back into simplified form: its phrases, else a
# character (the first of its character dictionaries that has it).
_SIMPLIFYING = ("TSPhrases", "TSCharactersExt", "TSCharacters")


def _opencc_dictionary(name: str) -> dict[str, str]:
    """One of OpenCC's compiled dictionaries, each key with the value OpenCC
    takes (the first), read by the ``opencc_dict`` tool its package ships."""
    import subprocess
    import tempfile
    from pathlib import Path

    import opencc

    clib = Path(opencc.__file__).parent / "clib"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{name}.txt"
        subprocess.run([str(clib / "bin" / "opencc_dict"), "-i", str(clib / "share" / "opencc" / f"{name}.ocd2"),
                        "-o", str(out), "-f", "ocd2", "-t", "text"], check=True, capture_output=True)
        lines = out.read_text(encoding="utf-8").splitlines()
    return {key: values.split(" ")[0] for key, values in (line.split("\t") for line in lines)}


def _dictionary_files(node: dict) -> list:
    if node["type"] == "group":
        return [(node.get("match_policy"), [_dictionary_files(d) for d in node["dicts"]])]
    return [node["file"].removesuffix(".ocd2")]


def variant_tables() -> dict[str, Any]:
    """What ``convert._variant_chars`` holds: OpenCC's s2tw and s2hk as
    tables: strings of characters each followed by its value; the phrases,
    each followed by a space, those that do not convert as their characters
    do written ``key=value``, in order, those of the character
    ``PHRASE_STARTS[n]`` from ``PHRASE_OFFSETS[n]`` to ``PHRASE_OFFSETS[n + 1]``;
    variant phrases each followed by its value (of its length) and a space;
    and t2s, by which the repair reads the text in simplified form.

    Raises RuntimeError when a configuration is not made the way the tables
    (and the reading in transforms/variants.py) take it to be, or a value
    changes a key's length."""
    import json
    from pathlib import Path

    import opencc

    share = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    phrase_group = [("union", [[name] for name in _PHRASES])]
    for config, variant_phrases, variants in _VARIANT_CONFIGS.values():
        spec = json.loads((share / f"{config}.json").read_text(encoding="utf-8"))
        shape = (
            [_dictionary_files(stage["dict"]) for stage in spec.get("normalization", [])],
            spec["segmentation"]["type"], _dictionary_files(spec["segmentation"]["dict"]),
            [_dictionary_files(stage["dict"]) for stage in spec["conversion_chain"]],
        )
        expected = (
            [[_NORMALIZATION]], "mmseg", phrase_group,
            [[("short_circuit", [phrase_group, [_CHARACTERS]])],
             [("short_circuit", [[variant_phrases], [variants]])]],
        )
        if shape != expected:
            raise RuntimeError(f"OpenCC's {config} is made otherwise than the variant tables take it: {shape}")
    spec = json.loads((share / "t2s.json").read_text(encoding="utf-8"))
    shape = ([_dictionary_files(stage["dict"]) for stage in spec.get("normalization", [])], spec.get("segmentation"),
             [_dictionary_files(stage["dict"]) for stage in spec["conversion_chain"]])
    if shape != ([[_NORMALIZATION]], None, [[("short_circuit", [[name] for name in _SIMPLIFYING])]]):
        raise RuntimeError(f"OpenCC's t2s is made otherwise than the variant tables take it: {shape}")
    names = [_NORMALIZATION, *_PHRASES, _CHARACTERS, *(n for c in _VARIANT_CONFIGS.values() for n in c[1:]),
             *_SIMPLIFYING]
    dictionaries = {name: _opencc_dictionary(name) for name in names}
    for name, entries in dictionaries.items():
        changed = [key for key, value in entries.items() if len(key) != len(value)]
        if changed:
            raise RuntimeError(f"OpenCC's {name} changes the length of {changed[:5]}")
    characters = dictionaries[_CHARACTERS]
    phrases = {key: value for name in _PHRASES for key, value in dictionaries[name].items()}
    if any(" " in k + v or "=" in k + v for k, v in phrases.items()):
        raise RuntimeError("an OpenCC phrase holds a space or '=', which the tables separate phrases with")
    # Phrases by their first character, so that a reading builds the few it
    # meets; most are there to keep a character from another reading and
    # convert as their characters do: their keys alone are kept.
    entries, starts, offsets, length = [], [], [], 0
    for key in sorted(phrases):
        if not starts or starts[-1] != key[0]:
            starts.append(key[0])
            offsets.append(length)
        value = phrases[key]
        entry = key if value == "".join(characters.get(c, c) for c in key) else f"{key}={value}"
        entries.append(entry)
        length += len(entry) + 1
    offsets.append(length)

    def pairs(entries: dict[str, str]) -> str:
        return "".join(k + v for k, v in sorted(entries.items()))

    tables: dict[str, Any] = {
        "LONGEST_PHRASE": max(map(len, phrases)),
        "NORMALIZATION": pairs(dictionaries[_NORMALIZATION]),
        "CHARACTERS": pairs(characters),
        "PHRASES": "".join(entry + " " for entry in entries),
        "PHRASE_STARTS": "".join(starts),
        "PHRASE_OFFSETS": tuple(offsets),
        "PHRASE_CHARACTERS": "".join(sorted(set("".join(phrases)))),
    }
    simplifying_characters = {**dictionaries[_SIMPLIFYING[2]], **dictionaries[_SIMPLIFYING[1]]}
    tables["SIMPLIFYING_PHRASES"] = " ".join(f"{k}={v}" for k, v in sorted(dictionaries[_SIMPLIFYING[0]].items()))
    tables["SIMPLIFYING_CHARACTERS"] = pairs(simplifying_characters)
    for region, (_, variant_phrases, variants) in _VARIANT_CONFIGS.items():
        tables[f"{region.upper()}_VARIANT_PHRASES"] = " ".join(
            k + v for k, v in sorted(dictionaries[variant_phrases].items()))
        tables[f"{region.upper()}_VARIANTS"] = pairs(dictionaries[variants])
    return tables


# The generated tables are data derived from OpenCC's dictionaries, which
# its licence asks to be credited wherever they travel.
_OPENCC_NOTICE = ("The data are derived from OpenCC (https://github.com/BYVoid/OpenCC),\n"
                  "Copyright BYVoid and its contributors, under the Apache License 2.0.\n")


def write_variant_tables(path: str) -> None:
    from importlib.metadata import version

    tables = variant_tables()
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(f'"""Generated by `python -m convert.lang` from OpenCC {version("opencc")}\'s dictionaries; '
                  f'do not edit.\n\n{_OPENCC_NOTICE}"""\n\n')
        out.write(f"CONVERTER_VERSION = {version('opencc')!r}\n")
        for name, value in tables.items():
            if isinstance(value, str):
                lines = [repr(value[i:i + 60]) for i in range(0, len(value), 60)] or ["''"]
            elif isinstance(value, tuple):
                lines = [", ".join(map(str, value[i:i + 16])) + "," for i in range(0, len(value), 16)]
            else:
                out.write(f"{name} = {value!r}\n")
                continue
            out.write(f"{name} = (\n")
            out.writelines(f"    {line}\n" for line in lines)
            out.write(")\n")

@cache
def opencc_converter(config: str):
    """One OpenCC converter per configuration and process: loading the
    dictionaries costs far more than converting an article."""
    import opencc

    return opencc.OpenCC(f"{config}.json")


# ------------------------------------------------------- punctuation widths

# Which full-width marks have a blank part, and on which side, and which
# adjacent pairs give it up (W3C clreq 3.1.6): one rule for every writer.
# The PDF writer sets pairs by it, the EPUB's embedded faces carry it as
# pair kerning; a test holds both to it for every pair of marks.
#
# Opening and closing brackets and quotes (clreq's 夹注符号).
OPENING = "“‘「『（［｛〔【〈《〖〘〚｟"
CLOSING = "”’」』）］｝〕】〉》〗〙〛｠"
# Pause and stop marks (点号).  Mainland faces set them in the left half of
# the em box; Taiwan and Hong Kong faces centre them, a quarter em blank
# each side and no blank half to give.
PAUSES_STOPS = "、，。．：；！？"
# Interpuncts: centred everywhere.
MIDDLE_DOTS = "·・‧"
# Dashes and ellipses: their ink fills the em, nothing to give; they pair
# with a bracket or quote all the same.
DASHES_ELLIPSES = "—―…‥"
# Every mark that compresses against a neighbouring bracket or quote.
PAIRED_MARKS = OPENING + CLOSING + PAUSES_STOPS + MIDDLE_DOTS + DASHES_ELLIPSES
# The blank half of an em a pair gives up: two marks take 1.5 em, not 2.
PAIR_CUT = 0.5
# Regions whose faces set pauses and stops in the left half of the em box.
_STOPS_AT_THE_SIDE = frozenset({"cn"})
# Down a column those faces move only the pauses and full stops to the
# upper right; colon, semicolon and the exclamation and question marks
# stand centred in every region (GB/T 15834 vertical forms, clreq 3.1.6).
_CENTRED_IN_COLUMNS = frozenset("：；！？")


def blank_half(mark: str, region: str, vertical: bool = False) -> str:
    """"left", "right" or "": which half of a full-width mark's em box its
    ink leaves blank in the region's faces (clreq 3.1.6.1); "" for a centred
    mark or one that fills its em, which has no blank half to give.
    ``vertical``: of the mark's vertical form, the head being left and the
    foot right."""
    if mark in OPENING:
        return "left"
    if mark in CLOSING:
        return "right"
    if vertical and mark in _CENTRED_IN_COLUMNS:
        return ""
    if mark in PAUSES_STOPS and region in _STOPS_AT_THE_SIDE:
        return "right"
    return ""


def pair_cut(first: str, second: str, region: str, vertical: bool = False) -> tuple[float, float]:
    """What two adjacent marks give up between them (em): off the first's
    right, off the second's left.

    clreq 3.1.6.2: when a bracket or quote stands next to another mark
    (。」 」， ，「 ”“ ））), the pair takes 1.5 em instead of 2, in every
    house style; brackets and quotes stay tight to what they enclose, so the
    blank that goes is the one between the two inks: the first mark's right
    half if it is blank, else the second's left half.  Two marks with no
    bracket between them (？！ 。——) keep their ems, and so does a pair
    with no blank half between the inks (「」, and a centred Taiwan or Hong
    Kong 。 before 」, where only a quarter em is blank).  ``vertical``:
    down a column, off the first's foot and the second's head.
    """
    if first not in PAIRED_MARKS or second not in PAIRED_MARKS:
        return (0.0, 0.0)
    if not (first in OPENING or first in CLOSING or second in OPENING or second in CLOSING):
        return (0.0, 0.0)
    if blank_half(first, region, vertical) == "right":
        return (PAIR_CUT, 0.0)
    if blank_half(second, region, vertical) == "left":
        return (0.0, PAIR_CUT)
    return (0.0, 0.0)


# ------------------------------------------------------------------ line edges

# Kinsoku, after W3C clreq and GB/T 15834, shared by every writer: PDF breaks
# lines itself, DOCX hands the sets to Word, EPUB asks the reading system for
# the same with `line-break: strict`.
#
# May not start a line.  The percent and degree signs stay with their number.
CANNOT_START = (
    "、，。．：；！？"  # pause and stop marks
    "”’」』）］｝〕】〉》〗〙〛｠"  # closing quotes and brackets
    "·・‧"  # interpuncts
    "…‥"  # an ellipsis trails what it follows
    "％‰℃°′″"
    ",.:;?!)]}%"  # ASCII forms, as they appear in Chinese text
)
# May not end a line.
CANNOT_END = "“‘「『（［｛〔【〈《〖〘〚｟([{"
# A doubled —— or …… is one mark and is never split, nor is ――, the
# horizontal bar Taiwan and Hong Kong texts often write the dash with.  A
# line breaker that can keep a pair whole (the PDF writer's) does so; one
# that cannot (Word's) is told the marks may not start a line, which has the
# same effect.
NEVER_SPLIT = "—…―"


if __name__ == "__main__":
    from pathlib import Path

    write_script_tables(str(Path(__file__).with_name("_script_chars.py")))
    write_variant_tables(str(Path(__file__).with_name("_variant_chars.py")))
