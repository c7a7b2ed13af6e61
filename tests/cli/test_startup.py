"""The command line starts without the heavy libraries it does not use (issue: 4–10 s per command).

Each check runs in a fresh interpreter, because this test process has long imported everything.
A command that does not read files, classify or search must leave scikit-learn, Haystack, the
search engines, the reading stack, openpyxl and Alembic unloaded; if one of them comes back
through an import at the top of a module, these tests name it. A search loads its engine and the
tokenizer, and no more (issue 19): not the classifier, not rich or PyYAML (nothing it prints or
reads needs them), not the API's shapes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("sklearn", "scipy", "haystack", "tantivy", "whoosh", "rjieba", "openpyxl", "pypdf", "pypdfium2",
         "docx", "rapidocr_onnxruntime", "onnxruntime", "alembic", "classify", "ingest", "handover", "search")

_PROBE = """
import json, sys
from cli.main import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
except Exception as exc:  # an unknown document id, say: the imports are what is measured
    print(type(exc).__name__, file=sys.stderr)
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JIANDANG_HOME": str(home), "HAYSTACK_TELEMETRY_ENABLED": "False",
           "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)


def _all_modules(done: subprocess.CompletedProcess[str]) -> set[str]:
    """Every module the probe had loaded (its last line on stderr)."""
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def _modules(done: subprocess.CompletedProcess[str]) -> set[str]:
    """The top-level packages of the modules the probe had loaded."""
    return {name.split(".")[0] for name in _all_modules(done)}


def _loaded(home: Path, *args: str) -> set[str]:
    return _modules(_run(home, *args))


def test_importing_the_command_line_loads_no_heavy_library(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path / "home")  # no arguments: importing cli.main and printing the help
    assert not loaded & set(HEAVY), f"importing cli.main loaded {sorted(loaded & set(HEAVY))}"
    assert "sqlalchemy" not in loaded and "pydantic" not in loaded


@pytest.mark.parametrize("command", [["--help"], ["status", "--json"], ["show", "0123456789abcdef", "--json"]])
def test_status_and_show_load_no_heavy_library(tmp_path: Path, command: list[str]) -> None:
    home = tmp_path / "home"
    _loaded(home, "status")  # the first run creates the catalog (Alembic may run then)
    loaded = _loaded(home, *command)
    assert not loaded & set(HEAVY), f"`jiandang {' '.join(command)}` loaded {sorted(loaded & set(HEAVY))}"


@pytest.mark.parametrize("command", [["--help"], ["status", "--json"]])
def test_help_and_json_load_neither_rich_nor_yaml(tmp_path: Path, command: list[str]) -> None:
    """rich is for tables and colours, PyYAML for the message catalogue: neither prints JSON or help."""
    home = tmp_path / "home"
    _run(home, "status")
    modules = _all_modules(_run(home, *command))
    assert not modules & {"rich", "yaml"}, f"`jiandang {' '.join(command)}` loaded {sorted(modules & {'rich', 'yaml'})}"


def test_search_loads_the_engine_and_the_tokenizer_but_not_haystack_or_the_classifier(tmp_path: Path) -> None:
    """A hit is read from the index's stored JSON, not built as a Haystack Document (issue 19):
    Haystack's import (pipelines, networkx, telemetry) was the largest part of a search's start-up.
    """
    home, sources = tmp_path / "home", tmp_path / "来件"
    sources.mkdir()
    (sources / "设计变更通知单.txt").write_text("设计变更通知单\n变更内容：外墙保温改为岩棉板\n", encoding="utf-8")
    _run(home, "ingest", str(sources), "--project", "XM-1")
    done = _run(home, "search", "设计变更", "--json")
    assert json.loads(done.stdout)["total"] == 1, done.stdout + done.stderr
    loaded = _modules(done)
    allowed = {"search", "tantivy", "rjieba"}
    assert allowed <= loaded  # it did search
    assert not loaded & (set(HEAVY) - allowed), f"`jiandang search` loaded {sorted(loaded & (set(HEAVY) - allowed))}"
    # What it does not print or read (issue 19): rich (JSON out), PyYAML (the message catalogue),
    # the API's shapes and what they pull in (the audit entry is in schemas.access).
    modules = _all_modules(done)
    unused = {"rich", "yaml", "core.messages.catalogue", "schemas.api", "schemas.handover", "schemas.completeness"}
    assert not modules & unused, f"`jiandang search` loaded {sorted(modules & unused)}"
    # rjieba (its dictionary: 0.1 s) only when a keyword is cut into words; filters alone do not
    done = _run(home, "search", "project:XM-1", "--json")
    assert json.loads(done.stdout)["total"] == 1, done.stdout + done.stderr
    loaded = _modules(done)
    assert "tantivy" in loaded and "rjieba" not in loaded, sorted(loaded & set(HEAVY))


def test_the_taxonomy_loads_without_the_classifier() -> None:
    """``classify``'s names load on first use (PEP 562): a module of the package (the taxonomy, for
    the class names) no longer brings the rule classifier and its Haystack component with it.
    """
    probe = "import json, sys, classify.taxonomy; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                          capture_output=True, text=True, timeout=120, check=True)
    modules = set(json.loads(done.stdout.strip().splitlines()[-1]))
    unwanted = {"classify.rules", "classify.component", "haystack", "sklearn"}
    assert not modules & unwanted, f"import classify.taxonomy loaded {sorted(modules & unwanted)}"
