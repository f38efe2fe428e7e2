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
