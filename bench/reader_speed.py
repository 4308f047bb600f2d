"""How long the news reader takes on a whole page dump of a few thousand
lines, against a tidy article read in the same run.

The dump is a real page of the test corpus with its menus, related lists
and footer repeated until the page has ``--lines`` lines (as the longest
portal pages have), once one block a line and once flattened onto one line.

``python bench/reader_speed.py [--lines 3000] [--repeat 20]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "fixtures" / "corpus"


def _dump(lines: int) -> str:
    page = (CORPUS / "014_hket-qilan.txt").read_text("utf-8-sig").split("\n")
    start = next(i for i, line in enumerate(page) if i and line == page[0].split(" - ")[0])
    head, article, tail = page[:start], page[start:start + 26], page[start + 26:]
    menus = head[1:]
    out = [head[0]]
    while len(out) + len(article) + len(tail) < lines // 2:
        out.extend(menus)
    out.extend(article)
    while len(out) < lines:
        out.extend(tail)
    return "\n".join(out[:lines])


def _median_seconds(text: str, repeat: int) -> float:
    from convert.readers.news import read_news

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        read_news(text, path="page.txt")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    from convert.readers.news import read_news

    seed = next((ROOT / "seeds").glob("*.txt")).read_text("utf-8")
    blocks = _dump(args.lines)
    flat = " ".join(line for line in blocks.split("\n") if line.strip())
    read_news(seed)  # imports and compiled patterns are not what is measured
    reference = _median_seconds(seed, args.repeat)
    print("| input | characters | median seconds | ratio to the tidy article |")
    print("|---|---|---|---|")
    print(f"| tidy article (the seed) | {len(seed):,} | {reference:.4f} | 1.0× |")
    for name, text in ((f"page dump, {args.lines:,} lines", blocks), ("the same page flattened", flat)):
        seconds = _median_seconds(text, args.repeat)
        print(f"| {name} | {len(text):,} | {seconds:.4f} | {seconds / reference:.1f}× |")
    doc = read_news(blocks, path="page.txt")
    print(f"\ntitle found in the {args.lines:,}-line dump: {doc.meta.title}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
