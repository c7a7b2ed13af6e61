"""Names of the keys a Haystack ``Document.meta`` carries through the pipeline and into the index.

Every package reads and writes these names, so they live in one place. Values are plain JSON
types (str, int, float, list, dict) so a Document round-trips through JSON unchanged.
"""

# set by core before the pipeline runs
SHA256 = "sha256"  # hex digest of the original bytes
ORIGINAL_NAME = "original_name"  # file name as it arrived (Chinese, unchanged)
SOURCE_PATH = "source_path"  # where it arrived from
FOLDER_HINTS = "folder_hints"  # list[str]: parent folder names, nearest first (classification hints)
PROJECT = "project"  # project code

# set by ingest converters
FORMAT = "format"  # "pdf" | "docx" | "xlsx" | "xls" | "txt"
PAGES = "pages"  # int: pages (PDF) or sheets (XLSX); absent for DOCX/TXT
EXTRACTOR = "extractor"  # which engine produced the text ("pypdf", "pypdfium2", "python-docx", …)
ENCODING = "encoding"  # text files: the detected encoding
EMBEDDED_TITLE = "embedded_title"  # title in the file's own properties (PDF/DOCX/XLSX); often stale
TEXT_STATUS = "text_status"  # schemas.ingest.TextStatus: why a kept document has little or no text
OCR = "ocr"  # dict: engine, per-page confidence and line boxes (ingest/ocr/results.py, compact form)
PHOTO = "photo"  # dict: EXIF taken_at (ISO), latitude/longitude (decimal degrees), camera
TITLE_BLOCK = "title_block"  # dict: 图号/图名/专业/版本/日期/设计单位 read from a drawing's title block
AS_BUILT_STAMP = "as_built_stamp"  # dict: the 竣工图章 found on a drawing and the fields written in it
# what core keeps of the above in the catalog's ``documents.reading`` column
READING_KEYS = (OCR, PHOTO, TITLE_BLOCK, AS_BUILT_STAMP)

# set by ingest field extraction
TITLE = "title"  # the document's own title (form title / heading), not the file name
FIELDS = "fields"  # dict: schemas.documents.ExtractedFields.model_dump(mode="json")

# set by classify
CLASSIFICATION = "classification"  # dict: schemas.documents.Classification.model_dump(mode="json")

# flat copies written by core for the search index (filterable/sortable fields)
CLASS_CODE = "class_code"  # sub-class: "C2", "E1", "D"
CLASS_LETTER = "class_letter"  # "A".."E"
ITEM_CODE = "item_code"
DOC_TYPE = "doc_type"
DATE = "date"  # ISO date string "2024-05-17"
YEAR = "year"  # int
AMOUNT = "amount"  # float, 元
