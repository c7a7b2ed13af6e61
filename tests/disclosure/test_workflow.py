"""The workflow on a real archive: nothing unapproved is ever published, approval takes a second
person with the approve permission, a published version is immutable (down to the database), its
files keep their sha256 and are on the audit trail, and a retraction keeps the old version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from core.errors import PermissionDenied, StateConflict
from disclosure.render.guard import html_text
from schemas.ingest import IngestRequest
from tests.disclosure.conftest import (
    APPROVER,
    ARCHIVIST,
    AUDITOR,
    CODE,
    SECOND_ARCHIVIST,
    PlantedArchive,
    build,
)
from tests.files import write_docx

pytestmark = [pytest.mark.integration]


@pytest.fixture(scope="module")
def archive(module_catalog: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlantedArchive]:
    yield build(tmp_path_factory.mktemp("workflow"))


def _audit(service, action: str) -> list:  # type: ignore[no-untyped-def]
    return service.audit.page(action=action, limit=50).items


def test_no_step_skips_approval_and_approval_needs_a_second_person_with_the_permission(archive: PlantedArchive) -> None:
    with archive.service() as service:
        room = service.disclosure
        draft = room.draft(CODE, ARCHIVIST)
        with pytest.raises(StateConflict, match="草稿的版本不能发布"):
            room.act(CODE, draft.number, "publish", ARCHIVIST)
        with pytest.raises(StateConflict, match="不能批准"):
            room.act(CODE, draft.number, "approve", APPROVER)
        room.act(CODE, draft.number, "review", ARCHIVIST)
        with pytest.raises(StateConflict, match="已审核的版本不能发布"):
            room.act(CODE, draft.number, "publish", ARCHIVIST)
        with pytest.raises(PermissionDenied):
            room.act(CODE, draft.number, "approve", SECOND_ARCHIVIST)  # an archivist may not approve
        with pytest.raises(PermissionDenied):
            room.act(CODE, draft.number, "review", AUDITOR)
        with pytest.raises(PermissionDenied, match="不是本档案室的有效用户"):
            room.act(CODE, draft.number, "approve", "冒名者")
        with pytest.raises(StateConflict, match="须写明理由"):
            room.act(CODE, draft.number, "return", ARCHIVIST, reason=" ")
        version = room.version(CODE, draft.number)
        assert version.state.value == "reviewed" and version.files == [] and version.package_sha256 is None


def test_publish_stores_the_approved_content_only_with_sha256_on_the_audit_trail(archive: PlantedArchive,
                                                                                tmp_path: Path) -> None:
    with archive.service() as service:
        room = service.disclosure
        number = room.draft(CODE, ARCHIVIST).number  # the reviewed version is superseded by a new draft
        room.act(CODE, number, "review", ARCHIVIST)
        approved = room.act(CODE, number, "approve", APPROVER)
        assert approved.approved_by == APPROVER
        late = archive.source / "late"
        late.mkdir()
        write_docx(late / "设计变更通知单（结施-变-99）.docx", "设计变更通知单",
                   ["变更编号：结施-变-99", "变更原因：批准之后才归档的变更", "增加费用：12,345.00元", "变更日期：2025年3月3日"])
        service.ingest(IngestRequest(paths=[late], project=CODE))
        published = room.act(CODE, number, "publish", ARCHIVIST)
        assert published.state.value == "published" and published.package_sha256
        files, _content, meta = room.package(CODE)
        assert meta.version == number and not meta.draft
        assert "批准之后才归档的变更" not in html_text(files["index.html"])  # never approved, never published
        manifest = json.loads(files["manifest.json"])
        assert hashlib.sha256(files["manifest.json"]).hexdigest() == published.package_sha256
        for listed in manifest["files"]:
            assert hashlib.sha256(files[listed["name"]]).hexdigest() == listed["sha256"]
        entry = _audit(service, "disclosure.publish")[0]
        assert entry.actor == ARCHIVIST and entry.detail["package_sha256"] == published.package_sha256
        assert [e.actor for e in _audit(service, "disclosure.approve")][:1] == [APPROVER]
        out, _c, _m = room.export(CODE, tmp_path / "out", ARCHIVIST)
        for name, data in files.items():
            assert (out / name).read_bytes() == data
        assert "草稿" not in html_text(files["index.html"])
        assert room.preview(CODE) is not None  # the late change shows in the next draft only
        assert any("批准之后才归档的变更" in (f.value or "") for c in room.preview(CODE).categories
                   for i in c.items for f in i.fields)


def test_a_published_version_cannot_change_even_in_the_database(archive: PlantedArchive) -> None:
    with archive.service() as service:
        number = next(h.number for h in service.disclosure.history(CODE) if h.state.value == "published")
        with service.catalog.session() as session, pytest.raises(DatabaseError, match=r"cannot change|append-only"):
            session.execute(text("UPDATE disclosure_versions SET content = '{}' WHERE number = :n"), {"n": number})
            session.flush()
        with service.catalog.session() as session, pytest.raises(DatabaseError, match="append-only"):
            session.execute(text("UPDATE disclosure_files SET data = :data"), {"data": b"\x00"})  # a blob on either engine
            session.flush()
        with service.catalog.session() as session, pytest.raises(DatabaseError):
            session.execute(text("DELETE FROM disclosure_versions WHERE number = :n"), {"n": number})
            session.flush()
        with pytest.raises(StateConflict, match="已发布的版本不能"):
            service.disclosure.act(CODE, number, "review", ARCHIVIST)


def test_withheld_items_and_the_reviewers_redactions_stay_out(archive: PlantedArchive) -> None:
    with archive.service() as service:
        room = service.disclosure
        draft = room.draft(CODE, ARCHIVIST)
        award = next(i for c in draft.content.categories for i in c.items if i.name == "中标结果（施工）")
        winner = next(f.value for f in award.fields if f.label == "中标人")
        room.withhold(CODE, award.key, "涉及商业秘密，依申请公开", ARCHIVIST)
        version = room.add_redaction(CODE, winner, "审核人要求隐去", SECOND_ARCHIVIST)
        manual = [r for r in version.content.redactions if r.kind == "manual"]
        assert manual and manual[0].by == SECOND_ARCHIVIST and manual[0].original == winner
        files, content, _meta = room.package(CODE, version.number)
        assert winner not in html_text(files["index.html"])
        assert all(i.key != award.key for c in content.categories for i in c.published_items)
        room.act(CODE, version.number, "review", ARCHIVIST)
        with pytest.raises(StateConflict, match="不能修改"):
            room.add_redaction(CODE, "任何文字", None, ARCHIVIST)
        room.act(CODE, version.number, "return", ARCHIVIST, reason="补充说明")
        assert room.version(CODE).state.value == "draft"


def test_retraction_keeps_the_old_version_and_states_why(archive: PlantedArchive) -> None:
    with archive.service() as service:
        room = service.disclosure
        first = next(h for h in room.history(CODE) if h.state.value == "published")
        before, _c, _m = room.package(CODE, first.number)
        with pytest.raises(PermissionDenied):
            room.act(CODE, first.number, "retract", ARCHIVIST, reason="错误")
        with pytest.raises(StateConflict, match="须写明理由"):
            room.act(CODE, first.number, "retract", APPROVER)
        retracted = room.act(CODE, first.number, "retract", APPROVER, reason="合同价录入有误，更正后重新发布")
        assert retracted.state.value == "retracted" and retracted.retraction_reason == "合同价录入有误，更正后重新发布"
        kept, _c, meta = room.package(CODE, first.number)
        assert kept == before and meta.state.value == "retracted"  # the old files, byte for byte
        entry = next(h for h in room.history(CODE) if h.number == first.number)
        assert entry.retracted_by == APPROVER and entry.package_sha256 == first.package_sha256
        assert _audit(service, "disclosure.retract")[0].detail["reason"] == "合同价录入有误，更正后重新发布"
        _files, _content, now_meta = room.package(CODE)  # nothing standing: the preview, marked 草稿
        assert now_meta.draft


def test_the_due_list_and_overdue_items_follow_publication(archive: PlantedArchive) -> None:
    with archive.service() as service:
        room = service.disclosure
        overdue = room.overdue()
        assert overdue and all(r.project == CODE and r.status == "overdue" for r in overdue)  # nothing stands now
        number = room.draft(CODE, ARCHIVIST).number
        room.withhold(CODE, overdue[0].key, "依申请公开", ARCHIVIST)
        room.act(CODE, number, "review", ARCHIVIST)
        room.act(CODE, number, "approve", APPROVER)
        room.act(CODE, number, "publish", ARCHIVIST)
        statuses = {r.key: r.status for r in room.due(CODE)}
        assert statuses[overdue[0].key] == "withheld"
        assert set(statuses.values()) <= {"disclosed_late", "withheld", "undated", "pending"}
        assert "disclosed_late" in statuses.values()
        assert room.overdue() == []


def test_the_workflow_from_the_command_line(archive: PlantedArchive, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    cli = CliRunner(env={"JIANDANG_HOME": str(archive.home), "JIANDANG_USER": ARCHIVIST})

    def run(*args: str) -> dict:
        result = cli.invoke(app, [*args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    number = run("disclosure", "draft", CODE, "--by", ARCHIVIST)["number"]
    refused = cli.invoke(app, ["disclosure", "publish", CODE, str(number), "--by", ARCHIVIST])
    assert refused.exit_code == 2 and "草稿的版本不能发布" in refused.output
    assert cli.invoke(app, ["disclosure", "approve", CODE, str(number), "--by", APPROVER]).exit_code == 2
    run("disclosure", "review", CODE, str(number), "--by", ARCHIVIST)
    assert cli.invoke(app, ["disclosure", "approve", CODE, str(number), "--by", SECOND_ARCHIVIST]).exit_code == 1
    run("disclosure", "approve", CODE, str(number), "--by", APPROVER)
    published = run("disclosure", "publish", CODE, str(number), "--by", ARCHIVIST)
    assert published["state"] == "published"
    summary = run("disclose", CODE, "--out", str(tmp_path / "公告栏"))
    manifest = (tmp_path / "公告栏" / "manifest.json").read_bytes()
    assert hashlib.sha256(manifest).hexdigest() == published["package_sha256"]
    assert summary["categories"][2]["name"] == "招标投标信息" and summary["categories"][2]["items"] > 0
    history = run("disclosure", "history", CODE)["versions"]
    assert history[0]["number"] == number and history[0]["state"] == "published"
    due = run("disclosure", "due", CODE)["items"]
    assert due and {row["status"] for row in due} <= {"disclosed_late", "withheld", "undated", "pending"}


def test_only_those_who_take_part_in_a_disclosure_see_what_a_redaction_hid(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An asset manager (or an archivist without disclosure work) sees where and what kind; never the value."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from core import Settings
    from schemas.choices import Role
    from schemas.ingest import IngestRequest
    from schemas.projects import NewProject
    from tests.files import write_docx

    app = create_app(Settings(home=tmp_path / "档案室"))
    with TestClient(app) as client:
        service = app.state.service
        service.projects.add(NewProject(code="GK-1", name="公开楼"), who="tests")
        source = write_docx(tmp_path / "监理.docx", "监理合同", ["工程名称：公开楼", "总监理工程师联系电话：13912345678"])
        service.ingest(IngestRequest(paths=[source], project="GK-1"))
        tokens = {}
        for role in (Role.ARCHIVIST, Role.ASSET_MANAGER, Role.APPROVER):
            service.accounts.add_user(f"{role.value}-人", role, "口令-足够长的口令")
            tokens[role] = service.accounts.issue_token(f"{role.value}-人", "tests").token
        service.disclosure.draft("GK-1", f"{Role.ARCHIVIST.value}-人")
        service.disclosure.add_redaction("GK-1", "公开楼", "测试", f"{Role.ARCHIVIST.value}-人")

        def redactions(role: Role) -> list[dict]:
            response = client.get("/api/projects/GK-1/disclosure", headers={"Authorization": f"Bearer {tokens[role]}"})
            assert response.status_code == 200, response.text
            return response.json()["content"]["redactions"]

        assert any(r["original"] == "公开楼" for r in redactions(Role.APPROVER))
        hidden = redactions(Role.ASSET_MANAGER)
        assert hidden and all(r["original"] == "［已隐去］" for r in hidden)
