"""Independent witness for the sign of the anomalous Hall conductivity (paper 002, Eq. 10): real-time simulation.

Shares no code with ``spincharge.diffusive`` and uses no Kubo or Berry-curvature formula, so no convention for
either can slip in. The clean Hamiltonian of paper 002, Eq. (2) (after the gauge shift),
H(k) = v (k_x sigma_y - k_y sigma_x) - Delta_z sigma_z = d(k) . sigma, hbar = 1, charge e (= -1; only e^2 enters),
is coupled minimally to a uniform vector potential, k -> k - e A(t), with E_y = -dA_y/dt switched on smoothly
(sin^2 ramp, much slower than the smallest interband frequency 2 |Delta_z|). Every occupied state (the lower band
for |k| < Lambda, the upper band for |k| < k_F) is propagated exactly per step (2x2 exponential at the mid-step
vector potential), and the current j_x = e sum_k <dH/dk_x> = e v sum_k <sigma_y> is averaged over a window after
the ramp; sigma_xy = j_x / E_y (units e^2/hbar, x 2 pi -> e^2/h). The intraband (Drude) current of the drifting
Fermi sea is along y and drops out of j_x by the k_x -> -k_x symmetry of the grid, so what remains is the
intrinsic (clean-limit) Hall conductivity. Its magnitude is checked against
(1/2) Delta_z (1/max(E_F, |Delta_z|) - 1/E_Lambda), E_Lambda = sqrt(Delta_z^2 + v^2 Lambda^2), the Berry-curvature
value of the massive Dirac band with the momentum cutoff (seen to 4e-4 relative); its sign against the package.

What this does and does not settle: the clean intrinsic sigma_xy has the sign of E_F Delta_z for H of Eq. (2)
(for E_F in the upper band) and tends to sgn(Delta_z)/2 e^2/h at the band edge when Lambda -> infinity. The package's
ladder part (computed) and total (ladder + computed X and Psi diagrams) have that same sign for all
|Delta_z| < eps, and the total's band-edge limit 1/2 equals the intrinsic one there (where the disorder-induced
Fermi-surface terms vanish). That the extrinsic (side-jump, skew) contributions keep the intrinsic sign is the
published result for this model (Sinitsyn et al., PRB 75, 045315 (2007); Ado et al., EPL 111, 37004 (2015)), not
recomputed here; so the witness confirms the sign convention K_xy = sigma_xy of the package and the sign of the
intrinsic part, not the crossed diagrams.
"""

from __future__ import annotations

import numpy as np
import pytest

from spincharge.diffusive import anomalous_hall_conductivity, dc_conductivity
from spincharge.models import DiracFerromagnet

V = 1.0
CHARGE = -1.0


def _spinors(d, band):
    """Eigenvectors of d . sigma with eigenvalue band * |d| (band = +1, -1), shape (n, 2)."""
    n = d / np.linalg.norm(d, axis=-1)[:, None]
    theta, phi = np.arccos(n[:, 2]), np.arctan2(n[:, 1], n[:, 0])
    if band > 0:
        return np.stack([np.cos(theta / 2), np.exp(1j * phi) * np.sin(theta / 2)], -1)
    return np.stack([-np.exp(-1j * phi) * np.sin(theta / 2), np.cos(theta / 2)], -1)


def _d_vector(kx, ky, delta_z):
    return np.stack([-V * ky, V * kx, -delta_z * np.ones_like(kx)], -1)  # H = d . sigma, paper 002 Eq. (2)


