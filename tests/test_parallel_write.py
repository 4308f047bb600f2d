"""One file in several formats, written side by side in forked children
(``write_targets(..., parallel=True)``, what ``docconv convert`` asks for):
the same bytes and warnings as one after another, and still all or none."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import convert
from convert import api, registry
from convert.api import Target
from convert.errors import one_line

pytestmark = pytest.mark.skipif(not api._can_fork(), reason="forking a writer needs fork and two processors")

ROOT = Path(__file__).resolve().parents[1]
_FRESH = "DOCCONV_TEST_IN_A_FRESH_PROCESS"


def forking(test):
    """Run ``test`` where writers can be forked: here, or, where threads an
    earlier test left running (Dask's, fsspec's) keep this process from
    forking writers, as they should, in a fresh pytest process."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        if api._can_fork():
            return test(*args, **kwargs)
        if os.environ.get(_FRESH):
            pytest.fail("a fresh process cannot fork writers either")
        node = os.environ["PYTEST_CURRENT_TEST"].rsplit(" ", 1)[0]
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", node], cwd=ROOT,
                              env={**os.environ, _FRESH: "1"}, capture_output=True, timeout=600)
        assert done.returncode == 0 and b"1 passed" in done.stdout, done.stdout.decode(errors="replace")[-4000:]

    return run

FORMATS = ("txt", "docx", "epub", "pdf", "json")


def _outputs(folder: Path, formats=FORMATS) -> list[tuple[Target, Path]]:
    return [(Target(fmt), folder / f"a.{fmt}") for fmt in formats]


@forking
def test_side_by_side_gives_the_bytes_and_warnings_of_one_after_another(tmp_path, seed_doc):
    one_by_one, side_by_side = tmp_path / "sequential", tmp_path / "parallel"
    expected = api.write_targets(seed_doc, _outputs(one_by_one))
    assert api.write_targets(seed_doc, _outputs(side_by_side), parallel=True) == expected
    assert sorted(os.listdir(side_by_side)) == sorted(os.listdir(one_by_one))
    for fmt in FORMATS:
        assert (side_by_side / f"a.{fmt}").read_bytes() == (one_by_one / f"a.{fmt}").read_bytes(), fmt


class _Reporting:
    """A writer that says which process wrote it, and fails when told to."""

    name = extension = "rep"
    kind = "text"

    class Options:
        pass

    def __init__(self, failure: BaseException | None = None, die: bool = False, pause: float = 0.0):
        self.failure, self.die, self.pause = failure, die, pause
        self.parent = os.getpid()

    def write(self, doc, out, options):
        time.sleep(self.pause)
        if self.die:
            assert os.getpid() != self.parent, "only a writer's own process may die"
            os.kill(os.getpid(), signal.SIGKILL)
        out.write(b"written")
        if self.failure is not None:
            raise self.failure
        return (f"written by {os.getpid()}", "a second warning")


def _with_writers(monkeypatch, writers: dict[str, _Reporting]) -> None:
    real = registry.get_writer

    def get_writer(name):
        return writers[name] if name in writers else real(name)

    real_options = registry.writer_options

    def writer_options(name, given=None, **kwargs):
        return None if name in writers else real_options(name, given, **kwargs)

    monkeypatch.setattr(registry, "get_writer", get_writer)
    monkeypatch.setattr(registry, "writer_options", writer_options)


@forking
def test_each_format_after_the_first_is_written_by_another_process_in_order(tmp_path, seed_doc, monkeypatch):
    _with_writers(monkeypatch, {"r1": _Reporting(), "r2": _Reporting(), "r3": _Reporting()})
    warnings = api.write_targets(seed_doc, [(Target(f), tmp_path / f"{f}.out") for f in ("r1", "r2", "r3")],
                                 parallel=True)
    writers = [w for w in warnings if w.startswith("written by")]
    assert len(writers) == 3 and warnings.count("a second warning") == 3
    assert warnings[0] == f"written by {os.getpid()}"  # the first in this process, while the others run
    assert len({w for w in writers[1:]} - {warnings[0]}) == 2
    assert [w for w in warnings if w != "a second warning"] == writers  # each writer's warnings in place
    assert sorted(os.listdir(tmp_path)) == ["r1.out", "r2.out", "r3.out"]


@pytest.mark.parametrize("failure", [convert.WriteError("disk full", "/x/b.out"), convert.UsageError("bad option"),
                                     KeyError("glyph")], ids=["WriteError", "UsageError", "KeyError"])
@forking
def test_a_format_failing_in_its_process_fails_as_it_would_here_and_leaves_no_output(
        tmp_path, seed_doc, monkeypatch, failure):
    _with_writers(monkeypatch, {"ok": _Reporting(), "bad": _Reporting(failure), "ok2": _Reporting()})

    def error(parallel: bool) -> tuple[type, str]:
        outputs = [(Target(f), tmp_path / f"{f}.out") for f in ("ok", "bad", "ok2")]
        with pytest.raises(Exception) as raised:
            api.write_targets(seed_doc, outputs, parallel=parallel)
        assert os.listdir(tmp_path) == []  # neither the formats written nor a temporary file
        return type(raised.value), one_line(raised.value)

    here, there = error(False), error(True)
    assert there[1] == here[1] and "\n" not in there[1]
    if isinstance(failure, convert.ConvertError):
        assert there[0] is here[0]
    else:
        assert there[1] == "internal error: KeyError: 'glyph'"


