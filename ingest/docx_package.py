"""Opening a DOCX with python-docx, parsing only the parts the DOCX reader uses.

``docx.Document`` parses every part python-docx has a class for, among them ``styles.xml`` (about
12,000 elements in a document Word or python-docx wrote, the largest part by far), numbering,
settings, footers and comments. The reader (``ingest.docx``) uses the body, the headers and the
core properties' title, nothing else: the other parts are kept here as opaque bytes, as
python-docx keeps themes and font tables. Parsing ``styles.xml`` and the guard counting its
elements (``ingest.guards``, told which parts are parsed) were about two thirds of reading a
generated DOCX.

The document is otherwise python-docx's own (same package reader, same relationships, same
oxml classes), so paragraphs, tables, merged cells, content controls and headers read as before.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.package import Unmarshaller
from docx.opc.part import Part, PartFactory
from docx.opc.pkgreader import PackageReader
from docx.package import Package

if TYPE_CHECKING:
    from docx.document import Document
    from docx.opc.packuri import PackURI

# The parts the DOCX reader reads through python-docx: the body, the headers, the core properties.
PARSED_TYPES = frozenset({CT.WML_DOCUMENT_MAIN, CT.WML_HEADER, CT.OPC_CORE_PROPERTIES})


def _part(partname: PackURI, content_type: str, reltype: str, blob: bytes, package: Package) -> Part:
    """python-docx's part for a type the reader reads; the bytes as they are for any other."""
    if content_type in PARSED_TYPES:
        return PartFactory(partname, content_type, reltype, blob, package)
    return Part.load(partname, content_type, blob, package)


def open_document(data: bytes) -> Document:
    """The python-docx document of ``data``; raises what ``docx.Document`` raises for a bad file."""
    package = Package()
    Unmarshaller.unmarshal(PackageReader.from_file(io.BytesIO(data)), package, _part)
    document_part = package.main_document_part
    if document_part.content_type != CT.WML_DOCUMENT_MAIN:
        raise ValueError(f"is not a Word file, content type is '{document_part.content_type}'")
    return document_part.document  # type: ignore[attr-defined]
