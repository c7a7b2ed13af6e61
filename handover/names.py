"""File names inside a bundle: BagIt-safe, portable, readable, and still Chinese.

RFC 8493 §2.1.3 asks a manifest writer to percent-encode ``%``, CR and LF in paths, but
bagit-python 1.9.0 encodes only CR and LF and its validator decodes only those. A name holding
``%`` would therefore be read differently by bagit-python and by a strict RFC tool, and an
encoded ``%25`` in the name itself would break the other way. The only name both agree on is one
without ``%``: we replace it with the full-width ``％`` (the original name is kept verbatim in
``manifest.json``). The same goes for characters Windows refuses (``<>:"|?*``) and path separators,
because the bundle's reader may well be an asset manager on Windows. Control characters (CR, LF,
tab, U+2028 …) become a space. Chinese, spaces and full-width punctuation stay as they are.
"""

from __future__ import annotations

import re
import unicodedata

# ASCII characters that are unsafe in a bag or on common file systems → their full-width twins
_FULL_WIDTH = {ch: chr(ord(ch) + 0xFEE0) for ch in '%<>:"|?*/\\'}
# C0/C1 controls and the Unicode line and paragraph separators: bagit-python splits manifests with
# ``splitlines``, which ends a line at U+2028 (and NEL), so such a name would break the bag's own check.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SPACES = re.compile(r" {2,}")
MAX_NAME_BYTES = 200  # ext4/NTFS allow 255; leave room for the 档号 prefix and a temp suffix


def safe_component(name: str, fallback: str = "未命名") -> str:
    """One path component (file or folder name) that every BagIt tool and file system accepts."""
    text = unicodedata.normalize("NFC", name)
    text = _CONTROL.sub(" ", text)
    text = "".join(_FULL_WIDTH.get(ch, ch) for ch in text)
    text = _SPACES.sub(" ", text).strip().rstrip(".")
    if not text or text in {".", ".."}:
        text = fallback
    if text.startswith("."):
        text = "_" + text[1:]
    return truncate_utf8(text, MAX_NAME_BYTES)


def truncate_utf8(name: str, limit: int) -> str:
    """Shorten ``name`` to ``limit`` UTF-8 bytes, keeping its extension and whole characters."""
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 10:
        stem, ext = name, ""
    suffix = f".{ext}" if ext else ""
    budget = limit - len(suffix.encode("utf-8")) - len("…".encode())
    out = []
    used = 0
    for ch in stem:
        size = len(ch.encode("utf-8"))
        if used + size > budget:
            break
        out.append(ch)
        used += size
    return "".join(out) + "…" + suffix


def payload_file_name(archive_code: str, original_name: str) -> str:
    """``<档号> <original name>``: sorts by 档号 and still says what the file is."""
    return safe_component(f"{archive_code} {original_name}")

