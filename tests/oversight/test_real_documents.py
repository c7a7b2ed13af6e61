"""Amounts and dates read from the real documents of ../shared/corpus, against values checked by hand.

The documents are copied into a temporary folder at run time and ingested by the real pipeline;
nothing of them is committed. The table below holds, per document (named by the first 16 hex digits
of its SHA-256, so no file name, company or place appears here), every amount and date fact the
oversight reader should take from it, as read by a person from the document. Documents with an empty
table are templates and long tender files whose clause numbers ("16.1 投标保证金", "3.2 最高投标限价")
and penalty amounts ("合同金额5万元…违约金") a careless reader takes for facts: anything read from them
is wrong.

Precision = facts read that are in the table / facts read; recall = table facts that were read.
The table was used while the reader was built (there is no held-out document with amounts), so
these figures are a regression guard more than an estimate of unseen documents.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from core import ArchiveService, Settings
from core.catalog import Document
from schemas.ingest import IngestRequest

# ../shared beside the repository; JIANDANG_SHARED points elsewhere (a git worktree lives deeper)
CORPUS = Path(os.environ.get("JIANDANG_SHARED", Path(__file__).resolve().parents[3] / "shared")) / "corpus"
SUBSETS = ("train", "real", "real-extra", "heldout-texts")
pytestmark = [pytest.mark.integration, pytest.mark.slow,
              pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real corpus not present at {CORPUS}")]

TABLE: dict[str, dict[str, object]] = {
    # 初步设计批复: 核定概算动态总投资 14675 万元; 印发 date
    "a6647e71ab122cd0": {"approved_budget": 146750000.0, "document_date": date(2019, 6, 28)},
    # 竣工决算审核报告: 实际完成总投资; the 概算 it compares with; report date
    "aa162bc4d275174a": {"final_accounts": 141989391.31, "approved_budget": 146750000.0,
                         "document_date": date(2021, 11, 30)},
    # 概算汇总表 (万元): 合计 row, 动态投资
    "55c979ef097f0375": {"approved_budget": 146750000.0},
    # 单位工程招标控制价汇总表
    "6f3c223ae3db1ed7": {"control_price": 54905.45},
    # 材料采购招标文件: 发出时间
    "3e061ac56e1d2697": {"issue_date": date(2026, 4, 24)},
    # 政府采购合同: 合同金额 (人民币 + 大写); signed (签章) date
    "370af45ef5d44be4": {"contract_price": 1142000.0, "document_date": date(2016, 6, 24)},
    # 投资估算表: its only date (the costing software's stamp); the total is in a layout not read
    "511412fcc8e40349": {"document_date": date(2013, 11, 28)},
    # 招标文件: dated on its cover; 投标截止
    "cdde786461657e42": {"issue_date": date(2026, 5, 26), "bid_deadline": date(2026, 6, 12)},
    # 公开招标文件: 投标保证金 人民币0元; 投标截止; 最高限价 of 包1 (written "包 1-10787900.00 元元")
    "91e2c6e80e5783e3": {"bid_bond": 0.0, "bid_deadline": date(2024, 11, 26), "control_price": 10787900.0},
    # 项目建议书审核意见: 印发 date (no amount in the text)
    "45028761317b3394": {"document_date": date(2014, 10, 24)},
    # 设计变更通知单 of earthworks: a quantity table (m, m2, m3, ± per item) and one item "万元 150
    # 暂估投资"; no change amount in total, dated by month only ("2026 年 1 月"): nothing to read
    "84f497fb642118d4": {},
    # 结算审核 工程量偏差或漏项对比表 of one unit project: per-item 送审/审核 figures and part subtotals
    # (分部分项合计, 措施合计), no settlement total, no date: nothing to read
    "da7a697d41e5dd91": {},
    # 电缆带电试运签证 (a test record named 签证, not a cost 签证): trial times, blank signing dates
    "66f735cb4d12526e": {},
    # templates and tender files with clause numbers and penalty amounts: nothing to read
    "4107528807ecd8b9": {}, "c103a5a6447933f1": {}, "b7d4438af9d5c088": {}, "fe8bf27e996706b5": {},
}
MIN_PRECISION = 0.95
MIN_AMOUNT_RECALL = 0.8


def _matches(value: object, expected: object) -> bool:
    if isinstance(expected, float):
        return isinstance(value, int | float) and abs(float(value) - expected) < 0.005
    return value == expected


@pytest.fixture(scope="module")
def read(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[object]]]:
    """sha prefix → fact name → values the archive read (money and date facts only)."""
    drop = tmp_path_factory.mktemp("real-oversight") / "文件"
    drop.mkdir()
    for subset in SUBSETS:
        for path in sorted((CORPUS / subset).glob("*")):
            if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest()[:16] in TABLE:
                shutil.copy2(path, drop / f"{subset}-{path.name}")
    with ArchiveService(Settings(home=drop.parent / "档案室")) as service:
        service.ingest(IngestRequest(paths=[drop], project="REAL"))
        facts = service.oversight.facts("REAL", None)
        with service.catalog.session() as session:
            shas = dict(session.execute(select(Document.id, Document.sha256)).all())
    found: dict[str, dict[str, list[object]]] = {sha[:16]: {} for sha in shas.values()}
    for doc in facts.documents:
        for fact in doc.facts:
            if fact.type in ("money", "date"):
                found[shas[doc.document_id][:16]].setdefault(fact.name, []).append(fact.value)
    return found


def _score(read: dict[str, dict[str, list[object]]], kind: type) -> tuple[int, int, int]:
    """(correct, read, expected) over the facts whose expected values are of ``kind``."""
    correct = extracted = expected = 0
    for sha, truth in TABLE.items():
        got = read.get(sha, {})
        for name, values in got.items():
            for value in values:
                is_kind = isinstance(value, kind) if kind is date else isinstance(value, int | float)
                if is_kind:
                    extracted += 1
                    correct += name in truth and _matches(value, truth[name])
        expected += sum(1 for value in truth.values() if isinstance(value, kind))
    return correct, extracted, expected


def test_every_table_document_was_found_and_read(read) -> None:  # type: ignore[no-untyped-def]
    assert set(TABLE) <= set(read), "a document of the table is missing from the corpus or was not archived"


@pytest.mark.parametrize(("label", "kind"), [("amounts", float), ("dates", date)])
def test_precision_of_amounts_and_dates(read, label: str, kind: type) -> None:  # type: ignore[no-untyped-def]
    correct, extracted, expected = _score(read, kind)
    precision = correct / extracted if extracted else 1.0
    recall = correct / expected if expected else 1.0
    print(f"\nreal documents, {label}: read {extracted}, correct {correct} (precision {precision:.2f}); "
          f"in the table {expected} (recall {recall:.2f})")
    assert precision >= MIN_PRECISION, (label, correct, extracted)
    if kind is float:
        assert recall >= MIN_AMOUNT_RECALL, (label, correct, expected)
