"""Vertical layout against horizontal: single-file and batch time, in one run.

    python bench/vertical.py [--runs 5] [--pages 24]

Single file: `docconv convert SEED -t FMT` in a fresh process, median wall
time of several runs, horizontal and vertical alternating so the machine's
load falls on both alike.  Batch: the corpus pages (each page's text copy)
converted in this process, every page once per layout, after one warm-up
page, so the fonts and modules loaded once are not counted.  The figure that
matters is the ratio vertical / horizontal (the target is at most 1.5).
"""

from __future__ import annotations

import argparse
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


def single_file(fmt: str, runs: int, out: Path) -> dict[str, float]:
    docconv = str(Path(sys.executable).with_name("docconv"))
    times: dict[str, list[float]] = {layout: [] for layout in LAYOUTS}
    for _ in range(runs):
        for layout in LAYOUTS:
            cmd = [docconv, "convert", str(SEED), "-t", fmt, "--layout", layout,
                   "-o", str(out / f"single.{layout}.{fmt}")]
            started = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times[layout].append(time.perf_counter() - started)
    return {layout: statistics.median(t) for layout, t in times.items()}


def batch(fmt: str, pages: list[Path], out: Path) -> dict[str, float]:
    from convert import api

    api.convert(pages[0], to=fmt, out_dir=out / "warm", layout="vertical")
    api.convert(pages[0], to=fmt, out_dir=out / "warm", layout="horizontal")
    spent = {}
    for layout in LAYOUTS:
        started = time.perf_counter()
        for page in pages:
            api.convert(page, to=fmt, out_dir=out / layout, layout=layout)
        spent[layout] = time.perf_counter() - started
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=24)
    args = parser.parse_args()
    pages = sorted(CORPUS.glob("*.txt"))[: args.pages]
    out = Path(tempfile.mkdtemp(prefix="vertical-"))
    print(f"seed {SEED.name}; batch over {len(pages)} corpus pages; ratio = vertical / horizontal\n")
    print("| format | one file, horizontal | one file, vertical | ratio | batch, horizontal | "
          "batch, vertical | ratio |")
    print("|---|---|---|---|---|---|---|")
    for fmt in FORMATS:
        one = single_file(fmt, args.runs, out)
        many = batch(fmt, pages, out)
        print(f"| {fmt} | {one['horizontal']:.2f} s | {one['vertical']:.2f} s | "
              f"{one['vertical'] / one['horizontal']:.2f}× | {many['horizontal']:.2f} s | "
              f"{many['vertical']:.2f} s | {many['vertical'] / many['horizontal']:.2f}× |")


if __name__ == "__main__":
    main()
