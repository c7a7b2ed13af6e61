"""Text folding and tokenisation shared by indexing, querying and highlighting.

This module knows nothing about Whoosh: the index analyzers (``analysis``), the query translator
and the highlighter all cut text here, so a query token and an indexed token can never disagree.

Folding is NFKC (full-width ``ＣＳ３０（）`` becomes ``cs30()``) plus casefold, done one character at
a time so every folded character remembers where it came from in the original text. That lets the
highlighter mark the original characters and lets Whoosh record real start/end offsets.
"""

from __future__ import annotations

import bisect
import functools
import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from types import ModuleType

USERDICT_RESOURCE = "data/userdict.txt"

# One token per character: Han ideographs (all extension blocks), kana, bopomofo, hangul, 〇々.
_CJK = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
)
# A letter/digit that is not CJK, as one negated class (a look-ahead per character is slower).
_NON_CJK_WORD_CLASS = rf"[^\W_{_CJK}]"
# A CJK character alone, or a run of other letters/digits (c30, hrb400, φ12) as one token.
_CHAR_TOKEN = re.compile(rf"([{_CJK}])|({_NON_CJK_WORD_CLASS}+)")
_HAS_WORD_CHAR = re.compile(r"[^\W_]")


class _WritingPatterns(NamedTuple):
    char_token_text: re.Pattern[str]  # the tokens of ``_CHAR_TOKEN`` without groups (``findall`` gives strings)
    token_run: re.Pattern[str]  # in the space-joined character tokens: a run of CJK tokens, or another token
    cjk_gap: re.Pattern[str]  # a space between two CJK tokens in the space-joined tokens (``run_text``)
    cjk_token: re.Pattern[str]


@functools.cache
def _writing() -> _WritingPatterns:
    """The patterns only the writing side uses (``char_gram_texts`` for every indexed document,
    ``run_text`` for the postgres engine), compiled on first use: compiling a class of every CJK
    block takes 3–4 ms (its astral ranges), so these four were 15 ms of every ``jiandang search``'s
    start, which cuts a query with ``_CHAR_TOKEN`` alone (issue 19).
    """
    return _WritingPatterns(
        char_token_text=re.compile(rf"[{_CJK}]|{_NON_CJK_WORD_CLASS}+"),
        token_run=re.compile(rf"[{_CJK}](?: [{_CJK}])*|\S+"),
        cjk_gap=re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])"),
        cjk_token=re.compile(rf"[{_CJK}]"),
    )


# For matching folded text with regular expressions (the highlighter): a letter/digit that is not
# CJK (so it would extend a Latin token), and what the tokenizer skips between two tokens.
NON_CJK_WORD_CHAR = _NON_CJK_WORD_CLASS
SKIPPED_BETWEEN_TOKENS = r"[\W_]*"

_userdict_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Span:
    """A token: its folded text and the [start, end) character range in the *original* text."""

    text: str
    start: int
    end: int
    cjk: bool = False  # one CJK character (may pair with its neighbour into a bigram)


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).casefold()


# Full-width ASCII forms (！..～) and the ideographic space fold to their ASCII twins one-for-one.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# ``str.translate`` looks every character up in the table; a regex finds the few that fold.
_FULL_WIDTH_CHAR = re.compile("[\uff01-\uff5e\u3000]")
_FULL_WIDTH_TEXT = {chr(code): chr(half) for code, half in _FULL_WIDTH.items()}


def _half_width(text: str) -> str:
    """Full-width forms replaced by their ASCII twins. Chinese text has a few distinct ones (，。：)
    many times over: one C-speed ``replace`` per distinct form costs half of calling back into
    Python for each occurrence (``re.sub`` with a function).
    """
    for form in set(_FULL_WIDTH_CHAR.findall(text)):
        text = text.replace(form, _FULL_WIDTH_TEXT[form])
    return text


def _quick_fold(text: str) -> tuple[str, bool]:
    """(folded, exact): full-width forms and case folded at C speed, which is the whole fold when
    every character folds to exactly one and the result is NFKC (the usual case). Not exact: the
    text has a character that is not NFKC (``㎡``, ``①``, ``℃``) or whose case fold is longer.
    """
    if text.isascii():
        return text.lower(), True
    quick = _half_width(text).casefold()
    return quick, len(quick) == len(text) and unicodedata.is_normalized("NFKC", quick)


