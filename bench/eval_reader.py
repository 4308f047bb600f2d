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

With ``--html`` the whole body is scored too, against ``html/NNN_<slug>.body.txt``
(the article's paragraphs, chosen by reading the page; that folder's README
says how): body character F1, as extraction benchmarks score a body, over the
multiset of the characters that are not whitespace (``str.isspace``: U+3000
and U+00A0 included), so neither line breaks nor spacing count, only which
characters were extracted and how often.  Precision is the share of the
extracted characters that are in the truth, recall the share of the truth's
characters that were extracted (a character counted at most as often as
the other side has it), F1 their harmonic mean.  It is printed per page for
the HTML reader (``F1``) and for the text reader on the same page's crawler
text (``F1txt``), then in total two ways: the mean of the pages' F1 and the
F1 of all pages' characters pooled.  ``--trafilatura`` adds trafilatura's
body F1 on the same decoded HTML, where it is installed (it is not a
dependency: ``pip install trafilatura`` to measure it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
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


def body_f1(extracted: str, truth: str) -> tuple[float, float, float, int, int, int]:
    """(precision, recall, F1, characters in common, extracted, in the truth),
    over the multisets of the two texts' characters other than whitespace."""
    got = Counter(c for c in extracted if not c.isspace())
    want = Counter(c for c in truth if not c.isspace())
    common, n_got, n_want = sum((got & want).values()), sum(got.values()), sum(want.values())
    return (*_prf(common, n_got, n_want), common, n_got, n_want)


def _prf(common: int, n_got: int, n_want: int) -> tuple[float, float, float]:
    precision = common / n_got if n_got else 0.0
    recall = common / n_want if n_want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def body_truth(folder: Path, stem: str) -> str | None:
    """The page's body truth, in the folder's ``html/`` or else the repository's corpus."""
    for where in (folder / "html", ROOT / "tests" / "fixtures" / "corpus" / "html"):
        if (path := where / f"{stem}.body.txt").exists():
            return path.read_text("utf-8")
    return None


def trafilatura_body(page: Path) -> str | None:
    """trafilatura's body of a saved page (None where it is not installed), given
    the page decoded as the HTML reader decodes it; comments left out, tables kept."""
    try:
        import trafilatura
    except ImportError:
        return None
    from convert.readers.html import decode_html

    text, _ = decode_html(page.read_bytes())
    return trafilatura.extract(text, include_comments=False, include_tables=True) or ""


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
                             "the HTML reader; the truth is the same, and body character F1 is scored too")
    parser.add_argument("--trafilatura", action="store_true",
                        help="with --html: also trafilatura's body F1 on the same pages, where it is installed")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    if not folder.is_dir():
        folder = ROOT / "tests" / "fixtures" / "corpus"
    rows, totals, seconds = [], dict.fromkeys(FIELDS, 0), 0.0
    text_totals = dict.fromkeys(FIELDS, 0)  # with --html: the same pages' crawler texts
    # with --html: body F1 per page, by who extracted the body (html, txt, trafilatura)
    bodies: dict[str, dict[str, tuple]] = {}
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
            from convert.model import body_text

            text_doc = read_news_file(folder / (page.stem + ".txt"))
            for name, (ok, _, _) in score(text_doc, expected).items():
                text_totals[name] += ok
            if (truth := body_truth(folder, page.stem)) is not None:
                bodies[page.stem] = {"html": body_f1(body_text(doc), truth), "txt": body_f1(body_text(text_doc), truth)}
                if args.trafilatura and (theirs := trafilatura_body(page)) is not None:
                    bodies[page.stem]["trafilatura"] = body_f1(theirs, truth)
        result = score(doc, expected)
        rows.append((page.stem, result))
        for name in FIELDS:
            totals[name] += result[name][0]
    if not rows:
        print("no annotated pages found", file=sys.stderr)
        return 2
    n = len(rows)
    readers = [r for r in ("html", "txt", "trafilatura") if any(r in b for b in bodies.values())]
    heads = {"html": "F1", "txt": "F1txt", "trafilatura": "F1traf"}

    def f1s(stem: str, markdown: bool) -> str:
        cells = [f"{bodies[stem][r][2]:.3f}" if stem in bodies and r in bodies[stem] else "—" for r in readers]
        return "".join(f" {c} |" for c in cells) if markdown else "".join(f" {c:>6}" for c in cells)

    if args.markdown:
        print("| page | " + " | ".join(FIELDS) + " |" + "".join(f" body {heads[r]} |" for r in readers))
        print("|---|" + "---|" * (len(FIELDS) + len(readers)))
        for stem, result in rows:
            print(f"| {stem} | " + " | ".join("✓" if result[f][0] else "✗" for f in FIELDS) + " |" + f1s(stem, True))
        print("| **all** | " + " | ".join(f"{totals[f] / n:.0%}" for f in FIELDS) + " |"
              + "".join(f" {_mean_f1(bodies, r):.3f} |" for r in readers))
    else:
        width = max(len(stem) for stem, _ in rows)
        print(f"{'page':<{width}}  " + " ".join(f"{f[:5]:>5}" for f in FIELDS) + "".join(f" {heads[r]:>6}" for r in readers))
        for stem, result in rows:
            print(f"{stem:<{width}}  " + " ".join(f"{'ok' if result[f][0] else 'X':>5}" for f in FIELDS) + f1s(stem, False))
            if args.verbose:
                for f in FIELDS:
                    ok, got, want = result[f]
                    if not ok:
                        print(f"    {f}: got {got!r} want {want!r}")
        print(f"{'all':<{width}}  " + " ".join(f"{totals[f] / n:>5.0%}" for f in FIELDS)
              + "".join(f" {_mean_f1(bodies, r):>6.3f}" for r in readers))
    if args.html:
        label = "the same pages' crawler texts"
        if args.markdown:
            print(f"| *{label}* | " + " | ".join(f"{text_totals[f] / n:.0%}" for f in FIELDS) + " |"
                  + " |" * len(readers))
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
        names = {"html": "HTML reader", "txt": "text reader on the crawler texts", "trafilatura": "trafilatura"}
        for r in readers:
            scored = [b[r] for b in bodies.values() if r in b]
            p, rc, f = _prf(*(sum(s[k] for s in scored) for k in (3, 4, 5)))
            print(f"body character F1, {names[r]}: mean of {len(scored)} pages {_mean_f1(bodies, r):.3f} "
                  f"(at least {min(s[2] for s in scored):.3f}); all characters pooled P {p:.3f} R {rc:.3f} F1 {f:.3f}")
    return 0


def _mean_f1(bodies: dict[str, dict[str, tuple]], reader: str) -> float:
    scored = [b[reader][2] for b in bodies.values() if reader in b]
    return sum(scored) / len(scored) if scored else 0.0


if __name__ == "__main__":
    raise SystemExit(main())
