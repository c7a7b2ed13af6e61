"""Sample construction-project archives for the demo, tests, evaluation and benchmarks.

``generate_sample_project`` writes one realistic 机关 building project (every GB/T 50328 sub-class,
Chinese PDFs, DOCX forms and XLSX records) and says, per file, where an archivist would file it.
``generate_corpus`` writes many varied documents of several projects quickly, for benchmarks.
Both are deterministic: the same seed gives the same files, byte for byte.
"""

from samples.catalogue import ALL_SUBCLASSES, sample_items
from samples.corpus import generate_corpus
from samples.model import FORMATS, SampleFile, SampleProject
from samples.project import generate_sample_project
from samples.writer import MANIFEST_NAME

__all__ = [
    "ALL_SUBCLASSES",
    "FORMATS",
    "MANIFEST_NAME",
    "SampleFile",
    "SampleProject",
    "generate_corpus",
    "generate_sample_project",
    "sample_items",
]
