"""The paper's intermediate expressions (main text before Eq. 10; supplement, Sec. B) against Eqs. (13)-(16).

Each is evaluated on its own terms (its own Green functions, frequency integral done independently), so
these tests check the paper's chain of formulas, and document the two misprints found in the supplement.
"""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from spincharge.magnetoelectric import closed_forms, coefficients
from spincharge.models import TISurface
from spincharge.numerics.frequency_sums import resolvent_traces
from spincharge.numerics.occupation import FermiDirac

PAULI_0, PAULI_X, PAULI_Z = np.eye(2), np.array([[0, 1], [1, 0]]), np.diag([1.0, -1.0])


def test_chi_ii_from_the_papers_f_ii_integral_by_frequency_quadrature():
    """chi^TI,II = -e/(4 pi hbar) int dk int d eps/2pi 1/2 Tr[F^II dG/dk], F^II = D + s_z D s_z,
    D = G^-1 [tau_z, G]/2, in the paper's rotated frame G^-1 = i eps - tau_z(v k s_x - mu) - Delta tau_x,
    by brute-force quadrature over eps and k; compared with our chi - chi_I and with Eq. (13)."""
    v, mu, lam = 1.0, 1.0, 0.7
    tz, tx = np.kron(PAULI_Z, PAULI_0), np.kron(PAULI_X, PAULI_0)
    sz, sx = np.kron(PAULI_0, PAULI_Z), np.kron(PAULI_0, PAULI_X)
    x, w = np.polynomial.legendre.leggauss(160)
    theta = 0.5 * np.pi * x
    eps, eps_weight = np.tan(theta), 0.5 * np.pi * w / np.cos(theta) ** 2  # eps = tan(theta)
    breakpoints = np.concatenate([np.linspace(0.0, 2.0, 21), np.geomspace(2.0, 400.0, 40)[1:]])
    xk, wk = np.polynomial.legendre.leggauss(10)
    k = (0.5 * (breakpoints[:-1] + breakpoints[1:])[:, None] + 0.5 * np.diff(breakpoints)[:, None] * xk).ravel()
    k_weight = (0.5 * np.diff(breakpoints)[:, None] * wk).ravel()
    total = 0.0
    for kk, wkk in zip(k, k_weight):
        inverse = 1j * eps[:, None, None] * np.eye(4) - (v * kk * tz @ sx - mu * tz) - lam * mu * tx
        g = np.linalg.inv(inverse)
        dg = g @ (v * tz @ sx) @ g
        d = inverse @ (tz @ g - g @ tz) / 2
        f2 = d + sz @ d @ sz
        total += wkk * np.sum(eps_weight * np.einsum("nij,nji->n", f2, dg)).real / (2 * math.pi)
    chi_ii = -0.5 * total / (4 * math.pi)
    ours = coefficients(TISurface(v, mu, lam * mu)).parts["chi_II"]
    eq13 = closed_forms.ti_chi_parts(lam)[1] / (4 * math.pi)
    assert ours == pytest.approx(eq13, rel=1e-12)
    assert chi_ii == pytest.approx(ours, rel=1e-6)  # brute force truncated at k = 400 (error ~k^-3)


def _quasiclassical(xi, e_soc, delta):
    """Block-diagonal Nambu Hamiltonian diag(h_+, h_-), h_l = tau_z (xi + l E_soc) + Delta tau_x."""
    zero = np.zeros((2, 2))
    h = [PAULI_Z * (xi + sign * e_soc) + delta * PAULI_X for sign in (1, -1)]
    return np.block([[h[0], zero], [zero, h[1]]])


_ZERO = np.zeros((2, 2))
_PROJECTOR = [np.block([[PAULI_0, _ZERO], [_ZERO, _ZERO]]), np.block([[_ZERO, _ZERO], [_ZERO, PAULI_0]])]
_SWAP = np.block([[_ZERO, PAULI_0], [PAULI_0, _ZERO]])
_TAU_Z = np.block([[PAULI_Z, _ZERO], [_ZERO, PAULI_Z]])


def _xi_integral(function, e_soc):
    return sum(
        quad(function, lo, hi, limit=400, epsabs=1e-13, epsrel=1e-12)[0]
        for lo, hi in ((-np.inf, -e_soc), (-e_soc, e_soc), (e_soc, np.inf))
    )


def _frequency_trace(xi, e_soc, delta, operators, product):
    energies, vectors = np.linalg.eigh(_quasiclassical(xi, e_soc, delta))
    return resolvent_traces(energies[None], vectors[None], operators, [product], FermiDirac(0.0))[0, 0].real


@pytest.mark.parametrize("delta_ratio", [0.3, 1.0, 2.0])
def test_supplement_quasiclassical_g_spin_needs_v_not_v_f(delta_ratio):
    """Supplement: g_spin^M = -E_soc/(4 pi hbar v_F) int d xi int d eps/2pi sum_l (l/2) Tr[d_xi g_l g_-l].
    It reproduces Eq. (14) only with v in place of v_F (the chi^M line above it, divided by e v, gives v):
    with v_F it would be smaller by v/v_F = E_soc/(2 E_F)."""
    e_soc, v, v_f = 1.0, 0.01, 1.0
    delta = delta_ratio * e_soc

    def integrand(xi):
        # Tr[d_xi g_l g_-l] = Tr[g_l tau_z g_l g_-l] = Tr[X G Y G Z G] with the block operators below
        total = 0.0
        for index, sign in ((0, 1.0), (1, -1.0)):
            other = 1 - index
            x = _PROJECTOR[other] @ _SWAP @ _PROJECTOR[index]
            y = _PROJECTOR[index] @ _TAU_Z @ _PROJECTOR[index]
            z = _PROJECTOR[index] @ _SWAP @ _PROJECTOR[other]
            total += 0.5 * sign * _frequency_trace(xi, e_soc, delta, [x, y, z], (0, 1, 2))
        return total

    integral = _xi_integral(integrand, e_soc)
    eq14 = float(closed_forms.rashba_g_spin(delta_ratio, v))
    assert -e_soc / (4 * math.pi * v) * integral == pytest.approx(eq14, rel=1e-9)
    assert -e_soc / (4 * math.pi * v_f) * integral != pytest.approx(eq14, rel=0.5)


@pytest.mark.parametrize("delta_ratio", [0.3, 1.0, 2.0])
def test_supplement_quasiclassical_g_orb_inter_has_a_spurious_factor_two(delta_ratio):
    """Supplement: g_orb^M,inter = +1/(4 pi hbar v_F) int int sum_l (1/2) Tr[g_+ g_-] is twice Eq. (16);
    the chi^M line above it (sum_{l,s} l s/4 Tr[g_l g_s]) gives 1/2 Tr[g_+ g_-] without the sum over l."""
    e_soc, v_f = 1.0, 1.0
    delta = delta_ratio * e_soc
    x = _PROJECTOR[1] @ _SWAP @ _PROJECTOR[0]
    y = _PROJECTOR[0] @ _SWAP @ _PROJECTOR[1]
    integral = _xi_integral(lambda xi: _frequency_trace(xi, e_soc, delta, [x, y], (0, 1)), e_soc)  # Tr[g_+ g_-]
    eq16 = float(closed_forms.rashba_g_orb_inter(delta_ratio, v_f))
    assert 0.5 * integral / (4 * math.pi * v_f) == pytest.approx(eq16, rel=1e-9)
    assert integral / (4 * math.pi * v_f) == pytest.approx(2 * eq16, rel=1e-9)
