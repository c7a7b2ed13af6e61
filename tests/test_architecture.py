"""ARCHITECTURE.md describes the tree as it is: a newcomer's map must not send them astray.

Every package the page names (written as `name/` or `core/room/`) exists, and every Python
package at the top level, every room of core and every sub-package of the others is named.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "ARCHITECTURE.md"
NAMED = re.compile(r"`((?:[a-z_]+/)+)`")


def _named() -> set[str]:
    return {m.rstrip("/") for m in NAMED.findall(PAGE.read_text(encoding="utf-8"))}


def _packages(parent: Path) -> set[str]:
    return {
        str(child.relative_to(ROOT))
        for child in parent.iterdir()
        if child.is_dir() and (child / "__init__.py").exists()
    }


def test_every_package_the_page_names_exists() -> None:
    missing = sorted(name for name in _named() if not (ROOT / name).is_dir())
    assert not missing, f"ARCHITECTURE.md names folders that do not exist: {missing}"


def test_every_top_level_package_is_named() -> None:
    unnamed = sorted(_packages(ROOT) - _named())
    assert not unnamed, f"top-level packages missing from ARCHITECTURE.md: {unnamed}"


def test_every_sub_package_is_named() -> None:
    sub_packages = set()
    for top in _packages(ROOT) - {"tests"}:
        sub_packages |= _packages(ROOT / top)
    unnamed = sorted(sub_packages - _named() - {"core/catalog/migrations"})
    assert not unnamed, f"sub-packages missing from ARCHITECTURE.md: {unnamed}"


def test_core_has_no_loose_modules() -> None:
    """Outside its rooms, core keeps only the facade, the settings and the error tree."""
    loose = sorted(p.name for p in (ROOT / "core").glob("*.py"))
    assert loose == ["__init__.py", "errors.py", "service.py", "settings.py"], loose


def test_every_room_says_what_it_holds_and_may_import() -> None:
    for room in _packages(ROOT / "core"):
        if room == "core/catalog/migrations":
            continue
        doc = (ROOT / room / "__init__.py").read_text(encoding="utf-8")
        assert doc.startswith('"""'), f"{room}/__init__.py has no docstring"
        assert "import" in doc.split('"""')[1], f"{room}/__init__.py does not say what it may import"


def test_the_makefile_compiles_every_installed_package() -> None:
    """``make bytecode`` compiles the packages pyproject installs (a package left out starts slowly)."""
    import tomllib

    installed = {name.rstrip("*") for name in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"]["find"]["include"]}
    line = re.search(r"^PACKAGES := (.+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert line is not None, "the Makefile has no PACKAGES list"
    assert set(line.group(1).split()) == installed
