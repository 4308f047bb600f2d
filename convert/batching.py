"""Batch conversion at scale: parallel, resumable, never stopped by one bad file.

* Work is spread over worker processes; each keeps its OpenCC converters,
  writers and registered fonts for the whole run (the caches in those
  modules live per process), and only a few jobs are in flight at a time, so
  memory stays flat however many inputs there are.
* An output is skipped when the manifest in the output folder says it was
  made from the same input content by this version with the same options;
  ``force`` redoes it.  Each finished file goes into the manifest's journal
  at once, so a run killed outright loses only the files in flight.
* Outputs are written to a temporary file and renamed (``api.atomic_output``);
  temporary files a killed run left behind are removed at the next start.
* Ctrl-C (and, from the CLI, SIGTERM): workers ignore SIGINT and SIGTERM;
  the parent stops handing out work, lets the files being written finish,
  saves the manifest and re-raises.  Workers die with their parent (Linux),
  however it dies.
* One batch at a time in an output folder (a lock file there); a second
  one is refused.
* A worker that dies (a crash, the out-of-memory killer) takes its pool
  down: the files that were in flight are each tried again alone, so only
  the file that kills its worker again is reported failed.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import signal
import stat
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, is_dataclass
from functools import cache
from pathlib import Path, PurePath
from typing import Any, BinaryIO

from ._version import __version__
from .api import (
    DEFAULT_MAX_SIZE,
    INPUT_SUFFIXES,
    TEMPORARY_PREFIX,
    Landing,
    PathLike,
    Result,
    Source,
    Target,
    _targets,
    atomic_output,
    check_arguments,
    check_encoding,
    collect_inputs,
    convert,
    expect,
    one_or_many,
    stat_key,
    with_layout,
)
from .errors import ConvertError, UsageError, one_line
from .model import Document, Meta, with_metadata
from .transforms import TransformOptions

MANIFEST = ".docconv-manifest.json"
JOURNAL = ".docconv-journal"
# A distributed run's workers write what they finish here, a JSON-lines file
# a shard (see convert.distributed); any later run takes them into the manifest.
RECORDS = ".docconv-records"
LOCK = ".docconv-lock"
CHECKPOINT_EVERY = 100  # files between manifest saves


@dataclass(frozen=True)
class BatchOptions:
    out_dir: Path
    targets: tuple[Target, ...]
    encoding: str | None = None
    transforms: TransformOptions = TransformOptions()
    writer_options: dict[str, Any] = field(default_factory=dict)
    jobs: int = 1
    force: bool = False
    fail_fast: bool = False
    follow_links: bool = False  # see api.collect_inputs
    metadata: tuple[tuple[str, str], ...] = ()  # fields set on every document (-M key=value)
    max_size: int = DEFAULT_MAX_SIZE  # bytes an input may have
    # Seconds a file may take before its worker is stopped and the file
    # fails alone; None: no limit (and, with one job, no worker process).
    timeout: float | None = None
    reader: str | None = None  # the reader every input is read with (-f); None: chosen per input


@dataclass(frozen=True)
class Job:
    input: Path
    stem: str  # output name without extension, relative to out_dir ("sub/x")
    targets: tuple[Target, ...]


# What converts a run's jobs elsewhere than in this machine's pool (a Dask
# cluster, convert.distributed): given the jobs, the options and each
# target's fingerprint, it yields each job with its Result as it finishes,
# and keeps what it finished in RECORDS for a run to take in if its own
# record of them is lost.
Engine = Callable[[list[Job], BatchOptions, dict[Target, str]], Iterator[tuple[Job, Result]]]
# A URL (s3://, gs://, ...), which only a distributed engine reads and writes.
URL_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")


# ------------------------------------------------------------------ planning


def output_stems(inputs: str | os.PathLike | Iterable[str | os.PathLike], targets: Iterable[Target] = (),
                 out_dir: Path | None = None, follow_links: bool = False,
                 on_skipped: Callable[[str], None] | None = None) -> list[tuple[Path, str]]:
    """Each input file (once) with a distinct output stem, relative to the output folder.

    Files inside a folder keep their path below it (``sub/x``).  Inputs of
    one folder that differ only in their ending (``page.txt`` and
    ``page.html``, saved side by side) would write the same files: the text
    file keeps the name without its ending (``page.docx``, as when it stood
    alone), the others keep theirs (``page.html.docx``); of several that are
    not text, the first by name is named as the text file would be.  Where
    two inputs would still write the same file (``a.txt`` as ``txt:hans``
    and ``a.hans.txt`` as ``txt`` both give ``a.hans.txt``), the later one
    gets its parent folder's name in front, then a counter.  Nothing below
    ``out_dir`` is an input.
    """
    targets = tuple(targets) or (Target("txt"),)
    seen: set[Path] = set()
    found: list[tuple[Path, Path]] = []  # (path, its path below the folder it was found in)
    for raw in one_or_many(inputs):
        root = Path(os.fsdecode(raw))
        for path in collect_inputs([root], exclude=out_dir, follow_links=follow_links, on_skipped=on_skipped):
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            found.append((path, path.relative_to(root) if root.is_dir() else Path(path.name)))
    return name_outputs(found, targets, lambda path: path.resolve().parent)


def name_outputs(found: list[tuple[Any, PurePath]], targets: tuple[Target, ...],
                 folder_of: Callable[[Any], PurePath]) -> list[tuple[Any, str]]:
    """Each found input, (path, its path below the folder it was found in),
    with its output stem, by the rules of ``output_stems``; ``folder_of``:
    the folder a path is in (on an object store, its key's prefix)."""
    planned: list[tuple[Any, str]] = []
    taken: set[str] = set()
    # Of the inputs of one folder that share a name but for its ending, the one named without it.
    plain: dict[tuple[PurePath, str], Any] = {}
    for path, _ in sorted(found, key=lambda f: (f[0].suffix.lower() not in INPUT_SUFFIXES, f[0].name.lower(), f[0].name)):
        plain.setdefault((folder_of(path), path.stem.lower()), path)
    for path, rel in found:
        stem = rel.with_suffix("").as_posix()
        if plain[(folder_of(path), path.stem.lower())] is not path:
            stem = rel.as_posix()  # page.html beside page.txt: page.html.docx
        if _clashes(stem, targets, taken):
            folder = _safe_name(folder_of(path).name)
            stem = f"{folder}/{stem}"
        base, n = stem, 2
        while _clashes(stem, targets, taken):
            stem, n = f"{base}-{n}", n + 1
        taken.update(t.filename(stem).lower() for t in targets)
        planned.append((path, stem))
    return planned


def _clashes(stem: str, targets: tuple[Target, ...], taken: set[str]) -> bool:
    return any(t.filename(stem).lower() in taken for t in targets)


def _safe_name(name: str) -> str:
    """A folder name that keeps an output inside the output folder."""
    name = name.strip().replace("/", "_")
    return name if name not in ("", ".", "..") else "input"


def fingerprint(target: Target, options: BatchOptions) -> str:
    """What an output depends on besides its input: version, target, options."""
    def plain(value: Any) -> Any:
        return asdict(value) if is_dataclass(value) else value

    writer_options = plain(options.writer_options.get(target.format))
    data = {
        "version": __version__,
        "target": str(target),
        "encoding": options.encoding,
        "transforms": plain(options.transforms),
        "writer": writer_options,
        # A file an option names (a reference document) counts by its content.
        "files": {name: _file_digest(value) for name, value in sorted((writer_options or {}).items())
                  if isinstance(value, (str, os.PathLike)) and os.path.isfile(value)}
                 if isinstance(writer_options, dict) else {},
    }
    if options.metadata:  # only when given, so outputs made without it stay current
        data["metadata"] = list(options.metadata)
    if options.reader:  # likewise: another reader may find another document
        data["reader"] = options.reader
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _stat_list(st: os.stat_result) -> list[int] | None:
    key = stat_key(st)
    return list(key) if key is not None else None


def _content_digest(path: Path) -> tuple[int, str] | None:
    digest, size = hashlib.sha256(), 0
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return None
    return size, digest.hexdigest()


def _file_digest(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return "unreadable"
    return digest.hexdigest()


class Manifest:
    """Which input and which options made each output; lives in the output folder.

    An output is current only when it was made from the same input file (by
    its resolved path) with the same content (size and SHA-256 of the bytes
    read when it was converted) and the same fingerprint, and has the size
    it was written with.  Dates decide nothing: a copy with an old date
    (``cp -p``, rsync, tar) and an edit made while the file converted are
    both seen.  The input's stat as it was read is kept too, to skip hashing
    it again while it has not been touched.

    Two files keep it.  The manifest proper is saved every CHECKPOINT_EVERY
    files and at the end, after the system has been asked to write out
    everything before it, so what it lists has reached the disk (outputs
    are not flushed one by one: that was a tenth of a batch's time); the
    size check catches the rest.  Between saves each finished file is
    appended to a journal, a line at a time, so a run killed outright
    (kill -9, the out-of-memory killer) loses only the files in flight.  A
    journal line may describe an output still only in the system's memory,
    so it is believed only while the system has not restarted since (Linux
    tells by its boot id; elsewhere no journal is kept).
    """

    def __init__(self, out_dir: Path, problem: Callable[[str | None], None] | None = None):
        self.path = out_dir / MANIFEST
        self.journal = out_dir / JOURNAL
        self._problem = problem or (lambda message: None)
        self._fd: int | None = None
        self._hashed: dict[Path, tuple[int, str] | None] = {}
        self._records_read: dict[Path, int] = {}  # bytes of each record file taken in
        try:
            entries = json.loads(self.path.read_text("utf-8")).get("outputs", {})
            self.entries: dict[str, dict[str, Any]] = {k: v for k, v in entries.items() if isinstance(v, dict)}
        except (OSError, ValueError, AttributeError):
            self.entries = {}
        self._left_behind = self._replay() | self._take_records()

    def _replay(self) -> bool:
        """Take in the journal a killed run left; whether there was one."""
        try:
            lines = self.journal.read_bytes().split(b"\n")
        except OSError:
            return False
        try:
            header = json.loads(lines[0])
            trusted = isinstance(header, dict) and _boot_id() is not None and header.get("boot") == _boot_id()
        except ValueError:
            trusted = False
        for line in lines[1:-1] if trusted else ():  # the last one is empty, or cut short by the kill
            try:
                item = json.loads(line)
                self.entries[item.pop("output")] = item
            except (ValueError, KeyError, TypeError, AttributeError):
                break
        return True

    def _take_records(self) -> bool:
        """Take in what a distributed run's workers recorded since the last
        look; whether there was any.

        Its client may have died before it heard of them: what they finished
        is not made again.  A record is believed as far as the output still
        has the size it lists (see is_current).  Each file is read on from
        where the last look stopped: a shard of a stopped run may still be
        adding to it."""
        self._records = sorted((self.path.parent / RECORDS).glob("*.jsonl"))
        for path in self._records:
            start = self._records_read.get(path, 0)
            try:
                with open(path, "rb") as f:
                    f.seek(start)
                    data = f.read()
            except OSError:
                continue
            data = data[:data.rfind(b"\n") + 1]  # a line still being written: next time
            self._records_read[path] = start + len(data)
            for item in read_records(data):
                self.entries.update(item.get("entries") or {})
        return bool(self._records)

    def open(self) -> None:
        """Start this run's journal, once the folder is ours."""
        if _boot_id() is None:
            return
        if self._left_behind:
            self.save()  # what the killed run did, safely on the disk before a new journal
        else:
            self._new_journal()

    def close(self) -> None:
        """The last save; the journal and the records go once the manifest holds all of them."""
        self._take_records()  # this run's shards' too, those it stopped listening to included
        saved = self.save()
        if saved:
            for path in self._records:
                try:
                    path.unlink()
                except OSError:
                    pass
            try:
                (self.path.parent / RECORDS).rmdir()
            except OSError:
                pass  # none, or records still coming from a shard of a stopped run
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            if saved:
                try:
                    self.journal.unlink()
                except OSError:
                    pass

    def _new_journal(self) -> None:
        if _boot_id() is None:
            return
        try:
            if self._fd is None:
                # Not through a link: whatever it points to is no business of ours.
                self._fd = os.open(self.journal, os.O_WRONLY | os.O_CREAT | os.O_APPEND
                                   | getattr(os, "O_NOFOLLOW", 0), 0o644)
            os.ftruncate(self._fd, 0)
            self._append({"boot": _boot_id()})
        except OSError as exc:
            self._journal_failed(exc)

    def _append(self, item: dict[str, Any]) -> None:
        if self._fd is None:
            return
        line = json_bytes(item, indent=None) + b"\n"
        try:
            if os.write(self._fd, line) != len(line):
                raise OSError(errno.ENOSPC, "short write")
        except OSError as exc:
            self._journal_failed(exc)

    def _journal_failed(self, exc: OSError) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._problem(f"{self.journal}: cannot write: {exc.strerror or exc}: a run killed before the next "
                      f"manifest save would convert again up to {CHECKPOINT_EVERY} finished files")

    def _key(self, output: Path) -> str:
        return output.relative_to(self.path.parent).as_posix()

    def is_current(self, output: Path, source: Path, print_: str) -> bool:
        entry = self.entries.get(self._key(output))
        if not entry or entry.get("fingerprint") != print_ or entry.get("input") != str(source.resolve()):
            return False
        try:
            if output.stat().st_size != entry.get("size"):
                return False
            now = source.stat()
        except OSError:
            return False
        if not stat.S_ISREG(now.st_mode):
            return False  # a device or a pipe: hashing it could read for ever
        recorded = entry.get("input_stat")
        if recorded is not None and _stat_list(now) == recorded:
            return True
        if self._content(source) != (entry.get("input_size"), entry.get("input_sha256")):
            return False
        entry["input_stat"] = _stat_list(now)  # the same bytes: no need to hash them next time
        return True

    def _content(self, source: Path) -> tuple[int, str] | None:
        """Size and SHA-256 of the input now; once a run, however many outputs it has."""
        if source not in self._hashed:
            self._hashed[source] = _content_digest(source)
        return self._hashed[source]

    def record(self, output: Path, source: Path, print_: str, read: Source | None) -> None:
        entry = manifest_entry(output, source, print_, read)
        if entry is None:
            return
        key = self._key(output)
        self.entries[key] = entry
        self._append({"output": key, **entry})

    def save(self) -> bool:
        """Write the manifest out and start the journal afresh; whether it was saved.

        A manifest that cannot be saved (a full disk, a read-only folder)
        does not stop the run: the outputs are there, only the record of
        them may be incomplete, and a rerun makes again what it misses.
        The trouble goes to ``problem``, in one line.
        """
        if not self.path.parent.exists():
            return False
        if hasattr(os, "sync"):
            os.sync()  # the outputs it lists first, all at once
        try:
            with atomic_output(self.path) as out:
                out.write(json_bytes({"outputs": dict(sorted(self.entries.items()))}, indent=1))
        except (ConvertError, OSError) as exc:
            cause = exc.args[0] if isinstance(exc, ConvertError) else f"cannot write: {exc.strerror or exc}"
            self._problem(f"{self.path}: {cause}: the record of finished outputs may be incomplete "
                          "(a rerun converts again what it misses)")
            return False
        self._new_journal()
        return True


def manifest_entry(output: Path, source: Path | str, print_: str, read: Source | None,
                   version: list[Any] | None = None) -> dict[str, Any] | None:
    """What the manifest keeps of an output just made; None when it must be made again next time.

    ``source``: the input's path (kept resolved), or its URL; ``version``:
    what tells the input unchanged when not its stat as read (an object's
    size and tag in a store's listing)."""
    try:
        size = output.stat().st_size
    except OSError:
        return None  # gone already
    if read is None:
        return None  # not known what it was made from
    if version is None and read.stat is not None:
        version = list(read.stat)
    return {"input": str(source.resolve()) if isinstance(source, Path) else source, "fingerprint": print_,
            "size": size, "input_size": read.size, "input_sha256": read.sha256, "input_stat": version}


def record_line(input: str, result: Result, entries: dict[str, dict[str, Any]]) -> bytes:
    """One finished input of a shard: its result (a retried shard gives it back
    as it was) and the manifest entries of its outputs."""
    summary = {"status": result.status, "outputs": result.outputs, "warnings": result.warnings,
               "error": result.error, "seconds": result.seconds, "encoding": result.encoding,
               "furniture": result.furniture}
    return json_bytes({"input": input, "result": summary, "entries": entries}, indent=None) + b"\n"


def read_records(data: bytes) -> list[dict[str, Any]]:
    """The whole lines of a shard's records (a killed writer may have cut the last one short)."""
    items = []
    for line in data.split(b"\n"):
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict) and isinstance(item.get("entries"), dict) and isinstance(item.get("result"), dict):
            items.append(item)
    return items


def result_from_record(item: dict[str, Any]) -> Result:
    r = item["result"]
    return Result(item["input"], r.get("status", "ok"), outputs=list(r.get("outputs") or []),
                  warnings=list(r.get("warnings") or []), error=r.get("error"), seconds=r.get("seconds") or 0.0,
                  encoding=r.get("encoding"), furniture=r.get("furniture") or 0)


@cache
def _boot_id() -> str | None:
    """Which start of the system this is (Linux); None where it cannot tell."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text("ascii").strip() or None
    except (OSError, ValueError):
        return None


STALE_AFTER_SECONDS = 15 * 60
_TEMPORARY = re.compile(re.escape(TEMPORARY_PREFIX) + r".*\.[a-z0-9_]{8}\.part$", re.S)


def remove_stale_temporaries(out_dir: Path, max_age: float = STALE_AFTER_SECONDS) -> int:
    """Temporary files a killed run left behind (``.docconv-tmp.NAME.XXXXXXXX.part``).

    Only names ``atomic_output`` gives, owned by this user: a user's own
    ``.notes.abcdef.part`` is none of ours.  Only old ones by default: a
    recent one may belong to a worker of a killed run that is still
    writing.  Linked folders are not gone into: what they hold is not ours.
    """
    removed = 0
    cutoff = time.time() - max_age
    uid = os.getuid() if hasattr(os, "getuid") else None
    for folder, _, names in os.walk(out_dir):
        for name in names:
            if not _TEMPORARY.match(name):
                continue
            part = os.path.join(folder, name)
            try:
                st = os.lstat(part)
                if (stat.S_ISREG(st.st_mode) and st.st_mtime < cutoff
                        and (uid is None or st.st_uid == uid)):
                    os.unlink(part)
                    removed += 1
            except OSError:
                pass
    return removed


# ------------------------------------------------------------------ running


def _convert_job(job: Job, options: BatchOptions, number: int | None = None,
                 convert_one: Callable[[Job, BatchOptions], Result] | None = None) -> Result:
    """``convert_one``: how the job is read and written (a distributed run
    reads from and writes to an object store); by default from and into the
    file system."""
    started = time.perf_counter()
    if _STARTED is not None and number is not None:
        _STARTED.tell(number)
    try:
        result = (convert_one or _convert_file)(job, options)
        doc = result.document
        result.document = None  # results travel between processes: keep them small
        if doc is not None:
            result.encoding = doc.meta.encoding
            result.furniture = len(doc.furniture)
    except ConvertError as exc:
        result = Result(str(job.input), "failed", error=" ".join(str(exc).split()))
    except Exception as exc:  # a writer bug must not stop the thousands of other files
        result = Result(str(job.input), "failed",
                        error=f"{job.input}: {one_line(exc)}")
    result.seconds = time.perf_counter() - started
    if _STARTED is not None and number is not None:
        _STARTED.tell(None)
    return result


def _convert_file(job: Job, options: BatchOptions) -> Result:
    return convert(job.input, to=job.targets, out_dir=options.out_dir, encoding=options.encoding,
                   transforms=options.transforms, writer_options=options.writer_options, stem=job.stem,
                   durable=False,  # the manifest's sizes catch what a power cut empties
                   metadata=dict(options.metadata), max_size=options.max_size, reader=options.reader)


class _Clock:
    """Which worker converts which file since when, for the time-out.

    Each worker of a pool has a slot in shared memory where it writes the
    number of the file it starts, and when; the parent kills a worker whose
    file has taken longer than the time-out.  Only a kill stops every hang:
    a regular expression or a parser can hold a worker in C code, where no
    signal handler runs.  The slots take no lock while files convert: a
    worker killed while holding one would leave it held for ever.  A new
    pool gets a new clock.
    """

    def __init__(self, timeout: float, workers: int):
        import multiprocessing

        ctx = multiprocessing.get_context()
        self.timeout = timeout
        self.taken = ctx.Value("i", 0)  # slots handed out, under its lock when a worker starts
        self.pids = ctx.Array("q", workers, lock=False)
        self.files = ctx.Array("q", workers, lock=False)  # number of the file + 1; 0 when idle
        self.since = ctx.Array("d", workers, lock=False)  # time.monotonic() when it started
        self.inputs: dict[int, Job] = {}  # in the parent: number -> job
        self.slot = -1  # in a worker

    def number(self, job: Job) -> int:
        """In the parent: the number a worker will say ``job`` by."""
        self.inputs[len(self.inputs)] = job
        return len(self.inputs) - 1

    def join(self) -> None:
        """In a worker, once, as it starts."""
        with self.taken.get_lock():
            if self.taken.value < len(self.pids):
                self.slot = self.taken.value
                self.taken.value += 1
        if self.slot >= 0:
            self.pids[self.slot] = os.getpid()

    def tell(self, number: int | None) -> None:
        """In a worker: starting file ``number``, or done (None)."""
        if self.slot >= 0:
            if number is not None:
                self.since[self.slot] = time.monotonic()
            self.files[self.slot] = 0 if number is None else number + 1

    def stop_overdue(self) -> list[Job]:
        """Kill the workers whose file is over time; those files."""
        now, late = time.monotonic(), []
        for slot in range(len(self.pids)):
            file = self.files[slot]
            if file and now - self.since[slot] > self.timeout:
                late.append(self.inputs[file - 1])
                _kill(self.pids[slot])
        return late

    def stop_all(self) -> None:
        """Kill every worker at work: the pool is broken, what they do is lost."""
        for slot in range(len(self.pids)):
            if self.files[slot]:
                _kill(self.pids[slot])


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


_STARTED: _Clock | None = None  # in a worker of a batch with a time-out


def _timed_out(job: Job, options: BatchOptions) -> Result:
    return Result(str(job.input), "failed", seconds=options.timeout or 0.0,
                  error=f"{job.input}: timed out after {options.timeout:g} s (--timeout raises the limit)")


@contextmanager
def _folder_lock(out_dir: Path) -> Iterator[None]:
    """One batch at a time in an output folder: two would write the same
    outputs and each keep its own manifest.  The lock is a POSIX record lock
    (lockf): it belongs to this process alone (forked workers do not hold
    it) and the system frees it when the process ends, however it ends."""
    key = os.path.realpath(out_dir)
    with _LOCKED_LOCK:
        if key in _LOCKED:  # a record lock does not keep out this process's own threads
            raise UsageError("another batch is writing into this output folder; "
                             "wait for it to finish or choose another folder", str(out_dir))
        _LOCKED.add(key)
    try:
        with _system_lock(out_dir):
            yield
    finally:
        with _LOCKED_LOCK:
            _LOCKED.discard(key)


_LOCKED: set[str] = set()
_LOCKED_LOCK = threading.Lock()


@contextmanager
def _system_lock(out_dir: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not on this system (Windows): other processes' runs go undetected
        yield
        return
    try:
        # Not through a link: whatever it points to is no business of ours.
        fd = os.open(out_dir / LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except PermissionError:  # a lock file someone else owns: run unguarded rather than not at all
        yield
        return
    except OSError as exc:
        if (out_dir / LOCK).is_symlink():
            raise UsageError(f"{LOCK} is a symbolic link, not a lock file of ours; remove it",
                             str(out_dir)) from None
        raise UsageError(f"cannot lock the output folder: {exc.strerror}", str(out_dir)) from None
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            raise UsageError("another batch is writing into this output folder; "
                             "wait for it to finish or choose another folder", str(out_dir)) from None
        except OSError:  # a file system without locks (some network mounts): run unguarded
            yield
            return
        try:
            yield
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _worker_init(parent: int, clock: _Clock | None = None) -> None:
    global _STARTED
    # Only the parent decides what Ctrl-C and SIGTERM mean (a terminal or a
    # service manager signals the whole group); workers finish the file in hand.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _STARTED = clock
    if clock is not None:
        clock.join()
    _die_with(parent)


def _die_with(parent: int) -> None:
    """Have the system kill this worker when its parent dies (Linux).

    A parent killed outright (kill -9, the out-of-memory killer) can neither
    stop its workers nor keep the folder locked: left alone they would go on
    writing into a folder that a new run may already own.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        pr_set_pdeathsig = 1
        if ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) != 0:
            return
    except (OSError, AttributeError):
        return
    try:
        os.kill(parent, 0)
    except ProcessLookupError:  # it died before the request was made
        os._exit(1)
    except OSError:
        pass


