"""Single-file latency: docconv against `python -c pass` (and pandoc, if installed), in one run.

    python bench/latency.py [--runs 7] [--docconv [LABEL=]PATH ...]

Each case is a fresh process; the figure is the median wall time of several
runs, and the ratio is against `python -c pass` measured in the same run, so
figures from a busy machine stay comparable with each other.

The commands run with bytecode kept (in a temporary ``PYTHONPYCACHEPREFIX``,
even where ``PYTHONDONTWRITEBYTECODE`` is set) and each once before it is
timed, as an installed package runs: pip compiles its modules when it installs
them, and an editable checkout has them compiled after its first run.  The
per-user cache (fonts) is warm too, for the same reason.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = next(iter(sorted((ROOT / "seeds").glob("*.txt"))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--docconv", action="append", metavar="[LABEL=]PATH",
                        help="docconv to measure (repeatable, to compare two builds in one run; "
                             "default: the one beside this Python)")
    args = parser.parse_args()
    builds = [tuple(d.split("=", 1)) if "=" in d else (d, d) for d in args.docconv or ()] or [
        ("docconv", str(Path(sys.executable).with_name("docconv")))]
    out = Path(tempfile.mkdtemp(prefix="latency-"))
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(out / "pycache")
    cases = [("`python -c pass`", {"": [sys.executable, "-c", "pass"]})]
    shapes = [("`docconv --help`", ["--help"]), ("`docconv convert --help`", ["convert", "--help"])]
    shapes += [(f"to {fmt}", ["convert", str(SEED), "-t", fmt, "-o", str(out / f"a.{fmt}")])
               for fmt in ("txt", "docx", "epub", "pdf")]
    every = [arg for fmt in ("txt", "docx", "epub", "pdf", "json") for arg in ("-t", fmt)]
    shapes.append(("to all five formats", ["convert", str(SEED), *every, "-o", str(out / "all")]))
    for name, tail in shapes:
        cases.append((name, {label: [path, *tail] for label, path in builds}))
    pandoc = shutil.which("pandoc")
    if pandoc:
        for fmt in ("plain", "docx", "epub"):
            cases.append((f"pandoc to {fmt}", {"": [pandoc, str(SEED), "-f", "markdown", "-t", fmt,
                                                   "-o", str(out / f"p.{fmt}")]}))
    # Every command of a case in turn, run after run, so a change in the
    # machine's load falls on all of them alike.
    base = None
    labels = [label for label, _ in builds]
    print(f"median wall time, s (× `python -c pass`); {args.runs} runs each, seed {SEED.name}\n")
    print("| case | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(labels))
    for name, commands in cases:
        times: dict[str, list[float]] = {label: [] for label in commands}
        for cmd in commands.values():
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
        for _ in range(args.runs):
            for label, cmd in commands.items():
                started = time.perf_counter()
                subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
                times[label].append(time.perf_counter() - started)
        medians = {label: statistics.median(t) for label, t in times.items()}
        base = base or medians[""]
        cells = [f"{medians[label]:.3f} ({medians[label] / base:.1f}×)" if label in medians else ""
                 for label in labels]
        if "" in medians:
            cells = [f"{medians['']:.3f} ({medians[''] / base:.1f}×)"] * len(labels)
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
