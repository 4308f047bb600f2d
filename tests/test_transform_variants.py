from __future__ import annotations

import unicodedata

import pytest
from _corpus import corpus_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from convert.model import (
    BlockQuote,
    Div,
    Document,
    Heading,
    ListItem,
    Meta,
    OrderedList,
    Para,
    Str,
    Strong,
    paragraph_texts,
)
from convert.transforms import TransformOptions, apply_transforms
from convert.transforms.variants import VariantRepair, find_variant_repairs, fix_variants, repair_text


def hant(*paragraphs: str, language: str = "zh-Hant") -> Document:
    return Document(Meta(title="標題", script="hant", language=language),
                    tuple(Para((Str(p),)) for p in paragraphs))


# As read → repaired.  The seed's leftovers, and common ones of the same kind.
REPAIRED = [
    ("堅持精准扶貧精准脫貧", "堅持精準扶貧精準脫貧"),
    ("在全國范圍全面打響", "在全國範圍全面打響"),
    ("確保全區現行標准下", "確保全區現行標準下"),
    ("真抓實干的崇高風范", "真抓實幹的崇高風範"),
    ("標志性指標", "標誌性指標"),
    ("瞄准既定目標", "瞄準既定目標"),
    ("產品制造業", "產品製造業"),
    ("美制武器", "美製武器"),  # made in the US: still repaired
    ("研制定型", "研製定型"),
    ("這是他們的說法", "這是他們的說法"),  # nothing to do
    ("这是他们的说法", "這是他們的說法"),  # simplified-only characters are never traditional
]
# What a plain OpenCC round trip gets wrong, and what is right as written.
KEPT = [
    "為我們指明了前進方向", "更加注重產業帶動", "戰略布局的高度", "布局在南疆",
    "聽取進展情況匯報", "台北市政府", "經批准", "不准吸菸", "范仲淹", "范長龍上將", "姓范的人",
    "范先生說", "縣志記載", "同志們", "征戰屬誰", "若干意見", "干涉內政", "余光中的詩",
    "美制裁中港11官", "中美制定協議", "日制度改革",  # OpenCC reads 美制 (made in) before 制裁
]


@pytest.mark.parametrize("text,expected", REPAIRED)
def test_leftovers_are_repaired(text, expected):
    assert paragraph_texts(fix_variants(hant(text))) == [expected]


@pytest.mark.parametrize("text", KEPT)
def test_right_forms_and_round_trip_traps_stay(text):
    assert paragraph_texts(fix_variants(hant(text))) == [text]
    assert find_variant_repairs(hant(text)) == []


def test_hong_kong_text_keeps_hong_kong_forms():
    # 温 and 脱 are the Hong Kong standard forms; in Taiwan text they are leftovers.
    assert paragraph_texts(fix_variants(hant("溫暖和脫貧", language="zh-Hant-HK"))) == ["溫暖和脫貧"]
    assert paragraph_texts(fix_variants(hant("温暖和脱贫精准", language="zh-Hant-HK"))) == ["温暖和脱貧精準"]
    assert repair_text("温暖", "tw") == "溫暖"


def test_simplified_text_is_left_to_script_conversion():
    doc = Document(Meta(title="标题", script="hans", language="zh-Hans-CN"), (Para((Str("精准扶贫"),)),))
    assert fix_variants(doc) == doc and find_variant_repairs(doc) == []


def test_repairs_are_reported_with_place_and_context():
    doc = Document(Meta(title="精准扶貧", script="hant", language="zh-Hant"), (
        Para((Str("會議指出，"),)),
        OrderedList((ListItem("一要", (Str("堅持"),), (Str("精准"), Strong((Str("扶貧"),)))),)),
    ))
    repairs = find_variant_repairs(doc)
    assert repairs == [
        VariantRepair("准", "準", "title", 1, "精准扶貧", 1),
        VariantRepair("准", "準", "paragraph 2", 5, "一要堅持精准扶貧", 5),
    ]
    assert str(repairs[1]) == "paragraph 2: 准→準 in “一要堅持精准扶貧”"
    fixed = fix_variants(doc)
    assert fixed.meta.title == "精準扶貧"
    assert fixed.blocks[1].items[0] == ListItem("一要", (Str("堅持"),), (Str("精準"), Strong((Str("扶貧"),))))


