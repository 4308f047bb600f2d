"""The document settings Chinese text needs: compressed punctuation, the
kinsoku characters Word may not put at a line's start or end, the theme's
East Asian language, and short lines before a line break left unstretched."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ... import lang
from .wordml import WORD_LANG

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

# The line-edge rules every writer shares (convert.lang), handed to Word.
# Word cannot keep a pair whole, so the marks never split (—— and ……) are
# told not to start a line, which has the same effect.
NO_LINE_START = "".join(dict.fromkeys(lang.CANNOT_START + lang.NEVER_SPLIT))
NO_LINE_END = lang.CANNOT_END

# w:settings children from characterSpacingControl on, in schema order: Word
# refuses a file whose settings are out of order.
_SETTINGS_ORDER = (
    "w:characterSpacingControl", "w:printTwoOnOne", "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter", "w:noLineBreaksBefore", "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema", "w:saveInvalidXml", "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags", "w:alwaysMergeEmptyNamespace",
    "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat",
    "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
    "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
    "w:listSeparator",
)


def _put_setting(settings, tag: str, attrs: dict[str, str]) -> None:
    for old in settings.findall(qn(tag)):
        settings.remove(old)
    element = OxmlElement(tag, attrs={qn(k): v for k, v in attrs.items()})
    settings.insert_element_before(element, *_SETTINGS_ORDER[_SETTINGS_ORDER.index(tag) + 1:])


def apply_settings(word: WordDocument, region: str) -> None:
    settings = word.settings.element
    lang = WORD_LANG[region]
    # Squeeze adjacent punctuation (。」 ，「) as Chinese Word does.
    _put_setting(settings, "w:characterSpacingControl", {"w:val": "compressPunctuation"})
    _put_setting(settings, "w:noLineBreaksAfter", {"w:lang": lang, "w:val": NO_LINE_END})
    _put_setting(settings, "w:noLineBreaksBefore", {"w:lang": lang, "w:val": NO_LINE_START})
    # Theme East Asian fonts follow this language; python-docx's template says ja-JP.
    _put_setting(settings, "w:themeFontLang", {"w:val": "en-US", "w:eastAsia": lang})
    _keep_short_lines_before_breaks(settings)


# w:compat children that come before doNotExpandShiftReturn in the schema.
_COMPAT_BEFORE = {"useSingleBorderforContiguousCells", "wpJustification", "noTabHangInd", "noLeading",
                  "spaceForUL", "noColumnBalance", "balanceSingleByteDoubleByteWidth",
                  "noExtraLineSpacing", "doNotLeaveBackslashAlone", "ulTrailSpace"}


def _keep_short_lines_before_breaks(settings) -> None:
    """A line ended by a line break is not stretched to the full measure:
    justified, its few ideographs would stand far apart."""
    compat = settings.find(qn("w:compat"))
    if compat is None:
        _put_setting(settings, "w:compat", {})
        compat = settings.find(qn("w:compat"))
    if compat.find(qn("w:doNotExpandShiftReturn")) is not None:
        return
    element = OxmlElement("w:doNotExpandShiftReturn")
    for child in compat:
        if child.tag.rpartition("}")[2] not in _COMPAT_BEFORE:
            child.addprevious(element)
            return
    compat.append(element)
