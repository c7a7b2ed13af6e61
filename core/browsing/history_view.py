"""A document's history as rows a person reads: local time, a Chinese action, one plain sentence.

The event rows keep their detail as data (for tools and the API); this is the page's reading of
it. A file's path on the server never shows — only its name — and the classifier's reasons are
shown on the page already, so the history says where the document went, not why again.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from core.messages import Catalogue, LocalClock
from schemas.documents import DocumentRecord, EventRecord
from schemas.workbench import HistoryRow

_QUIET = {"indexed"}  # bookkeeping an archivist does not need to read


def _name(path: Any) -> str:
    return PurePath(str(path)).name if path else ""


def _filed(detail: dict[str, Any]) -> str:
    code = detail.get("item_code") or detail.get("class_code")
    return f"{code} {detail.get('doc_type') or ''}".strip() if code else "未归类"


def describe(event: EventRecord, catalogue: Catalogue) -> str:
    d, kind = event.detail, event.kind
    who = f"{d['who']} " if d.get("who") else ""
    reason = f"；原因：{d['reason']}" if d.get("reason") else ""
    if kind in ("received", "received_again"):
        return f"{catalogue.name('sources', d.get('source'), '接收')}《{_name(d.get('path'))}》"
    if kind == "converted":
        pages = f"，{d['pages']} 页" if d.get("pages") else ""
        status = f"；{catalogue.name('text_statuses', d['text_status'])}" if d.get("text_status") else ""
        return f"读出 {d.get('chars') or 0:,} 字{pages}{status}"
    if kind == "classified":
        review = "，待人工审核" if d.get("needs_review") else ""
        return f"归入 {_filed(d)}（置信度 {float(d.get('confidence') or 0):.2f}{review}）"
    if kind == "quarantined":
        return catalogue.name("quarantine_codes", d.get("code"), "无法读取")
    if kind == "reclassified":
        before = _filed(d.get("before") or {})
        return f"{who}归入 {_filed(d)}（原为 {before}）"
    if kind == "exported":
        return f"编入移交包 {_name(d.get('bundle'))}，档号 {d.get('archive_code') or '—'}"
    if kind == "original_read":
        return f"{d.get('user') or ''} {'在线阅读' if d.get('purpose') == 'inline' else '下载'}原件".strip()
    if kind == "moved":
        return f"{who}从 {d.get('from')} 移到 {d.get('to')}{reason}"
    if kind == "edited":
        changed = d.get("changed") or {}
        parts = [f"{catalogue.name('document_fields', k, k)}：{_value(v[0])} → {_value(v[1])}"
                 for k, v in changed.items() if isinstance(v, list) and len(v) == 2]
        return f"{who}修改 " + "；".join(parts) + reason
    if kind == "dismissed":
        return f"{who}认定为非档案文件{reason}"
    if kind in ("new_version", "superseded", "manifest_mismatch"):
        return _name(d.get("path")) + (f"：{d['reason']}" if kind == "manifest_mismatch" and d.get("reason") else "")
    return ""


def _value(value: Any) -> str:
    if value in (None, "", {}, []):
        return "（空）"
    if isinstance(value, dict):
        return "，".join(f"{k} {v}" for k, v in value.items())
    return str(value)


def history_rows(record: DocumentRecord, catalogue: Catalogue, clock: LocalClock) -> list[HistoryRow]:
    """Events and receipts, oldest first, as (time, action, sentence) rows."""
    rows = [(e.at, catalogue.name("events", e.kind, "其他事件"), describe(e, catalogue))
            for e in record.events if e.kind not in _QUIET]
    rows += [(r.at, "接收记录", f"{catalogue.name('sources', r.source, '接收')}《{_name(r.source_path)}》："
              f"{catalogue.name('ingest_outcomes', r.outcome)}") for r in record.receipts]
    rows.sort(key=lambda row: row[0])
    return [HistoryRow(at=clock.format(at, seconds=True), action=action, detail=text) for at, action, text in rows]
