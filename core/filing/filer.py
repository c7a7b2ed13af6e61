"""Filing and completeness, wired to the catalog: profiles, waivers, confirmations, the report.

``classify`` knows the rules (checklist, applicability, 档号, field, revision and 四性 checks, the
learned suggester) but not the database; this module reads the catalog and the store of originals,
hands plain records to those rules and writes back what the archivist decided — every decision an
event row or a dated row with who made it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from haystack import Document as ReadDocument
from sqlalchemy import select
from sqlalchemy.orm import Session

from classify.archival_code import assign_codes
from classify.checklist import load_checklist
from classify.completeness import ChecklistAssessor
from classify.field_checks import FieldChecker, load_field_rules, vocabulary_problems
from classify.sixing import run_checks
from classify.suggester import NONE, Example, Suggester, SuggesterStore, combine, label_for
from classify.taxonomy import TaxonomyError, load_taxonomy
from core.catalog import Catalog, Document, DocumentText, Project
from core.catalog.history import now, record
from core.catalog.lookups import find_document
from core.catalog.models import Confirmation
from core.catalog.models import ProjectProfile as ProfileRow
from core.catalog.models import Waiver as WaiverRow
from core.errors import ConfigError, InputError, ProjectNotFound
from core.filing.facts import FactBook
from core.settings import Settings
from core.storage.blobstore import BlobStore
from schemas import meta as M
from schemas.completeness import STAGES, CompletenessReport, FiledDocument, ProjectProfile, Waiver
from schemas.documents import Classification
from schemas.taxonomy import Taxonomy

logger = logging.getLogger(__name__)

RECLASSIFIED = "reclassified"
WAIVED = "waived"
PROFILE_SET = "profile_set"


class Filing:
    """Completeness and the archivist's filing decisions for one archive (catalog + originals)."""

    def __init__(self, catalog: Catalog, blobs: BlobStore, settings: Settings) -> None:
        self._catalog = catalog
        self._blobs = blobs
        self._settings = settings
        self._taxonomy: Taxonomy | None = None
        self._assessor: ChecklistAssessor | None = None
        self._fields: FieldChecker | None = None
        self._facts: FactBook | None = None
        self._suggester: tuple[Suggester | None] | None = None  # cached per service; reset on change
        self._loading = threading.Lock()
        self._code_rule: tuple[str, Callable[[str], bool]] | None = None  # the 档号 rule's regex and its memo

    # --- data ------------------------------------------------------------------------------
    @property
    def taxonomy(self) -> Taxonomy:
        self._load()
        assert self._taxonomy is not None
        return self._taxonomy

    @property
    def assessor(self) -> ChecklistAssessor:
        self._load()
        assert self._assessor is not None
        return self._assessor

    def _load(self) -> None:
        """Load the rules once. Thread-safe: the server warms this up on a background thread while
        requests may already ask for it, so nothing is published until everything is loaded
        (``_taxonomy`` last, the flag the properties check).
        """
        if self._taxonomy is not None:
            return
        with self._loading:
            if self._taxonomy is not None:
                return
            override = self._settings.taxonomy_override
            try:
                taxonomy = load_taxonomy(Path(override) if override else None)
                rules = load_checklist(override, taxonomy)
                field_rules = load_field_rules(override)
            except TaxonomyError as exc:
                raise ConfigError(str(exc)) from exc
            problems = vocabulary_problems(taxonomy, field_rules)
            if problems:
                raise ConfigError(f"field vocabulary: {'; '.join(problems)}")
            self._assessor = ChecklistAssessor(taxonomy, rules)
            self._fields = FieldChecker(taxonomy, field_rules)
            self._taxonomy = taxonomy

    # --- completeness ----------------------------------------------------------------------
    def filed_documents(self, project_code: str) -> list[FiledDocument]:
        """Every document of the project as the checklist sees it (filing, fields, text)."""
        with self._catalog.session() as session:
            return _filed_documents(session, _project(session, project_code).id)

    def completeness(self, project_code: str, rehash_originals: bool = True, fresh: bool = True) -> CompletenessReport:
        """The report; ``fresh=False`` reuses what is known of each document unchanged since the last
        report (``core/filing/facts.py``) — the page's way; ``fresh`` reads and examines every one.
        """
        assessor = self.assessor
        with self._catalog.session() as session:
            project = _project(session, project_code)
            project_id = project.id
            kept = self.facts.documents(session, project_id, rehash_originals, fresh)
            profile = _profile(session, project)
            waivers = [Waiver(item_code=w.item_code, reason=w.reason, who=w.who, at=w.at)
                       for w in session.scalars(select(WaiverRow).where(WaiverRow.project_id == project.id))]
        documents = [k.document for k in kept]
        codes = assign_codes(assessor.rules, assessor.taxonomy, project_code,
                             [d for d in documents if d.status == "processed"])
        report = assessor.assess(project_code, documents, profile, waivers,
                                 terms={k.document.id: k.terms for k in kept}, codes=codes)
        report.field_findings = [finding for k in kept for finding in k.findings]
        report.revision_findings = self.facts.revisions(project_id, kept)
        files = [k.stored for k in kept]
        report.sixing = run_checks(files, assessor.rules.sixing, codes, self._code_valid(assessor.rules.archival_code.regex),
                                   registered=len(kept), rehash=rehash_originals)
        return report

    def _code_valid(self, regex: str) -> Callable[[str], bool]:
        """Whether a 档号 fits the rule, remembered per code.

        The rule's pattern costs about 10 µs a code, a tenth of a second for a 10,000-document
        project on every report; the codes of unchanged documents are the same from one report to
        the next, so after a change only the new codes are matched.
        """
        if self._code_rule is None or self._code_rule[0] != regex:
            pattern = re.compile(regex)
            self._code_rule = (regex, lru_cache(maxsize=500_000)(lambda code: pattern.match(code) is not None))
        return self._code_rule[1]

    @property
    def facts(self) -> FactBook:
        """Each document's share of the report, kept while it is unchanged (built with the rules)."""
        self._load()
        if self._facts is None:
            assert self._fields is not None
            self._facts = FactBook(self.assessor.rules.conditions, self._fields, self._stored_path)
        return self._facts

    def _stored_path(self, sha: str) -> Path | None:
        path = self._blobs.path_for(sha)
        return path if path.is_file() else None

    # --- decisions -------------------------------------------------------------------------
    def waive(self, project_code: str, item_code: str, reason: str, who: str) -> Waiver:
        if self.taxonomy.item(item_code) is None:
            raise InputError(f"no checklist item {item_code!r} (expected a code such as C6-7)", item=item_code)
        if not reason.strip():
            raise InputError("a waiver needs a reason (--reason)")
        with self._catalog.session() as session:
            project = _project(session, project_code)
            row = session.scalar(select(WaiverRow).where(WaiverRow.project_id == project.id,
                                                         WaiverRow.item_code == item_code))
            if row is None:
                row = WaiverRow(project_id=project.id, item_code=item_code, reason="", who="", at=now())
                session.add(row)
            row.reason, row.who, row.at = reason.strip(), who, now()
            record(session, None, WAIVED, project=project_code, item_code=item_code, reason=row.reason, who=who)
            return Waiver(item_code=item_code, reason=row.reason, who=who, at=row.at)

    def set_profile(
        self, project_code: str, *, building_type: str | None = None, stage: str | None = None,
        features: list[str] | None = None, who: str = "archivist",
    ) -> ProjectProfile:
        if stage is not None and stage not in STAGES:
            raise InputError(f"stage must be one of {'、'.join(STAGES)}, not {stage!r}")
        with self._catalog.session() as session:
            project = _project(session, project_code)
            row = session.get(ProfileRow, project.id)
            if row is None:
                row = ProfileRow(project_id=project.id, stage=STAGES[-1], updated_at=now())
                session.add(row)
            if building_type is not None:
                row.building_type = building_type
            if stage is not None:
                row.stage = stage
            if features is not None:
                row.features = sorted(set(features))
            row.updated_by, row.updated_at = who, now()
            record(session, None, PROFILE_SET, project=project_code, building_type=row.building_type,
                   stage=row.stage, features=row.features, who=who)
            session.flush()
            return _profile(session, project) or ProjectProfile(project=project_code)

    def reclassify(self, doc_id: str, class_code: str, item_code: str | None, who: str) -> Classification:
        """File a document where the archivist says (``none``: not filed); confirmed, an event, trains next."""
        with self._catalog.session() as session:
            return self.refile(session, doc_id, class_code, item_code, who)

    def refile(self, session: Session, doc_id: str, class_code: str, item_code: str | None,
               who: str) -> Classification:
        """``reclassify`` inside the caller's unit of work, so a bulk action commits all or nothing."""
        class_code, item_code, doc_type = self._target(class_code, item_code)
        doc = find_document(session, doc_id)
        before = {"class_code": doc.class_code, "item_code": doc.item_code, "doc_type": doc.doc_type}
        reason = f"档案员 {who} 确认归档：{item_code or class_code or '不归类'}"
        doc.class_code, doc.item_code, doc.doc_type = class_code, item_code, doc_type
        doc.confidence, doc.needs_review = 1.0, False
        doc.reasons = [reason, *[r for r in (doc.reasons or []) if not r.startswith("档案员 ")]][:8]
        doc.indexed_at, doc.updated_at = None, now()
        row = session.get(Confirmation, doc.id)
        if row is None:
            row = Confirmation(document_id=doc.id, who=who, at=now())
            session.add(row)
        row.class_code, row.item_code, row.who, row.at = class_code, item_code, who, now()
        record(session, doc.id, RECLASSIFIED, before=before, class_code=class_code, item_code=item_code,
               doc_type=doc_type, who=who)
        self._suggester = None  # confirmations changed: the next suggestion retrains first
        return Classification(class_code=class_code, item_code=item_code, doc_type=doc_type,
                              confidence=1.0, reasons=doc.reasons, needs_review=False)

    def _target(self, class_code: str, item_code: str | None) -> tuple[str | None, str | None, str | None]:
        if class_code.lower() in (NONE, "-", "null"):
            return None, None, None
        if "-" in class_code and item_code is None:
            class_code, item_code = class_code.rsplit("-", 1)[0], class_code
        subclass = self.taxonomy.subclass(class_code)
        if subclass is None:
            raise InputError(f"no sub-class {class_code!r} (expected A1…E4, D, or none)", class_code=class_code)
        if item_code is None:
            return class_code, None, None
        item = next((i for i in subclass.items if i.code == item_code), None)
        if item is None:
            raise InputError(f"no item {item_code!r} in sub-class {class_code}", item=item_code)
        return class_code, item_code, item.doc_types[0].name if len(item.doc_types) == 1 else item.name

    # --- the learned suggester ---------------------------------------------------------------
    def suggester(self) -> Suggester | None:
        """The model for the current confirmations (retrained only when they changed)."""
        if self._suggester is None:
            store = SuggesterStore(self._settings.home / "models")
            model, retrained = store.current(self.confirmed_examples())
            if retrained and model is not None:
                logger.info("suggester retrained (%s)", model.version)
            self._suggester = (model,)
        return self._suggester[0]

    def confirmed_examples(self) -> list[Example]:
        with self._catalog.session() as session:
            rows = session.execute(
                select(Confirmation.class_code, Confirmation.item_code, Document.title, DocumentText.content)
                .join(Document, Document.id == Confirmation.document_id)
                .join(DocumentText, DocumentText.document_id == Confirmation.document_id)
            ).all()
        return [Example(title or "", text or "", label_for(c, i)) for c, i, title, text in rows]

    def decide(self, read: ReadDocument) -> Classification:
        """Where a read document is filed: the rules' verdict, then the learned suggester.

        The one decision both ways in use: ingest records it, the dry run (``classify``) shows it,
        so what a dry run says is what ingest would file.
        """
        verdict = Classification.model_validate(read.meta.get(M.CLASSIFICATION) or {})
        model = self.suggester()
        return combine(verdict, model.suggest(read.meta.get(M.TITLE), read.content or "") if model else None)


