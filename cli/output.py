"""Printing for the command line: exactly one JSON document on stdout with ``--json``, readable
tables otherwise; progress and logs always on stderr so scripts can parse stdout.
"""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # rich and the pydantic models load when a command prints with them
    from pydantic import BaseModel
    from rich.console import Console

    from schemas.documents import Candidate
    from schemas.ingest import FileReport


class _ConsoleWhenUsed:
    """A rich ``Console`` made on its first use: a command that prints JSON (``--json``) or plain
    help never imports rich (0.02–0.03 s of every such command's start, issue 19).
    """

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:  # print, is_terminal, …: the console's own
        return getattr(self.console, name)


def real_console(console: Console) -> Console:
    """The rich ``Console`` itself, for rich's own classes (progress bars) that keep it."""
    return console.console if isinstance(console, _ConsoleWhenUsed) else console


err_console = cast("Console", _ConsoleWhenUsed(stderr=True))
out_console = cast("Console", _ConsoleWhenUsed(highlight=False, soft_wrap=True))


# Characters that move the cursor, recolour the terminal or reorder text (C0/C1 controls, DEL, line and
# paragraph separators, bidi overrides): a file name carrying one must not rewrite the archivist's screen.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(text: object) -> str:
    """Text from a file (a name, a reason) made safe to print: controls escaped, markup inert."""
    from rich.markup import escape

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
            console=real_console(err_console),
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
