"""How a docconv process takes SIGTERM and ends: light enough for the entry
point's quickest paths (``docconv --help``), which import nothing else."""

import atexit
import os
import sys

try:  # the signal module's C half: the module makes enums of every signal (3 ms)
    import _signal as signal
except ImportError:  # pragma: no cover - another Python
    import signal  # type: ignore[no-redef]

from .errors import ExitCode, Terminated

_on_exit: list = []


def on_exit(function) -> None:
    """Call ``function`` when the process ends: at ``finish``, which ends it
    without the interpreter's exit handlers (once its output is flushed),
    or at a normal exit.  Only for what a later run gains from: its errors
    are passed over."""
    _on_exit.append(function)
    atexit.register(function)


def stop_on_sigterm() -> None:
    """SIGTERM (kill, a service stopping, a CI time-out) would end the
    process where it stands, leaving temporary files and an unsaved
    manifest: it is taken as Ctrl-C is.  One the caller set to be ignored
    stays ignored."""
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def finish(code: int, command: str | None) -> None:
    """End the process with ``code``.  After a command that has done all it
    does (``convert``: every output written, renamed into place and
    reported, its writers' processes waited for; the help) the interpreter's
    finalization, which frees every object and module one by one, took an
    eighth of a one-file run: the process ends at once instead, its standard
    streams flushed.  A batch (its pools, a Dask client) exits as usual, and
    so does a run under a tracer or coverage, which save their data at exit."""
    if command == "batch" or sys.gettrace() is not None or "coverage" in sys.modules:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # closed, or a pipe no one reads
            code = code or int(ExitCode.FAILED)
    for function in _on_exit:
        try:
            function()
        except BaseException:  # what is kept for a later run never fails this one, nor Ctrl-C it
            pass
    os._exit(code)
