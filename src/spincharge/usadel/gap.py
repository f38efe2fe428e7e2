"""Weak-coupling BCS gap Delta(T) from the cutoff-free Matsubara gap equation.

Units: Tc = 1 (k_B = 1); the result is Delta(T)/Delta0 with Delta0 = pi exp(-gamma_E) Tc, the
weak-coupling zero-temperature gap. The gap equation with the Debye cutoff eliminated in favour of Tc
(the form used for the "Delta(0.98 Tc) ~ 0.243 Delta0" of paper 003, Appendix E) is

    ln(Tc/T) = 2 pi T sum_{omega_n > 0} [1/omega_n - 1/sqrt(omega_n^2 + Delta^2)].

The summand is expanded for omega_n > Delta as sum_k c_k Delta^{2k} omega_n^{-2k-1} with
c_k = -binom(-1/2, k); the frequencies n >= N (omega_N >= ``tail_ratio`` Delta0) are summed in closed
form with Hurwitz zeta functions (``numerics.matsubara.inverse_power_tail``), so the sum is converged
to the size of the first omitted tail term, which is the truncation error reported.

Below t = ``LOW_T`` = 0.01 the deficit 1 - Delta/Delta0 ~ sqrt(2 pi T/Delta0) exp(-Delta0/T) is below
1e-75, so the gap is returned as 1 with that asymptote as its error (no frequency sum of 10^4+ terms).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import binom

from ..numerics.matsubara import count_for_ratio, inverse_power_tail, positive_frequencies
from ..results import Result

#: Delta0 / Tc in weak coupling: pi exp(-gamma_E).
GAP0_OVER_TC = float(np.pi * np.exp(-np.euler_gamma))
#: Below this t the gap equals Delta0 to far better than double precision (see module docstring).
LOW_T = 0.01


@dataclass(frozen=True)
class BCSGap(Result):
    """Delta(T)/Delta0 at reduced temperatures t = T/Tc, with its error estimate.

    ``error`` bounds |computed - exact| of ``gap`` (truncation of the tail series plus the root
    bracket); ``frequency_count`` is the number of Matsubara frequencies summed explicitly for each t
    before the closed-form tail; ``tail_terms`` the number of tail orders in Delta^2.
    """
    _dims = {"t": ("t",), "gap": ("t",), "error": ("t",), "frequency_count": ("t",)}
    _units = {"t": "Tc", "gap": "Delta0", "error": "Delta0"}

    t: np.ndarray
    gap: np.ndarray
    error: np.ndarray
    frequency_count: np.ndarray
    tail_terms: int
    tail_ratio: float


def _summand_coefficients(terms: int) -> np.ndarray:
    """c_k, k = 1..terms, of 1/w - 1/sqrt(w^2 + D^2) = sum_k c_k D^{2k} w^{-2k-1}."""
    k = np.arange(1, terms + 1)
    return -binom(-0.5, k)


def _gap_equation(gap, temperature, count, coefficients):
    """Right-hand side minus ln(1/T) of the gap equation and its derivative in Delta (Tc = 1).

    ``gap`` and ``temperature`` have shape (m,), ``count`` gives the explicit frequencies per entry.
    """
    n_max = int(count.max())
    omega = positive_frequencies(1.0, n_max)[None, :] * temperature[:, None]
    inside = np.arange(n_max)[None, :] < count[:, None]
    root = np.sqrt(omega**2 + gap[:, None] ** 2)
    finite = np.where(inside, 1 / omega - 1 / root, 0.0).sum(axis=1)
    d_finite = np.where(inside, gap[:, None] / root**3, 0.0).sum(axis=1)
    k = np.arange(1, coefficients.size + 1)
    tails = inverse_power_tail(temperature[:, None], count[:, None], 2 * k[None, :] + 1)
    tail = (coefficients * gap[:, None] ** (2 * k) * tails).sum(axis=1)
    d_tail = (coefficients * 2 * k * gap[:, None] ** (2 * k - 1) * tails).sum(axis=1)
    value = 2 * np.pi * temperature * (finite + tail) - np.log(1 / temperature)
    return value, 2 * np.pi * temperature * (d_finite + d_tail)


def bcs_gap(t, *, tail_ratio: float = 4.0, tail_terms: int = 6, bisections: int = 60) -> BCSGap:
    """Weak-coupling BCS gap Delta(T)/Delta0 at t = T/Tc (vectorised; 0 for t >= 1, 1 for t < LOW_T).

    Solves ln(Tc/T) = 2 pi T sum_{omega_n>0} [1/omega_n - 1/sqrt(omega_n^2 + Delta^2)] (cutoff-free
    BCS gap equation; paper 003, Appendix E uses its solution Delta(0.98 Tc)) by bisection on
    [0, 1.01 Delta0], the sum being explicit up to omega_N >= ``tail_ratio`` * Delta0 and a closed-form
    Hurwitz-zeta series of ``tail_terms`` orders in Delta^2 beyond.

    Scalars in, scalars out: a scalar ``t`` gives scalar fields, an array gives arrays of its shape.
    """
    shape = np.shape(t)
    t_arr = np.asarray(t, dtype=float).ravel()
    if not np.all(np.isfinite(t_arr)) or np.any(t_arr < 0):
        raise ValueError(f"t = T/Tc must be finite and >= 0, got {t!r}")
    if not tail_ratio >= 2.0:
        raise ValueError(f"tail_ratio must be >= 2 (series convergence), got {tail_ratio!r}")
    if not 1 <= tail_terms <= 30:
        raise ValueError(f"tail_terms must be in [1, 30], got {tail_terms!r}")
    if not 20 <= bisections <= 200:
        raise ValueError(f"bisections must be in [20, 200], got {bisections!r}")

    cold = t_arr < LOW_T
    gap = np.where(cold, GAP0_OVER_TC, 0.0)
    with np.errstate(divide="ignore", under="ignore", over="ignore"):
        deficit = np.sqrt(2 * np.pi * t_arr / GAP0_OVER_TC) * np.exp(-GAP0_OVER_TC / t_arr)
    error = np.where(cold, GAP0_OVER_TC * deficit, 0.0)
    count = np.zeros(t_arr.shape, dtype=int)
    solve = (t_arr >= LOW_T) & (t_arr < 1)
    if np.any(solve):
        temperature = t_arr[solve]
        n = count_for_ratio(temperature, GAP0_OVER_TC, tail_ratio)
        coefficients = _summand_coefficients(tail_terms)
        low = np.zeros_like(temperature)
        high = np.full_like(temperature, 1.01 * GAP0_OVER_TC)
        for _ in range(bisections):
            mid = 0.5 * (low + high)
            value, _ = _gap_equation(mid, temperature, n, coefficients)
            above = value > 0
            high = np.where(above, mid, high)
            low = np.where(above, low, mid)
        root = 0.5 * (low + high)
        _, slope = _gap_equation(root, temperature, n, coefficients)
        k = tail_terms + 1
        omitted = np.abs(_summand_coefficients(k)[-1]) * root ** (2 * k)
        omitted = 2 * np.pi * temperature * omitted * inverse_power_tail(temperature, n, 2 * k + 1)
        gap[solve] = np.minimum(root, GAP0_OVER_TC)  # Delta < Delta0 for T > 0; rounding only
        error[solve] = (high - low) + omitted / np.maximum(slope, np.finfo(float).tiny)
        count[solve] = n
    def shaped(values):
        return values.reshape(shape)[()]

    return BCSGap(
        t=shaped(t_arr),
        gap=shaped(gap / GAP0_OVER_TC),
        error=shaped(error / GAP0_OVER_TC),
        frequency_count=shaped(count),
        tail_terms=tail_terms,
        tail_ratio=tail_ratio,
    )


def gap_equation(delta, amplitude, rule, log_ratio):
    """(R, error) of the cutoff-free gap equation for a pair potential ``delta`` (Delta0 units, any shape,
    complex allowed) and the singlet amplitude F_n of the state, ``amplitude`` (that shape + the positive
    frequencies of ``rule``, a :class:`~spincharge.numerics.matsubara.MatsubaraRule`; F even in omega_n):

        R = Delta ln(Tc/T) - pi T sum_{n in Z} [Delta/|omega_n| - F_n]   (``log_ratio`` = ln(Tc/T)),

    the equation of ``bcs_gap`` times Delta (bulk: F = Delta/sqrt(omega^2 + Delta^2)), zero at a self-consistent
    Delta; each sum alone diverges, the summand falls as omega^-2 (gradients) or omega^-3 (bulk). ``error``:
    the rule's quadrature-error estimate of the sum."""
    summand = 2 * (np.asarray(delta)[..., None] / rule.omega - amplitude)
    deficit, error = rule.total(summand)
    return delta * log_ratio - deficit, error
