"""What a batch run shows while it works: a progress bar on a terminal,
plain log lines otherwise, only failures with --quiet."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from .api import Result
from .errors import printable


class _Lines:
    def __init__(self, quiet: bool, verbose: bool = False):
        self.quiet = quiet
        self.verbose = verbose and not quiet

    def planned(self, total: int) -> None:
        pass

    def note(self, line: str) -> None:
        """A line that is not about one input; shown even with --quiet."""
        print(printable(line), file=sys.stderr, flush=True)

    def result(self, result: Result) -> None:
        if result.status == "failed":
            print(f"failed  {printable(result.error or '')}", file=sys.stderr, flush=True)
        elif not self.quiet:
            verb = "ok     " if result.status == "ok" else "skipped"
            print(f"{verb} {printable(result.input)} ({len(result.outputs)} file(s), {result.seconds:.2f} s)",
                  file=sys.stderr, flush=True)
            for warning in result.warnings:
                print(f"        warning: {printable(warning)}", file=sys.stderr, flush=True)
            if self.verbose and result.furniture:
                print(f"        info: removed {result.furniture} line(s) of page furniture "
                      "(docconv inspect lists them)", file=sys.stderr, flush=True)


class _Bar(_Lines):
    def __init__(self, quiet: bool):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        super().__init__(quiet)
        self.console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]converting"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"), TimeRemainingColumn(), console=self.console,
            transient=False)
        self.task = self.progress.add_task("convert", total=None, failed=0)
        self.failed = 0

    def planned(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def note(self, line: str) -> None:
        self.progress.console.print(printable(line), markup=False, highlight=False, soft_wrap=True)

    def result(self, result: Result) -> None:
        if result.status == "failed":
            self.failed += 1
            self.progress.console.print(f"failed  {printable(result.error or '')}", markup=False,
                                        highlight=False, soft_wrap=True)
        self.progress.update(self.task, advance=1, failed=self.failed)


@contextmanager
def reporter(*, quiet: bool, verbose: bool = False) -> Iterator[_Lines]:
    """``verbose``: also information lines (page furniture removed), which
    a log shows under each input; the progress bar shows none."""
    if sys.stderr.isatty() and not quiet and not verbose:
        bar = _Bar(quiet)
        with bar.progress:
            yield bar
    else:
        yield _Lines(quiet, verbose)
