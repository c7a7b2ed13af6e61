"""The engine-facing parts of the folder watcher: filter, decide "finished", find manifests.

``core`` owns the loop, the threads and the durable queue; it calls these pieces. Only
``observer`` imports watchdog; the other modules are pure or touch only the files they are given.
"""

from ingest.watch.manifest import (
    MalformedLine,
    Manifest,
    ManifestResult,
    find_done_marker,
    find_manifest,
    parse_manifest,
    verify,
)
from ingest.watch.mounts import choose_mode, filesystem_type, is_network_fs
from ingest.watch.observer import FolderObserver
from ingest.watch.rules import DEFAULT_SUPPORTED_EXTENSIONS, IgnoreRules, should_ignore
from ingest.watch.stability import Decision, DecisionKind, StabilityTracker, file_stat
from ingest.watch.validate import validate_file

__all__ = [
    "DEFAULT_SUPPORTED_EXTENSIONS",
    "Decision",
    "DecisionKind",
    "FolderObserver",
    "IgnoreRules",
    "MalformedLine",
    "Manifest",
    "ManifestResult",
    "StabilityTracker",
    "choose_mode",
    "file_stat",
    "filesystem_type",
    "find_done_marker",
    "find_manifest",
    "is_network_fs",
    "parse_manifest",
    "should_ignore",
    "validate_file",
    "verify",
]