def simulated_hall_conductivity(fermi_energy, delta_z, cutoff, *, n_radial=32, n_angles=16, field=1e-4,
                                ramp=60.0, window=30.0, dt=0.02):
    """sigma_xy (e^2/h) from the current j_x after a slow switch-on of a uniform E_y (see module docstring)."""
    k_fermi = np.sqrt(max(fermi_energy**2 - delta_z**2, 0.0)) / V
    x, w = np.polynomial.legendre.leggauss(n_radial)
    edges = [0.0, k_fermi, cutoff] if k_fermi > 0 else [0.0, cutoff]
    k = np.concatenate([0.5 * (b - a) * x + 0.5 * (a + b) for a, b in zip(edges[:-1], edges[1:], strict=True)])
    wk = np.concatenate([0.5 * (b - a) * w for a, b in zip(edges[:-1], edges[1:], strict=True)])
    phi = 2 * np.pi * (np.arange(n_angles) + 0.5) / n_angles
    kx, ky = (k[:, None] * np.cos(phi)).ravel(), (k[:, None] * np.sin(phi)).ravel()
    weight = np.repeat(wk * k, n_angles) / n_angles / (2 * np.pi)  # d^2k / (2 pi)^2
    upper = np.repeat(k < k_fermi, n_angles)
    d0 = _d_vector(kx, ky, delta_z)
    psi = np.concatenate([_spinors(d0, -1), _spinors(d0[upper], +1)])
    kx, ky = np.concatenate([kx, kx[upper]]), np.concatenate([ky, ky[upper]])
    weight = np.concatenate([weight, weight[upper]])

    def e_field(t):
        return field * (np.sin(0.5 * np.pi * t / ramp) ** 2 if t < ramp else 1.0)

    potential, currents = 0.0, []
    for n in range(int(round((ramp + window) / dt))):
        t_mid = (n + 0.5) * dt
        d = _d_vector(kx, ky - CHARGE * (potential - 0.5 * dt * e_field(t_mid)), delta_z)
        size = np.linalg.norm(d, axis=-1)
        unit = d / size[:, None]
        c, s = np.cos(size * dt), np.sin(size * dt)
        psi = np.stack([(c - 1j * s * unit[:, 2]) * psi[:, 0] - 1j * s * (unit[:, 0] - 1j * unit[:, 1]) * psi[:, 1],
                        -1j * s * (unit[:, 0] + 1j * unit[:, 1]) * psi[:, 0] + (c + 1j * s * unit[:, 2]) * psi[:, 1]], -1)
        potential -= dt * e_field(t_mid)
        if (n + 1) * dt > ramp:
            sigma_y = 2 * np.imag(np.conj(psi[:, 0]) * psi[:, 1])
            currents.append(np.sum(weight * CHARGE * V * sigma_y))
    return 2 * np.pi * np.mean(currents) / field


def _intrinsic(fermi_energy, delta_z, cutoff):
    return 0.5 * delta_z * (1 / max(fermi_energy, abs(delta_z)) - 1 / np.hypot(delta_z, V * cutoff))


@pytest.mark.parametrize("fermi_energy, delta_z, cutoff", [(1.0, 0.4, 3.0), (1.0, -0.4, 3.0), (0.2, 0.4, 3.0),
                                                           (0.4, 0.4, 6.0)])
def test_real_time_hall_current_is_the_intrinsic_value(fermi_energy, delta_z, cutoff):
    """Sign and size of the clean sigma_xy: +(1/2) Delta_z (1/E_F - 1/E_Lambda) (e^2/h), E_F in the band or gap."""
    simulated = simulated_hall_conductivity(fermi_energy, delta_z, cutoff)
    assert simulated == pytest.approx(_intrinsic(fermi_energy, delta_z, cutoff), rel=2e-3)


@pytest.mark.parametrize("delta_z", [0.4, -0.4])
def test_package_hall_sign_agrees_with_the_intrinsic_sign(delta_z):
    """The package's K_xy (ladder, computed) and sigma_H (ladder + computed crossed part) have the sign of the clean
    intrinsic sigma_xy of the same Hamiltonian; the band-edge limit of sigma_H (1/2, test_hall.py) is the
    intrinsic one at E_F = |Delta_z| (1/2 (1 - |Delta_z|/E_Lambda) -> 1/2)."""
    model = DiracFerromagnet(V, 1.0, abs(delta_z), (0.0, 0.0, np.sign(delta_z)), 0.002)
    intrinsic = simulated_hall_conductivity(1.0, delta_z, 3.0)
    assert np.sign(dc_conductivity(model).hall) == np.sign(intrinsic) == np.sign(delta_z)
    assert np.sign(anomalous_hall_conductivity(model).total) == np.sign(intrinsic)
