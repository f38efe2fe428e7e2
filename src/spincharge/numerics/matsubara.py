"""Fermionic Matsubara frequencies and their sums, with closed-form tails.

The fermionic frequencies are omega_n = pi T (2n + 1). Sums of smooth functions that decay as a power
series in 1/omega are split into a finite part (n < N) and a tail sum_{n >= N} omega_n^{-p}, which is a
Hurwitz zeta function:

    sum_{n >= N} omega_n^{-p} = (2 pi T)^{-p} zeta(p, N + 1/2),   p > 1.

Units are whatever the caller uses for the temperature (k_B = 1).
"""

from __future__ import annotations

import numpy as np
from scipy.special import zeta


def positive_frequencies(temperature: float, count: int) -> np.ndarray:
    """The first ``count`` positive fermionic Matsubara frequencies pi T (2n + 1), n = 0..count-1."""
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature!r}")
    if count < 1:
        raise ValueError(f"count must be >= 1, got {count!r}")
    return np.pi * temperature * (2 * np.arange(count) + 1.0)


def inverse_power_tail(temperature, start, power):
    """sum_{n >= start} omega_n^{-power} for fermionic omega_n = pi T (2n + 1) (power > 1).

    Closed form (2 pi T)^{-power} zeta(power, start + 1/2) (Hurwitz zeta). Broadcasts over
    ``temperature``, ``start`` and ``power``.
    """
    if not np.all(np.asarray(power) > 1):
        raise ValueError(f"power must be > 1 for a convergent tail, got {power!r}")
    temperature = np.asarray(temperature, dtype=float)
    start = np.asarray(start, dtype=float)
    return (2 * np.pi * temperature) ** (-power) * zeta(power, start + 0.5)


def count_for_ratio(temperature, energy: float, ratio: float) -> np.ndarray:
    """Smallest frequency count N with omega_N >= ratio * energy (vectorised over temperature)."""
    temperature = np.asarray(temperature, dtype=float)
    return np.maximum(np.ceil((ratio * energy / (np.pi * temperature) - 1) / 2), 1).astype(int)


def matsubara_nodes(temperature, cutoff, minimum_count=32, nodes=20):
    """Frequencies w (units of Delta) and weights for sum_{omega_n > 0} f(omega_n), f ~ w^-2 or faster.

    Explicit frequencies w_m = pi T (2m+1), m < N, N = max(first m with w_m >= cutoff, minimum_count);
    the rest by the midpoint rule sum_{m>=N} f(w_m) = (1/2 pi T) int_a^inf f dw + O((2 pi T/a)^2),
    a = w_N - pi T, with w = a e^s and ``nodes``-point Gauss-Laguerre in s (smooth on a log scale even
    where the core size sqrt(D/omega) passes r). Returns (w, weights, alternative); ``alternative``
    uses nodes/2 points (error estimate) and each weight vector is zero on the other's nodes.
    """
    count = max(int(count_for_ratio(temperature, 1.0, cutoff)), minimum_count)
    explicit = positive_frequencies(temperature, count)
    start = explicit[-1] + np.pi * temperature
    step = 2 * np.pi * temperature
    frequencies, weights, alternative = [explicit], [np.ones(count)], [np.ones(count)]
    for order, target in ((nodes, weights), (nodes // 2, alternative)):
        s, ws = np.polynomial.laguerre.laggauss(order)
        frequencies.append(start * np.exp(s))
        for vector in (weights, alternative):
            vector.append(ws * start * np.exp(2 * s) / step if vector is target else np.zeros(order))
    return np.concatenate(frequencies), np.concatenate(weights), np.concatenate(alternative)


class MatsubaraRule:
    """Positive Matsubara nodes and weights for pi T sum_{n in Z} f_n = pi T sum_{omega_n > 0} [f(omega_n) +
    f(-omega_n)], and two lower-order rules for the error (the nodes of ``matsubara_nodes``: explicit up to
    ``cutoff`` x ``scale``, at least ``minimum_count``, then ``nodes``-point Gauss-Laguerre).

    The tail beyond the N explicit frequencies is the midpoint-rule integral of ``matsubara_nodes``
    (Gauss-Laguerre in log omega). Its discretisation error (Euler-Maclaurin: (h/24) f'(a) + ...) is
    removed by corrections on the last explicit terms chosen so that the rule is exact for omega^-p,
    p = 2..5 (Hurwitz zeta sums; every summand here is a series in 1/omega). The error estimate is the
    sum of the differences from the rule with half the Gauss-Laguerre nodes and from the rule exact for
    p = 2..4 only."""

    def __init__(self, temperature, scale, cutoff, nodes, minimum_count):
        positive, weights, half = matsubara_nodes(temperature, cutoff * scale, minimum_count, nodes)
        n = int(np.sum(half == weights))  # explicit frequencies carry weight 1 in both rules
        lower = weights.copy()
        for rule, powers in ((weights, np.arange(2, 6)), (half, np.arange(2, 6)), (lower, np.arange(2, 5))):
            exact = inverse_power_tail(temperature, n, powers)
            points = positive[n - powers.size : n]
            rule[n - powers.size : n] += np.linalg.solve(points[None, :] ** -powers[:, None],
                                                         exact - rule[n:] @ positive[n:, None] ** -powers[None, :])  # fmt: skip
        self.temperature = temperature
        self.omega = positive
        self.weights = np.pi * temperature * weights
        self.alternatives = np.pi * temperature * np.stack([half, lower])

    def below(self, ceiling):
        """The rule on the nodes omega <= ``ceiling`` only (the rest of the tail left out)."""
        keep = self.omega <= ceiling
        out = object.__new__(MatsubaraRule)
        out.temperature, out.omega, out.weights = self.temperature, self.omega[keep], self.weights[keep]
        out.alternatives = self.alternatives[:, keep]
        return out

    def total(self, summand):
        """(sum, error) of ``summand`` = f(omega) + f(-omega) on the positive nodes (frequency axis last)."""
        value = summand @ self.weights
        return value, sum(np.abs(value - summand @ rule) for rule in self.alternatives)
