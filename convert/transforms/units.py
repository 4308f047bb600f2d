"""The unit engine: what the transforms that need context across inline
nodes (a comma after ``<strong>…</strong>``, a quotation that opens in one
node and closes in another) look at, and how their changes get back into
the nodes.

Each transform sees one string per unit (a metadata field, or a body
paragraph as ``model.paragraph_texts`` counts them) and says which
characters change; the engine puts each change into the node the character
came from.  The body is walked with the model's one traversal
(``model.iter_units``, ``model.rebuild``), which refuses a node of a kind
it does not know.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import count, islice

from ..model import (
    TEXT_META_FIELDS,
    UNIT_KINDS,
    Document,
    Inline,
    LineBreak,
    Node,
    Str,
    iter_units,
    rebuild,
    text_fields,
    unit_text,
)


@dataclass(frozen=True)
class TextUnit:
    """One piece of text a reader reads in one go.

    A metadata field (``where`` = "title", "editors 1", ...) or one body
    paragraph as ``paragraph_texts`` counts them (``where`` = "paragraph 3"):
    a heading, a paragraph, or a list item with its marker, lead and content.
    A line break inside a paragraph shows as "\\n".
    """

    where: str
    text: str
    in_body: bool


# Gets a unit, returns what to change in unit.text: a mapping from the index
# of each character that changes to its replacement ("" drops it), or one
# replacement string per character (the character itself to keep it).  Most
# characters of a news text stay as they are, so the mapping is the cheap form.
Rewrite = Callable[[TextUnit], Mapping[int, str] | Sequence[str]]


def text_units(doc: Document) -> Iterator[TextUnit]:
    """Every unit in reading order: metadata fields first, then the body."""
    for name in TEXT_META_FIELDS:
        value = getattr(doc.meta, name)
        if value:
            yield TextUnit(name, value, False)
    for i, editor in enumerate(doc.meta.editors, 1):
        yield TextUnit(f"editors {i}", editor, False)
    for n, unit in enumerate(iter_units(doc.blocks), 1):
        yield TextUnit(f"paragraph {n}", unit_text(unit), True)


def rewrite_units(doc: Document, rewrite: Rewrite) -> Document:
    """Apply ``rewrite`` to every unit in reading order and rebuild the document.

    Furniture is left as the reader found it: it is a record of the input.
    Nodes without a change are kept as they are.
    """
    changes: dict[str, object] = {}
    for name in TEXT_META_FIELDS:
        value = getattr(doc.meta, name)
        if value:
            changes[name] = _Pieces(_checked(rewrite, TextUnit(name, value, False))).take(value)
    changes["editors"] = tuple(_Pieces(_checked(rewrite, TextUnit(f"editors {i}", e, False))).take(e)
                               for i, e in enumerate(doc.meta.editors, 1))
    counter = count(1)

    def on_unit(node: Node) -> Node:
        if not isinstance(node, UNIT_KINDS):
            return node
        unit_changes = _checked(rewrite, TextUnit(f"paragraph {next(counter)}", unit_text(node), True))
        return _rebuilt_unit(node, unit_changes)

    blocks = rebuild(doc.blocks, on_unit, inlines=False)
    return replace(doc, meta=replace(doc.meta, **changes), blocks=blocks)


def _rebuilt_unit(unit, changes: Mapping[int, str]):
    """``unit`` with ``changes`` made, field by field in the order its text
    reads; inlines given as a list come back a tuple even without a change."""
    names = text_fields(unit)
    if not changes:
        for name in names:
            if type(getattr(unit, name)) not in (tuple, str):
                break
        else:
            return unit
    pieces = _Pieces(changes)
    return replace(unit, **{name: pieces.take(value) if isinstance(value, str) else _rebuilt_inlines(value, pieces)
                            for name, value in [(name, getattr(unit, name)) for name in names]})


def _rebuilt_inlines(inlines: tuple[Inline, ...], pieces: _Pieces) -> tuple[Inline, ...]:
    def on_inline(node: Node) -> Node | None:
        if isinstance(node, Str):
            text = pieces.take(node.text)
            if text is node.text or text == node.text:
                return node
            return Str(text) if text else None
        if isinstance(node, LineBreak):
            pieces.skip(1)  # a line break stays a line break
        return node

    return rebuild(inlines, on_inline)


def _checked(rewrite: Rewrite, unit: TextUnit) -> Mapping[int, str]:
    """The rewrite's changes to ``unit`` as a mapping."""
    result = rewrite(unit)
    size = len(unit.text)
    if type(result) is dict or isinstance(result, Mapping):
        if result and (min(result) < 0 or max(result) >= size):
            raise ValueError(f"a rewrite changed a character outside the {size} of its unit")
        return result
    if len(result) != size:
        raise ValueError(f"a rewrite returned {len(result)} pieces for {size} characters")
    text = unit.text
    return {i: piece for i, piece in enumerate(result) if piece != text[i]}


class _Pieces:
    """One unit's changes, handed out node by node in reading order."""

    def __init__(self, changes: Mapping[int, str]):
        self.changes = changes
        self.at_change = sorted(changes)
        self.next = 0  # index into at_change of the first change not yet reached
        self.offset = 0  # where in the unit the next node starts

    def take(self, text: str) -> str:
        """``text``, the next stretch of the unit, with its changes made."""
        start = self.offset
        end = self.offset = start + len(text)
        at_change, k = self.at_change, self.next
        if k == len(at_change) or at_change[k] >= end:
            return text
        stop = bisect_left(at_change, end, k)
        self.next = stop
        changes = self.changes
        out = []
        last = 0
        for at in islice(at_change, k, stop):
            out.append(text[last:at - start])
            out.append(changes[at])
            last = at - start + 1
        out.append(text[last:])
        return "".join(out)

    def skip(self, size: int) -> None:
        """Pass over ``size`` characters that stay whatever the rewrite said."""
        self.offset += size
        self.next = bisect_left(self.at_change, self.offset, self.next)
