"""Vortex solver: core and far-field limits, n = 0, convergence, gamma -> -gamma, Ginzburg-Landau limit."""

import numpy as np
import pytest
from scipy.integrate import solve_bvp
from scipy.optimize import brentq
from scipy.interpolate import CubicSpline

from spincharge.usadel import GAP0_OVER_TC, DerivedEquations, bcs_gap, condensate_spin_response, vortex
from spincharge.usadel.radial import PaperEquations
from spincharge.usadel.vortex import (
    _core_part,
    _gap_response,
    _Grid,
    _local_singlet,
    _solve_singlet,
    matsubara_nodes,
    single_frequency_bvp,
)


@pytest.fixture(scope="module")
def cold():
    return vortex(0.05)


@pytest.fixture(scope="module")
def warm():
    return vortex(0.98)


def temperature_over_gap(t):
    return t / (bcs_gap(t).gap * GAP0_OVER_TC)


def at(result, field, radius):
    return CubicSpline(result.r, field, axis=-1)(radius)


def test_errors_are_small_and_reported(cold, warm):
    for result in (cold, warm):
        assert all(0 <= e < 1e-3 for e in result.error)
        assert result.newton_iterations < 10
        assert np.all(np.isfinite(result.current)) and np.all(np.isfinite(result.spin))


def test_core_amplitude_n1(cold):
    """a_s = c r - r^2/6 + O(r^3) at the core (the constant source -(1 - a_s^2)/2 of the equation)."""
    r = cold.r
    core = (r > 0.004) & (r < 0.03)
    for amplitude in cold.amplitude[[0, 10, 60]]:
        slope = np.polyfit(r[core], amplitude[core] / r[core], 1)[0]
        assert slope == pytest.approx(-1 / 6, rel=0.05)


def test_core_amplitude_n2():
    """n = 2: a_s = c r^2 - (r^2/8) ln r + ..., i.e. a_s / r^2 is linear in ln r with slope -1/8."""
    result = vortex(0.5, winding=2, points=400, outer_radius=12.0)
    r = result.r
    core = (r > 0.01) & (r < 0.05)
    slope = np.polyfit(np.log(r[core]), result.amplitude[0, core] / r[core] ** 2, 1)[0]
    assert slope == pytest.approx(-1 / 8, rel=0.02)


def core_slope_coefficient():
    """p'(0) of p'' + p'/x - p/x^2 - p = -1/2, p(0) = 0, p(inf) = 1/2 (solve_bvp; it is pi/8).

    For omega >> Delta, a_s = p(k r)/k^2 with k^2 = omega/Delta, so a_s ~ (p'(0)/k) r at the core and
    sum_omega F^2 / r = 4 p'(0)^2 sum 1/omega over omega < 1/r^2: I(r)/r = -8 p'(0)^2 ln r + const.
    """
    length = 60.0

    def ode(x, y):
        return np.vstack([y[1], -y[1] / x + y[0] / x**2 + y[0] - 0.5])

    def bc(ya, yb):
        return np.array([ya[0] - 1e-4 * ya[1], yb[0] - 0.5 / (1 + 1 / length**2)])

    x = np.geomspace(1e-4, length, 400)
    guess = np.vstack([0.5 * x / np.sqrt(1 + x**2), 0.5 / (1 + x**2) ** 1.5])
    solution = solve_bvp(ode, bc, x, guess, tol=1e-8, max_nodes=100000)
    assert solution.status == 0
    return solution.sol(1e-4)[1]


def test_current_at_core_is_r_log_r():
    """With |Delta| uniform up to r = 0 (the paper's non-self-consistent model) the high frequencies
    make the core current I ~ (pi^2/8) r ln(1/r), not ~ r: I/r is linear in ln r, slope -8 p'(0)^2."""
    slope_coefficient = core_slope_coefficient()
    assert slope_coefficient == pytest.approx(np.pi / 8, rel=1e-4)
    result = vortex(0.5, points=1600, outer_radius=12.0)
    r = result.r
    core = (r > 0.002) & (r < 0.01)
    slope = np.polyfit(np.log(r[core]), result.current[core] / r[core], 1)[0]
    assert slope == pytest.approx(-8 * slope_coefficient**2, rel=0.01)
    assert result.current[0] == 0.0


