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
  OpenCC once (``_prepare_worker``), and share them.
* Each file a shard finishes is recorded at once: a JSON line in the output
  folder's ``.docconv-records`` (``batching.RECORDS``), one file a shard (on
  an object store, a part object at most RECORD_SECONDS later).  A shard
  tried again after its worker died gives back what is recorded and
  converts only the rest; the client merges the records into the manifest,
  and any later run takes in those it never heard of (its client died), so
  a rerun redoes only what no record covers.
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


def _gather(client: Any, work: dict[Any, list[Job]], lost: Callable[[list[Job], int], list[Any]],
            failed: Callable[[Job, str], Any]) -> Iterator[tuple[Job, Any]]:
    """Each shard's jobs with what the worker gave back, as shards finish.
    ``lost(shard, n)``: what is left of a shard whose workers died n times
    (Dask gives up on a task then); ``failed(job, error)``: a job's failure."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    try:
        for future in as_completed(list(work)):
            shard = work.pop(future)
            try:
                back = future.result()
            except KilledWorker:
                import dask

                back = lost(shard, int(dask.config.get("distributed.scheduler.allowed-failures")) + 1)
            except CancelledError:
                raise ConvertError("lost the Dask scheduler: the outputs finished are kept, and a rerun "
                                   "converts only the rest", str(future.key)) from None
            except Exception as exc:  # the shard's own code failed on its worker: its files say why
                cause = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
                back = [failed(job, f"{job.input}: its shard failed on a Dask worker: {cause}") for job in shard]
            yield from zip(shard, back, strict=True)
    finally:
        if work:  # stopped early (Ctrl-C, --fail-fast): hand out no more shards
            client.cancel(list(work))


def _run_name() -> str:
    return time.strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)


# ------------------------------------------------------------------ the worker


_WARMED: set[Target] = set()


def _prepare_worker(targets: Iterable[Target]) -> None:
    """Once in a worker: what a shard's child processes should find loaded."""
    # Dask starts its workers as daemonic processes, which multiprocessing
    # forbids to have children.  The children of a shard die with the
    # worker all the same (batching._die_with), which is what the rule is for.
    me = multiprocessing.current_process()
    if me.daemon:
        me._config["daemon"] = False  # type: ignore[attr-defined]
    # Dask's workers are spawned, and so would their children be, each
    # loading the writers, fonts and OpenCC again for every shard.  Forked,
    # they start with the worker's.  Only this package's code runs in them.
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


def convert_shard(jobs: list[Job], options: BatchOptions, prints: dict[str, str], records: str,
                  cwd: str) -> list[Result]:
    """On a worker: the files of a shard, on a file system every worker sees.
    ``cwd``: the client's folder, which relative paths are relative to."""
    _prepare_worker(options.targets)
    path = Path(records)
    out_dir = Path(cwd, options.out_dir)
    done: dict[str, Result] = {}
    try:
        earlier = read_records(path.read_bytes())  # this shard's records of a worker that died
    except OSError:
        earlier = []
    for item in earlier:
        outputs = item["entries"]
        if item["result"].get("status") == "failed" or all(
                _size(out_dir / key) == entry.get("size") for key, entry in outputs.items()):
            done[item["input"]] = batching.result_from_record(item)
    todo = [job for job in jobs if str(job.input) not in done]
    if path.exists():  # a worker killed in this shard before left its files' temporaries behind
        _sweep(out_dir, todo)
    if todo:
        sink = _Appender(path)
        try:
            def keep(job: Job, result: Result) -> None:
                entries = {}
                if result.status == "ok":
                    for target in job.targets:
                        output = out_dir / target.filename(job.stem)
                        entry = batching.manifest_entry(output, Path(cwd, job.input), prints[str(target)],
                                                        result.source)
                        if entry is not None:
                            entries[output.relative_to(out_dir).as_posix()] = entry
                sink.add(record_line(str(job.input), result, entries))
                done[str(job.input)] = result

            work = partial(batching._convert_job, convert_one=partial(_convert_here, cwd=cwd))
            for job, result in batching._in_pool(todo, replace(options, jobs=1), keep, work=work,
                                                 sweep=partial(_sweep, out_dir)):
                keep(job, result)
        finally:
            sink.close()
    return [done[str(job.input)] for job in jobs]


