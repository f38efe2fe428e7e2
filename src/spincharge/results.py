"""Base class for computation results (value, error estimate, settings), after scipy's result objects."""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np


CARTESIAN = ("x", "y", "z")
"""Coordinate labels of a Cartesian vector index."""


def _attribute(value: Any) -> str | int | float:
    """A netCDF-safe attribute: numbers and strings as they are, anything else (bools too) as text."""
    if isinstance(value, (str, numbers.Integral, numbers.Real)) and not isinstance(value, (bool, np.bool_)):
        return value.item() if isinstance(value, np.generic) else value
    return repr(value) if not isinstance(value, (bool, np.bool_)) else str(bool(value))


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, (bool, np.bool_))


class Result:
    """Mixin for frozen result dataclasses.

    Subclasses are dataclasses whose fields hold the computed values, their error estimates and the
    settings used. :meth:`to_dataset` turns them into a labelled ``xarray.Dataset``, used by the store and
    by sweeps. Subclasses describe their fields with class attributes:

    ``_dims``
        field -> dimension names of its array, e.g. ``{"current": ("r",), "triplet": ("component",
        "frequency", "r")}``. A one-dimensional field whose only dimension carries its own name (``r``)
        becomes that dimension's coordinate. Undeclared arrays get dimensions ``<field>_dim<i>``.
    ``_labels``
        dimension -> coordinate labels of an index dimension, e.g. ``{"component": ("x", "y", "z")}``.
    ``_units``
        field -> units (the variable's ``units`` attribute), e.g. ``{"r": "xi(T)"}``.
    ``_attrs``
        fields that go to the dataset attributes (settings, models, labels); dictionaries are flattened
        to ``<field>_<key>``. A dictionary field not listed here gives one scalar variable per numeric
        entry (``error_chi``). Strings always go to the attributes.

    A result computed for a scalar input drops that input's dimension (:meth:`at_scalar`); its fields keep the
    remaining declared dimensions in the dataset.
    """

    _attrs: ClassVar[tuple[str, ...]] = ()
    _dims: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    _labels: ClassVar[Mapping[str, tuple]] = {}
    _units: ClassVar[Mapping[str, str]] = {}

    def to_dataset(self):
        """The result as a labelled ``xarray.Dataset``: coordinates, units and settings in the attributes.

        All attributes are netCDF-safe (strings and numbers), so the dataset round-trips through
        :class:`spincharge.store.ResultStore` unchanged.
        """
        import xarray as xr

        variables: dict[str, Any] = {}
        attrs: dict[str, Any] = {"result": type(self).__name__}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, Mapping):
                for key, item in value.items():
                    name = f"{f.name}_{key}"
                    if f.name not in self._attrs and _is_number(item):
                        variables[name] = xr.Variable((), item)
                    else:
                        attrs[name] = _attribute(item)
            elif f.name in self._attrs or isinstance(value, str):
                attrs[f.name] = _attribute(value)
            else:
                array = np.asarray(value)
                dims = self._dims.get(f.name, ())
                if len(dims) == array.ndim + 1:  # computed for a scalar input: its leading dimension dropped
                    dims = dims[1:]
                if len(dims) != array.ndim:  # undeclared, or a declared 1-D field given as a scalar
                    dims = tuple(f"{f.name}_dim{i}" for i in range(array.ndim))
                unit = {"units": self._units[f.name]} if f.name in self._units else {}
                variables[f.name] = xr.Variable(dims, array, attrs=unit)
        coords: dict[str, Any] = {name: var for name, var in variables.items() if var.dims == (name,)}
        data = {name: var for name, var in variables.items() if name not in coords}
        dims_used = {d for var in variables.values() for d in var.dims}
        extra = {**{d: list(labels) for d, labels in self._labels.items()}, **self._coordinates()}
        coords.update({d: (d, values) for d, values in extra.items() if d in dims_used and d not in coords})
        return xr.Dataset(data, coords=coords, attrs=attrs)

    def at_scalar(self, dim: str):
        """The same result with the leading dimension ``dim`` (length 1) removed from every field that has it: numpy's
        convention for a scalar input (a scalar phase gives a scalar current and an x profile)."""
        changes = {}
        for f in dataclasses.fields(self):
            dims = self._dims.get(f.name, ())
            value = getattr(self, f.name)
            if dims and dims[0] == dim and np.ndim(value) == len(dims) and np.shape(value)[0] == 1:
                changes[f.name] = value[0] if np.ndim(value) > 1 else value[0].item()
        return dataclasses.replace(self, **changes)

    def _coordinates(self) -> dict[str, Any]:
        """Coordinates computed from the settings (e.g. t_n = n dt); override where a grid is implicit."""
        return {}

    def __str__(self) -> str:
        """A readable summary: one line per field, arrays by shape and range, with units where known."""
        lines = [type(self).__name__]
        width = max(len(f.name) for f in dataclasses.fields(self))
        for f in dataclasses.fields(self):
            value: Any = getattr(self, f.name)
            unit = f" [{self._units[f.name]}]" if f.name in self._units else ""
            if isinstance(value, (np.ndarray, tuple, list)) and np.size(value) > 9 and _is_numeric_array(value):
                array = np.asarray(value)
                text = f"array{array.shape} from {array.min():.6g} to {array.max():.6g}"
            elif isinstance(value, np.ndarray):
                text = np.array2string(value, precision=6, max_line_width=100)
            elif isinstance(value, np.generic):
                text = repr(value.item())
            else:
                text = repr(value)
            text = text if len(text) <= 100 else text[:97] + "..."
            lines.append(f"  {f.name:<{width}} = {text}{unit}".replace("\n", "\n" + " " * (width + 5)))
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle):  # IPython and Jupyter show the summary
        printer.text(str(self))


def _is_numeric_array(value: Any) -> bool:
    return np.asarray(value).dtype.kind in "iuf"
