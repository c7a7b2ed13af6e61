"""Which parts of an Office package its reader parses as XML, read from ``[Content_Types].xml``.

python-docx parses only the parts whose content type it has a class for (document, styles,
numbering, settings, headers, footers, comments, core properties); every other part (the
``stylesWithEffects.xml`` Word writes beside ``styles.xml``, themes, font tables, custom XML) stays
an opaque blob it never hands to an XML parser. Counting the elements of such a part guards nothing
and cost half the time of reading a generated DOCX. The part names in the content-type map are
compared in lower case, so a map that spells a name differently from the ZIP can only make more
parts counted, never fewer; a map that cannot be read makes every part counted.
"""

from __future__ import annotations

import xml.parsers.expat as expat
import zipfile
from collections.abc import Callable, Collection

CONTENT_TYPES = "[Content_Types].xml"


def opaque_parts(archive: zipfile.ZipFile, parsed_types: Collection[str]) -> Callable[[str], bool]:
    """A test for member names the reader keeps as bytes (True) rather than parses (False).

    The caller has already checked ``[Content_Types].xml`` (size, DOCTYPE, element count) and the
    member sizes, so reading the map whole here is bounded.
    """
    overrides, defaults = _content_type_map(archive)
    if overrides is None:
        return lambda _name: False
    parsed = {t.lower() for t in parsed_types}

    def opaque(name: str) -> bool:
        lowered = name.lower()
        if lowered == CONTENT_TYPES.lower() or lowered.endswith(".rels"):
            return False  # the package's own map and relationships are always parsed
        kind = overrides.get("/" + lowered.lstrip("/"))
        if kind is None:
            kind = defaults.get(lowered.rsplit(".", 1)[-1] if "." in lowered else "", "")
        return kind not in parsed

    return opaque


def _content_type_map(archive: zipfile.ZipFile) -> tuple[dict[str, str] | None, dict[str, str]]:
    try:
        data = archive.read(CONTENT_TYPES)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError, EOFError):
        return None, {}
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]
        kind = attrs.get("ContentType", "").strip().lower()
        if local == "Override" and "PartName" in attrs:
            overrides["/" + attrs["PartName"].strip().lower().lstrip("/")] = kind
        elif local == "Default" and "Extension" in attrs:
            defaults[attrs["Extension"].strip().lower().lstrip(".")] = kind

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        return None, {}
    return overrides, defaults
