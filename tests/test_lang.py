"""The shared Chinese language rules: script and region of a tag or a
document, and the line-edge table every writer follows."""

from dataclasses import replace

import pytest

from convert import lang
from convert.model import Document, Meta, Para, Str

REGION_CASES = [
    ("zh-Hans-CN", "cn"), ("zh-Hans", "cn"), ("zh-CN", "cn"), ("zh", "cn"), ("zh-SG", "cn"),
    ("zh_CN", "cn"), ("ZH-hans-cn", "cn"), ("zh-Hans-HK", "cn"), ("zh-cmn-Hans-CN", "cn"),
    ("zh-Hant-TW", "tw"), ("zh-Hant", "tw"), ("zh-TW", "tw"), ("zh-Hant-CN", "tw"),
    ("zh-Hant-HK", "hk"), ("zh-HK", "hk"), ("zh-MO", "hk"), ("zh-Hant-MO", "hk"),
    ("yue", "hk"), ("zh-yue-HK", "hk"), ("yue-Hans", "cn"),
    ("en", "cn"), ("zh-Hant-TW-x-private", "tw"), ("zh-x-hk", "cn"), ("", "cn"),
]


@pytest.mark.parametrize("tag, region", REGION_CASES)
def test_region_of_tag(tag, region):
    assert lang.region_of_tag(tag) == region


@pytest.mark.parametrize("tag, script", [
    ("zh-Hans-CN", "hans"), ("zh-Hant", "hant"), ("zh-TW", "hant"), ("zh-HK", "hant"), ("zh-MO", "hant"),
    ("zh-Hans-HK", "hans"), ("zh-CN", None), ("zh", None), ("", None), ("en-GB", None),
])
def test_script_of_tag(tag, script):
    assert lang.script_of_tag(tag) == script


def test_every_target_has_a_tag_that_says_its_script_and_region():
    for target, tag in lang.LANGUAGE_TAGS.items():
        assert lang.script_of_tag(tag) == ("hans" if target == "hans" else "hant")
        assert lang.region_of_tag(tag) == {"hans": "cn", "hk": "hk"}.get(target, "tw")
    assert tuple(lang.LANGUAGE_TAGS) == lang.TARGETS


def _doc(title: str, text: str, *, script: str = "", language: str = "") -> Document:
    return Document(Meta(title=title, script=script, language=language), (Para((Str(text),)),))


def test_script_of_a_document_trusts_its_record_then_its_tag_then_its_text():
    simplified = _doc("国务院发布关于进一步加强监管的通知", "会议强调，要认真贯彻落实党中央决策部署。")
    traditional = _doc("國務院發布關於進一步加強監管的通知", "會議強調，要認真貫徹落實黨中央決策部署。")
    assert lang.script_of(simplified) == "hans"
    assert lang.script_of(traditional) == "hant"
    assert lang.script_of(replace(simplified, meta=replace(simplified.meta, language="zh-TW"))) == "hant"
    assert lang.script_of(replace(traditional, meta=replace(traditional.meta, script="hans"))) == "hans"


def test_a_traditional_document_without_a_region_follows_taiwan():
    traditional = _doc("國務院發布關於進一步加強監管的通知", "會議強調，要認真貫徹落實黨中央決策部署。")
    assert lang.region_of(traditional) == "tw"
    assert lang.region_of(replace(traditional, meta=replace(traditional.meta, language="zh-HK"))) == "hk"
    assert lang.region_of(_doc("通知", "会议强调。", script="hans")) == "cn"


def test_script_detection_reads_a_bounded_opening():
    long = _doc("标题", "这是简体中文的段落。" * 10000)
    assert len(lang.opening_text(long)) == lang.SCRIPT_SAMPLE
    assert lang.script_of(long) == "hans"


PAIRS = ["“”", "‘’", "「」", "『』", "（）", "［］", "｛｝", "〔〕", "【】", "〈〉", "《》", "〖〗", "〘〙",
         "〚〛", "｟｠", "()", "[]", "{}"]


def test_line_edges_pair_every_bracket_and_never_contradict():
    assert not set(lang.CANNOT_START) & set(lang.CANNOT_END)
    for opening, closing in PAIRS:
        assert opening in lang.CANNOT_END and closing in lang.CANNOT_START, opening + closing
    for table in (lang.CANNOT_START, lang.CANNOT_END, lang.NEVER_SPLIT):
        assert len(set(table)) == len(table), "a mark listed twice"
    for stop in "、，。：；！？":
        assert stop in lang.CANNOT_START


