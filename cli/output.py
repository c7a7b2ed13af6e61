"""Printing for the command line: exactly one JSON document on stdout with ``--json``, readable
tables otherwise; progress and logs always on stderr so scripts can parse stdout.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from schemas.documents import Candidate
from schemas.ingest import FileReport

err_console = Console(stderr=True)
out_console = Console(highlight=False, soft_wrap=True)


def emit_json(payload: BaseModel | dict[str, Any]) -> None:
    data = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


class BarProgress:
    """A progress bar on stderr for batches; silent when stderr is not a terminal."""

    def __init__(self, label: str) -> None:
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