def test_nested_blocks_are_counted_as_paragraph_texts_counts_them():
    doc = Document(Meta(title="標題", script="hant"), (
        Heading(1, (Str("小標題"),)),
        Div((BlockQuote((Para((Str("引文"),)), Para((Str("精准"),)))),)),
        Para((Str("風范"),)),
    ))
    repairs = find_variant_repairs(doc)
    assert [(r.where, r.replacement) for r in repairs] == [("paragraph 3", "準"), ("paragraph 4", "範")]
    assert paragraph_texts(fix_variants(doc)) == ["小標題", "引文", "精準", "風範"]


def test_seed_repairs_exactly_the_leftovers(seed_doc):
    repairs = find_variant_repairs(seed_doc)
    assert {(r.char, r.replacement) for r in repairs} == {("干", "幹"), ("准", "準"), ("志", "誌"), ("范", "範")}
    assert len(repairs) == 11
    assert all(r.context[r.context_offset] == r.char for r in repairs)
    text = "".join(paragraph_texts(fix_variants(seed_doc)))
    for good in ("精準", "範圍", "標準", "實幹", "風範", "瞄準"):
        assert good in text
    for kept in ("指明了", "注重", "布局", "匯報"):
        assert kept in text
    assert "准" not in text and "范" not in text


def test_seed_through_the_pipeline(seed_doc):
    tw = "".join(paragraph_texts(apply_transforms(seed_doc, TransformOptions(script="tw", fix_variants=True))))
    assert "精準扶貧" in tw and "全國範圍" in tw and "指明了" in tw and "更加注重" in tw
    plain = "".join(paragraph_texts(apply_transforms(seed_doc, TransformOptions(script="tw"))))
    assert plain == tw  # on by default
    kept = "".join(paragraph_texts(apply_transforms(seed_doc, TransformOptions(script="tw", fix_variants=False))))
    assert "精准扶貧" in kept


@pytest.mark.parametrize("path,expected", [c for c in corpus_cases() if c[1]["script"] == "hant"],
                         ids=lambda v: getattr(v, "stem", ""))
def test_traditional_corpus_has_nothing_to_repair(path, expected):
    from convert.readers.news import read_news_file

    assert find_variant_repairs(read_news_file(path)) == []


# ---------------------------------------------------------------- properties

# Leftovers, their traditional forms, the traps, everyday traditional text,
# simplified-only characters, and what no rule may touch.
POOL = list("准準范範干幹乾志誌制製了瞭注註布佈台臺余餘发發这這温溫") + [
    "精准", "標准", "范圍", "風范", "實干", "指明了", "注重", "布局", "批准", "不准", "縣志", "范先生",
    "會議", "指出", "我們", "，", "。", "「", "」", " ", "\n"]
KEEP = st.one_of(st.from_regex(r"[A-Za-z]{2,6}", fullmatch=True),
                 st.from_regex(r"[0-9]{1,3}(,[0-9]{3})?(\.[0-9])?|[0-9]{2}:[0-9]{2}", fullmatch=True),
                 st.from_regex(r"https?://[a-z]{2,6}\.com(/[a-z0-9]{1,5})?", fullmatch=True))
PARAGRAPH = st.lists(st.one_of(st.sampled_from(POOL), KEEP), min_size=1, max_size=12).map("".join)


def han_count(text: str) -> int:
    return sum(1 for c in text if unicodedata.name(c, "").startswith(("CJK UNIFIED", "CJK COMPATIBILITY IDEO")))


@settings(max_examples=300, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=4))
def test_idempotent_and_one_han_character_for_one(paragraphs):
    doc = hant(*paragraphs)
    once = fix_variants(doc)
    assert fix_variants(once) == once
    for before, after in zip(paragraph_texts(doc), paragraph_texts(once), strict=True):
        assert len(before) == len(after) and han_count(before) == han_count(after)
        assert all(a == b or (han_count(a) and han_count(b)) for a, b in zip(before, after, strict=True))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(POOL), KEEP), min_size=1, max_size=6))
def test_urls_numbers_and_latin_words_are_untouched(parts):
    out = repair_text("".join(p + k for p, k in parts))
    for _, kept in parts:
        assert kept in out


@pytest.mark.parametrize("text, language", [
    ("啓德機場的電綫", "zh-Hant-HK"), ("啓程", "zh-Hant"), ("玉山主峯", "zh-Hant-TW"), ("峯會啓動", "zh-Hant"),
])
def test_regional_forms_outside_big5_are_never_repaired(text, language):
    """啓, 綫 and 峯 are no leftovers: they are the forms Hong Kong and Taiwan
    pages write, and OpenCC's t2s simplifies them like any traditional form."""
    doc = hant(text, language=language)
    assert find_variant_repairs(doc) == [] and fix_variants(doc) == doc


