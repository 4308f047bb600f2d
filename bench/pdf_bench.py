"""How long the PDF writer takes: font loading once, then each document.

Usage: python bench/pdf_bench.py [--repeat N] [FILE ...]
(default: the seed and the development corpus).  Loading the bundled fonts
happens once per process and is timed on its own; the per-document times are
the median of N writes with the fonts already loaded.  Not a test: the
numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUTS = [*sorted((ROOT / "seeds").glob("*.txt")),
                  *sorted((ROOT / "tests" / "fixtures" / "corpus").glob("*.txt"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_INPUTS)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from convert.model import body_text
    from convert.readers.news import read_news_file
    from convert.writers.pdf import PdfOptions, PdfWriter

    started = time.perf_counter()
    from convert.writers.pdf.fonts import region_faces  # imports reportlab
    from convert.writers.pdf.layout import render  # noqa: F401
    import_time = time.perf_counter() - started

    font_times = {}
    for region in ("cn", "tw"):
        started = time.perf_counter()
        region_faces(region)
        font_times[region] = time.perf_counter() - started

    writer, options = PdfWriter(), PdfOptions()
    rows = []
    for path in args.files:
        doc = read_news_file(path)
        times = []
        for _ in range(args.repeat):
            out = io.BytesIO()
            started = time.perf_counter()
            writer.write(doc, out, options)
            times.append(time.perf_counter() - started)
        data = out.getvalue()
        chars = len(body_text(doc))
        pages = data.count(b"/Type /Page\n")
        rows.append((path.name, statistics.median(times), chars, pages, len(data)))

    print(f"reportlab import: {import_time * 1000:8.1f} ms")
    for region, seconds in font_times.items():
        print(f"font loading ({region}, regular + bold, once per process): {seconds * 1000:8.1f} ms")
    print()
    print(f"{'document':40} {'ms/doc':>8} {'chars':>7} {'pages':>5} {'kB':>6} {'chars/ms':>8}")
    for name, seconds, chars, pages, size in rows:
        print(f"{name:40} {seconds * 1000:8.1f} {chars:7d} {pages:5d} {size / 1024:6.0f} "
              f"{chars / (seconds * 1000):8.0f}")
    mean = statistics.mean(r[1] for r in rows)
    fonts = sum(font_times.values())
    print()
    print(f"mean writer time per document: {mean * 1000:.1f} ms (median of {args.repeat} writes each)")
    print(f"font loading / mean document time: {fonts / mean:.1f}x "
          f"(one-off; a batch of {len(rows)} documents spends "
          f"{fonts / (fonts + mean * len(rows)):.0%} of its PDF time loading fonts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
