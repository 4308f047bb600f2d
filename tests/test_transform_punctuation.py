from __future__ import annotations

import re
import unicodedata

import pytest
from _corpus import corpus_cases, table_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from convert.model import (
    Document,
    Emph,
    Furniture,
    LineBreak,
    ListItem,
    Meta,
    OrderedList,
    Para,
    Str,
    Strong,
    paragraph_texts,
)
from convert.transforms import TransformOptions, apply_transforms
from convert.transforms.punctuation import normalize_punctuation, normalize_text
from convert.writers.common import rendered_lines


@pytest.mark.parametrize("text,options,expected", [
    pytest.param(text, options, expected, id=where) for text, options, expected, where in table_cases("punctuation.tsv")])
def test_rules(text, options, expected):
    # context=heading: the text is a title's or a heading's, not a paragraph's
    assert set(options) <= {"context"} and options.get("context", "heading") == "heading", options
    assert normalize_text(text, heading="context" in options) == expected


def test_context_crosses_inline_nodes_and_keeps_the_structure():
    doc = Document(Meta(title="標題"), (
        Para((Strong((Str("中文"),)), Str(",接著"), Emph((Str("(注"),)), Str(")"), LineBreak(), Str("完"))),))
    para = normalize_punctuation(doc).blocks[0]
    assert para == Para((Strong((Str("中文"),)), Str("，接著"), Emph((Str("（注"),)), Str("）"), LineBreak(), Str("完")))


def test_list_markers_lead_and_content_are_one_text():
    doc = Document(Meta(title="標題"), (OrderedList((ListItem("(3)", (Str("提高認識:"),), (Str("要,做好"),)),)),))
    item = normalize_punctuation(doc).blocks[0].items[0]
    assert item == ListItem("（3）", (Str("提高認識："),), (Str("要，做好"),))


def test_metadata_is_normalised_and_furniture_kept_as_read():
    doc = Document(Meta(title="會議\u00a0陳全國主持", source="新疆日報", editors=("姜萍萍 ",)),
                   furniture=(Furniture("(責編:姜萍萍)", "editors", 20),))
    out = normalize_punctuation(doc)
    assert out.meta.title == "會議\u3000陳全國主持"
    assert out.furniture == doc.furniture


HAN_PUNCT_ASCII = re.compile(r"[\u3400-\u9fff][,:;?!()]|[,:;?!()][\u3400-\u9fff]")


def test_seed_has_no_ascii_punctuation_next_to_han(seed_doc):
    doc = apply_transforms(seed_doc, TransformOptions())
    lines = [line.text for line in rendered_lines(doc)]
    assert lines[0] == "新疆維吾爾自治區黨委召開常委會議\u3000陳全國主持"
    assert not [t for t in lines if HAN_PUNCT_ASCII.search(t)]
    assert not [t for t in lines if "﹔" in t or "\u00a0" in t]
    assert "有保障；實現" in "".join(lines)
    assert lines[-2:] == ["（姚彤）", "（責編：姜萍萍、程宏毅）"]
    assert sum(t.count("，") for t in lines) > 50


def test_keeping_the_text_as_scraped(seed_doc):
    doc = apply_transforms(seed_doc, TransformOptions(normalize_punctuation=False, quotes="keep", fix_variants=False))
    assert doc == seed_doc


@pytest.mark.parametrize("path,expected", corpus_cases(), ids=lambda v: getattr(v, "stem", ""))
def test_corpus_has_no_ascii_punctuation_next_to_han(path, expected):
    from convert.readers.news import read_news_file

    doc = normalize_punctuation(read_news_file(path))
    offending = [t for t in (line.text for line in rendered_lines(doc)) if HAN_PUNCT_ASCII.search(t)]
    assert offending == []


# ---------------------------------------------------------------- properties

HAN = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=4)
WIDE_PUNCT = st.sampled_from(list("，。、：；！？（）《》“”‘’「」『』﹔﹐﹙﹚―…·\u3000"))
ASCII_PUNCT = st.sampled_from(list(",:;?!()\"' \u00a0") + ["  ", "\u00a0\u00a0"])
LATIN = st.from_regex(r"[A-Za-z]{2,8}", fullmatch=True)
NUMBER = st.from_regex(r"[0-9]{1,3}(,[0-9]{3}){0,2}(\.[0-9]{1,2})?|[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?", fullmatch=True)
URL = st.from_regex(r"https?://[a-z]{2,6}\.(com|cn|org)(/[a-z0-9_]{1,6}){0,2}(\?[a-z]=[0-9],[a-z]=[0-9])?",
                    fullmatch=True)
EMAIL = st.from_regex(r"[a-z]{2,5}(\.[a-z]{2,4})?@[a-z]{2,5}\.(com|cn)", fullmatch=True)
LATIN_PHRASE = st.builds(lambda a, p, sp, b: f"{a}{p}{sp}{b}", LATIN, st.sampled_from(list(",:;?!")),
                         st.sampled_from(["", " "]), LATIN)
KEPT = st.one_of(LATIN, NUMBER, URL, EMAIL, LATIN_PHRASE)


@st.composite
def mixed_text(draw) -> tuple[str, list[str]]:
    """Chinese text with ASCII marks, spaces and the tokens no rule may touch."""
    parts: list[str] = []
    kept: list[str] = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["han", "wide", "ascii", "kept"]))
        if kind == "kept":
            token = draw(KEPT)
            kept.append(token)
            # Kept tokens stand between Chinese characters, as they do in news text.
            parts += [draw(HAN), token, draw(HAN)]
        else:
            parts.append(draw({"han": HAN, "wide": WIDE_PUNCT, "ascii": ASCII_PUNCT}[kind]))
    return "".join(parts), kept


def han_count(text: str) -> int:
    return sum(1 for c in text if unicodedata.name(c, "").startswith(("CJK UNIFIED", "CJK COMPATIBILITY IDEO")))


@settings(max_examples=400, deadline=None)
@given(mixed_text())
def test_idempotent_and_keeps_han_urls_numbers_and_latin(sample):
    text, kept = sample
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert han_count(once) == han_count(text)
    for token in kept:
        assert token in once


@settings(max_examples=150, deadline=None)
@given(st.lists(mixed_text(), min_size=1, max_size=4), st.integers(0, 3))
def test_idempotent_on_documents_split_into_nodes(samples, cut):
    def split(text: str) -> tuple:
        k = min(cut, len(text))
        return (Str(text[:k]), Strong((Str(text[k:k + 2]),)), Str(text[k + 2:]))

    doc = Document(Meta(title=samples[0][0]), tuple(Para(split(t)) for t, _ in samples))
    once = normalize_punctuation(doc)
    assert normalize_punctuation(once) == once
    assert [han_count(t) for t in paragraph_texts(once)] == [han_count(t) for t in paragraph_texts(doc)]


def test_a_gap_is_a_clause_gap_in_titles_and_headings_and_stray_in_paragraphs():
    from convert.model import Heading

    doc = Document(Meta(title="天然气调价或推迟至年底 民用与非民用暂不并轨", source="上海证券报 中国证券网"), (
        Heading(2, (Str("民用和非民用气价 暂不并轨"),)),
        Para((Str("天然气 价格调整或将推迟到年底。"),)),
    ))
    out = normalize_punctuation(doc)
    assert out.meta.title == "天然气调价或推迟至年底\u3000民用与非民用暂不并轨"
    assert out.meta.source == "上海证券报\u3000中国证券网"
    assert paragraph_texts(out) == ["民用和非民用气价\u3000暂不并轨", "天然气价格调整或将推迟到年底。"]
