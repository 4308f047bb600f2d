"""Simplified/Traditional conversion with OpenCC, chosen by source and target.

Rules (see TYPOGRAPHY.md): convert once, from the detected source script, and
never convert text that is already in the target script (a traditional text
sent through s2t picks up 指明瞭, 註重); use s2tw/t2tw for Taiwan, never s2t,
whose standard forms (爲, 羣, 衆) are not Taiwan usage; phrase tables only when
asked for.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

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

LANGUAGE_TAGS = {"hans": "zh-Hans-CN", "hant": "zh-Hant", "tw": "zh-Hant-TW", "hk": "zh-Hant-HK"}


@cache
def converter(config: str):
    """One OpenCC converter per configuration and process: loading the
    dictionaries costs far more than converting an article."""
    import opencc

    return opencc.OpenCC(f"{config}.json")


def choose_config(source_script: str, source_language: str, target: str, *, phrases: bool = False) -> str | None:
    """The OpenCC configuration for this conversion, None when none is needed."""
    config = _CONFIGS[(source_script, target)]
    if config == "t2s":
        # A text known to be Taiwan or Hong Kong usage converts back with the
        # matching table, which knows that region's variant forms.
        if source_language.endswith("-TW"):
            config = "tw2s"
        elif source_language.endswith("-HK"):
            config = "hk2s"
    if phrases and config in _PHRASE_CONFIGS:
        config = _PHRASE_CONFIGS[config]
    return config


def convert_script(doc: Document, target: str, *, phrases: bool = False) -> Document:
    source = doc.meta.script or detect_script(doc.meta.title)
    config = choose_config(source, doc.meta.language, target, phrases=phrases)
    if config is not None:
        doc = map_text(doc, converter(config).convert)
    language = LANGUAGE_TAGS[target]
    if target == "hant" and doc.meta.language.startswith("zh-Hant"):
        language = doc.meta.language  # already traditional: keep its region
    return replace(doc, meta=replace(doc.meta, script="hans" if target == "hans" else "hant",
                                     language=language))


def detect_script(text: str) -> str:
    """"hans" or "hant", by which conversion changes more characters.

    Characters that t2s changes are traditional-only; those s2t changes are
    simplified-only or shared ones OpenCC standardises.  Scraped traditional
    text often keeps simplified leftovers (精准, 范圍), so the majority decides.
    """
    sample = text[:20000]
    traditional = _changed(sample, converter("t2s").convert(sample))
    simplified = _changed(sample, converter("s2t").convert(sample))
    return "hant" if traditional > simplified else "hans"


def _changed(before: str, after: str) -> int:
    if len(before) != len(after):  # a phrase table changed lengths: count by set
        return len(set(before) - set(after))
    return sum(1 for a, b in zip(before, after, strict=True) if a != b)