def _pool(workers: int, clock: _Clock | None = None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, initializer=_worker_init, initargs=(os.getpid(), clock))


class Pools:
    """Where ``_in_pool`` takes its workers from: a pool for the run, shut
    down after it.  A distributed worker keeps its pool across its shards
    instead (``convert.distributed``), so that its children stay warm."""

    def open(self, options: BatchOptions) -> tuple[ProcessPoolExecutor, _Clock | None]:
        clock = _Clock(options.timeout, options.jobs) if options.timeout else None
        return _pool(options.jobs, clock), clock

    def close(self, executor: ProcessPoolExecutor, broken: bool) -> None:
        """Done with ``executor``: ``broken`` when a worker of it died."""
        executor.shutdown(wait=True, cancel_futures=True)


# ------------------------------------------------------------------ the library's batch


def batch(inputs: PathLike | Iterable[PathLike], out_dir: PathLike, *,
          to: str | Target | Iterable[str | Target] | None = None, encoding: str | None = None,
          transforms: TransformOptions | None = None, writer_options: Mapping[str, Any] | None = None,
          jobs: int | None = None, force: bool = False, fail_fast: bool = False,
          follow_links: bool = False, metadata: Mapping[str, str] | None = None,
          max_size: int = DEFAULT_MAX_SIZE, timeout: float | None = None,
          reader: str | None = None, layout: str | None = None) -> list[Result]:
    """Convert many files into ``out_dir`` and return one Result per input,
    in the inputs' order (a folder's files sorted by name); a bad file
    gives a failed Result and the others go on.  The work is done when the
    call returns (``iter_batch`` hands out each Result as its file finishes
    instead).

    ``inputs``: a path (str or path-like) or an iterable of them; a folder
    stands for the inputs inside it (see ``api.collect_inputs``).
    ``to`` (default None: ``api.default_targets()``): a format
    (``"docx"``, ``"txt:hans"``), a Target or several.
    ``encoding`` (default None: detected per file); ``transforms``
    (default None: TransformOptions()); ``writer_options``: see
    ``api.options_by_format`` (default None).
    ``jobs`` (default None: one worker process per CPU core, as the
    command line's ``--jobs``; 1 converts in this process).
    ``force`` (default False): redo outputs the manifest holds up to date.
    ``fail_fast`` (default False): stop at the first failed input.
    ``follow_links`` (default False): see ``api.collect_inputs``.
    ``metadata`` and ``max_size``: see ``api.read`` (for every document).
    ``timeout`` (default None: no limit): seconds a file may take before it
    fails ("timed out"), in a worker process of its own.
    ``reader`` (default None: chosen per input): the registered reader every
    input is read with (``"news"``, ``"html"``, ``"json"``; ``-f`` on the
    command line).
    ``layout`` (default None: each writer's own, horizontal): ``"horizontal"``
    or ``"vertical"``, set on every writer among ``to`` that sets pages
    (see ``api.with_layout``).

    Raises UsageError (a ValueError) before anything is converted for bad
    arguments, no inputs, or another batch writing into ``out_dir``;
    NotFoundError (a FileNotFoundError) for an input that does not exist;
    TypeError for arguments of the wrong type.
    """
    inputs = one_or_many(inputs)  # walked twice: once to run, once to put the results in order
    results = list(iter_batch(inputs, out_dir, to=to, encoding=encoding, transforms=transforms,
                              writer_options=writer_options, jobs=jobs, force=force, fail_fast=fail_fast,
                              follow_links=follow_links, metadata=metadata, max_size=max_size, timeout=timeout,
                              reader=reader, layout=layout))
    order = {str(path): n for n, path in enumerate(collect_inputs(inputs, follow_links=follow_links,
                                                                  on_skipped=lambda _: None))}
    return sorted(results, key=lambda r: order.get(r.input, len(order)))


