"""Spatial derivatives of fields on a :class:`~spincharge.textures.Grid`.

Two methods, chosen per axis:

* ``"spectral"`` (periodic axes only): multiply the discrete Fourier coefficients by ``i k``; the
  Nyquist coefficient of an even-length axis is set to zero (its derivative is not a real trigonometric
  polynomial). Exact for every trigonometric polynomial the grid resolves; exponentially accurate for
  smooth periodic fields.
* ``"finite_difference"``: the ``order + 1``-point Lagrange stencil of order ``order`` (even, 2-8),
  centred in the interior (wrapped around on a periodic axis) and shifted to one side at the edges of a
  non-periodic axis, so the truncation error is ``O(h**order)`` everywhere. ``order=2`` is the stencil
  of ``numpy.gradient(..., edge_order=2)``.

Each derivative comes with an error estimate: for finite differences ``max|D_p f - D_{p+2} f|`` (the
leading truncation term of ``D_p``), for spectral derivatives the max-norm bound of the contribution of
the top third of the resolved wavenumbers, ``sum_{|k| > 2 k_max/3} |k f_k|`` (large when the field is
under-resolved or its periodic continuation is not smooth).
"""

from __future__ import annotations

import numbers
from functools import lru_cache

import numpy as np

from .grid import Grid

__all__ = ["DERIVATIVE_METHODS", "stencil_weights", "partial_derivative", "gradient"]

#: accepted values of the ``derivative`` argument
DERIVATIVE_METHODS = ("auto", "spectral", "finite_difference")
_ORDERS = (2, 4, 6, 8)


@lru_cache(maxsize=64)
def stencil_weights(offsets: tuple[int, ...]) -> np.ndarray:
    """Weights ``w_j`` with ``f'(x) ~ sum_j w_j f(x + offsets_j h) / h``, exact for polynomials of
    degree ``len(offsets) - 1`` (solves the Vandermonde system ``sum_j w_j o_j^m = delta_{m1}``)."""
    offsets_array = np.asarray(offsets, dtype=float)
    powers = np.arange(len(offsets))
    vandermonde = offsets_array[None, :] ** powers[:, None]
    rhs = (powers == 1).astype(float)
    weights = np.linalg.solve(vandermonde, rhs)
    weights.flags.writeable = False
    return weights


def _finite_difference(field: np.ndarray, spacing: float, periodic: bool, order: int) -> np.ndarray:
    """First derivative along axis 0."""
    half = order // 2
    central = stencil_weights(tuple(range(-half, half + 1)))
    if periodic:
        return sum(w * np.roll(field, -o, axis=0) for o, w in zip(range(-half, half + 1), central)) / spacing
    n = field.shape[0]
    out = np.empty_like(field)
    out[half : n - half] = sum(
        w * field[half + o : n - half + o] for o, w in zip(range(-half, half + 1), central)
    )
    for i in range(half):  # shifted stencils on the first and last `half` points
        out[i] = np.tensordot(stencil_weights(tuple(range(-i, order + 1 - i))), field[: order + 1], axes=1)
        j = n - 1 - i
        out[j] = np.tensordot(stencil_weights(tuple(range(-order + i, i + 1))), field[n - order - 1 :], axes=1)
    return out / spacing


def _spectral(field: np.ndarray, spacing: float) -> tuple[np.ndarray, float]:
    """First derivative along axis 0 and the spectral-tail error bound."""
    n = field.shape[0]
    k = 2 * np.pi * np.fft.rfftfreq(n, d=spacing)
    coefficients = np.fft.rfft(field, axis=0)
    if n % 2 == 0:
        coefficients[-1] = 0.0
    derivative_coefficients = 1j * k.reshape((-1,) + (1,) * (field.ndim - 1)) * coefficients
    tail = np.abs(derivative_coefficients[k > 2 * k.max() / 3]).sum(axis=0) * 2 / n
    error = float(tail.max()) if tail.size else 0.0
    return np.fft.irfft(derivative_coefficients, n=n, axis=0), error


def partial_derivative(
    field, spacing: float, *, axis: int, periodic: bool, method: str = "spectral", order: int = 6
) -> tuple[np.ndarray, float]:
    """Derivative of ``field`` along ``axis`` and an estimate of its max-norm error.

    ``method`` is ``"spectral"`` (needs ``periodic``) or ``"finite_difference"`` (stencil ``order``).
    """
    field = np.moveaxis(np.asarray(field, dtype=float), axis, 0)
    if method == "spectral":
        if not periodic:
            raise ValueError("derivative='spectral' needs a periodic axis; use 'finite_difference' or 'auto'")
        derivative, error = _spectral(field, spacing)
    elif method == "finite_difference":
        _check_order(order)
        if not periodic and field.shape[0] < order + 3:
            raise ValueError(
                f"order={order} finite differences need at least {order + 3} points along a "
                f"non-periodic axis, got {field.shape[0]}"
            )
        derivative = _finite_difference(field, spacing, periodic, order)
        reference = _finite_difference(field, spacing, periodic, order + 2)
        error = float(np.max(np.abs(derivative - reference)))
    else:
        raise ValueError(f"method must be 'spectral' or 'finite_difference', got {method!r}")
    return np.moveaxis(derivative, 0, axis), error


def _check_order(order) -> None:
    if isinstance(order, bool) or not isinstance(order, numbers.Integral) or order not in _ORDERS:
        raise ValueError(f"order must be one of {_ORDERS}, got {order!r}")


def axis_methods(grid: Grid, derivative: str) -> tuple[str, str]:
    """The method used along x and along y for the ``derivative`` choice on ``grid``."""
    if derivative == "auto":
        return tuple("spectral" if p else "finite_difference" for p in grid.periodic)
    if derivative == "spectral":
        if not all(grid.periodic):
            raise ValueError(
                f"derivative='spectral' needs a grid periodic along x and y, got periodic={grid.periodic}; "
                "use derivative='auto' (spectral on periodic axes only) or 'finite_difference'"
            )
        return ("spectral", "spectral")
    if derivative == "finite_difference":
        return ("finite_difference", "finite_difference")
    raise ValueError(f"derivative must be one of {DERIVATIVE_METHODS}, got {derivative!r}")


def gradient(field, grid: Grid, *, derivative: str = "auto", order: int = 6) -> tuple[np.ndarray, float]:
    """``(d_x f, d_y f)`` stacked on a new axis before the last two, and the larger error estimate.

    ``field`` has shape ``(..., ny, nx)``; the result has shape ``(..., 2, ny, nx)``.
    ``derivative`` is ``"auto"`` (spectral along periodic axes, finite differences along the others),
    ``"spectral"`` or ``"finite_difference"``; ``order`` is the finite-difference order (2, 4, 6, 8).
    """
    field = np.asarray(field, dtype=float)
    if field.ndim < 2 or field.shape[-2:] != grid.shape:
        raise ValueError(f"field must have shape (..., {grid.ny}, {grid.nx}), got {field.shape}")
    _check_order(order)
    methods = axis_methods(grid, derivative)
    dx, dy = grid.spacing
    d_x, error_x = partial_derivative(field, dx, axis=-1, periodic=grid.periodic[0], method=methods[0], order=order)
    d_y, error_y = partial_derivative(field, dy, axis=-2, periodic=grid.periodic[1], method=methods[1], order=order)
    return np.stack([d_x, d_y], axis=-3), max(error_x, error_y)
