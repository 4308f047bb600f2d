from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convert.model import (
    SCHEMA_VERSION,
    Attr,
    BlockQuote,
    Div,
    Document,
    Emph,
    Furniture,
    Heading,
    LineBreak,
    ListItem,
    Meta,
    OrderedList,
    Para,
    SchemaError,
    Span,
    Str,
    Strong,
    from_json,
    map_text,
    paragraph_texts,
    to_json,
)
from convert.schema import is_language_tag

# What a document may hold: no character XML cannot carry (a JSON document
# holding one is refused on reading), well-formed language tags and dates.
text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
               | st.sampled_from("\t\n"), max_size=20)
languages = st.sampled_from(["zh", "zh-Hans-CN", "zh-Hant", "zh-Hant-TW", "zh-HK", "en"])
attrs = st.builds(Attr, text, st.lists(text, max_size=2).map(tuple),
                  st.lists(st.tuples(text.filter(lambda k: k != "lang"), text)
                           | st.tuples(st.just("lang"), languages), max_size=2).map(tuple))
inlines = st.recursive(
    st.one_of(st.builds(Str, text), st.just(LineBreak())),
    lambda inner: st.one_of(
        st.builds(Strong, st.lists(inner, max_size=3).map(tuple)),
        st.builds(Emph, st.lists(inner, max_size=3).map(tuple)),
        st.builds(Span, st.lists(inner, max_size=3).map(tuple), attrs),
    ),
    max_leaves=6,
)
inline_seq = st.lists(inlines, max_size=3).map(tuple)
items = st.builds(ListItem, text, inline_seq, inline_seq)
blocks = st.recursive(
    st.one_of(
        st.builds(Para, inline_seq),
        st.builds(Heading, st.integers(1, 6), inline_seq),
        st.builds(OrderedList, st.lists(items, max_size=3).map(tuple), text),
    ),
    lambda inner: st.one_of(
        st.builds(BlockQuote, st.lists(inner, max_size=3).map(tuple)),
        st.builds(Div, st.lists(inner, max_size=3).map(tuple), attrs),
    ),
    max_leaves=6,
)
optional = st.none() | text
metas = st.builds(
    Meta, title=text, subtitle=optional, site=optional, channel=optional, breadcrumb=optional,
    published=st.none() | st.sampled_from(["2017-06-25", "2017-06-25T14:35+08:00", "2020-02-29T00:00Z"]),
    source=optional, byline=optional, editors=st.lists(text, max_size=3).map(tuple),
    language=languages, script=st.sampled_from(["", "hans", "hant"]), identifier=text, input_path=optional,
    encoding=optional,
)
documents = st.builds(
    Document, metas, st.lists(blocks, max_size=4).map(tuple),
    st.lists(st.builds(Furniture, text, text, st.integers(0, 10_000)), max_size=3).map(tuple),
    st.lists(text, max_size=2).map(tuple),
)


@settings(max_examples=200)
@given(documents)
def test_json_round_trip(doc):
    assert from_json(to_json(doc)) == doc


def test_seed_round_trip(seed_doc):
    assert from_json(to_json(seed_doc)) == seed_doc


def test_nodes_encode_as_tag_and_contents():
    data = json.loads(to_json(Document(Meta(title="t"), (Para((Str("x"),)),))))
    assert data["version"] == SCHEMA_VERSION
    assert data["blocks"] == [{"t": "Para", "c": {"content": [{"t": "Str", "c": {"text": "x"}}]}}]


def test_other_schema_version_is_refused():
    data = json.loads(to_json(Document(Meta(title="t"))))
    data["version"] = SCHEMA_VERSION + 1
    with pytest.raises(SchemaError, match="version"):
        from_json(json.dumps(data))


def test_unknown_node_kind_is_refused():
    data = json.loads(to_json(Document(Meta(title="t"), (Para((Str("x"),)),))))
    data["blocks"][0]["t"] = "Table"
    with pytest.raises(SchemaError, match="Table"):
        from_json(json.dumps(data))


def test_model_is_immutable(seed_doc):
    with pytest.raises(AttributeError):
        seed_doc.meta.title = "x"  # type: ignore[misc]