@forking
def test_a_writer_process_that_dies_leaves_no_output_and_says_so(tmp_path, seed_doc, monkeypatch):
    _with_writers(monkeypatch, {"ok": _Reporting(), "dies": _Reporting(die=True)})
    outputs = [(Target(f), tmp_path / f"{f}.out") for f in ("ok", "dies")]
    with pytest.raises(convert.WriteError, match=r"dies.out writer stopped \(killed by SIGKILL\)"):
        api.write_targets(seed_doc, outputs, parallel=True)
    assert os.listdir(tmp_path) == []


@forking
def test_an_interrupt_while_the_children_write_stops_them_and_leaves_nothing(tmp_path, seed_doc, monkeypatch):
    _with_writers(monkeypatch, {"first": _Reporting(KeyboardInterrupt()), "slow": _Reporting(pause=5), "slow2": _Reporting(pause=5)})
    outputs = [(Target(f), tmp_path / f"{f}.out") for f in ("first", "slow", "slow2")]
    with pytest.raises(KeyboardInterrupt):
        api.write_targets(seed_doc, outputs, parallel=True)
    assert os.listdir(tmp_path) == []


def test_the_command_writes_every_format_of_one_file_as_before(tmp_path, seed_path):
    """End to end: all five formats through docconv are the library's sequential bytes."""
    expected = tmp_path / "expected"
    convert.convert(seed_path, to=list(FORMATS), out_dir=expected)
    done = subprocess.run([sys.executable, "-m", "convert", "convert", str(seed_path),
                           *[a for fmt in FORMATS for a in ("-t", fmt)], "-o", str(tmp_path / "cli")],
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for name in os.listdir(expected):
        assert (tmp_path / "cli" / name).read_bytes() == (expected / name).read_bytes(), name


class _Loading(_Reporting):
    """A page writer that loads ahead (``load``), leaving a mark of the process it loaded in."""

    kind = "document"

    def __init__(self, marks: Path):
        super().__init__()
        self.marks = marks

    def load(self):
        (self.marks / f"loaded-{os.getpid()}").write_text("")


@forking
def test_started_writers_load_while_the_input_is_read_then_write_it(tmp_path, seed_path, monkeypatch):
    marks, out = tmp_path / "marks", tmp_path / "out"
    marks.mkdir()
    _with_writers(monkeypatch, {"early": _Loading(marks), "late": _Loading(marks)})
    with api.start_writers(["txt", "early", "late"]) as started:
        for _ in range(200):  # loaded before there is any document to write
            if len(os.listdir(marks)) == 2:
                break
            time.sleep(0.05)
        loaded = sorted(name.split("-")[1] for name in os.listdir(marks))
        assert len(loaded) == 2 and str(os.getpid()) not in loaded
        doc = convert.read(seed_path)
        warnings = api.write_targets(doc, [(Target(f), out / f"{f}.out") for f in ("txt", "early", "late")],
                                     started=started)
    writers = sorted(w.split()[-1] for w in warnings if w.startswith("written by"))
    assert writers == loaded  # each written by the process that loaded it; txt (a text format) here
    assert sorted(os.listdir(out)) == ["early.out", "late.out", "txt.out"]


@forking
def test_started_writers_given_no_output_are_ended_and_leave_nothing(tmp_path, monkeypatch):
    _with_writers(monkeypatch, {"early": _Loading(tmp_path)})
    with pytest.raises(convert.InputError):
        with api.start_writers(["early"]) as started:
            assert started is not None
            children = [p.pid for p in started._idle]
            raise convert.InputError("the input was bad", "a.txt")
    for pid in children:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # ended and reaped
    assert not [name for name in os.listdir(tmp_path) if not name.startswith("loaded-")]


@forking
@pytest.mark.parametrize("durable", [True, False])
def test_a_started_writer_flushes_to_the_disk_as_the_write_asks(tmp_path, seed_path, monkeypatch, durable):
    """Writers are started before anyone knows whether the outputs are to be
    flushed to the disk (a batch does not): each output says so itself."""
    marks, out = tmp_path / "marks", tmp_path / "out"
    marks.mkdir()
    _with_writers(monkeypatch, {"early": _Loading(marks)})
    real_fsync = os.fsync

    def fsync(fd):  # what the child does is seen in the files it leaves
        (marks / f"fsync-{os.getpid()}").write_text("")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with api.start_writers(["early"]) as started:
        children = {str(p.pid) for p in started._idle}
        api.write_targets(convert.read(seed_path), [(Target("early"), out / "early.out")], started=started,
                          durable=durable)
    flushed_by_child = {name.split("-")[1] for name in os.listdir(marks) if name.startswith("fsync-")} & children
    assert bool(flushed_by_child) == durable
    assert os.listdir(out) == ["early.out"]
