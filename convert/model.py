"""The document model every reader produces and every writer consumes.

Plain immutable data and pure functions only: no I/O, no imports of readers or
writers.  The tree is deliberately small (after pandoc's): a handful of block
and inline kinds plus two generic containers (`Div`, `Span`) that carry
attributes, so a reader can tag something without inventing a new node kind.

Serialisation lives beside the model: nodes encode as ``{"t": kind, "c": ...}``
and a document carries ``SCHEMA_VERSION``; decoding refuses any other version.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from itertools import chain
from typing import Any, get_args, get_origin, get_type_hints

from ._lazy_re import lazy
from .schema import SCHEMA_NAME, SCHEMA_VERSION, BadValue, check_document, is_language_tag, loads


@dataclass(frozen=True, slots=True)
class Attr:
    """Identifier, classes and key/value pairs, as on pandoc's Div and Span."""

    id: str = ""
    classes: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.pairs:
            if k == key:
                return v
        return default


# ---------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Str:
    """A run of text. Chinese text has no word spaces, so spaces stay inside."""

    text: str


@dataclass(frozen=True, slots=True)
class Strong:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Emph:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Span:
    content: tuple[Inline, ...]
    attr: Attr = Attr()


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


Inline = Str | Strong | Emph | Span | LineBreak

# ---------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Para:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class ListItem:
    """One numbered point.

    ``marker`` is the numbering as the source wrote it (``一要``, ``（三）``,
    ``2.``): Chinese news numbers its points in the text itself, so writers
    print the marker rather than generate numbers.  ``lead`` is the point's
    lead sentence (``進一步提高認識。``), empty when the point has none;
    ``content`` is the rest.  The item's text is marker + lead + content.
    """

    marker: str
    lead: tuple[Inline, ...]
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class OrderedList:
    items: tuple[ListItem, ...]
    style: str = ""  # the numbering family, e.g. "cjk-yao" for 一要/二要


@dataclass(frozen=True, slots=True)
class BlockQuote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Div:
    blocks: tuple[Block, ...]
    attr: Attr = Attr()


Block = Heading | Para | OrderedList | BlockQuote | Div

# ---------------------------------------------------------------- document


@dataclass(frozen=True, slots=True)
class Furniture:
    """Text the reader took out of the article: kept, never rendered, reported.

    ``kind`` says why (``share``, ``original-title``, ``caption``,
    ``source-note``, ``wire-code``, ``navigation``, ``copyright``, ...);
    ``line`` is the 1-based line of the input where it started (0 if unknown).
    """

    text: str
    kind: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Meta:
    title: str = ""
    subtitle: str | None = None
    site: str | None = None
    channel: str | None = None
    breadcrumb: str | None = None  # the site/column line exactly as written
    published: str | None = None  # "2017-06-25T14:35+08:00" or "2017-06-25"
    source: str | None = None
    byline: str | None = None
    # The text gave the byline a line of its own directly under the title
    # (an essay's or a column's author): writers keep it there rather than
    # close the text with it, as news does.
    byline_under_title: bool = False
    editors: tuple[str, ...] = ()
    language: str = "zh"  # BCP 47: zh-Hans-CN, zh-Hant, zh-Hant-TW, zh-Hant-HK
    script: str = ""  # "hans" or "hant": what the text is written in now
    identifier: str = ""  # urn:uuid derived from the content
    input_path: str | None = None
    encoding: str | None = None  # the codec the input was decoded with


# Metadata fields that hold reader-facing text (what a script conversion or a
# punctuation rule must also rewrite).
TEXT_META_FIELDS = ("title", "subtitle", "site", "channel", "breadcrumb", "source", "byline")


@dataclass(frozen=True, slots=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...] = ()
    furniture: tuple[Furniture, ...] = ()
    warnings: tuple[str, ...] = field(default=())


# Fields a user may set over what the reader found (pandoc's -M key=value).
OVERRIDABLE_META_FIELDS = ("title", "subtitle", "site", "channel", "breadcrumb", "published", "source", "byline",
                           "editors", "language")
_PUBLISHED = lazy(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2})?(Z|[+-]\d{2}:\d{2})?)?$")


