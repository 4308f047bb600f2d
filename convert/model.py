"""The document model every reader produces and every writer consumes.

Plain immutable data and pure functions only: no I/O, no imports of readers or
writers.  The tree is deliberately small (after pandoc's): a handful of block
and inline kinds plus two generic containers (`Div`, `Span`) that carry
attributes, so a reader can tag something without inventing a new node kind.

Serialisation lives beside the model: nodes encode as ``{"t": kind, "c": ...}``
and a document carries ``SCHEMA_VERSION``; decoding refuses any other version.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

SCHEMA_VERSION = 1


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
_PUBLISHED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2})?(Z|[+-]\d{2}:\d{2})?)?$")


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
        elif key == "language" and not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", value):
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


# ---------------------------------------------------------------- traversal

_INLINE_CONTAINERS = (Strong, Emph, Span)


def walk_inlines(
    inlines: tuple[Inline, ...], fn: Callable[[Inline], Inline]
) -> tuple[Inline, ...]:
    """Rebuild ``inlines`` bottom-up, applying ``fn`` to every node in order."""
    out = []
    for node in inlines:
        if isinstance(node, _INLINE_CONTAINERS):
            node = replace(node, content=walk_inlines(node.content, fn))
        out.append(fn(node))
    return tuple(out)


def walk_blocks(
    blocks: tuple[Block, ...],
    inline_fn: Callable[[Inline], Inline] | None = None,
    block_fn: Callable[[Block], Block] | None = None,
) -> tuple[Block, ...]:
    """Rebuild ``blocks`` bottom-up in document order (pandoc's ``walk``).

    ``inline_fn`` sees every inline, ``block_fn`` every block after its
    children were rebuilt.  Both default to the identity.
    """

    def inl(xs: tuple[Inline, ...]) -> tuple[Inline, ...]:
        return walk_inlines(xs, inline_fn) if inline_fn else xs

    out = []
    for b in blocks:
        if isinstance(b, (Heading, Para)):
            b = replace(b, content=inl(b.content))
        elif isinstance(b, OrderedList):
            b = replace(
                b,
                items=tuple(
                    ListItem(
                        inline_fn(Str(it.marker)).text if inline_fn and it.marker else it.marker,
                        inl(it.lead),
                        inl(it.content),
                    )
                    for it in b.items
                ),
            )
        elif isinstance(b, (BlockQuote, Div)):
            b = replace(b, blocks=walk_blocks(b.blocks, inline_fn, block_fn))
        else:
            raise TypeError(f"unknown block kind: {type(b).__name__}")
        out.append(block_fn(b) if block_fn else b)
    return tuple(out)


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
    for b in blocks:
        yield b
        if isinstance(b, (BlockQuote, Div)):
            yield from iter_blocks(b.blocks)


def inline_text(inlines: tuple[Inline, ...]) -> str:
    parts = []
    for node in inlines:
        if isinstance(node, Str):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append("\n")
        else:
            parts.append(inline_text(node.content))
    return "".join(parts)


def item_text(item: ListItem) -> str:
    return item.marker + inline_text(item.lead) + inline_text(item.content)


def paragraph_texts(doc: Document) -> list[str]:
    """The body as a reader counts paragraphs: headings, paragraphs, list items."""
    out: list[str] = []
    for b in iter_blocks(doc.blocks):
        if isinstance(b, (Heading, Para)):
            out.append(inline_text(b.content))
        elif isinstance(b, OrderedList):
            out.extend(item_text(it) for it in b.items)
    return out


def body_text(doc: Document) -> str:
    """All rendered body text joined by newlines (titles and metadata excluded)."""
    return "\n".join(paragraph_texts(doc))


# ---------------------------------------------------------------- JSON

_NODE_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (Str, Strong, Emph, Span, LineBreak, Heading, Para, ListItem,
                OrderedList, BlockQuote, Div)
}


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
    kwargs = {}
    for f in fields(cls):
        raw = data.get("c", {}).get(f.name)
        if f.name in ("content", "lead", "items", "blocks"):
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
        "schema": "convert.document",
        "version": SCHEMA_VERSION,
        "meta": meta,
        "blocks": [_encode(b) for b in doc.blocks],
        "furniture": [{"text": f.text, "kind": f.kind, "line": f.line} for f in doc.furniture],
        "warnings": list(doc.warnings),
    }


_BLOCK_TYPES = (Heading, Para, OrderedList, BlockQuote, Div)
_INLINE_TYPES = (Str, Strong, Emph, Span, LineBreak)
_FIELD_KINDS = {"blocks": _BLOCK_TYPES, "content": _INLINE_TYPES, "lead": _INLINE_TYPES, "items": (ListItem,)}


def from_dict(data: dict[str, Any]) -> Document:
    """Decode a document; anything malformed is a SchemaError, never a crash later."""
    from .schema import BadValue, check_document

    try:
        check_document(data)  # every value, named by its path when it is wrong
    except BadValue as exc:
        raise SchemaError(str(exc)) from None
    try:
        doc = _from_dict(data)
        _check_kinds(doc.blocks, _BLOCK_TYPES)
        return doc
    except SchemaError:
        raise
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        raise SchemaError(f"malformed document: {type(exc).__name__}: {exc}") from None


def _check_kinds(nodes: tuple[Any, ...], allowed: tuple[type, ...]) -> None:
    for node in nodes:
        if not isinstance(node, allowed):
            raise SchemaError(f"a {type(node).__name__} cannot stand here")
        for f in fields(node):
            value = getattr(node, f.name)
            if f.name in _FIELD_KINDS:
                _check_kinds(value, _FIELD_KINDS[f.name])
            elif f.name == "text" and not isinstance(value, str):
                raise SchemaError(f"{type(node).__name__}.text must be a string")
            elif f.name == "level" and not isinstance(value, int):
                raise SchemaError("Heading.level must be a number")


def _from_dict(data: dict[str, Any]) -> Document:
    if not isinstance(data, dict) or data.get("schema") != "convert.document":
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
    return json.dumps(to_dict(doc), ensure_ascii=False, indent=indent, sort_keys=False)


def from_json(text: str) -> Document:
    from .schema import BadValue, loads

    try:
        data = loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(f"not JSON: {exc.msg} at line {exc.lineno}") from None
    except BadValue as exc:
        raise SchemaError(str(exc)) from None
    return from_dict(data)
