"""How much text one document keeps: enough for any real document, bounded for a hostile one.

A 200 MB text file on one line, or a converter that produces gigabytes of characters, would
otherwise carry its size through cleaning, field extraction, classification, the catalog and
the index. Past the limit the text is cut (at a line end when one is near) and the document
says so; the stored original keeps every byte.
"""

from __future__ import annotations

from ingest.guards.limits import LIMITS


def capped_text(text: str, limit: int = LIMITS.text_chars) -> tuple[str, bool]:
    """``(text, was_cut)``."""
    if len(text) <= limit:
        return text, False
    cut = text.rfind("\n", limit - 10_000, limit)
    return text[: cut if cut > 0 else limit], True
