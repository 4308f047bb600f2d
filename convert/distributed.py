"""Batch on Dask's distributed scheduler, for archives past one machine.

``docconv batch IN -o OUT --scheduler tcp://HOST:8786`` (or ``local:N``).
The local batch's rules hold; what changes is who converts, and where the
record of it is kept.  Over local paths this module is the engine that
``batching.run`` hands its jobs to; over URLs it plans and records the run
itself, by the same rules.

* Shards, not files, are Dask's tasks: a few hundred files each, so that a
  task runs seconds (Dask spends about a millisecond on each task, and its
  scheduler slows past some 10^5 of them), yet enough of them that the last
  ones leave few workers idle.  A shard is also closed at SHARD_BYTES of
  input, so one of large pages stays as short as the others.
* A worker converts a shard as the local batch converts its files
  (``batching._in_pool``): each file in a child process, with the same
  time-out and the same second try alone after a crash, so a file that
  hangs or crashes fails alone and no Dask worker goes down with it.  The
  children are forked from a worker that has loaded the writers, fonts and
  OpenCC once (``_prepare_worker``), and share them; each worker thread
  keeps its child from shard to shard (``_KeptPool``), as a local pool
  keeps its children for the run, until a file kills it.
* Each file a shard finishes is recorded at once: a JSON line in the output
  folder's ``.docconv-records`` (``batching.RECORDS``), one file a shard (on
  an object store, a part object at most RECORD_SECONDS later).  A shard
  tried again after its worker died gives back what is recorded and
  converts only the rest; the client merges the records into the manifest,
  and any later run takes in those it never heard of (its client died), so
  a rerun redoes only what no record covers.  The records are the one
  place a distributed run's manifest entries are kept until it closes.
* Storage: local paths must name the same files on every worker (a shared
  file system); outputs are written beside their final name and renamed,
  as in a local batch.  fsspec URLs (``s3://``, ``gs://``, ...) are read
  and written through fsspec: an output is made in a scratch folder and
  stored in one put, so an object is whole or absent.  ``file://`` URLs
  are local paths.

Dask is an optional dependency: nothing here imports it before a run asks
for it.
"""

from __future__ import annotations

import gc
import io
import json
import logging
import multiprocessing
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from . import batching
from .api import (
    CONTAINER_SUFFIXES,
    TEMPORARY_PREFIX,
    Result,
    Target,
    _short,
    atomic_output,
    convert,
    input_suffixes,
    known_by_head,
    one_or_many,
    stat_key,
    too_large,
)
from .batching import (
    MANIFEST,
    RECORDS,
    URL_PREFIX,
    BatchOptions,
    Job,
    fingerprint,
    json_bytes,
    read_records,
    record_line,
)
from .errors import ConvertError, InputError, UsageError

# The distribution's name, as pyproject.toml gives it.
INSTALL = "pip install 'docconv[dask]'"

SHARD_MOST = 256  # files: every format of 256 news pages is some 20 s of one core
SHARD_LEAST = 16  # so that even a shard of text alone runs a second or more
SHARD_BYTES = 64 << 20  # of input: a shard of large pages stays as short as the others
# Shards a worker thread gets over a run: the last ones to finish leave the
# others idle, for about half a shard's time.
SHARDS_PER_THREAD = 16
RECORD_SECONDS = 1.0  # on an object store, between a shard's record parts
# A cluster for batches of tasks that run seconds, not for watching live: its
# workers' sampling profiler and the monitors and ticks it keeps for the
# dashboard at 10-500 ms took a tenth of a core of two, idle.  This keeps a
# third of that; the memory limit is still watched, every second.
QUIET_CLUSTER = {
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.tick.interval": "100ms",
    "distributed.scheduler.work-stealing-interval": "1s",
}
CONNECT_SECONDS = 20

_SCHEDULER = re.compile(r"local:[1-9][0-9]{0,3}|(tcp|tls|ws|wss|ucx|inproc)://\S+")


# ------------------------------------------------------------------ choosing


def check_scheduler(spec: str) -> None:
    """UsageError, before any work, for a --scheduler that cannot be used here."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError(f"--scheduler needs Dask, which is not installed: {INSTALL}") from None
    if not _SCHEDULER.fullmatch(spec):
        raise UsageError(f"--scheduler takes a Dask scheduler's address (tcp://HOST:8786) or local:N "
                         f"(a cluster of N workers on this machine), not {spec!r}")


def is_url(place: object) -> bool:
    """Whether ``place`` is an fsspec URL other than ``file://`` (a local path)."""
    return isinstance(place, str) and bool(URL_PREFIX.match(place)) and not place.startswith("file://")