def _convert_here(job: Job, options: BatchOptions, *, cwd: str) -> Result:
    # In a shard's own child process: the paths read as the client gave them,
    # so the outputs (a JSON document names its input) are a local batch's.
    os.chdir(cwd)
    return batching._convert_file(job, options)


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
    records = Path(cwd, options.out_dir, RECORDS)
    try:
        records.mkdir(exist_ok=True)
    except OSError as exc:
        raise ConvertError(f"cannot write: {exc.strerror or exc}", str(records)) from None
    by_name = {str(t): p for t, p in prints.items()}

    def lost(name: str, shard: list[Job], deaths: int) -> list[Result]:
        try:
            finished = {item["input"]: batching.result_from_record(item)
                        for item in read_records((records / name).read_bytes())}
        except OSError:
            finished = {}
        return [finished.get(str(job.input)) or Result(
            str(job.input), "failed", error=f"{job.input}: the Dask workers converting it died {deaths} "
            "times (a crash, or out of memory, outside the conversion)") for job in shard]

    with _client(scheduler) as client:
        shards = plan_shards(jobs, [_size(job.input) or 0 for job in jobs], _threads(client))
        run = _run_name()
        work: dict[Any, list[Job]] = {}
        names: dict[int, str] = {}
        for n, shard in enumerate(shards):
            names[id(shard)] = f"{run}-{n:06d}.jsonl"
            future = client.submit(convert_shard, shard, options, by_name, str(records / names[id(shard)]), cwd,
                                   key=f"docconv-{run}-{n:06d}", pure=False)
            work[future] = shard
        yield from _gather(client, work, lambda shard, deaths: lost(names[id(shard)], shard, deaths),
                           lambda job, error: Result(str(job.input), "failed", error=error))


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

    def read(self, key: str) -> bytes | None:
        try:
            if self.local is not None:
                return (self.local / key).read_bytes()
            return self.fs.cat_file(f"{self.root}/{key}")
        except (OSError, FileNotFoundError):
            return None

    def put(self, key: str, data: bytes) -> None:
        if self.local is not None:
            with atomic_output(self.local / key) as out:
                out.write(data)
        else:
            self.fs.pipe_file(f"{self.root}/{key}", data)  # one put: whole or absent

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
        self.taken = self._take_records()

    def _take_records(self) -> list[str]:
        keys = self.store.records()
        for key in keys:
            for item in read_records(self.store.read(key) or b""):
                self.entries.update(item["entries"])
        return keys

    def is_current(self, key: str, input: str, version: list[Any] | None, print_: str, size: int | None) -> bool:
        entry = self.entries.get(key)
        return bool(entry) and version is not None and entry.get("input") == input \
            and entry.get("fingerprint") == print_ and entry.get("size") == size \
            and entry.get("input_stat") == version

    def close(self) -> None:
        taken = sorted(set(self.taken) | set(self._take_records()))
        try:
            self.store.put(MANIFEST, json_bytes({"outputs": dict(sorted(self.entries.items()))}, indent=1))
        except (ConvertError, OSError) as exc:
            self.problem(f"{self.store.name(MANIFEST)}: cannot write: {' '.join(str(exc).split())}: the record "
                         "of finished outputs stays in its records (a rerun takes them in)")
            return
        self.store.remove(taken)


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
    by_name = {str(t): p for t, p in prints.items()}
    records = f"{store.url}/{RECORDS}" if store.local is None else str(store.local / RECORDS)
    if store.local is not None:
        (store.local / RECORDS).mkdir(exist_ok=True)

    def lost(shard: list[Job], deaths: int) -> list[tuple[Result, dict[str, Any]]]:
        return [(Result(str(job.input), "failed", error=f"{job.input}: the Dask workers converting it died "
                        f"{deaths} times (a crash, or out of memory, outside the conversion)"), {}) for job in shard]

    with _client(scheduler) as client:
        sized = [(versions.get(str(job.input)) or [0])[0] or 0 for job in jobs]
        shards = plan_shards(jobs, sized, _threads(client))
        run = _run_name()
        work = {}
        for n, shard in enumerate(shards):
            future = client.submit(convert_store_shard, shard, there, by_name,
                                   {str(j.input): versions.get(str(j.input)) for j in shard},
                                   f"{records}/{run}-{n:06d}", os.getcwd(), key=f"docconv-{run}-{n:06d}",
                                   pure=False)
            work[future] = shard
        for _, (result, entries) in _gather(client, work, lost,
                                            lambda job, error: (Result(str(job.input), "failed", error=error), {})):
            manifest.entries.update(entries)
            yield result
            if options.fail_fast and result.status == "failed":
                break


