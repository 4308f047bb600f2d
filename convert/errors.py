"""The errors the library raises on purpose; each carries a one-line message."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # some inputs could not be converted
    USAGE = 2  # the command line or an input path is wrong


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