@pytest.mark.parametrize("name", ["cold", "warm"])
def test_bulk_amplitude_and_depairing_correction(name, request):
    """Far away a_s -> Delta/(omega + Omega) with the local phase-gradient correction
    delta a_s r^2 -> -n^2 P (1 - P^2) / ((1 + P^2) (w + P)) (linearised derived equation)."""
    result = request.getfixturevalue(name)
    w = result.frequencies[:20]
    bulk = 1 / (w + np.sqrt(w**2 + 1))
    radius = 15.0
    deviation = at(result, result.amplitude[:20], radius) - bulk
    predicted = -bulk * (1 - bulk**2) / ((1 + bulk**2) * (w + bulk)) / radius**2
    assert deviation == pytest.approx(predicted, rel=0.03)


@pytest.mark.parametrize("name", ["cold", "warm"])
def test_current_decays_as_stiffness_over_r(name, request):
    """r I(r) -> n (pi/2) tanh(Delta / 2T): the superfluid stiffness of the bulk (closed form)."""
    result = request.getfixturevalue(name)
    stiffness = np.pi / 2 * np.tanh(1 / (2 * temperature_over_gap(result.t)))
    for radius, tolerance in [(10.0, 0.02), (15.0, 0.008)]:
        assert radius * at(result, result.current, radius) == pytest.approx(stiffness, rel=tolerance)


@pytest.mark.parametrize("name", ["cold", "warm"])
def test_far_field_spin_is_the_homogeneous_zeeman_response(name, request):
    """r S(r) -> -n X / 2: the effective field gamma q / 2 times the spin response X of the
    homogeneous 4x4 equation with a Zeeman field (solved numerically, ``condensate_spin_response``, whose
    witness at these (t, Delta0 tau_so) is the independently summed closed form in test_homogeneous.py)."""
    result = request.getfixturevalue(name)
    assert (result.t, result.delta0_tau_so) in [(0.05, 0.1), (0.98, 0.1)]
    response = condensate_spin_response(result.t, result.delta0_tau_so)
    for radius, tolerance in [(10.0, 0.03), (15.0, 0.012)]:
        assert radius * at(result, result.spin, radius) == pytest.approx(-response.value / 2, rel=tolerance)


def test_winding_zero_gives_no_current_and_no_spin():
    """n = 0 with a suppressed core (a_s(0) = 0): the radial gradient sources a_2 but no spin."""
    result = vortex(0.3, winding=0, points=200)
    assert np.all(result.current == 0)
    assert np.max(np.abs(result.spin)) < 1e-14
    assert np.max(np.abs(result.triplet[1])) > 1e-3
    assert np.max(np.abs(result.triplet[0])) < 1e-14


def test_gamma_and_winding_signs(cold):
    flipped = vortex(0.05, gamma_o=-1.0)
    np.testing.assert_allclose(flipped.spin, -cold.spin, rtol=0, atol=1e-14)
    np.testing.assert_allclose(flipped.current, cold.current, rtol=0, atol=0)
    antivortex = vortex(0.05, winding=-1)
    np.testing.assert_allclose(antivortex.current, -cold.current, atol=1e-12)
    np.testing.assert_allclose(antivortex.spin, -cold.spin, atol=1e-12)


def at_log(result, field, radius):
    """field(radius) from a cubic spline of field/r in ln r: the core current I ~ r ln r is singular for
    a spline in r (interpolation errors ~1e-5 of max I at the first grid points), I/r is linear in ln r."""
    inside = result.r > 0
    return radius * CubicSpline(np.log(result.r[inside]), field[inside] / result.r[inside])(np.log(radius))


