"""``jiandang demo`` / ``make run``: a realistic sample project taken through the whole flow.

The generated project knows where each of its files belongs, so the demo can show not only that
files went in and can be found, but how many were filed under the right class.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from core.catalog import Document
from core.security.audit import AuditAction
from schemas.demo import DemoClassRow, DemoLogin, DemoReport, DemoSearch
from schemas.ingest import IngestRequest, IngestSource
from schemas.projects import NewProject, ProjectChange
from schemas.search import SearchQuery

if TYPE_CHECKING:  # the generator loads when a demo is built, not when `serve` asks whether one exists
    from samples import SampleProject

DEMO_CODE = "JD-2024-001"
DEMO_NAME = "市机关办公楼节能改造工程"
DEMO_RECORD = NewProject(code=DEMO_CODE, name=DEMO_NAME, owner="市机关事务管理局",
                         figures={"建筑面积": "18,600 ㎡", "投资额": "1,498 万元", "建设地点": "江城市府前路 18 号"})
# The sample project is an office retrofit: none of the conditional features of the checklist
# (预应力, 网架, 木结构, 自动扶梯, 锅炉, 桩基, 锚杆, 外墙面砖 …; classify/data/checklist.yaml) applies.
# Declaring that in its profile is what an archivist does once per project.
DEMO_PROFILE = {"building_type": "办公", "stage": "竣工", "features": ["幕墙", "钢结构", "电梯", "建筑节能"]}
DEMO_QUERIES = ("设计变更", "防水", "墙", '"隐蔽工程验收记录"', "竣工图 建施", "监理 -月报")


def run_demo(service, progress_factory: Callable[[], object] | None = None) -> DemoReport:  # type: ignore[no-untyped-def]
    """Generate (once) the sample project under the archive home, ingest it, search it."""
    root = service.settings.home / "demo-sources" / DEMO_CODE
    from samples import generate_sample_project

    project = generate_sample_project(root, code=DEMO_CODE, name=DEMO_NAME, write_manifest=False)
    _project_record(service)
    request = IngestRequest(paths=[root], project=DEMO_CODE, source=IngestSource.DEMO)
    if progress_factory is None:
        report = service.ingest(request)
    else:
        with progress_factory() as bar:  # type: ignore[attr-defined]
            report = service.ingest(request, bar)
    service.set_project_profile(DEMO_CODE, who="demo", **DEMO_PROFILE)  # filing and completeness
    filed = _filed_classes(service, report.files)
    rows, class_hits, subclass_hits = _score(project, root, filed)
    searches = []
    for text in DEMO_QUERIES:
        result = service.search(SearchQuery(text=text, project=DEMO_CODE, limit=3))
        searches.append(DemoSearch(query=text, total=result.total, top=[h.title or "" for h in result.hits]))
    total = len(project.files) or 1
    return DemoReport(
        project=DEMO_CODE,
        project_name=DEMO_NAME,
        source_dir=str(root),
        files=len(report.files),
        counts=report.counts,
        class_accuracy=round(class_hits / total, 3),
        subclass_accuracy=round(subclass_hits / total, 3),
        needs_review=sum(1 for _, review in filed.values() if review),
        by_class=rows,
        searches=searches,
        first_login=_first_admin(service),
    )


def _project_record(service) -> None:  # type: ignore[no-untyped-def]
    """The sample project as a record (name, 建设单位, figures), made before its files arrive."""
    if not service.projects.exists(DEMO_CODE):
        service.projects.add(DEMO_RECORD, who="jiandang demo")
    elif service.projects.summary(DEMO_CODE).name in (None, DEMO_CODE):  # an archive of an older demo
        service.projects.change(DEMO_CODE, ProjectChange(name=DEMO_NAME, owner=DEMO_RECORD.owner,
                                                         figures=DEMO_RECORD.figures), who="jiandang demo")


def _first_admin(service) -> DemoLogin | None:  # type: ignore[no-untyped-def]
    """On an archive with no accounts, create ``admin`` with a random password and say it once.

    The password is not stored anywhere but as a hash, so a second demo run has nothing to show:
    ``jiandang user passwd admin`` resets it.
    """
    if service.accounts.users():
        return None
    password = secrets.token_urlsafe(12)
    service.accounts.add_user("admin", "admin", password, display_name="管理员")
    service.audit.append("jiandang demo", AuditAction.USER_ADD, "admin", role="admin")
    return DemoLogin(username="admin", password=password)


def _filed_classes(service, files) -> dict[str, tuple[str | None, bool]]:  # type: ignore[no-untyped-def]
    """source path → (class_code, needs_review) as the catalog has them now."""
    filed: dict[str, tuple[str | None, bool]] = {}
    with service.catalog.session() as session:
        for line in files:
            doc = session.get(Document, line.document_id) if line.document_id else None
            filed[line.path] = (doc.class_code, doc.needs_review) if doc else (None, True)
    return filed


def _score(project: SampleProject, root: Path, filed: dict[str, tuple[str | None, bool]]):  # type: ignore[no-untyped-def]
    expected = Counter(f.class_code for f in project.files)
    correct: Counter[str] = Counter()
    class_hits = 0
    for sample in project.files:
        got, _ = filed.get(str(root / sample.relative_path), (None, True))
        if got and got[0] == sample.class_code[0]:
            class_hits += 1
        if got == sample.class_code:
            correct[sample.class_code] += 1
    rows = [DemoClassRow(class_code=c, expected=expected[c], filed_correctly=correct[c]) for c in sorted(expected)]
    return rows, class_hits, sum(correct.values())
