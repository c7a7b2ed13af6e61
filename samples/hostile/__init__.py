"""Hostile and broken files, built on demand (nothing of them is committed): the 35 cases of the
hostile-inputs review, for the tests (tests/hostile) and the bench (bench/hostile.py).

- ``zips``: ZIP containers by hand (bombs by a repeated deflate block, lying headers, any names);
- ``office``: DOCX/XLSX/WordML/OFD bombs, entities, traversal names;
- ``pdfs``: page-tree cycles, xref loops, stream and image bombs, deep nesting, actions, encryption;
- ``images``: declared giant images, a real 169-megapixel PNG, TIFF frame floods and loops;
- ``files``: truncated, empty, mis-named, oddly named and special files, huge text, OLE loops;
- ``cases``: the 35 cases, each with a good control document that must stay searchable.
"""

from samples.hostile.cases import CASES, Case, Context, write_case

__all__ = ["CASES", "Case", "Context", "write_case"]