def test_independent_of_grid_and_outer_radius(cold):
    """A coarser grid and a smaller outer radius agree within the error estimates (r <= 8 xi)."""
    other = vortex(0.05, outer_radius=28.0, points=400, frequency_cutoff=12.0)
    r = cold.r[(cold.r > 0) & (cold.r <= 8)]
    for key, index in (("current", 0), ("spin", 1)):
        mine, theirs = at_log(cold, getattr(cold, key), r), at_log(other, getattr(other, key), r)
        scale = np.max(np.abs(mine))
        difference = np.max(np.abs(mine - theirs)) / scale
        assert difference < 3 * (cold.error[index] + other.error[index]) + 1e-6


@pytest.mark.parametrize("t, tolerance", [(0.995, 0.04), (0.9995, 0.011), (0.99995, 0.003)])
def test_ginzburg_landau_limit_spin_follows_current(t, tolerance):
    """Near Tc S(r) / I(r) -> -X / (pi tanh(Delta/2T)) for r >= xi(T): the Lifshitz coefficient
    chi gamma / 2 of the homogeneous Zeeman response over the superfluid stiffness. The nonlocal core
    (size ~ sqrt(D / (pi T + Gamma/2)), shrinking in units of xi(T) as t -> 1) sets the tolerance."""
    result = vortex(t, points=300, outer_radius=30.0)
    r = result.r
    window = (r >= 1) & (r < 10)
    ratio = result.spin[window] / result.current[window]
    X = condensate_spin_response(t, result.delta0_tau_so).value
    stiffness = np.pi / 2 * np.tanh(1 / (2 * temperature_over_gap(t)))
    assert np.all(np.abs(ratio / (-X / 2 / stiffness) - 1) < tolerance)


def test_low_temperature_is_nonlocal(cold):
    r = cold.r
    window = (cold.r > 0.2) & (r < 10)
    ratio = np.abs(cold.spin[window] / cold.current[window])
    assert ratio.max() / ratio.min() > 1.5


def test_peak_radii(cold, warm):
    """The spin maximum lies further out than the current maximum (paper 003, Fig. 3)."""
    for result in (cold, warm):
        assert result.peak_radius("spin") > result.peak_radius("current")


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(t=1.2), "t = T/Tc"),
        (dict(t=0.5, winding=1.5), "winding"),
        (dict(t=0.5, delta0_tau_so=0.0), "delta0_tau_so"),
        (dict(t=0.5, equations="other"), "equations"),
        (dict(t=0.5, outer_radius=5.0), "outer_radius"),
        (dict(t=0.5, points=10), "points"),
    ],
)
def test_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        vortex(**kwargs)


@pytest.mark.parametrize("index", [0, 25, 100, 116, 120, 125])
def test_batched_solver_matches_solve_bvp_per_frequency(cold, index):
    """Independent witness: scipy's solve_bvp (collocation, adaptive mesh, tol 1e-8, in s = ln r) at single
    frequencies w = 0.09 ... 2e12 (the last two are Gauss-Laguerre tail nodes, core size 2e-3 and 7e-7
    xi). a_s to 3e-6 (1e-9 above w = 1; the core part P_lin is exact), a_1 to 1e-5 (the fine grid of
    ``cold``, not extrapolated); a_2 where its core is resolved (w < 1e6): above, a_2 at r >= 0.05 is
    below 1e-29 in both (solve_bvp's noise level) and carries no spin."""
    w = cold.frequencies[index]
    g = 1 / (cold.delta0_tau_so * 2 * cold.gap)
    singlet, triplet = single_frequency_bvp(DerivedEquations, w, 1, g, cold.outer_radius, tol=1e-8)
    probe = np.array([0.05, 0.3, 1.0, 3.0, 10.0])
    s = np.log(probe)
    pairs = [
        (at(cold, cold.amplitude[index], probe), singlet.sol(s)[0], 3e-6),
        (at(cold, cold.triplet[0, index], probe), triplet.sol(s)[0], 1e-5),
    ]
    if w < 1e6:
        pairs.append((at(cold, cold.triplet[1, index], probe), triplet.sol(s)[2], 1e-5))
    for mine, theirs, tolerance in pairs:
        assert np.max(np.abs(mine - theirs)) < tolerance * np.max(np.abs(theirs))


