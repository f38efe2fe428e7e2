"""The anomalous phase phi0 of a Josephson junction and its weak-proximity closed form (paper 003, Eqs. (8)-(12)).

``anomalous_phase`` finds phi0, the zero of the current-phase relation I(phi) with positive slope (I = I_c
sin(phi - phi0) in the sinusoidal limit; phi0 = 0 for a plain junction, pi for a pi junction), from the
nonlinear solver ``junction.junction``: a uniform coarse grid, the zero of its trigonometric interpolant,
then root refinement by parabolas through three solver points around the estimate (each a batched junction
solve), with the error |last correction| + (current error)/slope.

``weak_proximity_current`` is the closed form of an S/N/S junction in the weak-proximity limit (docs/
conventions.md, "Junctions"): transparent interfaces, small reservoir gap (a = s Delta e^(i chi)/(|omega| + Omega)
at both ends), one N layer (length L, D) with exchange field h along a spin axis n and the spin-galvanic column
gamma_lx, with g_n = gamma . n. The linearised equations (``scripts/derive_usadel_riccati.py``) split into the
sigma_n = +-1 bands a_+- = a_0 +- a_n:

    D a'' -+ s g_n a' = 2 s (omega +- i h) a,    D b'' +- s g_n b' = 2 s (omega +- i h) b,

which a = e^(+-q x) a~, b = e^(-+q x) b~, q = s g_n/(2D), reduce to D a~'' = D k^2 a~, k_+-^2 = g_n^2/(4D^2) +
2 s (omega +- i h)/D; the current Tr tau3 J_x = 4 sum_+- D (a~' b~ - a~ b~') (the gamma current cancels the
gauge term) gives

    e I R_N = 2 L pi T sum_n c_n^2 [(W_+ + W_-) cosh(q L) sin(phi) + i (W_+ - W_-) sinh(q L) cos(phi)],
    W_+- = k_+- / sinh(k_+- L),  c_n = Delta/(|omega_n| + Omega_n),

so I = I_1 sin(phi) + I_2 cos(phi) and phi0 = atan2(-I_2, I_1): nonzero only with h and g_n both nonzero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..numerics.matsubara import matsubara_nodes
from ..results import Result
from .gap import GAP0_OVER_TC
from .junction import JunctionResult, junction, trigonometric_interpolant


@dataclass(frozen=True)
class AnomalousPhase(Result):
    """phi0 (rad, in (-pi, pi]) with its ``error``, the CPR slope dI/dphi there (Delta0/(e R_N)), the coarse
    current-phase relation ``cpr`` it started from, and the number of refinement solves."""

    _units = {"phi0": "rad", "error": "rad", "slope": "Delta0 / (e R_N)"}
    _attrs = ("refinements",)

    phi0: float
    error: float
    slope: float
    cpr: JunctionResult
    refinements: int

    def to_dataset(self):
        dataset = self.cpr.to_dataset()
        dataset.attrs.update(phi0=self.phi0, phi0_error=self.error, slope=self.slope, refinements=self.refinements)
        return dataset


def _wrap(phase):
    return float(np.angle(np.exp(1j * phase)))


def _interpolated_zero(phases, current):
    """Zero with positive slope of the trigonometric interpolant through a uniform grid over one period."""
    count = phases.size
    interpolant = trigonometric_interpolant(phases, current)
    dense = phases[0] + np.linspace(0, 2 * np.pi, 64 * count + 1)
    values = interpolant(dense)
    rising = np.flatnonzero((values[:-1] <= 0) & (values[1:] > 0))
    if rising.size == 0:
        raise ValueError("the current-phase relation has no zero with positive slope (is the current zero?)")
    slopes = interpolant(dense[rising], 1)
    x = np.array(dense[rising[np.argmax(slopes)]])  # the steepest rising zero if there are several
    for _ in range(30):
        x = x - interpolant(x) / interpolant(x, 1)
    return float(x)


def anomalous_phase(layers, t: float, *, grid: int = 8, refinements: int = 2, **options) -> AnomalousPhase:
    """phi0 of a junction (module docstring): ``grid`` uniform phases on [-pi, pi), then ``refinements``
    parabola steps (three phases each, spacing 2 pi/grid divided by 8 per step). ``options`` go to
    ``junction.junction`` (ends, interfaces, points, frequencies, tolerances)."""
    if not (int(grid) == grid and grid >= 4):
        raise ValueError(f"grid must be an integer >= 4, got {grid!r}")
    if not (int(refinements) == refinements and refinements >= 1):
        raise ValueError(f"refinements must be an integer >= 1, got {refinements!r}")
    phases = -np.pi + 2 * np.pi * np.arange(grid) / grid
    cpr = junction(layers, t, phases, **options)
    x = _interpolated_zero(phases, cpr.current)
    spacing, change, slope, error_current = 2 * np.pi / grid, np.inf, 0.0, 0.0
    for _ in range(int(refinements)):
        spacing /= 8
        trial = x + spacing * np.array([-1.0, 0.0, 1.0])
        result = junction(layers, t, trial, **options)
        c2, c1, c0 = np.polyfit(trial - x, result.current, 2)
        roots = np.roots([c2, c1, c0]) if abs(c2) > 0 else np.array([-c0 / c1])
        roots = roots[np.isreal(roots)].real
        if roots.size == 0:
            raise ValueError("phi0 refinement lost the zero of the current (try a finer grid)")
        step = float(roots[np.argmin(np.abs(roots))])
        change, x = abs(step), x + step
        slope, error_current = float(c1 + 2 * c2 * step), float(np.max(result.error))
    if not slope > 0:
        raise ValueError("phi0 refinement ended on a zero with negative slope (try a finer grid)")
    return AnomalousPhase(phi0=_wrap(x), error=float(change + error_current / slope), slope=slope, cpr=cpr,
                          refinements=int(refinements))


def weak_proximity_current(phases, t: float, *, length: float, gap: float, exchange: float = 0.0,
                           gamma: float = 0.0, diffusion: float = 1.0, frequency_cutoff: float = 10.0,
                           minimum_frequencies: int = 32, quadrature_nodes: int = 20):
    """e I R_N/Delta0 of the weak-proximity S/N/S closed form (module docstring) on ``phases``: N of ``length``
    (xi0) and ``diffusion`` (D0), field ``exchange`` = h . n and ``gamma`` = g_n = gamma_lx n_l along one spin
    axis n, reservoir ``gap`` (Delta0), transparent interfaces; the Matsubara sum as in ``junction.junction`` (same
    frequency keywords). Returns (current, I_1, I_2)."""
    if not (np.isfinite(length) and length > 0):
        raise ValueError(f"length must be > 0 (units of xi0), got {length!r}")
    if not (np.isfinite(gap) and gap > 0):
        raise ValueError(f"gap must be > 0 (units of Delta0), got {gap!r}")
    if not (np.isfinite(t) and 0 < t < 1):
        raise ValueError(f"t = T/Tc must be in (0, 1), got {t!r}")
    temperature = t / GAP0_OVER_TC
    w, weights, _ = matsubara_nodes(temperature, frequency_cutoff, int(minimum_frequencies), int(quadrature_nodes))
    total_sin, total_cos = 0.0, 0.0
    for s in (1.0, -1.0):
        q = s * gamma / (2 * diffusion)
        c2 = (gap / (w + np.sqrt(w**2 + gap**2))) ** 2
        k = [np.sqrt(gamma**2 / (4 * diffusion**2) + 2 * s * (s * w + 1j * sign * exchange) / diffusion) for sign in (1, -1)]
        W = [2 * kk * np.exp(-kk * length) / (1 - np.exp(-2 * kk * length)) for kk in k]  # k/sinh(kL), no overflow
        total_sin = total_sin + np.sum(weights * c2 * (W[0] + W[1]) * np.cosh(q * length))
        total_cos = total_cos + np.sum(weights * c2 * 1j * (W[0] - W[1]) * np.sinh(q * length))
    prefactor = 2 * length * np.pi * temperature
    first, second = prefactor * total_sin, prefactor * total_cos
    if max(abs(first.imag), abs(second.imag)) > 1e-10 * max(abs(first), abs(second)):
        raise ArithmeticError("the closed form lost its reality (report this)")
    first, second = float(first.real), float(second.real)
    phases = np.asarray(phases, dtype=float)
    return first * np.sin(phases) + second * np.cos(phases), first, second
