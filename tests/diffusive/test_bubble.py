"""Bare bubble M_ab(q, omega) (paper 002, Eq. s13): direct integration vs brute force and vs Eq. (s15)."""

import numpy as np
import pytest

from spincharge.diffusive.analytic import bubble_expansion
from spincharge.diffusive.bubble import PAULI4, spin_bubble
from spincharge.diffusive.self_energy import born_self_energy
from spincharge.models.dirac_ferromagnet import DiracFerromagnet
from spincharge.numerics.graded_quadrature import graded_breakpoints, graded_gauss_legendre


def _model(alpha, delta=0.4):
    return DiracFerromagnet(1.0, 1.0, delta, (0.0, 0.0, 1.0), alpha)


def _brute_force_bubble(model, q, omega, n_angles=256, order=20, pair="RA"):
    """Polar grid, uniform in angle, Green functions by 2x2 matrix inversion of E - H_p - Sigma.

    ``pair``: two letters R/A for the Green functions at (p + q, E + omega) and at (p, E)."""
    upper = born_self_energy(model, omega)
    lower = born_self_energy(model)
    p_f, q_abs = model.fermi_momentum, np.hypot(*q)
    centres = [p_f, abs(q_abs - p_f), q_abs + p_f]  # where G^A(p) and the circle |p + q| = p_F meet the radius
    breaks = graded_breakpoints(0.0, upper.cutoff, centres, [model.disorder_alpha * p_f / 4] * 3)
    p, wp = graded_gauss_legendre(breaks, order)
    phi = 2 * np.pi * np.arange(n_angles) / n_angles
    px = (p[:, None] * np.cos(phi)).ravel()
    py = (p[:, None] * np.sin(phi)).ravel()
    weight = np.repeat(wp * p, n_angles) / n_angles / (2 * np.pi)  # d^2p / (2 pi)^2

    def green(kx, ky, eps, delta):
        # H = v (k_x sigma_y - k_y sigma_x) - Delta sigma_z, v = 1 (paper 002, Eq. 2)
        h = np.einsum("n,ij->nij", kx, PAULI4[2]) - np.einsum("n,ij->nij", ky, PAULI4[1]) - delta * PAULI4[3]
        return np.linalg.inv(eps * np.eye(2) - h)

    def side(kind, value):
        return value if kind == "R" else np.conj(value)

    g_upper = green(px + q[0], py + q[1], side(pair[0], upper.eps_R), side(pair[0], upper.delta_R))
    g_lower = green(px, py, side(pair[1], lower.eps_R), side(pair[1], lower.delta_R))
    return np.einsum("n,aij,njk,bkl,nli->ab", weight, PAULI4, g_upper, PAULI4, g_lower)


@pytest.mark.parametrize("q_abs, n_angles", [(0.02, 256), (0.3, 256), (2.5, 512)])
def test_closed_form_angular_average_matches_brute_force_polar_grid(q_abs, n_angles):
    """Generic q direction and omega != 0, diffusive (q l < 1), ballistic and q > 2 p_F: checks the angular
    closed form with its branch of sqrt(A^2 - B^2), the trace and the rotation."""
    model = _model(0.05)
    q = q_abs * np.array([np.cos(0.7), np.sin(0.7)])
    omega = 0.003
    result = spin_bubble(model, q, omega)
    reference = _brute_force_bubble(model, q, omega, n_angles=n_angles)
    assert result.error < 1e-10 * np.abs(result.matrix).max()
    assert np.allclose(result.matrix, reference, atol=1e-8 * np.abs(reference).max())


@pytest.mark.parametrize("q_abs", [0.02, 0.3])
def test_retarded_pairs_match_brute_force_and_advanced_pair_is_the_adjoint(q_abs):
    """The R-R bubble of Eq. (s7) (``pair="RR"``) against the polar brute force, and the identity
    M^AA = (M^RR)^dagger used by the correlator, with M^AA summed independently on the polar grid."""
    model = _model(0.05)
    q = q_abs * np.array([np.cos(0.7), np.sin(0.7)])
    omega = 0.003
    result = spin_bubble(model, q, omega, pair="RR")
    reference = _brute_force_bubble(model, q, omega, pair="RR")
    assert result.pair == "RR" and result.error < 1e-10 * np.abs(result.matrix).max()
    assert np.allclose(result.matrix, reference, atol=1e-8 * np.abs(reference).max())
    advanced = _brute_force_bubble(model, q, omega, pair="AA")
    assert np.allclose(result.matrix.conj().T, advanced, atol=1e-8 * np.abs(reference).max())


