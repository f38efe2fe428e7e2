"""High-frequency vortex core of the non-self-consistent model (paper 003, Eq. (S11), |Delta| uniform).

For omega >> Delta the singlet amplitude is small (a_s <= Delta/2 omega) and the radial equation of a
vortex of winding n becomes linear: in xi(T) units, w = omega/Delta(T),

    P'' + P'/r - n^2 P/r^2 - w P = -1/2  =>  P_lin(r) = p_n(sqrt(w) r) / w,

with p'' + p'/x - n^2 p/x^2 - p = -1/2, p(0) = 0, p(inf) = 1/2 (p depends on |n| only). The nonlinear
terms of both the derived equation and the printed S11 change P by a relative O(P^2) = O(w^-2) only.

Derivation (any n != 0). With E = exp(-x sin u) the Bessel operator L = x^2 d_x^2 + x d_x - x^2 - n^2
acts as L E = -(d_u^2 + n^2) E, so two integrations by parts in u give
L int_0^{pi/2} E sin(nu) du = n e^{-x} cos(n pi/2) - n; the e^{-x} is cancelled by the continuation
of the u contour from pi/2 to pi/2 + i inf (u = pi/2 + i t, sin u = cosh t). The bounded solution is

    p_n(x) = 1/2 - (n/2) int_0^{pi/2} e^{-x sin u} sin(nu) du - (n/2) cos(n pi/2) int_0^inf e^{-x cosh t - nt} dt,

and two more integrations by parts remove the cancellation at small x:

    |n| = 1:  p_1 = (x/2) int_0^{pi/2} e^{-x sin u} cos^2 u du = (pi/4) (I_1 - L_1)   (DLMF 11.5.4);
    |n| >= 2: p_n = (x^2/4) [int_0^{pi/2} e^{-x sin u} cos u (sin((n-1)u)/(n-1) + sin((n+1)u)/(n+1)) du
                   - cos(n pi/2) int_0^inf e^{-x cosh t} sinh t (e^{-(n-1)t}/(n-1) - e^{-(n+1)t}/(n+1)) dt].

Odd n: the t integral drops out and p_n is I_0 - L_0 and I_1 - L_1 (modified Bessel and Struve) with
rational coefficients, e.g. p_3 = 2 - (3 pi/4)(1 + 8/x^2)(I_1 - L_1) + (3 pi/x)(I_0 - L_0); it is evaluated
by 32-point Gauss-Legendre in u for x <= ``ASYMPTOTIC_FROM``. Even n: the asymptotic series
p ~ sum_k b_k x^(-2k), b_0 = 1/2, b_{k+1} = (4k^2 - n^2) b_k, terminates at k = |n|/2 and is an exact
particular solution; the regular solution is

    p_n = sum_{k=0}^{|n|/2} b_k x^(-2k) + beta_n K_n(x),  beta_n = -(|n|/2) (-1)^(|n|/2)

(beta_n cancels the poles of K_n; p_2 = 1/2 - 2/x^2 + K_2). It is evaluated in that form above
``SERIES_BELOW`` and below as the convergent series of K_n with the poles removed. Behaviour:
p_1 = (pi/8) x - x^2/6 + ..., p_2 = -(x^2/8) ln(x/2) + (3/32 - gamma_E/8) x^2 + ...,
p_n = x^2 / (2(n^2 - 4)) + ... (|n| >= 3); p_n = 1/2 - n^2/(2 x^2) + O(x^-4) for large x.

The core size sqrt(D/omega) of the high frequencies is below any grid spacing, which made the current
I(r) of the vortex converge only as h^1 (n = 1: I ~ r ln r at the core): ``vortex`` solves for P - P_lin
and sums sum_{omega > a} 4 P_lin^2 n / r in closed form,

    (1/2 pi T) int_a^inf 4 P_lin(r; w)^2 / r dw = (1/2 pi T) 8 r G_n(sqrt(a) r),
    G_n(z) = int_z^inf p_n(u)^2 / u^3 du  (n = 1: -(pi/8)^2 ln z + const + O(z); |n| >= 2: finite at z = 0).
"""

from __future__ import annotations

from math import factorial

import numpy as np
from scipy.special import digamma, iv, ivp, kv, kvp

#: Above this x the asymptotic series of p is used for odd n (its smallest term there is ~1e-12 of p).
ASYMPTOTIC_FROM = 35.0
#: Below this x the even-n profile is the pole-free series of K_n (above it the closed form).
SERIES_BELOW = 4.0
_SERIES_TERMS = 12
_ANGLE_NODES = 32
_K_SERIES_TERMS = 30
_U, _UW = np.polynomial.legendre.leggauss(_ANGLE_NODES)
_U, _UW = np.pi / 4 * (_U + 1), np.pi / 4 * _UW


def _order(winding) -> int:
    if int(winding) != winding or winding == 0:
        raise ValueError(f"winding must be a nonzero integer, got {winding!r}")
    return abs(int(winding))


