"""EPUB 3 (with an EPUB 2 NCX for older readers), made with ebooklib.

One article is one chapter; ``write_many`` binds several articles into one
book, a chapter each, in date order.  By default the bundled CJK fonts are
embedded, cut down to the characters the book sets, so a reading system
without Chinese fonts shows no tofu.

This module is what the registry loads, so it imports no ebooklib: the book
is put together in ``book``, its chapters in ``xhtml``, its stylesheet in
``style``, and the characters its font subsets keep are found in ``fonts``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, BinaryIO

from .options import EpubOptions

if TYPE_CHECKING:
    from ...model import Document


class EpubWriter:
    name = "epub"
    extension = "epub"
    kind = "document"
    Options = EpubOptions

    def load(self) -> None:
        """Import what writing needs (the command line calls it in a child
        process while the input is read)."""
        from . import book  # noqa: F401

    def write(self, doc: Document, out: BinaryIO, options: EpubOptions = EpubOptions()) -> tuple[str, ...]:
        from .book import write_book

        return write_book([doc], out, options, title=None)

    def write_many(self, docs: Sequence[Document], out: BinaryIO, options: EpubOptions = EpubOptions(), *,
                   title: str = "") -> tuple[str, ...]:
        """One book of ``docs``, a chapter each, oldest first (undated
        articles last), opening on its table of contents; titled ``title``,
        or 新闻选辑 (新聞選輯) in the first article's script."""
        from .book import bind

        return bind(docs, out, options, title)