def test_error_estimate_bounds_a_higher_order_rule():
    model = _model(0.01)
    q = (0.004, -0.003)
    low, high = spin_bubble(model, q, 0.002), spin_bubble(model, q, 0.002, quadrature_order=40)
    assert np.abs(low.matrix - high.matrix).max() <= max(low.error, 1e-13 * np.abs(high.matrix).max())


ALPHA = 0.001
G = np.pi * ALPHA * (1.0 + 0.16)  # pi alpha (eps^2 + Delta^2), the bubble's natural energy scale


def _difference(function, step, kind):
    """Central first (kind=1) or second (kind=2) difference of a 4x4-valued function of one variable."""
    plus, minus = function(step), function(-step)
    if kind == 1:
        return (plus - minus) / (2 * step)
    return (plus + minus - 2 * function(0.0)) / (2 * step**2)


@pytest.fixture(scope="module")
def small_alpha_model():
    return _model(ALPHA)


DIRECTION = np.array([np.cos(0.7), np.sin(0.7)])


@pytest.mark.parametrize("variable", ["omega", "q"])
@pytest.mark.parametrize("kind", [1, 2])
def test_taylor_coefficients_match_corrected_expansion(small_alpha_model, variable, kind):
    """d M / d omega, d^2 M / d omega^2, and along q: direct integration vs Eq. (s15) (corrected), to O(alpha)."""
    model = small_alpha_model
    if variable == "omega":
        step = 1e-4 * G
        numeric = _difference(lambda w: spin_bubble(model, (0, 0), w).matrix, step, kind)
        expansion = _difference(lambda w: bubble_expansion(model, (0, 0), w), step, kind)
    else:
        step = 1e-3 * G
        numeric = _difference(lambda s: spin_bubble(model, s * DIRECTION, 0.0).matrix, step, kind)
        expansion = _difference(lambda s: bubble_expansion(model, s * DIRECTION, 0.0), step, kind)
    scale = np.abs(expansion).max()
    assert np.abs(numeric - expansion).max() < 10 * ALPHA * scale


def test_mixed_q_omega_coefficient(small_alpha_model):
    model = small_alpha_model
    hq, hw = 1e-3 * G, 1e-4 * G

    def mixed(f):
        return (f(hq, hw) - f(-hq, hw) - f(hq, -hw) + f(-hq, -hw)) / (4 * hq * hw)

    numeric = mixed(lambda s, w: spin_bubble(model, s * DIRECTION, w).matrix)
    expansion = mixed(lambda s, w: bubble_expansion(model, s * DIRECTION, w))
    assert np.abs(numeric - expansion).max() < 10 * ALPHA * np.abs(expansion).max()


@pytest.mark.parametrize("kind", [1, 2])
def test_printed_q_terms_disagree_with_direct_integration(small_alpha_model, kind):
    """Eq. (s15d) places q_x, q_y in the wrong slots; Eq. (s15e) has the wrong sign of the (0, z) block."""
    model = small_alpha_model
    step = 1e-3 * G
    numeric = _difference(lambda s: spin_bubble(model, s * DIRECTION, 0.0).matrix, step, kind)
    printed = _difference(lambda s: bubble_expansion(model, s * DIRECTION, 0.0, printed=True), step, kind)
    assert np.abs(numeric - printed).max() > 0.5 * np.abs(printed).max()


@pytest.mark.parametrize(
    "kwargs, name",
    [(dict(q=(1.0, 2.0, 3.0)), "q"), (dict(q=(10.0, 0.0)), "q"), (dict(omega=np.nan), "omega"),
     (dict(omega=-0.7, self_energy="leading"), "omega"),
     (dict(self_energy="gw"), "self_energy"), (dict(quadrature_order=2), "quadrature_order"),
     (dict(pair="AR"), "pair")],
)
def test_invalid_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        spin_bubble(_model(0.01), **kwargs)


def test_static_bubble_matches_eq_s15a(small_alpha_model):
    """M(0, 0) vs M_0 of Eq. (s15a): the O(1/alpha) blocks and the O(1) Hall entry pi alpha eps Delta / g."""
    model = small_alpha_model
    numeric = spin_bubble(model).matrix
    expansion = bubble_expansion(model, (0.0, 0.0), 0.0)
    assert np.abs(numeric - expansion).max() < 10 * ALPHA * np.abs(expansion).max()
    hall = 1.0 * 0.4 / 1.16  # eps Delta / (eps^2 + Delta^2)
    assert numeric[1, 2].real == pytest.approx(hall, rel=10 * ALPHA)
    assert numeric[2, 1].real == pytest.approx(-hall, rel=10 * ALPHA)