def _project(session: Session, code: str) -> Project:
    project = session.scalar(select(Project).where(Project.code == code))
    if project is None:
        raise ProjectNotFound(f"no project {code!r} in the archive", project=code)
    return project


def _profile(session: Session, project: Project) -> ProjectProfile | None:
    row = session.get(ProfileRow, project.id)
    if row is None:
        return None
    return ProjectProfile(project=project.code, building_type=row.building_type, stage=row.stage,
                          features=row.features, updated_by=row.updated_by, updated_at=row.updated_at)


def _filed_documents(session: Session, project_id: int) -> list[FiledDocument]:
    confirmed = set(session.scalars(select(Confirmation.document_id)
                                    .join(Document, Document.id == Confirmation.document_id)
                                    .where(Document.project_id == project_id)))
    rows = session.execute(
        select(Document, DocumentText.content)
        .outerjoin(DocumentText, DocumentText.document_id == Document.id)
        .where(Document.project_id == project_id)
        .order_by(Document.received_at, Document.id)
    ).all()
    return [
        FiledDocument(
            id=doc.id, title=doc.title, original_name=doc.original_name, format=doc.format, size=doc.size,
            status=doc.status, quarantine_code=doc.quarantine_code, class_code=doc.class_code,
            item_code=doc.item_code, doc_type=doc.doc_type, confirmed=doc.id in confirmed,
            doc_date=doc.doc_date.isoformat() if doc.doc_date else None, fields=doc.fields or {},
            text=text or "",
        )
        for doc, text in rows
    ]
