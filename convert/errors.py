"""The errors the library raises on purpose; each carries a one-line message."""

from __future__ import annotations

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
    """An input could not be read or an output not written.

    The message is one line and names the cause; ``path`` names the file.
    """

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path

    def __str__(self) -> str:
        msg = super().__str__()
        return f"{self.path}: {msg}" if self.path else msg


class InputError(ConvertError):
    """The input is missing, unreadable or not text."""


class UsageError(ConvertError):
    """A wrong format name, script, option or path on the caller's side."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, taken as Ctrl-C is: stop handing out work, keep what is done."""


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
