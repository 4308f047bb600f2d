"""Word documents (.docx) made with python-docx.

Everything the reader sees is carried by named styles defined in the document
(Title, Subtitle, News Metadata, Body Text, News Point, News Byline, News
Editors, ...), so a newsroom can restyle the article in Word; runs carry no
formatting of their own beyond the East Asian font hint.

Chinese text needs what python-docx does not do by itself: the East Asian font
slot (``w:eastAsia``) named on the styles instead of a theme font, the hint that
makes quotes and shared punctuation take that font, the East Asian language so
that Word applies its line-breaking rules, and an indent counted in characters.
Fonts are named, not embedded; the font table lists each region's usual
Song/Ming faces as fall-backs.

With ``reference_docx`` (as pandoc's ``--reference-doc``) the user's file
supplies the styles, page setup, header and footer; our styles are added only
where it lacks them, and its content is dropped.

This module is what the registry loads, so it imports no python-docx: an
article is built in ``build`` into the template ``template`` makes once with
python-docx (with ``styles``, ``settings``, ``fonttable`` and a ``reference``
document) and keeps in the per-user cache, its body written by ``body``; a
run that finds the template there writes with lxml alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ...errors import UsageError
from .options import DocxOptions

if TYPE_CHECKING:
    from ...model import Document


class DocxWriter:
    name = "docx"
    extension = "docx"
    kind = "document"
    Options = DocxOptions

    def load(self) -> None:
        """Import what writing needs (the command line calls it in a child
        process while the input is read)."""
        from . import build  # noqa: F401

    def write(self, doc: Document, out: BinaryIO, options: DocxOptions = DocxOptions()) -> tuple[str, ...]:
        from .build import build_docx

        data, warnings = build_docx(doc, options)
        out.write(data)
        return warnings

    def check_options(self, options: DocxOptions) -> None:
        """A reference document that cannot be used stops a run before any
        input is read: a batch would otherwise fail every file for it."""
        if options.reference_docx is None:
            return
        if not Path(options.reference_docx).is_file():
            raise UsageError("no such reference document", options.reference_docx)
        from .template import check_reference

        check_reference(options.reference_docx)
