"""``python -m eval.relevance``: do searches find every document they should, best ones first?

Two collections: the generated sample project (read from neutral file names, as the archive
reads it) and the real documents in ``../shared/corpus/real`` (copied under neutral names at run
time; skipped when absent). Each collection goes into a fresh index of each backend, and every
query of ``eval/labels/relevance_<collection>.yaml`` runs on it.

The judgements are data, and they look only at a document's extracted text, never its file
name:

* **exact recall** — for an exact keyword query, the documents whose text contains all of
  ``all`` (and none of ``none``; at least one of ``any`` when given) are computed from the text
  here, independently of the search code (plain normalised substring search); every one must be
  returned, and nothing else.
* **precision in the top 10** — a hit is relevant when a judged ``topic`` word is in its title,
  or every topic word (any, with ``topic_any``) is mentioned at least ``mentions`` times in its
  text: a document *about* the subject, not one passing mention. Precision counts relevant hits among the first k, k = min(10, relevant documents):
  a query with three relevant documents must rank those three first.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from haystack import Document

from core.reading.reader import DocumentReader
from samples import generate_sample_project
from schemas import meta as M
from schemas.search import SearchQuery
from search import BACKENDS, open_store

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "eval" / "labels"
REAL_CORPUS = REPO.parent / "shared" / "corpus" / "real"
RECALL_TARGET = 1.0
PRECISION_TARGET = 0.9
TOP = 10
_HAN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# one Chinese character, or a run of other letters/digits (c30, φ12, hrb400) kept whole
_PIECE = re.compile(rf"[{_HAN}]|(?:(?![{_HAN}])[^\W_])+")
_LATIN_EDGE = re.compile(rf"(?![{_HAN}])[^\W_]")


# --- judging by text -------------------------------------------------------------------------
def normalise(text: str) -> str:
    """NFKC + casefold, whitespace and punctuation removed (Chinese text has no spaces), except
    that two runs of other letters/digits stay apart (``GB 50411`` is not ``gb50411``).
    """
    pieces = _PIECE.findall(unicodedata.normalize("NFKC", text).casefold())
    out = []
    for previous, piece in zip(["", *pieces], pieces, strict=False):
        if previous and _LATIN_EDGE.match(previous[-1]) and _LATIN_EDGE.match(piece[0]):
            out.append(" ")
        out.append(piece)
    return "".join(out)


def count_mentions(text: str, term: str) -> int:
    """How often ``term`` occurs in ``text`` after ``normalise``; a term that starts or ends with
    a letter or digit (not Chinese) must not continue a longer run of them (``C30`` is not in
    ``C300``, ``Φ`` not in ``Φ12``).
    """
    needle = normalise(term)
    if not needle:
        return 0
    before = rf"(?<!{_LATIN_EDGE.pattern})" if _LATIN_EDGE.match(needle[0]) else ""
    after = rf"(?!{_LATIN_EDGE.pattern})" if _LATIN_EDGE.match(needle[-1]) else ""
    return len(re.findall(before + re.escape(needle) + after, normalise(text)))


def document_text(doc: Document) -> str:
    return f"{doc.meta.get(M.TITLE) or ''}\n{doc.content or ''}"


@dataclass(frozen=True)
class Judgement:
    """One labelled query (see the module docstring for what the fields mean)."""

    query: str
    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()  # relevant: any in the title, or each mentioned `mentions` times
    topic_any: bool = False  # … or any one mentioned `mentions` times (for OR queries)
    mentions: int = 2

    @property
    def exact(self) -> bool:
        return bool(self.all or self.any)

    def matches(self, doc: Document) -> bool:
        text = document_text(doc)
        return (
            all(count_mentions(text, t) for t in self.all)
            and (not self.any or any(count_mentions(text, t) for t in self.any))
            and not any(count_mentions(text, t) for t in self.none)
        )

    def relevant(self, doc: Document) -> bool:
        if self.exact and not self.matches(doc):
            return False  # a document without the query's terms is not an answer to it
        if not self.topic:
            return True
        title, content = str(doc.meta.get(M.TITLE) or ""), doc.content or ""
        if any(count_mentions(title, term) for term in self.topic):
            return True
        often = [count_mentions(content, term) >= self.mentions for term in self.topic]
        return any(often) if self.topic_any else all(often)


def load_judgements(collection: str) -> list[Judgement]:
    entries = yaml.safe_load((LABELS / f"relevance_{collection}.yaml").read_text(encoding="utf-8"))
    judgements = []
    for entry in entries["queries"]:
        judgements.append(
            Judgement(
                query=entry["query"],
                all=tuple(entry.get("all", ())),
                any=tuple(entry.get("any", ())),
                none=tuple(entry.get("none", ())),
                topic=tuple([entry["topic"]] if isinstance(entry.get("topic"), str) else entry.get("topic", ())),
                topic_any=bool(entry.get("topic_any", False)),
                mentions=int(entry.get("mentions", 2)),
            )
        )
    return judgements


# --- collections -------------------------------------------------------------------------------
def _read_all(paths: Iterable[Path]) -> list[Document]:
    """Read files as the archive does, under neutral names; ids are neutral too (d001, …)."""
    reader = DocumentReader(neutralise_file_names=True)
    documents = []
    for number, path in enumerate(paths, start=1):
        outcome = reader.read(path, f"文件{number:03d}{path.suffix}", {})
        if outcome.document is not None:
            documents.append(Document(id=f"d{number:03d}", content=outcome.document.content,
                                      meta=dict(outcome.document.meta)))
    return documents


def sample_documents(work: Path) -> list[Document]:
    project = generate_sample_project(work / "sample", layout="flat", write_manifest=False)
    return _read_all(project.root / sample.relative_path for sample in project.files)


def real_documents(work: Path) -> list[Document] | None:
    """The real documents, read from a temporary copy; None when the corpus is absent."""
    if not REAL_CORPUS.is_dir():
        return None
    copy = work / "real"
    copy.mkdir(parents=True)
    paths = []
    for number, source in enumerate(sorted(p for p in REAL_CORPUS.iterdir() if p.is_file() and p.suffix != ".md")):
        target = copy / f"文件{number:03d}{source.suffix}"
        shutil.copyfile(source, target)
        paths.append(target)
    return _read_all(paths)


# --- scoring -------------------------------------------------------------------------------------
@dataclass
class QueryScore:
    query: str
    recall: float | None  # None: not an exact query
    extra: int  # returned but not containing the terms
    precision: float
    failures: list[str] = field(default_factory=list)


def score_query(store: object, judgement: Judgement, documents: list[Document]) -> QueryScore:
    page = store.search(SearchQuery(text=judgement.query, limit=1000, facets=False))  # type: ignore[attr-defined]
    returned = [hit.document for hit in page.hits]
    returned_ids = {doc.id for doc in returned}
    recall, extra, failures = None, 0, []
    if judgement.exact:
        truth = {doc.id for doc in documents if judgement.matches(doc)}
        recall = len(truth & returned_ids) / len(truth) if truth else 1.0
        extra = len(returned_ids - truth)
        if recall < RECALL_TARGET:
            failures.append(f"missed {sorted(truth - returned_ids)}")
        if extra:
            failures.append(f"{extra} returned without the terms")
    relevant = {doc.id for doc in documents if judgement.relevant(doc)}
    k = min(TOP, len(relevant))
    precision = 1.0 if k == 0 else sum(1 for doc in returned[:k] if doc.id in relevant) / k
    if precision < PRECISION_TARGET:
        failures.append(f"precision {precision:.0%} in the top {k}")
    return QueryScore(judgement.query, recall, extra, precision, failures)


def evaluate(backend: str, documents: list[Document], judgements: list[Judgement], work: Path) -> list[QueryScore]:
    store = open_store(backend, work / f"index-{backend}", recreate=True)
    store.write_documents(documents)
    return [score_query(store, judgement, documents) for judgement in judgements]


def summary_row(collection: str, backend: str, scores: list[QueryScore]) -> str:
    exact = [s for s in scores if s.recall is not None]
    full_recall = sum(1 for s in exact if s.recall == 1.0 and s.extra == 0)
    precisions = [s.precision for s in scores]
    return (f"| {collection} | {backend} | {len(scores)} | {full_recall}/{len(exact)} | "
            f"{statistics.mean(precisions):.1%} | {min(precisions):.0%} | "
            f"{sum(1 for p in precisions if p >= PRECISION_TARGET)}/{len(scores)} |")


def run(work: Path, collections: list[str], backends: list[str]) -> bool:
    print("| collection | backend | queries | exact recall 100 % and nothing extra | mean precision@10 "
          "| lowest | queries ≥ 90 % |")
    print("|---|---|---|---|---|---|---|")
    failures: list[str] = []
    passed = True
    for collection in collections:
        documents = sample_documents(work) if collection == "sample" else real_documents(work)
        if documents is None:
            print(f"| {collection} | – | skipped: {REAL_CORPUS} is absent | | | | |")
            continue
        judgements = load_judgements(collection)
        for backend in backends:
            scores = evaluate(backend, documents, judgements, work / collection)
            print(summary_row(collection, backend, scores))
            failures += [f"{collection}/{backend} {s.query!r}: {'; '.join(s.failures)}" for s in scores if s.failures]
            exact_ok = all(s.recall in (None, 1.0) and not s.extra for s in scores)
            passed = passed and exact_ok and statistics.mean(s.precision for s in scores) >= PRECISION_TARGET
    if failures:
        print("\nqueries below a per-query target (recall must be 100 %; precision counts on average):")
        for line in failures:
            print(f"- {line}")
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collection", action="append", choices=["sample", "real"],
                        help="default: both (real is skipped when the corpus is absent)")
    parser.add_argument("--backend", action="append", choices=sorted(BACKENDS), help="default: all")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jiandang-relevance-") as tmp:
        ok = run(Path(tmp), args.collection or ["sample", "real"], args.backend or sorted(BACKENDS))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