@functools.cache
def _not_nfkc() -> re.Pattern[str]:
    """One character that NFKC changes on its own (every one of the Basic Multilingual Plane,
    found once per process in ~20 ms, the first time a text needs it), or any character beyond
    that plane (rare in Chinese records; they are simply folded one by one). The full-width forms
    are left out: the quick fold has already turned them into their ASCII twins, and a Chinese
    page has hundreds of them (，。：).
    """
    changed = [code for code in range(0x10000)
               if not 0xD800 <= code <= 0xDFFF and code not in _FULL_WIDTH  # those: ``_half_width``
               and not unicodedata.is_normalized("NFKC", chr(code))]
    ranges: list[tuple[int, int]] = []
    for code in changed:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    members = "".join(re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else "") for low, high in ranges)
    return re.compile(f"[{members}\U00010000-\U0010FFFF]")


def _fold_at_spots(text: str, quick: str) -> tuple[str, Sequence[int]]:
    """Fold a text whose quick fold kept its length but is not NFKC somewhere.

    A page of a real form has a ``㎡`` or a ``①`` here and there: the quick fold stands except at
    the characters NFKC changes (in the text or in its case fold), which are folded one by one.
    (Folding a whole 2,000-character page through the table took 240 µs, of which building its
    set of characters 70 and translating 110.)
    """
    spots = sorted({match.start() for match in _not_nfkc().finditer(text)}
                   | {match.start() for match in _not_nfkc().finditer(quick)})
    pieces: list[str] = []
    uneven: dict[int, str] = {}  # code point → its fold, for the characters that fold to more or less than one
    cursor = 0
    for spot in spots:
        code = ord(text[spot])
        folded = _FOLDS.get(code) or _fold_char(text[spot])
        pieces += [quick[cursor:spot], folded]
        if len(folded) != 1:
            uneven[code] = folded
        cursor = spot + 1
    pieces.append(quick[cursor:])
    result = "".join(pieces)
    if not uneven:
        return result, range(len(text))
    return result, _origins(text, uneven, {chr(code) for code in uneven})


def fold(text: str) -> tuple[str, Sequence[int]]:
    """Fold ``text`` (NFKC + casefold) and map each folded character to its original index.

    Characters are folded one by one (not the whole string at once) so that a character which
    expands (``㎡`` → ``m2``) maps every piece back to the one original character. Most text
    needs no expansion at all: when the full-width-folded, casefolded string is already NFKC
    and as long as the input, every character maps to itself (a ``range``, not a list) and the
    C-speed path is exact. Otherwise (a ``①`` or ``℃`` in an otherwise plain page) each distinct
    character is folded once (``_character_folds``), the text is translated in C, and the
    offsets are built in stretches between the few characters that expand: a loop over every
    character in Python cost 0.4 ms per 2,000-character page, most of a highlighted search.
    """
    quick, exact = _quick_fold(text)
    if exact:
        return quick, range(len(text))
    if len(quick) == len(text):
        return _fold_at_spots(text, quick)
    distinct = set(text)
    folds = _character_folds(distinct)
    uneven = _UNEVEN & distinct
    return text.translate(folds), (_origins(text, folds, uneven) if uneven else range(len(text)))


_FOLDS: dict[int, str] = {}  # code point → its fold, filled as characters are met (shared, append-only)
_FOLDS_KEPT = 50_000  # a hostile text of every code point is folded without growing the table for ever
# The characters whose fold is not one character long (``㎡``, ``ﬁ``, ``ß``): a few thousand in all
# of Unicode, so kept whole.
_UNEVEN: set[str] = set()


def _character_folds(characters: set[str]) -> dict[int, str]:
    """A ``str.translate`` table folding each of ``characters`` on its own."""
    new = {ord(ch) for ch in characters} - _FOLDS.keys()
    if not new:
        return _FOLDS
    table = _FOLDS if len(_FOLDS) + len(new) <= _FOLDS_KEPT else dict(_FOLDS)
    for code in new:
        ch = chr(code)
        table[code] = folded = ch.lower() if ch.isascii() else _fold_char(ch)
        if len(folded) != 1:
            _UNEVEN.add(ch)
    return table


