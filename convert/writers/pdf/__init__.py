"""PDF: the document set on A4 pages in the bundled Noto Serif CJK fonts.

Title block, justified body paragraphs with a 2-em indent, numbered points
with their lead sentence in bold, byline and editors; a running header and
page numbers in the document's script; an outline, document information and
/Lang.  Lines are broken by our own kinsoku rules (``lines``) because
reportlab's CJK wrapping is incomplete.  Output is byte-identical for the same
input: reportlab runs in invariant mode and every date is the publication date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

from .options import PdfOptions

if TYPE_CHECKING:
    from ...model import Document


class PdfWriter:
    name = "pdf"
    extension = "pdf"
    kind = "document"
    Options = PdfOptions

    def load(self) -> None:
        """Import what writing needs (the command line calls it in a child
        process while the input is read)."""
        from . import layout  # noqa: F401

    def write(self, doc: Document, out: BinaryIO, options: PdfOptions = PdfOptions()) -> tuple[str, ...]:
        from .layout import creator_name

        if options.layout == "vertical":
            from .vertical import render_vertical

            return render_vertical(doc, out, options, creator_name())
        from .layout import render

        return render(doc, out, options, creator_name())
