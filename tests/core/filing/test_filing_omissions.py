"""Done-when of the completeness issue, as a property: whatever the generator leaves out is exactly
what completeness reports missing — over many random omission sets, not one hand-picked set.

The full sample project is generated, read and filed by jiandang once (its Chinese class folders
included, as an archive receives them from each party); each omission set then drops the documents
the generator made for those items and runs the checklist on what the archive itself filed. So a
document filed under the wrong row, or one copy of a shared B/C form answering for a row it was not
filed under, shows up as a difference between the two sets.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from core import ArchiveService, Settings
from core.catalog import Document
from core.demo.walkthrough import DEMO_PROFILE
from samples import generate_sample_project, sample_items
from schemas.completeness import FiledDocument, ProjectProfile
from schemas.ingest import IngestRequest, IngestSource

PROJECT = "JD-2024-002"
OFFICE = ProjectProfile(project=PROJECT, **DEMO_PROFILE)
ROUNDS = 150
# the B rows of forms GB/T 50328 lists under B and C; the generator writes both parties' copies
SHARED_B_ROWS = frozenset({"B2-2", "B4-1", "B4-3", "B4-4", "B5-1"})  # the ones the 建设单位 must keep


@pytest.fixture(scope="module")
def filed(module_catalog: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ArchiveService, list[FiledDocument], dict[str, str]]]:
    root = tmp_path_factory.mktemp("全套样例")
    project = generate_sample_project(root / "来件", code=PROJECT, write_manifest=False)
    generated = {hashlib.sha256((project.root / f.relative_path).read_bytes()).hexdigest(): f.item_code
                 for f in project.files}
    with ArchiveService(Settings(home=root / "档案室", index_batch_size=128)) as service:
        report = service.ingest(IngestRequest(paths=[project.root], project=PROJECT, source=IngestSource.CLI))
        assert report.counts.ingested == len(project.files)
        documents = service.filing.filed_documents(PROJECT)
        with service.catalog.session() as session:
            shas = dict(session.execute(select(Document.id, Document.sha256)).all())
        yield service, documents, {d.id: generated[shas[d.id]] for d in documents}


def _missing(service: ArchiveService, documents: list[FiledDocument], item_of: dict[str, str],
             omitted: frozenset[str]) -> set[str]:
    kept = [d for d in documents if item_of[d.id] not in omitted]
    return set(service.filing.assessor.assess(PROJECT, kept, OFFICE).missing)


def test_random_omissions_are_reported_exactly(filed) -> None:  # type: ignore[no-untyped-def]
    service, documents, item_of = filed
    full = service.filing.assessor.assess(PROJECT, documents, OFFICE)
    assert full.missing == []
    due = {line.code for line in full.items if line.required and line.status == "present"}
    assert due >= SHARED_B_ROWS
    candidates = sorted(sample_items())
    rng = random.Random(20241123)
    for round_no in range(ROUNDS):
        omitted = frozenset(rng.sample(candidates, rng.randint(1, 12)))
        if round_no % 5 == 0:  # make sure the shared B/C forms are drawn often
            omitted |= {rng.choice(sorted(SHARED_B_ROWS))}
        assert _missing(service, documents, item_of, omitted) == omitted & due, sorted(omitted)


def test_leaving_out_one_party_s_copies_misses_only_that_party_s_rows(filed) -> None:  # type: ignore[no-untyped-def]
    service, documents, item_of = filed
    assert _missing(service, documents, item_of, SHARED_B_ROWS) == set(SHARED_B_ROWS)
    shared_forms = {member.doc_type for rule in service.filing.taxonomy.disambiguation
                    if rule.kind == "shared_form" for member in rule.members}
    contractor = frozenset(item_of[d.id] for d in documents if d.doc_type in shared_forms and item_of[d.id][0] == "C")
    assert len(contractor) >= 4
    full = service.filing.assessor.assess(PROJECT, documents, OFFICE)
    due = {line.code for line in full.items if line.required and line.status == "present"}
    assert _missing(service, documents, item_of, contractor) == contractor & due


def test_the_clean_sample_project_has_no_field_findings(filed) -> None:  # type: ignore[no-untyped-def]
    service, _, _ = filed
    report = service.completeness(PROJECT)
    assert report.field_findings == []
