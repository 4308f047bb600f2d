"""Per-field accuracy of the news reader over a folder of annotated pages.

Each ``NNN_<slug>.txt`` has a ``NNN_<slug>.expected.json`` beside it (the
corpus README gives the conventions).  The rules are strict:

* title, source, channel: equal after whitespace is folded;
* published: equal to the minute where the page shows a time, to the day
  where it shows a date, absent where it shows none;
* byline: contains the truth (absent where there is none);
* editors: the same names in the same order;
* first / last: the first body paragraph starts with, the last ends with,
  the annotated 12 characters;
* furniture: no annotated furniture line is (or begins or ends) a body paragraph.

``python bench/eval_reader.py [FOLDER] [--markdown] [--hold-out SITE ...]``
prints one row a page and the per-field totals; ``--hold-out`` scores only
the pages whose slug names one of the given sites (leave-one-site-out runs).
``--html`` reads, for each page that has one, the saved page
``html/NNN_<slug>.html`` with the HTML reader instead, and prints beside
the totals those of the same pages' crawler texts.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIELDS = ("title", "published", "source", "channel", "byline", "editors", "first", "last", "furniture")
WS = " \t\u3000\u00a0\n"


def _fold(value: str | None) -> str | None:
    return None if value is None else re.sub(r"\s+", " ", value.replace("\u3000", " ")).strip()


def score(doc, expected: dict) -> dict[str, tuple[bool, object, object]]:
    from convert.model import paragraph_texts

    m = doc.meta
    paras = [p.strip(WS) for p in paragraph_texts(doc)]
    truth_date = expected["published"]
    found_date = m.published
    if truth_date is None:
        date_ok = found_date is None
    else:
        date_ok = found_date is not None and found_date[: len(truth_date)] == truth_date and (
            len(truth_date) > 10 or len(found_date) == 10 or found_date[10] in "T+")
    truth_byline = expected["byline"]
    byline_ok = (m.byline is None) if truth_byline is None else (
        m.byline is not None and _fold(truth_byline) in _fold(m.byline))
    leaked = [line for line in expected["boilerplate_lines"]
              if any(p == line or p.startswith(line) or p.endswith(line) for p in paras)]
    first = paras[0][:12] if paras else None
    last = paras[-1][-12:] if paras else None
    return {
        "title": (_fold(m.title) == _fold(expected["title"]), m.title, expected["title"]),
        "published": (date_ok, found_date, truth_date),
        "source": (_fold(m.source) == _fold(expected["source"]), m.source, expected["source"]),
        "channel": (_fold(m.breadcrumb) == _fold(expected["channel"]), m.breadcrumb, expected["channel"]),
        "byline": (byline_ok, m.byline, truth_byline),
        "editors": (list(m.editors) == expected["editors"], list(m.editors), expected["editors"]),
        "first": (first == expected["first_paragraph_starts"], first, expected["first_paragraph_starts"]),
        "last": (last == expected["last_paragraph_ends"], last, expected["last_paragraph_ends"]),
        "furniture": (not leaked, leaked, []),
    }


def cases(folder: Path, hold_out: list[str], html: bool = False) -> list[tuple[Path, dict]]:
    """(page, truth) pairs; with ``html``, the saved HTML pages that have a truth."""
    out = []
    for truth in sorted(folder.glob("*.expected.json")):
        page = truth.with_name(truth.name.replace(".expected.json", ".txt"))
        if html:
            page = folder / "html" / (page.stem + ".html")
            if not page.exists():
                continue
        if hold_out and not any(site in page.stem for site in hold_out):
            continue
        out.append((page, json.loads(truth.read_text("utf-8"))))
    return out


def main(argv: list[str] | None = None) -> int:
    from convert.readers.news import read_news, read_news_file

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--hold-out", nargs="*", default=[], metavar="SITE")
    parser.add_argument("-v", "--verbose", action="store_true", help="show every wrong field")
    parser.add_argument("--flatten", action="store_true",
                        help="read each page flattened onto one line (its lines joined by spaces), as a "
                             "search index stores a page; the truth is the same")
    parser.add_argument("--html", action="store_true",
                        help="read the saved HTML page html/NNN_<slug>.html of each page that has one, with "
                             "the HTML reader; the truth is the same")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    if not folder.is_dir():
        folder = ROOT / "tests" / "fixtures" / "corpus"
    rows, totals, seconds = [], dict.fromkeys(FIELDS, 0), 0.0
    text_totals = dict.fromkeys(FIELDS, 0)  # with --html: the same pages' crawler texts
    for page, expected in cases(folder, args.hold_out, args.html):
        start = time.perf_counter()
        if args.html:
            from convert.readers.html import HtmlReader

            doc = HtmlReader().read(page.read_bytes(), path=str(page))
        elif args.flatten:
            text = page.read_bytes().decode(expected["encoding"])
            flat = " ".join(line.strip(" \t\r") for line in text.split("\n") if line.strip(" \t\r\u3000\u00a0"))
            doc = read_news(flat, path=str(page))
        else:
            doc = read_news_file(page)
        seconds += time.perf_counter() - start
        if args.html:
            for name, (ok, _, _) in score(read_news_file(folder / (page.stem + ".txt")), expected).items():
                text_totals[name] += ok
        result = score(doc, expected)
        rows.append((page.stem, result))
        for name in FIELDS:
            totals[name] += result[name][0]
    if not rows:
        print("no annotated pages found", file=sys.stderr)
        return 2
    n = len(rows)
    if args.markdown:
        print("| page | " + " | ".join(FIELDS) + " |")
        print("|---|" + "---|" * len(FIELDS))
        for stem, result in rows:
            print(f"| {stem} | " + " | ".join("✓" if result[f][0] else "✗" for f in FIELDS) + " |")
        print("| **all** | " + " | ".join(f"{totals[f] / n:.0%}" for f in FIELDS) + " |")
    else:
        width = max(len(stem) for stem, _ in rows)
        print(f"{'page':<{width}}  " + " ".join(f"{f[:5]:>5}" for f in FIELDS))
        for stem, result in rows:
            print(f"{stem:<{width}}  " + " ".join(f"{'ok' if result[f][0] else 'X':>5}" for f in FIELDS))
            if args.verbose:
                for f in FIELDS:
                    ok, got, want = result[f]
                    if not ok:
                        print(f"    {f}: got {got!r} want {want!r}")
        print(f"{'all':<{width}}  " + " ".join(f"{totals[f] / n:>5.0%}" for f in FIELDS))
    if args.html:
        label = "the same pages' crawler texts"
        if args.markdown:
            print(f"| *{label}* | " + " | ".join(f"{text_totals[f] / n:.0%}" for f in FIELDS) + " |")
        else:
            print(f"{'text':<{width}}  " + " ".join(f"{text_totals[f] / n:>5.0%}" for f in FIELDS) + f"  ({label})")
    right = sum(totals.values())
    titles = totals["title"]
    print(f"\n{n} pages, fields right {right}/{n * len(FIELDS)} = {right / (n * len(FIELDS)):.1%}, "
          f"titles {titles}/{n}, furniture-free bodies {totals['furniture']}/{n}, "
          f"reading {seconds / n * 1000:.1f} ms a page")
    if args.html:
        right = sum(text_totals.values())
        print(f"the same pages' crawler texts: fields right {right}/{n * len(FIELDS)} = "
              f"{right / (n * len(FIELDS)):.1%}, titles {text_totals['title']}/{n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
