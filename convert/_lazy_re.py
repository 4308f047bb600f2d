"""Regular expressions compiled on first use.

The news reader and the transforms hold some hundred module-level patterns,
many of them long alternations of CJK words; compiling them all at import was
a large share of converting one file, and one input uses fewer than half.
``lazy(pattern, flags)`` stands for ``re.compile(pattern, flags)`` and
compiles it the first time it is used, once per process; it matches exactly
as the compiled pattern does (it is the same pattern, compiled by ``re``).

What ``re`` makes of a pattern, the program its engine runs, is also kept
across runs in the per-user cache (``_cache``), keyed by the Python that
made it: a later run hands it to the engine as ``re`` itself does, and the
pattern is the one ``re.compile`` gives (tests/test_cache.py).  Compiling
the patterns one conversion uses took an eighth of converting one file to
text.  Only on CPython 3.11-3.13, whose compiler this follows, and only from
an entry this user alone could have written, each entry checked against
damage (the engine would crash on bad code); anything else, ``re.compile``.

``lazy(pattern, opens="…")`` also names the characters every match of the
pattern opens with: ``match`` and ``fullmatch`` of a whole string that opens
with none of them answer None without compiling (most lines tried against
a header pattern such as ``^(?:标题|標題)…`` are not such lines)."""

from __future__ import annotations

import re
import sys
from typing import Any

# CPython's regular expression engine, to which re hands what it compiles;
# the versions whose compiler and engine entry this was checked against.
_ENGINE: tuple | None = None
if sys.implementation.name == "cpython" and sys.version_info[:2] in ((3, 11), (3, 12), (3, 13)):
    try:
        import _sre
        from re import _compiler as _re_compiler
        from re import _parser as _re_parser

        _ENGINE = (sys.implementation.name, sys.version, _sre.MAGIC, _sre.CODESIZE)
    except ImportError:  # pragma: no cover - a build without them
        pass

# (pattern, flags) -> the engine's arguments and their check: from the
# cache, and made here.
_kept: dict[tuple[str, int], tuple] | None = None
_made: dict[tuple[str, int], tuple] = {}
_CACHE_KIND = "regex-code"


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the engine's code kept by an
    earlier run where there is one."""
    global _kept
    if _ENGINE is None:
        return re.compile(pattern, flags)
    if _kept is None:
        _kept = _load()
    key = (pattern, int(flags))
    entry = _kept.get(key) or _made.get(key)
    if entry is not None:
        *arguments, check = entry
        try:
            # The engine checks the code it is given only in part: code
            # damaged on disk could crash it, so each entry carries a check.
            if check == _check(pattern, arguments):
                return _sre.compile(pattern, *arguments)
        except Exception:  # not what this engine takes: compiled again
            pass
    try:
        arguments = _engine_arguments(pattern, int(flags))
        compiled = _sre.compile(pattern, *arguments)
        check = _check(pattern, arguments)
    except Exception:  # re raises its own error for a bad pattern
        return re.compile(pattern, flags)
    if not _made:
        from . import _process

        _process.on_exit(save_compiled)
    _made[key] = (*arguments, check)
    return compiled


def _engine_arguments(pattern: str, flags: int) -> tuple:
    """What ``re._compiler.compile`` hands the engine for ``pattern``, as
    plain data (re's opcodes are named ints)."""
    parsed = _re_parser.parse(pattern, flags)
    code = [int(op) for op in _re_compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def _check(pattern: str, arguments) -> str:
    """A fingerprint of a pattern's engine arguments (against damage, not
    against someone who could write the cache: ``_load`` reads only this
    user's own entries)."""
    from array import array

    from ._cache import digest

    final_flags, code, groups, groupindex, indexgroup = arguments
    described = repr((pattern, final_flags, groups, sorted(groupindex.items()), indexgroup)).encode("utf-8")
    return digest(described + array("I", code).tobytes())


def _load() -> dict[tuple[str, int], tuple]:
    from . import _cache

    kept = _cache.load(_CACHE_KIND, _ENGINE, slot=_ENGINE, private=True)
    return kept if isinstance(kept, dict) else {}


def save_compiled() -> None:
    """Keep what this process compiled, beside what was kept (another run's
    additions meanwhile may be lost: a later run makes them again)."""
    if _ENGINE is None or not _made:
        return
    from . import _cache

    kept = _load()
    kept.update(_made)
    _cache.store(_CACHE_KIND, _ENGINE, kept, slot=_ENGINE, private=True)
    _made.clear()


class LazyPattern:
    """A compiled pattern's methods, compiling it on the first call.
    ``pattern`` is at hand without compiling (patterns are built from others'
    text)."""

    __slots__ = ("pattern", "_flags", "_compiled", "opens")

    def __init__(self, pattern: str, flags: int = 0, opens: str | None = None) -> None:
        self.pattern, self._flags, self._compiled, self.opens = pattern, flags, None, opens

    def _cannot_open(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        """Whether ``match(*args)`` or ``fullmatch(*args)`` is None by
        ``opens`` alone: a whole string (no ``pos``) not opening with one of
        them.  The empty string is left to the pattern."""
        return len(args) == 1 and not kwargs and args[0][:1] not in self.opens

    def compiled(self) -> re.Pattern[str]:
        c = self._compiled
        if c is None:
            c = self._compiled = compile_pattern(self.pattern, self._flags)
        return c

    def search(self, *args: Any, **kwargs: Any) -> re.Match[str] | None:
        return (self._compiled or self.compiled()).search(*args, **kwargs)

    def match(self, *args: Any, **kwargs: Any) -> re.Match[str] | None:
        if self.opens is not None and self._cannot_open(args, kwargs):
            return None
        return (self._compiled or self.compiled()).match(*args, **kwargs)

    def fullmatch(self, *args: Any, **kwargs: Any) -> re.Match[str] | None:
        if self.opens is not None and self._cannot_open(args, kwargs):
            return None
        return (self._compiled or self.compiled()).fullmatch(*args, **kwargs)

    def finditer(self, *args: Any, **kwargs: Any):
        return (self._compiled or self.compiled()).finditer(*args, **kwargs)

    def findall(self, *args: Any, **kwargs: Any) -> list[Any]:
        return (self._compiled or self.compiled()).findall(*args, **kwargs)

    def sub(self, *args: Any, **kwargs: Any) -> str:
        return (self._compiled or self.compiled()).sub(*args, **kwargs)

    def subn(self, *args: Any, **kwargs: Any) -> tuple[str, int]:
        return (self._compiled or self.compiled()).subn(*args, **kwargs)

    def split(self, *args: Any, **kwargs: Any) -> list[Any]:
        return (self._compiled or self.compiled()).split(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:  # flags, groups, groupindex, scanner
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r})"


def lazy(pattern: str, flags: int = 0, *, opens: str | None = None) -> Any:
    """``re.compile(pattern, flags)``, compiled when first used (typed as a
    Pattern for the code that uses it); ``opens``: see the module's doc."""
    return LazyPattern(pattern, flags, opens)
