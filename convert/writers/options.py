"""How a writer declares its options, and how the text of a command line
becomes them.

A writer's ``Options`` is a frozen dataclass whose every field has a default.
Each field says how the command line reaches it in its own metadata, as
docutils' ``settings_spec`` lets a component declare its settings, so that
the command line knows no writer by name and a writer from another package
gets its options the same way ours do::

    from dataclasses import dataclass
    from convert.writers.options import option

    @dataclass(frozen=True)
    class MyOptions:
        width: int = option(72, metavar="N", help="characters a line")
        plain: bool = option(False, flag="--plain", switch=True, help="no markup")

Every field can be set as ``-O FORMAT.KEY=VALUE``; ``flag`` gives it a flag
of its own, which takes a value (shown as ``metavar``) or, for a ``switch``,
none and sets the field to the switch's value.  The text is read by
``parse`` when the field has one, else by the field's type: bool, int,
float, str, a Literal of choices, or one of them or None.  A field declared
without ``option()`` is still reachable by ``-O`` and read by its type.

Only the standard library is imported here: a writer's package imports this
module at its top and must stay light.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError

# The key of a field's metadata that holds its declaration.
METADATA_KEY = "convert.option"

_NO_SWITCH = object()


@dataclass(frozen=True)
class Declaration:
    """What ``option()`` records on a field."""

    help: str = ""
    flags: tuple[str, ...] = ()  # the field's own command-line flags, the first its name
    metavar: str | None = None
    parse: Callable[[str], Any] | None = None  # text -> value; ValueError with the reason
    switch: Any = _NO_SWITCH  # the value a flag that takes no value sets
    flag_help: str | None = None  # help for the flag, where it says more than ``help``

    @property
    def is_switch(self) -> bool:
        return self.switch is not _NO_SWITCH


def option(default: Any, *, help: str = "", flag: str | tuple[str, ...] = (), metavar: str | None = None,
           parse: Callable[[str], Any] | None = None, switch: Any = _NO_SWITCH,
           flag_help: str | None = None) -> Any:
    """A dataclass field with ``default`` and its command-line declaration."""
    flags = (flag,) if isinstance(flag, str) else tuple(flag)
    for name in flags:
        if not name.startswith("--") or len(name) < 3 or any(c.isspace() or c == "=" for c in name):
            raise ValueError(f"an option's flag is --name, not {name!r}")
    if switch is not _NO_SWITCH and not flags:
        raise ValueError("a switch needs a flag")
    declaration = Declaration(help, flags, metavar, parse, switch, flag_help)
    return dataclasses.field(default=default, metadata={METADATA_KEY: declaration})


def path(text: str) -> str:
    """A file's path, as ``pathlib`` writes it (``./a.docx`` is ``a.docx``)."""
    if not text:
        raise ValueError("takes a file name")
    return str(Path(text))


@dataclass(frozen=True)
class Setting:
    """One field of a writer's Options as the command line sees it."""

    key: str
    type: Any
    default: Any
    declaration: Declaration

    @property
    def help(self) -> str:
        return self.declaration.help

    @property
    def flags(self) -> tuple[str, ...]:
        return self.declaration.flags

    @property
    def metavar(self) -> str:
        return self.declaration.metavar or _metavar(self.type)

    def read(self, text: str) -> Any:
        """The value ``text`` stands for; ValueError saying what it takes."""
        if self.declaration.parse is not None:
            return self.declaration.parse(text)
        return _read(self.type, text)

    def takes_text(self) -> bool:
        """Whether a str is a value of this field as it is (not text to read)."""
        return _takes_text(self.type)


def settings(options_class: type) -> tuple[Setting, ...]:
    """The settings of a writer's Options class, in the order of its fields."""
    if not dataclasses.is_dataclass(options_class):
        raise TypeError(f"a writer's Options must be a dataclass, not {options_class!r}")
    try:
        hints = typing.get_type_hints(options_class)
    except Exception:  # an annotation that does not resolve: the defaults tell the types
        hints = {}
    found = []
    for f in dataclasses.fields(options_class):
        if not f.init:
            continue
        default = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else None)
        kind = hints.get(f.name, type(default) if default is not None else str)
        declaration = f.metadata.get(METADATA_KEY, Declaration())
        found.append(Setting(f.name, kind, default, declaration))
    return tuple(found)


def make(options_class: type, values: Mapping[str, Any], *, texts: bool = False, what: str = "") -> Any:
    """An instance of ``options_class`` with ``values`` over its defaults.

    ``texts``: every value is command-line text, read as its field reads
    text.  Otherwise values are taken as given, but for text where the field
    holds no text (``"false"`` for a bool), which is read as the command line
    reads it.  A key the class lacks, a value it cannot read, or one its
    checks refuse is a UsageError; ``what`` names the format in it."""
    by_key = {s.key: s for s in settings(options_class)}
    prefix = f"{what}." if what else ""
    chosen = {}
    for key, value in values.items():
        setting = by_key.get(key)
        if setting is None:
            known = ", ".join(by_key) or "none"
            raise UsageError(f"{what or 'the writer'} has no option {key!r} (its options: {known})")
        if isinstance(value, str) and (texts or not setting.takes_text()):
            try:
                value = setting.read(value)
            except ValueError as exc:
                raise UsageError(f"{prefix}{key} {exc}") from None
        chosen[key] = value
    try:
        return options_class(**chosen)
    except UsageError:
        raise
    except (TypeError, ValueError) as exc:
        raise UsageError(f"{what or 'writer'} options: {' '.join(str(exc).split())}") from None


# ------------------------------------------------------------------ reading by type

_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")
_NONE = ("none", "null")


def _parts(kind: Any) -> tuple[Any, bool]:
    """(the type without None, whether None is allowed)."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        optional = len(args) < len(typing.get_args(kind))
        return (args[0] if len(args) == 1 else kind), optional  # several types: none is read from text
    return kind, False


def _takes_text(kind: Any) -> bool:
    inner, _ = _parts(kind)
    if typing.get_origin(inner) is typing.Literal:
        return all(isinstance(a, str) for a in typing.get_args(inner))
    return inner in (str, Path) or inner is Any


def _read(kind: Any, text: str) -> Any:
    inner, optional = _parts(kind)
    if optional and (text == "" or (inner is not str and text.strip().lower() in _NONE)):
        return None
    if typing.get_origin(inner) is typing.Literal:
        choices = typing.get_args(inner)
        for choice in choices:
            if text == str(choice):
                return choice
        raise ValueError(f"takes {'|'.join(map(str, choices))}, not {text!r}")
    if inner is bool:
        word = text.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise ValueError(f"takes true or false, not {text!r}")
    if inner is int:
        try:
            return int(text.strip())
        except ValueError:
            raise ValueError(f"takes a whole number, not {text!r}") from None
    if inner is float:
        try:
            return float(text.strip())
        except ValueError:
            raise ValueError(f"takes a number, not {text!r}") from None
    if inner is str or inner is Any:
        return text
    if inner is Path:
        return Path(text)
    raise ValueError(f"cannot be set from the command line (its type is {inner!r}; the writer declares no parse)")


def _metavar(kind: Any) -> str:
    inner, optional = _parts(kind)
    if typing.get_origin(inner) is typing.Literal:
        name = "|".join(map(str, typing.get_args(inner)))
    else:
        name = {bool: "true|false", int: "N", float: "NUMBER", str: "TEXT", Path: "FILE"}.get(inner, "VALUE")
    return f"{name}|none" if optional and inner not in (str, Path) else name