def with_metadata(doc: Document, overrides: Mapping[str, str]) -> Document:
    """``doc`` with metadata fields set by the user.

    ``editors`` takes names separated by 、 or commas; ``published`` an ISO
    date or date and time (a time without an offset is taken as +08:00, as
    the reader's are); an empty value clears a field (not the title).  The
    identifier stays: it names the text, which the overrides do not change.
    Raises ValueError naming the field for an unknown field or a bad value.
    """
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        if key not in OVERRIDABLE_META_FIELDS:
            raise ValueError(f"unknown metadata field {key!r} (one of: {', '.join(OVERRIDABLE_META_FIELDS)})")
        value = value.strip()
        if key == "editors":
            changes[key] = tuple(n.strip() for n in re.split(r"[、,，]", value) if n.strip())
        elif key == "published":
            changes[key] = _published(value) if value else None
        elif key == "title" and not value:
            raise ValueError("metadata field 'title' cannot be empty")
        elif key == "language" and not is_language_tag(value):
            raise ValueError(f"metadata field 'language': {value!r} is not a language tag (zh-Hant-TW)")
        else:
            changes[key] = value or None
    return replace(doc, meta=replace(doc.meta, **changes)) if changes else doc


def _published(value: str) -> str:
    from datetime import datetime

    m = _PUBLISHED.match(value)
    if not m:
        raise ValueError(f"metadata field 'published': {value!r} is not a date (2017-06-25 or 2017-06-25T14:35)")
    y, mo, d, hh, mm, offset = m.groups()
    try:
        datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0))
    except ValueError:
        raise ValueError(f"metadata field 'published': {value!r} is not a real date or time") from None
    if hh is None:
        return f"{y}-{mo}-{d}"
    offset = "+00:00" if offset == "Z" else offset or "+08:00"
    return f"{y}-{mo}-{d}T{hh}:{mm}{offset}"


# ---------------------------------------------------------------- node kinds

# Every kind of node, read off the type unions above: a kind added to a union
# is known at once to every walker below and to the JSON form.
Node = Inline | Block | ListItem
INLINE_KINDS: tuple[type, ...] = get_args(Inline)
BLOCK_KINDS: tuple[type, ...] = get_args(Block)
NODE_KINDS: tuple[type, ...] = get_args(Node)


class UnknownNode(TypeError):
    """A node of a kind the model does not have.

    Every walker raises it rather than pass the node by, as docutils'
    visitors do: text in a node no walker knows would otherwise be left out
    of the output without a word.
    """

    def __init__(self, node: object):
        super().__init__(f"unknown node kind: {type(node).__name__}")


@dataclass(frozen=True, slots=True)
class _Shape:
    """What the walkers need to know of one kind, read off its field types."""

    children: tuple[tuple[str, tuple[type, ...]], ...]  # fields holding nodes, with the kinds each takes
    blocks_only: tuple[str, ...]  # those of them to go into when the walk stops at the units
    text: tuple[str, ...]  # a unit's text, field by field in order (str fields and inline fields)


def _shape_of(kind: type) -> _Shape:
    hints = get_type_hints(kind)
    children = []
    for f in fields(kind):
        hint = hints[f.name]
        if get_origin(hint) is tuple:
            element = get_args(hint)[0]
            kinds = get_args(element) or (element,)
            if all(k in NODE_KINDS for k in kinds):
                children.append((f.name, kinds))
    inline_fields = {name for name, kinds in children if kinds == INLINE_KINDS}
    # A unit (what a reader reads as one paragraph: a heading, a paragraph, a
    # list item) holds inlines and no other nodes; a str field of a unit is
    # text too (a list item's marker).
    is_unit = kind not in INLINE_KINDS and bool(children) and len(inline_fields) == len(children)
    text = tuple(f.name for f in fields(kind) if f.name in inline_fields or hints[f.name] is str) if is_unit else ()
    blocks_only = tuple(name for name, _ in children if name not in inline_fields)
    return _Shape(tuple(children), blocks_only, text)


