"""Our own small query language, parsed here so no raw user text ever reaches the engine.

Syntax (what an auditor types)::

    防水 卷材              both terms (whitespace means AND)
    "防水卷材"             an exact phrase (quotes may be ASCII or Chinese “ ”)
    防水 OR 止水           either term (AND binds tighter: ``a b OR c`` is ``(a b) OR c``)
    -监理                  without this term; also -"…" and -( … )
    (防水 OR 止水) 外墙    parentheses group
    project:P2024-001      field filters (see ``search.filters``): project: class: type:
    class:C  year:2024     contractor: year: date: amount:/金额 — ``date:2024-01..2024-06``,
    金额>100000 sort:date  ``金额:1万..5万``; ``sort:date`` puts the newest first

A bare term is itself matched as an exact run of characters (Chinese has no spaces to split on),
so ``外墙防水`` and ``"外墙防水"`` find the same documents. A quoted phrase may contain spaces.
``OR`` is an operator only in capitals; ``or`` is an ordinary word. Text is folded (NFKC) before
parsing, so full-width ``（）`` and ``＂`` act like their ASCII forms. A term with nothing to search
for (only punctuation, like a lone ``，``) is ignored.

Filters apply to the whole query, so they may not sit inside parentheses, after ``-`` or in an
``OR``; the parser says so rather than guessing. ``contractor:"中建 三局"`` takes a quoted value.

Malformed input raises ``QuerySyntaxError`` with the character position where it went wrong;
parentheses nested deeper than ``MAX_DEPTH`` are refused the same way (a query is user input,
and the parser and the engines recurse over its tree). A doubly negated group ``-(-砖)`` is 砖.
An empty query means "everything" (filters alone select the documents).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from search.filters import SORT_VALUES, FieldFilter, FilterValueError, build_filter, split_filter
from search.tokens import char_spans

_QUOTES = {'"': '"', "“": "”", "”": "”"}
_OR = "OR"
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 32  # nested parentheses: far more than anyone types, far less than the recursion limit


class QuerySyntaxError(ValueError):
    """The query text does not parse; ``position`` is the 0-based character offset of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Term:
    """A bare word or a quoted phrase; both are matched as exact runs of tokens."""

    text: str
    quoted: bool = False


@dataclass(frozen=True)
class Not:
    child: Node
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class MatchAll:
    """The empty query: every document (the filters do the selecting)."""


Node = Term | Not | And | Or | MatchAll


@dataclass(frozen=True)
class ParsedQuery:
    """The whole query text: the keyword tree, its field filters, and the sort it asks for."""

    tree: Node
    filters: tuple[FieldFilter, ...] = ()
    sort: str | None = None


@dataclass
class _Lexeme:
    kind: str  # "word" | "phrase" | "or" | "neg" | "(" | ")" | "filter" | "sort"
    text: str
    position: int  # in the folded text; mapped back to the user's text for error messages
    flt: FieldFilter | None = None


def _nfkc_with_origin(text: str) -> tuple[str, list[int]]:
    """NFKC one character at a time, remembering each folded character's original index."""
    pieces: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch)
        pieces.append(folded)
        origin.extend([index] * len(folded))
    return "".join(pieces), origin


