"""Small handover requests built from real files on disk, without a catalog (fast unit tests)."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

from openpyxl import Workbook

from schemas.handover import (
    FilingPlan,
    HandoverDocument,
    HandoverProject,
    HandoverRequest,
    ReviewStatus,
    TaxonomyItem,
    TaxonomySubClass,
)

PLAN = FilingPlan(subclasses=[
    TaxonomySubClass(code="C2", name="施工技术文件", items=[
        TaxonomyItem(code="C2-1", name="施工组织设计", retention="长期"),
        TaxonomyItem(code="C2-6", name="设计变更通知单", retention="永久"),
    ]),
    TaxonomySubClass(code="E2", name="竣工决算文件", items=[
        TaxonomyItem(code="E2-x", name="竣工财务决算报告及交付使用资产明细"),
    ]),
])


def asset_workbook(path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "交付使用资产"
    ws.append(["竣工财务决算报告及交付使用资产明细表"])
    ws.append(["资产名称", "资产类别", "数量", "价值（元）", "使用单位"])
    ws.append(["办公楼节能改造（增值）", "房屋及构筑物", "1项", "1,234,567.80", "市机关事务管理局"])
    ws.append(["磁悬浮冷水机组", "通用设备", "2台", "456,000.00", "市机关事务管理局"])
    ws.append(["合计", "", "", "1,690,567.80", ""])
    ws.append([])
    book.save(path)


def _doc(store: Path, name: str, content: bytes, **meta: object) -> HandoverDocument:
    sha = hashlib.sha256(content).hexdigest()
    source = store / sha
    source.write_bytes(content)
    return HandoverDocument(id=sha[:16], sha256=sha, size=len(content), original_name=name, source=source,
                            format=name.rsplit(".", 1)[-1], **meta)  # type: ignore[arg-type]


def small_request(tmp: Path, out_name: str = "移交包") -> HandoverRequest:
    """Five documents in three volumes plus one unfiled, with awkward Chinese names."""
    store = tmp / "store"
    store.mkdir(exist_ok=True)
    assets = tmp / "决算.xlsx"
    asset_workbook(assets)
    docs = [
        _doc(store, "设计变更通知单 第2号（结构）.pdf", b"%PDF-1.4 change 2\n" * 50, title="设计变更通知单（第2号）",
             class_code="C2", item_code="C2-6", doc_date=date(2024, 5, 2), number="BG-02",
             parties={"设计单位": "市建筑设计研究院"}, pages=2, review_status=ReviewStatus.FILED,
             reasons=["标题含「设计变更通知单」"]),
        _doc(store, "设计变更通知单 第1号 100%完成.pdf", b"%PDF-1.4 change 1\n" * 40, title="设计变更通知单（第1号）",
             class_code="C2", item_code="C2-6", doc_date=date(2024, 4, 1), number="BG-01", pages=1,
             review_status=ReviewStatus.FILED),
        _doc(store, "施工组织设计.docx", b"PK fake docx bytes", title="施工组织设计", class_code="C2",
             item_code="C2-1", doc_date=date(2024, 3, 1), review_status=ReviewStatus.NEEDS_REVIEW),
        _doc(store, "竣工财务决算报告及交付使用资产明细表.xlsx", assets.read_bytes(),
             title="竣工财务决算报告及交付使用资产明细表", class_code="E2", item_code="E2-x",
             doc_date=date(2024, 12, 20), doc_type="竣工财务决算报告", review_status=ReviewStatus.CONFIRMED),
        _doc(store, "扫描件:无法读取?.tif", b"II*\x00 broken", review_status=ReviewStatus.UNREADABLE,
             quarantine_reason="unsupported file type"),
    ]
    return HandoverRequest(
        project=HandoverProject(code="JD-2024-009", name="市档案馆库房改造工程", agency="市机关事务管理局"),
        documents=docs, plan=PLAN, out=tmp / out_name,
        catalog_as_of=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC), bagging_date=date(2025, 1, 3),
    )
