"""Single-file latency: docconv against `python -c pass` (and pandoc, if installed), in one run.

    python bench/latency.py [--runs 7] [--docconv PATH]

Each case is a fresh process; the figure is the median wall time of several
runs, and the ratio is against `python -c pass` measured in the same run, so
figures from a busy machine stay comparable with each other.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = next(iter(sorted((ROOT / "seeds").glob("*.txt"))))


def median_time(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--docconv", default=str(Path(sys.executable).with_name("docconv")))
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="latency-"))
    cases = [
        ("`python -c pass`", [sys.executable, "-c", "pass"]),
        ("`docconv --help`", [args.docconv, "--help"]),
        ("`docconv convert --help`", [args.docconv, "convert", "--help"]),
    ]
    for fmt in ("txt", "docx", "epub", "pdf"):
        cases.append((f"to {fmt}", [args.docconv, "convert", str(SEED), "-t", fmt, "-o", str(out / f"a.{fmt}")]))
    pandoc = shutil.which("pandoc")
    if pandoc:
        for fmt in ("plain", "docx", "epub"):
            cases.append((f"pandoc to {fmt}", [pandoc, str(SEED), "-f", "markdown", "-t", fmt,
                                                "-o", str(out / f"p.{fmt}")]))
    base = None
    print(f"| case | median s | × python -c pass |  (runs: {args.runs}, seed {SEED.name})")
    print("|---|---|---|")
    for name, cmd in cases:
        t = median_time(cmd, args.runs)
        base = base or t
        print(f"| {name} | {t:.3f} | {t / base:.1f} |", flush=True)
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