def local_path(place: Any) -> Any:
    """``file:///x`` as the path /x; anything else as it is."""
    if isinstance(place, str) and place.startswith("file://"):
        return unquote(urlparse(place).path)
    return place


def run(inputs: Any, options: BatchOptions, on_planned: Callable[[int], None] | None = None,
        on_problem: Callable[[str], None] | None = None, *, report: Path | None = None,
        scheduler: str) -> Iterator[Result]:
    """``batching.run`` on the Dask cluster ``scheduler`` (``tcp://HOST:8786``,
    or ``local:N`` for one of N workers on this machine, for the run).
    Inputs and ``options.out_dir`` may be fsspec URLs (``s3://...``)."""
    check_scheduler(scheduler)
    inputs = [local_path(i) for i in one_or_many(inputs)]
    if not is_url(options.out_dir):
        options = replace(options, out_dir=Path(local_path(options.out_dir)))
    if is_url(options.out_dir) or any(is_url(i) for i in inputs):
        yield from run_on_store(inputs, options, on_planned, batching._once(on_problem or batching._warn), scheduler)
        return
    yield from batching.run(inputs, options, on_planned, on_problem, report=report,
                            engine=partial(on_dask, scheduler=scheduler))


def run_on(scheduler: str) -> Callable[..., Iterator[Result]]:
    """``run`` on ``scheduler``, called as ``batching.run`` is."""
    return partial(run, scheduler=scheduler)


# ------------------------------------------------------------------ the cluster


