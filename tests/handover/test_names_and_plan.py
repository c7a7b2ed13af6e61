"""档号 assignment and BagIt-safe names: deterministic, ordered, Chinese kept."""

from __future__ import annotations

from pathlib import Path

from handover.names import safe_component
from handover.plan import matches_only, plan_volumes, retention_rank
from schemas.completeness import ArchivalCodeRule
from tests.handover.requests import small_request


def test_safe_names_keep_chinese_and_spaces_but_not_percent_or_separators() -> None:
    assert safe_component("设计变更 第1号 100%完成.pdf") == "设计变更 第1号 100％完成.pdf"
    assert safe_component("a/b\\c:d?.pdf") == "a／b＼c：d？.pdf"
    assert safe_component("行一\r\n行二.txt") == "行一 行二.txt"
    assert safe_component(".隐藏") == "_隐藏"
    assert safe_component("   ") == "未命名"


def test_long_names_are_cut_on_characters_and_keep_their_extension() -> None:
    name = safe_component("很长的题名" * 40 + ".pdf")
    assert len(name.encode("utf-8")) <= 200
    assert name.endswith("….pdf")


def test_archive_code_structure() -> None:
    codes = ArchivalCodeRule().volume_codes("JD-2024-001", "C2", 3, 7)
    assert codes.volume == "JD-2024-001-C2-003"
    assert codes.pieces[-1] == "JD-2024-001-C2-003-0007"


def test_the_request_s_scheme_numbers_the_bundle(tmp_path: Path) -> None:
    """A locality's own 档号 pattern (checklist data) reaches the bundle through the request."""
    rule = ArchivalCodeRule(volume_pattern="{project}·{subclass}·第{volume}卷", piece_pattern="{volume_code}·{piece:03d}",
                            unfiled_class="待")
    request = small_request(tmp_path)
    volumes = plan_volumes("JD-2024-009", "市档案馆库房改造工程", request.documents, request.plan, rule)
    assert [v.code for v in volumes] == ["JD-2024-009·C2·第1卷", "JD-2024-009·C2·第2卷", "JD-2024-009·E2·第1卷",
                                         "JD-2024-009·待·第1卷"]
    assert volumes[1].documents[1].archive_code == "JD-2024-009·C2·第2卷·002"
    assert volumes[-1].unfiled and not volumes[0].unfiled


def test_volumes_follow_the_taxonomy_and_items_their_dates(tmp_path: Path) -> None:
    request = small_request(tmp_path)
    volumes = plan_volumes("JD-2024-009", "市档案馆库房改造工程", request.documents, request.plan)
    assert [(v.code, v.item_code) for v in volumes] == [
        ("JD-2024-009-C2-001", "C2-1"),
        ("JD-2024-009-C2-002", "C2-6"),
        ("JD-2024-009-E2-001", "E2-x"),
        ("JD-2024-009-X-001", None),
    ]
    changes = volumes[1].documents
    assert [d.doc.number for d in changes] == ["BG-01", "BG-02"]  # by date, not by input order
    assert [d.archive_code for d in changes] == ["JD-2024-009-C2-002-0001", "JD-2024-009-C2-002-0002"]
    assert changes[0].path == "data/档案/C2/JD-2024-009-C2-002/JD-2024-009-C2-002-0001 设计变更通知单 第1号 100％完成.pdf"
    assert changes[1].start_page == 2  # 页次: after the one page of the first document
    assert volumes[1].retention == "永久"


def test_plan_is_independent_of_input_order(tmp_path: Path) -> None:
    request = small_request(tmp_path)
    forward = plan_volumes("P", "n", request.documents, request.plan)
    backward = plan_volumes("P", "n", list(reversed(request.documents)), request.plan)
    assert [d.path for v in forward for d in v.documents] == [d.path for v in backward for d in v.documents]


def test_only_selects_by_class_subclass_or_item(tmp_path: Path) -> None:
    docs = small_request(tmp_path).documents
    assert sum(matches_only(d, ["C"]) for d in docs) == 3
    assert sum(matches_only(d, ["E2-x"]) for d in docs) == 1
    assert sum(matches_only(d, ["X"]) for d in docs) == 1
    assert sum(matches_only(d, ["D"]) for d in docs) == 0


def test_retention_rank_takes_the_longest() -> None:
    assert retention_rank("永久/长期") > retention_rank("长期") > retention_rank("短期") > retention_rank("未知")