def iter_batch(inputs: PathLike | Iterable[PathLike], out_dir: PathLike, **keywords: Any) -> Iterator[Result]:
    """``batch``, taking the same arguments, as a generator: each Result
    is handed out as its file finishes, so that a caller can show progress
    or stop early, and a run over millions of files keeps none of them.

    The arguments are checked when it is called (the same errors as
    ``batch``), but nothing is converted until it is iterated:
    ``for result in iter_batch(...)``, or ``list(iter_batch(...))`` to run it
    all.  While it is being iterated, it holds ``out_dir`` (another batch
    into that folder is refused); closing it, or leaving the loop, stops the
    run after the files in flight and saves the manifest.
    """
    return run(inputs, _options(out_dir, **keywords))


def _options(out_dir: PathLike, *, to: str | Target | Iterable[str | Target] | None = None,
             encoding: str | None = None, transforms: TransformOptions | None = None,
             writer_options: Mapping[str, Any] | None = None, jobs: int | None = None, force: bool = False,
             fail_fast: bool = False, follow_links: bool = False, metadata: Mapping[str, str] | None = None,
             max_size: int = DEFAULT_MAX_SIZE, timeout: float | None = None,
             reader: str | None = None, layout: str | None = None) -> BatchOptions:
    """A library batch's arguments, checked, as BatchOptions."""
    check_arguments(None, encoding=encoding, transforms=transforms, metadata=metadata, max_size=max_size,
                    reader=reader)
    expect("out_dir", out_dir, str, os.PathLike)
    expect("writer_options", writer_options, Mapping, optional=True)
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int)):
        raise TypeError(f"jobs must be int or None, not {type(jobs).__name__}")
    if jobs is not None and jobs < 1:
        raise UsageError(f"jobs takes a number of worker processes, 1 or more, not {jobs}")
    if timeout is not None and not timeout > 0:
        raise UsageError(f"the time-out must be a number of seconds above 0, not {timeout!r}")
    check_encoding(encoding)
    if reader is not None:
        from . import registry

        registry.get_reader(reader)  # an unknown reader is the caller's mistake, not each file's
    if metadata:
        try:  # a bad field is the caller's mistake, not each file's
            with_metadata(Document(Meta(title="x")), metadata)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    targets = tuple(_targets(to))
    writers = with_layout(writer_options, layout, [t.format for t in targets])
    return BatchOptions(Path(out_dir), targets, encoding, transforms or TransformOptions(),
                        writers, jobs or default_jobs(), force, fail_fast, follow_links,
                        tuple(sorted((metadata or {}).items())), max_size=max_size, timeout=timeout, reader=reader)


