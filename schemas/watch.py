"""Contracts of the folder watcher: how a watched root is configured and what it reports.

A root is configured once (``[[watch_roots]]`` in ``jiandang.toml``) or built on the fly from
``jiandang watch DIR``; both end up as a :class:`WatchRoot`. The watcher's per-batch report keeps
the exact shape of ``jiandang ingest`` (``files`` + ``counts``) so scripts parse both the same
way, and only *adds* a ``batches`` list saying which files arrived together and what their
checksum manifest said.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import Field, SerializerFunctionWrapHandler, field_validator, model_serializer

from schemas.base import Schema
from schemas.choices import ProjectMapping, WatchMode
from schemas.documents import StatusReport
from schemas.ingest import IngestReport


class AfterArchive(StrEnum):
    """What happens to a source file once its document is durably recorded."""

    LEAVE = "leave"  # the default: read-only shares are never touched
    MOVE = "move"  # into ``archived_folder``, keeping the relative path
    DELETE = "delete"  # only when configured explicitly


class WatchRoot(Schema):
    """One watched share and its rules."""

    path: Path
    mode: WatchMode = WatchMode.AUTO
    poll_interval: float = Field(default=5.0, gt=0, description="seconds between polls (polling mode)")
    stability_window: float = Field(default=5.0, gt=0, description="quiet seconds before a file is taken")
    max_attempts: int = Field(default=6, ge=1, description="content checks before a file is quarantined")
    after_archive: AfterArchive = AfterArchive.LEAVE
    archived_folder: Path | None = Field(default=None, description="where 'move' puts files")
    project_mapping: ProjectMapping = ProjectMapping.FIRST_LEVEL_FOLDER
    project: str | None = Field(default=None, description="project for 'fixed' (and files at the top level)")
    ignore_globs: list[str] = Field(default_factory=list)
    supported_extensions: list[str] | None = None
    done_markers: list[str] = Field(
        default_factory=list,
        description="file names (e.g. \".done\", \"READY\") a producer writes when a delivery is complete; "
                    "when set, files wait for one in their folder or above, and its arrival takes them at once",
    )

    @field_validator("path", "archived_folder", mode="after")
    @classmethod
    def _absolute(cls, value: Path | None) -> Path | None:
        # abspath, not resolve(): watchdog reports paths under the root exactly as it was given.
        return Path(value).expanduser().absolute() if value is not None else None

    def fixed_project(self) -> str | None:
        return self.project if self.project_mapping == ProjectMapping.FIXED else None


class ManifestCheck(Schema):
    """What a batch's checksum manifest said about the files that arrived."""

    manifest: str
    mismatched: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    unlisted: list[str] = Field(default_factory=list)
    malformed: list[str] = Field(default_factory=list)


class BatchSummary(Schema):
    """One batch: the files that arrived in one folder together."""

    batch_id: str
    root: str
    folder: str
    files: int
    manifest: ManifestCheck | None = None


class WatchReport(IngestReport):
    """The ``jiandang ingest`` report plus which batches the files came in."""

    batches: list[BatchSummary] = Field(default_factory=list)


class RootCounts(Schema):
    queued: int = 0
    processing: int = 0
    done: int = 0
    quarantined: int = 0


class WatchStatusReport(StatusReport):
    """``jiandang status``: the archive counts plus the job queue of every watched root.

    ``roots`` is left out while nothing was ever watched, so an archive fed only by
    ``jiandang ingest`` reports exactly the five keys of the original contract.
    """

    roots: dict[str, RootCounts] = Field(default_factory=dict)

    @model_serializer(mode="wrap")
    def _without_empty_roots(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        if not self.roots:
            data.pop("roots", None)
        return data
