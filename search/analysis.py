"""Whoosh analyzers for Chinese text with positions numbered one after another.

jieba's own ``ChineseAnalyzer`` records character offsets as token positions and emits
overlapping search-mode words, which makes Whoosh phrase queries miss (stack-notes §2). These
tokenizers number positions 0, 1, 2, … so phrases work, and record start/end characters in the
original text. Both fold the text first (NFKC + casefold, see ``tokens``). The character field
also puts a CJK bigram at each position beside the single character, for fast phrases.

The classes are pickled into the index schema, so they hold no state and their import path
(``search.analysis``) is part of the on-disk format: renaming them needs a schema-version bump.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from whoosh.analysis import Token, Tokenizer

from search.tokens import IndexToken, char_index_tokens, word_index_tokens


def _emit(
    spans: list[IndexToken],
    token: Token,
    *,
    positions: bool,
    chars: bool,
    keeporiginal: bool,
    start_pos: int,
    start_char: int,
) -> Iterator[Token]:
    for pos, text, start, end in spans:
        token.text = text
        token.boost = 1.0
        token.stopped = False
        if keeporiginal:
            token.original = text
        if positions:
            token.pos = start_pos + pos
        if chars:
            token.startchar = start_char + start
            token.endchar = start_char + end
        yield token


class _SpanTokenizer(Tokenizer):
    """Adapts a ``text -> list[IndexToken]`` function to Whoosh's tokenizer calling convention."""

    @staticmethod
    def _spans(text: str) -> list[IndexToken]:
        """(position, text, start, end) tuples; several tokens may share a position."""
        raise NotImplementedError

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        # tokenize=False: Whoosh wants the value back as one token (e.g. for spelling), untouched.
        spans = self._spans(value) if tokenize else [(0, value, 0, len(value))]
        yield from _emit(
            spans,
            token,
            positions=positions,
            chars=chars,
            keeporiginal=keeporiginal,
            start_pos=start_pos,
            start_char=start_char,
        )


class CharTokenizer(_SpanTokenizer):
    """Each CJK character (plus its bigram with the next), runs of letters/digits. For exact substrings."""

    _spans: Callable[[str], list[IndexToken]] = staticmethod(char_index_tokens)


class WordTokenizer(_SpanTokenizer):
    """rjieba accurate-mode words with the construction dictionary. For ranking."""

    _spans: Callable[[str], list[IndexToken]] = staticmethod(word_index_tokens)


def char_analyzer() -> CharTokenizer:
    """The analyzer of the ``*_chars`` fields (a bare tokenizer is a valid Whoosh analyzer)."""
    return CharTokenizer()


def word_analyzer() -> WordTokenizer:
    """The analyzer of the ``*_words`` fields."""
    return WordTokenizer()