def test_repair_is_on_by_default_and_every_repair_on_the_fixtures_is_right(seed_doc):
    """Of every traditional page in the fixtures (four sets, 40-odd sites,
    Hong Kong and Taiwan among them), only the seed has leftovers, and each
    of its repairs is one a proof-reader would make."""
    from _corpus import FIXTURES

    from convert import api
    from convert.lang import script_of

    assert TransformOptions().fix_variants
    for path in sorted(FIXTURES.glob("*/*.txt")):
        if path.name.endswith(".body.txt"):
            continue
        doc = api.read(path)
        if script_of(doc) == "hant":
            assert find_variant_repairs(doc) == [], path.name
    made = sorted({f"{r.char}→{r.replacement}" for r in find_variant_repairs(seed_doc)})
    assert made == ["准→準", "干→幹", "志→誌", "范→範"]
    text = "".join(paragraph_texts(apply_transforms(seed_doc, TransformOptions(script="hk"))))
    for right in ("精準", "實幹", "風範", "標誌", "全國範圍", "標準", "瞄準"):
        assert right in text, right
    kept = "".join(paragraph_texts(apply_transforms(seed_doc, TransformOptions(script="hk", fix_variants=False))))
    assert "精准" in kept


# The variant repair reads text with OpenCC's s2tw and s2hk from tables, and
# only around the suspects; what it proposes must be what OpenCC proposes.
def _texts_to_read() -> list[str]:
    from _corpus import CORPUS, SEED

    from convert.lang import opencc_converter

    texts = [p.read_bytes().decode("utf-8", "replace") for p in [SEED, *sorted(CORPUS.glob("*.txt"))]]
    return texts + [opencc_converter("t2s").convert(t) for t in texts]


def _phrase_salad(region: str, count: int) -> list[str]:
    """Strings made of OpenCC's phrases, their tails, and characters that
    are in phrases, normalised or neither: where cuts meet and overlap."""
    import random

    from convert import _variant_chars
    from convert.transforms.variants import _tables

    tables = _tables(region)
    keys = [entry.partition("=")[0] for entry in _variant_chars.PHRASES.split()]
    simplified = {ord(v): chr(k) for k, v in tables.characters.items()}
    keys += [*tables.variant_phrases, *(k.translate(simplified) for k in tables.variant_phrases)]
    chars = sorted(tables.joined) + [chr(c) for c in tables.normalization] + list("，。 \n「」a1")
    rnd = random.Random(17)
    salad = []
    for _ in range(count):
        parts = []
        for _ in range(rnd.randint(1, 7)):
            if rnd.random() < 0.55:
                key = rnd.choice(keys)
                parts.append(key[rnd.randint(0, len(key) - 1):] if rnd.random() < 0.3 else key)
            else:
                parts.append("".join(rnd.choice(chars) for _ in range(rnd.randint(1, 3))))
        salad.append("".join(parts))
    return salad


@pytest.mark.parametrize("region, config", [("tw", "s2tw"), ("hk", "s2hk")])
def test_proposals_are_openccs_own(region, config):
    from convert.lang import opencc_converter
    from convert.transforms.variants import _proposals

    converter = opencc_converter(config)
    for text in _texts_to_read() + _phrase_salad(region, 3000):
        expected = converter.convert(text)
        everywhere = _proposals(text, list(range(len(text))), region)
        assert "".join(everywhere[i] for i in range(len(text))) == expected, text[:80]
        some = list(range(0, len(text), 7))  # each read from its own stretch only
        proposed = _proposals(text, some, region)
        assert [proposed[i] for i in some] == [expected[i] for i in some], text[:80]


def test_simplified_reading_is_openccs_own():
    import random

    from convert import _variant_chars
    from convert.lang import opencc_converter
    from convert.transforms.variants import _simplify, _to_simplified

    t2s = opencc_converter("t2s")
    phrases = [entry.partition("=")[0] for entry in _variant_chars.SIMPLIFYING_PHRASES.split(" ")]
    chars = list(_variant_chars.SIMPLIFYING_CHARACTERS[::2] + _variant_chars.NORMALIZATION[::2]) + list("，。a「")
    rnd = random.Random(5)
    salad = ["".join(rnd.choice(phrases)[rnd.randint(0, 1):] if rnd.random() < 0.6 else rnd.choice(chars)
                     for _ in range(rnd.randint(1, 8))) for _ in range(3000)]
    for text in _texts_to_read() + salad:
        assert _to_simplified(text) == t2s.convert(text), text[:80]
    for char in chars:
        assert _simplify(char) == t2s.convert(char)
