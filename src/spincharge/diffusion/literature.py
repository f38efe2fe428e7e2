"""Closed forms from the spin-transport literature, in the units of paper 003's diffusion equations.

Units (``docs/conventions.md``, "Spin-charge diffusion"): the conductivity is D (the density of states
is absorbed in mu and S, Eq. S12), the spin accumulation of the literature is mu_s = mu_up - mu_down =
2 S, the spin relaxation time is tau_s = 1 / R with R = (Tr Gamma - Gamma) / 2, lambda = sqrt(D tau_s),
and conductances are fluxes per unit potential (units of D / length). The solvers of
:mod:`spincharge.diffusion` are tested against these forms (``tests/diffusion``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["nonlocal_hanle_resistance", "spin_hall_magnetoresistance"]


def _positive(name: str, value: float) -> float:
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return float(value)


def nonlocal_hanle_resistance(separation, *, spin_diffusion_length, diffusion, larmor_frequency, polarization):
    """Nonlocal spin-valve resistance vs precession frequency (Johnson & Silsbee, PRL 55, 1790 (1985);
    Jedema et al., Nature 416, 713 (2002), Eq. (2), with tunnel contacts and a 1D channel).

        R_NL = (P^2 lambda / 2 D) Re[ exp(-(L / lambda) sqrt(1 + i omega tau)) / sqrt(1 + i omega tau) ],

    the Laplace transform at s = 1/tau + i omega of Jedema's diffusion integral
    P^2 int dt (4 pi D t)^(-1/2) exp(-L^2 / 4 D t) cos(omega t) exp(-t / tau). Parallel injector and
    detector perpendicular to the field; lambda = sqrt(D tau). Units: resistance per unit channel
    cross-section in units of 1/D (a channel of conductivity D).
    """
    lam = _positive("spin_diffusion_length", spin_diffusion_length)
    d = _positive("diffusion", diffusion)
    if not (np.isfinite(polarization) and abs(polarization) < 1):
        raise ValueError(f"polarization must lie in (-1, 1), got {polarization!r}")
    tau = lam**2 / d
    root = np.sqrt(1 + 1j * np.asarray(larmor_frequency, dtype=float) * tau)
    return polarization**2 * lam / (2 * d) * np.real(np.exp(-np.asarray(separation) / lam * root) / root)


def spin_hall_magnetoresistance(thickness, *, spin_diffusion_length, diffusion, spin_hall_angle, mixing_conductance,
                                magnetization):  # fmt: skip
    """Spin Hall magnetoresistance of a film on a magnetic insulator (Chen et al., PRB 87, 144411 (2013),
    Eqs. (14)-(16); current along x, film normal z, vacuum at the other surface).

    Returns ``(longitudinal, transverse)`` relative resistivity changes (rho_xx - rho) / rho and
    rho_xy / rho with

        Delta rho_0 / rho = -theta^2 (2 lambda / d) tanh(d / 2 lambda),
        Delta rho_1 / rho + i Delta rho_2 / rho ... from X = theta^2 (lambda / d) lambda G tanh^2(d / 2 lambda)
                                                    / (D + lambda G coth(d / lambda)),
        rho_xx / rho - 1 = Delta rho_0 / rho + Re X (1 - m_y^2),   rho_xy / rho = Re X m_x m_y - Im X m_z,

    where G = G_r + i G_i is the mixing conductance of this module's magnetic-insulator condition
    (outward spin flux G_r S_perp - G_i m x S: Chen's spin current into the metal, G_r m x (m x S) +
    G_i m x S). Chen's G_Chen maps to G = 2 G_Chen D / sigma (their mu_s = 2 S).
    """
    d = np.asarray(thickness, dtype=float)
    if np.any(~np.isfinite(d)) or np.any(d <= 0):
        raise ValueError(f"thickness must be > 0, got {thickness!r}")
    lam = _positive("spin_diffusion_length", spin_diffusion_length)
    dc = _positive("diffusion", diffusion)
    g = complex(mixing_conductance)
    m = np.asarray(magnetization, dtype=float)
    if m.shape != (3,) or np.linalg.norm(m) == 0:
        raise ValueError(f"magnetization must be a nonzero 3-vector, got {magnetization!r}")
    m = m / np.linalg.norm(m)
    theta2 = spin_hall_angle**2
    rho0 = -theta2 * 2 * lam / d * np.tanh(d / (2 * lam))
    x = theta2 * lam / d * lam * g * np.tanh(d / (2 * lam)) ** 2 / (dc + lam * g / np.tanh(d / lam))
    longitudinal = rho0 + x.real * (1 - m[1] ** 2)
    transverse = x.real * m[0] * m[1] - x.imag * m[2]
    return longitudinal, transverse
