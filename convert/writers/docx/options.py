"""The DOCX writer's options, apart from the writer so that the modules
building a document can name them without importing the package back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..options import option, path


@dataclass(frozen=True)
class DocxOptions:
    reference_docx: str | None = option(
        None, flag=("--reference-docx", "--reference-doc"), metavar="FILE", parse=path,
        help="take the styles, page setup, header and footer from this Word document")
    layout: Literal["horizontal", "vertical"] = option(
        "horizontal", help="horizontal lines, or vertical columns right to left")
