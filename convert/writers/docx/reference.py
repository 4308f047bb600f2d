"""A reference document (``--reference-docx``), read as a file from anywhere deserves.

It lends the output its styles and its page: the styles (with the theme,
numbering and font table they lean on, and the fonts that table embeds),
the settings, and the last section's page setup with its headers and
footers.  Nothing else is read: not the content, its pictures or comments,
not the document properties, not the macros.  Every XML part read is parsed
without a DTD or entities, its size and the number of parts are bounded,
and relationships that point outside the package (a template on a web
server, hyperlinks, a picture on a ``file://`` share) are left out, with a
warning: each output would otherwise carry them to its reader.

The result is a clean package in memory that python-docx opens as usual.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from ...errors import UsageError
from ..common import escape

# A Word document has a few dozen parts; a bound on the entries keeps the
# zip's directory and the walk over the relationships small.
MAX_ENTRIES = 10_000
MAX_PARTS_READ = 1_000
# Decompressed, as read: a zip of 1 MB can hold a part of 1 GiB.
MAX_PART_BYTES = 64 << 20
MAX_TOTAL_BYTES = 256 << 20

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
OFFICE_DOCUMENT = _RT + "officeDocument"
MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# What the main part keeps: styles and what they lean on, settings, and the
# headers and footers of the page (those the last section names).
KEPT_FROM_MAIN = frozenset(_RT + name for name in (
    "styles", "settings", "fontTable", "theme", "numbering", "footnotes", "endnotes"))
PAGE_PARTS = frozenset(_RT + name for name in ("header", "footer"))
# Elements a dropped link is part of: the picture goes as a whole.
_PICTURES = frozenset(f"{{{W_NS}}}{tag}" for tag in ("drawing", "pict", "object"))
_SEPARATORS = frozenset(("separator", "continuationSeparator", "continuationNotice"))


@dataclass(frozen=True)
class Reference:
    package: bytes  # what python-docx opens
    has_page: bool  # the document has a page setup (w:sectPr) of its own
    warnings: tuple[str, ...]


class _Bad(Exception):
    """What is wrong with the reference document, in a few words."""


def load_reference(path: str, content: bytes | None = None) -> Reference:
    """The parts of ``path`` an output takes, as a package of their own;
    ``content``: the file's bytes, when they have been read.

    Raises UsageError (one line, naming the file) for a file that is no
    Word document or is built to harm: a bomb, a DTD, broken XML.
    """
    try:
        with zipfile.ZipFile(path if content is None else io.BytesIO(content)) as z:
            return _Reader(z).reference()
    except _Bad as exc:
        raise UsageError(f"not usable as a reference document: {exc}", path) from None
    except zipfile.BadZipFile:
        raise UsageError("not usable as a reference document: not a Word document (not a zip file)", path) from None
    except OSError as exc:
        raise UsageError(f"not usable as a reference document: {exc.strerror or exc}", path) from None


def safe_xml(data: bytes, name: str):
    """``data`` parsed as XML with no DTD, no entities, no network; _Bad otherwise."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _Bad(f"{name} is not well-formed XML ({' '.join(str(exc).split())})") from None
    if root.getroottree().docinfo.doctype:
        raise _Bad(f"{name} declares a DTD, which no Word document does")
    return root


