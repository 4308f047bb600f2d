"""Simplified/Traditional conversion with OpenCC, chosen by source and target.

Rules (see TYPOGRAPHY.md): convert once, from the detected source script, and
never convert text that is already in the target script (a traditional text
sent through s2t picks up 指明瞭, 註重); use s2tw/t2tw for Taiwan, never s2t,
whose standard forms (爲, 羣, 衆) are not Taiwan usage; phrase tables only when
asked for.
"""

from __future__ import annotations

from dataclasses import replace

from ..lang import LANGUAGE_TAGS, opencc_converter, parse_tag, script_of, script_of_tag
from ..model import Document, map_text

# (source script, target) -> OpenCC configuration; None: already there.
_CONFIGS: dict[tuple[str, str], str | None] = {
    ("hans", "hans"): None,
    ("hans", "hant"): "s2t",
    ("hans", "tw"): "s2tw",
    ("hans", "hk"): "s2hk",
    ("hant", "hans"): "t2s",
    ("hant", "hant"): None,
    ("hant", "tw"): "t2tw",
    ("hant", "hk"): "t2hk",
}
_PHRASE_CONFIGS = {"s2tw": "s2twp", "tw2s": "tw2sp"}

def choose_config(source_script: str, source_language: str, target: str, *, phrases: bool = False) -> str | None:
    """The OpenCC configuration for this conversion, None when none is needed."""
    config = _CONFIGS[(source_script, target)]
    if config == "t2s":
        # A text known to be Taiwan or Hong Kong usage converts back with the
        # matching table, which knows that region's variant forms.
        region = parse_tag(source_language).region
        if region == "tw":
            config = "tw2s"
        elif region in ("hk", "mo"):  # Macau writes with Hong Kong's forms
            config = "hk2s"
    if phrases and config in _PHRASE_CONFIGS:
        config = _PHRASE_CONFIGS[config]
    return config


def convert_script(doc: Document, target: str, *, phrases: bool = False) -> Document:
    source = script_of(doc)
    config = choose_config(source, doc.meta.language, target, phrases=phrases)
    if config is not None:
        doc = map_text(doc, opencc_converter(config).convert)
    language = LANGUAGE_TAGS[target]
    if target == "hant" and script_of_tag(doc.meta.language) == "hant":
        language = doc.meta.language  # already traditional: keep its region
    return replace(doc, meta=replace(doc.meta, script="hans" if target == "hans" else "hant",
                                     language=language))
