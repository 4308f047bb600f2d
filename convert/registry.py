"""Readers and writers found through entry points, loaded only when asked for.

Built-in formats are declared in our own ``pyproject.toml`` exactly as a third
party would declare theirs (groups ``convert.readers`` and ``convert.writers``),
so listing formats reads the entry points without importing any writer.

What a writer can do besides writing one document is asked of it here, not
known by its name: the options it takes (``writer_settings``, declared on
its ``Options`` class, see ``convert.writers.options``) and whether it binds
several documents into one book (``writers_that_bind``).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, reduce
from importlib import import_module
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, BinaryIO, ClassVar, Protocol

from .errors import UsageError
from .writers.options import Setting, make, settings

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from .model import Document

WRITER_GROUP = "convert.writers"
READER_GROUP = "convert.readers"


class Writer(Protocol):
    """What a writer module's class provides.

    ``write`` writes the whole document to a binary stream and returns the
    warnings it has for the user (characters no font covers, ...).

    A writer may also have ``check_options(options)``, which raises
    UsageError for options that cannot work (a reference document that
    cannot be read): the command line calls it with the options the user
    gave, before any input is read.  And ``load()``, which imports what
    ``write`` will need: the command line starts a page format's writer in
    a child process that loads it while the input is read.
    """

    name: ClassVar[str]
    extension: ClassVar[str]  # without the dot
    kind: ClassVar[str]  # "document" (docx, pdf, epub), "text" or "data"
    # A frozen dataclass; every field has a default, and may declare how the
    # command line sets it (convert.writers.options.option).
    Options: ClassVar[type]

    def write(self, doc: Document, out: BinaryIO, options: Any) -> tuple[str, ...]: ...


class BindingWriter(Writer, Protocol):
    """A writer that can also bind several documents into one book, a
    chapter each (``docconv batch --bundle``); it chooses their order."""

    def write_many(self, docs: Sequence[Document], out: BinaryIO, options: Any, *,
                   title: str = "") -> tuple[str, ...]: ...


class Reader(Protocol):
    """What a reader module's class provides.

    ``suffixes``: the file name endings it reads (``(".html", ".htm")``);
    ``sniff``: whether an input's first bytes (``SNIFF_BYTES`` of them) are
    of its kind, whatever the file's name.  A reader may also have
    ``explain(data, path=, encoding=) -> (Document, evidence)``.
    """

    name: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]

    def sniff(self, data: bytes) -> bool: ...

    def read(self, data: bytes, *, path: str | None = None, encoding: str | None = None) -> Document: ...


@dataclass(frozen=True)
class FormatInfo:
    name: str
    target: str  # "module:Class" as declared
    distribution: str | None


class _Distribution:
    """An installed package, found by its metadata folder."""

    def __init__(self, folder: str):
        self.folder = folder

    @cached_property
    def name(self) -> str | None:
        """Its name as its metadata gives it."""
        for file in ("METADATA", "PKG-INFO"):
            try:
                with open(os.path.join(self.folder, file), encoding="utf-8", errors="replace") as f:
                    for line in f:
                        if not line.strip():
                            break  # the end of the headers
                        key, sep, value = line.partition(":")
                        if sep and key.strip().lower() == "name":
                            return value.strip()
            except OSError:
                continue
        return None


class _EntryPoint:
    """An entry point as ``importlib.metadata`` gives it (name, value, group,
    dist, load), read by ``entry_points``."""

    def __init__(self, name: str, value: str, group: str, dist: _Distribution):
        self.name, self.value, self.group, self.dist = name, value, group, dist

    def load(self) -> Any:
        module, _, attributes = self.value.partition("[")[0].partition(":")
        return reduce(getattr, filter(None, attributes.strip().split(".")), import_module(module.strip()))


def _plain_search_path() -> bool:
    """Whether the installed packages are all folders on sys.path, found by
    the standard path finder alone: what ``entry_points`` reads directly."""
    from importlib.machinery import PathFinder

    if any(finder is not PathFinder and hasattr(finder, "find_distributions") for finder in sys.meta_path):
        return False
    return not any(os.path.isfile(entry or ".") for entry in sys.path)


def entry_points(group: str) -> list:
    """The entry points of ``group`` that ``importlib.metadata.entry_points``
    finds, read from the packages' ``entry_points.txt`` directly where every
    package is a folder on sys.path (importing importlib.metadata and
    building its view of every installed package took longer than the rest
    of a short conversion's start)."""
    if not _plain_search_path():
        from importlib.metadata import entry_points as declared

        return list(declared(group=group))
    return [ep for text, dist in _entry_point_files(tuple(sys.path)) for ep in _declared_in(text, group, dist)]


@cache
def _entry_point_files(path: tuple[str, ...]) -> list[tuple[str, _Distribution]]:
    """Each package's ``entry_points.txt`` on ``path``, read once for every
    group: a conversion asks for the readers and the writers."""
    found, seen = [], set()
    for entry in path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            stem, dot, kind = name.rpartition(".")
            if not dot or kind.lower() not in ("dist-info", "egg-info"):
                continue
            # One package a name, the first on the path, as importlib.metadata has it.
            package = re.sub(r"[-_.]+", "_", stem.partition("-")[0]).lower()
            folder = os.path.join(entry or ".", name)
            if package in seen:
                continue
            seen.add(package)
            try:
                with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as f:
                    text = f.read()
            except OSError:
                continue
            found.append((text, _Distribution(folder)))
    return found


def _declared_in(text: str, group: str, dist: _Distribution) -> list[_EntryPoint]:
    """The entry points of ``group`` in an ``entry_points.txt``."""
    found, section = [], None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group:
            name, sep, value = line.partition("=")
            if sep:
                found.append(_EntryPoint(name.strip(), value.strip(), group, dist))
    return found


@cache
def _entry_points(group: str) -> dict[str, EntryPoint]:
    """The group's entry points by name.  Two packages that declare one name
    for different classes are an error, whichever is asked for: taking the
    first found would depend on the order of sys.path."""
    found: dict[str, EntryPoint] = {}
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        other = found.setdefault(ep.name, ep)
        if other.value != ep.value:
            what = "output format" if group == WRITER_GROUP else "input format" if group == READER_GROUP else group
            raise UsageError(f"two packages declare the {what} {ep.name!r}: {_declared_by(other)} and "
                             f"{_declared_by(ep)}; uninstall one of them")
    return found


def _declared_by(ep: EntryPoint) -> str:
    return f"{ep.dist.name if ep.dist else 'an unknown package'} ({ep.value})"


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
        return ep.load()()
    except Exception as exc:  # a broken plugin must not take the others down
        raise UsageError(f"format {name!r} failed to load: {type(exc).__name__}: {exc}") from exc


def writer_settings(name: str) -> tuple[Setting, ...]:
    """The options writer ``name`` takes, as its Options class declares them."""
    return settings(get_writer(name).Options)


def writer_options(name: str, given: Any = None, *, texts: bool = False) -> Any:
    """Options for writer ``name``: ``given`` itself when it is an instance
    of the writer's Options, one made from it when it is a mapping of field
    values (``{"font_size": 12}``; ``texts``: all of them command-line
    text), the defaults for None.  A bad key or value is a UsageError."""
    writer = get_writer(name)
    if given is None:
        return writer.Options()
    if isinstance(given, writer.Options):
        return given
    if isinstance(given, Mapping):
        return make(writer.Options, given, texts=texts, what=name)
    raise TypeError(f"{name} options are a {writer.Options.__name__} or a mapping of its fields, "
                    f"not {type(given).__name__}")


def check_writer_options(name: str, options: Any) -> None:
    """UsageError now for options of writer ``name`` that cannot work (see
    ``Writer``), rather than for every input that is written with them."""
    check = getattr(get_writer(name), "check_options", None)
    if check is not None:
        check(options)


def binds(name: str) -> bool:
    """Whether writer ``name`` binds several documents into one book (``BindingWriter``)."""
    return callable(getattr(get_writer(name), "write_many", None))


def writers_that_bind() -> list[str]:
    """The writers that bind several documents into one book, by name; one
    that fails to load is passed over."""
    found = []
    for name in writer_names():
        try:
            if binds(name):
                found.append(name)
        except UsageError:
            continue
    return found


def reader_names() -> list[str]:
    return list(_entry_points(READER_GROUP))


@cache
def get_reader(name: str) -> Any:
    ep = _entry_points(READER_GROUP).get(name)
    if ep is None:
        raise UsageError(f"unknown input format {name!r} (known: {', '.join(reader_names())})")
    try:
        return ep.load()()
    except Exception as exc:  # a broken plugin must not take the others down
        raise UsageError(f"input format {name!r} failed to load: {type(exc).__name__}: {exc}") from exc


# Text has no signature: what no reader recognises, by its bytes or its
# name, is read as news text.
DEFAULT_READER = "news"
SNIFF_BYTES = 8192


def reader_for(name: str | None, data: bytes) -> str:
    """The reader of an input: one that recognises its bytes (a page saved
    as ``.txt`` is HTML; of several, one that also takes the file name's
    suffix), else one that takes the suffix, else the news-text reader.  A
    reader without ``sniff`` or ``suffixes`` (declared before they were
    asked for) claims nothing that way; one that fails to load is passed
    over."""
    suffix = PurePath(name).suffix.lower() if name else ""
    head = data[:SNIFF_BYTES]
    by_suffix, by_content = [], []
    for reader in reader_names():
        try:
            implementation = get_reader(reader)
        except UsageError:
            continue
        if suffix and suffix in getattr(implementation, "suffixes", ()):
            by_suffix.append(reader)
        sniff = getattr(implementation, "sniff", None)
        if sniff is not None and sniff(head):
            by_content.append(reader)
    both = [r for r in by_content if r in by_suffix]
    return (both or by_content or by_suffix or [DEFAULT_READER])[0]
