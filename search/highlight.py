"""Snippets with the matched words marked, independent of any search engine.

Matching uses the same tokens as the index's character field (``tokens.char_spans``): a term
matches where its tokens appear one after another, after folding (NFKC + casefold). That is the
rule the search itself applies, so ``结施-03`` is marked in ``结施－03`` and ``墙`` inside ``外墙``,
and nothing is marked that the search would not have matched. Chinese has no word boundaries, so
this works on characters, not words. The original text is shown; everything that is not a
``<mark>`` tag is HTML-escaped.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable

from search.tokens import NON_CJK_WORD_CHAR, SKIPPED_BETWEEN_TOKENS, char_spans, fold

MARK_OPEN = "<mark>"
MARK_CLOSE = "</mark>"
ELLIPSIS = "…"
_WHITESPACE = re.compile(r"\s+")
_FIRST_SCAN = 2000  # characters of the text searched for matches before looking further


def match_ranges(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Sorted, merged [start, end) ranges of ``text`` where any of ``terms`` occurs.

    Each term becomes one regular expression over the folded text (its tokens, with the
    characters the tokenizer skips allowed between them), so a long document is scanned by the
    regex engine instead of being cut into token objects for every hit shown.
    """
    folded, origin = fold(text)
    ranges: list[tuple[int, int]] = []
    for term in dict.fromkeys(terms):
        pattern = _term_pattern(term)
        if pattern is None:
            continue
        for match in pattern.finditer(folded):
            if match.end() > match.start():
                ranges.append((origin[match.start()], origin[match.end() - 1] + 1))
    return _merge(sorted(ranges), gap=0)


@functools.lru_cache(maxsize=1024)
def _term_pattern(term: str) -> re.Pattern[str] | None:
    """Tokens of ``term`` in order, separated only by what the tokenizer skips.

    A Latin/digit token must be a whole run (``03`` does not match inside ``030``), exactly as
    the index's character field sees it; CJK tokens are single characters and match anywhere.
    """
    spans = char_spans(term)
    if not spans:
        return None
    pieces = []
    for span in spans:
        piece = re.escape(span.text)
        if not span.cjk:
            piece = rf"(?<!{NON_CJK_WORD_CHAR}){piece}(?!{NON_CJK_WORD_CHAR})"
        pieces.append(piece)
    return re.compile(SKIPPED_BETWEEN_TOKENS.join(pieces))


def _merge(ranges: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1] + gap:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> str:
    """Escape ``text[start:end]`` with ``marks`` (inside it) wrapped in <mark>; whitespace collapsed."""
    pieces = [ELLIPSIS] if start > 0 else []
    cursor = start
    for mark_start, mark_end in marks:
        pieces.append(_plain(text[cursor:mark_start]))
        pieces.append(MARK_OPEN + _plain(text[mark_start:mark_end]) + MARK_CLOSE)
        cursor = mark_end
    pieces.append(_plain(text[cursor:end]))
    if end < len(text):
        pieces.append(ELLIPSIS)
    return "".join(pieces).strip()


def _plain(fragment: str) -> str:
    return html.escape(_WHITESPACE.sub(" ", fragment))


def highlight(text: str | None, terms: Iterable[str], max_snippets: int = 3, context: int = 60) -> list[str]:
    """Up to ``max_snippets`` HTML snippets of ``text`` around the matches of ``terms``.

    Each snippet shows about ``context`` characters either side of its matches; windows that
    overlap are merged into one snippet. Snippets come in document order. No match → ``[]``.
    """
    if not text or max_snippets <= 0:
        return []
    terms = list(terms)
    scanned = _FIRST_SCAN
    while True:
        # Only the first snippets are shown, so only the start of a long text is scanned, more
        # when it has too few matches. The windows shown are exact once a further window
        # exists: a match cut off by the scan's end can only belong to that later window.
        matches = match_ranges(text[:scanned], terms)
        windows = _merge([(max(0, s - context), min(len(text), e + context)) for s, e in matches], gap=0)
        if scanned >= len(text) or len(windows) > max_snippets:
            break
        scanned *= 4
    if not matches:
        return []
    snippets = []
    for start, end in windows[:max_snippets]:
        inside = [(s, e) for s, e in matches if s >= start and e <= end]
        snippets.append(_render(text, start, end, inside))
    return snippets


def highlight_all(text: str | None, terms: Iterable[str]) -> str:
    """The whole text escaped, with every match marked (for short fields such as a title)."""
    if not text:
        return ""
    return _render(text, 0, len(text), match_ranges(text, terms))
