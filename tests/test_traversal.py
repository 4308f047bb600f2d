"""The model's one traversal: node kinds read off the type unions, and every
walker built on it refusing a node of a kind it does not know."""

from __future__ import annotations

import io
from typing import get_args

import pytest

from convert import registry
from convert.model import (
    BLOCK_KINDS,
    INLINE_KINDS,
    NODE_KINDS,
    UNIT_KINDS,
    Block,
    BlockQuote,
    Div,
    Document,
    Emph,
    Heading,
    Inline,
    LineBreak,
    ListItem,
    Meta,
    OrderedList,
    Para,
    Span,
    Str,
    Strong,
    UnknownNode,
    inline_text,
    iter_blocks,
    iter_nodes,
    iter_units,
    map_text,
    paragraph_texts,
    rebuild,
    unit_text,
    walk_blocks,
)
from convert.transforms.units import rewrite_units, text_units


def rendered_text(doc: Document) -> bytes:
    """What the text writer sets: every line of ``rendered_lines``, the walk
    all writers share."""
    writer = registry.get_writer("txt")
    out = io.BytesIO()
    writer.write(doc, out, writer.Options())
    return out.getvalue()


class Table:
    """A block kind no walker knows, as a reader of tables might invent."""


class Ruby:
    """An inline kind no walker knows."""

    content = (Str("漢"),)


def sample() -> Document:
    return Document(Meta(title="題"), (
        Heading(2, (Str("小標"),)),
        Para((Str("甲"), Strong((Str("乙"), LineBreak())), Emph((Span((Str("丙"),)),)))),
        OrderedList((ListItem("一、", (Str("首句。"),), (Str("其餘"),)),)),
        BlockQuote((Div((Para((Str("引文"),)),)),)),
    ))


def test_node_kinds_are_read_off_the_type_unions():
    assert INLINE_KINDS == get_args(Inline) == (Str, Strong, Emph, Span, LineBreak)
    assert BLOCK_KINDS == get_args(Block) == (Heading, Para, OrderedList, BlockQuote, Div)
    assert set(NODE_KINDS) == {*INLINE_KINDS, *BLOCK_KINDS, ListItem}
    assert UNIT_KINDS == (Heading, Para, ListItem)


def test_the_walks_visit_in_document_order():
    doc = sample()
    kinds = [type(n).__name__ for n in iter_nodes(doc.blocks)]
    assert kinds == ["Heading", "Str", "Para", "Str", "Strong", "Str", "LineBreak", "Emph", "Span", "Str",
                     "OrderedList", "ListItem", "Str", "Str", "BlockQuote", "Div", "Para", "Str"]
    assert [type(b).__name__ for b in iter_blocks(doc.blocks)] == [
        "Heading", "Para", "OrderedList", "BlockQuote", "Div", "Para"]
    assert [unit_text(u) for u in iter_units(doc.blocks)] == paragraph_texts(doc) == [
        "小標", "甲乙\n丙", "一、首句。其餘", "引文"]
    assert inline_text(doc.blocks[1].content) == "甲乙\n丙"


def test_rebuild_keeps_what_it_does_not_change_and_drops_what_it_is_told_to():
    doc = sample()
    assert rebuild(doc.blocks, lambda n: n) is doc.blocks
    seen = []
    rebuild(doc.blocks, lambda n: seen.append(type(n).__name__) or n, inlines=False)
    assert seen == ["Heading", "Para", "ListItem", "OrderedList", "Para", "Div", "BlockQuote"]
    dropped = rebuild(doc.blocks, lambda n: None if isinstance(n, LineBreak) else n)
    assert dropped[0] is doc.blocks[0] and dropped[2] is doc.blocks[2]
    assert paragraph_texts(Document(doc.meta, dropped))[1] == "甲乙丙"
    as_list = rebuild([Para([Str("x")])], lambda n: n)
    assert type(as_list) is tuple and type(as_list[0].content) is tuple


def test_walk_blocks_gives_a_list_items_marker_to_the_inline_function():
    out = walk_blocks(sample().blocks, lambda n: Str(n.text + "!") if isinstance(n, Str) else n)
    assert out[2].items[0].marker == "一、!"


@pytest.mark.parametrize("where", ["top", "nested"])
def test_every_walker_refuses_an_unknown_block(where):
    blocks = (Table(),) if where == "top" else (BlockQuote((Div((Table(),)),)),)
    doc = Document(Meta(title="t"), blocks)
    walkers = [
        lambda: list(iter_nodes(doc.blocks)),
        lambda: list(iter_blocks(doc.blocks)),
        lambda: list(iter_units(doc.blocks)),
        lambda: paragraph_texts(doc),
        lambda: map_text(doc, str.upper),
        lambda: walk_blocks(doc.blocks),
        lambda: rebuild(doc.blocks, lambda n: n),
        lambda: list(text_units(doc)),
        lambda: rewrite_units(doc, lambda unit: {}),
        lambda: rendered_text(doc),
    ]
    for walker in walkers:
        with pytest.raises(UnknownNode, match="Table"):
            walker()


def test_every_walker_refuses_an_unknown_inline():
    doc = Document(Meta(title="t"), (Para((Str("a"), Ruby())), OrderedList((ListItem("1.", (), (Ruby(),)),))))
    walkers = [
        lambda: list(iter_nodes(doc.blocks)),
        lambda: paragraph_texts(doc),
        lambda: inline_text(doc.blocks[0].content),
        lambda: unit_text(doc.blocks[1].items[0]),
        lambda: map_text(doc, str.upper),
        lambda: rebuild(doc.blocks, lambda n: n),
        lambda: list(text_units(doc)),
        lambda: rewrite_units(doc, lambda unit: {}),
        lambda: rendered_text(doc),
    ]
    for walker in walkers:
        with pytest.raises(UnknownNode, match="Ruby"):
            walker()


def test_an_unknown_node_is_a_type_error_as_the_writers_raise():
    assert issubclass(UnknownNode, TypeError)
