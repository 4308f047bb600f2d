"""Turn a saved HTML page into text the way a simple crawler does.

``python bench/crawl_text.py page.html [--flatten] > page.txt``

This is how the page dumps in the corpus were made (see the corpus README);
the work is done by ``convert.readers.html.crawl_text``, the first step of
the HTML reader:

* visible text only: ``script``, ``style``, ``noscript``, ``template`` and the
  whole ``<head>`` are dropped, except that the ``<title>`` text is kept as the
  first line;
* every block element (and ``<br>``) starts a new line;
* runs of ASCII whitespace become one space; U+3000 and U+00A0 are kept;
* empty lines (also those holding only U+3000 / U+00A0) are dropped;
* hidden (``display:none``) elements are kept, as a crawler that ignores CSS
  keeps them.

The encoding comes from a byte-order mark, else from the ``<meta charset>`` /
``http-equiv`` declaration (gb2312 and gbk are read as gb18030, big5 as
big5hkscs), else it is detected as the text reader detects it.  A page whose
bytes are UTF-8 whatever it declares (a page re-saved as UTF-8 with its old
declaration left in), or that do not decode in the declared charset, is read
as UTF-8 or as detected.  ``--flatten`` joins the lines with single spaces
into one line, like a search index's ``content`` field.  The output is UTF-8
with LF line ends.

Run on the saved pages in the corpus's ``html/`` folder it gives back the
corpus texts exactly (022 apart, whose lines the corpus separates by blank
lines); ``tests/test_reader_html.py`` checks it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    from convert.readers.html import crawl_text

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="saved HTML page")
    parser.add_argument("--flatten", action="store_true", help="join the lines with single spaces")
    args = parser.parse_args(argv)
    out = crawl_text(args.page.read_bytes(), flatten=args.flatten)
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    sys.stdout.write(out + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
