"""Our parsed query and the search filters as SQL over the ``postgres`` backend's table.

Every term becomes two things (``TermPlan``): a ``tsquery`` of grams that every matching
document has (``schema``: pair and quad tokens), answered by the GIN index, and the exact test,
``strpos`` of the term's run in the document's runs (content or title). A term of one to four
Chinese characters, or one Latin/digit token, is a single gram lookup that *is* the exact test;
then the index alone answers and no row is read to check it. Longer and mixed terms (a phrase
like ``混凝土浇筑``, ``C30混凝土``) narrow by their grams and are checked by their runs. AND, OR
and NOT combine both parts the same way, so the SQL selects exactly what the other engines'
phrase queries select (one conformance suite runs on all three).

No user text reaches SQL except as bound parameters. The score (``scoring``): for each positive
term, a BM25-style saturation of how often its run occurs in the content (against the content's
length) plus ``TITLE_BOOST`` when it is in the title, weighted by the term's rarity when a query
has several terms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from search.filters import FieldFilter
from search.postgres_engine.schema import INCOMPLETE, quote_lexeme
from search.postgres_engine.scoring import K1, REFERENCE_LENGTH, TITLE_BOOST, B, level_query
from search.query import And, MatchAll, Node, Not, Term
from search.tokens import char_spans, quad_query_tokens, run_text


@dataclass(frozen=True)
class TermPlan:
    """How one term is found: its grams (``tsquery`` text), whether they alone decide, its run."""

    tsquery: str
    exact: bool
    run: str


def _cjk_run_grams(run: str) -> tuple[str, bool]:
    """The grams of a run of Chinese characters: exact for one to four characters."""
    if len(run) == 1:
        return f"{quote_lexeme(run)}:*", True
    if len(run) in (2, 4):
        return quote_lexeme(run), True
    if len(run) == 3:
        return f"{quote_lexeme(run)}:*", True  # the quad token there begins with the run
    quads = quad_query_tokens(run) or []
    return " & ".join(quote_lexeme(token) for _, token in quads), False


def term_plan(text: str) -> TermPlan | None:
    """The plan of one user term; None when it has nothing to search for."""
    spans = char_spans(text)
    if not spans:
        return None
    run = run_text(text, edges=False)
    if all(span.cjk for span in spans):
        grams, exact = _cjk_run_grams("".join(span.text for span in spans))
        return TermPlan(grams, exact, run)
    if len(spans) == 1:
        return TermPlan(quote_lexeme(spans[0].text), True, run)
    parts: list[str] = []
    chinese = ""
    for span in [*spans, None]:
        if span is not None and span.cjk:
            chinese += span.text
            continue
        if chinese:
            parts.append(_cjk_run_grams(chinese)[0])
            chinese = ""
        if span is not None:
            parts.append(quote_lexeme(span.text))
    return TermPlan(" & ".join(f"({part})" for part in parts), False, run)


@dataclass
class Sql:
    """A SQL fragment and its bound parameters (``%s`` placeholders, psycopg style)."""

    text: str
    params: list[Any] = field(default_factory=list)


def _found(run: str, params: list[Any]) -> str:
    params.extend([run, run])
    return "(strpos(d.content_run, %s) > 0 OR strpos(d.title_run, %s) > 0)"


@dataclass
class _Plan:
    grams: str | None  # tsquery every match satisfies; None: cannot narrow
    exact: bool  # the grams alone decide
    truth: str  # the exact SQL test (runs)
    params: list[Any]


def _plan(node: Node) -> _Plan:
    if isinstance(node, MatchAll):
        return _Plan(None, True, "TRUE", [])
    if isinstance(node, Term):
        plan = term_plan(node.text)
        if plan is None:
            return _Plan(None, True, "FALSE", [])
        params: list[Any] = []
        return _Plan(plan.tsquery, plan.exact, _found(plan.run, params), params)
    if isinstance(node, Not):
        inner = _plan(node.child)
        grams = f"!({inner.grams})" if inner.exact and inner.grams is not None else None
        return _Plan(grams, inner.exact, f"NOT {inner.truth}", inner.params)
    children = [_plan(child) for child in node.children]  # And | Or
    params = [p for child in children for p in child.params]
    joiner = " AND " if isinstance(node, And) else " OR "
    truth = "(" + joiner.join(child.truth for child in children) + ")"
    exact = all(child.exact for child in children)
    if isinstance(node, And):
        known = [f"({child.grams})" for child in children if child.grams is not None]
        positive = any(child.grams is not None and not child.grams.startswith("!") for child in children)
        grams = " & ".join(known) if known and positive else None
        return _Plan(grams, exact and len(known) == len(children), truth, params)
    if any(child.grams is None for child in children):
        return _Plan(None, exact, truth, params)
    return _Plan(" | ".join(f"({child.grams})" for child in children), exact, truth, params)


def match_sql(node: Node) -> Sql:
    """The WHERE condition of the documents matching ``node``.

    The index is asked for the term's grams or ``INCOMPLETE``, and that lookup is the whole
    ``grams`` condition: PostgreSQL then takes it from the GIN index without reading any row's
    ``grams`` (a 9 KB TOASTed value each; reading them back made a common word cost seconds).
    A document whose grams could not all be kept (``grams_complete`` false, very rare) is then
    decided by its runs.
    """
    plan = _plan(node)
    if plan.grams is None:
        return Sql(plan.truth, plan.params)
    grams = f"({plan.grams}) | {quote_lexeme(INCOMPLETE)}"
    if plan.exact:
        return Sql(f"(d.grams @@ %s::tsquery AND (d.grams_complete OR {plan.truth}))", [grams, *plan.params])
    return Sql(f"(d.grams @@ %s::tsquery AND {plan.truth})", [grams, *plan.params])


def match_ceiling(node: Node, frequency: Callable[[str], int | None]) -> int | None:
    """At most how many documents match ``node``, from the document frequencies of its terms'
    runs (``frequency``: None when unknown); None when that cannot be said.
    """
    if isinstance(node, Term):
        plan = term_plan(node.text)
        return 0 if plan is None else frequency(plan.run)
    if isinstance(node, (Not, MatchAll)):
        return None
    ceilings = [match_ceiling(child, frequency) for child in node.children if not isinstance(child, Not)]
    if isinstance(node, And):
        known = [ceiling for ceiling in ceilings if ceiling is not None]
        return min(known) if known else None
    return None if any(ceiling is None for ceiling in ceilings) else sum(c for c in ceilings if c is not None)


def uses_index(node: Node) -> bool:
    """Whether ``match_sql(node)`` narrows by the GIN index (else it reads every row)."""
    return _plan(node).grams is not None


def term_runs(texts: list[str]) -> list[tuple[str, str]]:
    """(run, the first term text with that run) of each distinct positive term, for scoring."""
    found: dict[str, str] = {}
    for text in texts:
        plan = term_plan(text)
        if plan is not None and plan.run.strip():
            found.setdefault(plan.run, text)
    return list(found.items())


def score_sql(runs: list[str], weights: list[float]) -> Sql:
    """The relevance of a document for these term runs (see the module docstring).

    Written for the cost per matching row, which a common word pays tens of thousands of times:
    the saturation ``tf * (k1 + 1) / (tf + norm)`` is spelled ``(k1 + 1) * (1 - norm / (tf +
    norm))`` so the run is counted once (``replace``), lengths are byte lengths (``octet_length``
    reads the header; ``length`` counts characters), and the arithmetic is ``float8``, not
    ``numeric``.
    """
    parts: list[str] = []
    params: list[Any] = []
    norm = f"({K1 * (1 - B)!r}::float8 + {K1 * B / REFERENCE_LENGTH!r}::float8 * d.content_tokens)"
    for run, weight in zip(runs, weights, strict=True):
        tf = "((octet_length(d.content_run) - octet_length(replace(d.content_run, %s, ''))) / octet_length(%s))"
        parts.append(f"{float(weight)!r}::float8 * ({K1 + 1}::float8 * (1.0::float8 - {norm} / ({tf} + {norm})) "
                     f"+ CASE WHEN strpos(d.title_run, %s) > 0 THEN {TITLE_BOOST}::float8 ELSE 0.0::float8 END)")
        params.extend([run, run, run])
    return Sql(" + ".join(parts) if parts else "0.0", params)


def level_sql(terms: list[tuple[str, str]], levels: list[int | None]) -> Sql | None:
    """The condition "holds term i at ``scoring.LEVELS[levels[i]]``, or anywhere when its level
    is None" for (run, text) terms (None: cannot say). It is one ``grams`` lookup, which
    PostgreSQL answers together with the match's own in one GIN scan. (Its "anywhere" half may
    also hold documents without the term: candidates may be too many, never too few.)
    """
    found = level_query([run for run, _ in terms], levels, quote_lexeme)
    if found is None:
        return None
    anywhere = [term_plan(text) for (_, text), level in zip(terms, levels, strict=True) if level is None]
    return Sql("d.grams @@ %s::tsquery", [" | ".join([found, *(f"({plan.tsquery})" for plan in anywhere if plan)])])


# --- filters ---------------------------------------------------------------------------------------
def _range(column: str, low: Any, high: Any, low_op: str = ">=", high_op: str = "<=") -> Sql:
    if low is None and high is None:
        return Sql(f"d.{column} IS NOT NULL")
    parts, params = [], []
    if low is not None:
        parts.append(f"d.{column} {low_op} %s")
        params.append(low)
    if high is not None:
        parts.append(f"d.{column} {high_op} %s")
        params.append(high)
    return Sql(" AND ".join(parts), params)


def filter_sql(flt: FieldFilter) -> Sql:
    """One field filter, with the same meaning as the other engines' ``field_filter``."""
    if flt.field in ("project", "type"):
        return Sql(f"d.{'project' if flt.field == 'project' else 'doc_type'} = %s", [flt.value or ""])
    if flt.field == "class":
        code = (flt.value or "").upper()
        column = "class_letter" if len(code) == 1 and code.isalpha() else "class_code"
        return Sql(f"d.{column} = %s", [code])
    if flt.field == "contractor":
        run = run_text(flt.value or "", edges=False)
        return Sql("strpos(d.contractor_run, %s) > 0", [run]) if run.strip() else Sql("FALSE")
    if flt.field == "year":
        return _range("year", flt.low, flt.high)
    if flt.field == "date":
        start = datetime.combine(flt.low, time.min) if flt.low else None  # type: ignore[arg-type]
        end = datetime.combine(flt.high, time.max) if flt.high else None  # type: ignore[arg-type]
        return _range("doc_date", start, end)  # undated documents (NULL) never match a date filter
    if flt.field == "amount":
        return _range("amount", None if flt.low is None else float(flt.low),
                      None if flt.high is None else float(flt.high),
                      ">" if flt.low_exclusive else ">=", "<" if flt.high_exclusive else "<=")
    raise ValueError(f"unknown filter field {flt.field!r}")


def all_of(parts: list[Sql]) -> Sql:
    parts = [part for part in parts if part.text != "TRUE"] or [Sql("TRUE")]
    return Sql(" AND ".join(f"({part.text})" for part in parts), [p for part in parts for p in part.params])
