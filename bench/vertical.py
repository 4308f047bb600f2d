"""Vertical layout against horizontal: single-file and batch time, in one run.

    python bench/vertical.py [--runs 5] [--pages 24]

Single file: `docconv convert SEED -t FMT` in a fresh process, median wall
time of several runs, horizontal and vertical alternating so the machine's
load falls on both alike; once with a warm per-user cache (a cache of this
run's own, filled by one run of each layout first: how a user meets it from
the second conversion on) and once with the cache off (the first run ever,
or a cache that cannot be written, less the time of writing it); bytecode
is kept, as an installed copy keeps it.  Batch:
the corpus pages (each page's text copy) converted in this process, every
page once per layout, after one warm-up page, so the fonts and modules
loaded once are not counted; the two layouts alternate page by page, and
the pass is repeated.  Each time is given as wall time and as processor
time (of the child process, or of this one), which a machine shared with
other work disturbs less.  The figure that matters is the ratio vertical /
horizontal (the target is at most 1.5).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = next(iter(sorted((ROOT / "seeds").glob("*.txt"))))
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
FORMATS = ("pdf", "epub", "docx")
LAYOUTS = ("horizontal", "vertical")


Times = dict[str, tuple[float, float]]  # layout -> (wall seconds, processor seconds)


def single_file(fmt: str, runs: int, out: Path, cache: str) -> Times:
    """Median seconds of one-file runs for each layout; ``cache`` is the
    cache directory (warmed here first) or "off"."""
    from convert import _cache

    docconv = str(Path(sys.executable).with_name("docconv"))
    # Bytecode kept, in a place of this run's own, even where
    # PYTHONDONTWRITEBYTECODE is set: an installed copy never compiles
    # itself on every run.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update({_cache.ENV: cache, "PYTHONPYCACHEPREFIX": str(out / "pycache")})

    def run(layout: str) -> tuple[float, float]:
        cmd = [docconv, "convert", str(SEED), "-t", fmt, "--layout", layout,
               "-o", str(out / f"single.{layout}.{fmt}")]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime

    for layout in LAYOUTS:  # fills the cache (unless off) and the bytecode
        run(layout)
    times: dict[str, list[tuple[float, float]]] = {layout: [] for layout in LAYOUTS}
    for _ in range(runs):
        for layout in LAYOUTS:
            times[layout].append(run(layout))
    return {layout: _medians(t) for layout, t in times.items()}


def batch(fmt: str, pages: list[Path], out: Path, runs: int) -> Times:
    """Median total of ``runs`` passes over the pages, the two layouts
    alternating page by page."""
    from convert import api

    api.convert(pages[0], to=fmt, out_dir=out / "warm", layout="vertical")
    api.convert(pages[0], to=fmt, out_dir=out / "warm", layout="horizontal")
    totals: dict[str, list[tuple[float, float]]] = {layout: [] for layout in LAYOUTS}
    for _ in range(runs):
        spent = {layout: [0.0, 0.0] for layout in LAYOUTS}
        for page in pages:
            for layout in LAYOUTS:
                wall, cpu = time.perf_counter(), time.process_time()
                api.convert(page, to=fmt, out_dir=out / layout, layout=layout)
                spent[layout][0] += time.perf_counter() - wall
                spent[layout][1] += time.process_time() - cpu
        for layout in LAYOUTS:
            totals[layout].append((spent[layout][0], spent[layout][1]))
    return {layout: _medians(t) for layout, t in totals.items()}


def _medians(times: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in times), statistics.median(c for _, c in times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=24)
    args = parser.parse_args()
    pages = sorted(CORPUS.glob("*.txt"))[: args.pages]
    out = Path(tempfile.mkdtemp(prefix="vertical-"))
    from convert import _cache

    os.environ[_cache.ENV] = str(out / "cache")  # the batch's too: the user's own cache is left alone
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
          "load average " + " ".join(f"{load:.2f}" for load in os.getloadavg()), f"{os.cpu_count()} CPUs")
    print(f"seed {SEED.name}; batch over {len(pages)} corpus pages; median of {args.runs} runs; "
          f"ratio = vertical / horizontal (target: at most 1.5); wall time / processor time\n")
    print("| format | run | horizontal | vertical | ratio, wall | ratio, processor |")
    print("|---|---|---|---|---|---|")
    for fmt in FORMATS:
        warm = single_file(fmt, args.runs, out, str(out / "cache"))
        cold = single_file(fmt, args.runs, out, "off")
        many = batch(fmt, pages, out, args.runs)
        for label, spent in (("one file, warm cache", warm), ("one file, cache off", cold),
                             (f"batch of {len(pages)}", many)):
            (h_wall, h_cpu), (v_wall, v_cpu) = spent["horizontal"], spent["vertical"]
            print(f"| {fmt} | {label} | {h_wall:.2f} s / {h_cpu:.2f} s | {v_wall:.2f} s / {v_cpu:.2f} s | "
                  f"{v_wall / h_wall:.2f}× | {v_cpu / h_cpu:.2f}× |", flush=True)
    print("\nload average at the end " + " ".join(f"{load:.2f}" for load in os.getloadavg()))


if __name__ == "__main__":
    main()
