"""The learned suggester: shipped real examples plus confirmations, a none class, integrity checks."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

from classify.base_examples import DATA_NAME, MANIFEST_NAME, load_base_examples
from classify.suggester import META_FILE, MODEL_FILE, Example, Suggester, SuggesterStore, combine, fingerprint
from schemas.documents import Candidate, Classification

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
    assert meta["version"] == 2 and len(meta["sha256"]) == 64 and meta["fingerprint"] == fingerprint(examples, store.base)
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


def test_a_fresh_archive_starts_from_the_shipped_real_examples(tmp_path: Path) -> None:
    base = load_base_examples()
    assert base is not None and len(base) >= 100 and "none" in base.labels
    model, trained = SuggesterStore(tmp_path).current([])
    assert trained and model is not None and model.trained_on == len(base)
    suggestion = model.suggest("工程开工报审表", "致：项目监理机构\n我方已完成开工前的各项准备工作，特申请开工，请审查。")
    assert suggestion.ranked and suggestion.subclass == suggestion.ranked[0][0]


def test_confirmations_train_on_top_of_the_shipped_examples(tmp_path: Path) -> None:
    local = [Example("混凝土测温记录", f"测温孔{n}号 入模温度 内外温差 {n}℃ 测温人", "C5-19") for n in range(1, 6)]
    model, _ = SuggesterStore(tmp_path).current(local)
    assert model is not None
    assert model.suggest("混凝土测温记录", "测温孔9号 入模温度 内外温差 测温人").item == "C5-19"


def test_altered_shipped_examples_are_refused(tmp_path: Path) -> None:
    shipped = resources.files("classify").joinpath("data", "model")
    for name in (DATA_NAME, MANIFEST_NAME):
        shutil.copyfile(str(shipped.joinpath(name)), tmp_path / name)
    assert load_base_examples(tmp_path) is not None
    data = bytearray((tmp_path / DATA_NAME).read_bytes())
    data[-10] ^= 0xFF
    (tmp_path / DATA_NAME).write_bytes(bytes(data))
    assert load_base_examples(tmp_path) is None


def test_a_learned_guess_never_outranks_a_named_title() -> None:
    model = Suggester.train(CHANGES + HIDDEN + NOTICES)
    assert model is not None
    suggestion = model.suggest("设计变更通知单", CHANGES[0].text)
    assert suggestion.score <= 0.95
    named = Classification(class_code="C5", item_code="C5-1", confidence=0.99, reasons=["标题含「隐蔽工程验收记录」"])
    assert combine(named, suggestion).class_code == "C5"


def test_where_the_rules_found_nothing_a_fair_model_guess_is_taken_for_review() -> None:
    model = Suggester.train(CHANGES + HIDDEN + NOTICES)
    assert model is not None
    suggestion = model.suggest("", HIDDEN[0].text)
    assert suggestion.subclass == "C5" and suggestion.score >= 0.3
    nothing = Classification(confidence=0.0, reasons=["没有可辨识的文种"])
    taken = combine(nothing, suggestion)
    assert taken.class_code == "C5" and taken.needs_review and "采用模型建议" in taken.reasons[-1]
    on_purpose = Classification(confidence=0.0, reasons=["规则：不是工程项目记录"], not_a_project_record=True)
    assert combine(on_purpose, suggestion).class_code is None


def test_probabilities_are_scikit_learns_and_the_weights_copy_is_not_pickled() -> None:
    """The fast path gives what ``SGDClassifier.predict_proba`` gives, on the shipped model too."""
    import pickle

    import numpy as np

    from classify.base_examples import vectorizer

    base = load_base_examples()
    model = Suggester.train(CHANGES + HIDDEN + NOTICES, base)
    assert model is not None
    pipeline = model.pipeline
    texts = ["工程开工报审表 致：项目监理机构 特申请开工", "隐蔽工程验收记录 隐检部位 三层", "关于召开年度总结会的通知"]
    expected = pipeline.model.predict_proba(pipeline.tfidf.transform(vectorizer().transform(texts)))
    assert np.allclose(pipeline.predict_proba(texts), expected, rtol=1e-9, atol=1e-12)
    restored = pickle.loads(pickle.dumps(pipeline))
    assert "_weights" in pipeline.__dict__ and "_weights" not in restored.__dict__
    assert np.allclose(restored.predict_proba(texts), expected, rtol=1e-9, atol=1e-12)


def test_combine_leaves_the_rules_verdict_as_it_was() -> None:
    """The combined verdict is a copy (the eval and the dry run keep the rules' verdict beside it)."""
    model = Suggester.train(CHANGES + HIDDEN + NOTICES)
    assert model is not None
    suggestion = model.suggest("隐蔽工程验收记录", "隐检项目 钢筋绑扎 隐检部位 3层 同意隐蔽")
    for rule_class in ("C5", "C2", None):
        rule = Classification(class_code=rule_class, confidence=0.3, reasons=["规则"],
                              candidates=[Candidate(class_code="C5", score=0.3, reasons=["标题"]),
                                          Candidate(class_code="C2", score=0.2, reasons=["编号"])])
        before = rule.model_dump()
        verdict = combine(rule, suggestion)
        assert rule.model_dump() == before
        assert len(verdict.reasons) == 2 and any("学习模型得分" in r for c in verdict.candidates for r in c.reasons)
