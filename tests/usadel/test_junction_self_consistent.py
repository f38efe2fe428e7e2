"""Self-consistent pair potential Delta(x) in the junction solver (``usadel.junction``, gap=SELF_CONSISTENT)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.optimize import brentq
from scipy.special import polygamma

from spincharge.numerics.matsubara import positive_frequencies
from spincharge.usadel.gap import GAP0_OVER_TC, bcs_gap
from spincharge.usadel.junction import (
    SELF_CONSISTENT,
    VACUUM,
    ConvergenceError,
    Layer,
    Reservoir,
    junction,
    spectrum,
)


def layer_profile(result, k, points):
    """Delta(x) of layer k at its nodes (phase 0): a profile for Layer(gap=...)."""
    return result.pair_potential[0, k * (points + 1): (k + 1) * (points + 1)]


@pytest.mark.parametrize("t", [0.2, 0.6])
def test_bulk_gap_is_bcs_gap_from_a_wrong_start_phase(t):
    """S layer on a BCS reservoir (phase 0) with a vacuum end, started at phase 2 rad: Newton rotates Delta(x)
    to the reservoir's phase and |Delta| = bcs_gap(t) (Hurwitz-zeta tails, an independent evaluation of the
    same equation) at every node; the Usadel + end-corrected Matsubara rule agree with it to 1e-10."""
    result = junction([Layer(3.0, gap=SELF_CONSISTENT, phase=2.0)], t, [0.0], right=VACUUM, points=16)
    assert np.max(np.abs(result.pair_potential[0] - bcs_gap(t).gap)) < 2e-10
    assert result.gap_iterations >= 3 and result.gap_residual[0] < 1e-9
    assert np.max(np.abs(result.current)) < 1e-9  # a vacuum end carries no current
    ds = result.to_dataset()
    assert ds["pair_potential"].dims == ("phase", "x") and ds["pair_potential"].attrs["units"] == "Delta0"
    assert ds.attrs["gap_iterations"] == result.gap_iterations


def test_long_layer_heals_to_bcs_gap():
    """Fed at x = 0 by a weaker superconductor (gap 0.3) through r = 1, Delta(x) heals to bcs_gap(t) at the far
    (vacuum) end of a 16 xi0 layer: the deficit there is below 1e-6 at 32 and 40 points."""
    t = 0.5
    deficits = []
    for points in (32, 40):
        result = junction([Layer(16.0, gap=SELF_CONSISTENT)], t, [0.0], left=Reservoir(gap=0.3), right=VACUUM,
                          interfaces=[1.0, 0.0], points=points)
        deficits.append(abs(result.pair_potential[0, -1].real - bcs_gap(t).gap))
        assert abs(result.pair_potential[0, 0]) < 0.7  # suppressed at the weak side
    assert max(deficits) < 1e-6


def test_current_is_conserved_only_with_a_self_consistent_gap():
    """S/N/S'/N/S with a finite S' layer carrying the current: with Delta fixed at bcs_gap (phase 0) S' is a
    current source (I(x) varies by ~90% of I), with Delta self-consistent (phase free) I(x) is constant to the
    grid error, which falls with the number of points."""
    t, phases = 0.5, [0.8, 2.0]
    stack = [Layer(1.0), Layer(2.0, gap=bcs_gap(t).gap), Layer(1.0)]
    fixed = junction(stack, t, phases, points=24, max_grid_error=1.0)
    assert np.all(fixed.grid_error > 0.8 * np.abs(fixed.current))
    errors = []
    for points in (16, 24):
        result = junction([Layer(1.0), Layer(2.0, gap=SELF_CONSISTENT), Layer(1.0)], t, phases, points=points)
        errors.append(result.grid_error / np.abs(result.current))
        assert np.all(result.gap_residual < 1e-9)
    assert np.all(errors[1] < 2e-5) and np.all(errors[1] < errors[0] / 4)
    # the phase of Delta winds across S' (a current-carrying state), odd about the centre
    middle = result.pair_potential[:, 25:50]
    assert np.all(np.abs(np.angle(middle[:, -1]) + np.angle(middle[:, 0])) < 1e-8)
    assert np.all(np.angle(middle[:, -1]) > 0.05)


def test_spinful_current_conservation_with_exchange_field():
    """F(h)/S with the S layer self-consistent (spinful 2x2 Riccati, omega > 0 only: the singlet is even in omega
    under charge conjugation): I(x) constant to 2e-4 relative at 12 points."""
    result = junction([Layer(1.0, exchange=(0, 0, 0.3)), Layer(1.5, gap=SELF_CONSISTENT)], 0.5, [1.0], points=12)
    assert result.grid_error[0] < 2e-4 * abs(result.current[0])
    assert result.gap_residual[0] < 1e-9


def bilayer_edge(r, points, t=0.5):
    """Delta at the S side of the barrier r in S (6 xi0, on a BCS reservoir) / N (3 xi0) / vacuum."""
    result = junction([Layer(6.0, gap=SELF_CONSISTENT), Layer(3.0)], t, [0.0], right=VACUUM, interfaces=[0.0, r, 0.0],
                      points=points)
    assert np.all(result.pair_potential[0, points + 1:] == 0) and result.gap_residual[0] < 1e-9  # N is normal
    return result.pair_potential[0, points].real


def test_sn_bilayer_suppression_and_two_discretisations():
    """Delta is suppressed at the S side of the S/N barrier, less for a larger r; the suppression bulk - Delta
    agrees between 24 and 40 points to 0.5% at r = 0.3 (0.05% at r = 100)."""
    gap = bcs_gap(0.5).gap
    edge = {}
    for r in (0.3, 100.0):
        coarse, fine = bilayer_edge(r, 24), bilayer_edge(r, 40)
        assert abs(coarse - fine) < (5e-3 if r < 1 else 5e-4) * (gap - fine)
        edge[r] = fine
    assert edge[0.3] < edge[100.0] < gap
    assert 0.3 < (gap - edge[0.3]) / gap < 0.8


def tunnel_limit_coefficient(t, length, modes=300, count=200):
    """C = lim r (Delta_bulk - Delta(L)) for S on [0, L] (D = 1, transparent BCS reservoir at 0) with a KL barrier
    r -> inf to a normal metal at L: linear response in 1/r. The barrier condition with g_N = s tau3 is
    D theta'(L) = -sin(theta)/r (theta parametrisation, F = sin theta); around the bulk state (cos, sin theta =
    omega/W, Delta/W, W = sqrt(omega^2 + Delta^2)) the Usadel and gap equations linearise to
    (D/2) dtheta'' = W dtheta - cos(theta) dDelta and dDelta sum 1/W = sum cos(theta) dtheta (sums over omega_n > 0);
    in the modes phi_k = sqrt(2/L) sin(q_k x), q_k = (k + 1/2) pi/L (dtheta = dDelta = 0 at the reservoir), the
    barrier is a source -(sin theta/2r) phi_k(L) and
        C = (1/L) sum_k [sum_w w Delta/(W^2 (W + q_k^2/2))] / [sum_w (1/W - w^2/(W^2 (W + q_k^2/2)))].
    Frequency sums: ``count`` explicit terms, the rest by the Euler-Maclaurin integral; modes beyond ``modes`` by
    their 1/(k + 1/2)^2 asymptote (the slowly varying logarithmic factor frozen at the last one)."""
    gap, T = float(bcs_gap(t).gap), t / GAP0_OVER_TC
    w = positive_frequencies(T, count)
    a = w[-1] + np.pi * T

    def frequency_sum(f):
        h = 1e-4 * a
        tail = quad(f, a, np.inf, limit=200, epsabs=0, epsrel=1e-11)[0] / (2 * np.pi * T)
        return f(w).sum() + tail - 2 * np.pi * T / 24 * (f(a + h) - f(a - h)) / (2 * h)

    terms = []
    for k in range(modes):
        half = ((k + 0.5) * np.pi / length) ** 2 / 2
        num = frequency_sum(lambda w: w * gap / ((w * w + gap * gap) * (np.sqrt(w * w + gap * gap) + half)))
        den = frequency_sum(lambda w: 1 / np.sqrt(w * w + gap * gap)
                            - w * w / ((w * w + gap * gap) * (np.sqrt(w * w + gap * gap) + half)))
        terms.append(num / den / length)
    return sum(terms) + terms[-1] * (modes - 0.5) ** 2 * polygamma(1, modes + 0.5)


def test_tunnel_limit_matches_the_linear_response_closed_form():
    """r (bulk - Delta at the barrier) = C + O(1/r): extrapolated from r = 100 and 1000 (40 points) it meets the
    closed form C = 0.75341 (``tunnel_limit_coefficient``; 0.75331 with 100 modes) to 1e-4 relative."""
    closed = tunnel_limit_coefficient(0.5, 6.0)
    gap = bcs_gap(0.5).gap
    scaled = {r: r * (gap - bilayer_edge(r, 40)) for r in (100.0, 1000.0)}
    extrapolated = (1000 * scaled[1000.0] - 100 * scaled[100.0]) / 900
    assert abs(scaled[100.0] / closed - 1) > 3e-3  # the 1/r correction is visible ...
    assert abs(extrapolated / closed - 1) < 3e-4  # ... and removed by the extrapolation


@pytest.mark.parametrize("t, length, points", [(0.9, 20.0, 32), (0.95, 30.0, 40)])
def test_ginzburg_landau_profile_near_tc(t, length, points):
    """Near Tc an S layer with a transparent interface to N: Delta(x)/Delta_bulk -> tanh((d + d0)/(sqrt(2) xi))
    at depth d, with the dirty-limit GL length xi^2 = pi D/(8 T ln(Tc/T)) (expansion of the gap equation:
    Delta ln(T/Tc) + 7 zeta(3) Delta^3/(8 pi^2 T^2) - (pi D/(8 T)) Delta'' = 0) and one fitted offset d0 ~ 0.5
    xi0; the deviation is O(1 - t): below 0.02 at t = 0.9, 0.011 at t = 0.95."""
    gap = bcs_gap(t).gap
    xi = np.sqrt(np.pi / (8 * (t / GAP0_OVER_TC) * np.log(1 / t)))
    result = junction([Layer(length, gap=SELF_CONSISTENT), Layer(4.0)], t, [0.0], left=VACUUM, right=VACUUM,
                      points=points)
    profile = Layer(length, gap=tuple(layer_profile(result, 0, points).real / gap))
    depth = brentq(lambda d: profile.pair_potential(np.array([length - d]))[0].real - np.tanh(1.0), 0.0, length / 2)
    offset = np.sqrt(2) * xi - depth
    d = np.linspace(0.5, 4 * xi, 30)
    deviation = np.max(np.abs(profile.pair_potential(length - d).real - np.tanh((d + offset) / (np.sqrt(2) * xi))))
    assert 0.2 < offset < 0.8
    assert deviation < (0.02 if t == 0.9 else 0.011)


def test_normal_state_at_and_above_tc_and_bad_input():
    """t >= 1 with vacuum ends: the only solution is Delta = 0 (returned, no current); bad gaps, tolerances and a
    missing t are refused naming the parameter; a Newton budget too small raises ConvergenceError with the
    residual and advice."""
    result = junction([Layer(2.0, gap=SELF_CONSISTENT), Layer(1.0)], 1.2, [0.0], left=VACUUM, right=VACUUM, points=12)
    assert np.all(result.pair_potential == 0) and np.all(result.current == 0) and result.gap_iterations == 0
    for bad in ("self consistent", [1.0], [1.0, np.nan], -0.5):
        with pytest.raises(ValueError, match="gap"):
            Layer(1.0, gap=bad)
    with pytest.raises(ValueError, match="gap_tolerance"):
        junction(Layer(1.0, gap=SELF_CONSISTENT), 0.5, [0.0], gap_tolerance=0.0)
    with pytest.raises(ValueError, match="max_gap_iterations"):
        junction(Layer(1.0, gap=SELF_CONSISTENT), 0.5, [0.0], max_gap_iterations=0)
    with pytest.raises(ValueError, match="Reservoirs"):
        junction(Layer(1.0, gap=0.5), 0.5, [0.0], right=VACUUM)  # a vacuum end needs a self-consistent layer
    with pytest.raises(ValueError, match="t = T/Tc"):
        spectrum([Layer(2.0, gap=SELF_CONSISTENT)], [0.5])
    with pytest.raises(ConvergenceError, match="residual .* try more max_gap_iterations"):
        junction([Layer(6.0, gap=SELF_CONSISTENT), Layer(3.0)], 0.5, [0.0], right=VACUUM, points=16,
                 max_gap_iterations=1)


def test_spectrum_with_the_self_consistent_gap():
    """An isolated S/N bilayer (vacuum ends: the global phase is a zero mode, kept by the least-squares step):
    the spectrum uses the equilibrium Delta(x) of ``junction`` (the same as a fixed profile taken from it); at the
    vacuum end of S the DOS at E = 0.05 Delta0 is gapped (< 0.05), at the far N end at E = 2 Delta0 it is 1 to 1%."""
    layers = [Layer(4.0, gap=SELF_CONSISTENT), Layer(2.0)]
    energies = np.array([0.05, 2.0])
    result = spectrum(layers, energies, left=VACUUM, right=VACUUM, t=0.3, points=24)
    state = junction(layers, 0.3, [0.0], left=VACUUM, right=VACUUM, points=24)
    fixed = spectrum([Layer(4.0, gap=tuple(layer_profile(state, 0, 24))), Layer(2.0)], energies, left=VACUUM,
                     right=VACUUM, points=24)
    assert np.array_equal(result.density, fixed.density)
    assert result.density[0, 0] < 0.05 and abs(result.density[1, -1] - 1) < 0.01


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 12), st.lists(st.floats(-1, 1), min_size=13, max_size=13), st.floats(0, 1))
def test_profile_interpolation_is_exact_for_polynomials(degree, coefficients, where):
    """A fixed profile on m + 1 Chebyshev-Lobatto nodes reproduces any polynomial of degree <= m everywhere."""
    length, m = 2.5, 12
    polynomial = np.polynomial.Polynomial(coefficients[: degree + 1], domain=[0, length])
    nodes = length * (1 - np.cos(np.pi * np.arange(m + 1) / m)) / 2
    layer = Layer(length, gap=tuple(polynomial(nodes)), phase=0.3)
    x = np.array([where * length, nodes[3]])
    assert np.allclose(layer.pair_potential(x), polynomial(x) * np.exp(0.3j), rtol=0, atol=1e-12)


def test_error_estimate_covers_the_transparent_interface_singularity():
    """Delta -> 0 logarithmically at a transparent S'/N interface, so the current converges only algebraically in
    points and the spread of I(x) (about 1e-5) misses it: the refinement term (|I - I(2/3 points)|) makes the
    reported error cover the true one, taken as |I(24) - I(48)|; with KL barriers it is not needed (0)."""
    t, phases = 0.5, [0.8]
    stack = [Layer(1.0), Layer(2.0, gap=SELF_CONSISTENT), Layer(1.0)]
    result, fine = (junction(stack, t, phases, points=p) for p in (24, 48))
    truth = np.abs(result.current - fine.current)
    assert np.all(result.grid_error < truth) and np.all(truth <= result.error)
    assert np.all(result.refinement_error > 0)
    barrier = junction(stack, t, phases, points=16, interfaces=[0.0, 0.1, 0.1, 0.0])
    assert np.all(barrier.refinement_error == 0)
