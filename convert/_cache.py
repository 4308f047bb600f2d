"""A per-user cache of what is slow to derive and the same on every run: the
index of a 14 MB font face takes a good part of a second to build and a few
milliseconds to read back.

Entries live in ``$DOCCONV_CACHE_DIR`` when it is set, else in the
platform's cache directory (``$XDG_CACHE_HOME/docconv``, by default
``~/.cache/docconv``; ``~/Library/Caches/docconv`` on macOS;
``%LOCALAPPDATA%\\docconv\\Cache`` on Windows); ``DOCCONV_CACHE_DIR=off``
keeps nothing.  Deleting the directory is always safe.

An entry is plain data (numbers, text, bytes, and lists, tuples, dicts and
sets of them), pickled; loading it builds no object of any other class, so
a file someone else put there can do no more than be wrong.  Each entry
holds the key it was made for: the caller's key names what it was derived
from (a font file's path, size and modification time, the versions of the
libraries that read it), and an entry made for another key, an unreadable
one or one of another layout is passed over and made again.  An entry is
written to a temporary file and renamed into place, so a reader sees a
whole entry or none, whatever runs beside it.
"""

from __future__ import annotations

import io
import os
import pickle
import sys
import zlib
from array import array
from collections.abc import Iterable
from pathlib import Path

from ._version import __version__

TYPE_CHECKING = False  # typing is not imported to run: see convert/__init__.py
if TYPE_CHECKING:
    from typing import Any

ENV = "DOCCONV_CACHE_DIR"
_OFF = "off"
# The layout of an entry; a new one leaves the old entries unread.
_FORMAT = 1
_MAGIC = b"docconv-cache\n"


def directory() -> Path | None:
    """Where the entries are kept; None when caching is off, or when there
    is nowhere to keep them (no home folder to be found)."""
    chosen = os.environ.get(ENV)
    if chosen:
        return None if chosen == _OFF else Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "docconv" / "Cache" if base else None
    base = os.environ.get("XDG_CACHE_HOME")
    if base and os.path.isabs(base) and sys.platform != "darwin":
        return Path(base) / "docconv"
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no HOME, and no password entry to find one (a container's user)
        return None
    return home / "Library" / "Caches" / "docconv" if sys.platform == "darwin" else home / ".cache" / "docconv"


def _full_key(kind: str, key: Any) -> str:
    return repr((_FORMAT, __version__, kind, key))


def digest(data: bytes) -> str:
    """A short fingerprint of ``data`` for a key or a file name: not a
    cryptographic hash (hashlib's would load OpenSSL into every run); an
    entry's own key says what it was made for."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def _path(kind: str, slot: str) -> Path | None:
    where = directory()
    if where is None:
        return None
    return where / f"{kind}-{digest(slot.encode('utf-8'))}.pickle"


class _PlainData(pickle.Unpickler):
    """Unpickles the built-in containers and scalars, and nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"a cache entry holds only plain data, not {module}.{name}")


def load(kind: str, key: Any, slot: Any = None, *, private: bool = False) -> Any | None:
    """The value stored for ``kind`` and ``key``; None when there is none
    (or it cannot be used: made for another key, unreadable, damaged).
    ``slot``: see ``store``.  ``private``: only an entry no one but this
    user could have written (see ``_written_by_this_user_alone``), for a
    value that must be trusted, not merely checked."""
    full_key = _full_key(kind, key)
    path = _path(kind, full_key if slot is None else repr(slot))
    if path is None:
        return None
    try:
        f = open(path, "rb")
    except OSError:
        return None
    # Unpickled from the file itself: an entry of megabytes is not copied first.
    with f:
        try:
            if private and not _written_by_this_user_alone(f.fileno(), path.parent):
                return None
            if f.read(len(_MAGIC)) != _MAGIC:
                return None
            stored_key, value = _PlainData(f).load()
        except Exception:  # a damaged or foreign entry: made again by the caller
            return None
    return value if stored_key == full_key else None


def _written_by_this_user_alone(fd: int, folder: Path) -> bool:
    """Whether the open entry and its folder belong to this user and neither
    is writable by a group or by others: then only this user (or the system's
    administrator) could have put the entry there, as with the bytecode
    Python itself keeps beside a module.  Never on a system without POSIX
    owners and modes."""
    try:
        return _this_user_s_alone(os.fstat(fd), os.stat(folder))
    except OSError:
        return False


def _this_user_s_alone(*found: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is not None and all(st.st_uid == getuid() and not st.st_mode & 0o022 for st in found)


def store(kind: str, key: Any, value: Any, slot: Any = None, *, private: bool = False) -> None:
    """Keep ``value`` for ``kind`` and ``key``.  A value that is not plain
    data is not kept, and a cache that cannot be written (read-only home,
    full disk) is passed over: either only costs the next run the time of
    making the value again.

    ``slot`` names the entry's file where it is not the key: what a key
    stands for (a font's path) keeps one entry, which a new key (the font
    rebuilt, the package upgraded) replaces, rather than one more.
    ``private``: an entry ``load`` will read only as private; not written
    where it could not be (a folder others may write to)."""
    full_key = _full_key(kind, key)
    path = _path(kind, full_key if slot is None else repr(slot))
    if path is None:
        return
    data = _MAGIC + pickle.dumps((full_key, value), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        _PlainData(io.BytesIO(memoryview(data)[len(_MAGIC):])).load()
    except pickle.UnpicklingError:
        return  # not plain data: it could not be read back
    import tempfile

    try:
        # The user's alone, whatever the umask: a folder a group may write
        # to is one whose entries are not trusted as private.
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if private and not _this_user_s_alone(os.stat(path.parent)):
            return
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def file_stamp(path: str) -> tuple[str, str] | None:
    """A file as a key knows it: its path and a digest of its content; None
    when it cannot be read."""
    try:
        with open(path, "rb") as f:
            return path, digest(f.read())
    except OSError:
        return None


def package_stamp(name: str) -> tuple[str, str] | None:
    """An installed package as a key knows it, found and not imported (an
    import can cost a run more than all the rest): ``file_stamp`` of its
    first file, which holds its version and which an install of another
    version rewrites; None when it is not installed."""
    from importlib.util import find_spec

    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        return None
    origin = getattr(spec, "origin", None)
    return file_stamp(origin) if isinstance(origin, str) else None


def pack_numbers(values: Iterable[int], typecode: str = "q") -> bytes | None:
    """Whole numbers as the bytes of an array of ``typecode`` (64-bit by
    default), which load some ten times faster than a pickle of the
    numbers; None when some value is not one, or does not fit."""
    values = list(values)
    if not all(type(v) is int for v in values):
        return None
    try:
        return array(typecode, values).tobytes()
    except OverflowError:
        return None


def unpack_numbers(data: bytes, typecode: str = "q") -> array:
    """The numbers ``pack_numbers`` packed as ``typecode`` (ValueError for
    bytes it did not make)."""
    if not isinstance(data, bytes):
        raise ValueError("packed numbers are bytes")
    numbers = array(typecode)
    numbers.frombytes(data)
    return numbers
