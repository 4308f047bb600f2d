"""The errors the library raises on purpose; each carries a one-line message."""

from __future__ import annotations

import errno
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # some inputs could not be converted
    USAGE = 2  # the command line or an input path is wrong
    # 128 + the signal's number, as a shell reports a process a signal ended,
    # so a script that runs docconv can tell a stop from a failure.
    INTERRUPTED = 130  # Ctrl-C (SIGINT)
    TERMINATED = 143  # SIGTERM


class ConvertError(Exception):
    """The base of every error the library raises on purpose: an input could
    not be read, an output not written, or the caller asked for something
    that cannot be done.

    Each subclass is also the standard exception it is (``UsageError`` a
    ``ValueError``, ``NotFoundError`` a ``FileNotFoundError``, ``WriteError``
    an ``OSError``), so code that knows nothing of this package catches them
    as it would Python's own.  The message is one line and names the cause;
    ``path`` names the file, and ``str()`` puts it first: ``a.txt: no such file``.
    """

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path

    def __str__(self) -> str:
        msg = self.args[0] if self.args else ""
        return f"{self.path}: {msg}" if self.path else str(msg)


class InputError(ConvertError, ValueError):
    """The input is unusable: empty, too large, not text, not a document."""


class UsageError(ConvertError, ValueError):
    """A wrong format name, script, option or path on the caller's side."""


class _SystemError(ConvertError, OSError):
    """An OSError that is also ours: ``filename`` and ``strerror`` set as
    Python's own would set them, ``str()`` still the one line."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message, path)
        self.strerror = message
        self.filename = path


class NotFoundError(_SystemError, UsageError, FileNotFoundError):
    """A file or folder the caller named does not exist."""

    def __init__(self, message: str = "no such file", path: str | None = None):
        super().__init__(message, path)
        self.errno = errno.ENOENT


class ReadError(_SystemError, InputError):
    """An input exists but the system would not let it be read (permissions, I/O)."""


class WriteError(_SystemError):
    """An output could not be written (a full disk, permissions, a read-only file)."""


class ChildError(Exception):
    """An error not raised on purpose in a process that wrote an output for
    this one, as it was there: ``kind`` the exception's class name."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


class Terminated(KeyboardInterrupt):
    """SIGTERM, taken as Ctrl-C is: stop handing out work, keep what is done."""


def one_line(exc: BaseException) -> str:
    """An error as one line: its message, or, for one not raised on purpose
    (a bug met on one input), ``internal error: KeyError: ...``, saying it is
    a fault of ours rather than of the input."""
    text = " ".join(str(exc).split())
    kind = exc.kind if isinstance(exc, ChildError) else type(exc).__name__
    return text if isinstance(exc, ConvertError) else f"internal error: {kind}: {text}"


def printable(text: str) -> str:
    """``text`` safe to print on one terminal line.

    File names may hold bytes that are not UTF-8 (kept by Python as lone
    surrogates, which no stream can encode) and control characters (a
    newline would split a one-line error; an escape sequence would drive the
    terminal).  Both are shown as bash's ``$'...'`` escapes (``\\xd0``,
    ``\\x1b``, ``\\u009b``), so a name can be pasted back into a shell.
    """
    if text.isprintable():
        return text
    return "".join(_escape(c) for c in text)


def _escape(c: str) -> str:
    o = ord(c)
    if 0xDC80 <= o <= 0xDCFF:  # a byte os.fsdecode could not decode
        return f"\\x{o - 0xDC00:02x}"
    if o < 0x20 or o == 0x7F:
        return f"\\x{o:02x}"
    if 0x80 <= o <= 0x9F or 0xD800 <= o <= 0xDFFF or o in (0x2028, 0x2029):
        return f"\\u{o:04x}"
    return c
