"""The methods ``dataclasses`` writes for each class, kept compiled across runs.

On Python 3.11 and 3.12, ``@dataclass`` writes the source of each method it
adds (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, the frozen
``__setattr__`` ...) and compiles it, one compile a method: the 35 classes a
conversion to text defines cost 192 compiles, about an eighth of the run.
What is compiled is the same text on every run, so docconv's own process
keeps the code in the per-user cache (``_cache``), as Python keeps a
module's bytecode, and a later run loads it instead of compiling again.

It works by giving ``dataclasses`` a module-level ``exec`` that runs the
code compiled from the source it is handed, exactly as the built-in's
compile of that source gives it (the same file name and flags: tests/
test_kept_code.py).  Only where docconv is the program (``console.main``),
never where the package is imported as a library; only on CPython
3.11-3.13, keyed by the exact Python (the code's format is its own); only
from an entry this user alone could have written, each checked against
damage (bad code could crash the interpreter).
"""

import marshal
import sys

from . import _cache

# The Python the code is for: its version and build, and the bytecode's own
# version number (which a build of the same version string may change).
_PYTHON: tuple | None = None
if sys.implementation.name == "cpython" and sys.version_info[:2] in ((3, 11), (3, 12), (3, 13)):
    try:
        from _frozen_importlib_external import MAGIC_NUMBER

        _PYTHON = (sys.implementation.name, sys.version, MAGIC_NUMBER)
    except ImportError:  # pragma: no cover - a CPython without its frozen import system
        pass

_CACHE_KIND = "dataclass-code"
# Past this many kept sources (each version of a class adds its own), the
# entry starts again from what one run made.
_MOST_KEPT = 2000

# source -> (the marshalled code, its check): from the cache, and made here.
_kept: dict | None = None
_made: dict = {}


def keep_dataclass_code() -> None:
    """From now on in this process, dataclasses' methods are compiled once
    and kept."""
    if _PYTHON is None:
        return
    import dataclasses

    if "exec" not in vars(dataclasses):
        dataclasses.exec = _exec  # type: ignore[attr-defined]


def _exec(source, globals, locals=None, /):  # noqa: A002 - the built-in's own parameters
    """``exec`` as dataclasses calls it on these Pythons: the source of a
    function and the namespace of the class's module, always given."""
    if not isinstance(globals, dict):  # run here, it would run in this module's namespace
        raise TypeError("exec for dataclasses takes the namespace to run in")
    return exec(code_for(source) if isinstance(source, str) else source, globals, locals)


def code_for(source: str):
    """What ``exec(source)`` compiles ``source`` to when dataclasses calls
    it, from the cache where an earlier run kept it."""
    global _kept
    if _kept is None:
        _kept = _load()
    entry = _kept.get(source) or _made.get(source)
    if entry is not None:
        data, check = entry
        if check == _check(source, data):
            try:
                return marshal.loads(data)
            except Exception:  # not this Python's code: compiled again
                pass
    # dont_inherit: as exec compiles it for dataclasses, whose module has no
    # __future__ imports, and not with this one's.
    code = compile(source, "<string>", "exec", dont_inherit=True)
    if not _made:
        from . import _process

        _process.on_exit(save_made)
    data = marshal.dumps(code)
    _made[source] = (data, _check(source, data))
    return code


def _check(source: str, data: bytes) -> str:
    """A fingerprint of the code kept for ``source`` (against damage, not
    against someone who could write the cache: ``_load`` reads only this
    user's own entries)."""
    return _cache.digest(source.encode("utf-8", "surrogatepass") + b"\0" + data)


def _load() -> dict:
    kept = _cache.load(_CACHE_KIND, _PYTHON, slot=_PYTHON, private=True)
    return kept if isinstance(kept, dict) else {}


def save_made() -> None:
    """Keep what this process compiled, beside what was kept."""
    if _PYTHON is None or not _made:
        return
    kept = _load()
    if len(kept) + len(_made) > _MOST_KEPT:
        kept = {}
    kept.update(_made)
    _cache.store(_CACHE_KIND, _PYTHON, kept, slot=_PYTHON, private=True)
    _made.clear()