def convert_store_shard(jobs: list[Job], options: BatchOptions, prints: dict[str, str],
                        versions: dict[str, list[Any] | None], records: str,
                        cwd: str) -> list[tuple[Result, dict[str, Any]]]:
    """On a worker: the files of a shard whose inputs or outputs are fsspec URLs."""
    _prepare_worker(options.targets)
    out_fs = _fs(records)[0] if is_url(records) else None
    prefix = _fs(records)[1] if out_fs is not None else records
    done: dict[str, tuple[Result, dict[str, Any]]] = {}
    if out_fs is not None:
        try:
            parts = sorted(out_fs.glob(f"{prefix}.*.jsonl"))
            earlier = [item for p in parts for item in read_records(out_fs.cat_file(p))]
        except (OSError, FileNotFoundError):
            earlier = []
    else:
        try:
            earlier = read_records(Path(f"{prefix}.jsonl").read_bytes())
        except OSError:
            earlier = []
    for item in earlier:  # what a worker that died finished of this shard
        done[item["input"]] = (batching.result_from_record(item), item["entries"])
    todo = [job for job in jobs if str(job.input) not in done]
    if isinstance(options.out_dir, Path) and Path(f"{prefix}.jsonl").exists():
        _sweep(options.out_dir, todo)  # a worker killed in this shard before left their temporaries
    if todo:
        sink: _Appender | _Parts = _Parts(out_fs, prefix) if out_fs is not None else _Appender(Path(f"{prefix}.jsonl"))
        scratch = tempfile.mkdtemp(prefix="docconv-shard-")
        try:
            def keep(job: Job, result: Result) -> None:
                entries = getattr(result, "entries", {}) if result.status == "ok" else {}
                sink.add(record_line(str(job.input), result, entries))
                if hasattr(result, "entries"):
                    del result.entries
                done[str(job.input)] = (result, entries)

            work = partial(batching._convert_job, convert_one=partial(
                _convert_from_store, scratch=scratch, prints=prints, versions=versions, cwd=cwd))
            sweep = partial(_sweep, options.out_dir) if isinstance(options.out_dir, Path) else (lambda lost: None)
            for job, result in batching._in_pool(todo, replace(options, jobs=1), keep, work=work, sweep=sweep):
                keep(job, result)
        finally:
            sink.close()
            shutil.rmtree(scratch, ignore_errors=True)
    return [done[str(job.input)] for job in jobs]


def _convert_from_store(job: Job, options: BatchOptions, *, scratch: str, prints: dict[str, str],
                        versions: dict[str, list[Any] | None], cwd: str) -> Result:
    """In a shard's child process: one input read from its store, its outputs
    written into the local output folder or stored whole, one put each."""
    os.chdir(cwd)  # a reference document named relative to the client's folder
    source = str(job.input)
    data = None
    if is_url(source):
        fs, path = _fs(source)
        try:
            size = fs.size(path)
            if size is not None and size > options.max_size:
                raise InputError(too_large(options.max_size), source)
            data = fs.cat_file(path)
        except FileNotFoundError:
            raise InputError("no such file", source) from None
        except OSError as exc:
            raise InputError(f"cannot read: {' '.join(str(exc).split())}", source) from None
    common = dict(to=job.targets, encoding=options.encoding, transforms=options.transforms,
                  writer_options=options.writer_options, stem=job.stem, durable=False,
                  metadata=dict(options.metadata), max_size=options.max_size, data=data, reader=options.reader)
    if isinstance(options.out_dir, Path):  # a folder every worker sees: written beside and renamed
        result = convert(source, out_dir=options.out_dir, **common)
        made = [(Path(o), Path(o).relative_to(options.out_dir).as_posix()) for o in result.outputs]
        result.entries = _entries(made, job, source, result, prints, versions)  # type: ignore[attr-defined]
        return result
    here = Path(tempfile.mkdtemp(dir=scratch))
    try:
        result = convert(source, out_dir=here, **common)
        made = [(Path(o), Path(o).relative_to(here).as_posix()) for o in result.outputs]
        result.entries = _entries(made, job, source, result, prints, versions)  # type: ignore[attr-defined]
        fs, root = _fs(str(options.out_dir))
        root = root.rstrip("/")
        stored: list[str] = []
        try:
            for local, key in made:
                fs.put_file(str(local), f"{root}/{key}")  # one put: the object is whole or absent
                stored.append(f"{root}/{key}")
        except Exception as exc:
            for path in stored:  # all of a file's outputs or none, as on a file system
                try:
                    fs.rm_file(path)
                except (OSError, FileNotFoundError):
                    pass
            raise ConvertError(f"cannot write: {' '.join(str(exc).split())}",
                               fs.unstrip_protocol(f"{root}/{made[len(stored)][1]}")) from None
        result.outputs = [f"{str(options.out_dir).rstrip('/')}/{key}" for _, key in made]
        return result
    finally:
        shutil.rmtree(here, ignore_errors=True)


def _entries(made: list[tuple[Path, str]], job: Job, source: str, result: Result, prints: dict[str, str],
             versions: dict[str, list[Any] | None]) -> dict[str, dict[str, Any]]:
    """The manifest entries of a file's outputs, made before they leave this machine."""
    if result.source is None:
        return {}
    return {key: {"input": source, "fingerprint": prints[str(target)], "size": _size(local),
                  "input_size": result.source.size, "input_sha256": result.source.sha256,
                  "input_stat": versions.get(source)}
            for target, (local, key) in zip(job.targets, made, strict=True)}