def test_script_tables_are_the_pinned_converters_own():
    """The tabulated sets must be what OpenCC itself changes: regenerate them
    (python -m convert.lang) whenever the converter's pin moves."""
    from importlib.metadata import version

    from convert import _script_chars

    assert _script_chars.CONVERTER_VERSION == version("opencc")
    traditional, simplified = lang.script_tables()
    assert _script_chars.TRADITIONAL == frozenset(traditional)
    assert _script_chars.SIMPLIFIED == frozenset(simplified)


def test_variant_tables_are_the_pinned_converters_own():
    """The tables the variant repair reads text with must be OpenCC's own
    dictionaries: regenerate them (python -m convert.lang) whenever the
    converter's pin moves."""
    from importlib.metadata import version

    from convert import _variant_chars

    assert _variant_chars.CONVERTER_VERSION == version("opencc")
    for name, value in lang.variant_tables().items():
        assert getattr(_variant_chars, name) == value, name


@pytest.mark.parametrize("text, script", [
    ("會議強調，要認真貫徹落實。", "hant"), ("会议强调，要认真贯彻落实。", "hans"),
    ("精准打擊，範圍擴大，實施細則與標誌。", "hant"),  # leftovers lose to the majority
    ("Breaking news 2022", "hans"), ("", "hans"),
])
def test_detect_script_counts_each_scripts_own_characters(text, script):
    assert lang.detect_script(text) == script


def test_doubled_dashes_and_ellipses_are_never_split():
    """—— and …… are one mark each (clreq), and so is ――, the horizontal
    bar Taiwan and Hong Kong texts write the dash with."""
    assert set(lang.NEVER_SPLIT) == {"\u2014", "\u2026", "\u2015"}


@pytest.mark.parametrize("region", ["cn", "tw", "hk"])
@pytest.mark.parametrize("pair, cut", [
    ("。」", {"cn": (0.5, 0.0), "tw": (0.0, 0.0), "hk": (0.0, 0.0)}),  # centred 。 has no blank half
    ("」，", (0.5, 0.0)), ("」。", (0.5, 0.0)), ("”“", (0.5, 0.0)), ("））", (0.5, 0.0)),
    ("，「", {"cn": (0.5, 0.0), "tw": (0.0, 0.5), "hk": (0.0, 0.5)}),
    ("“《", (0.0, 0.5)), ("「「", (0.0, 0.5)), ("”——", (0.5, 0.0)), ("」！", (0.5, 0.0)),
    ("「」", (0.0, 0.0)),  # the inks already touch
    ("？！", (0.0, 0.0)), ("。。", (0.0, 0.0)), ("，——", (0.0, 0.0)),  # no bracket: clreq keeps them
    ("中」", (0.0, 0.0)), ("」中", (0.0, 0.0)),
])
def test_adjacent_marks_compress_as_clreq_says(pair, cut, region):
    expected = cut[region] if isinstance(cut, dict) else cut
    assert lang.pair_cut(pair[0], pair[1], region) == expected


def test_mark_classes_are_disjoint_and_every_bracket_has_its_blank_outside():
    classes = (lang.OPENING, lang.CLOSING, lang.PAUSES_STOPS, lang.MIDDLE_DOTS, lang.DASHES_ELLIPSES)
    assert sum(map(len, classes)) == len(set(lang.PAIRED_MARKS))
    for opening, closing in PAIRS:
        if not opening.isascii():
            assert opening in lang.OPENING and closing in lang.CLOSING
    for region in ("cn", "tw", "hk"):
        assert {lang.blank_half(m, region) for m in lang.OPENING} == {"left"}
        assert {lang.blank_half(m, region) for m in lang.CLOSING} == {"right"}
        assert {lang.blank_half(m, region) for m in lang.MIDDLE_DOTS + lang.DASHES_ELLIPSES} == {""}
        assert {lang.blank_half(m, region) for m in lang.PAUSES_STOPS} == {"right" if region == "cn" else ""}


@pytest.mark.parametrize("pair,across,down", [
    ("！”", (0.5, 0.0), (0.0, 0.0)),   # a Mainland ！ sits at the side across, centred down a column
    ("？」", (0.5, 0.0), (0.0, 0.0)),
    ("。”", (0.5, 0.0), (0.5, 0.0)),   # the full stop keeps its blank foot
    ("」「", (0.5, 0.0), (0.5, 0.0)),
    ("：“", (0.5, 0.0), (0.0, 0.5)),   # the quote's blank head goes instead
])
def test_down_a_column_mainland_marks_that_stand_centred_give_nothing(pair, across, down):
    assert lang.pair_cut(pair[0], pair[1], "cn") == across
    assert lang.pair_cut(pair[0], pair[1], "cn", vertical=True) == down