@contextmanager
def _client(spec: str) -> Iterator[Any]:
    from distributed import Client, LocalCluster

    # A worker lost, a task moved elsewhere: Dask says so at length on
    # stderr.  The run says what it means for the files, in its own lines.
    loggers = [logging.getLogger(name) for name in ("distributed", "tornado")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    cluster = None
    try:
        try:
            if spec.startswith("local:"):
                import dask

                # A thread a worker: a thread converts with one child process.
                with dask.config.set(QUIET_CLUSTER):
                    cluster = LocalCluster(n_workers=int(spec[6:]), threads_per_worker=1, processes=True,
                                           host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                           silence_logs=logging.CRITICAL)
                client = Client(cluster)
            else:
                client = Client(spec, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as exc:
            raise ConvertError(f"cannot reach the Dask scheduler: {' '.join(str(exc).split())}", spec) from None
        try:
            yield client
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _threads(client: Any) -> int:
    return max(1, sum(client.nthreads().values()))


def plan_shards(jobs: list[Job], sizes: list[int], threads: int) -> list[list[Job]]:
    """The jobs in shards, in order: SHARDS_PER_THREAD for each worker thread,
    of SHARD_LEAST to SHARD_MOST files and at most SHARD_BYTES of input."""
    per = -(-len(jobs) // (threads * SHARDS_PER_THREAD))
    per = max(SHARD_LEAST, min(SHARD_MOST, per))
    shards: list[list[Job]] = []
    shard: list[Job] = []
    held = 0
    for job, size in zip(jobs, sizes, strict=True):
        if shard and (len(shard) >= per or held + size > SHARD_BYTES):
            shards.append(shard)
            shard, held = [], 0
        shard.append(job)
        held += size
    if shard:
        shards.append(shard)
    return shards


def _gather(client: Any, work: dict[Any, tuple[str, list[Job]]],
            lost: Callable[[str, list[Job], int], list[Result]]) -> Iterator[tuple[Job, Result]]:
    """Each shard's jobs with their results, as shards finish.  ``work``:
    each shard's future with its records' key and its jobs; ``lost(key,
    shard, n)``: the results of a shard whose workers died n times (Dask
    gives up on a task then)."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    try:
        for future in as_completed(list(work)):
            key, shard = work.pop(future)
            try:
                back = future.result()
            except KilledWorker:
                import dask

                back = lost(key, shard, int(dask.config.get("distributed.scheduler.allowed-failures")) + 1)
            except CancelledError:
                raise ConvertError("lost the Dask scheduler: the outputs finished are kept, and a rerun "
                                   "converts only the rest", str(future.key)) from None
            except Exception as exc:  # the shard's own code failed on its worker: its files say why
                cause = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
                back = [Result(str(job.input), "failed", error=f"{job.input}: its shard failed on a Dask worker: "
                               f"{cause}") for job in shard]
            yield from zip(shard, back, strict=True)
    finally:
        if work:  # stopped early (Ctrl-C, --fail-fast): hand out no more shards
            client.cancel(list(work))


def _on_cluster(scheduler: str, jobs: list[Job], sizes: list[int], options: BatchOptions, prints: dict[str, str],
                versions: dict[str, list[Any] | None], store: _Store, cwd: str) -> Iterator[tuple[Job, Result]]:
    """The jobs in shards on the cluster, each job with its result as its
    shard finishes.  ``options.out_dir`` as the workers are to see it;
    ``store``: the same folder as this client sees it."""

    def lost(key: str, shard: list[Job], deaths: int) -> list[Result]:
        _, recorded = store.shard_records(key)  # what the workers that died finished of it
        finished = {item["input"]: batching.result_from_record(item) for item in recorded}
        return [finished.get(str(job.input)) or Result(
            str(job.input), "failed", error=f"{job.input}: the Dask workers converting it died {deaths} "
            "times (a crash, or out of memory, outside the conversion)") for job in shard]

    with _client(scheduler) as client:
        shards = plan_shards(jobs, sizes, _threads(client))
        run = _run_name()
        work: dict[Any, tuple[str, list[Job]]] = {}
        for n, shard in enumerate(shards):
            key = f"{RECORDS}/{run}-{n:06d}"
            shard_versions = {str(j.input): versions[str(j.input)] for j in shard if str(j.input) in versions}
            future = client.submit(convert_shard, shard, options, prints, shard_versions, key, cwd,
                                   key=f"docconv-{run}-{n:06d}", pure=False)
            work[future] = (key, shard)
        yield from _gather(client, work, lost)


def _run_name() -> str:
    return time.strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)


# ------------------------------------------------------------------ the worker


_WARMED: set[Target] = set()


def _prepare_worker(targets: Iterable[Target]) -> None:
    """Once in a worker: what its child processes should find loaded."""
    # Dask starts its workers as daemonic processes, which multiprocessing
    # forbids to have children.  The children die with the worker all the
    # same (batching._die_with), which is what the rule is for.
    me = multiprocessing.current_process()
    if me.daemon:
        me._config["daemon"] = False  # type: ignore[attr-defined]
    # Dask's workers are spawned, and so would their children be, each
    # loading the writers, fonts and OpenCC again.  Forked, they start with
    # the worker's.  Only this package's code runs in them.
    if "fork" in multiprocessing.get_all_start_methods() and multiprocessing.get_start_method() != "fork":
        multiprocessing.set_start_method("fork", force=True)
    todo = [t for t in targets if t not in _WARMED]
    if not todo:
        return
    from . import api

    # Writers, fonts and the OpenCC tables load on first use and stay for
    # the life of the process: one small text in each script, in every
    # format of the run, loads them in the worker before it forks.
    for text in _WARM_TEXTS:
        doc = api.read_bytes(text.encode("utf-8"), path="warm.txt")
        for target in todo:
            try:
                api.write(doc, io.BytesIO(), to=str(target))
            except Exception:  # a file that fails this way says why in its own result
                pass
    _WARMED.update(todo)
    # What is loaded now is never freed; kept out of the collector's passes,
    # it is not copied into each child by the collector touching it.
    gc.collect()
    gc.freeze()


_WARM_TEXTS = (
    "新华社北京电\n\n2020-01-02 10:00 来源：新华社\n\n“国务院”今天召开常务会议，部署进一步做好稳就业工作。\n",
    "中央社台北電\n\n2020-01-02 10:00 來源：中央社\n\n「行政院」今天召開院會，通過新的交通計畫與預算。\n",
)


class _KeptPool(batching.Pools):
    """A worker thread's pool of one child, kept from one shard to the next.

    A child that converts a few dozen files and ends throws away what it
    warmed beyond the worker's start (glyph widths and outlines of the fonts,
    conversion caches, pages of memory copied from the worker as they were
    touched): some 0.7 s of CPU a shard of every format, a quarter of the
    work of a shard of 32 (bench/RESULTS.md, "Batch on Dask").  A local
    batch's children live for the whole run; so does this
    one, for the worker's life.  A child that dies or is stopped for the
    time-out takes only its own pool down, as in a local batch: the next
    shard gets a fresh one.
    """

    def __init__(self) -> None:
        self.kept: tuple[Any, Any] | None = None  # (executor, its clock)

    def open(self, options: BatchOptions) -> tuple[Any, Any]:
        if self.kept is not None:
            executor, clock = self.kept
            if (clock is not None) == bool(options.timeout):
                if clock is not None:
                    clock.timeout = options.timeout
                    clock.inputs.clear()  # the last shard's files, every one finished
                return executor, clock
            self.drop()  # a clock where none is wanted, or none where one is
        self.kept = super().open(options)
        return self.kept

    def close(self, executor: Any, broken: bool) -> None:
        if self.kept is not None and executor is self.kept[0] and not broken:
            return
        if self.kept is not None and executor is self.kept[0]:
            self.kept = None
        super().close(executor, broken)

    def drop(self) -> None:
        if self.kept is not None:
            executor, self.kept = self.kept[0], None
            super().close(executor, broken=False)


_POOLS = threading.local()
_ALL_POOLS: list[_KeptPool] = []
# False: a child a shard, ended with it, as the first version did; for
# measuring what keeping it saves (bench/dask_bench.py).
KEEP_CHILDREN = True


def _kept_pool() -> _KeptPool:
    """This worker thread's pool (a worker runs a shard a thread at a time)."""
    pool = getattr(_POOLS, "pool", None)
    if pool is None:
        pool = _POOLS.pool = _KeptPool()
        _ALL_POOLS.append(pool)
    return pool


def release_pools() -> None:
    """Between runs, in a worker: end the children kept for its shards; the
    next shard forks new ones from the worker as it is then."""
    for pool in _ALL_POOLS:
        pool.drop()


class _Appender:
    """A shard's records on a file system: a line a file, written at once."""

    def __init__(self, path: Path):
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0), 0o644)

    def add(self, line: bytes) -> None:
        os.write(self.fd, line)

    def close(self) -> None:
        os.close(self.fd)