def test_map_text_reaches_metadata_and_every_block():
    doc = Document(
        Meta(title="a", editors=("a",), byline="a"),
        (Para((Strong((Str("a"),)),)), OrderedList((ListItem("a", (Str("a"),), (Str("a"),)),)),
         BlockQuote((Heading(2, (Str("a"),)),))),
        (Furniture("a", "share"),),
    )
    out = map_text(doc, lambda s: s.replace("a", "b"))
    assert out.meta.title == out.meta.byline == "b" and out.meta.editors == ("b",)
    assert paragraph_texts(out) == ["b", "bbb", "b"]
    assert out.furniture == doc.furniture  # a record of the input, never rewritten


@pytest.mark.parametrize("breakage", [
    lambda d: d["blocks"][0]["c"].pop("level"),
    lambda d: d["blocks"][1]["c"]["content"][0]["c"].update(text=5),
    lambda d: d["furniture"][0].pop("kind"),
    lambda d: d["blocks"].append({"t": "Str", "c": {"text": "x"}}),
])
def test_malformed_documents_are_schema_errors(breakage):
    doc = Document(Meta(title="t"), (Heading(1, (Str("h"),)), Para((Str("x"),))), (Furniture("f", "share"),))
    data = json.loads(to_json(doc))
    breakage(data)
    with pytest.raises(SchemaError):
        from_json(json.dumps(data))


# ------------------------------------------------------------------ metadata overrides

def test_metadata_overrides_set_clear_and_validate(seed_doc):
    from convert.model import with_metadata

    doc = with_metadata(seed_doc, {"title": "新標題", "published": "2020-01-02 08:30", "editors": "甲、乙,丙",
                                   "source": ""})
    assert doc.meta.title == "新標題"
    assert doc.meta.published == "2020-01-02T08:30+08:00"
    assert doc.meta.editors == ("甲", "乙", "丙")
    assert doc.meta.source is None
    assert doc.meta.identifier == seed_doc.meta.identifier and doc.blocks == seed_doc.blocks
    assert with_metadata(seed_doc, {"published": "2020-01-02"}).meta.published == "2020-01-02"
    for bad, message in (({"colour": "x"}, "unknown metadata field 'colour'"),
                         ({"published": "2020-02-30"}, "not a real date"),
                         ({"published": "yesterday"}, "not a date"),
                         ({"title": " "}, "cannot be empty"),
                         ({"language": "中文"}, "not a language tag")):
        with pytest.raises(ValueError, match=message):
            with_metadata(seed_doc, bad)


def test_the_json_schema_describes_the_model_as_it_is():
    """schema.py checks the JSON form without importing the model (the model
    imports it); its tables must still name every kind and field the model has."""
    from dataclasses import fields

    from convert import schema
    from convert.model import BLOCK_KINDS, INLINE_KINDS, NODE_KINDS

    assert schema.META_FIELDS == tuple(f.name for f in fields(Meta))
    assert schema.INLINES == {k.__name__ for k in INLINE_KINDS}
    assert schema.BLOCKS == {k.__name__ for k in BLOCK_KINDS}
    assert {name: tuple(checks) for name, checks in schema.NODES.items()} == {
        k.__name__: tuple(f.name for f in fields(k)) for k in NODE_KINDS}


@pytest.mark.parametrize("tag", ["zh-Hant-TW", "zh-hans", "yue-HK", "zh-Hant-HK-x-news", "zh-CN",
                                 "zh_TW", "zh--TW", "chinese-traditional", "zh-Hant-TW-", "", "zh-123456789"])
def test_a_language_override_is_checked_as_a_saved_document_checks_it(tag):
    """-M language=… and a JSON document's language follow one rule: what
    one accepts the other reads back."""
    from convert.model import Document, Meta, from_json, to_json, with_metadata

    try:
        doc = with_metadata(Document(Meta(title="標題")), {"language": tag})
    except ValueError:
        accepted = False
    else:
        accepted = True
        assert from_json(to_json(doc)).meta.language == tag
    assert accepted == is_language_tag(tag)
    assert accepted == (tag in ("zh-Hant-TW", "zh-hans", "yue-HK", "zh-Hant-HK-x-news", "zh-CN"))
