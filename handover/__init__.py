"""Handover bundles (BagIt) for asset managers and the 城建档案馆: build, inventories, verification.

``build_bundle`` writes one bag from a ``schemas.handover.HandoverRequest`` that core assembled
from the catalog; ``verify_bundle`` checks a bag (folder or zip) without needing the catalog.
The manifest's JSON Schema is package data: ``handover/schema/manifest.schema.json``.
"""

from handover.builder import build_bundle
from handover.errors import (
    BundleNotFound,
    HandoverError,
    ManifestInvalid,
    OriginalDamaged,
    OriginalMissing,
    OutputExists,
)
from handover.manifest import manifest_schema, schema_problems
from handover.verify import verify_bundle

__all__ = [
    "BundleNotFound",
    "HandoverError",
    "ManifestInvalid",
    "OriginalDamaged",
    "OriginalMissing",
    "OutputExists",
    "build_bundle",
    "manifest_schema",
    "schema_problems",
    "verify_bundle",
]