class _Parts:
    """A shard's records on an object store, where nothing is appended to:
    part objects, one at most every RECORD_SECONDS, each put whole."""

    def __init__(self, fs: Any, prefix: str):
        self.fs, self.prefix = fs, f"{prefix}.{secrets.token_hex(4)}"
        self.lines: list[bytes] = []
        self.parts = 0
        self.last = time.monotonic()

    def add(self, line: bytes) -> None:
        self.lines.append(line)
        if time.monotonic() - self.last >= RECORD_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.lines:
            self.fs.pipe_file(f"{self.prefix}.{self.parts:05d}.jsonl", b"".join(self.lines))
            self.parts += 1
            self.lines = []
        self.last = time.monotonic()

    def close(self) -> None:
        self.flush()


def _sweep(out_dir: Path, lost: list[Job]) -> None:
    """The temporary files of the outputs of ``lost`` (their writer was
    killed); other workers' temporaries in the same folders are left alone."""
    starts: dict[Path, set[str]] = {}
    for job in lost:
        for target in job.targets:
            final = out_dir / target.filename(job.stem)
            starts.setdefault(final.parent, set()).add(f"{TEMPORARY_PREFIX}{_short(final.name)}.")
    for folder, wanted in starts.items():  # each folder listed once: it may hold millions
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            # .docconv-tmp.NAME.XXXXXXXX.part, less its last 13 characters
            if name.endswith(".part") and name[:-13] in wanted:
                try:
                    os.unlink(folder / name)
                except OSError:
                    pass


