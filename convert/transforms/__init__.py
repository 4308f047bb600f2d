"""Transforms rewrite a Document into a Document; the pipeline runs them in a
fixed, documented order:

    reader → punctuation → variant repair → script conversion → quote marks → writer

Why this order:

- **punctuation** (``punctuation.py``) first: it decides by the characters
  around a mark whether the mark stands in Chinese text, so it works on the
  text as read, and every later step sees full-width marks.
- **variant repair** (``variants.py``, opt-in) works on traditional text as
  read: it replaces simplified leftovers (精准, 范圍) that a site's own
  one-to-one converter left behind.  It has to run before script conversion,
  which never touches text that is already in the target script.
- **script conversion** (``chinese_script.py``, OpenCC) changes characters only.
- **quote marks** (``quotes.py``) last, because the default style follows the
  script the document ends up in (“”‘’ for simplified, 「」『』 for traditional).

Each transform is a small module with a pure function ``Document -> Document``.
The helpers below give the transforms that need context across inline nodes
(a comma after ``<strong>…</strong>``, a quotation that opens in one node and
closes in another) one string per paragraph to look at, and put the result
back into the nodes it came from.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import count, islice

from ..errors import UsageError
from ..lang import TARGETS
from ..model import (
    TEXT_META_FIELDS,
    BlockQuote,
    Div,
    Document,
    Heading,
    Inline,
    LineBreak,
    ListItem,
    OrderedList,
    Para,
    Str,
)

# The output scripts, as the language rules define them.
SCRIPTS = TARGETS
QUOTE_STYLES = ("keep", "mainland", "taiwan", "auto")


@dataclass(frozen=True)
class TransformOptions:
    """What the pipeline does between reading and writing.

    ``script``: the target script/region (hans, hant, tw, hk), None to keep
    the text as read.  ``phrases``: also rewrite vocabulary with OpenCC's
    phrase tables (s2twp, tw2sp); off by default because it makes mistakes.
    ``normalize_punctuation``: ASCII , : ; ? ! ( ) in Chinese text become
    full-width, small forms (﹔) normal ones, stray spaces between Chinese
    characters are cleaned up.  ``quotes``: keep, mainland (“”‘’), taiwan
    (「」『』) or auto (follows the script the document ends up in).
    ``fix_variants``: repair simplified leftovers in traditional text.
    """

    script: str | None = None
    phrases: bool = False
    normalize_punctuation: bool = True
    quotes: str = "auto"
    fix_variants: bool = False

    def __post_init__(self) -> None:
        if self.script is not None and self.script not in SCRIPTS:
            raise UsageError(f"unknown script {self.script!r} (choose from {', '.join(SCRIPTS)})")
        if self.quotes not in QUOTE_STYLES:
            raise UsageError(f"unknown quote style {self.quotes!r} (choose from {', '.join(QUOTE_STYLES)})")


def apply_transforms(doc: Document, options: TransformOptions) -> Document:
    from .chinese_script import convert_script
    from .punctuation import normalize_punctuation
    from .quotes import convert_quotes
    from .variants import fix_variants

    if options.normalize_punctuation:
        doc = normalize_punctuation(doc)
    if options.fix_variants:
        doc = fix_variants(doc)
    if options.script:
        doc = convert_script(doc, options.script, phrases=options.phrases)
    return convert_quotes(doc, options.quotes)


# ---------------------------------------------------------------- text units


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
    for n, parts in enumerate(_body_parts(doc.blocks), 1):
        yield TextUnit(f"paragraph {n}", "".join(_part_text(p) for p in parts), True)


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

    def paragraph(parts: list) -> Mapping[int, str]:
        text = "".join(_part_text(p) for p in parts)
        return _checked(rewrite, TextUnit(f"paragraph {next(counter)}", text, True))

    blocks = _rebuild_blocks(doc.blocks, paragraph)
    return replace(doc, meta=replace(doc.meta, **changes), blocks=blocks)


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


def _body_parts(blocks) -> Iterator[list]:
    """The parts of each body unit, in the order ``paragraph_texts`` counts them."""
    for b in blocks:
        if isinstance(b, (Heading, Para)):
            yield list(b.content)
        elif isinstance(b, OrderedList):
            for item in b.items:
                yield [item.marker, *item.lead, *item.content]
        elif isinstance(b, (BlockQuote, Div)):
            yield from _body_parts(b.blocks)
        else:
            raise TypeError(f"unknown block kind: {type(b).__name__}")


def _part_text(part) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, Str):
        return part.text
    if isinstance(part, LineBreak):
        return "\n"
    return "".join(_part_text(p) for p in part.content)


def _rebuild_blocks(blocks, paragraph: Callable[[list], Mapping[int, str]]):
    out = []
    for b in blocks:
        if isinstance(b, (Heading, Para)):
            changes = paragraph(list(b.content))
            if changes or type(b.content) is not tuple:
                b = replace(b, content=_rebuild_inlines(b.content, _Pieces(changes)))
        elif isinstance(b, OrderedList):
            items = []
            for item in b.items:
                changes = paragraph([item.marker, *item.lead, *item.content])
                if changes or type(item.lead) is not tuple or type(item.content) is not tuple:
                    pieces = _Pieces(changes)
                    item = ListItem(pieces.take(item.marker), _rebuild_inlines(item.lead, pieces),
                                    _rebuild_inlines(item.content, pieces))
                items.append(item)
            b = replace(b, items=tuple(items))
        elif isinstance(b, (BlockQuote, Div)):
            b = replace(b, blocks=_rebuild_blocks(b.blocks, paragraph))
        else:
            raise TypeError(f"unknown block kind: {type(b).__name__}")
        out.append(b)
    return tuple(out)


def _rebuild_inlines(inlines: tuple[Inline, ...], pieces: _Pieces) -> tuple[Inline, ...]:
    out: list[Inline] = []
    changed = False
    for node in inlines:
        if isinstance(node, Str):
            text = pieces.take(node.text)
            if text is not node.text and text != node.text:
                changed = True
                if text:
                    out.append(Str(text))
                continue
        elif isinstance(node, LineBreak):
            pieces.skip(1)  # a line break stays a line break
        else:
            content = _rebuild_inlines(node.content, pieces)
            if content is not node.content:
                changed = True
                node = replace(node, content=content)
        out.append(node)
    return inlines if not changed and type(inlines) is tuple else tuple(out)
