"""Readers and writers found through entry points, loaded only when asked for.

Built-in formats are declared in our own ``pyproject.toml`` exactly as a third
party would declare theirs (groups ``convert.readers`` and ``convert.writers``),
so listing formats reads the entry points without importing any writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any, BinaryIO, ClassVar, Protocol

from .errors import UsageError
from .model import Document

WRITER_GROUP = "convert.writers"
READER_GROUP = "convert.readers"


class Writer(Protocol):
    """What a writer module's class provides.

    ``write`` writes the whole document to a binary stream and returns the
    warnings it has for the user (characters no font covers, ...).
    """

    name: ClassVar[str]
    extension: ClassVar[str]  # without the dot
    kind: ClassVar[str]  # "document" (docx, pdf, epub), "text" or "data"
    Options: ClassVar[type]  # a frozen dataclass; every field has a default

    def write(self, doc: Document, out: BinaryIO, options: Any) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class FormatInfo:
    name: str
    target: str  # "module:Class" as declared
    distribution: str | None


@cache
def _entry_points(group: str) -> dict[str, EntryPoint]:
    found: dict[str, EntryPoint] = {}
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        found.setdefault(ep.name, ep)
    return found


def available_writers() -> list[FormatInfo]:
    return [
        FormatInfo(name, ep.value, ep.dist.name if ep.dist else None)
        for name, ep in _entry_points(WRITER_GROUP).items()
    ]


def writer_names() -> list[str]:
    return list(_entry_points(WRITER_GROUP))


@cache
def get_writer(name: str) -> Writer:
    ep = _entry_points(WRITER_GROUP).get(name)
    if ep is None:
        known = ", ".join(writer_names()) or "none"
        raise UsageError(f"unknown format {name!r} (known: {known})")
    try:
        cls = ep.load()
    except Exception as exc:  # a broken plugin must not take the others down
        raise UsageError(f"format {name!r} failed to load: {type(exc).__name__}: {exc}") from exc
    return cls()


def reader_names() -> list[str]:
    return list(_entry_points(READER_GROUP))


@cache
def get_reader(name: str) -> Any:
    ep = _entry_points(READER_GROUP).get(name)
    if ep is None:
        raise UsageError(f"unknown input format {name!r} (known: {', '.join(reader_names())})")
    return ep.load()()
