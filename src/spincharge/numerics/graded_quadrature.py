"""Composite Gauss-Legendre rule graded geometrically towards near-real poles of the integrand.

An integrand with a pole at distance w from the real axis near x = c is analytic in a strip of half-width
w around c only; panels [c + w 2^k, c + w 2^(k+1)] have a length comparable to their distance from the
pole, so Gauss-Legendre of order n converges on each like (1 + sqrt 2)^(-2n) and the number of panels
grows only like log(L / w).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["graded_breakpoints", "graded_gauss_legendre"]


def graded_breakpoints(lower: float, upper: float, centres, widths, ratio: float = 2.0) -> np.ndarray:
    """Sorted breakpoints in [lower, upper]: each centre c, and c +- w ratio^k for k = 0, 1, ..."""
    if not upper > lower:
        raise ValueError(f"upper must exceed lower, got [{lower!r}, {upper!r}]")
    if not ratio > 1:
        raise ValueError(f"ratio must be > 1, got {ratio!r}")
    points = [np.array([lower, upper], dtype=float)]
    for centre, width in zip(np.atleast_1d(centres), np.atleast_1d(widths), strict=True):
        if not width > 0:
            raise ValueError(f"widths must be > 0, got {width!r}")
        steps = width * ratio ** np.arange(int(np.ceil(np.log((upper - lower) / width) / np.log(ratio))) + 1)
        points.append(np.concatenate([[centre], centre + steps, centre - steps]))
    points = np.concatenate(points)
    points = np.unique(points[(points >= lower) & (points <= upper)])
    smallest = min(np.min(widths), upper - lower)
    keep = np.concatenate([[True], np.diff(points) > 1e-3 * smallest])
    keep[-1] = True
    points = points[keep]
    if points[-2] > upper - 1e-3 * smallest and len(points) > 2:
        points = np.delete(points, -2)
    return points


@lru_cache(maxsize=64)
def _legendre(order: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on [-1, 1] (an eigenvalue problem each time: the crossed diagrams
    ask for the same order about 10^4 times per run), read-only."""
    x, w = np.polynomial.legendre.leggauss(order)
    x.flags.writeable = w.flags.writeable = False
    return x, w


def graded_gauss_legendre(breakpoints, order: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of Gauss-Legendre of ``order`` points on each panel between ``breakpoints``."""
    if order < 1:
        raise ValueError(f"order must be >= 1, got {order!r}")
    x, w = _legendre(int(order))
    a, b = np.asarray(breakpoints[:-1]), np.asarray(breakpoints[1:])
    half = 0.5 * (b - a)
    nodes = (0.5 * (a + b))[:, None] + half[:, None] * x[None, :]
    weights = half[:, None] * w[None, :]
    return nodes.ravel(), weights.ravel()
