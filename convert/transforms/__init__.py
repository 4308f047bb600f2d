"""Transforms rewrite a Document into a Document; the pipeline runs them in a
fixed, documented order:

    reader → punctuation → variant repair → script conversion → quote marks → writer

Why this order:

- **punctuation** (``punctuation.py``) first: it decides by the characters
  around a mark whether the mark stands in Chinese text, so it works on the
  text as read, and every later step sees full-width marks.
- **variant repair** (``variants.py``, opt-in) works on traditional text as
  read: it replaces simplified leftovers (精准, 范圍) that a site's own
  one-to-one converter left behind.  It has to run before script conversion,
  which never touches text that is already in the target script.
- **script conversion** (``chinese_script.py``, OpenCC) changes characters only.
- **quote marks** (``quotes.py``) last, because the default style follows the
  script the document ends up in (“”‘’ for simplified, 「」『』 for traditional).

Each transform is a small module with a pure function ``Document -> Document``.
Those that need context across inline nodes (a comma after
``<strong>…</strong>``, a quotation that opens in one node and closes in
another) work through the unit engine in ``units.py``: one string per
paragraph to look at, and the result put back into the nodes it came from.
This module only names the options and the order; it imports the transforms
when they run, so that reading the options costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UsageError
from ..lang import TARGETS
from ..model import Document

# The output scripts, as the language rules define them.
SCRIPTS = TARGETS
QUOTE_STYLES = ("keep", "mainland", "taiwan", "auto")


@dataclass(frozen=True)
class TransformOptions:
    """What the pipeline does between reading and writing.

    ``script``: the target script/region (hans, hant, tw, hk), None to keep
    the text as read.  ``phrases``: also rewrite vocabulary with OpenCC's
    phrase tables (s2twp, tw2sp); off by default because it makes mistakes.
    ``normalize_punctuation``: ASCII , : ; ? ! ( ) in Chinese text become
    full-width, small forms (﹔) normal ones, stray spaces between Chinese
    characters are cleaned up.  ``quotes``: keep, mainland (“”‘’), taiwan
    (「」『』) or auto (follows the script the document ends up in).
    ``fix_variants``: repair simplified leftovers in traditional text (精准
    →精準); on by default, as only certain repairs are made and a regional
    form (啓, 綫, 峯) is never one.
    """

    script: str | None = None
    phrases: bool = False
    normalize_punctuation: bool = True
    quotes: str = "auto"
    fix_variants: bool = True

    def __post_init__(self) -> None:
        if self.script is not None and self.script not in SCRIPTS:
            raise UsageError(f"unknown script {self.script!r} (choose from {', '.join(SCRIPTS)})")
        if self.quotes not in QUOTE_STYLES:
            raise UsageError(f"unknown quote style {self.quotes!r} (choose from {', '.join(QUOTE_STYLES)})")


def apply_transforms(doc: Document, options: TransformOptions) -> Document:
    from .chinese_script import convert_script
    from .punctuation import normalize_punctuation
    from .quotes import convert_quotes
    from .variants import fix_variants

    if options.normalize_punctuation:
        doc = normalize_punctuation(doc)
    if options.fix_variants:
        doc = fix_variants(doc)
    if options.script:
        doc = convert_script(doc, options.script, phrases=options.phrases)
    return convert_quotes(doc, options.quotes)
