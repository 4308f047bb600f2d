"""Inputs of a hostile shape against a normal document of the same size.

    python bench/hostile_shapes.py [--mb 3] [--formats txt,json,docx,pdf,epub]

The shape the reliability issue met: a text of very many short lines (3 MB
of 200,000 lines took 187 s and 1.2 GB for all formats, DOCX alone 140 s).
Each format is converted by ``docconv convert`` in a process of its own,
and once all of them together; printed are the time and the peak memory of
each, and their ratio to the same conversion of a normal article repeated
to the same size (the target: no worse than 10x).  A second table converts
the hostile shape at a quarter, a half and the whole of the size: linear
growth keeps the time ratios near 2 and 4.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work" / "hostile"
DOCCONV = str(Path(sys.executable).parent / "docconv")
FORMATS = ("txt", "json", "docx", "pdf", "epub")
_CHARS = "新疆维吾尔自治区党委召开常委会议陈全国主持会议并讲话国家发展改革委发出通知决定将汽柴油价格每吨均提高元"


def many_short_lines(size: int) -> str:
    """Lines of four to seven characters, as a scraped list or table column."""
    rnd = random.Random(1)
    lines, total = ["标题", ""], 0
    while total < size:
        line = "".join(rnd.choice(_CHARS) for _ in range(rnd.randint(3, 6))) + "。"
        lines.append(line)
        total += len(line.encode("utf-8")) + 1
    return "\n".join(lines) + "\n"


def normal(size: int) -> str:
    """The seed article's paragraphs repeated to ``size`` bytes."""
    seed = next((ROOT / "seeds").glob("*.txt")).read_text("utf-8")
    head, _, body = seed.partition("24日下午")
    body = "24日下午" + body.split("(責編")[0]
    parts, total = [head], len(head.encode("utf-8"))
    while total < size:
        parts.append(body)
        total += len(body.encode("utf-8"))
    return "".join(parts)


def measure(path: Path, formats: list[str]) -> tuple[float, float, int]:
    """Seconds, peak RSS in MB and exit code of converting ``path``."""
    out = WORK / "out"
    cmd = [DOCCONV, "convert", str(path), *[a for f in formats for a in ("-t", f)], "-o", f"{out}/"]
    probe = ("import json, resource, subprocess, sys, time\n"
             "t = time.perf_counter()\n"
             "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
             "print(json.dumps([time.perf_counter() - t,"
             " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, rc]))\n")
    done = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True)
    return tuple(json.loads(done.stdout))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=3)
    parser.add_argument("--formats", default=",".join(FORMATS))
    args = parser.parse_args()
    formats = args.formats.split(",")
    size = int(args.mb * 1024 * 1024)
    WORK.mkdir(parents=True, exist_ok=True)
    hostile, plain = WORK / "many-short-lines.txt", WORK / "normal.txt"
    hostile.write_text(many_short_lines(size), "utf-8")
    plain.write_text(normal(size), "utf-8")
    lines = hostile.read_text("utf-8").count("\n")
    print(f"inputs: {hostile.stat().st_size / 2**20:.1f} MB in {lines:,} lines; "
          f"normal {plain.stat().st_size / 2**20:.1f} MB\n")
    print("| formats | many short lines | normal | time ratio | peak memory | normal | memory ratio |")
    print("|---|---|---|---|---|---|---|")
    for group in [[f] for f in formats] + [formats]:
        (th, mh, rh), (tn, mn, rn) = measure(hostile, group), measure(plain, group)
        name = "all" if len(group) > 1 else group[0]
        exits = "" if rh == rn == 0 else f" (exit {rh}/{rn})"
        print(f"| {name}{exits} | {th:.1f} s | {tn:.1f} s | {th / tn:.1f}x | {mh:.0f} MB | {mn:.0f} MB | "
              f"{mh / mn:.1f}x |", flush=True)

    print("\n| many short lines, all formats | lines | time | time / quarter size |")
    print("|---|---|---|---|")
    first = None
    for part in (4, 2, 1):
        path = WORK / f"many-short-lines-{part}.txt"
        path.write_text(many_short_lines(size // part), "utf-8")
        seconds, _, _ = measure(path, formats)
        first = first or seconds
        print(f"| {size // part / 2**20:.2f} MB | {path.read_text('utf-8').count(chr(10)):,} | {seconds:.1f} s | "
              f"{seconds / first:.1f} |", flush=True)


if __name__ == "__main__":
    main()
