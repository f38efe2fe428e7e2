"""High-frequency vortex core of the non-self-consistent model (paper 003, Eq. (S11), |Delta| uniform).

For omega >> Delta the singlet amplitude is small (a_s <= Delta/2 omega) and the radial equation of an
|n| = 1 vortex becomes linear: in xi(T) units, w = omega/Delta(T),

    P'' + P'/r - P/r^2 - w P = -1/2  =>  P_lin(r) = p(sqrt(w) r) / w,

with p'' + p'/x - p/x^2 - p = -1/2, p(0) = 0, p(inf) = 1/2. The nonlinear terms of both the derived
equation and the printed S11 change P by a relative O(P^2) = O(w^-2) only. The regular bounded solution
is p = (pi/4) (I_1 - L_1) (modified Bessel and Struve functions), which by the integral representation
of I_nu - L_nu (DLMF section 11.5) is

    p(x) = (x/2) int_0^1 exp(-x t) sqrt(1 - t^2) dt = (x/2) int_0^{pi/2} exp(-x sin u) cos^2 u du,

which is evaluated by Gauss-Legendre quadrature for x <= ``ASYMPTOTIC_FROM`` and by the asymptotic
series p = sum_k b_k x^(-2k), b_0 = 1/2, b_{k+1} = (4k^2 - 1) b_k, above (both to ~1e-13; checked
against mpmath's Bessel-Struve form in tests/usadel/test_core.py). p'(0) = pi/8.

The core size sqrt(D/omega) of these frequencies is below any grid spacing, which made the current
I(r) of the vortex converge only as h^1 (I ~ r ln r at the core): ``vortex`` solves for P - P_lin and
sums sum_{omega > a} 4 P_lin^2 n / r in closed form,

    (1/2 pi T) int_a^inf 4 P_lin(r; w)^2 / r dw = (1/2 pi T) 8 r G(sqrt(a) r),
    G(z) = int_z^inf p(u)^2 / u^3 du  (= -(pi/8)^2 ln z + const + O(z^2) for z -> 0).
"""

from __future__ import annotations

import numpy as np

#: Above this x the asymptotic series of p is used (its smallest term there is ~1e-12 of p).
ASYMPTOTIC_FROM = 25.0
_SERIES_TERMS = 12
_ANGLE_NODES = 32


def _series():
    b = [0.5]
    for k in range(_SERIES_TERMS - 1):
        b.append((4 * k * k - 1) * b[-1])
    return np.array(b)


_B = _series()
_U, _UW = np.polynomial.legendre.leggauss(_ANGLE_NODES)
_U, _UW = np.pi / 4 * (_U + 1), np.pi / 4 * _UW


def core_profile(x):
    """p(x) and p'(x) of the linear high-frequency core equation (module docstring), x >= 0, any shape."""
    x = np.asarray(x, dtype=float)
    p, dp = np.empty_like(x), np.empty_like(x)
    far = x > ASYMPTOTIC_FROM
    xf = x[far]
    powers = xf[..., None] ** (-2.0 * np.arange(_SERIES_TERMS))
    p[far] = powers @ _B
    dp[far] = (powers / xf[..., None]) @ (-2 * np.arange(_SERIES_TERMS) * _B)
    xn = x[~far][..., None]
    weight = np.exp(-xn * np.sin(_U)) * np.cos(_U) ** 2 * _UW
    moment0, moment1 = weight.sum(-1), (weight * np.sin(_U)).sum(-1)
    p[~far] = xn[..., 0] / 2 * moment0
    dp[~far] = moment0 / 2 - xn[..., 0] / 2 * moment1
    return p, dp


def core_current_integral(z):
    """G(z) = int_z^inf p(u)^2 / u^3 du for z > 0 (any shape).

    Above ``ASYMPTOTIC_FROM`` from the series of p^2 term by term; below, 16-point Gauss-Legendre in
    ln u on the intervals between the sorted z values and a fixed log grid (spacing <= 0.5 in ln u,
    where p^2/u^2 is smooth), summed from the top.
    """
    z = np.asarray(z, dtype=float)
    if np.any(z <= 0):
        raise ValueError("z must be > 0")
    square = np.convolve(_B, _B)[:_SERIES_TERMS]  # p^2 = sum_k c_k u^(-2k)
    k = np.arange(_SERIES_TERMS)

    def far(values):
        return (values[..., None] ** (-2.0 * k - 2) / (2 * k + 2)) @ square

    out = np.empty_like(z)
    high = z >= ASYMPTOTIC_FROM
    out[high] = far(z[high])
    low = z[~high]
    if low.size:
        top = np.log(ASYMPTOTIC_FROM)
        bottom = np.log(low.min())
        fixed = np.linspace(bottom, top, max(int(np.ceil((top - bottom) / 0.5)), 1) + 1)
        points = np.unique(np.concatenate([np.log(low), fixed]))
        nodes, weights = np.polynomial.legendre.leggauss(16)
        left, right = points[:-1, None], points[1:, None]
        s = (left + right) / 2 + (right - left) / 2 * nodes
        u = np.exp(s)
        piece = ((core_profile(u)[0] / u) ** 2 * weights * (right - left) / 2).sum(-1)
        above = np.concatenate([np.cumsum(piece[::-1])[::-1], [0.0]]) + far(np.array(ASYMPTOTIC_FROM))
        out[~high] = above[np.searchsorted(points, np.log(low))]
    return out