class _Reader:
    def __init__(self, z: zipfile.ZipFile):
        self.z = z
        infos = z.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _Bad(f"it holds {len(infos)} files; a Word document holds far fewer (at most {MAX_ENTRIES})")
        self.members = {i.filename: i for i in infos}
        self.folded = {i.filename.lower(): i for i in infos}  # part names ignore case
        self.read_bytes = 0
        self.parts: dict[str, bytes] = {}  # name in the new package -> content
        self.types: dict[str, str] = {}  # name -> content type (overrides)
        self.dropped: list[str] = []  # outside links left out, as "kind target"
        self.queue: list[str] = []

    # -- reading

    def _read(self, name: str) -> bytes:
        info = self.members.get(name) or self.folded.get(name.lower())
        if info is None:
            raise _Bad(f"it names a part {name} that is not there")
        if len(self.parts) >= MAX_PARTS_READ:
            raise _Bad(f"it links more than {MAX_PARTS_READ} parts to its styles and page")
        limit = min(MAX_PART_BYTES, MAX_TOTAL_BYTES - self.read_bytes)
        try:
            with self.z.open(info) as f:
                data = f.read(limit + 1)
        except (zipfile.BadZipFile, NotImplementedError, EOFError, ValueError, RuntimeError) as exc:
            raise _Bad(f"{name} cannot be unpacked ({' '.join(str(exc).split())})") from None
        if len(data) > limit:
            what = "the parts it needs are" if limit < MAX_PART_BYTES else f"{name} is"
            raise _Bad(f"{what} larger than {limit >> 20} MiB unpacked (a zip bomb?)")
        self.read_bytes += len(data)
        return data

    def _xml(self, name: str):
        return safe_xml(self._read(name), name)

    # -- the package

    def reference(self) -> Reference:
        types = self._xml("[Content_Types].xml")
        self.defaults = {d.get("Extension", "").lower(): d.get("ContentType", "")
                         for d in types.findall(f"{{{CT_NS}}}Default")}
        self.overrides = {o.get("PartName", "").lstrip("/").lower(): o.get("ContentType", "")
                          for o in types.findall(f"{{{CT_NS}}}Override")}
        main = None
        for rel in self._rels(""):
            if rel.get("Type") == OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
                main = _resolve("", rel.get("Target", ""))
        if main is None:
            raise _Bad("not a Word document (no main document part)")

        document = self._xml(main)
        body = document.find(f"{{{W_NS}}}body")
        sect_pr = body.find(f"{{{W_NS}}}sectPr") if body is not None else None
        page_ids = {ref.get(f"{{{R_NS}}}id") for ref in (sect_pr if sect_pr is not None else ())
                    if ref.tag in (f"{{{W_NS}}}headerReference", f"{{{W_NS}}}footerReference")}
        # The content goes; the last section's page setup stays.
        shell = etree.Element(document.tag, attrib=dict(document.attrib), nsmap=document.nsmap)
        new_body = etree.SubElement(shell, f"{{{W_NS}}}body")
        if sect_pr is not None:
            new_body.append(sect_pr)
        kept = self._keep_rels(main, shell, lambda rel: rel.get("Type") in KEPT_FROM_MAIN
                               or (rel.get("Type") in PAGE_PARTS and rel.get("Id") in page_ids))
        self.parts[main] = _xml_bytes(shell)
        self.types[main] = MAIN_CONTENT_TYPE  # a template (.dotx) lends its styles as well
        self.queue.extend(kept)
        while self.queue:
            self._take(self.queue.pop(0))

        package_rels = (f'<Relationships xmlns="{PKG_RELS_NS}"><Relationship Id="rId1" '
                        f'Type="{OFFICE_DOCUMENT}" Target="/{_attr(main)}"/></Relationships>')
        self.parts["_rels/.rels"] = package_rels.encode("utf-8")
        self.parts["[Content_Types].xml"] = self._content_types()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
            for name in sorted(self.parts):
                dst.writestr(name, self.parts[name])
        warnings = ()
        if self.dropped:
            shown = "; ".join(self.dropped[:3]) + (f"; and {len(self.dropped) - 3} more"
                                                   if len(self.dropped) > 3 else "")
            warnings = (f"left out {len(self.dropped)} link(s) to outside the document, which every output "
                        f"would carry: {shown}",)
        return Reference(out.getvalue(), sect_pr is not None, warnings)

    def _take(self, name: str) -> None:
        """A part the kept parts need, with the parts it needs in turn."""
        if name in self.parts:
            return
        content_type = self._content_type(name)
        if not _is_xml(name, content_type):
            self.parts[name] = self._read(name)  # a font or a picture: taken as it is
            return
        root = self._xml(name)
        if root.tag in (f"{{{W_NS}}}footnotes", f"{{{W_NS}}}endnotes"):
            # Only the separator lines the settings refer to: the notes themselves are content.
            for note in list(root):
                if note.get(f"{{{W_NS}}}type") not in _SEPARATORS:
                    root.remove(note)
        self.queue.extend(self._keep_rels(name, root, lambda rel: True))
        self.parts[name] = _xml_bytes(root)

    def _keep_rels(self, name: str, root, wanted) -> list[str]:
        """The relationships of part ``name`` that are ``wanted`` and inside
        the package; the others are left out, and what ``root`` says through
        them with them.  Returns the parts they lead to."""
        rels = self._rels(name)
        if rels is None:
            return []
        kept, targets, gone = etree.Element(f"{{{PKG_RELS_NS}}}Relationships", nsmap={None: PKG_RELS_NS}), [], set()
        for rel in rels:
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                self.dropped.append(f"{rel.get('Type', '').rpartition('/')[2] or 'link'} {target[:80]}")
                gone.add(rel.get("Id"))
            elif wanted(rel):
                rel.tail = None
                kept.append(rel)
                targets.append(_resolve(name, target))
            else:
                gone.add(rel.get("Id"))
        if gone:
            _drop_references(root, gone)
        self.parts[_rels_name(name)] = _xml_bytes(kept)
        return targets

    def _rels(self, name: str):
        rels_name = _rels_name(name)
        if rels_name not in self.members and rels_name.lower() not in self.folded:
            return None if name else []
        return [r for r in self._xml(rels_name) if r.tag == f"{{{PKG_RELS_NS}}}Relationship"]

    def _content_type(self, name: str) -> str:
        if name.lower() in self.overrides:
            return self.overrides[name.lower()]
        return self.defaults.get(posixpath.splitext(name)[1].lstrip(".").lower(), "")

    def _content_types(self) -> bytes:
        defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml"}
        overrides = {}
        for name in self.parts:
            if name == "[Content_Types].xml" or name.endswith(".rels"):
                continue
            content_type = self.types.get(name) or self._content_type(name)
            if not content_type:
                raise _Bad(f"{name} has no content type")
            extension = posixpath.splitext(name)[1].lstrip(".").lower()
            if self.defaults.get(extension) == content_type and name not in self.types:
                defaults[extension] = content_type
            else:
                overrides[name] = content_type
        return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>"
                f'<Types xmlns="{CT_NS}">'
                + "".join(f'<Default Extension="{_attr(e)}" ContentType="{_attr(t)}"/>'
                          for e, t in sorted(defaults.items()))
                + "".join(f'<Override PartName="/{_attr(n)}" ContentType="{_attr(t)}"/>'
                          for n, t in sorted(overrides.items()))
                + "</Types>").encode("utf-8")