def convert_shard(jobs: list[Job], options: BatchOptions, prints: dict[str, str],
                  versions: dict[str, list[Any] | None], records: str, cwd: str) -> list[Result]:
    """On a worker: the files of a shard, each converted in the worker
    thread's kept child process and recorded at once under the key
    ``records`` of the output folder.  ``options.out_dir``: a folder every
    worker sees, or an fsspec URL; ``versions``: what the client's listing
    said of inputs in a store (see ``_version``); ``cwd``: the client's
    folder, which relative paths are relative to."""
    _prepare_worker(options.targets)
    store = _Store(options.out_dir if is_url(options.out_dir) else Path(cwd, options.out_dir))
    tried, recorded = store.shard_records(records)  # a worker that died in this shard before
    done = {item["input"]: batching.result_from_record(item) for item in recorded
            if item["result"].get("status") == "failed" or store.holds(item["entries"])}
    todo = [job for job in jobs if str(job.input) not in done]
    sweep = partial(_sweep, store.local) if store.local is not None else (lambda lost: None)
    if tried:
        sweep(todo)  # the temporaries the dead worker left of the files it had in hand
    if todo:
        sink = store.record_sink(records)
        scratch = tempfile.mkdtemp(prefix="docconv-shard-") if store.local is None else None
        try:
            def keep(job: Job, result: Result) -> None:
                entries = vars(result).pop("entries", {})
                sink.add(record_line(str(job.input), result, entries if result.status == "ok" else {}))
                done[str(job.input)] = result

            work = partial(batching._convert_job, convert_one=partial(
                _convert_one, cwd=cwd, scratch=scratch, prints=prints, versions=versions))
            for job, result in batching._in_pool(todo, replace(options, jobs=1), keep, work=work, sweep=sweep,
                                                 pools=_kept_pool()):
                keep(job, result)
        finally:
            sink.close()
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
            if not KEEP_CHILDREN:
                _kept_pool().drop()
    return [done[str(job.input)] for job in jobs]


def _convert_one(job: Job, options: BatchOptions, *, cwd: str, scratch: str | None, prints: dict[str, str],
                 versions: dict[str, list[Any] | None]) -> Result:
    """In a worker's child process: one input, read from its store when it
    is a URL; its outputs written beside their final names in a folder every
    worker sees, or made in ``scratch`` and stored whole, one put each.  The
    manifest entries of its outputs (``result.entries``) are made here,
    before the outputs leave this machine."""
    # The paths read as the client gave them, so that the outputs (a JSON
    # document names its input) are a local batch's.
    os.chdir(cwd)
    source = str(job.input)
    data = _read_input(source, options.max_size) if is_url(source) else None
    here = Path(tempfile.mkdtemp(dir=scratch)) if scratch is not None else Path(options.out_dir)
    try:
        result = convert(job.input, to=job.targets, out_dir=here, encoding=options.encoding,
                         transforms=options.transforms, writer_options=options.writer_options, stem=job.stem,
                         durable=False,  # the manifest's sizes catch what a power cut empties
                         metadata=dict(options.metadata), max_size=options.max_size, data=data,
                         reader=options.reader)
        named = source if is_url(source) else Path(source)
        entries = {}
        for target, output in zip(job.targets, result.outputs, strict=True):
            entry = batching.manifest_entry(Path(output), named, prints[str(target)], result.source,
                                            versions.get(source))
            if entry is not None:
                entries[target.filename(job.stem)] = entry
        result.entries = entries  # type: ignore[attr-defined]
        if scratch is not None:
            result.outputs = _put_outputs(job, here, str(options.out_dir))
        return result
    finally:
        if scratch is not None:
            shutil.rmtree(here, ignore_errors=True)


def _read_input(url: str, max_size: int) -> bytes:
    fs, path = _fs(url)
    try:
        size = fs.size(path)
        if size is not None and size > max_size:
            raise InputError(too_large(max_size), url)
        return fs.cat_file(path)
    except FileNotFoundError:
        raise InputError("no such file", url) from None
    except OSError as exc:
        raise InputError(f"cannot read: {' '.join(str(exc).split())}", url) from None


def _put_outputs(job: Job, here: Path, out_url: str) -> list[str]:
    """The outputs made in ``here`` stored below ``out_url``, one put each
    (an object is whole or absent), all of them or none; their URLs."""
    fs, root = _fs(out_url)
    root = root.rstrip("/")
    keys = [target.filename(job.stem) for target in job.targets]
    stored: list[str] = []
    try:
        for key in keys:
            fs.put_file(str(here / key), f"{root}/{key}")
            stored.append(f"{root}/{key}")
    except Exception as exc:
        for path in stored:  # all of a file's outputs or none, as on a file system
            try:
                fs.rm_file(path)
            except (OSError, FileNotFoundError):
                pass
        raise ConvertError(f"cannot write: {' '.join(str(exc).split())}",
                           fs.unstrip_protocol(f"{root}/{keys[len(stored)]}")) from None
    return [f"{out_url.rstrip('/')}/{key}" for key in keys]


def _size(path: Path | str) -> int | None:
    try:
        return os.stat(path).st_size
    except OSError:
        return None


