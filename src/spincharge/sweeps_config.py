"""TOML description of a sweep, for ``spincharge sweep CONFIG``.

::

    function = "package.module:function"     # required
    model = "package.module:ModelClass"      # optional: each point builds this model
    [grid]                                   # required: one entry per swept parameter
    delta = [0.0, 0.1, 0.2]                  # a list of values, or
    mu = {start = -1.0, stop = 1.0, num = 5} # evenly spaced values (numpy.linspace)
    [parameters]                             # optional fixed physical parameters
    [settings]                               # optional numerical settings

Unknown keys are errors, so a misspelt section does not silently drop parameters.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["SweepConfig", "load_sweep_config"]

_TOP_LEVEL = {"function", "model", "grid", "parameters", "settings"}
_RANGE_KEYS = {"start", "stop", "num"}


@dataclass(frozen=True)
class SweepConfig:
    function: str
    grid: dict[str, list]
    model: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)


def _grid_values(name: str, spec) -> list:
    if isinstance(spec, list):
        return spec
    if isinstance(spec, dict) and set(spec) == _RANGE_KEYS:
        num = spec["num"]
        if not isinstance(num, int) or num < 1:
            raise ValueError(f"grid.{name}.num must be an integer >= 1, got {num!r}")
        return np.linspace(spec["start"], spec["stop"], num).tolist()
    raise ValueError(f"grid.{name} must be a list of values or a table {{start, stop, num}}, got {spec!r}")


def load_sweep_config(path: str | Path) -> SweepConfig:
    """Read and validate a sweep TOML file."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{path}: not valid TOML: {err}") from None
    unknown = set(raw) - _TOP_LEVEL
    if unknown:
        raise ValueError(f"{path}: unknown keys {sorted(unknown)}; allowed: {sorted(_TOP_LEVEL)}")
    if not isinstance(raw.get("function"), str):
        raise ValueError(f"{path}: 'function' must be given as \"module:name\"")
    if not isinstance(raw.get("grid"), dict) or not raw["grid"]:
        raise ValueError(f"{path}: a [grid] table with at least one parameter is required")
    for section in ("parameters", "settings"):
        if not isinstance(raw.get(section, {}), dict):
            raise ValueError(f"{path}: [{section}] must be a table")
    return SweepConfig(
        function=raw["function"],
        model=raw.get("model"),
        grid={name: _grid_values(name, spec) for name, spec in raw["grid"].items()},
        parameters=dict(raw.get("parameters", {})),
        settings=dict(raw.get("settings", {})),
    )
