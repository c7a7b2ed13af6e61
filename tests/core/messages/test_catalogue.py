"""The message catalogue names every code the archive writes, refuses a broken file, and the clock is local."""

from __future__ import annotations

import ast
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core.catalog.history import EventKind
from core.errors import ConfigError
from core.messages import LocalClock, load_catalogue
from core.security.audit import AuditAction
from schemas.api import Role, TaskState
from schemas.ingest import IngestSource, IngestStatus, QuarantineCode, TextStatus

ROOT = Path(__file__).resolve().parents[3]


def _constants(cls: type) -> list[str]:
    return [v for k, v in vars(cls).items() if k.isupper() and isinstance(v, str)]


def _written_strings(pattern: str) -> set[str]:
    """String literals the code passes as audit actions or event kinds (``audit(request, "x.y", …)``)."""
    found: set[str] = set()
    for path in [*ROOT.glob("api/*.py"), *ROOT.glob("cli/*.py"), *ROOT.glob("core/**/*.py")]:
        found |= set(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


def test_every_code_has_a_chinese_name() -> None:
    catalogue = load_catalogue()
    catalogue.require("statuses", ["received", "processed", "quarantined"])
    catalogue.require("ingest_outcomes", IngestStatus)
    catalogue.require("ingest_notes", IngestStatus)
    catalogue.require("quarantine_codes", QuarantineCode)
    catalogue.require("text_statuses", TextStatus)
    catalogue.require("sources", IngestSource)
    catalogue.require("task_states", TaskState)
    catalogue.require("roles", Role)
    catalogue.require("actions", _constants(AuditAction))
    catalogue.require("actions", _written_strings(r'(?:\baudit|audit\.append)\(\s*[^,()]+,\s*"([a-z_.]+)"'))
    catalogue.require("events", _constants(EventKind))
    # the audit actions of oversight, disclosure and fixity, written as constants of their own
    from core.disclosure.room import DisclosureAction

    catalogue.require("actions", _constants(DisclosureAction))
    named = _written_strings(r'"((?:oversight|disclosure|fixity)\.[a-z_]+)"')
    catalogue.require("actions", {code for code in named if code.rsplit(".", 1)[1] not in ("yaml", "html", "json", "xlsx")})


def test_constants_used_as_event_kinds_are_named() -> None:
    """Every ``KIND = "..."`` passed to ``record(...)`` in core has an entry."""
    catalogue = load_catalogue()
    for path in ROOT.glob("core/**/*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {t.id: n.value.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
                     for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)
                     and isinstance(n.value.value, str)}
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = getattr(call.func, "id", getattr(call.func, "attr", ""))
            if name in ("record", "record_many") and len(call.args) >= 3 - (name == "record_many"):
                kind = call.args[2] if name == "record" else call.args[1]
                value = constants.get(kind.id) if isinstance(kind, ast.Name) else getattr(kind, "value", None)
                if isinstance(value, str):
                    assert value in catalogue.events, f"{path.name}: event {value!r} has no Chinese name"


def test_a_locality_override_merges_and_a_broken_one_is_refused(tmp_path: Path) -> None:
    good = tmp_path / "local.yaml"
    good.write_text("statuses:\n  processed: 已归档\nretention_periods: [永久, 长期, 短期]\n", encoding="utf-8")
    merged = load_catalogue(good)
    assert merged.name("statuses", "processed") == "已归档" and merged.name("statuses", "received") == "待读取"
    assert merged.retention_periods == ["永久", "长期", "短期"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("statuses:\n  processed: ''\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="statuses"):
        load_catalogue(bad)
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("colours: {}\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_catalogue(unknown)


def test_error_sentences_use_the_subject_or_fall_back_to_the_status() -> None:
    catalogue = load_catalogue()
    assert catalogue.error("project_not_found", {"project": "JD-9"}, 404) == "档案室中没有项目 JD-9。"
    assert catalogue.error("input_error", {"item": "C4-99"}) == "类别中没有条目 C4-99，请从列表中选择。"
    assert catalogue.error("invalid_query", {}, 400) == catalogue.errors["bad_request"]
    assert catalogue.error("something_new", {}, 404) == catalogue.errors["not_found"]


def test_the_clock_shows_beijing_time_and_bounds_local_days() -> None:
    clock = LocalClock("Asia/Shanghai")
    assert clock.format("2026-12-06T20:19:43.545028Z", seconds=True) == "2026-12-07 04:19:43"
    assert clock.format(datetime(2026, 1, 1, 0, 0)) == "2026-01-01 08:00"  # naive from SQLite: UTC
    since, until = clock.audit_bounds(date(2026, 12, 7), date(2026, 12, 7))
    assert (since, until) == ("2026-12-06T16:00:00.000000Z", "2026-12-07T16:00:00.000000Z")
    months = clock.last_months(12)
    assert len(months) == 12 and months[-1][1] <= datetime.now(UTC) < months[-1][2]
    with pytest.raises(ConfigError):
        LocalClock("Mars/Olympus")