@dataclass
class _Lexer:
    source: str
    out: list[_Lexeme] = field(default_factory=list)
    dropped: int = 0

    def run(self) -> list[_Lexeme]:
        text, i = self.source, 0
        while i < len(text):
            ch = text[i]
            if ch.isspace():
                i += 1
            elif ch in "()":
                self.out.append(_Lexeme(ch, ch, i))
                i += 1
            elif ch == "-" and i + 1 < len(text) and not text[i + 1].isspace():
                self.out.append(_Lexeme("neg", ch, i))
                i += 1
            elif ch in _QUOTES:
                i = self._phrase(i)
            else:
                i = self._word(i)
        return self.out

    def _add_term(self, kind: str, text: str, position: int) -> None:
        if char_spans(text):
            self.out.append(_Lexeme(kind, text, position))
        else:
            self.dropped += 1

    def _phrase(self, start: int) -> int:
        closing = _QUOTES[self.source[start]]
        end = self.source.find(closing, start + 1)
        if closing != '"' and end < 0:
            end = self.source.find('"', start + 1)
        if end < 0:
            raise QuerySyntaxError("a quotation mark is not closed", start)
        self._add_term("phrase", self.source[start + 1 : end], start)
        return end + 1

    def _word(self, start: int) -> int:
        """A run up to whitespace or a quote; a ``)`` ends it unless a ``(`` opened inside it."""
        text, i, depth = self.source, start, 0
        while i < len(text) and not text[i].isspace() and text[i] not in _QUOTES:
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
        word = text[start:i]
        if word == _OR:
            self.out.append(_Lexeme("or", word, start))
            return i
        parts = split_filter(word)
        if parts is None:
            self._add_term("word", word, start)
            return i
        field_name, op, value = parts
        value_at = start + len(word) - len(value)
        if not value and i < len(text) and text[i] in _QUOTES:  # contractor:"中建 三局"
            closing = self.source.find(_QUOTES[text[i]], i + 1)
            if closing < 0:
                raise QuerySyntaxError("a quotation mark is not closed", i)
            value, value_at, i = text[i + 1 : closing], i + 1, closing + 1
        self._add_filter(field_name, op, value.strip(), start, value_at, text[start:i])
        return i

    def _add_filter(
        self, field_name: str, op: str, value: str, start: int, value_at: int, raw: str
    ) -> None:
        if field_name == "sort":
            if op != ":" or value.lower() not in SORT_VALUES:
                raise QuerySyntaxError("sort takes sort:date or sort:relevance", value_at)
            self.out.append(_Lexeme("sort", raw, start))
            return
        try:
            flt = build_filter(field_name, op, value)
        except FilterValueError as exc:
            raise QuerySyntaxError(exc.message, value_at + exc.offset if value else start) from None
        self.out.append(_Lexeme("filter", raw, start, flt))


class _Parser:
    """Recursive descent: query := or_expr; or_expr := and_expr (OR and_expr)*; and_expr := unary+."""

    def __init__(self, lexemes: list[_Lexeme], length: int) -> None:
        self._lex = lexemes
        self._i = 0
        self._end = length
        self._depth = 0
        self.filters: list[_Lexeme] = []
        self.sort: str | None = None

    def _peek(self) -> _Lexeme | None:
        return self._lex[self._i] if self._i < len(self._lex) else None

    def parse(self) -> Node:
        node = self._or_expr()
        extra = self._peek()
        if extra is not None:
            raise QuerySyntaxError("a closing parenthesis has no opening one", extra.position)
        return node

    def _or_expr(self) -> Node:
        first = self._peek()
        if first is not None and first.kind == "or":
            raise QuerySyntaxError("OR needs a term before it", first.position)
        filters_before = len(self.filters)
        alternatives = [self._and_expr()]
        while (lex := self._peek()) is not None and lex.kind == "or":
            self._i += 1
            following = self._peek()
            if following is None or following.kind in ("or", ")"):
                raise QuerySyntaxError("OR needs a term after it", lex.position)
            alternatives.append(self._and_expr())
        if len(alternatives) > 1 and len(self.filters) > filters_before:
            raise QuerySyntaxError(
                "a field filter applies to the whole query and cannot be part of an OR",
                self.filters[filters_before].position,
            )
        return alternatives[0] if len(alternatives) == 1 else Or(tuple(alternatives))

    def _and_expr(self) -> Node:
        parts: list[Node] = []
        took_filter = False
        while (lex := self._peek()) is not None and lex.kind not in ("or", ")"):
            if lex.kind in ("filter", "sort"):
                self._take_filter(lex)
                took_filter = True
                continue
            parts.append(self._unary())
        if not parts:
            if took_filter:
                return MatchAll()
            where = self._peek()
            raise QuerySyntaxError("expected a term", where.position if where else self._end)
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def _take_filter(self, lex: _Lexeme) -> None:
        self._i += 1
        if self._depth:
            raise QuerySyntaxError(
                f"the filter {lex.text!r} applies to the whole query; put it outside the parentheses",
                lex.position,
            )
        if lex.kind == "sort":
            self.sort = SORT_VALUES[lex.text.partition(":")[2].lower()]
        else:
            self.filters.append(lex)

    def _unary(self) -> Node:
        lex = self._lex[self._i]
        self._i += 1
        if lex.kind == "neg":
            following = self._peek()
            if following is None or following.kind in ("or", ")", "neg"):
                raise QuerySyntaxError("'-' must be followed by a term to exclude", lex.position)
            if following.kind in ("filter", "sort"):
                raise QuerySyntaxError("a field filter cannot be excluded with '-'", lex.position)
            child = self._unary()
            # "-(-砖)" excludes the documents without 砖: it means 砖, and no engine has to know
            # what a negated negation is.
            return child.child if isinstance(child, Not) else Not(child, lex.position)
        if lex.kind == "(":
            if self._depth >= MAX_DEPTH:
                raise QuerySyntaxError(f"parentheses are nested more than {MAX_DEPTH} deep", lex.position)
            self._depth += 1
            inner = self._or_expr()
            self._depth -= 1
            closing = self._peek()
            if closing is None or closing.kind != ")":
                raise QuerySyntaxError("a parenthesis is not closed", lex.position)
            self._i += 1
            return inner
        return Term(lex.text, quoted=lex.kind == "phrase")


