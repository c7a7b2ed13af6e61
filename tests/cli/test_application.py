"""The ``jiandang`` application builds only the command it runs, and starts and ends with the
collector's policy (cli/application.py, cli/collector.py; issue 19).

``CliRunner`` (every other CLI test) goes through Typer's own ``get_command``, which builds every
command; the script goes through ``JiandangTyper.click_group``. These tests hold the two to the same
commands, options and help, and check what the script does with the collector in a fresh process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer.main

from cli.main import app

REPO = Path(__file__).resolve().parents[2]


def _context(command: Any, name: str = "jiandang", parent: Any = None) -> Any:
    return command.context_class(command, info_name=name, parent=parent)


def _shape(command: Any, ctx: Any) -> dict[str, Any]:
    """A command's help, options and (for a group) sub-commands, recursively."""
    shape: dict[str, Any] = {"help": command.get_help(ctx), "params": [p.name for p in command.params]}
    if hasattr(command, "list_commands"):
        shape["commands"] = {
            name: _shape(command.get_command(ctx, name), _context(command.get_command(ctx, name), name, ctx))
            for name in command.list_commands(ctx)
        }
    return shape


def test_the_group_built_on_demand_matches_typers() -> None:
    eager, lazy = typer.main.get_command(app), app.click_group()
    assert _shape(lazy, _context(lazy)) == _shape(eager, _context(eager))


def test_only_the_command_asked_for_is_built() -> None:
    group = app.click_group()
    ctx = _context(group)
    assert group.get_command(ctx, "search") is group.get_command(ctx, "search")  # built once, then kept
    assert group.get_command(ctx, "no-such-command") is None
    assert group.commands.built == ["search"]
    assert len(group.list_commands(ctx)) == len(app.registered_commands) + len(app.registered_groups)  # --help: all


_COLLECTOR_PROBE = """
import gc, json, sys
from cli import collector
from cli.main import app
default = gc.get_threshold()
collector.starting()
starting = gc.get_threshold()
collector.started()
after_start = {"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count()}
gc.unfreeze()
try:
    app(["--help"])
except SystemExit:
    pass
print(json.dumps({"default": default, "starting": starting, "started": after_start,
                  "ended": {"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count()}}))
"""


def test_the_script_collects_rarely_while_starting_and_freezes_what_it_made() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "HAYSTACK_TELEMETRY_ENABLED": "False"}
    done = subprocess.run([sys.executable, "-c", _COLLECTOR_PROBE], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["starting"][0] == 200_000 and seen["starting"][1:] == seen["default"][1:]
    assert seen["started"]["threshold"] == seen["default"] and seen["started"]["frozen"] > 0
    # after the script's call: the thresholds it found, and everything frozen for the shutdown
    assert seen["ended"]["threshold"] == seen["default"] and seen["ended"]["frozen"] > 0