def asymptotic_coefficients(winding=1) -> np.ndarray:
    """b_k of p_n ~ sum_k b_k x^(-2k): b_0 = 1/2, b_{k+1} = (4k^2 - n^2) b_k (exact, terminating, for even n)."""
    n = _order(winding)
    b = [0.5]
    for k in range(_SERIES_TERMS - 1):
        b.append((4 * k * k - n * n) * b[-1])
    return np.array(b)


def bessel_weight(winding) -> float:
    """beta_n of p_n = sum_{k <= n/2} b_k x^(-2k) + beta_n K_n(x) for even n (zero for odd n)."""
    n = _order(winding)
    return -(n / 2) * (-1) ** (n // 2) if n % 2 == 0 else 0.0


def _angle_kernel(n):
    """(power a, kernel k(u)) of p_n = x^a int_0^{pi/2} e^{-x sin u} k(u) du (odd n)."""
    if n == 1:
        return 1, np.cos(_U) ** 2 / 2
    return 2, np.cos(_U) * (np.sin((n - 1) * _U) / (n - 1) + np.sin((n + 1) * _U) / (n + 1)) / 4


def _pole_free_series(n, x):
    """p_n and p_n' for even n from the series of K_n (DLMF 10.31.1) with the poles cancelled by sum b_k x^-2k."""
    y = x / 2
    beta = bessel_weight(n)
    p = np.zeros_like(x)
    dp = np.zeros_like(x)
    for k in range(n // 2 + 1, n):  # the surviving polar terms (positive powers y^(2k-n))
        c = beta * 0.5 * (-1) ** k * factorial(n - k - 1) / factorial(k)
        p += c * y ** (2 * k - n)
        dp += c * (2 * k - n) * y ** (2 * k - n - 1) / 2
    for j in range(_K_SERIES_TERMS):
        c = beta * 0.5 * (digamma(j + 1) + digamma(n + j + 1)) / (factorial(j) * factorial(n + j))
        p += c * y ** (n + 2 * j)
        dp += c * (n + 2 * j) * y ** (n + 2 * j - 1) / 2
    log = np.log(y)
    p -= beta * log * iv(n, x)
    dp -= beta * (iv(n, x) / x + log * ivp(n, x))
    return p, dp


def core_profile(x, winding=1):
    """p_n(x) and p_n'(x) of the linear high-frequency core equation (module docstring), x >= 0, any shape."""
    n = _order(winding)
    x = np.asarray(x, dtype=float)
    p, dp = np.zeros_like(x), np.zeros_like(x)
    b = asymptotic_coefficients(n)
    k = np.arange(b.size)
    far = x > (SERIES_BELOW if n % 2 == 0 else ASYMPTOTIC_FROM)
    xf = x[far]
    powers = xf[..., None] ** (-2.0 * k)
    p[far] = powers @ b
    dp[far] = (powers / xf[..., None]) @ (-2 * k * b)
    if n % 2 == 0:
        p[far] += bessel_weight(n) * kv(n, xf)
        dp[far] += bessel_weight(n) * kvp(n, xf)
    near = ~far & (x > 0)  # p(0) = 0, p'(0) = 0 (|n| >= 2) or pi/8 (n = 1)
    xn = x[near]
    if n % 2 == 0:
        p[near], dp[near] = _pole_free_series(n, xn)
    else:
        power, kernel = _angle_kernel(n)
        weight = np.exp(-xn[..., None] * np.sin(_U)) * kernel * _UW
        moment0, moment1 = weight.sum(-1), (weight * np.sin(_U)).sum(-1)
        p[near] = xn**power * moment0
        dp[near] = power * xn ** (power - 1) * moment0 - xn**power * moment1
    dp[x == 0] = np.pi / 8 if n == 1 else 0.0
    return p[()], dp[()]  # scalars for a scalar x (numpy's convention), arrays otherwise


def core_current_integral(z, winding=1):
    """G_n(z) = int_z^inf p_n(u)^2 / u^3 du for z > 0 (any shape).

    Above ``ASYMPTOTIC_FROM`` from the series of p^2 term by term (for even n the neglected K_n part is
    below 1e-10 of p there); below, 16-point Gauss-Legendre in ln u on the intervals between the sorted
    z values and a fixed log grid (spacing <= 0.5 in ln u, where p^2/u^2 is smooth), summed from the top.
    """
    z = np.asarray(z, dtype=float)
    if np.any(z <= 0):
        raise ValueError("z must be > 0")
    square = np.convolve(*2 * [asymptotic_coefficients(winding)])[:_SERIES_TERMS]  # p^2 = sum_k c_k u^(-2k)
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
        piece = ((core_profile(u, winding)[0] / u) ** 2 * weights * (right - left) / 2).sum(-1)
        above = np.concatenate([np.cumsum(piece[::-1])[::-1], [0.0]]) + far(np.array(ASYMPTOTIC_FROM))
        out[~high] = above[np.searchsorted(points, np.log(low))]
    return out[()]  # a scalar for a scalar z
