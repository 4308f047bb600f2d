"""How long the news reader takes on a whole page dump of a few thousand
lines, against a tidy article read in the same run; and how long the HTML
reader takes on the saved pages of the corpus, against their crawler texts.

The dump is a real page of the test corpus with its menus, related lists
and footer repeated until the page has ``--lines`` lines (as the longest
portal pages have), once one block a line and once flattened onto one line.
The saved pages are the corpus's ``html/`` folder (37 KB to 470 KB each);
each page's time is the median of its reads, and the row gives the median
page and, in brackets, the slowest.

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
    pages = sorted((CORPUS / "html").glob("*.html"))
    if pages:
        html, text = _saved_pages(pages, args.repeat)
        size = sum(p.stat().st_size for p in pages) // len(pages)
        for name, times in ((f"saved HTML page (the corpus's {len(pages)}, {size:,} bytes on average)", html),
                            ("the same pages' crawler texts", text)):
            median = statistics.median(times)
            print(f"| {name} | | {median:.4f} (slowest {max(times):.4f}) | {median / reference:.1f}× |")
    doc = read_news(blocks, path="page.txt")
    print(f"\ntitle found in the {args.lines:,}-line dump: {doc.meta.title}")
    return 0


def _saved_pages(pages: list[Path], repeat: int) -> tuple[list[float], list[float]]:
    """Each saved page's median time through the HTML reader, and that of
    its crawler text (the corpus's .txt) through the news reader."""
    from convert.readers.html import HtmlReader
    from convert.readers.news import read_news_file

    reader = HtmlReader()
    html, text = [], []
    for page in pages:
        data, crawled = page.read_bytes(), CORPUS / f"{page.stem}.txt"
        reader.read(data, path=str(page))  # lxml's import is not what is measured
        html.append(_median(repeat, reader.read, data, path=str(page)))
        text.append(_median(repeat, read_news_file, crawled))
    return html, text


def _median(repeat: int, run, *args, **kwargs) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    raise SystemExit(main())
