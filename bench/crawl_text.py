"""Turn a saved HTML page into text the way a simple crawler does.

``python bench/crawl_text.py page.html [--flatten] > page.txt``

This is how the page dumps in the corpus were made (see the corpus README):

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
big5hkscs), else UTF-8.  A page whose bytes do not decode in the declared
charset but do decode as UTF-8 (a page re-saved as UTF-8 with its old
declaration left in) is read as UTF-8.  ``--flatten`` joins the lines with
single spaces into one line, like a search index's ``content`` field.  The
output is UTF-8 with LF line ends.  Only lxml is needed.

Run on the saved pages in the corpus's ``html/`` folder it gives back the
corpus texts exactly (022 apart, whose lines the corpus separates by blank
lines).
"""

from __future__ import annotations

import argparse
import codecs
import re
import sys
from pathlib import Path

import lxml.html
from lxml import etree

DROP = {"script", "style", "noscript", "template", "head"}
BLOCK = frozenset(
    """address article aside blockquote body br caption center dd details dialog dir div dl dt fieldset
    figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav
    ol option p pre section summary table tbody td tfoot th thead tr ul""".split()
)
BREAK = "\x00"
ASCII_WS = re.compile(r"[ \t\n\r\f\v]+")
META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
           "big5": "big5hkscs", "x-big5": "big5hkscs"}


def detect_encoding(data: bytes) -> str:
    """The codec that decodes ``data``: BOM, then meta charset, then UTF-8."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return name
    match = META_CHARSET.search(data[:16384])
    if match:
        name = match.group(1).decode("ascii").lower()
        name = ALIASES.get(name, name)
        try:
            codecs.lookup(name)
            return name
        except LookupError:
            pass
    return "utf-8"


def decode(data: bytes) -> str:
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        # A page re-saved as UTF-8 that still declares its old charset.
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode(encoding, errors="replace")
    text = text.replace(BREAK, "")
    # lxml refuses a str that carries an XML encoding declaration.
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text.lstrip("\ufeff"))


def _tag(el) -> str | None:
    tag = el.tag
    if not isinstance(tag, str):
        return None  # comment, processing instruction, entity
    return etree.QName(tag).localname.lower() if tag.startswith("{") else tag.lower()


def page_lines(html: str) -> list[str]:
    try:
        root = lxml.html.document_fromstring(html)
    except etree.ParserError:  # nothing but whitespace or comments
        return []
    pieces: list[str] = []  # text, with BREAK wherever a block starts or ends
    title = root.find(".//head/title")
    if title is None:
        title = root.find(".//title")
    if title is not None:
        pieces += [title.text_content(), BREAK]

    def walk(el) -> None:
        tag = _tag(el)
        if tag is not None and tag not in DROP:
            block = tag in BLOCK
            if block:
                pieces.append(BREAK)
            if el.text:
                pieces.append(el.text)
            for child in el:
                walk(child)
            if block:
                pieces.append(BREAK)
        if el.tail:
            pieces.append(el.tail)

    for child in root:
        walk(child)
    lines = []
    for line in "".join(pieces).split(BREAK):
        line = ASCII_WS.sub(" ", line).strip(" ")
        if line.strip(" \u3000\u00a0"):  # a line of nothing but spaces counts as empty
            lines.append(line)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="saved HTML page")
    parser.add_argument("--flatten", action="store_true", help="join the lines with single spaces")
    args = parser.parse_args(argv)
    lines = page_lines(decode(args.page.read_bytes()))
    out = " ".join(lines) if args.flatten else "\n".join(lines)
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    sys.stdout.write(out + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