@pytest.fixture(scope="module")
def self_consistent():
    return vortex(0.5, points=200, outer_radius=30.0, self_consistent=True)


def test_self_consistent_pair_potential_core_and_far_field(self_consistent):
    """|Delta(r)| ~ r at the core, and far away the local (gradient-free) self-consistent value with the
    phase-gradient depairing n^2/r^2, solved pointwise by bisection on the gap equation (independent)."""
    result = self_consistent
    r, delta = result.r, result.pair_potential
    core = (r > 0.005) & (r < 0.03)
    assert np.polyfit(np.log(r[core]), np.log(delta[core]), 1)[0] == pytest.approx(1.0, abs=0.02)
    assert delta[0] == 0.0
    w, weights, _ = matsubara_nodes(temperature_over_gap(0.5), result.frequency_cutoff)
    deviations = []
    for radius in (8.0, 12.0, 16.0):

        def residual(d):
            P = _local_singlet(DerivedEquations, w, radius, 1, d)
            return d * np.log(0.5) + 2 * np.pi * temperature_over_gap(0.5) * (weights @ (d / w - 2 * P / (1 + P**2)))

        local = brentq(residual, 0.5, 1.0, xtol=1e-12)
        deviations.append(abs(at(result, delta, radius) - local) / (1 - local))
    # the nonlocal correction to the depression 1 - Delta decays faster than the depression (~ 1/r^2)
    assert deviations[1] < 0.08 and deviations[2] < 0.04
    assert deviations[0] > deviations[1] > deviations[2]


def test_self_consistent_current_is_linear_at_core(self_consistent):
    """With Delta(r) ~ r the high frequencies no longer reach the core: I ~ r (no r ln r)."""
    r = self_consistent.r
    core = (r > 0.003) & (r < 0.02)
    exponent = np.polyfit(np.log(r[core]), np.log(self_consistent.current[core]), 1)[0]
    assert exponent == pytest.approx(1.0, abs=0.01)
    assert self_consistent.self_consistency_cycles > 1
    assert all(e < 1e-3 for e in self_consistent.error)


@pytest.mark.parametrize("equation, winding", [(DerivedEquations, 1), (PaperEquations, 2), (DerivedEquations, 0)])
def test_gap_response_equals_central_differences_of_the_solved_amplitudes(equation, winding):
    """The Newton Jacobian of the self-consistency, d Phi/d delta v (linear response of the discretised singlet
    problem, outer boundary included), against (Phi(delta + h v) - Phi(delta - h v)) / 2h from two full
    nonlinear solves, for a non-uniform delta and a perturbation reaching the outer point (seen 1.4e-11 relative)."""
    grid = _Grid.sinh_map(20.0, 80, 5.0)
    w, weights, _ = matsubara_nodes(temperature_over_gap(0.5), 20.0)
    no_core = _core_part(w, grid.rho, winding, uniform=False)
    r = grid.rho
    delta = np.tanh(r) + 0.1 * np.exp(-((r - 3) ** 2)) if winding else 1 - 0.3 * np.exp(-r)
    v = np.cos(r / 3) * np.exp(-r / 10) + 0.5
    v[0] = 0.0 if winding else v[0]

    def phi(d):
        amplitude = _solve_singlet(equation, w, grid, winding, 1e-13, 50, d, no_core)[0]
        return weights @ (2 * amplitude / (1 + amplitude**2)), amplitude

    base, amplitude = phi(delta)
    response = _gap_response(equation, w, weights, grid, winding, delta, amplitude)(v)
    h = 1e-5
    numeric = (phi(delta + h * v)[0] - phi(delta - h * v)[0]) / (2 * h)
    assert np.abs(response - numeric).max() < 1e-8 * np.abs(numeric).max()
    assert abs(response[-1]) > 0.1 * np.abs(response).max()  # the outer point's response is exercised
