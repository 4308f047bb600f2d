"""Throughput, memory and start-up benchmark for docconv.

    python bench/run.py [--n 1000] [--sample 200] [--results bench/RESULTS.md]

Builds N seed-like documents from seeds/ and the test corpus (varied, in
their original encodings), then measures in one run:

* documents per second for each format, with --jobs 1 and --jobs = cores
  (on a sample of --sample documents), and for all formats together on all N;
* peak memory (max RSS) of the largest process of each run (a worker);
* `docconv --help` start-up, against a bare `python -c pass` measured alongside;
* where pandoc is installed, pandoc converting the same texts to DOCX and EPUB
  one process per file, as a ratio against docconv's DOCX+EPUB run;
* a profile (cProfile) of converting a few documents to every format in one
  warm process (as a batch worker), to show where the time goes.

Figures are printed and written to --results as Markdown.  Wall-clock times
depend on the machine; the ratios against references measured in the same
run are what to compare across machines.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"
BIN = Path(sys.executable).parent
DOCCONV = str(BIN / "docconv")


def build_inputs(n: int, folder: Path) -> list[Path]:
    """N varied documents: each base text with its title and paragraph order changed."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    bases: list[tuple[bytes, str]] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests/fixtures/corpus").glob("*.txt")):
        meta = path.with_name(path.name.replace(".txt", ".expected.json"))
        encoding = json.loads(meta.read_text("utf-8"))["encoding"] if meta.exists() else "utf-8"
        bases.append((path.read_bytes(), encoding))
    made = []
    for i in range(n):
        data, encoding = bases[i % len(bases)]
        text = data.decode(encoding)
        blocks = text.split("\n\n")
        if len(blocks) > 6:  # rotate the body, keep header and closing lines in place
            body = blocks[3:-2]
            k = (i // len(bases)) % len(body)
            blocks = blocks[:3] + body[k:] + body[:k] + blocks[-2:]
        text = "\n\n".join(blocks).replace("\n\n", f"（{i}）\n\n", 1) if i >= len(bases) else text
        out = folder / f"doc{i:04d}.txt"
        out.write_bytes(text.encode(encoding.replace("-sig", ""), errors="replace"))
        made.append(out)
    return made


def measure(cmd: list[str]) -> tuple[float, float, int]:
    """(seconds, peak RSS of the largest process in MB, exit code), in a fresh
    measuring process so that the RSS belongs to this command alone."""
    probe = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter(); rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
        " stderr=subprocess.DEVNULL).returncode\n"
        "print(json.dumps([time.perf_counter() - t,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, rc]))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True)
    seconds, rss, rc = json.loads(out.stdout)
    return seconds, rss, rc


def batch(inputs: Path, formats: list[str], jobs: int, out: Path) -> tuple[float, float, int]:
    if out.exists():
        shutil.rmtree(out)
    cmd = [DOCCONV, "batch", str(inputs), "-o", str(out), "--jobs", str(jobs), "--force", "--quiet"]
    for f in formats:
        cmd += ["-t", f]
    return measure(cmd)


def startup(runs: int = 15) -> tuple[float, float]:
    def median(cmd: list[str]) -> float:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    return median([DOCCONV, "--help"]), median([sys.executable, "-c", "pass"])


def pandoc_loop(files: list[Path], out: Path) -> dict[str, float] | None:
    pandoc = shutil.which("pandoc")
    if not pandoc:
        return None
    out.mkdir(parents=True, exist_ok=True)
    utf8 = out / "utf8"
    utf8.mkdir(exist_ok=True)
    prepared = []
    for f in files:  # pandoc reads UTF-8 only: give it the same texts decoded
        from convert.readers.encoding import decode

        target = utf8 / f.name
        target.write_text(decode(f.read_bytes())[0], "utf-8")
        prepared.append(target)
    rates = {}
    for fmt in ("docx", "epub"):
        t = time.perf_counter()
        for f in prepared:
            subprocess.run([pandoc, "-f", "markdown", "-t", fmt, str(f), "-o", str(out / f"{f.stem}.{fmt}"),
                            "--metadata", f"title={f.stem}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        rates[fmt] = len(prepared) / (time.perf_counter() - t)
    rates["docx+epub"] = 1 / (1 / rates["docx"] + 1 / rates["epub"])
    return rates


def profile(files: list[Path], formats: list[str]) -> str:
    import convert

    out = WORK / "profile"
    out.mkdir(parents=True, exist_ok=True)
    for f in files:  # as a batch worker is after its first files: fonts indexed, OpenCC loaded
        convert.convert(f, to=formats, out_dir=out, durable=False)
    profiler = cProfile.Profile()
    profiler.enable()
    for f in files:
        convert.convert(f, to=formats, out_dir=out, durable=False)  # as batch writes
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(25)
    return text.getvalue()


def writer_formats() -> list[str]:
    out = subprocess.run([DOCCONV, "formats"], capture_output=True, text=True, check=True).stdout
    # A format's line starts at the margin; its options are indented under it.
    return [line.split()[0] for line in out.splitlines() if line.strip() and not line[0].isspace()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=200, help="documents per single-format run")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    cores = os.cpu_count() or 1

    files = build_inputs(args.n, WORK / "inputs")
    sample_dir = WORK / "sample"
    if sample_dir.exists():
        shutil.rmtree(sample_dir)
    sample_dir.mkdir()
    for f in files[: args.sample]:
        shutil.copy(f, sample_dir / f.name)

    formats = writer_formats()
    targets = [f if f != "txt" else "txt:hans" for f in formats]
    rows = []
    for fmt in targets:
        for jobs in sorted({1, cores}):
            seconds, rss, rc = batch(sample_dir, [fmt], jobs, WORK / "out")
            rows.append((fmt, jobs, args.sample, seconds, args.sample / seconds, rss, rc))
            print(f"{fmt:10} jobs={jobs} {args.sample / seconds:8.1f} docs/s  peak {rss:6.0f} MB  rc={rc}",
                  flush=True)
    all_targets = [t for t in targets if not t.startswith("txt")] + ["txt:hans", "txt:hant"]
    for jobs in sorted({1, cores}):
        seconds, rss, rc = batch(WORK / "inputs", all_targets, jobs, WORK / "out")
        rows.append(("all", jobs, args.n, seconds, args.n / seconds, rss, rc))
        print(f"{'all':10} jobs={jobs} {args.n} docs in {seconds:.1f} s  peak {rss:.0f} MB  rc={rc}", flush=True)

    docx_epub = [t for t in ("docx", "epub") if t in formats]
    seconds, rss, _ = batch(sample_dir, docx_epub, cores, WORK / "out")
    ours = args.sample / seconds
    pandoc = pandoc_loop(files[: min(args.sample, 100)], WORK / "pandoc")
    help_s, python_s = startup()
    prof = profile(files[:20], all_targets)

    lines = [
        "# Benchmark results", "",
        f"- date: {date.today().isoformat()}",
        f"- machine: {platform.machine()}, {cores} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}",
        f"- command: `python bench/run.py --n {args.n} --sample {args.sample}`", "",
        "## Throughput and memory", "",
        "| formats | jobs | documents | seconds | documents/s | peak RSS of largest process (MB) | exit |",
        "|---|---|---|---|---|---|---|",
        *[f"| {f} | {j} | {n} | {s:.1f} | {r:.1f} | {m:.0f} | {rc} |" for f, j, n, s, r, m, rc in rows],
        "",
        "## Against references measured in the same run", "",
        f"- `docconv --help`: {help_s * 1000:.0f} ms; bare `python -c pass`: {python_s * 1000:.0f} ms "
        f"(ratio {help_s / python_s:.1f}×)",
        f"- docconv DOCX+EPUB, --jobs {cores}: {ours:.1f} documents/s",
    ]
    if pandoc:
        lines += [
            f"- pandoc, one process per file: DOCX {pandoc['docx']:.1f}/s, EPUB {pandoc['epub']:.1f}/s, "
            f"DOCX+EPUB {pandoc['docx+epub']:.1f} documents/s",
            f"- ratio docconv / pandoc (DOCX+EPUB): {ours / pandoc['docx+epub']:.1f}×",
        ]
    else:
        lines.append("- pandoc is not installed here: no comparison")
    lines += ["", "## Where the time goes (cProfile, 20 documents, every format, one process)", "",
              "```", *prof.strip().splitlines()[:45], "```", ""]
    args.results.write_text("\n".join(lines), "utf-8")
    print("\n".join(lines[: 16 + len(rows)]))
    print(f"written {args.results}")


if __name__ == "__main__":
    main()