# ------------------------------------------------------------------ local paths


def on_dask(jobs: list[Job], options: BatchOptions, prints: dict[Target, str], *,
            scheduler: str) -> Iterator[tuple[Job, Result]]:
    """The jobs of a batch over local paths (a ``batching.Engine``), on the
    Dask cluster ``scheduler``, whose workers see the same paths."""
    if not jobs:
        return
    cwd = os.getcwd()
    store = _Store(Path(cwd, options.out_dir))
    try:
        (Path(cwd, options.out_dir) / RECORDS).mkdir(exist_ok=True)
    except OSError as exc:
        raise ConvertError(f"cannot write: {exc.strerror or exc}", str(Path(cwd, options.out_dir, RECORDS))) from None
    yield from _on_cluster(scheduler, jobs, [_size(job.input) or 0 for job in jobs], options,
                           {str(t): p for t, p in prints.items()}, {}, store, cwd)


# ------------------------------------------------------------------ object stores


def _fs(url: str) -> tuple[Any, str]:
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise UsageError(f"URLs are read through fsspec, which is not installed: {INSTALL}") from None
    try:
        return url_to_fs(url)
    except ImportError as exc:  # s3fs, gcsfs, ...: fsspec names the package
        raise UsageError(f"cannot use {url.split('://')[0]}:// here: {' '.join(str(exc).split())}", url) from None
    except (ValueError, OSError) as exc:
        raise UsageError(f"not a place fsspec knows: {' '.join(str(exc).split())}", url) from None


def _version(info: dict[str, Any]) -> list[Any]:
    """What of an object's listing changes whenever its content does: its
    size and the store's tag for the content (S3's ETag, GCS's md5), else its time."""
    for key in ("ETag", "etag", "md5Hash", "crc32c", "checksum", "mtime", "LastModified", "last_modified"):
        if info.get(key) is not None:
            return [info.get("size"), str(info[key])]
    return [info.get("size"), None]


class _Store:
    """The output folder: a local folder (with the usual lock and renames), or an fsspec URL."""

    def __init__(self, place: str | Path):
        self.local = Path(place) if not is_url(place) else None
        if self.local is not None:
            self.fs, self.root, self.url = None, str(self.local), str(self.local)
        else:
            self.fs, self.root = _fs(str(place))
            self.root = self.root.rstrip("/")
            self.url = str(place).rstrip("/")

    def name(self, key: str) -> str:
        return f"{self.url}/{key}" if self.local is None else str(self.local / key)

    def sizes(self) -> dict[str, int]:
        """The size of every file below the folder, by its path in it: one listing."""
        if self.local is not None:
            found = {}
            for here, _, names in os.walk(self.local):
                for name in names:
                    full = Path(here, name)
                    size = _size(full)
                    if size is not None:
                        found[full.relative_to(self.local).as_posix()] = size
            return found
        try:
            listing = self.fs.find(self.root, detail=True)
        except FileNotFoundError:
            return {}
        return {path[len(self.root) + 1:]: info.get("size") for path, info in listing.items()
                if path.startswith(self.root + "/")}

    def read(self, key: str, start: int = 0) -> bytes | None:
        try:
            if self.local is not None:
                with open(self.local / key, "rb") as f:
                    f.seek(start)
                    return f.read()
            return self.fs.cat_file(f"{self.root}/{key}", start=start or None)
        except (OSError, FileNotFoundError):
            return None

    def put(self, key: str, data: bytes) -> None:
        if self.local is not None:
            with atomic_output(self.local / key) as out:
                out.write(data)
        else:
            self.fs.pipe_file(f"{self.root}/{key}", data)  # one put: whole or absent

    def shard_records(self, key: str) -> tuple[bool, list[dict[str, Any]]]:
        """Whether a shard was tried before, and what its tries recorded."""
        if self.local is not None:
            data = self.read(f"{key}.jsonl")
            return data is not None, read_records(data or b"")
        try:
            parts = sorted(self.fs.glob(f"{self.root}/{key}.*.jsonl"))
        except FileNotFoundError:
            parts = []
        return bool(parts), [item for part in parts for item in read_records(self.read(part[len(self.root) + 1:]) or b"")]

    def record_sink(self, key: str) -> _Appender | _Parts:
        """Where a shard writes its records: appended to a file, or put in parts."""
        if self.local is not None:
            return _Appender(self.local / f"{key}.jsonl")
        return _Parts(self.fs, f"{self.root}/{key}")

    def holds(self, entries: dict[str, dict[str, Any]]) -> bool:
        """Whether the outputs of a record are there as it lists them.  On a
        file system a power cut can empty an output recorded before it; an
        object is stored whole, before its record."""
        return self.local is None or all(_size(self.local / key) == entry.get("size")
                                         for key, entry in entries.items())

    def records(self) -> list[str]:
        if self.local is not None:
            folder = self.local / RECORDS
            return sorted(f"{RECORDS}/{p.name}" for p in folder.glob("*.jsonl")) if folder.is_dir() else []
        try:
            return sorted(p[len(self.root) + 1:] for p in self.fs.glob(f"{self.root}/{RECORDS}/*.jsonl"))
        except FileNotFoundError:
            return []

    def remove(self, keys: list[str]) -> None:
        for key in keys:
            try:
                if self.local is not None:
                    (self.local / key).unlink()
                else:
                    self.fs.rm_file(f"{self.root}/{key}")
            except (OSError, FileNotFoundError):
                pass


