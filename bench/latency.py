"""Single-file latency: docconv against `python -c pass` (and pandoc, if installed), in one run.

    python bench/latency.py [--runs 7] [--docconv [LABEL=]PATH ...]

Each case is a fresh process; the figures are the medians of several runs of
its wall time and of its CPU time (user and system, with that of the child
processes a conversion waits for: docconv writes DOCX, PDF and EPUB in
children), and the ratio is the CPU time's against `python -c pass`, timed in
the same runs as the case (one of it before each of the case's commands).  On
a busy shared machine the wall time is mostly waiting for a CPU and changes
from minute to minute; the ratio keeps figures from different runs comparable.
Where docconv's children run side by side, the wall time on a quiet machine
is less than the CPU time.

Each build measured has a per-user cache of its own, warmed by a first run,
as one installed copy has.  The commands run with bytecode kept (in a
temporary ``PYTHONPYCACHEPREFIX``, even where ``PYTHONDONTWRITEBYTECODE`` is
set) and each once before it is timed, as an installed package runs: pip
compiles its modules when it installs them, and an editable checkout has them
compiled after its first run.
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
    # Every command of a case in turn, run after run, each after a `python -c
    # pass` of its own, so that a change in the machine's load falls on the
    # commands and on their reference alike.
    reference = [sys.executable, "-c", "pass"]
    labels = [label for label, _ in builds]
    print(f"median wall time / CPU time, s (CPU × `python -c pass`'s in the same runs); {args.runs} runs each, "
          f"seed {SEED.name}\n")
    print("| case | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(labels))

    # Each build keeps its own per-user cache: two builds whose entries differ
    # in layout would otherwise replace each other's on every run.
    envs = {label: {**env, "DOCCONV_CACHE_DIR": str(out / f"cache-{n}")} for n, label in enumerate(labels)}

    def timed(cmd: list[str], label: str = "") -> tuple[float, float]:
        started = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env=envs.get(label, env))
        _, status, usage = os.wait4(child.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise subprocess.CalledProcessError(os.waitstatus_to_exitcode(status), cmd)
        return time.perf_counter() - started, usage.ru_utime + usage.ru_stime

    for name, commands in cases:
        walls: dict[str, list[float]] = {label: [] for label in commands}
        cpus: dict[str, list[float]] = {label: [] for label in commands}
        bases: dict[str, list[float]] = {label: [] for label in commands}
        for label, cmd in commands.items():
            timed(cmd, label)
        for _ in range(args.runs):
            for label, cmd in commands.items():
                bases[label].append(timed(reference)[1])
                wall, cpu = timed(cmd, label)
                walls[label].append(wall)
                cpus[label].append(cpu)
        cells = {}
        for label in commands:
            wall, cpu = statistics.median(walls[label]), statistics.median(cpus[label])
            cells[label] = f"{wall:.3f} / {cpu:.3f} ({cpu / statistics.median(bases[label]):.1f}×)"
        row = [cells.get(label, cells.get("", "")) for label in labels]
        print(f"| {name} | " + " | ".join(row) + " |", flush=True)
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