def default_jobs() -> int:
    """Worker processes a batch uses unless told: one per CPU core this
    process may run on (the library and ``docconv batch`` alike)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def run(inputs: str | os.PathLike | Iterable[str | os.PathLike], options: BatchOptions,
        on_planned: Callable[[int], None] | None = None,
        on_problem: Callable[[str], None] | None = None, *,
        report: Path | None = None, engine: Engine | None = None) -> Iterator[Result]:
    """Convert every input; yields one Result per input in completion order.

    ``on_problem`` hears, once each, of troubles that belong to no input (the
    manifest cannot be saved), in one line; without it they are issued as a
    RuntimeWarning.  The run goes on past them.  ``report``: where the caller
    will write a report of the run; refused (UsageError, before anything is
    converted) when it would overwrite an input, an output or the manifest.
    ``engine``: what converts the files the manifest does not hold up to
    date (see Engine); by default this machine's process pool.
    """
    inputs = one_or_many(inputs)
    problem = _once(on_problem or _warn)
    place = next((p for p in [options.out_dir, *inputs] if isinstance(p, str) and URL_PREFIX.match(p)), None)
    if place is not None:
        raise UsageError("URLs are read and written by a batch on Dask: add --scheduler local:N "
                         "(this machine) or --scheduler tcp://HOST:8786", str(place))
    out_dir = options.out_dir
    # What the run would do is settled before anything is made: a run
    # refused for its inputs or its report leaves no folder or lock behind.
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError("is a file, not a folder: a batch writes its outputs into a folder", str(out_dir))
    planned = output_stems(inputs, options.targets, out_dir, options.follow_links, on_skipped=problem)
    if not planned:
        raise UsageError(_why_no_inputs(inputs, out_dir, options.follow_links, problem),
                         " ".join(map(str, inputs)) or ".")
    landing = Landing(path for path, _ in planned)
    if report is not None:
        _refuse_report_over_a_file_of_the_run(report, landing, planned, options)
        _refuse_report_nowhere(report)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output folder: {exc.strerror}", str(out_dir)) from None
    with _folder_lock(out_dir):
        yield from _run_locked(planned, landing, options, on_planned, problem, engine)


def _why_no_inputs(inputs: list[str | os.PathLike], out_dir: Path, follow_links: bool,
                   problem: Callable[[str], None]) -> str:
    """"no input files found", with what was left out and why."""
    from .api import CONTAINER_SUFFIXES, input_suffixes

    suffixes = input_suffixes()
    named = [s for s in suffixes if s not in CONTAINER_SUFFIXES]
    kinds_read = ", ".join(named) + "".join(f" or {s} documents" for s in suffixes if s in CONTAINER_SUFFIXES)
    inside = collect_inputs(inputs, follow_links=follow_links, on_skipped=problem)  # the output folder's too
    if inside:
        return (f"no input files ({kinds_read}) found outside the output folder {out_dir}: the {len(inside)} "
                "input file(s) there are inside it, and a batch never reads the folder it writes into "
                "(choose an output folder outside the input folder)")
    links = hidden = 0
    kinds: set[str] = set()
    seen = 0
    for raw in inputs:
        folder = Path(os.fsdecode(raw))
        for here, dirs, files in os.walk(folder) if folder.is_dir() else ():
            for name in files + [d for d in dirs if os.path.islink(os.path.join(here, d))]:
                seen += 1
                path = os.path.join(here, name)
                suffix = Path(name).suffix.lower()
                if suffix in suffixes and name.startswith("."):
                    hidden += 1
                elif os.path.islink(path) and (suffix in suffixes or os.path.isdir(path)):
                    links += 1
                elif suffix in CONTAINER_SUFFIXES:
                    kinds.add(f"{suffix} that is not a document")  # nothing was found: none of them is one
                elif suffix not in suffixes and not os.path.isdir(path):
                    kinds.add(suffix or "no extension")
            if seen > 10_000:  # enough to say what is there
                break
    left = [f"{links} link(s) out of the folder (--follow-links reads them)"] if links else []
    left += [f"{hidden} hidden file(s)"] if hidden else []
    left += [f"files of other kinds ({', '.join(sorted(kinds)[:6])}{', ...' if len(kinds) > 6 else ''})"] \
        if kinds else []
    return f"no input files ({kinds_read}) found" + (f"; left out: {'; '.join(left)}" if left else "")


def _refuse_report_nowhere(report: Path) -> None:
    """A report that could not be written after hours of converting is
    found out now: its folder (or the nearest that exists, where the rest
    would be made) must take a new file."""
    import tempfile

    place = report.parent
    while not place.exists() and place != place.parent:
        place = place.parent
    if not place.is_dir():
        raise UsageError(f"cannot write the report: {place} is not a folder", str(report))
    try:
        with tempfile.TemporaryFile(dir=place):
            pass
    except OSError as exc:
        raise UsageError(f"cannot write the report in {place}: {exc.strerror or exc}", str(report)) from None


def _warn(message: str) -> None:
    warnings.warn(message, RuntimeWarning, stacklevel=3)


def _once(tell: Callable[[str], None]) -> Callable[[str | None], None]:
    told: set[str] = set()

    def problem(message: str | None) -> None:
        if message is not None and message not in told:
            told.add(message)
            tell(message)
    return problem


def _run_locked(planned: list[tuple[Path, str]], landing: Landing, options: BatchOptions,
                on_planned: Callable[[int], None] | None,
                problem: Callable[[str | None], None], engine: Engine | None = None) -> Iterator[Result]:
    out_dir = options.out_dir
    manifest = Manifest(out_dir, problem)
    prints = {t: fingerprint(t, options) for t in options.targets}

    jobs: list[Job] = []
    settled: list[Result] = []  # up to date, or refused before any work
    for path, stem in planned:
        clash = landing.input_under(out_dir / t.filename(stem) for t in options.targets)
        if clash is not None:
            output, victim = clash
            settled.append(Result(str(path), "failed",
                                  error=f"{path}: output {output} would overwrite the input {victim}"))
            continue
        todo = tuple(t for t in options.targets
                     if options.force or not manifest.is_current(out_dir / t.filename(stem), path, prints[t]))
        if todo:
            jobs.append(Job(path, stem, todo))
        else:
            settled.append(Result(str(path), "skipped",
                                  outputs=[str(out_dir / t.filename(stem)) for t in options.targets]))
    # The run is accepted (the folder is ours, the inputs are there): only
    # now may what a killed run left behind be cleared away.
    remove_stale_temporaries(out_dir)
    manifest.open()
    if on_planned:
        on_planned(len(jobs) + len(settled))

    source = None
    try:
        yield from settled
        if options.fail_fast and any(r.status == "failed" for r in settled):
            return
        def record(job: Job, result: Result) -> None:
            if result.status == "ok":
                for target, output in zip(job.targets, result.outputs, strict=True):
                    manifest.record(Path(output), job.input, prints[target], result.source)

        # A time-out needs a worker to stop: with one, even a single job goes to one.
        alone = options.jobs <= 1 and options.timeout is None
        if engine is not None:
            source = engine(jobs, options, prints)
        else:
            source = _in_process(jobs, options) if alone else _in_pool(jobs, options, record)
        for done, (job, result) in enumerate(source, start=1):
            # Another engine's workers keep their own records (RECORDS), which
            # the manifest takes in as it closes: a save of a manifest of
            # millions every hundred files would cost more than the work.
            if engine is None:
                record(job, result)
                if done % CHECKPOINT_EVERY == 0:
                    manifest.save()  # on the disk: a power cut loses only what came after
            yield result
            if options.fail_fast and result.status == "failed":
                break
    finally:
        # The files still converting when the run stops (Ctrl-C, --fail-fast)
        # are waited for and recorded as the source closes: before the
        # manifest's last save, not after it (left to the garbage collector,
        # they came after, and a rerun converted them again).
        if source is not None:
            source.close()
        manifest.close()


def _refuse_report_over_a_file_of_the_run(report: Path, landing: Landing, planned: list[tuple[Path, str]],
                                          options: BatchOptions) -> None:
    if report.is_dir():
        raise UsageError("is a directory; --report takes a file name", str(report))
    clash = landing.input_under([report])
    if clash is not None:
        raise UsageError(f"report {report} would overwrite the input {clash[1]}", str(report))
    where = landing.where(report)
    out_dir = options.out_dir
    ours = {landing.where(out_dir / name): what for name, what in (
        (MANIFEST, "the manifest"), (JOURNAL, "the manifest's journal"), (LOCK, "the lock file"))}
    ours.update((landing.where(out_dir / t.filename(stem)), f"the output {out_dir / t.filename(stem)}")
                for _, stem in planned for t in options.targets)
    if where in ours:
        raise UsageError(f"report {report} would overwrite {ours[where]}", str(report))


def _in_process(jobs: list[Job], options: BatchOptions) -> Iterator[tuple[Job, Result]]:
    for job in jobs:
        yield job, _convert_job(job, options)


def _in_pool(jobs: list[Job], options: BatchOptions,
             finished_late: Callable[[Job, Result], None], work: Callable[..., Result] | None = None,
             sweep: Callable[[list[Job]], None] | None = None,
             pools: Pools | None = None) -> Iterator[tuple[Job, Result]]:
    """Jobs over a pool of workers.  ``finished_late`` hears of the files that
    were finished after the consumer stopped listening (Ctrl-C, --fail-fast),
    so that the manifest still knows them.

    ``work`` converts one job (``_convert_job`` by default); ``sweep`` clears
    what the workers of a broken pool were writing (by default every
    temporary file in the output folder: no other writer is there).  A
    distributed run shares the folder with other machines' workers, and
    sweeps only the outputs of the files it had in flight; ``pools``: where
    the workers come from (by default a pool for this call)."""
    work = work or _convert_job
    pools = pools or Pools()
    sweep = sweep or (lambda lost: remove_stale_temporaries(options.out_dir, max_age=0))
    pending = list(reversed(jobs))  # popped from the end: the first job first
    window = options.jobs * 3  # enough to keep every worker busy, few enough to stay small
    executor, clock = pools.open(options)
    running: dict[Future[Result], Job] = {}
    timed_out: set[Job] = set()
    stopped = False  # a worker was stopped for the time-out: the pool breaks because of it
    try:
        while True:
            while pending and len(running) < window:
                job = pending.pop()
                number = clock.number(job) if clock is not None else None
                try:
                    running[executor.submit(work, job, options, number)] = job
                except BrokenProcessPool:
                    # A worker died since the last wait: this file never started.
                    # With files in flight the wait below meets the broken pool;
                    # with none, a fresh pool takes over.
                    pending.append(job)
                    if running:
                        break
                    pools.close(executor, broken=True)
                    executor, clock = pools.open(options)
            if not running:
                return
            # With a time-out, look at the clock every so often while waiting.
            done, _ = wait(running, timeout=_POLL_SECONDS if clock else None, return_when=FIRST_COMPLETED)
            late = clock.stop_overdue() if clock is not None else []
            if late:
                timed_out.update(late)
                stopped = True
                done, _ = wait(running, timeout=_BROKEN_SECONDS, return_when=FIRST_COMPLETED)
            suspects: list[Job] = []
            for future in sorted(done, key=lambda f: str(running[f].input)):
                job = running.pop(future)
                try:
                    yield job, future.result()
                except BrokenProcessPool:
                    suspects.append(job)
            if suspects:
                # A worker died and took the pool with it: every file in
                # flight is a suspect.  One that ran out of time is the one
                # whose worker was stopped: it fails, the others go round
                # again.  Otherwise (a crash, the out-of-memory killer) each
                # is tried again alone; the one that kills its worker again
                # is the culprit, the others are converted after all.
                suspects += sorted(running.values(), key=lambda j: str(j.input))
                running.clear()
                if clock is not None:
                    clock.stop_all()
                pools.close(executor, broken=True)
                sweep(suspects)  # no writer of these is left
                late = [job for job in suspects if job in timed_out]
                for job in late:
                    yield job, _timed_out(job, options)
                if stopped or late:
                    pending.extend(reversed([job for job in suspects if job not in late]))
                    stopped = False
                else:
                    for job in suspects:
                        yield job, _alone(job, options, work, sweep)
                executor, clock = pools.open(options)
    finally:
        # On Ctrl-C or an early stop: hand out nothing new, let running files finish.
        for future in running:
            future.cancel()
        wait(running)
        pools.close(executor, broken=False)
        for future, job in running.items():
            if future.done() and not future.cancelled() and future.exception() is None:
                finished_late(job, future.result())


_POLL_SECONDS = 0.5
_BROKEN_SECONDS = 10  # for the pool to see the worker it lost


def _alone(job: Job, options: BatchOptions, work: Callable[..., Result] | None = None,
           sweep: Callable[[list[Job]], None] | None = None) -> Result:
    clock = _Clock(options.timeout, 1) if options.timeout else None
    solo = _pool(1, clock)
    try:
        try:
            number = clock.number(job) if clock is not None else None
            return solo.submit(work or _convert_job, job, options, number).result(timeout=options.timeout)
        except TimeoutError:
            clock.stop_all()
            result = _timed_out(job, options)
        except BrokenProcessPool:
            result = _died(job)
    finally:
        solo.shutdown(wait=True, cancel_futures=True)
    if sweep is not None:
        sweep([job])
    else:
        remove_stale_temporaries(options.out_dir, max_age=0)
    return result


def _died(job: Job) -> Result:
    return Result(str(job.input), "failed",
                  error=f"{job.input}: the worker converting it died, also when tried alone (a crash, or out of memory)")


def write_report(path: Path | BinaryIO, results: list[Result], options: BatchOptions, seconds: float,
                 problems: Iterable[str] = ()) -> None:
    """The run's JSON report, to a file (written atomically) or a binary
    stream.  ``problems``: what went wrong beside the inputs (``run``'s
    ``on_problem``)."""
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    report = {
        "version": __version__,
        "targets": [str(t) for t in options.targets],
        "jobs": options.jobs,
        "seconds": round(seconds, 3),
        "summary": counts,
        "problems": list(problems),
        "inputs": [
            {"input": r.input, "status": r.status, "outputs": r.outputs, "warnings": r.warnings,
             "error": r.error, "encoding": r.encoding, "furniture_removed": r.furniture,
             "seconds": round(r.seconds, 4)}
            for r in sorted(results, key=lambda r: r.input)
        ],
    }
    if not isinstance(path, Path):
        path.write(json_bytes(report, indent=2) + b"\n")
        return
    with atomic_output(path) as out:
        out.write(json_bytes(report, indent=2))


_UNDECODED = re.compile("[\udc80-\udcff]")


def json_bytes(data: Any, indent: int | None) -> bytes:
    """``data`` as UTF-8 JSON in which file names round-trip.

    A name that is not UTF-8 (GBK from a Windows zip) is a str with lone
    surrogates (Python's surrogateescape), which UTF-8 cannot encode: they
    are written as JSON escapes (``\\udcd0``), which ``json.loads`` reads
    back into the same str, and ``os.fsencode`` into the same bytes.
    """
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _UNDECODED.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")