class _StoreManifest:
    """The manifest of a run over fsspec URLs: the local one's entries, the
    input named by its URL and its version by the store's listing (a changed
    tag or size is converted again, never hashed here).  Saved whole, once, at
    the end; the shards' records keep everything meanwhile."""

    def __init__(self, store: _Store, problem: Callable[[str | None], None]):
        self.store, self.problem = store, problem
        data = store.read(MANIFEST)
        try:
            entries = json.loads(data).get("outputs", {}) if data else {}
            self.entries = {k: v for k, v in entries.items() if isinstance(v, dict)}
        except (ValueError, AttributeError):
            self.entries = {}
        self.read: dict[str, int] = {}  # bytes of each record taken in
        self._take_records()

    def _take_records(self) -> None:
        """The records written since the last look: a part object is put
        once, a file of a stopped run's shard may still be growing."""
        for key in self.store.records():
            if self.store.local is None and key in self.read:
                continue
            start = self.read.get(key, 0)
            data = self.store.read(key, start) or b""
            data = data[:data.rfind(b"\n") + 1]  # a line still being written: next time
            self.read[key] = start + len(data)
            for item in read_records(data):
                self.entries.update(item["entries"])

    def is_current(self, key: str, input: str, version: list[Any] | None, print_: str, size: int | None) -> bool:
        entry = self.entries.get(key)
        return bool(entry) and version is not None and entry.get("input") == input \
            and entry.get("fingerprint") == print_ and entry.get("size") == size \
            and entry.get("input_stat") == version

    def close(self) -> None:
        """Every record taken in (this run's shards' too, those it stopped
        listening to included), the manifest stored, the records gone."""
        self._take_records()
        try:
            self.store.put(MANIFEST, json_bytes({"outputs": dict(sorted(self.entries.items()))}, indent=1))
        except (ConvertError, OSError) as exc:
            self.problem(f"{self.store.name(MANIFEST)}: cannot write: {' '.join(str(exc).split())}: the record "
                         "of finished outputs stays in its records (a rerun takes them in)")
            return
        self.store.remove(sorted(self.read))


def run_on_store(inputs: list[Any], options: BatchOptions, on_planned: Callable[[int], None] | None,
                 problem: Callable[[str | None], None], scheduler: str) -> Iterator[Result]:
    """A batch whose inputs or output folder are fsspec URLs, on Dask."""
    store = _Store(options.out_dir)
    planned, versions = _plan_inputs(inputs, store, options)
    if not planned:
        raise UsageError(f"no input files ({', '.join(input_suffixes())}) found", " ".join(map(str, inputs)))
    if store.local is not None:
        try:
            store.local.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create the output folder: {exc.strerror}", str(store.local)) from None
        lock = batching._folder_lock(store.local)
    else:
        lock = _no_lock()
    with lock:
        if store.local is not None:
            batching.remove_stale_temporaries(store.local)
        manifest = _StoreManifest(store, problem)
        try:
            yield from _run_store_locked(planned, versions, store, manifest, options, on_planned, scheduler)
        finally:
            manifest.close()


@contextmanager
def _no_lock() -> Iterator[None]:
    # An object store has no lock a client could die holding and free: one
    # batch at a time into an output prefix is left to whoever starts them.
    yield


