"""disclosure.json: the same content for machines — categories, items with their fields and
sources, redactions by kind and place (never the hidden text), and an OC4IDS-shaped block.
"""

from __future__ import annotations

import json
from typing import Any

from disclosure.render.meta import STATE_NAMES, PackageMeta, public_id
from disclosure.render.oc4ids import oc4ids
from schemas.disclosure import DisclosureContent, DisclosureItem

FORMAT = "jiandang-disclosure/1"


def _item(item: DisclosureItem, ids: dict[str, str]) -> dict[str, Any]:
    return {
        "id": ids[item.key], "name": item.name,
        "fields": [{"label": f.label, "value": f.value, "missing": f.value is None} for f in item.fields],
        "formed": item.formed.isoformat() if item.formed else None,
        "due": item.due.isoformat() if item.due else None, "limit_working_days": item.limit_days,
        "sources": [{"title": s.title, "date": s.date.isoformat() if s.date else None} for s in item.sources],
    }


def render_json(content: DisclosureContent, meta: PackageMeta) -> bytes:
    ids = {item.key: public_id(item.key) for category in content.categories for item in category.items}
    names = {item.key: item.name for category in content.categories for item in category.items}
    document = {
        "format": FORMAT, "project": content.project, "project_name": content.project_name, "owner": content.owner,
        "version": meta.version, "state": meta.state.value, "state_name": STATE_NAMES[meta.state],
        "published_at": meta.published_at.isoformat() if meta.published_at else None,
        "office_building": content.office_building,
        "categories": [{"id": c.id, "name": c.name, "basis": c.basis,
                        "empty_note": None if c.published_items else c.empty_note,
                        "items": [_item(item, ids) for item in c.published_items]} for c in content.categories],
        "redactions": [{"kind": r.kind, "kind_name": r.kind_name, "item": names.get(r.item_key or ""),
                        "field": r.field, "where": r.where} for r in content.redactions],
        "notes": content.notes,
        "oc4ids": oc4ids(content, ids),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
