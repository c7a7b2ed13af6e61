"""Word 97–2003 binary documents (.doc, and .wps files WPS Office writes in the same layout) → text.

The text of a Word binary file is not stored in one run: the table stream ("0Table" or "1Table",
chosen by a bit of the File Information Block) holds a piece table (the CLX) that lists, in
document order, where each piece of text lives in the WordDocument stream and whether it is
"compressed" (one byte per character, Windows-1252) or UTF-16LE. Chinese text is always in
UTF-16 pieces; English-only runs are often compressed. We read the pieces in order and turn
Word's control characters into plain text: paragraph marks into line breaks, table cell marks
into the " | " cell separator, and fields into their displayed result (not their code).

Only the byte offsets of the [MS-DOC] format are used; there is no third-party Word parser.
"""

from __future__ import annotations

import io
import re
import struct

import olefile

from ingest.failures import ConversionError
from ingest.sources import CELL_SEPARATOR
from schemas.ingest import QuarantineCode

WORD_IDENT = 0xA5EC
NFIB_WORD97 = 0x00C1  # Word 97 and every later binary version write at least this
# File Information Block offsets in the WordDocument stream.
_FLAGS = 0x000A  # fWhichTblStm = 0x0200, fEncrypted = 0x0100, fObfuscated = 0x8000
_FC_CLX = 0x01A2
_LCB_CLX = 0x01A6
_F_ENCRYPTED = 0x0100
_F_WHICH_TABLE = 0x0200

# Characters of compressed pieces that differ from Latin-1 ([MS-DOC] 2.4.1, "FcCompressed").
_COMPRESSED_EXCEPTIONS = {
    0x82: "\u201a", 0x83: "\u0192", 0x84: "\u201e", 0x85: "\u2026", 0x86: "\u2020", 0x87: "\u2021",
    0x88: "\u02c6", 0x89: "\u2030", 0x8A: "\u0160", 0x8B: "\u2039", 0x8C: "\u0152", 0x91: "\u2018",
    0x92: "\u2019", 0x93: "\u201c", 0x94: "\u201d", 0x95: "\u2022", 0x96: "\u2013", 0x97: "\u2014",
    0x98: "\u02dc", 0x99: "\u2122", 0x9A: "\u0161", 0x9B: "\u203a", 0x9C: "\u0153", 0x9F: "\u0178",
}


def _decode_compressed(raw: bytes) -> str:
    return "".join(_COMPRESSED_EXCEPTIONS.get(byte, chr(byte)) for byte in raw)


def read_pieces(word: bytes, table: bytes) -> str:
    """The document's characters in order, from the piece table of the CLX."""
    fc_clx, lcb_clx = struct.unpack_from("<II", word, _FC_CLX)
    if lcb_clx == 0 or fc_clx + lcb_clx > len(table):
        raise ConversionError(QuarantineCode.CORRUPT, "is a damaged Word file (its piece table is missing or truncated)")
    clx = table[fc_clx : fc_clx + lcb_clx]
    position = 0
    while position < len(clx) and clx[position] == 0x01:  # Prc: property modifiers, skipped
        (size,) = struct.unpack_from("<h", clx, position + 1)
        position += 3 + size
    if position >= len(clx) or clx[position] != 0x02:
        raise ConversionError(QuarantineCode.CORRUPT, "is a damaged Word file (no text piece table in its CLX)")
    (lcb,) = struct.unpack_from("<I", clx, position + 1)
    plc = clx[position + 5 : position + 5 + lcb]
    count = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
    parts = []
    for index in range(count):
        length = cps[index + 1] - cps[index]
        if length <= 0:
            continue
        (fc_value,) = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * index + 2)
        if fc_value & 0x40000000:
            start = (fc_value & 0x3FFFFFFF) // 2
            parts.append(_decode_compressed(word[start : start + length]))
        else:
            parts.append(word[fc_value : fc_value + 2 * length].decode("utf-16-le", errors="replace"))
    return "".join(parts)


_FIELD = re.compile("\x13[^\x13\x14\x15]*(?:\x14([^\x13\x14\x15]*))?\x15")
_DROPPED = re.compile("[\x00-\x06\x08\x0e-\x1f]")  # object anchors, footnote marks, field leftovers


def plain_text(raw: str) -> str:
    """Word's control characters → plain text lines (see the module docstring)."""
    previous = None
    while previous != raw:  # fields nest: resolve the innermost until none are left
        previous = raw
        raw = _FIELD.sub(lambda match: match.group(1) or "", raw)
    raw = raw.replace("\x07\x07", "\x07\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    raw = raw.replace("\x07", CELL_SEPARATOR).replace("\u00a0", " ")
    raw = _DROPPED.sub("", raw)
    lines = [line.strip().strip("|").strip() for line in raw.split("\n")]
    return "\n".join(lines)


def convert_word_binary(data: bytes) -> str:
    """Text of an OLE Word 97–2003 file; ConversionError with the reason when it cannot be read."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError) as exc:
        raise ConversionError(QuarantineCode.CORRUPT, f"is a damaged OLE compound file ({exc})") from exc
    with ole:
        if ole.exists("EncryptedPackage"):
            raise ConversionError(QuarantineCode.ENCRYPTED, "is encrypted (password-protected Office file)")
        if not ole.exists("WordDocument"):
            streams = ", ".join("/".join(entry) for entry in ole.listdir()[:6])
            raise ConversionError(
                QuarantineCode.UNSUPPORTED,
                f"is an OLE file without a Word document stream (streams: {streams}); not a Word/WPS text document",
            )
        word = ole.openstream("WordDocument").read()
        if len(word) < _LCB_CLX + 4 or struct.unpack_from("<H", word, 0)[0] != WORD_IDENT:
            raise ConversionError(QuarantineCode.CORRUPT, "is a damaged Word file (bad File Information Block)")
        (nfib,) = struct.unpack_from("<H", word, 2)
        (flags,) = struct.unpack_from("<H", word, _FLAGS)
        if flags & _F_ENCRYPTED:
            raise ConversionError(QuarantineCode.ENCRYPTED, "is encrypted (password-protected Word document)")
        if nfib < NFIB_WORD97:
            raise ConversionError(
                QuarantineCode.UNSUPPORTED,
                f"is a Word 6.0/95 document (format version {nfib}); open it in Word or WPS and save it as .docx",
            )
        table_name = "1Table" if flags & _F_WHICH_TABLE else "0Table"
        if not ole.exists(table_name):
            raise ConversionError(QuarantineCode.CORRUPT, f"is a damaged Word file (its {table_name} stream is missing)")
        table = ole.openstream(table_name).read()
    return plain_text(read_pieces(word, table))
