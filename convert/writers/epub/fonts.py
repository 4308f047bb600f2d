"""The characters a book sets in each weight.

A reader without CJK fonts must show no tofu, but a whole CJK font is tens of
megabytes: each embedded face keeps only the code points the book sets in that
weight (``_font_subset`` cuts it).  Which text is bold follows ``BOLD_TAGS``,
the same elements the stylesheet makes bold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .xhtml import BOLD_TAGS

# Layout whitespace that pretty-printing puts between elements; never set.
_LAYOUT_WHITESPACE = "\t\n\r"


@dataclass
class CharSets:
    """Code points set in regular and in bold type."""

    regular: set[str] = field(default_factory=set)
    bold: set[str] = field(default_factory=set)

    def add(self, text: str, bold: bool) -> None:
        if text and text.strip(" " + _LAYOUT_WHITESPACE):
            (self.bold if bold else self.regular).update(c for c in text if c not in _LAYOUT_WHITESPACE)

    def update(self, other: CharSets) -> None:
        self.regular |= other.regular
        self.bold |= other.bold


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def chars_in_markup(markup: str | bytes) -> CharSets:
    """The characters an XHTML fragment or document shows, by weight.

    Only the ``body`` counts when there is one (the ``head`` title is not set
    in the book's fonts); whitespace-only text between elements is layout.
    """
    root = etree.fromstring(markup.encode("utf-8") if isinstance(markup, str) else markup)
    body = next((el for el in root.iter() if _local(el.tag) == "body"), root)
    found = CharSets()

    def visit(el, bold: bool) -> None:
        bold = bold or _local(el.tag) in BOLD_TAGS
        found.add(el.text or "", bold)
        for child in el:
            visit(child, bold)
            found.add(child.tail or "", bold)

    visit(body, False)
    return found
