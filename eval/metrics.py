"""What ``make eval`` reports for one labelled set: accuracy, per-sub-class precision and recall,
the confusion matrix, and the share of documents left unfiled.

A document labelled ``none`` (not a project record) counts as right only when it is left unfiled;
a project document left unfiled counts as wrong at both levels and in the unfiled share.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

NONE = "none"
LETTERS = ("A", "B", "C", "D", "E", NONE)


def _letter(code: str) -> str:
    return NONE if code == NONE else code[:1]


@dataclass
class Score:
    label: str
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (expected, got) of documents read
    unread: list[str] = field(default_factory=list)

    def add(self, expected: str, got: str | None) -> None:
        self.pairs.append((expected, got or NONE))

    @property
    def read(self) -> int:
        return len(self.pairs)

    @property
    def class_accuracy(self) -> float:
        return _share(sum(_letter(e) == _letter(g) for e, g in self.pairs), self.read)

    @property
    def subclass_accuracy(self) -> float:
        return _share(sum(e == g for e, g in self.pairs), self.read)

    @property
    def unfiled_share(self) -> float:
        filed = [g for e, g in self.pairs if e != NONE]
        return _share(sum(g == NONE for g in filed), len(filed))

    def row(self) -> str:
        if not self.read:
            return f"| {self.label} | 0 | – | – | – | {len(self.unread)} |"
        return (f"| {self.label} | {self.read} | {self.class_accuracy:.1%} | {self.subclass_accuracy:.1%} "
                f"| {self.unfiled_share:.1%} | {len(self.unread)} |")

    def per_subclass(self) -> list[str]:
        """Precision and recall per sub-class (and for "not filed"), as table rows."""
        codes = sorted({c for pair in self.pairs for c in pair}, key=lambda c: (c == NONE, c))
        lines = ["| sub-class | labelled | filed there | precision | recall |", "|---|---|---|---|---|"]
        for code in codes:
            labelled = sum(e == code for e, _ in self.pairs)
            filed = sum(g == code for _, g in self.pairs)
            right = sum(e == g == code for e, g in self.pairs)
            precision = f"{right / filed:.0%}" if filed else "–"
            recall = f"{right / labelled:.0%}" if labelled else "–"
            lines.append(f"| {code} | {labelled} | {filed} | {precision} | {recall} |")
        return lines

    def class_matrix(self) -> list[str]:
        """Expected class (rows) × filed class (columns), ``none`` = not filed."""
        counts = Counter((_letter(e), _letter(g)) for e, g in self.pairs)
        head = "| expected \\ filed | " + " | ".join(LETTERS) + " |"
        lines = [head, "|---" * (len(LETTERS) + 1) + "|"]
        for row in LETTERS:
            if any(counts[(row, col)] for col in LETTERS):
                cells = " | ".join(str(counts[(row, col)] or "·") for col in LETTERS)
                lines.append(f"| {row} | {cells} |")
        return lines

    def confusions(self, limit: int = 20) -> list[str]:
        wrong = Counter((e, g) for e, g in self.pairs if e != g)
        return [f"  expected {e:>4} → filed {g:>4}  ×{n}" for (e, g), n in wrong.most_common(limit)]

    def report(self, details: bool = True) -> list[str]:
        lines = [f"\n### {self.label}\n", *self.class_matrix()]
        if details:
            lines += ["", *self.per_subclass()]
        lines += ["", "confusions (sub-class):", *(self.confusions() or ["  none"])]
        lines += [f"  unread: {u}" for u in self.unread]
        return lines


@dataclass
class Spread:
    """Accuracy over repeated folds: mean ± standard deviation."""

    label: str
    class_scores: list[float] = field(default_factory=list)
    subclass_scores: list[float] = field(default_factory=list)
    unfiled: list[float] = field(default_factory=list)
    documents: int = 0

    repeats: int = 1

    def add(self, score: Score) -> None:
        self.class_scores.append(score.class_accuracy)
        self.subclass_scores.append(score.subclass_accuracy)
        self.unfiled.append(score.unfiled_share)
        self.documents += score.read

    def row(self) -> str:
        per_round = round(self.documents / self.repeats)
        return (f"| {self.label} | {per_round} | {_mean_sd(self.class_scores)} | "
                f"{_mean_sd(self.subclass_scores)} | {_mean_sd(self.unfiled)} | – |")


def table_head() -> list[str]:
    return ["| set | read | class | sub-class | unfiled | unread |", "|---|---|---|---|---|---|"]


def _mean_sd(values: list[float]) -> str:
    if not values:
        return "–"
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.1%} ± {sd:.1%}"


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
