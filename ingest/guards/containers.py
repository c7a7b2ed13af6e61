"""ZIP containers (DOCX, XLSX, OFD) checked before python-docx, openpyxl or lxml open them.

In order: the member count; each member's declared inflated size and the total (a zip bomb
declares gigabytes); then every member is inflated in 1 MB steps and thrown away — a member that
inflates to something other than what its headers declare (a "size lie": 1 KB declared, 1 GB
inside) fails its CRC here, in bounded memory, instead of inside a library that would inflate it
in one piece; XML parts are scanned on the way (``ingest.guards.xml``). Parts a reader streams
row by row (worksheets) are only checked for a DOCTYPE, not counted; parts a reader never parses
(a DOCX's themes and ``stylesWithEffects.xml``) are inflated but not scanned.

Member names are never used as paths anywhere in jiandang: nothing is ever extracted to disk.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Collection

from ingest.failures import ConversionError
from ingest.guards.content_types import CONTENT_TYPES, opaque_parts
from ingest.guards.limits import LIMITS, Limits, megabytes
from ingest.guards.xml import XmlScan
from schemas.ingest import QuarantineCode

CHUNK = 1 << 20
XML_SUFFIXES = (".xml", ".rels")


def _too_large(detail: str) -> ConversionError:
    return ConversionError(QuarantineCode.TOO_LARGE, detail)


def _open(data: bytes) -> zipfile.ZipFile | None:
    """The container, or None when it is no readable ZIP (the reader then says how it is damaged)."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def _check_sizes(infos: list[zipfile.ZipInfo], kind: str, limits: Limits) -> None:
    if len(infos) > limits.zip_members:
        raise _too_large(f"是异常的 {kind}：ZIP 中有 {len(infos):,} 个成员，超过上限 {limits.zip_members:,}，已拒绝读取")
    total = 0
    for info in infos:
        if info.file_size > limits.zip_member_bytes:
            raise _too_large(f"是压缩炸弹：成员 {info.filename} 声明解压后有 {megabytes(info.file_size)}"
                             f"（压缩时只有 {megabytes(info.compress_size)}），超过单个成员 {megabytes(limits.zip_member_bytes)} "
                             "的上限，已拒绝读取")
        total += info.file_size
    if total > limits.zip_total_bytes:
        raise _too_large(f"是压缩炸弹：全部成员声明解压后共 {megabytes(total)}，超过 {megabytes(limits.zip_total_bytes)} "
                         "的上限，已拒绝读取")


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, scan: XmlScan | None, kind: str) -> None:
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                if scan is not None:
                    scan.feed(chunk)
        if scan is not None:
            scan.feed(b"", final=True)
    except zipfile.BadZipFile as error:
        raise ConversionError(QuarantineCode.CORRUPT, (
            f"是损坏或伪造的 {kind}：成员 {info.filename} 解压出的内容与 ZIP 头声明的大小或校验和不符"
            f"（谎报大小的压缩炸弹，或文件损坏：{error}），已拒绝读取")) from error
    except (NotImplementedError, RuntimeError, EOFError, OSError, ValueError) as error:
        raise ConversionError(QuarantineCode.CORRUPT, (
            f"是损坏的 {kind}：成员 {info.filename} 无法解压（{type(error).__name__}: {error}）")) from error


def check_package(data: bytes, kind: str, streamed: Callable[[str], bool] = lambda _name: False,
                  limits: Limits = LIMITS, parsed_types: Collection[str] | None = None) -> None:
    """Refuse a ZIP container that would cost its reader unbounded memory or time (ConversionError).

    ``streamed(name)``: a part the reader reads as a stream (not counted, only checked for a DTD).
    ``parsed_types``: the content types the reader parses as XML; parts of other types are kept as
    bytes by the reader, so they are inflated (size and CRC) but not scanned
    (``ingest.guards.content_types``). None: every XML part is scanned.
    """
    archive = _open(data)
    if archive is None:
        return
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        _check_sizes(infos, kind, limits)
        infos.sort(key=lambda info: info.filename != CONTENT_TYPES)  # the map is checked before it is read
        opaque: Callable[[str], bool] | None = None  # set once the content-type map is read
        for info in infos:
            if opaque is None:
                is_xml = info.filename.lower().endswith(XML_SUFFIXES)
            else:  # what the reader parses, whatever the member's name ends with
                is_xml = not opaque(info.filename)
            scan = XmlScan(info.filename, limits, count=not streamed(info.filename)) if is_xml else None
            _inflate(archive, info, scan, kind)
            if info.filename == CONTENT_TYPES and parsed_types is not None:
                opaque = opaque_parts(archive, parsed_types)