def _drop_references(root, gone: set[str]) -> None:
    """Take out what refers to a relationship left out: a hyperlink keeps its
    text, a picture goes whole, anything else (attachedTemplate) goes."""
    r_attrs = [(el, key) for el in root.iter() for key, value in el.attrib.items()
               if key.startswith(f"{{{R_NS}}}") and value in gone]
    for el, key in r_attrs:
        if el.getparent() is None and el is not root:
            continue  # gone already with an ancestor
        if any(k.startswith(f"{{{R_NS}}}") and k != key and v not in gone for k, v in el.attrib.items()):
            del el.attrib[key]  # an image linked and embedded keeps its embedded copy
            continue
        if el is root:
            continue
        if el.tag == f"{{{W_NS}}}hyperlink":
            parent = el.getparent()
            at = parent.index(el)
            for child in reversed(list(el)):
                parent.insert(at, child)
            parent.remove(el)
            continue
        victim = next((a for a in el.iterancestors() if a.tag in _PICTURES), el)
        parent = victim.getparent()
        if parent is not None:
            parent.remove(victim)


def _resolve(source: str, target: str) -> str:
    """A relationship's target as a part name (no leading slash)."""
    target = unquote(target)
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def _rels_name(name: str) -> str:
    folder, base = posixpath.split(name)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def _is_xml(name: str, content_type: str) -> bool:
    return content_type.endswith("+xml") or content_type.endswith("/xml") or name.lower().endswith(".xml")


def _xml_bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _attr(value: str) -> str:
    return escape(value, quote=True)