def _origins(text: str, folds: dict[int, str], uneven: set[str]) -> Sequence[int]:
    """Original index of each folded character, for a text where the ``uneven`` characters fold to
    more (or fewer) than one: a ``_Shifted`` view that knows only where those characters are.
    """
    starts, places, lengths = [], [], []
    shift = 0  # folded index - original index, before the current character
    for index in sorted(index for ch in uneven for index in _positions(text, ch)):
        length = len(folds[ord(text[index])])
        starts.append(index + shift)
        places.append(index)
        lengths.append(length)
        shift += length - 1
    return _Shifted(len(text) + shift, starts, places, lengths)


class _Shifted(Sequence[int]):
    """Folded index → original index, from the few characters whose fold is not one long.

    A highlight looks up a handful of offsets; building a list of one original index per folded
    character cost more than the rest of folding a page with a ``㎡`` in it.
    """

    def __init__(self, size: int, starts: list[int], places: list[int], lengths: list[int]) -> None:
        self._size, self._starts, self._places, self._lengths = size, starts, places, lengths

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, folded: int) -> int:  # type: ignore[override]
        if folded < 0:
            folded += self._size
        if not 0 <= folded < self._size:
            raise IndexError(folded)
        k = bisect.bisect_right(self._starts, folded) - 1
        if k < 0:
            return folded
        end = self._starts[k] + self._lengths[k]
        if folded < end:
            return self._places[k]
        return self._places[k] + 1 + (folded - end)


def _positions(text: str, ch: str) -> Iterator[int]:
    index = text.find(ch)
    while index >= 0:
        yield index
        index = text.find(ch, index + 1)


def fold_text(text: str) -> str:
    """Only the folded string, for callers that do not need offsets (indexing, every document)."""
    quick, exact = _quick_fold(text)
    if exact:
        return quick
    if len(quick) == len(text):
        return _fold_at_spots(text, quick)[0]
    return text.translate(_character_folds(set(text)))


