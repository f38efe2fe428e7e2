"""Base class for computation results (value, error estimate, settings), after scipy's result objects."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np


class Result:
    """Mixin for frozen result dataclasses.

    Subclasses are dataclasses whose fields hold the computed values, their error estimates and the
    settings used. ``to_dataset`` turns scalars and arrays into an ``xarray.Dataset`` (used by the store
    and by sweeps); fields named in ``_attrs`` go to the dataset attributes instead.
    """

    _attrs: tuple[str, ...] = ()

    def to_dataset(self):
        import xarray as xr

        data, attrs = {}, {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in self._attrs or isinstance(value, (str, dict)) or value is None:
                attrs[f.name] = repr(value) if isinstance(value, dict) else value
            elif np.ndim(value) == 0:
                data[f.name] = ((), value)
            else:
                value = np.asarray(value)
                data[f.name] = (tuple(f"{f.name}_dim{i}" for i in range(value.ndim)), value)
        return xr.Dataset(data, attrs={k: v for k, v in attrs.items() if v is not None})

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}("]
        for f in dataclasses.fields(self):
            value: Any = getattr(self, f.name)
            text = np.array2string(value, threshold=6) if isinstance(value, np.ndarray) else repr(value)
            lines.append(f"  {f.name}={text},")
        return "\n".join(lines) + "\n)"