_SHAPES: dict[type, _Shape] = {kind: _shape_of(kind) for kind in NODE_KINDS}
UNIT_KINDS: tuple[type, ...] = tuple(kind for kind, shape in _SHAPES.items() if shape.text)
_TEXT_FIELDS: dict[type, tuple[str, ...]] = {kind: _SHAPES[kind].text for kind in UNIT_KINDS}
# The fields each walk goes into, by kind: looked up once a node, as the
# walks below are what every reader, transform and writer runs.
_INTO_ALL: dict[type, tuple[str, ...]] = {k: tuple(name for name, _ in s.children) for k, s in _SHAPES.items()}
_INTO_BLOCKS: dict[type, tuple[str, ...]] = {k: s.blocks_only for k, s in _SHAPES.items()}


# ---------------------------------------------------------------- traversal
#
# One walk over the tree, in two forms every walker is written with:
# ``iter_nodes`` (pandoc's ``query``: every node, each before its children)
# and ``rebuild`` (pandoc's ``walk``: children first, then the node).  Both
# find a node's children in the shapes above and raise UnknownNode for a
# node of any other kind.


def iter_nodes(nodes: Iterable[Node], *, inlines: bool = True) -> Iterator[Node]:
    """Every node in document order, each before its children; with
    ``inlines=False`` the walk stops at the units and does not go into their
    inlines."""
    into = _INTO_ALL if inlines else _INTO_BLOCKS
    stack = [iter(nodes)]
    while stack:
        for node in stack[-1]:
            yield node
            try:
                names = into[type(node)]
            except KeyError:
                raise UnknownNode(node) from None
            if names:  # its children next, then on with the node's siblings
                stack.append(iter(getattr(node, names[0])) if len(names) == 1
                             else chain.from_iterable([getattr(node, name) for name in names]))
                break
        else:
            stack.pop()


def rebuild(nodes: tuple[Node, ...], fn: Callable[[Node], Node | None], *,
            inlines: bool = True) -> tuple[Node, ...]:
    """``nodes`` rebuilt bottom-up in document order: each node's children
    first, then ``fn`` on the node, which returns what stands in its place
    (the node itself to keep it, None to drop it).  A node whose children all
    came back as they were is kept as it is, so an unchanged tree is the same
    object; a list where a tuple belongs comes back a tuple."""
    return _rebuild(nodes, fn, _INTO_ALL if inlines else _INTO_BLOCKS)


def _rebuild(nodes: tuple[Node, ...], fn: Callable[[Node], Node | None],
             into: dict[type, tuple[str, ...]]) -> tuple[Node, ...]:
    out = []
    changed = type(nodes) is not tuple
    for node in nodes:
        try:
            names = into[type(node)]
        except KeyError:
            raise UnknownNode(node) from None
        new = node
        if names:
            changes = {}
            for name in names:
                old = getattr(node, name)
                children = _rebuild(old, fn, into)
                if children is not old:
                    changes[name] = children
            if changes:
                new = replace(node, **changes)
        result = fn(new)
        if result is not node:
            changed = True
        if result is not None:
            out.append(result)
    return tuple(out) if changed else nodes


def walk_blocks(
    blocks: tuple[Block, ...],
    inline_fn: Callable[[Inline], Inline] | None = None,
    block_fn: Callable[[Block], Block] | None = None,
) -> tuple[Block, ...]:
    """Rebuild ``blocks`` bottom-up in document order (pandoc's ``walk``).

    ``inline_fn`` sees every inline, and a list item's marker as a Str;
    ``block_fn`` every block after its children were rebuilt.  Both default
    to the identity.
    """

    def visit(node: Node) -> Node:
        if isinstance(node, INLINE_KINDS):
            return inline_fn(node) if inline_fn else node
        if isinstance(node, BLOCK_KINDS):
            node = block_fn(node) if block_fn else node
        elif inline_fn:
            changes = {name: inline_fn(Str(value)).text for name in text_fields(node)
                       if isinstance(value := getattr(node, name), str) and value}
            node = replace(node, **changes) if changes else node
        return node

    return rebuild(blocks, visit, inlines=inline_fn is not None)


