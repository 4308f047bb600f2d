"""A 50 MB input through the reader and the txt and docx writers.

    python bench/large_input.py [--mb 50]

Prints the time and the peak memory of converting one very large text, next
to the input size, and next to a small document converted the same way in
the same run (the fixed cost of the interpreter and libraries).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work" / "large"
DOCCONV = str(Path(sys.executable).parent / "docconv")


def measure(cmd: list[str]) -> tuple[float, float, int]:
    probe = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter(); rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "print(json.dumps([time.perf_counter() - t,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, rc]))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True)
    return tuple(json.loads(out.stdout))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=50)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    seed = next((ROOT / "seeds").glob("*.txt")).read_text("utf-8")
    head, _, body = seed.partition("24日下午")
    body = "24日下午" + body.split("(責編")[0]
    big = WORK / "big.txt"
    with big.open("w", encoding="utf-8") as out:
        out.write(head)
        size = 0
        while size < args.mb * 1024 * 1024:
            out.write(body)
            size += len(body.encode("utf-8"))
    small = WORK / "small.txt"
    small.write_text(seed, "utf-8")
    print(f"input: {big.stat().st_size / 2**20:.1f} MB")
    for fmt in ("txt", "docx"):
        rows = {}
        for name, path in (("small", small), ("large", big)):
            rows[name] = measure([DOCCONV, "convert", str(path), "-t", fmt, "-o", str(WORK / f"{name}.{fmt}")])
        (ts, ms, _), (tl, ml, rc) = rows["small"], rows["large"]
        print(f"{fmt:5} large: {tl:6.1f} s, peak {ml:6.0f} MB (rc={rc}); small: {ts:.2f} s, {ms:.0f} MB; "
              f"extra memory per input MB: {(ml - ms) / args.mb:.1f} MB")


if __name__ == "__main__":
    main()
