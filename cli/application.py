"""The ``jiandang`` Typer application: what happens around a command when the script runs it.

Two things, both for a command's start (issue 19; README "Start-up"):

- Commands are built when click asks for them by name. Typer turns every registered function into
  a click command, reading its signature and evaluating its annotations, before it parses
  anything: about 100 functions, 0.05 s of every command's start. ``jiandang search`` needs one
  of them; ``--help`` and a mistyped name (click's suggestions) still see them all, in the order
  they were registered.
- The collector's start-up and exit policy (``cli.collector``).

``typer.testing.CliRunner`` builds the whole group with ``typer.main.get_command``, as before;
``tests/cli/test_application.py`` checks that both give the same commands and help. The group is
made with Typer's own builders (``typer.main.get_group_from_info``, ``get_command_from_info``) of
the pinned Typer 0.29; only the time each command is built changes.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

import typer
from typer.main import (
    TyperInfo,
    get_command_from_info,
    get_command_name,
    get_group_from_info,
    solve_typer_info_defaults,
)

from cli import collector


class CommandsWhenAsked(MutableMapping[str, Any]):
    """A click group's ``commands``: each built by its builder on first lookup, then kept."""

    def __init__(self, builders: dict[str, Callable[[], Any]]) -> None:
        self._builders = builders
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            self._built[name] = self._builders[name]()  # KeyError for a name nobody registered
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._builders.setdefault(name, lambda: command)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._builders[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)

    @property
    def built(self) -> list[str]:
        """The names built so far (tests/cli/test_application.py)."""
        return list(self._built)


class JiandangTyper(typer.Typer):
    """``typer.Typer`` whose call (the ``jiandang`` script, ``python -m cli.main``) builds only the
    command it runs and runs it between ``collector.starting`` and ``collector.ending``.
    """

    def click_group(self) -> Any:
        """The click group of this application, its commands and sub-groups built when asked for."""
        bare = copy.copy(self)  # the group's own settings (name, help, no_args_is_help, …) without its commands
        bare.registered_commands, bare.registered_groups = [], []
        group = get_group_from_info(TyperInfo(bare), pretty_exceptions_short=self.pretty_exceptions_short,
                                    rich_markup_mode=self.rich_markup_mode, suggest_commands=self.suggest_commands)
        builders: dict[str, Callable[[], Any]] = {}
        for info in self.registered_commands:
            name = info.name or get_command_name(info.callback.__name__)  # type: ignore[union-attr]
            builders[name] = lambda info=info: get_command_from_info(
                info, pretty_exceptions_short=self.pretty_exceptions_short, rich_markup_mode=self.rich_markup_mode)
        for sub in self.registered_groups:
            name = solve_typer_info_defaults(sub).name
            if not name:  # a nameless add_typer merges its commands into this group: not lazily
                raise TypeError("JiandangTyper: every add_typer needs a name")
            builders[name] = lambda sub=sub: get_group_from_info(
                sub, pretty_exceptions_short=self.pretty_exceptions_short, rich_markup_mode=self.rich_markup_mode,
                suggest_commands=self.suggest_commands)
        group.commands = CommandsWhenAsked(builders)
        return group

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # Typer's own __call__ builds every command first (typer.main.get_command); its exception
        # hook only matters with pretty exceptions, which this application turns off.
        collector.starting()
        try:
            return self.click_group()(*args, **kwargs)
        finally:
            collector.started()
            collector.ending()