def _plan_inputs(inputs: list[Any], store: _Store, options: BatchOptions) -> tuple[list[tuple[str, str]],
                                                                                    dict[str, list[Any] | None]]:
    """(input's URL or path, output stem) for every input, by the local batch's
    naming rules, and the version of each input (see ``_version``)."""
    versions: dict[str, list[Any] | None] = {}
    if not any(is_url(i) for i in inputs):
        planned = batching.output_stems(inputs, options.targets, store.local, options.follow_links)
        for path, _ in planned:
            try:
                key = stat_key(path.stat())
            except OSError:
                key = None
            versions[str(path.resolve())] = list(key) if key is not None else None
        return [(str(path.resolve()), stem) for path, stem in planned], versions
    if not all(is_url(i) for i in inputs):
        raise UsageError("give the inputs of one run all as URLs or all as local paths",
                         " ".join(map(str, inputs)))
    suffixes = input_suffixes()
    found: list[tuple[PurePosixPath, PurePosixPath]] = []
    urls: dict[PurePosixPath, str] = {}
    for raw in inputs:
        fs, root = _fs(raw)
        root = root.rstrip("/")
        try:
            if fs.isfile(root):
                listing = {root: fs.info(root)}
            else:
                listing = fs.find(root, detail=True)
        except OSError as exc:
            raise UsageError(f"cannot list: {' '.join(str(exc).split())}", raw) from None
        if not listing:
            raise UsageError("no such file or folder", raw)
        for path, info in sorted(listing.items()):
            rel = PurePosixPath(path[len(root) + 1:] if path != root else PurePosixPath(path).name)
            if info.get("type", "file") != "file" or any(part.startswith(".") for part in rel.parts):
                continue
            if store.fs is not None and type(store.fs) is type(fs) and \
                    (path + "/").startswith(store.root + "/"):
                continue  # the output folder, inside the input folder: its outputs are no inputs
            suffix = rel.suffix.lower()
            if path != root and suffix not in suffixes:
                continue
            if suffix in CONTAINER_SUFFIXES and path != root:
                from .registry import SNIFF_BYTES

                if not known_by_head(suffix, fs.cat_file(path, start=0, end=SNIFF_BYTES)):
                    continue
            url = fs.unstrip_protocol(path)
            if url in versions:
                continue
            versions[url] = _version(info)
            found.append((PurePosixPath(path), rel))
            urls[PurePosixPath(path)] = url
    named = batching.name_outputs(found, options.targets, lambda p: p.parent)
    return [(urls[path], stem) for path, stem in named], versions


def _run_store_locked(planned: list[tuple[str, str]], versions: dict[str, list[Any] | None], store: _Store,
                      manifest: _StoreManifest, options: BatchOptions,
                      on_planned: Callable[[int], None] | None, scheduler: str) -> Iterator[Result]:
    prints = {t: fingerprint(t, options) for t in options.targets}
    sizes = store.sizes()
    inputs = set(versions)
    jobs: list[Job] = []
    settled: list[Result] = []
    for source, stem in planned:
        clash = next((store.name(t.filename(stem)) for t in options.targets
                      if store.name(t.filename(stem)) in inputs), None)
        if clash is not None:
            settled.append(Result(source, "failed", error=f"{source}: output {clash} would overwrite the input {clash}"))
            continue
        todo = tuple(t for t in options.targets if options.force or not manifest.is_current(
            t.filename(stem), source, versions.get(source), prints[t], sizes.get(t.filename(stem))))
        if todo:
            jobs.append(Job(source, stem, todo))  # type: ignore[arg-type] # a URL: no path here reaches it
        else:
            settled.append(Result(source, "skipped", outputs=[store.name(t.filename(stem)) for t in options.targets]))
    if on_planned:
        on_planned(len(jobs) + len(settled))
    yield from settled
    if not jobs or (options.fail_fast and any(r.status == "failed" for r in settled)):
        return
    there = replace(options, out_dir=store.local.resolve() if store.local is not None else store.url)
    if store.local is not None:
        (store.local / RECORDS).mkdir(exist_ok=True)
    input_sizes = [(versions.get(str(job.input)) or [0])[0] or 0 for job in jobs]
    for _, result in _on_cluster(scheduler, jobs, input_sizes, there, {str(t): p for t, p in prints.items()}, versions,
                                 store, os.getcwd()):
        yield result
        if options.fail_fast and result.status == "failed":
            break
