"""The loop every converter shares: read each source, convert it, never raise.

A converter module only supplies "bytes → text" for its format and raises
:class:`~ingest.failures.ConversionError` for a file it recognises as bad. Everything else that can
go wrong with one file (it vanished, it is empty, the parser library crashed on it) is caught
here, so one bad file can never stop the pipeline or lose the reason it was rejected.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from haystack import Document
from haystack.components.converters.utils import get_bytestream_from_source, normalize_metadata
from haystack.dataclasses import ByteStream

from ingest.failures import ConversionError, ConversionFailure, make_failure, source_name_from_meta
from ingest.guards import capped_text
from schemas import meta as meta_keys
from schemas.ingest import QuarantineCode, TextStatus

logger = logging.getLogger(__name__)

Source = str | Path | ByteStream
OUT_OF_MEMORY = "读取时所需内存超过了一份文件的上限，无法作为 {kind} 读完（压缩炸弹或异常庞大的文件），已拒绝读取"

# Conventions of the converted text that later steps (cleaning, field extraction) rely on.
PAGE_SEPARATOR = "\f"  # between PDF pages and between spreadsheet sheets
CELL_SEPARATOR = " | "  # between the cells of one table row (DOCX tables, spreadsheet rows)
SHEET_HEADING_PREFIX = "【工作表："  # a spreadsheet sheet starts with the line 【工作表：name】


def sheet_heading(sheet_name: str) -> str:
    return f"{SHEET_HEADING_PREFIX}{sheet_name}】"


ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Leading bytes of formats people commonly mis-name, for "this is really a …" messages.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (OLE_MAGIC, "an OLE compound file (legacy .doc/.xls, or an encrypted Office file)"),
    (ZIP_MAGIC, "a ZIP container"),
    (EMPTY_ZIP_MAGIC, "an empty ZIP container"),
    (b"%PDF-", "a PDF file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)


def describe_container(data: bytes) -> str | None:
    """What the leading bytes say the file is, in words; None when they match nothing known."""
    for magic, description in _SIGNATURES:
        if data.startswith(magic):
            return description
    return None


def is_encrypted_office_file(data: bytes) -> bool:
    """An encrypted DOCX/XLSX is an OLE file holding an "EncryptedPackage" stream.

    The OLE directory stores stream names in UTF-16LE, so finding that name is enough to tell an
    encrypted OOXML file from a legacy .doc/.xls without an OLE parser.
    """
    return data.startswith(OLE_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data


def check_office_container(data: bytes, expected: str) -> None:
    """Reject bytes that cannot be an OOXML file, naming what they are instead."""
    if is_encrypted_office_file(data):
        raise ConversionError(QuarantineCode.ENCRYPTED, "is encrypted (password-protected Office file)")
    if data.startswith(OLE_MAGIC):
        legacy = ".doc" if expected == "DOCX" else ".xls"
        raise ConversionError(
            QuarantineCode.UNSUPPORTED,
            f"is a legacy binary Office file ({legacy}), not {expected}; save it as {expected} to archive its text",
        )
    if not data.startswith(ZIP_MAGIC):
        what = describe_container(data) or "not a ZIP container"
        raise ConversionError(QuarantineCode.CORRUPT, f"is not a valid {expected} ({what})")


def has_text(text: str) -> bool:
    """True when the text has at least one letter, digit or CJK character (not just blanks)."""
    return any(ch.isalnum() for ch in text)


@dataclass
class ConvertedText:
    """What a format module returns for one readable file."""

    text: str
    format: str
    extractor: str
    pages: int | None = None
    extra_meta: dict[str, Any] = field(default_factory=dict)


ConvertOne = Callable[[bytes, str], ConvertedText]


def convert_sources(
    sources: list[Source],
    meta: dict[str, Any] | list[dict[str, Any]] | None,
    convert_one: ConvertOne,
    kind: str,
) -> dict[str, list[Any]]:
    """Run ``convert_one`` over every source; return ``{"documents": [...], "failures": [...]}``.

    ``kind`` names the format in generic failure reasons ("could not be read as PDF …").
    """
    documents: list[Document] = []
    failures: list[ConversionFailure] = []
    for source, extra_meta in zip(sources, normalize_metadata(meta, len(sources)), strict=True):
        outcome = _convert_one_source(source, extra_meta, convert_one, kind)
        if isinstance(outcome, ConversionFailure):
            logger.info("conversion failed [%s]: %s", outcome.code.value, outcome.reason)
            failures.append(outcome)
        else:
            documents.append(outcome)
    return {"documents": documents, "failures": failures}


def _convert_one_source(
    source: Source, extra_meta: dict[str, Any], convert_one: ConvertOne, kind: str
) -> Document | ConversionFailure:
    try:
        bytestream = get_bytestream_from_source(source)
    except Exception as exc:  # a vanished file or bad permissions must not stop the batch
        name = str(source)
        return make_failure(
            name, QuarantineCode.UNREADABLE, f"could not be opened ({_describe(exc)})", extra_meta
        )
    merged_meta = {**bytestream.meta, **extra_meta}
    name = source_name_from_meta(
        merged_meta, fallback=str(source) if not isinstance(source, ByteStream) else "<unnamed>"
    )
    data = bytestream.data or b""
    if not data:
        return make_failure(name, QuarantineCode.EMPTY, "is empty (0 bytes)", merged_meta)
    try:
        converted = convert_one(data, name)
    except ConversionError as exc:
        return make_failure(name, exc.code, exc.detail, merged_meta)
    except MemoryError:
        logger.warning("%s converter ran out of memory on %s", kind, name)
        return make_failure(name, QuarantineCode.TOO_LARGE, OUT_OF_MEMORY.format(kind=kind), merged_meta)
    except RecursionError:
        return make_failure(name, QuarantineCode.CORRUPT, f"的结构嵌套过深，无法作为 {kind} 读取（恶意构造或严重损坏）",
                            merged_meta)
    except Exception as exc:  # a parser crash on a malformed file is a property of the file
        logger.warning("%s converter failed on %s: %s", kind, name, _describe(exc))
        logger.debug("the %s converter's traceback for %s", kind, name, exc_info=True)
        return make_failure(
            name, QuarantineCode.CORRUPT, f"could not be read as {kind} ({_describe(exc)})", merged_meta
        )
    converted.text, cut = capped_text(converted.text)
    if cut:
        converted.extra_meta.setdefault(meta_keys.TEXT_STATUS, TextStatus.TRUNCATED.value)
    if not has_text(converted.text) and not converted.extra_meta.get(meta_keys.TEXT_STATUS):
        return make_failure(name, QuarantineCode.NO_TEXT, "contains no text", merged_meta)
    document_meta = {**merged_meta, **converted.extra_meta}
    document_meta[meta_keys.FORMAT] = converted.format
    document_meta[meta_keys.EXTRACTOR] = converted.extractor
    if converted.pages is not None:
        document_meta[meta_keys.PAGES] = converted.pages
    return Document(content=converted.text, meta=document_meta)


def _describe(exc: BaseException) -> str:
    message = str(exc).strip()
    if len(message) > 200:
        message = message[:200] + "…"
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
