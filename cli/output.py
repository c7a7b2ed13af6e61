"""Printing for the command line: exactly one JSON document on stdout with ``--json``, readable
tables otherwise; progress and logs always on stderr so scripts can parse stdout.
"""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:  # rich's progress bars and the pydantic models load when a command uses them
    from pydantic import BaseModel

    from schemas.documents import Candidate
    from schemas.ingest import FileReport

err_console = Console(stderr=True)
out_console = Console(highlight=False, soft_wrap=True)


# Characters that move the cursor, recolour the terminal or reorder text (C0/C1 controls, DEL, line and
# paragraph separators, bidi overrides): a file name carrying one must not rewrite the archivist's screen.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(text: object) -> str:
    """Text from a file (a name, a reason) made safe to print: controls escaped, markup inert."""
    visible = _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))
    return escape(visible)


def emit_json(payload: BaseModel | dict[str, Any]) -> None:
    data = payload if isinstance(payload, dict) else payload.model_dump(mode="json")
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


class BarProgress:
    """A progress bar on stderr for batches; silent when stderr is not a terminal."""

    def __init__(self, label: str) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._label = label
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            disable=not err_console.is_terminal,
            transient=False,
        )
        self._task: Any = None

    def __enter__(self) -> BarProgress:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(*exc)  # type: ignore[arg-type]

    def start(self, total: int) -> None:
        self._task = self._progress.add_task(self._label, total=total)

    def advance(self, report: FileReport) -> None:
        if self._task is not None:
            self._progress.advance(self._task)


def print_candidates(console: Console, candidates: list[Candidate]) -> None:
    """The three places a document could be filed, each with its first reason (``jiandang classify``)."""
    if len(candidates) < 2:
        return
    console.print("    候选：")
    for rank, candidate in enumerate(candidates, start=1):
        place = " ".join(p for p in (candidate.class_code or "不归类", candidate.item_code, candidate.doc_type) if p)
        why = f" — {candidate.reasons[0]}" if candidate.reasons else ""
        console.print(f"      {rank}. {place}（{candidate.score:.2f}）{why}")