def map_text(doc: Document, fn: Callable[[str], str], *, meta: bool = True) -> Document:
    """Apply ``fn`` to every piece of text: metadata first, then the body in order.

    Furniture is left as the reader found it: it is a record of the input.
    """
    new_meta = doc.meta
    if meta:
        changes: dict[str, Any] = {}
        for name in TEXT_META_FIELDS:
            value = getattr(doc.meta, name)
            if value:
                changes[name] = fn(value)
        changes["editors"] = tuple(fn(e) for e in doc.meta.editors)
        new_meta = replace(doc.meta, **changes)

    def on_inline(node: Inline) -> Inline:
        return Str(fn(node.text)) if isinstance(node, Str) else node

    return replace(doc, meta=new_meta, blocks=walk_blocks(doc.blocks, on_inline))


def iter_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block, containers before their children (pandoc's ``query``)."""
    for node in iter_nodes(blocks, inlines=False):
        if isinstance(node, BLOCK_KINDS):
            yield node


def iter_units(blocks: tuple[Block, ...]) -> Iterator[Heading | Para | ListItem]:
    """The body's units in reading order: every heading, paragraph and list
    item, each what a reader reads as one paragraph."""
    for node in iter_nodes(blocks, inlines=False):
        if isinstance(node, UNIT_KINDS):
            yield node


def inline_text(inlines: tuple[Inline, ...]) -> str:
    if len(inlines) == 1 and type(inlines[0]) is Str:
        return inlines[0].text  # most paragraphs are one run of text: no walk needed
    return "".join(map(_leaf_text, iter_nodes(inlines)))


def _leaf_text(node: Node) -> str:
    kind = type(node)
    if kind is Str:
        return node.text
    if kind is LineBreak:
        return "\n"
    if _INTO_ALL.get(kind):
        return ""  # a container's text is that of its children, which the walk reaches next
    raise UnknownNode(node)


def text_fields(unit: Heading | Para | ListItem) -> tuple[str, ...]:
    """The fields a unit's text is read from, in order: a list item's
    ``marker``, ``lead`` and ``content``; a heading's or a paragraph's
    ``content``."""
    names = _TEXT_FIELDS.get(type(unit))
    if names is None:
        if type(unit) in _SHAPES:
            raise TypeError(f"a {type(unit).__name__} is no unit: it holds no text of its own")
        raise UnknownNode(unit)
    return names


def unit_text(unit: Heading | Para | ListItem) -> str:
    """A unit's text as a reader reads it, its fields' texts in order.  A
    line break is "\\n"."""
    names = text_fields(unit)
    if len(names) == 1:
        return inline_text(getattr(unit, names[0]))
    return "".join([value if isinstance(value, str) else inline_text(value)
                    for value in [getattr(unit, name) for name in names]])


def item_text(item: ListItem) -> str:
    return unit_text(item)


def paragraph_texts(doc: Document) -> list[str]:
    """The body as a reader counts paragraphs: headings, paragraphs, list items."""
    return [unit_text(unit) for unit in iter_units(doc.blocks)]


def body_text(doc: Document) -> str:
    """All rendered body text joined by newlines (titles and metadata excluded)."""
    return "\n".join(paragraph_texts(doc))


# ---------------------------------------------------------------- JSON

_NODE_TYPES: dict[str, type] = {kind.__name__: kind for kind in NODE_KINDS}


class SchemaError(ValueError):
    """The JSON is not a document of this schema version."""


def _encode(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, Attr):
        return {"id": value.id, "classes": list(value.classes),
                "pairs": [list(p) for p in value.pairs]}
    if type(value).__name__ in _NODE_TYPES and type(value) is _NODE_TYPES[type(value).__name__]:
        return {"t": type(value).__name__,
                "c": {f.name: _encode(getattr(value, f.name)) for f in fields(value)}}
    return value


def _decode_node(data: Any) -> Any:
    if not isinstance(data, dict) or "t" not in data:
        raise SchemaError(f"expected a node, got {data!r:.60}")
    cls = _NODE_TYPES.get(data["t"])
    if cls is None:
        raise SchemaError(f"unknown node kind {data['t']!r}")
    children = {name for name, _ in _SHAPES[cls].children}
    kwargs = {}
    for f in fields(cls):
        raw = data.get("c", {}).get(f.name)
        if f.name in children:
            kwargs[f.name] = tuple(_decode_node(x) for x in raw or ())
        elif f.name == "attr":
            kwargs[f.name] = _decode_attr(raw)
        elif raw is not None:
            kwargs[f.name] = raw
    return cls(**kwargs)


def _decode_attr(raw: Any) -> Attr:
    if not raw:
        return Attr()
    return Attr(raw.get("id", ""), tuple(raw.get("classes", ())),
                tuple((str(k), str(v)) for k, v in raw.get("pairs", ())))


# Fields added to Meta after version 1 was published, written only when they
# say something: a document without them reads as before, by this version
# and by earlier ones.
_OPTIONAL_META = {"byline_under_title": False}


def to_dict(doc: Document) -> dict[str, Any]:
    meta = {f.name: _encode(getattr(doc.meta, f.name)) for f in fields(Meta)
            if not (f.name in _OPTIONAL_META and getattr(doc.meta, f.name) == _OPTIONAL_META[f.name])}
    return {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "meta": meta,
        "blocks": [_encode(b) for b in doc.blocks],
        "furniture": [{"text": f.text, "kind": f.kind, "line": f.line} for f in doc.furniture],
        "warnings": list(doc.warnings),
    }


def from_dict(data: dict[str, Any]) -> Document:
    """Decode a document; anything malformed is a SchemaError, never a crash later."""
    try:
        check_document(data)  # every value, named by its path when it is wrong
    except BadValue as exc:
        raise SchemaError(str(exc)) from None
    try:
        doc = _from_dict(data)
        _check_kinds(doc.blocks, BLOCK_KINDS)
        return doc
    except SchemaError:
        raise
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        raise SchemaError(f"malformed document: {type(exc).__name__}: {exc}") from None


def _check_kinds(nodes: tuple[Any, ...], allowed: tuple[type, ...]) -> None:
    for node in nodes:
        if not isinstance(node, allowed):
            raise SchemaError(f"a {type(node).__name__} cannot stand here")
        kinds = dict(_SHAPES[type(node)].children)
        for f in fields(node):
            value = getattr(node, f.name)
            if f.name in kinds:
                _check_kinds(value, kinds[f.name])
            elif f.name == "text" and not isinstance(value, str):
                raise SchemaError(f"{type(node).__name__}.text must be a string")
            elif f.name == "level" and not isinstance(value, int):
                raise SchemaError("Heading.level must be a number")


def _from_dict(data: dict[str, Any]) -> Document:
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_NAME:
        raise SchemaError("not a convert document")
    if data.get("version") != SCHEMA_VERSION:
        raise SchemaError(
            f"document schema version {data.get('version')!r} is not supported "
            f"(this version reads {SCHEMA_VERSION})")
    raw_meta = data.get("meta") or {}
    known = {f.name for f in fields(Meta)}
    unknown = set(raw_meta) - known
    if unknown:
        raise SchemaError(f"unknown metadata field(s): {', '.join(sorted(unknown))}")
    meta_kwargs = dict(raw_meta)
    meta_kwargs["editors"] = tuple(raw_meta.get("editors") or ())
    return Document(
        meta=Meta(**meta_kwargs),
        blocks=tuple(_decode_node(b) for b in data.get("blocks") or ()),
        furniture=tuple(Furniture(f["text"], f["kind"], int(f.get("line", 0)))
                        for f in data.get("furniture") or ()),
        warnings=tuple(data.get("warnings") or ()),
    )


def to_json(doc: Document, *, indent: int | None = 2) -> str:
    """``doc`` as versioned JSON text (what ``-t json`` writes, what
    ``from_json`` reads back); ``indent``: spaces a level (default 2; None:
    one line)."""
    import json

    return json.dumps(to_dict(doc), ensure_ascii=False, indent=indent, sort_keys=False)


def from_json(text: str) -> Document:
    """The Document ``to_json`` wrote; raises SchemaError (a ValueError) for
    ``text`` that is not such JSON, or of an unknown schema version."""
    import json

    try:
        data = loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(f"not JSON: {exc.msg} at line {exc.lineno}") from None
    except BadValue as exc:
        raise SchemaError(str(exc)) from None
    return from_dict(data)
