"""The audit trail as an auditor reads it: who, when (local time), what (Chinese), on which document.

Each entry's stored detail (canonical JSON, kept for the hash chain) becomes one Chinese sentence:
what was searched for and with which filters, which file was downloaded, what an edit changed.
Server paths, browser user-agent strings and JSON never reach the page; a document is named by its
title and 档号 and linked. Entries whose action is unknown to the catalogue still show, as 其他操作.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from core.catalog import Catalog, Document, Project
from core.messages import Catalogue, LocalClock
from schemas.api import AuditEntryRecord, AuditPage
from schemas.workbench import AuditRow, AuditView

DOC_ID = re.compile(r"^[0-9a-f]{16}$")
Placer = Callable[[str], dict[str, str]]  # project code → {document id: 档号}


def query_text(query: dict[str, Any], catalogue: Catalogue) -> str:
    """「设计变更」（项目 JD-2024-001，类别 C）: the words and every filter, with Chinese labels."""
    words = str(query.get("text") or "")
    filters = [catalogue.name("sort_orders", value, "") if key == "sort"
               else f"{catalogue.name('query_fields', key, key)} {value}" for key, value in query.items()
               if key not in ("text", "limit", "offset", "facets") and value not in (None, "", [])]
    return f"「{words}」" + (f"（{'，'.join(filters)}）" if filters else "")


def _files(files: Any) -> str:
    names = [str(f.get("name")) for f in files or [] if isinstance(f, dict)]
    shown = "、".join(f"《{n}》" for n in names[:3])
    return shown + (f" 等 {len(names)} 个文件" if len(names) > 3 else "")


def _changes(changed: Any, catalogue: Catalogue) -> str:
    if not isinstance(changed, dict):
        return ""
    parts = []
    for key, pair in changed.items():
        before, after = ([*pair, None, None])[:2] if isinstance(pair, list) else (None, pair)
        parts.append(f"{catalogue.name('document_fields', key, key)}：{_plain(before) or '（空）'} → {_plain(after) or '（空）'}")
    return "；".join(parts)


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return "，".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def summary(entry: AuditEntryRecord, catalogue: Catalogue) -> str:  # noqa: C901, PLR0912
    """One sentence for the entry's detail; no JSON, no paths, no user agents."""
    d, action = entry.detail, entry.action
    reason = f"；原因：{d['reason']}" if isinstance(d.get("reason"), str) and action.startswith(("document.", "project.")) else ""
    if action == "search" or action == "search.save":
        saved = f"（已保存的检索「{d['saved']}」）" if d.get("saved") else ""
        total = f"，共 {d['total']} 份" if d.get("total") is not None else ""
        text = str((d.get("query") or {}).get("text", ""))
        if text.startswith("more-like:"):
            return f"查找相似文件{total}"
        return f"检索 {query_text(d.get('query') or {}, catalogue)}{saved}{total}"
    if action == "original.download":
        return ("在浏览器中打开原件" if d.get("inline") else "下载原件") + (f"《{d['name']}》" if d.get("name") else "")
    if action == "upload":
        project = f"到项目 {d['project']}" if d.get("project") else "到收件箱"
        return f"上传 {_files(d.get('files'))} {project}"
    if action == "upload.done":
        c = d.get("counts") or {}
        return (f"{catalogue.name('task_states', d.get('state'))}：入库 {c.get('ingested', 0)}，"
                f"重复 {c.get('duplicate', 0)}，隔离 {c.get('quarantined', 0)}")
    if action == "reclassify":
        code = d.get("item_code") or d.get("class_code") or "不归类"
        return f"确认归类为 {code}" if d.get("accepted") else f"归类为 {code}"
    if action == "export":
        what = catalogue.name("export_kinds", d.get("what"), "文件")
        query = f" {query_text(d['query'], catalogue)}" if isinstance(d.get("query"), dict) else ""
        rows = f"，{d['rows']} 行" if d.get("rows") is not None else ""
        only = f"（仅 {'、'.join(d['only'])}）" if d.get("only") else ""
        return f"导出{what}{only}{query}{rows}"
    if action == "export.done":
        if d.get("state") == "failed":
            return "导出失败"
        return f"移交包 {d.get('file') or ''}，{d.get('documents') or 0} 件，{(d.get('bytes') or 0):,} 字节"
    if action in ("export.download", "export.expired"):
        return f"移交包 {d.get('file') or ''}"
    if action == "login.failed":
        return "尝试次数过多，已暂时锁定" if d.get("reason") == "TooManyAttempts" else "用户名或口令错误"
    if action == "admin.user_add":
        return f"角色：{catalogue.name('roles', d.get('role'))}"
    if action in ("admin.token_issue", "admin.token_revoke"):
        return f"令牌 {d.get('token_id', '')}"
    if action == "audit.verify":
        return f"审计链{'完好' if d.get('valid') else '被篡改'}，共检查 {d.get('checked', 0)} 条"
    if action == "document.move":
        return f"从 {d.get('from') or '—'} 移到 {d.get('to') or '—'}{reason}"
    if action == "document.edit":
        return _changes(d.get("changed"), catalogue) + reason
    if action == "document.reread":
        return f"重新读取：{catalogue.name('ingest_outcomes', d.get('outcome'))}"
    if action == "document.dismiss":
        return "移入「非档案文件」" + reason
    if action == "project.add":
        return f"{d.get('name') or ''}" + (f"，建设单位 {d['owner']}" if d.get("owner") else "")
    if action == "project.rename":
        return _changes(d.get("changed"), catalogue)
    if action == "project.merge":
        return f"并入 {d.get('into')}，移动 {d.get('moved', 0)} 份文件"
    if action == "audit.export":
        return f"导出 {d.get('rows', 0)} 条审计记录"
    if action == "statistics.export":
        return "导出统计报表"
    return ""


def readable(page: AuditPage, catalog: Catalog, catalogue: Catalogue, clock: LocalClock, placer: Placer,
             names: dict[str, str]) -> AuditView:
    """The page's entries as rows; documents named by title and 档号 (one catalog read for the page)."""
    doc_ids = {e.target for e in page.items if e.target and DOC_ID.match(e.target)}
    documents: dict[str, tuple[str, str | None]] = {}
    if doc_ids:
        with catalog.session() as session:
            found = session.execute(select(Document.id, Document.title, Document.original_name, Project.code)
                                    .join(Project).where(Document.id.in_(doc_ids))).all()
        codes = {project: placer(project) for project in {row.code for row in found}}  # one filing per project
        documents = {row.id: (row.title or row.original_name, codes[row.code].get(row.id)) for row in found}
    rows = []
    for entry in page.items:
        title, code = documents.get(entry.target or "", (None, None))
        who = names.get(entry.actor)
        rows.append(AuditRow(
            seq=entry.seq, at=clock.format(entry.at, seconds=True),
            actor=f"{who}（{entry.actor}）" if who and who != entry.actor else entry.actor,
            action=catalogue.action(entry.action), action_code=entry.action,
            document_id=entry.target if title else None, document_title=title, archive_code=code,
            target=None if title else _target(entry), summary=summary(entry, catalogue),
            address=entry.detail.get("ip") if isinstance(entry.detail.get("ip"), str) else None,
        ))
    return AuditView(total=page.total, limit=page.limit, offset=page.offset, items=rows)


def _target(entry: AuditEntryRecord) -> str | None:
    """What the entry was about when it is not a document: a project, a user, a task (shortened)."""
    target = entry.target
    if not target:
        return None
    if re.fullmatch(r"[0-9a-f]{32}", target):
        return f"任务 {target[:8]}"
    return target
