"""Reading the oversight data files (checks, document kinds, fact labels, holidays): YAML in,
validated models out, and an error that names the file and the place when a file is wrong.

Domain rules are data so a locality can change them without code: a locality file has the same
shape as the shipped one and is merged onto it (``merge``), then validated like the original.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class DataFileError(ValueError):
    """A data file that cannot be used; the message names the file and what is wrong where."""


def load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date YAML cannot make (2030-02-30)
        raise DataFileError(f"{path}: not valid YAML ({exc})") from exc


def validate(raw: Any, model: type[M], source: str) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise DataFileError(f"{source}: {where}: {first['msg']} ({len(exc.errors())} problem(s))") from exc


def read_yaml(path: Path, model: type[M]) -> M:
    return validate(load_yaml(path), model, str(path))


def merge(base: Any, override: Any) -> Any:
    """A locality's values onto the shipped ones: mappings merge key by key, anything else replaces."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = merge(base.get(key), value) if key in base else value
        return merged
    return override