def _first_negation(node: Node) -> int:
    if isinstance(node, Not):
        return node.position
    if isinstance(node, And | Or):
        return min(_first_negation(child) for child in node.children)
    return 0


def _check_positive(node: Node) -> None:
    """Every AND needs a term that is not negated, and no OR branch may be only a negation.

    A query like ``-监理`` would mean "the whole archive except …", which is almost always a
    mistake and is expensive; we say so instead of guessing.
    """
    if isinstance(node, Not) or (isinstance(node, And) and all(isinstance(c, Not) for c in node.children)):
        raise QuerySyntaxError("a query cannot consist only of excluded (-) terms", _first_negation(node))
    if isinstance(node, And):
        for child in node.children:
            inner = child.child if isinstance(child, Not) else child
            if isinstance(inner, And | Or):
                _check_positive(inner)
    elif isinstance(node, Or):
        for child in node.children:
            if isinstance(child, Not):
                raise QuerySyntaxError(
                    "an OR alternative cannot be only an excluded (-) term", child.position
                )
            _check_positive(child)


def parse_query(text: str) -> Node:
    """Parse query text into a tree of ``Term``/``And``/``Or``/``Not`` (``MatchAll`` when empty).

    Field filters are checked but left out of the tree; ``parse_search`` returns them too.
    """
    return parse_search(text).tree


def parse_search(text: str) -> ParsedQuery:
    """Parse query text into its keyword tree, field filters and sort."""
    broken = _SURROGATE.search(text)
    if broken:  # a command-line argument whose bytes are not UTF-8 arrives as lone surrogates
        raise QuerySyntaxError("the query holds bytes that are not valid UTF-8 text", broken.start())
    folded, origin = _nfkc_with_origin(text)
    lexer = _Lexer(folded)
    try:
        lexemes = lexer.run()
        if not lexemes:
            if lexer.dropped:
                raise QuerySyntaxError(
                    "the query has nothing to search for (no letters, digits or Chinese characters)", 0
                )
            return ParsedQuery(MatchAll())
        parser = _Parser(lexemes, len(folded))
        tree = parser.parse()
        if not isinstance(tree, MatchAll):
            _check_positive(tree)
    except QuerySyntaxError as exc:
        position = origin[exc.position] if exc.position < len(origin) else len(text)
        raise QuerySyntaxError(exc.message, position) from None
    filters = tuple(lex.flt for lex in parser.filters if lex.flt is not None)
    return ParsedQuery(tree, filters, parser.sort)


def positive_terms(node: Node) -> list[str]:
    """The texts of the terms a matching document contains (negated ones excluded), for highlights."""
    if isinstance(node, Term):
        return [node.text]
    if isinstance(node, And | Or):
        return [text for child in node.children for text in positive_terms(child)]
    return []
