"""Homogeneous 4x4 Usadel equation: Zeeman spin response and supercurrent-induced spin (inverse SGE)."""

import numpy as np
import pytest
from scipy.integrate import quad

from spincharge.symmetry import group_gamma
from spincharge.usadel import GAP0_OVER_TC, bcs_gap, condensate_spin_response, supercurrent_spin, vortex


def stiffness(t):
    """r I -> (pi/2) tanh(Delta/2T): the bulk superfluid stiffness in sigma_N Delta / (e xi) units."""
    return np.pi / 2 * np.tanh(bcs_gap(t).gap * GAP0_OVER_TC / (2 * t))


def zeeman_closed_form(t, delta0_tau_so, count=20000):
    """Independent witness: X = 2 pi T sum_{n>=0} Delta^2 / (Omega_n^2 (Omega_n + Gamma/2)), Omega_n^2 =
    omega_n^2 + Delta^2, in Tc units (T = t, Delta = Delta(T), Gamma = 1/tau_so = Delta0/(Delta0 tau_so));
    ``count`` frequencies summed explicitly, the rest as the midpoint-rule integral from omega_count - pi T."""
    gap = bcs_gap(t).gap * GAP0_OVER_TC
    relaxation = GAP0_OVER_TC / delta0_tau_so

    def summand(omega):
        big = np.sqrt(omega**2 + gap**2)
        return gap**2 / (big**2 * (big + relaxation / 2))

    omega = np.pi * t * (2 * np.arange(count) + 1)
    tail = quad(summand, 2 * np.pi * t * count, np.inf, epsabs=0, epsrel=1e-12)[0]
    return 2 * np.pi * t * summand(omega).sum() + tail


# (0.05, 0.1) and (0.98, 0.1) are the parameters of the cold and warm vortices of test_vortex.py
@pytest.mark.parametrize("t, tau", [(0.05, 0.1), (0.3, 0.1), (0.7, 1.0), (0.98, 0.1), (0.5, 1e8)])
def test_zeeman_response_matches_closed_form(t, tau):
    """Fixed-point 4x4 solution vs X = pi T sum Delta^2 / (Omega^2 (Omega + Gamma/2)) (triplets relax at Gamma/2),
    the closed form summed here, independently of the ``closed_form`` the function reports."""
    response = condensate_spin_response(t, tau)
    closed_form = zeeman_closed_form(t, tau)
    assert response.closed_form == pytest.approx(closed_form, rel=1e-10)
    assert response.value == pytest.approx(closed_form, rel=1e-6)
    assert abs(response.value - closed_form) <= 3 * response.error


def test_yosida_limits():
    """Gamma = 0: X -> 1 as T -> 0 (full reduction) and X ~ 7 zeta(3) Delta^2 / (4 pi^2 T^2) near Tc."""
    assert condensate_spin_response(0.05, 1e8).value == pytest.approx(1.0, abs=1e-6)
    t = 0.999
    from scipy.special import zeta

    delta_over_t = bcs_gap(t).gap * GAP0_OVER_TC / t
    expected = 7 * zeta(3) * delta_over_t**2 / (4 * np.pi**2)
    assert condensate_spin_response(t, 1e8).value == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize("group", ["C4v", "O", "D2d", "C2"])
@pytest.mark.parametrize("t", [0.2, 0.98])
def test_phase_gradient_acts_as_zeeman_field_gamma_q_over_2(group, t):
    """Full 4x4 equation with the gamma terms of Eqs. (8)-(9): delta S / (nu Delta) = -X gamma q (units:
    gamma in D/xi, q in 1/xi, so gamma q / 2 = Delta gamma_hat q_hat), for the allowed gamma of each group."""
    gamma = group_gamma(group)
    q = np.array([0.006, 0.008, 0.0])
    result = supercurrent_spin(t, gamma, q)
    X = condensate_spin_response(t, 0.1).value
    np.testing.assert_allclose(result.spin, -X * gamma @ q, rtol=2e-4, atol=1e-12)
    np.testing.assert_allclose(result.current, stiffness(t) * q, rtol=1e-3)
    assert result.residual < 1e-12


def test_spin_is_odd_in_gamma_and_linear_in_small_q():
    gamma = group_gamma("C4v")
    q = np.array([0.0, 0.005, 0.0])
    one, two = supercurrent_spin(0.98, gamma, q), supercurrent_spin(0.98, gamma, 2 * q)
    flipped = supercurrent_spin(0.98, -gamma, q)
    np.testing.assert_allclose(flipped.spin, -one.spin, atol=1e-14)
    assert two.spin[0] / one.spin[0] == pytest.approx(2.0, rel=1e-3)
    large = supercurrent_spin(0.98, gamma, 20 * q)  # depairing: the response falls below linear
    assert abs(large.spin[0]) < 20 * abs(one.spin[0])


def test_vortex_near_tc_has_the_homogeneous_lifshitz_coefficient():
    """Near Tc the vortex ratio S/I (radial ODE) equals the homogeneous 4x4 ratio spin/current."""
    t = 0.9995
    homogeneous = supercurrent_spin(t, group_gamma("C4v"), [0.0, 0.01, 0.0])
    # vortex spin unit nu gamma_o / xi = 2 nu Delta gamma_hat; radial = x, tangential = y at phi = 0
    expected = homogeneous.spin[0] / 2 / homogeneous.current[1]
    result = vortex(t, points=300, outer_radius=30.0)
    window = (result.r >= 1) & (result.r <= 10)
    np.testing.assert_allclose(result.spin[window] / result.current[window], expected, rtol=0.012)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(t=1.0, gamma=np.eye(3), phase_gradient=[0, 0.1, 0]), "t = T/Tc"),
        (dict(t=0.5, gamma=np.eye(2), phase_gradient=[0, 0.1, 0]), "gamma"),
        (dict(t=0.5, gamma=np.eye(3), phase_gradient=[0, 2.0, 0]), "phase_gradient"),
        (dict(t=0.5, gamma=np.eye(3), phase_gradient=[0, 0.1, 0], delta0_tau_so=-1), "delta0_tau_so"),
    ],
)
def test_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        supercurrent_spin(**kwargs)
