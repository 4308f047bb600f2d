"""Transforms rewrite a Document into a Document; the pipeline runs them in a
fixed, documented order:

    reader → script conversion → writer

Each transform is a small module with a pure function ``Document -> Document``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UsageError
from ..model import Document

SCRIPTS = ("hans", "hant", "tw", "hk")


@dataclass(frozen=True)
class TransformOptions:
    """What the pipeline does between reading and writing.

    ``script``: the target script/region (hans, hant, tw, hk), None to keep
    the text as read.  ``phrases``: also rewrite vocabulary with OpenCC's
    phrase tables (s2twp, tw2sp); off by default because it makes mistakes.
    """

    script: str | None = None
    phrases: bool = False

    def __post_init__(self) -> None:
        if self.script is not None and self.script not in SCRIPTS:
            raise UsageError(f"unknown script {self.script!r} (choose from {', '.join(SCRIPTS)})")


def apply_transforms(doc: Document, options: TransformOptions) -> Document:
    from .chinese_script import convert_script

    if options.script:
        doc = convert_script(doc, options.script, phrases=options.phrases)
    return doc
