"""Born self-energy of the disordered Dirac ferromagnet (paper 002, Eqs. 6-7 and s10-s11).

The averaged retarded Green function keeps the form of Eq. (6),

    G^R(p, E) = [eps^R + v (p x sigma)_z - Delta^R sigma_z] / [(eps^R)^2 - v^2 p^2 - (Delta^R)^2],

with eps^R = E - Sigma_0 and Delta^R = Delta_z - Sigma_z, where Sigma^R = Sigma_0 + Sigma_z sigma_z is the
self-consistent Born self-energy of Eq. (s10) (hbar = 1). With an explicit momentum cutoff |p| < Lambda
and X = (v Lambda)^2 the momentum integral is elementary:

    Sigma^R = 2 pi alpha v^2 int_{|p|<Lambda} d^2p/(2 pi)^2 G^R = (alpha/2) (eps^R - Delta^R sigma_z) l,
    l = int_0^X dx / (z - x) = log(z) - log(z - X),     z = (eps^R)^2 - (Delta^R)^2,

so eps^R = E / (1 + alpha l / 2) and Delta^R = Delta_z / (1 - alpha l / 2): one complex equation for l,
solved by fixed-point iteration (a contraction with factor ~ alpha). Im l -> -pi for Lambda >> p_F gives
the leading-order result quoted after paper 002, Eq. (7): eps^R = E (1 + i pi alpha/2),
Delta^R = Delta_z (1 - i pi alpha/2); the real part of l renormalises eps and Delta_z by O(alpha log).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..models.dirac_ferromagnet import DiracFerromagnet
from ..results import Result

__all__ = ["SelfEnergy", "born_self_energy", "leading_order_self_energy", "scba_parameters", "DEFAULT_CUTOFF_RATIO"]

#: default momentum cutoff v Lambda in units of the Fermi energy
DEFAULT_CUTOFF_RATIO = 4.0


def leading_order_self_energy(model: DiracFerromagnet, energy_shift: float = 0.0) -> tuple[complex, complex]:
    """Retarded (eps^R, Delta^R) to leading order in alpha (paper 002, text after Eq. 7 and Eq. s11).

    eps^R = E (1 + i pi alpha / 2), Delta^R = Delta_z (1 - i pi alpha / 2), E = fermi_energy + energy_shift.
    """
    half = 0.5j * np.pi * model.disorder_alpha
    return (model.fermi_energy + energy_shift) * (1 + half), model.exchange_z * (1 - half)


@dataclass(frozen=True)
class SelfEnergy(Result):
    """Self-consistent Born parameters of G^R at energy E = fermi_energy + energy_shift.

    ``eps_R``, ``delta_R``: self-consistent eps^R, Delta^R (Eq. s10 with cutoff).
    ``eps_R_leading``, ``delta_R_leading``: the leading-order closed form.
    ``difference``: max(|eps_R - eps_R_leading| / |E|, |delta_R - delta_R_leading| / |E|).
    ``residual``: |l_{n+1} - l_n| at the last iteration (the error estimate of l).
    """

    energy: float
    eps_R: complex
    delta_R: complex
    eps_R_leading: complex
    delta_R_leading: complex
    difference: float
    residual: float
    iterations: int
    cutoff: float  # v Lambda, an energy


def _log_integral(z, x_cut: float):
    """int_0^X dx / (z - x): analytic off [0, X] (the cuts of the two principal logarithms cancel on x < 0)."""
    return np.log(z) - np.log(z - x_cut)


def scba_parameters(energy, delta_z: float, alpha: float, cutoff: float, *, tol: float = 1e-15,
                    max_iterations: int = 500, fixed_point_steps: int = 20):
    """eps^R(E), Delta^R(E), l(E) of Eq. (s10) at (arrays of) complex energies E with Im E >= 0.

    The retarded functions continue analytically into the upper half plane, where the same fixed point holds
    (used on the Fermi-sea contour, :mod:`.streda`). The first ``fixed_point_steps`` iterations are the plain
    map l -> L(z(l)), which keeps the retarded sheet; then Newton steps on l - L(z(l)) = 0, because with E_F deep in
    a large gap the map's slope approaches 1 where the real (gapped) solution merges with the complex one (a fold
    of the Born equation as alpha or the cutoff grows) and the plain map needs thousands of steps. Returns (eps,
    delta, l, residual, iterations); each entry stops at |l_{n+1} - l_n| < tol max(1, |l|, |log z|) (l is a
    difference of two logarithms, so its rounding error scales with |log z|) or when it stalls at that level.
    """
    energy = np.asarray(energy, dtype=complex)
    # start on the retarded sheet: Im l = -pi for Re E > 0, +pi for Re E < 0 (eps^2 in the lower half plane there)
    log_int = np.where(energy.real < 0, 1j * np.pi, -1j * np.pi)
    previous = np.full(energy.shape, np.inf)
    residual = np.zeros(energy.shape)
    done = np.zeros(energy.shape, dtype=bool)
    for iteration in range(1, max_iterations + 1):
        a, b = 1 + 0.5 * alpha * log_int, 1 - 0.5 * alpha * log_int
        z = (energy / a) ** 2 - (delta_z / b) ** 2
        new = _log_integral(z, cutoff**2)
        if iteration > fixed_point_steps:  # Newton: dL/dl = (1/z - 1/(z - X)) dz/dl
            slope = (1 / z - 1 / (z - cutoff**2)) * (-alpha * energy**2 / a**3 - alpha * delta_z**2 / b**3)
            with np.errstate(all="ignore"):
                new = log_int + (new - log_int) / (1 - slope)
            new = np.where(np.isfinite(new), new, _log_integral(z, cutoff**2))
        step = np.abs(new - log_int)
        log_int = np.where(done, log_int, new)
        residual = np.where(done, residual, step)
        scale = np.maximum(np.maximum(1.0, np.abs(log_int)), np.abs(np.log(z)))
        done |= (step < tol * scale) | ((step >= previous) & (step < 1e3 * tol * scale))
        previous = step
        if done.all():
            break
    else:
        raise ValueError(f"self-consistent Born iteration did not converge in max_iterations={max_iterations}")
    return (energy / (1 + 0.5 * alpha * log_int), delta_z / (1 - 0.5 * alpha * log_int), log_int, residual,
            iteration)


def born_self_energy(
    model: DiracFerromagnet,
    energy_shift: float = 0.0,
    *,
    cutoff_ratio: float = DEFAULT_CUTOFF_RATIO,
    tol: float = 1e-15,
    max_iterations: int = 500,
) -> SelfEnergy:
    """Self-consistent Born (retarded) self-energy with momentum cutoff v Lambda = cutoff_ratio * epsilon.

    Paper 002, Eq. (s10). The energy is E = fermi_energy + energy_shift (energy_shift = hbar omega for the
    upper Green function of the bubble); the cutoff is tied to the Fermi energy, not to E, so that the
    bubble at (q, omega) uses one cutoff for both Green functions.
    """
    if not (np.isfinite(cutoff_ratio) and cutoff_ratio > 1):
        raise ValueError(f"cutoff_ratio must be a finite number > 1 (cutoff beyond the Fermi surface), got {cutoff_ratio!r}")
    energy = model.fermi_energy + energy_shift
    if not (np.isfinite(energy) and energy > abs(model.exchange_z)):
        raise ValueError(f"energy_shift must keep E = fermi_energy + energy_shift above |Delta_z|, got {energy_shift!r}")
    cutoff = cutoff_ratio * model.fermi_energy
    eps_lead, delta_lead = leading_order_self_energy(model, energy_shift)
    eps_R, delta_R, _, residual, iterations = scba_parameters(
        energy, model.exchange_z, model.disorder_alpha, cutoff, tol=tol, max_iterations=max_iterations)
    eps_R, delta_R = complex(eps_R), complex(delta_R)
    difference = max(abs(eps_R - eps_lead), abs(delta_R - delta_lead)) / energy
    return SelfEnergy(energy, eps_R, delta_R, complex(eps_lead), complex(delta_lead), float(difference),
                      float(residual), iterations, cutoff)
