"""The learned suggester: trained on confirmations only, a none class, stored with an integrity check."""

from __future__ import annotations

import json
from pathlib import Path

from classify.suggester import META_FILE, MODEL_FILE, Example, Suggester, SuggesterStore, combine, fingerprint
from schemas.documents import Classification

CHANGES = [Example("设计变更通知单", f"变更编号 结施-变-0{n} 涉及图号 结施-0{n} 变更原因 底板加厚 设计人 专业负责人", "C2-6")
           for n in range(1, 4)]
HIDDEN = [Example("隐蔽工程验收记录", f"隐检项目 钢筋绑扎 隐检部位 {n}层 轴线 检查结论 同意隐蔽 专业监理工程师", "C5-1")
          for n in range(1, 4)]
NOTICES = [Example("关于召开年度总结会的通知", f"各科室：定于{n}月召开年度总结会，请准时参加。办公室", "none")
           for n in range(1, 4)]


def test_it_learns_confirmed_filings_and_a_none_class() -> None:
    model = Suggester.train(CHANGES + HIDDEN + NOTICES)
    assert model is not None
    change = model.suggest("变更单", "变更编号 结施-变-09 涉及图号 结施-07 专业负责人")
    assert (change.subclass, change.item) == ("C2", "C2-6")
    notice = model.suggest("通知", "各科室：定于5月召开年度总结会，请准时参加。")
    assert notice.subclass is None and notice.score > 0.4


def test_nothing_to_learn_from_one_filing() -> None:
    assert Suggester.train(CHANGES) is None


def test_stored_model_is_reused_until_confirmations_change(tmp_path: Path) -> None:
    store = SuggesterStore(tmp_path)
    examples = CHANGES + HIDDEN
    first, trained = store.current(examples)
    assert trained and first is not None
    meta = json.loads((tmp_path / META_FILE).read_text(encoding="utf-8"))
    assert meta["version"] == 1 and len(meta["sha256"]) == 64 and meta["fingerprint"] == fingerprint(examples)
    again, trained = store.current(examples)
    assert not trained and again is not None and again.fingerprint == first.fingerprint
    _, trained = store.current(examples + NOTICES)
    assert trained


def test_a_tampered_model_file_is_discarded_not_unpickled(tmp_path: Path) -> None:
    store = SuggesterStore(tmp_path)
    store.current(CHANGES + HIDDEN)
    (tmp_path / MODEL_FILE).write_bytes(b"not the model we wrote")
    assert store.load() is None
    model, trained = store.current(CHANGES + HIDDEN)
    assert trained and model is not None and store.load() is not None


def test_combine_shows_both_and_adopts_only_a_surer_model() -> None:
    model = Suggester.train(CHANGES + HIDDEN + NOTICES)
    assert model is not None
    suggestion = model.suggest("设计变更通知单", CHANGES[0].text)
    weak_rule = Classification(class_code="C3", item_code="C3-8", confidence=0.3, reasons=["正文线索"])
    adopted = combine(weak_rule, suggestion)
    assert adopted.class_code == "C2" and adopted.needs_review
    assert adopted.reasons[0] == "正文线索" and "得分" in adopted.reasons[-1]
    sure_rule = Classification(class_code="C3", item_code="C3-8", confidence=0.99, reasons=["标题"])
    kept = combine(sure_rule, suggestion)
    assert kept.class_code == "C3" and "未采用" in kept.reasons[-1]
