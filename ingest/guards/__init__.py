"""What a hostile file may cost a reader, checked before the library that would pay it runs.

A file that arrives is data from anywhere; the libraries that read it (python-docx, openpyxl,
lxml, Pillow, PDFium) trust what it declares. These checks read only headers, or stream through
a container with a cap, and refuse the file with a reason in Chinese that says what was wrong
(a ZIP member that inflates to gigabytes, an XML part with a DOCTYPE, an image of 2.5 gigapixels)
before memory or time is spent:

- ``limits``: the numbers, in one place;
- ``containers``: ZIP containers (DOCX, XLSX, OFD): member count, declared and actual sizes, and
  every XML part scanned for DTDs and entities, element counts and depth;
- ``xml``: the streaming XML scan itself (expat, no DTD, no entities, counted);
- ``images``: pixel counts and frame chains (TIFF) from the headers, before any pixel is decoded;
- ``text``: the cap on how much text one document keeps.

The process-level backstop (a memory limit while a file is read) is ``core.reading.memory``.
May import: ``ingest.failures`` and ``schemas``.
"""

from ingest.guards.containers import check_package
from ingest.guards.images import check_image
from ingest.guards.limits import LIMITS, Limits
from ingest.guards.text import capped_text
from ingest.guards.xml import scan_xml

__all__ = ["LIMITS", "Limits", "capped_text", "check_image", "check_package", "scan_xml"]
