"""Uniform two-dimensional grids on which magnetization textures and their responses live."""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

__all__ = ["Grid"]


def _as_pair(value, name: str, kind):
    pair = (value, value) if np.ndim(value) == 0 else tuple(value)
    if len(pair) != 2:
        raise ValueError(f"{name} must be a single value or a pair (x, y), got {value!r}")
    return tuple(kind(v) for v in pair)


@dataclass(frozen=True)
class Grid:
    """A uniform grid of ``nx`` x ``ny`` points covering ``length_x`` x ``length_y`` around ``center``.

    Arrays on the grid are indexed ``[iy, ix]`` (shape ``(ny, nx)``). Along a periodic axis the points
    are ``x_j = center_x - length_x/2 + j * length_x/nx`` (the period is ``length_x``, the right end is
    the left end's image and is not stored); along a non-periodic axis both ends are grid points and
    the spacing is ``length_x/(nx - 1)``.

    Parameters
    ----------
    nx, ny : int
        Number of points along x and y (>= 3).
    length_x, length_y : float
        Period (periodic axis) or span from first to last point (non-periodic axis); finite, > 0.
    periodic : bool or (bool, bool)
        Whether the grid is periodic along (x, y). Spectral derivatives need a periodic axis.
    center : (float, float)
        Coordinates of the centre of the covered region.
    """

    nx: int
    ny: int
    length_x: float
    length_y: float
    periodic: tuple[bool, bool] = (True, True)
    center: tuple[float, float] = (0.0, 0.0)

    def __post_init__(self):
        for name in ("nx", "ny"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 3:
                raise ValueError(f"{name} must be an integer >= 3, got {value!r}")
            object.__setattr__(self, name, int(value))
        for name in ("length_x", "length_y"):
            value = getattr(self, name)
            if not (isinstance(value, numbers.Real) and np.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a finite positive number, got {value!r}")
            object.__setattr__(self, name, float(value))
        periodic = _as_pair(self.periodic, "periodic", lambda v: v)
        if not all(isinstance(v, (bool, np.bool_)) for v in periodic):
            raise ValueError(f"periodic must be a bool or a pair of bools, got {self.periodic!r}")
        object.__setattr__(self, "periodic", tuple(bool(v) for v in periodic))
        center = _as_pair(self.center, "center", float)
        if not all(np.isfinite(center)):
            raise ValueError(f"center must be finite, got {self.center!r}")
        object.__setattr__(self, "center", center)

    @classmethod
    def square(cls, n: int, length: float, *, periodic=True, center=(0.0, 0.0)) -> Grid:
        """An ``n`` x ``n`` grid covering a ``length`` x ``length`` square."""
        return cls(n, n, length, length, periodic=periodic, center=center)

    @property
    def shape(self) -> tuple[int, int]:
        """Array shape ``(ny, nx)``."""
        return (self.ny, self.nx)

    def _axis(self, n: int, length: float, periodic: bool, center: float) -> tuple[np.ndarray, float]:
        spacing = length / n if periodic else length / (n - 1)
        return center - length / 2 + spacing * np.arange(n), spacing

    @property
    def x(self) -> np.ndarray:
        return self._axis(self.nx, self.length_x, self.periodic[0], self.center[0])[0]

    @property
    def y(self) -> np.ndarray:
        return self._axis(self.ny, self.length_y, self.periodic[1], self.center[1])[0]

    @property
    def spacing(self) -> tuple[float, float]:
        """Grid spacings ``(dx, dy)``."""
        return (
            self._axis(self.nx, self.length_x, self.periodic[0], self.center[0])[1],
            self._axis(self.ny, self.length_y, self.periodic[1], self.center[1])[1],
        )

    def mesh(self) -> tuple[np.ndarray, np.ndarray]:
        """Coordinate arrays ``X, Y`` of shape ``(ny, nx)``."""
        return np.meshgrid(self.x, self.y, indexing="xy")

    def cell_area(self) -> float:
        dx, dy = self.spacing
        return dx * dy
