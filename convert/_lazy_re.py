"""Regular expressions compiled on first use.

The news reader and the transforms hold some hundred module-level patterns,
many of them long alternations of CJK words; compiling them all at import was
a large share of converting one file, and one input uses fewer than half.
``lazy(pattern, flags)`` stands for ``re.compile(pattern, flags)`` and
compiles it the first time it is used, once per process; it matches exactly
as the compiled pattern does (it is the same pattern, compiled by ``re``).

``lazy(pattern, opens="…")`` also names the characters every match of the
pattern opens with: ``match`` and ``fullmatch`` of a whole string that opens
with none of them answer None without compiling (most lines tried against
a header pattern such as ``^(?:标题|標題)…`` are not such lines)."""

from __future__ import annotations

import re
from typing import Any


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
            c = self._compiled = re.compile(self.pattern, self._flags)
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
