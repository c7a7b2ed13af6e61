"""The ``postgres`` backend's relevance score, and the "level" lexemes that let a search score
only the documents that can reach its first page.

The score of a document for a term is its *level*: a BM25-style saturation of the term's
occurrences in the content, ``(k1 + 1) * (1 - norm / (tf + norm))`` (below 2.2) with ``norm``
growing with the content's length, plus ``TITLE_BOOST`` when the term is in the title; a query
with several terms sums the levels weighted by rarity. The length is measured against a fixed
``REFERENCE_LENGTH`` rather than the archive's average, so a document's level for a term is known
when it is written.

That is what the level lexemes use. Scoring every match of a common word (tens of thousands of
rows) is what made such a query slow; so each row also stores, among its GIN-indexed ``grams``
(``schema``), every character run of one to four characters (and every Latin/digit token) whose
level in that document reaches the lowest of ``LEVELS``, marked with the highest of ``LEVELS`` it
reaches (``^0防水`` for the top). A search guesses its page's last score, highest first, and
scores only the documents holding a term at the level that score needs (``levels_within``: a
document scoring that much has some term at its share of it). When those candidates fill the
page and its last score reaches the guess, no other match can enter the page; when they fill it
lower, one more query at that last score makes it exact; otherwise every match is scored as
before. Counts and facets never depend on it.

The counts here are of overlapping windows, never fewer than the non-overlapping occurrences the
SQL score counts, so a level can only be generous. A term longer than four characters cannot
occur more often than any four-character run inside it, nor be in a title that lacks one, so its
candidates are the documents holding all of those at the level. A document too long to count
cheaply gets ``ALWAYS`` and is a candidate at every level.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

from search.tokens import run_pieces

K1, B = 1.2, 0.75
TITLE_BOOST = 4.0
REFERENCE_LENGTH = 1000.0  # content tokens at which the length neither raises nor lowers a score
# The levels a search tries, highest first. 1.6 of the saturation's 2.2 is about three
# occurrences in 1,000 characters, 2.0 about twelve; TITLE_BOOST + … are title matches.
LEVELS = (TITLE_BOOST + 2.0, TITLE_BOOST + 1.6, TITLE_BOOST, 2.0, 1.8, 1.6)
MAX_WINDOW = 4
MAX_COUNTED_CHARS = 200_000  # longer texts are not counted: they are candidates at every level
ALWAYS = "*"
_MARK = "^"  # never the first character of a token (letters and digits only)
_EPSILON = 1e-9  # Python and PostgreSQL may round the same float8 formula differently


def is_level(lexeme: str) -> bool:
    return lexeme.startswith(_MARK)


def reaches(score: float, floor: float) -> bool:
    """``score >= floor``, allowing for Python and PostgreSQL rounding the same formula differently."""
    return score >= floor - _EPSILON


def norm(length: int) -> float:
    return K1 * (1 - B) + K1 * B * length / REFERENCE_LENGTH


def saturation(tf: int, length: int) -> float:
    """The content part of the score of a term occurring ``tf`` times in ``length`` tokens."""
    if tf <= 0:
        return 0.0
    n = norm(length)
    return (K1 + 1) * (1.0 - n / (tf + n))


def _least_tf(length: int, level: float) -> int:
    """The fewest occurrences whose saturation reaches ``level`` in a text of ``length`` tokens."""
    n = norm(length)
    tf = max(1, math.ceil(level * n / (K1 + 1 - level)) - 1)
    while not reaches(saturation(tf, length), level):
        tf += 1
    return tf


def _window_counts(run: str) -> Counter[str]:
    """How often every run of one to ``MAX_WINDOW`` characters of ``run`` occurs (overlaps
    counted), and every longer Latin/digit token. The windows are cut from the whole string by
    ``map`` (C loops; this runs for every document written); those that cross a space, i.e. leave
    a run of CJK characters or a token, are among the keys and must be skipped.
    """
    counts: Counter[str] = Counter(run)
    grams = run
    for size in range(2, MAX_WINDOW + 1):
        grams = list(map(str.__add__, grams, run[size - 1:]))  # type: ignore[assignment]
        counts.update(grams)
    counts.update(piece for piece, cjk in run_pieces(run) if not cjk and len(piece) > MAX_WINDOW)
    return counts


def _level_mark(level: float) -> str | None:
    for index, floor in enumerate(LEVELS):
        if reaches(level, floor):
            return f"{_MARK}{index}"
    return None


def level_lexemes(content_run: str, title_run: str, length: int) -> set[str]:
    """The level lexemes of one document (see the module docstring)."""
    if len(content_run) > MAX_COUNTED_CHARS or len(title_run) > MAX_COUNTED_CHARS:
        return {ALWAYS}
    counts = _window_counts(content_run)
    titled = {gram for gram in _window_counts(title_run) if " " not in gram}
    least = _least_tf(length, LEVELS[-1])
    lexemes: set[str] = set()
    for gram in titled.union(g for g, tf in counts.items() if tf >= least and " " not in g):
        mark = _level_mark(saturation(counts.get(gram, 0), length) + (TITLE_BOOST if gram in titled else 0.0))
        if mark is not None:
            lexemes.add(mark + gram)
    return lexemes


def _term_grams(run: str) -> list[str] | None:
    pieces = run_pieces(run)
    if len(pieces) != 1:
        return None  # a mixed term (c30混凝土): not bounded, the search scores every match
    piece, cjk = pieces[0]
    if not cjk or len(piece) <= MAX_WINDOW:
        return [piece]
    return [piece[i:i + MAX_WINDOW] for i in range(len(piece) - MAX_WINDOW + 1)]


def level_query(runs: list[str], levels: list[int | None], quote: Callable[[str], str]) -> str | None:
    """The ``tsquery`` text of the documents holding some run i at ``LEVELS[levels[i]]`` or higher
    (a run whose level is None is left out: the caller takes all its matches); None when a run
    cannot be bounded.
    """
    parts = [quote(ALWAYS)]
    for run, level in zip(runs, levels, strict=True):
        grams = _term_grams(run)
        if grams is None:
            return None
        if level is None:
            continue
        at_level = ["(" + " | ".join(quote(f"{_MARK}{index}{gram}") for index in range(level + 1)) + ")"
                    for gram in grams]
        parts.append("(" + " & ".join(at_level) + ")")
    return " | ".join(parts)


def score_guesses(weights: list[float]) -> list[float]:
    """The scores worth trying as the page's last, highest first: those at which some term's
    level changes (``levels_within``).
    """
    count = len(weights)
    return sorted({count * weight * floor for weight in weights for floor in LEVELS}, reverse=True)


def levels_within(weights: list[float], score: float) -> list[int | None]:
    """For each term, the highest level whose candidates, taken together, still hold every
    document that scores ``score`` or more: such a document has some term i with ``weight_i *
    level_i`` at least ``score / n``, so each term gets that share. None: the term's every match.
    """
    levels: list[int | None] = []
    for weight in weights:
        share = score / (len(weights) * weight) if weight > 0 else math.inf
        levels.append(next((index for index, floor in enumerate(LEVELS) if floor <= share), None))
    return levels
