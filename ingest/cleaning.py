"""Make converted text uniform without changing what the document says.

What changes:
- NUL and other control characters, zero-width characters and stray BOMs are removed (they break
  search tokenisation and show up as boxes); tab becomes a space; line ends become "\\n"; the
  page separator "\\f" is kept.
- Full-width ASCII letters and digits (Ａ-Ｚ, ａ-ｚ, ０-９) and the full-width symbols that occur
  inside codes, numbers and amounts (－ ． ／ ＃ ％ ＋ ＝ ＠ ＆ ＿ ＊ ＄ ＾ ｜ ＼ ＜ ＞ ￥→¥) become ASCII, and the
  ideographic space becomes a plain space, so "ＧＢ５０３００－２０１３" and "GB50300-2013" are
  the same search term.
- Runs of spaces collapse to one, lines are stripped, and repeated blank lines become one.

What deliberately does not change: Chinese punctuation, including the full-width forms in the
same Unicode block (，。：；！？（）「」【】《》、～). They are how Chinese is written; turning
"（盖章）" into "(盖章)" would make the stored text differ from the page and gains nothing, since
field extraction accepts both forms. Chinese characters are never touched (no general NFKC, which
would also rewrite ㎡, ①, ℃ and CJK compatibility ideographs).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from haystack import Document, component

from ingest.failures import ConversionFailure, make_failure, source_name_from_meta
from ingest.sources import PAGE_SEPARATOR, has_text
from schemas import meta as meta_keys
from schemas.ingest import QuarantineCode

logger = logging.getLogger(__name__)

_FULLWIDTH_SYMBOLS = "－．／＃％＋＝＠＆＿＊＄＾｜＼＜＞"


def _build_translation() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for start, end in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)):
        for code in range(start, end + 1):
            table[code] = chr(code - 0xFEE0)
    for ch in _FULLWIDTH_SYMBOLS:
        table[ord(ch)] = chr(ord(ch) - 0xFEE0)
    table[0xFFE5] = "¥"  # full-width yen/yuan sign
    table[0x3000] = " "  # ideographic space
    table[ord("\t")] = " "
    table[0x00A0] = " "  # no-break space
    for code in list(range(0x00, 0x20)) + list(range(0x7F, 0xA0)):
        if chr(code) not in "\t\n\r\f":
            table[code] = None
    for code in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF):  # soft hyphen, zero-width, BOM
        table[code] = None
    return table


_TRANSLATION = _build_translation()
_SPACES = re.compile(r" {2,}")
_BLANK_RUNS = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """The cleaned form of converted text (see the module docstring for exactly what changes)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATION)
    pages = []
    for page in text.split(PAGE_SEPARATOR):
        lines = [_SPACES.sub(" ", line).strip() for line in page.split("\n")]
        pages.append(_BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n"))
    return PAGE_SEPARATOR.join(pages)


def normalise_fullwidth(text: str) -> str:
    """Only the full-width → ASCII part of cleaning (for field extraction on uncleaned text)."""
    return text.translate(_TRANSLATION)


@component
class TextCleaner:
    """Cleans each document's text; a document left without any text becomes a NO_TEXT failure.

    Unless a converter kept it on purpose and said why in ``text_status`` (a scan while OCR is
    not installed, a DWG drawing, a photo without lettering): those are catalogued, not quarantined.
    """

    @component.output_types(documents=list[Document], failures=list[ConversionFailure])
    def run(self, documents: list[Document]) -> dict:
        """Return the cleaned documents (same ids and meta) and failures for the ones now empty."""
        cleaned: list[Document] = []
        failures: list[ConversionFailure] = []
        for document in documents:
            content = clean_text(document.content or "")
            if not has_text(content) and not document.meta.get(meta_keys.TEXT_STATUS):
                name = source_name_from_meta(document.meta, fallback=document.id)
                failures.append(make_failure(name, QuarantineCode.NO_TEXT, "contains no text", document.meta))
                continue
            cleaned.append(replace(document, content=content))
        return {"documents": cleaned, "failures": failures}