def _to_original(origin: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """Map a folded [start, end) range back to the original text."""
    return origin[start], origin[end - 1] + 1


def char_spans(text: str) -> list[Span]:
    """Every CJK character as a token, runs of other letters/digits as one token; the rest skipped.

    This is the recall field: any substring of the text made of whole tokens is a phrase of these
    tokens, so ``墙`` matches ``外墙`` and ``防水卷材`` matches only where the four are adjacent.
    """
    folded, origin = fold(text)
    spans = []
    for match in _CHAR_TOKEN.finditer(folded):
        start, end = _to_original(origin, match.start(), match.end())
        spans.append(Span(match.group(), start, end, cjk=match.group(1) is not None))
    return spans


# (position, folded text, start, end in the original text): what the Whoosh tokenizers emit
IndexToken = tuple[int, str, int, int]


def _pairs_with_next(spans: list[Span], index: int) -> bool:
    return spans[index].cjk and index + 1 < len(spans) and spans[index + 1].cjk


def char_index_tokens(text: str) -> list[IndexToken]:
    """What the character field indexes: each ``char_spans`` token at its position, plus a bigram
    of each CJK character and the next one at the *same* position.

    Phrases of single characters are slow in Whoosh, because common characters (工, 程) occur
    everywhere and every position must be checked. Bigrams are far rarer, so a query phrase made
    of bigrams (``char_query_tokens``) finds the same documents with much less work, while single
    characters are still there for one-character queries. Built from tuples, not ``Span``
    objects: this runs for every character of every indexed document.
    """
    folded, origin = fold(text)
    tokens: list[IndexToken] = []
    previous: tuple[str, int] | None = None  # the preceding token when it is one CJK character
    for position, match in enumerate(_CHAR_TOKEN.finditer(folded)):
        word = match.group()
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        is_cjk = match.group(1) is not None
        if is_cjk and previous is not None:
            tokens.append((position - 1, previous[0] + word, previous[1], end))
        tokens.append((position, word, start, end))
        previous = (word, start) if is_cjk else None
    return tokens


def word_index_tokens(text: str) -> list[IndexToken]:
    """What the word field indexes: ``word_spans`` numbered 0, 1, 2, …"""
    return [(position, span.text, span.start, span.end) for position, span in enumerate(word_spans(text))]


def char_query_tokens(text: str) -> list[str]:
    """The phrase to look up in the character field for ``text``, one entry per position.

    Position i uses the bigram starting there when there is one, else the single token; trailing
    positions already covered by the bigram before them are left out (``防水卷材`` → 防水 水卷 卷材).
    Matches exactly where the single-character phrase would, i.e. where the tokens are adjacent.
    """
    spans = char_spans(text)
    phrase = [
        span.text + spans[index + 1].text if _pairs_with_next(spans, index) else span.text
        for index, span in enumerate(spans)
    ]
    if len(phrase) > 1 and _pairs_with_next(spans, len(spans) - 2):
        phrase.pop()
    return phrase


def run_text(text: str, edges: bool = True) -> str:
    """``text`` as one string of its ``char_spans`` tokens: CJK characters joined, any other token
    set apart by single spaces. A run of whole tokens of a term is then a plain substring of a
    document's run (the ``postgres`` engine's exact test, ``strpos``).

    With ``edges`` (a document) the whole is wrapped in spaces. A term's run (``edges`` False)
    gets a space only before a first or after a last non-CJK token, so ``c3`` is found in
    `` c3 `` but not in `` c30 ``, while ``混凝`` is found inside ``混凝土``.
    """
    patterns = _writing()
    tokens = patterns.char_token_text.findall(fold_text(text))
    joined = patterns.cjk_gap.sub("", " ".join(tokens))
    if edges:
        return f" {joined} "
    if tokens and not patterns.cjk_token.fullmatch(tokens[0]):
        joined = " " + joined
    if tokens and not patterns.cjk_token.fullmatch(tokens[-1]):
        joined += " "
    return joined


def run_pieces(run: str) -> list[tuple[str, bool]]:
    """The pieces of a ``run_text`` string and whether each is a run of CJK characters (else it is
    one Latin/digit token): ``run_text`` spaces every token apart except CJK neighbours.
    """
    cjk = _writing().cjk_token
    return [(piece, cjk.match(piece) is not None) for piece in run.split()]


def word_spans(text: str) -> list[Span]:
    """jieba accurate-mode words (with the construction dictionary), punctuation dropped.

    This is the ranking field: a query that is a whole word here scores higher than one that only
    matches as a run of characters.
    """
    jieba = _jieba()
    folded, origin = fold(text)
    spans = []
    for word, start, end in jieba.tokenize(folded):
        if end > start and _HAS_WORD_CHAR.search(word):
            o_start, o_end = _to_original(origin, start, end)
            spans.append(Span(word.strip(), o_start, o_end))
    return spans


def char_gram_texts(text: str) -> tuple[str, str, str]:
    """The character tokens of ``text`` and, position for position, its "pair" and "quad"
    tokens, each as one space-joined string.

    Pair token i is character i joined with character i+1 when both are CJK (whatever the
    tokenizer skipped between them), else token i itself. This is ``char_index_tokens`` laid out
    as two aligned token streams instead of two tokens at one position, for engines that take one
    token per position (tantivy's whitespace tokenizer): a phrase over pair tokens matches
    exactly where the characters are adjacent. Quad token i is the same with up to four CJK
    characters (shorter where the run of CJK tokens ends): a four-character run is one quad
    token, far rarer than its bigrams, so a long Chinese term is a phrase of few rare terms.

    This runs for every character of every indexed document, so the loops are C's: the tokens
    are joined once, then cut into runs of consecutive CJK tokens (punctuation does not end a
    run, a Latin/digit token does), and each run's grams are made by ``map`` over the run.
    """
    patterns = _writing()
    chars = " ".join(patterns.char_token_text.findall(fold_text(text)))
    pairs: list[str] = []
    quads: list[str] = []
    for run in patterns.token_run.findall(chars):
        if len(run) > 1 and run[1] == " ":  # two or more CJK tokens in a row
            cjk = run[::2]
            bigrams = list(map(str.__add__, cjk[:-1], cjk[1:]))
            pairs.append(" ".join(bigrams))
            pairs.append(cjk[-1])
            quads.append(" ".join(map(str.__add__, bigrams[:-2], bigrams[2:])))
            quads.append(" ".join(cjk[max(0, len(cjk) - 3) + i :] for i in range(min(3, len(cjk)))))
        else:
            pairs.append(run)
            quads.append(run)
    return chars, " ".join(pairs), " ".join(piece for piece in quads if piece)


def quad_query_tokens(text: str) -> list[tuple[int, str]] | None:
    """The quad-token phrase for a query term that is one run of four or more CJK characters, as
    (offset, token); None for any other term (it is looked up with pair tokens instead).

    Quads that do not overlap cover the run, the last one overlapping its neighbour
    (``幕墙门窗安装`` → 幕墙门窗@0 门窗安装@2). Inside a run of four or more, a document's quad
    token at offset i is exactly the four characters from i, so every quad must match whole:
    no prefix matching, whatever follows the term in the document.
    """
    spans = char_spans(text)
    if len(spans) < 4 or not all(span.cjk for span in spans):
        return None
    run = "".join(span.text for span in spans)
    starts = list(range(0, len(run) - 3, 4))
    if starts[-1] != len(run) - 4:
        starts.append(len(run) - 4)
    return [(start, run[start : start + 4]) for start in starts]


def pair_query_tokens(text: str) -> tuple[list[tuple[int, str]], bool]:
    """The pair-token phrase for a query term as (offset, token), and whether the last token is
    only a prefix.

    Bigrams that do not overlap cover a run of CJK characters, so only every other one is needed
    (``幕墙门窗安装`` → 幕墙@0 门窗@2 安装@4 instead of five bigrams): fewer postings to intersect,
    the same matches, because pair token i is the bigram starting at character i. A last CJK
    character that pairs with nothing in the term (``C30混``) may pair with whatever follows it
    in a document (``混凝``), so it must match as a prefix of the pair token there.
    """
    spans = char_spans(text)

    def pairs(i: int) -> bool:
        return _pairs_with_next(spans, i)

    entries: list[tuple[int, str]] = []
    i, count = 0, len(spans)
    while i < count:
        if pairs(i):
            entries.append((i, spans[i].text + spans[i + 1].text))
            i += 2
        elif i == count - 1 and i > 0 and pairs(i - 1):
            entries.append((i - 1, spans[i - 1].text + spans[i].text))  # overlaps the one before
            i += 1
        else:
            entries.append((i, spans[i].text))
            i += 1
    open_ended = bool(spans) and spans[-1].cjk and (count == 1 or not spans[-2].cjk)
    return entries, open_ended


def word_texts(text: str) -> list[str]:
    """The texts of ``word_spans`` (jieba words, punctuation dropped) without their offsets.

    ``filter``/``map`` with C callables: this runs for every indexed document.
    """
    return list(map(str.strip, filter(_HAS_WORD_CHAR.search, _jieba().cut(fold_text(text)))))


def load_userdict_words() -> list[str]:
    """The construction terms shipped in ``search/data/userdict.txt`` (comments and blanks skipped)."""
    raw = resources.files(__package__).joinpath(USERDICT_RESOURCE).read_text(encoding="utf-8")
    words = []
    for line in raw.splitlines():
        word = line.strip()
        if word and not word.startswith("#"):
            words.append(fold_text(word.split()[0]))
    return words


@functools.cache
def _userdict_loaded() -> ModuleType:
    # rjieba's dictionary is process-global, so this is too; functools.cache makes it run once.
    import rjieba

    for word in load_userdict_words():
        rjieba.add_word(word, None, None)
    return rjieba


def _jieba() -> ModuleType:
    """rjieba, imported by the first segmentation, with the construction terms added.

    Importing rjieba builds its whole dictionary (0.11–0.13 s), so it is imported here rather than
    with this module, which every engine, the query parser and the highlighter import: what only
    cuts characters or parses a query (a search by filters alone, a highlight, the server's start
    before its warm-up) never pays for it. A keyword's jieba words rank its hits
    (``tantivy_engine.query``), so a keyword search still loads it, when it builds the query.
    """
    with _userdict_lock:  # the terms are added once, whichever thread segments first
        return _userdict_loaded()
