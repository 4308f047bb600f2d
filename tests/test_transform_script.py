from __future__ import annotations

import pytest

from convert.model import Document, Meta, Para, Str, paragraph_texts
from convert.transforms import TransformOptions, apply_transforms
from convert.transforms.chinese_script import choose_config, convert_script

# Phrases a careless conversion gets wrong (TYPOGRAPHY.md): a regression list.
ROUND_TRIP_TRAPS = ["指明了", "注重", "布局", "文件"]


@pytest.mark.parametrize("source,language,target,config", [
    ("hans", "zh-Hans-CN", "hans", None),
    ("hans", "zh-Hans-CN", "hant", "s2t"),
    ("hans", "zh-Hans-CN", "tw", "s2tw"),
    ("hans", "zh-Hans-CN", "hk", "s2hk"),
    ("hant", "zh-Hant", "hans", "t2s"),
    ("hant", "zh-Hant-TW", "hans", "tw2s"),
    ("hant", "zh-Hant-HK", "hans", "hk2s"),
    ("hant", "zh-Hant", "hant", None),
    ("hant", "zh-Hant", "tw", "t2tw"),
    ("hant", "zh-Hant", "hk", "t2hk"),
    # The region as the tag says it, however it is spelled.
    ("hant", "zh-TW", "hans", "tw2s"),
    ("hant", "zh-hant-tw", "hans", "tw2s"),
    ("hant", "zh-Hant-TW-x-news", "hans", "tw2s"),
    ("hant", "zh-MO", "hans", "hk2s"),
    ("hant", "zh_HK", "hans", "hk2s"),
])
def test_configuration_follows_source_and_target(source, language, target, config):
    assert choose_config(source, language, target) == config


def test_phrase_tables_only_when_asked():
    assert choose_config("hans", "zh-Hans-CN", "tw") == "s2tw"
    assert choose_config("hans", "zh-Hans-CN", "tw", phrases=True) == "s2twp"


def test_seed_to_simplified(seed_doc):
    doc = convert_script(seed_doc, "hans")
    assert doc.meta.title.startswith("新疆维吾尔自治区党委召开常委会议")
    assert doc.meta.source == "新疆日报" and doc.meta.channel == "领导活动"
    assert doc.meta.editors == ("姜萍萍", "程宏毅")
    assert doc.meta.language == "zh-Hans-CN" and doc.meta.script == "hans"
    assert "為" not in "".join(paragraph_texts(doc))


def test_seed_to_taiwan_keeps_taiwan_forms(seed_doc):
    doc = convert_script(seed_doc, "tw")
    text = "".join(paragraph_texts(doc))
    assert "為" in text and "群眾" in text
    assert "爲" not in text and "羣" not in text and "衆" not in text
    assert doc.meta.language == "zh-Hant-TW"


def test_traditional_text_is_not_converted_again(seed_doc):
    doc = convert_script(seed_doc, "hant")
    assert paragraph_texts(doc) == paragraph_texts(seed_doc)
    assert "指明瞭" not in "".join(paragraph_texts(doc))


@pytest.mark.parametrize("phrase", ROUND_TRIP_TRAPS)
def test_taiwan_output_keeps_known_traps_intact(phrase):
    doc = Document(Meta(title="標題", script="hant", language="zh-Hant"), (Para((Str(f"我們{phrase}。"),)),))
    assert paragraph_texts(convert_script(doc, "tw")) == [f"我們{phrase}。"]


def test_simplified_to_taiwan():
    doc = Document(Meta(title="标题", script="hans", language="zh-Hans-CN"),
                   (Para((Str("为人民群众服务"),)),))
    out = convert_script(doc, "tw")
    assert paragraph_texts(out) == ["為人民群眾服務"] and out.meta.title == "標題"


def test_pipeline_without_script_leaves_the_script(seed_doc):
    assert apply_transforms(seed_doc, TransformOptions()).meta.script == "hant"


def test_unknown_script_is_a_usage_error():
    from convert.errors import UsageError

    with pytest.raises(UsageError, match="unknown script"):
        TransformOptions(script="latin")


@pytest.mark.parametrize("language", ["zh-Hant-HK", "zh-hant-hk", "zh-HK", "zh-MO"])
def test_a_traditional_text_kept_traditional_keeps_its_region(language):
    doc = Document(Meta(title="港聞", language=language), (Para((Str("新聞"),)),))
    assert convert_script(doc, "hant").meta.language == language
