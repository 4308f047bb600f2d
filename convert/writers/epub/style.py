"""The book's stylesheet: Chinese body text after clreq, title block, points.

Paragraphs and points get a 2-em first-line indent (also after a heading),
justified lines and a generous line height; ``line-break: strict`` asks the
reading system for the strict kinsoku set (no ，。、」 at a line start).  The
``-epub-``/``-webkit-`` forms serve older EPUB 3.0 reading systems.

The rules are CSS 2.1 wherever that says it, so that MuPDF (whose default
stylesheet predates HTML5), Readium and Thorium, Apple Books and Calibre set
the page alike; what only some support (``text-wrap``, ``text-spacing-trim``,
``text-emphasis``) only refines what the others show.  Punctuation:
adjacent marks are compressed by Chromium-based reading systems themselves
(``text-spacing-trim``, with the 'halt' feature the embedded faces keep) and
by the embedded faces' kerning elsewhere (see punctuation); the dash —— is
drawn by the embedded faces as one unbroken rule (book.py).
"""

from __future__ import annotations

from dataclasses import dataclass

# Elements set in bold are exactly xhtml.BOLD_TAGS: the font subsets
# depend on it, so nothing else here may change the weight.
_BASE = """\
article, aside, figcaption, figure, footer, header, main, nav, section { display: block; }
html, body { margin: 0; padding: 0; }
body {
  line-height: 1.8;
  text-align: justify;
  -epub-line-break: strict;
  -webkit-line-break: strict;
  line-break: strict;
  word-break: normal;
  overflow-wrap: break-word;
  font-weight: normal;
  font-kerning: normal;
  text-spacing-trim: normal;
}
.article { margin: 0 0 2em; }
p, li { margin: 0 0 0.4em; text-indent: 2em; }
.title-block {
  margin: 1em 0 1.1em;
  padding: 0 0 0.6em;
  border-bottom: 1px solid #666666;
  text-align: center;
}
h1, h2, h3, h4, h5, h6 { font-weight: bold; text-indent: 0; text-align: left; line-height: 1.5; }
h1.title { font-size: 1.45em; line-height: 1.45; margin: 0; text-align: center; text-wrap: balance; }
h2, h3, h4, h5, h6 { font-size: 1.1em; margin: 1.2em 0 0.5em; }
p.subtitle { font-size: 1.1em; margin: 0.2em 0 0; text-indent: 0; text-align: center; }
p.author { margin: 0.2em 0 0; text-indent: 0; text-align: center; }
p.meta { font-size: 0.85em; color: #666666; margin: 0.5em 0 0; text-indent: 0; text-align: center; }
ol.points { list-style: none; margin: 0; padding: 0; }
strong { font-weight: bold; }
em {
  font-style: normal;
  -epub-text-emphasis-style: filled dot;
  -webkit-text-emphasis-style: filled dot;
  text-emphasis-style: filled dot;
  -epub-text-emphasis-position: under right;
  -webkit-text-emphasis-position: under right;
  text-emphasis-position: under right;
}
blockquote { margin: 0.8em 2em; }
p.byline, p.editors { text-indent: 0; text-align: right; margin: 0.8em 0 0; }
p.editors { font-size: 0.85em; color: #666666; margin-top: 0.2em; }
nav h2 { text-align: center; margin: 1em 0 1.2em; }
nav ol { list-style: none; margin: 0; padding: 0; }
nav li { text-indent: 0; margin: 0 0 0.6em; }
nav ol ol { margin: 0.4em 0 0 2em; }
nav a { color: inherit; text-decoration: none; }
"""
# The embedded faces compress adjacent marks by kerning (punctuation.py);
# a reading system that does it itself (text-spacing-trim, Chromium 123 and
# later) is left to it, with the faces' 'halt', so no pair goes twice.
_PAIRS = """\
@supports (text-spacing-trim: space-first) {
  body { font-kerning: none; }
}
"""


# A vertical book (直排): every content document is set in columns from the
# right (Apple Books wants the writing mode on the root of each document),
# Han upright, Latin words and long numbers turned (text-orientation: mixed,
# the default), short numbers upright side by side (xhtml.upright_numbers).
# The rules above are physical (MuPDF knows no logical properties), so those
# that space blocks apart are turned here too: what is below a block in
# horizontal text is to its left in columns.  The title block opens the
# book in the first columns, its title larger and set from the column head;
# the date line and the byline stand at the column foot, as a vertical book
# sets them.
_VERTICAL = """\
html {
  -epub-writing-mode: vertical-rl;
  -webkit-writing-mode: vertical-rl;
  writing-mode: vertical-rl;
}
p, li { margin: 0 0 0 0.4em; }
.article { margin: 0 0 0 2em; }
.title-block {
  margin: 0 1em 0 1.1em;
  padding: 0 0 0 0.6em;
  border-bottom: none;
  border-left: 1px solid #666666;
  text-align: left;
}
h1.title { text-align: left; text-indent: 1em; }
h2, h3, h4, h5, h6 { margin: 0 1.2em 0 0.5em; }
p.subtitle { margin: 0 0.2em 0 0; text-align: left; text-indent: 2em; }
p.author { margin: 0 0.2em 0 0; text-align: right; }
p.meta { margin: 0 0.5em 0 0; text-align: right; }
blockquote { margin: 2em 0.8em; }
p.byline, p.editors { margin: 0 0.8em 0 0; }
p.editors { margin-right: 0.2em; }
nav h2 { margin: 0 1em 0 1.2em; text-align: left; }
nav li { margin: 0 0 0 0.6em; }
nav ol ol { margin: 2em 0 0 0.4em; }
.tcy {
  -epub-text-combine: horizontal;
  -webkit-text-combine: horizontal;
  text-combine-upright: all;
}
"""


@dataclass(frozen=True)
class FontFace:
    source: str  # the bundled family the subset was cut from
    family: str  # the name the stylesheet gives the subset
    weight: str  # "normal" or "bold"
    href: str  # relative to the stylesheet


def _quote(family: str) -> str:
    return f'"{family}"' if family not in ("serif", "sans-serif") else family


def stylesheet(region_families: dict[str, list[str]], faces: list[FontFace], default_region: str,
               vertical: bool = False) -> str:
    """CSS for a book whose chapters use ``region_families`` (region -> font
    families, embedded one first, generic last); ``default_region`` also
    serves the navigation document.  ``vertical``: set in columns."""
    parts = []
    for face in faces:
        parts.append(
            "@font-face {\n"
            f"  font-family: {_quote(face.family)};\n"
            f"  font-weight: {face.weight};\n"
            "  font-style: normal;\n"
            f'  src: url("{face.href}");\n'
            "}\n"
        )

    def family_list(region: str) -> str:
        return ", ".join(_quote(f) for f in region_families[region])

    parts.append(f"body {{ font-family: {family_list(default_region)}; }}\n")
    for region in sorted(region_families):
        parts.append(f".region-{region} {{ font-family: {family_list(region)}; }}\n")
    parts.append(_BASE)
    parts.append(_PAIRS)
    if vertical:
        parts.append(_VERTICAL)
    return "".join(parts)
