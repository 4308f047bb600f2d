"""The batch on Dask against the local process pool, on the same documents.

    python bench/dask_bench.py [--n 1000] [--results bench/RESULTS.md]

Builds N seed-like documents (bench/run.py's way) and converts them to every
default format three times, each into a fresh folder:

* locally, ``docconv batch -j 2`` (the process pool, one worker a core);
* on a running 2-worker LocalCluster (one thread each, on 127.0.0.1),
  ``docconv batch --scheduler tcp://...``, after one small run has warmed
  its workers, as a long-running cluster is;
* the same, with each shard's child process ended with its shard (as the
  first version of the engine did: ``convert.distributed.KEEP_CHILDREN``),
  to measure what keeping a worker's child from shard to shard saves;
* with ``--scheduler local:2``, the cluster started (and stopped) by the run.

Dask's overhead is the distributed run's CPU time, of every process taking
part, over the local pool's (wall time too, though on a shared machine the
load of others stretches it).  The fixed cost of a shard is measured apart:
the same 256 one-line texts, text output only, in shards of one file and in
shards of 32, on the running cluster; the difference in CPU time over the
difference in shards is what a shard costs whatever it holds.  So is the
client's start: ``docconv``'s import with a Dask client connecting and
closing, less the import alone.  From these,
a projection for 10 million pages, and what would limit it first.
The outputs of the runs are compared byte for byte.  Figures go into their
own section of --results.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work" / "dask"
DOCCONV = str(Path(sys.executable).parent / "docconv")
SECTION = "## Batch on Dask"

sys.path.insert(0, str(ROOT / "bench"))
from run import build_inputs  # noqa: E402  (bench/run.py, beside this file)


def cpu_seconds() -> float:
    """CPU time of this process (the cluster's scheduler runs in it), of its
    children that have ended (the client, a local batch and its workers),
    and of those still running (the cluster's nannies and workers) with the
    children they have ended (the child processes of each shard)."""
    import psutil

    total = sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
                for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    for child in psutil.Process().children(recursive=True):
        try:
            t = child.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.Error:
            pass
    return total


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of every process taking part)."""
    cpu = cpu_seconds()
    started = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {r.stderr[-2000:]}")
    return time.perf_counter() - started, cpu_seconds() - cpu


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def client_cost(address: str) -> float:
    """CPU seconds a run spends starting and closing its Dask client."""
    bare = "import convert.cli, convert.distributed"
    connect = bare + f"\nfrom convert.distributed import _client\nwith _client({address!r}): pass"
    times = {}
    for name, code in (("bare", bare), ("connect", connect)):
        times[name] = min(timed([sys.executable, "-c", code])[1] for _ in range(3))
    return times["connect"] - times["bare"]


def _set_keep_children(keep: bool) -> None:
    """In a worker: keep its child from shard to shard, or end it with each."""
    import convert.distributed as engine

    engine.KEEP_CHILDREN = keep
    engine.release_pools()


def shard_cost(address: str) -> tuple[float, float, float]:
    """(CPU seconds a shard costs, CPU seconds in shards of 1, in shards of 32)."""
    import convert
    import convert.distributed as engine
    from convert.batching import BatchOptions
    from convert.distributed import run

    folder = WORK / "tiny"
    folder.mkdir(parents=True)
    for i in range(256):
        (folder / f"t{i:03d}.txt").write_text(f"标题{i}\n\n正文第{i}段，说明一件事情。\n", "utf-8")
    times = {}
    saved = engine.SHARD_LEAST, engine.SHARD_MOST
    try:
        for size in (1, 32):
            engine.SHARD_LEAST = engine.SHARD_MOST = size
            out = WORK / f"tiny-out-{size}"
            started = cpu_seconds()
            results = list(run([folder], BatchOptions(out, (convert.Target("txt", "hans"),)), scheduler=address))
            times[size] = cpu_seconds() - started
            assert {r.status for r in results} == {"ok"}, results
    finally:
        engine.SHARD_LEAST, engine.SHARD_MOST = saved
    shards = {1: 256, 32: 8}
    per = (times[1] - times[32]) / (shards[1] - shards[32])
    return per, times[1], times[32]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each, taken in turns; the fastest counts (others share the machine)")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--render", action="store_true",
                        help="write the section again from the last run's figures and outputs, measuring nothing")
    args = parser.parse_args()
    if args.render:
        render(json.loads((WORK / "figures.json").read_text("utf-8")), args.results)
        return

    from distributed import Client, LocalCluster

    if WORK.exists():
        shutil.rmtree(WORK)
    inputs = WORK / "in"
    build_inputs(args.n, inputs)
    threads = 2
    runs = ("local", "dask", "fresh")
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    import dask

    from convert.distributed import QUIET_CLUSTER

    # Configured as the README has a cluster started for docconv.
    with dask.config.set(QUIET_CLUSTER), LocalCluster(
            n_workers=threads, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        address = cluster.scheduler_address
        warm = WORK / "warm"
        warm.mkdir()
        for p in sorted(inputs.iterdir())[:4]:
            shutil.copy(p, warm / p.name)
        timed([DOCCONV, "batch", str(warm), "-o", str(WORK / "warm-out"), "--scheduler", address, "-q"])
        before = cpu_seconds()
        time.sleep(20)
        idle = (cpu_seconds() - before) / 20
        print(f"idle cluster: {idle:.3f} s of CPU a second")
        for _ in range(args.repeat):
            for name in runs:
                if (WORK / name).exists():
                    shutil.rmtree(WORK / name)
            for name in runs:
                if name == "local":
                    cmd = [DOCCONV, "batch", str(inputs), "-o", str(WORK / name), "-j", str(threads), "-q"]
                else:
                    client.run(_set_keep_children, name == "dask")
                    cmd = [DOCCONV, "batch", str(inputs), "-o", str(WORK / name), "--scheduler", address, "-q"]
                w, c = timed(cmd)
                wall[name].append(w)
                cpu[name].append(c)
                print(f"{name}: {w:.1f} s, {c:.1f} s of CPU")
        client.run(_set_keep_children, True)
        per_shard, one_s, many_s = shard_cost(address)
        print(f"a shard's fixed cost: {per_shard * 1000:.0f} ms of CPU ({one_s:.1f} s in 256 shards, {many_s:.1f} s in 8)")
        start_c = client_cost(address)
        print(f"a client's start and close: {start_c:.2f} s of CPU")
    cold_s, cold_c = timed([DOCCONV, "batch", str(inputs), "-o", str(WORK / "cold"), "--scheduler", f"local:{threads}",
                            "-q"])
    print(f"--scheduler local:{threads} (cluster started by the run): {cold_s:.1f} s, {cold_c:.1f} s of CPU")
    figures = {"n": args.n, "threads": threads, "idle": idle, "wall": wall, "cpu": cpu, "per_shard": per_shard,
               "one_s": one_s, "many_s": many_s, "start_c": start_c, "cold_s": cold_s, "cold_c": cold_c,
               "load": os.getloadavg()[0], "date": date.today().isoformat()}
    (WORK / "figures.json").write_text(json.dumps(figures, indent=1), "utf-8")
    render(figures, args.results)


def render(figures: dict, results: Path) -> None:
    """The section of RESULTS.md from the measured figures, and the outputs
    the runs left in WORK (compared, counted, their manifest serialised)."""
    n, threads, idle, wall, cpu = (figures[k] for k in ("n", "threads", "idle", "wall", "cpu"))
    per_shard, one_s, many_s, start_c = (figures[k] for k in ("per_shard", "one_s", "many_s", "start_c"))
    cold_s, cold_c = figures["cold_s"], figures["cold_c"]
    runs = ("local", "dask", "fresh")
    local, dask_out, fresh, cold = (files(WORK / name) for name in ("local", "dask", "fresh", "cold"))
    same = local == dask_out == fresh == cold
    print(f"outputs byte-identical: {same} ({len(local)} files)")
    manifest = (WORK / "dask" / ".docconv-manifest.json").stat().st_size
    outputs_per_doc = len(local) / n
    out_bytes_per_doc = sum(map(len, local.values())) / n

    started = time.perf_counter()
    entries = json.loads((WORK / "dask" / ".docconv-manifest.json").read_text("utf-8"))["outputs"]
    json.dumps({"outputs": dict(sorted(entries.items()))}, ensure_ascii=False, indent=1)
    merge_s_per_entry = (time.perf_counter() - started) / len(entries)

    local_s, dask_s, fresh_s = (min(wall[name]) for name in runs)
    local_c, dask_c, fresh_c = (min(cpu[name]) for name in runs)
    overhead = dask_s / local_s - 1
    cpu_overhead = dask_c / local_c - 1
    per_core = n / local_c  # documents a second, one core, every format
    from convert.batching import CHECKPOINT_EVERY
    from convert.distributed import SHARD_LEAST, SHARD_MOST, SHARDS_PER_THREAD

    size = max(SHARD_LEAST, min(SHARD_MOST, -(-n // (threads * SHARDS_PER_THREAD))))
    n_shards = -(-n // size)  # in the runs above
    keeping = idle * dask_s
    rest = dask_c - local_c - keeping - per_shard * n_shards - start_c
    kept_saves = (fresh_c - dask_c) / n_shards  # a shard's child, forked and ended with it
    shard_all = per_shard + max(rest, 0) / n_shards  # what is not accounted for, counted to the shards
    pages = 10_000_000
    shards = -(-pages // SHARD_MOST)
    projection = []
    for cores in (16, 64, 256):
        work_s = pages / (per_core * cores)
        fixed_s = shards * shard_all / cores
        docs_s = per_core * cores
        projection.append((cores, (work_s + fixed_s) / 3600, docs_s, docs_s * (outputs_per_doc + 1),
                           docs_s * out_bytes_per_doc / 1e6))
    entries_total = pages * outputs_per_doc
    manifest_gb = manifest / len(entries) * entries_total / 1e9
    merge_min = merge_s_per_entry * entries_total / 60
    met = cpu_overhead <= 0.05

    def row(label: str, c: float, w: float) -> str:
        return (f"| {label} | {c:.1f} | {c / local_c:.3f} ({c / local_c - 1:+.1%}) | {w:.1f} | "
                f"{w / local_s:.3f} ({w / local_s - 1:+.1%}) |")

    def listed(name: str, what: dict[str, list[float]]) -> str:
        return ", ".join(f"{t:.1f}" for t in what[name])

    turns = ", ".join(f"{d / loc - 1:+.1%}" for loc, d in zip(cpu["local"], cpu["dask"], strict=True))

    lines = [
        f"{SECTION} (`python bench/dask_bench.py --n {n}`, {figures['date']}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()})",
        "",
        f"The same {n} seed-like documents (bench/run.py's), every default format "
        f"({outputs_per_doc:.0f} outputs each), each run into a fresh folder.  The cluster is a "
        f"LocalCluster of {threads} worker processes of one thread on 127.0.0.1, on the same {os.cpu_count()} cores "
        "as its scheduler and the client.",
        "",
        "| run | CPU seconds (all its processes) | against the local pool | wall seconds | against the local pool |",
        "|---|---:|---:|---:|---:|",
        f"| local pool, `-j {threads}` | {local_c:.1f} | 1 | {local_s:.1f} | 1 |",
        row("running cluster, `--scheduler tcp://...`", dask_c, dask_s),
        row("the same, a child process a shard (the first version)", fresh_c, fresh_s),
        row(f"`--scheduler local:{threads}` (starts and stops the cluster)", cold_c, cold_s),
        "",
        f"Least of {len(cpu['local'])} runs each, taken in turns (CPU, local: {listed('local', cpu)} s; running "
        f"cluster: {listed('dask', cpu)} s; a child a shard: {listed('fresh', cpu)} s; wall, local: "
        f"{listed('local', wall)} s; running cluster: {listed('dask', wall)} s; a child a shard: "
        f"{listed('fresh', wall)} s).  The machine is shared with other work (a load of "
        f"{figures['load']:.1f} on {os.cpu_count()} cores at the end), which stretches wall time by "
        "as much as the difference between the engines: the CPU time of every process taking part "
        "(the client, the scheduler, nannies, workers and their children) is the overhead that does not "
        "depend on it.  The cluster stays up, idle, during the local runs.",
        "",
        f"**What a worker's child kept from shard to shard saves: {fresh_c - dask_c:.1f} s of CPU, "
        f"{kept_saves:.2f} s a shard** of every format ({n_shards} shards of {size}).  A child forked for a "
        "shard and ended with it threw away all it had warmed beyond what the worker loads before "
        "forking (the fonts' glyph tables as the PDF and DOCX writers touch them, the writers' caches, the "
        "memory pages copied from the worker as they are written); a local pool's children pay that once "
        "a run, and now so does each worker thread's child, once in the worker's life.  A file that "
        "crashes or hangs it still takes down only that child (the next shard gets a fresh one), and the "
        "time-out still stops a file alone.",
        "",
        (f"Where the {dask_c - local_c:.1f} s of CPU the cluster still adds go: " if dask_c >= local_c else
         f"The running cluster spent {local_c - dask_c:.1f} s of CPU less than the local pool, most likely as its "
         "workers had loaded the writers, fonts and OpenCC before the run (as a cluster kept up has), where each of the "
         "local pool's children loads them at its start; and its client neither journals each output nor "
         f"saves the manifest, with a sync of the disk, every {CHECKPOINT_EVERY} files, as the local batch does "
         "(the workers' records, taken in once at the end, stand for both).  What the cluster costs, each part "
         "measured: ")
        + f"{keeping:.1f} s to its processes "
        f"keeping time (heartbeats, monitors, the event loops of the scheduler, {threads} nannies and "
        f"{threads} workers: {idle:.3f} s of CPU a second, measured idle before the runs, over the run's "
        f"{dask_s:.1f} s); {start_c:.1f} s to the client's start (importing Dask, connecting, closing: "
        f"measured apart); {per_shard * n_shards:.1f} s to the {n_shards} shards' fixed cost as measured below; "
        + (f"{rest:+.1f} s otherwise (within the noise of a shared machine: the local runs' own CPU times "
           f"differ by {max(cpu['local']) - min(cpu['local']):.1f} s).  " if dask_c >= local_c else
           f"{keeping + start_c + per_shard * n_shards:.1f} s in all.  ")
        + (f"**The issue's target, at most 5% over the local pool, is met on this machine: {cpu_overhead:+.1%} "
           f"in CPU, {overhead:+.1%} in wall time** (the running cluster against the local pool run just before "
           f"it, turn by turn: {turns} in CPU)" if met else
           f"**The issue's target, at most 5% over the local pool, is not met on this machine: "
           f"{cpu_overhead:+.1%} in CPU, {overhead:+.1%} in wall time**")
        + f", with the whole cluster on the same {os.cpu_count()} cores as the work.  What is a cost of "
        "each process (its keeping time, the client's start) is divided by the cores of a machine on a real "
        "cluster, one worker process a machine with a thread a core (`dask worker --nthreads N`) and its "
        f"scheduler apart, and by the length of the run; what is a cost of each shard shrinks with shards of "
        f"{SHARD_MOST} (below).",
        "",
        f"A cluster started for the run (`--scheduler local:{threads}`) costs {cold_c - dask_c:.1f} s of CPU more "
        "than the running one: its scheduler, nannies and workers started, Dask imported in each, each worker's "
        "writers, fonts and OpenCC loaded before its first shard and its child forked.  It is paid once a run, "
        "whatever its length; a cluster kept up pays it once.",
        "",
        f"Outputs of the four runs byte-identical: {'yes' if same else 'NO'} ({len(local)} files).",
        "",
        f"A shard's fixed cost: {per_shard * 1000:.0f} ms of CPU (256 one-line texts, text output: "
        f"{one_s:.1f} s of CPU in 256 shards, {many_s:.1f} s in 8; the difference over the 248 shards more): "
        "the Dask task there and back, the shard's record file, its results sent to the client.  "
        f"A shard of {SHARD_MOST} documents of every format is some {SHARD_MOST / per_core:.0f} s of a core, so "
        f"the fixed cost is {per_shard / (SHARD_MOST / per_core):.2%} of it.",
        "",
        f"### 10 million pages, projected from these figures ({per_core:.1f} documents/s a core, every format, "
        f"and {shard_all * 1000:.0f} ms a shard, what the cluster adds beyond its keeping time and the client's start "
        "counted to its shards; the keeping time left out, as a real cluster keeps it apart)",
        "",
        f"{shards:,} shards of {SHARD_MOST} (the scheduler's tasks; Dask is comfortable to about 10^5).",
        "",
        "| cores | hours | documents/s | writes/s (outputs and records) | MB/s written |",
        "|---:|---:|---:|---:|---:|",
        *[f"| {c} | {h:.1f} | {d:,.0f} | {w:,.0f} | {mb:.0f} |" for c, h, d, w, mb in projection],
        "",
        "What limits it first, in order:",
        "",
        f"* **The manifest merge.**  The manifest is one JSON file with an entry an output: "
        f"{entries_total / 1e6:.0f} million entries, some {manifest_gb:.0f} GB, held in the client's "
        f"memory and written whole at the end ({merge_min:.0f} min of one core to serialise, measured "
        f"at {merge_s_per_entry * 1e6:.1f} µs an entry).  Up to a million pages or so it is minutes; at "
        "10 million the client's memory runs out before any other limit is reached.  The records are "
        "already per shard; a manifest kept per shard (or per input folder) would remove this limit.",
        f"* **Storage requests.**  At 256 cores the run writes some {projection[-1][3]:,.0f} objects a second. "
        "S3 takes about 3,500 writes a second per prefix: outputs keep their input's sub-folder, so an "
        "archive of many folders spreads over many prefixes; a flat one at 256 cores is held to about "
        f"{3500 / (outputs_per_doc + 1):,.0f} documents a second.  A shared file system's metadata server "
        f"meets the same rate of creates and renames.  Bytes ({projection[-1][4]:.0f} MB/s) are not the limit.",
        f"* **The scheduler** last: {shards:,} tasks at about a millisecond each is under a minute of its "
        "time over the whole run, and each finished shard sends back a few hundred small results.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    old = results.read_text("utf-8") if results.exists() else "# Benchmark results\n"
    if SECTION in old:
        start = old.index(SECTION)
        nxt = old.find("\n## ", start + 1)
        old = old[:start] + text + (old[nxt + 1:] if nxt != -1 else "")
    else:
        old = old.rstrip("\n") + "\n\n" + text
    results.write_text(old, "utf-8")
    print(f"written {results}")


if __name__ == "__main__":
    main()
