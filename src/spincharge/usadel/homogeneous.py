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
from .operator import TORQUE_SIGN, Algebra, comm, local_terms, matrix_current, matrix_torque, riccati_frame, riccati_g

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


def _riccati_unknowns(x):
    """(N, 16) real -> a, b (N, 2, 2) complex."""
    z = x[:, :8] + 1j * x[:, 8:]
    return z[:, :4].reshape(-1, 2, 2), z[:, 4:].reshape(-1, 2, 2)


def _twisted_frame_residual(alg, x, sign, frequency, phase_gradient, gamma, relaxation, diffusion):
    """Off-diagonal blocks of M^-1 E M (paper 003, Eqs. (S3)-(S5), torque sign fixed) for g(x) =
    U g_twisted U^+, U = exp(i q.x tau3 / 2): d_k -> (i q_k/2)[tau3, .], Delta_hat = Delta tau1."""
    a, b = _riccati_unknowns(x)
    g = riccati_g(alg, a, b, sign, np.linalg.inv)

    def twist(m, k):
        return 0.5j * phase_gradient[k] * comm(alg.tau[3], m)

    dg = [twist(g, k) for k in range(3)]
    divergence = sum(twist(matrix_current(alg, g, dg[k], k, gamma, diffusion), k) for k in range(3))
    E = divergence + local_terms(alg, g, alg.tau[1], frequency, relaxation)
    E = E + TORQUE_SIGN * matrix_torque(alg, g, dg, gamma)
    M = riccati_frame(alg, a, b, sign)
    X = np.linalg.inv(M) @ E @ M
    off = np.concatenate([X[:, :2, 2:].reshape(-1, 4), X[:, 2:, :2].reshape(-1, 4)], axis=1)
    return np.concatenate([off.real, off.imag], axis=1), g


def _newton_twisted(alg, frequencies, phase_gradient, gamma, relaxation, diffusion, tolerance, max_iterations):
    sign = np.sign(frequencies)[:, None, None]
    w = np.abs(frequencies)
    bulk = 1 / (w + np.sqrt(w**2 + 1))
    x = np.zeros((frequencies.size, 16))
    x[:, [0, 3, 4, 7]] = bulk[:, None]
    args = (sign, frequencies[:, None, None], phase_gradient, gamma, relaxation, diffusion)
    step = 1e-7
    for _ in range(max_iterations):
        residual, g = _twisted_frame_residual(alg, x, *args)
        jacobian = np.empty((frequencies.size, 16, 16))
        for m in range(16):
            shifted = x.copy()
            shifted[:, m] += step
            jacobian[:, :, m] = (_twisted_frame_residual(alg, shifted, *args)[0] - residual) / step
        delta = np.linalg.solve(jacobian, -residual[..., None])[..., 0]
        x = x + delta
        if np.max(np.abs(delta)) < tolerance:
            residual, g = _twisted_frame_residual(alg, x, *args)
            return g, float(np.max(np.abs(residual)))
    raise RuntimeError(f"Newton iteration for the twisted homogeneous state did not converge in {max_iterations} steps")


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
    torque sign fixed by g^2 = 1) for g(x) = U g U^+, U = exp(i q.x tau3/2) (a ∝ e^{i q.x}), at every
    Matsubara frequency (both signs, up to ``frequency_ratio`` max(Delta, Gamma), tail ~ omega^-3 for the
    spin), by a batched Newton iteration on the Riccati amplitudes; the spin is the symmetric difference
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
    temperature = t / (gap * GAP0_OVER_TC)
    relaxation = 1 / (delta0_tau_so * gap)
    count = int(np.ceil(frequency_ratio * max(1.0, relaxation) / (2 * np.pi * temperature))) + 1
    positive = positive_frequencies(temperature, count)
    frequencies = np.concatenate([positive, -positive])
    alg = _ALGEBRA
    diffusion = 2.0  # D = 2 Delta xi^2 with Delta = xi = 1
    solve = lambda scale: _newton_twisted(  # noqa: E731
        alg, frequencies, q, scale * diffusion * gamma, relaxation, diffusion, tolerance, max_iterations
    )
    (g_plus, res_plus), (g_minus, res_minus), (g_zero, res_zero) = solve(gamma_step), solve(-gamma_step), solve(0.0)
    dg = (g_plus - g_minus) / (2 * gamma_step)
    per_frequency = np.stack([(1j / 4 * np.trace(alg.tau[3] @ s @ dg, axis1=1, axis2=2)).real for s in alg.sigma])
    # the spin summand decays as |omega|^-3 (both signs): tail from the last positive and negative terms
    tail = (per_frequency[:, count - 1] + per_frequency[:, -1]) * positive[-1] ** 3
    spin = np.pi * temperature * (per_frequency.sum(axis=1) + tail * inverse_power_tail(temperature, count, 3))
    current = []
    for k in range(3):
        dg0 = 0.5j * q[k] * comm(alg.tau[3], g_zero)
        J = matrix_current(alg, g_zero, dg0, k, np.zeros((3, 3)), diffusion)
        summand = (-1j / (4 * diffusion) * np.trace(alg.tau[3] @ J, axis1=1, axis2=2)).real
        tail_current = (summand[count - 1] + summand[-1]) * positive[-1] ** 2
        current.append(np.pi * temperature * (summand.sum() + tail_current * inverse_power_tail(temperature, count, 2)))
    return SupercurrentSpin(
        t=float(t),
        delta0_tau_so=float(delta0_tau_so),
        gap=float(gap),
        gamma=gamma,
        phase_gradient=q,
        spin=spin,
        current=np.array(current),
        frequency_count=count,
        residual=max(res_plus, res_minus, res_zero),
    )
