"""Homogeneous superconductor in the 4x4 Usadel equation: Zeeman spin response with spin relaxation.

Paper 003, Eq. (S3) without gradients, with a Zeeman field h along z and isotropic Gamma_jk:
    [omega tau3 + Delta tau1 + i h tau3 sigma_z + (Gamma/8) sum_k sigma_k g sigma_k, g] = 0,
so g = sign(M) (matrix sign function) with M the bracket's left entry, solved by fixed-point
iteration at every Matsubara frequency (both signs). The condensate spin is
    delta S_z = (i nu / 4) pi T sum_{n in Z} Tr[tau3 sigma_z g(omega_n)] = -nu X h + O(h^3)
(the convention of docs/conventions.md; the normal-state Pauli term nu h is outside quasiclassics), and
X is the reduction of the spin susceptibility, chi/chi_N = 1 - X. Closed form (derived in
docs/conventions.md): X = pi T sum_{n in Z} Delta^2 / (Omega_n^2 (Omega_n + Gamma/2)),
Omega_n = sqrt(omega_n^2 + Delta^2); Gamma = 0 gives the Yosida function.

In the vortex (``vortex``) the phase gradient q acts as h_eff = gamma q / 2 (derived in
``scripts/derive_usadel_vortex.py``), so far from the core the radial spin is -nu X gamma_o n / (2 r).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..numerics.matsubara import inverse_power_tail, positive_frequencies
from ..results import CARTESIAN, Result
from .gap import GAP0_OVER_TC, bcs_gap
from .film import film_state
from .operator import Algebra

_ALGEBRA = Algebra("numpy")
TAU, SIGMA = _ALGEBRA.tau, _ALGEBRA.sigma


@dataclass(frozen=True)
class SpinResponse(Result):
    """X(T, Gamma): condensate spin delta S = -nu X h; error from field step, iteration and tail."""
    _units = {"gap": "Delta0"}

    t: float
    delta0_tau_so: float
    gap: float
    value: float
    error: float
    closed_form: float
    frequency_count: int
    field: float


def matrix_sign(m):
    """sign(M) for a stack of diagonalizable matrices (eigenvalues off the imaginary axis)."""
    values, vectors = np.linalg.eig(m)
    return vectors @ (np.sign(values.real)[..., None] * np.linalg.inv(vectors))


def homogeneous_green(frequencies, gap, field, relaxation, *, tolerance=1e-14, max_iterations=500):
    """g(omega_n) (shape (N, 4, 4)) of the homogeneous 4x4 equation, by fixed-point iteration."""
    omega = np.asarray(frequencies, dtype=float)[:, None, None]
    bare = omega * TAU[3] + gap * TAU[1] + 1j * field * TAU[3] @ SIGMA[2]
    g = matrix_sign(bare)
    for _ in range(max_iterations):
        flip = sum(s @ g @ s for s in SIGMA)
        new = matrix_sign(bare + relaxation / 8 * flip)
        if np.max(np.abs(new - g)) < tolerance:
            return new
        g = new
    raise RuntimeError(f"fixed point not reached in {max_iterations} iterations")


def condensate_spin_response(
    t: float, delta0_tau_so: float = 0.1, *, field: float = 1e-4, frequency_ratio: float = 50.0
) -> SpinResponse:
    """X = -delta S / (nu h) of the homogeneous superconductor at t = T/Tc (paper 003, Eq. (S3)).

    ``field`` is h / Delta(T) for the symmetric difference (+h, -h); frequencies up to
    ``frequency_ratio`` * max(Delta, Gamma) explicitly, the rest by the omega^-3 tail.
    """
    if not (np.isfinite(t) and 0 < t < 1):
        raise ValueError(f"t = T/Tc must be in (0, 1), got {t!r}")
    if not (np.isfinite(delta0_tau_so) and delta0_tau_so > 0):
        raise ValueError(f"delta0_tau_so must be > 0, got {delta0_tau_so!r}")
    if not 0 < field <= 1e-2:
        raise ValueError(f"field must be in (0, 1e-2] (units of Delta(T)), got {field!r}")
    gap = float(bcs_gap(t).gap)
    temperature = t / (gap * GAP0_OVER_TC)  # units of Delta(T)
    relaxation = 1 / (delta0_tau_so * gap)  # Gamma / Delta(T), Gamma = 1/tau_so
    scale = frequency_ratio * max(1.0, relaxation)
    count = int(np.ceil(scale / (2 * np.pi * temperature))) + 1
    positive = positive_frequencies(temperature, count)
    frequencies = np.concatenate([positive, -positive])
    spins = []
    for h in (field, -field):
        g = homogeneous_green(frequencies, 1.0, h, relaxation)
        spins.append(np.trace(TAU[3] @ SIGMA[2] @ g, axis1=1, axis2=2))
    per_frequency = (1j / 4 * (spins[0] - spins[1]) / (2 * field)).real  # d(delta S)/dh / nu
    # tail: the summand ~ c / |omega|^3 for both signs
    c = per_frequency[count - 1] * positive[-1] ** 3 + per_frequency[-1] * positive[-1] ** 3
    total = per_frequency.sum() + c * inverse_power_tail(temperature, count, 3)
    value = -np.pi * temperature * total
    # closed form (cheap, so summed 100 times further; both signs give the same terms)
    omega = positive_frequencies(temperature, 100 * count)
    big = np.sqrt(omega**2 + 1)
    closed = 2 * np.pi * temperature * np.sum(1 / (big**2 * (big + relaxation / 2)))
    closed += 2 * np.pi * temperature * inverse_power_tail(temperature, 100 * count, 3)
    # the tail assumes |omega|^-3 although the summand is (Omega^2 (Omega + Gamma/2))^-1: relative
    # error ~ (Gamma/2 + 1)/omega_N of the tail; the field step adds O(h^2)
    tail = np.pi * temperature * abs(c) * inverse_power_tail(temperature, count, 3)
    error = tail * (relaxation / 2 + 1) / positive[-1] + field**2
    return SpinResponse(
        t=float(t),
        delta0_tau_so=float(delta0_tau_so),
        gap=float(gap),
        value=float(value),
        error=float(error),
        closed_form=float(closed),
        frequency_count=count,
        field=float(field),
    )


@dataclass(frozen=True)
class SupercurrentSpin(Result):
    """Homogeneous superconductor with a phase gradient q and spin-galvanic tensor gamma (first order).

    ``spin``: delta S / (nu Delta(T)) (3-vector, first order in gamma); ``current``: j in units of
    sigma_N Delta(T) / (e xi(T)) (3-vector, gamma = 0); q in 1/xi(T), gamma in D/xi(T), xi(T) = sqrt(D/2 Delta(T)).
    ``residual``: the largest |M^-1 E M| off-diagonal entry left by Newton's method.
    """
    _dims = {"gamma": ("spin_axis", "gradient_axis"), "phase_gradient": ("gradient_axis",), "spin": ("spin_axis",),
             "current": ("gradient_axis",)}  # fmt: skip
    _labels = {"spin_axis": CARTESIAN, "gradient_axis": CARTESIAN}
    _units = {"gap": "Delta0", "gamma": "D / xi(T)", "phase_gradient": "1 / xi(T)", "spin": "nu Delta(T)",
              "current": "sigma_N Delta(T) / (e xi(T))"}  # fmt: skip

    t: float
    delta0_tau_so: float
    gap: float
    gamma: np.ndarray
    phase_gradient: np.ndarray
    spin: np.ndarray
    current: np.ndarray
    frequency_count: int
    residual: float


def supercurrent_spin(
    t: float,
    gamma,
    phase_gradient,
    delta0_tau_so: float = 0.1,
    *,
    gamma_step: float = 1e-4,
    frequency_ratio: float = 30.0,
    tolerance: float = 1e-12,
    max_iterations: int = 40,
) -> SupercurrentSpin:
    """Supercurrent-induced spin (inverse spin-galvanic effect) of a homogeneous superconductor.

    Solves the full 4x4 Usadel equation (paper 003, Eqs. (S3)-(S5) with the gamma_lk terms of Eqs. (8)-(9),
    torque sign fixed by g^2 = 1) for g(x) = U g U^+, U = exp(i q.x tau3/2) (a ∝ e^{i q.x}) at |Delta| =
    Delta(T): :func:`~spincharge.usadel.film.film_state` with a fixed gap (batched Newton on the Riccati
    amplitudes at every Matsubara frequency, explicit up to ``frequency_ratio`` max(Delta0, Gamma), the
    rest by its tail quadrature), converted to xi(T) units; the spin is the symmetric difference
    in gamma (+-``gamma_step`` gamma), i.e. first order in gamma, any order in q. For small q,
    delta S = -nu X gamma q / 2 (X from ``condensate_spin_response``): the phase gradient is the Zeeman
    field gamma q / 2. ``gamma`` (3x3, spin index first) in units of D/xi(T), e.g. from
    ``spincharge.symmetry.group_gamma``; ``phase_gradient`` (3-vector) in 1/xi(T).
    """
    if not (np.isfinite(t) and 0 < t < 1):
        raise ValueError(f"t = T/Tc must be in (0, 1), got {t!r}")
    gamma = np.asarray(gamma, dtype=float)
    q = np.asarray(phase_gradient, dtype=float)
    if gamma.shape != (3, 3) or not np.all(np.isfinite(gamma)):
        raise ValueError(f"gamma must be a finite 3x3 array (spin index first), got shape {gamma.shape}")
    if q.shape != (3,) or not np.all(np.isfinite(q)) or np.linalg.norm(q) > 1.0:
        raise ValueError(f"phase_gradient must be a 3-vector with |q| xi(T) <= 1, got {phase_gradient!r}")
    if not (np.isfinite(delta0_tau_so) and delta0_tau_so > 0):
        raise ValueError(f"delta0_tau_so must be > 0, got {delta0_tau_so!r}")
    gap = float(bcs_gap(t).gap)
    # film units (Delta0, xi0 = sqrt(D/Delta0)): xi(T) = xi0 / sqrt(2 Delta), so gamma in D/xi(T) and q in
    # 1/xi(T) scale by sqrt(2 Delta); Gamma = 1/tau_so = Delta0 / (Delta0 tau_so)
    scale = np.sqrt(2 * gap)

    def solve(step):
        material = {"Gamma": 1 / delta0_tau_so, "gamma": step * scale * gamma}
        return film_state(material, t, q * scale, gap=gap, cutoff=frequency_ratio, tolerance=tolerance,
                          max_iterations=max_iterations)  # fmt: skip

    plus, minus, zero = solve(gamma_step), solve(-gamma_step), solve(0.0)
    spin = (plus.spin - minus.spin) / (2 * gamma_step) / gap
    current = zero.current / (gap * scale)
    count = plus.frequency_count
    return SupercurrentSpin(
        t=float(t),
        delta0_tau_so=float(delta0_tau_so),
        gap=float(gap),
        gamma=gamma,
        phase_gradient=q,
        spin=spin,
        current=np.array(current),
        frequency_count=count,
        residual=max(plus.residual, minus.residual, zero.residual),
    )
