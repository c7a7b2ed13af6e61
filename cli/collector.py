"""The garbage collector while a command starts and when it ends (issue 19: start-up).

A command's start imports SQLAlchemy, pydantic, the catalog models and, for a search, the engine:
several hundred thousand objects that live until the process ends and are never garbage. With
the default thresholds the collector scanned them again and again while they were made (about 200
collections, 0.09–0.13 s of ``jiandang search``), and four more full collections ran over all of
them as the interpreter shut down (about 0.2 s): together a quarter of the search's 1.2 s.

So, for a process started as ``jiandang`` (``cli.application.JiandangTyper.__call__``, not
``CliRunner`` nor a test that imports the commands):

- while it starts (``starting``), the youngest generation is collected after 200,000 new objects
  instead of 700: more than a search's start makes (about 110,000), so its imports are not scanned
  at all; the collector still runs, so a command that never gets to ``started`` (one that does not
  open the archive through ``_service``) is still collected, in larger batches;
- once the archive service is built (``started``, from ``cli.main._service``), what exists is
  frozen (``gc.freeze``: kept out of every later scan) and the default thresholds come back, so a
  long command (ingest, reindex, serve) collects its own garbage as usual, over its own objects;
- when the command returns or exits (``ending``), everything is frozen again: the collections at
  interpreter shutdown then have nothing to scan. What is alive then is handed back to the
  operating system with the process; the archive's files, catalog and index are written and
  closed by the command itself (context managers, ``ArchiveService.close``), never by a finalizer
  that runs only when the collector frees a reference cycle.
"""

from __future__ import annotations

import gc

STARTING_THRESHOLD = 200_000  # new objects between collections of the youngest generation while starting

_defaults: tuple[int, int, int] | None = None  # the thresholds before ``starting``; None: not starting


def starting() -> None:
    """Collect rarely while the command's modules are imported."""
    global _defaults
    if _defaults is None:
        _defaults = gc.get_threshold()
        gc.set_threshold(STARTING_THRESHOLD, *_defaults[1:])


def started() -> None:
    """Start-up is over: freeze what it made and collect as usual from here on (a no-op unless ``starting`` ran)."""
    global _defaults
    if _defaults is not None:
        gc.freeze()
        gc.set_threshold(*_defaults)
        _defaults = None


def ending() -> None:
    """Leave what is alive to the operating system instead of to the shutdown's collections."""
    gc.freeze()

