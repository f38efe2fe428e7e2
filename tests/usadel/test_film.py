"""Homogeneous films with a phase gradient: self-consistent gap, Abrikosov-Gor'kov/Maki depairing, diode effect.

Independent witnesses: the cutoff-free BCS gap (``bcs_gap``); the scalar pair-breaking problem
omega sin(th) - Delta cos(th) + Gamma sin(th) cos(th) = 0, Gamma = D q^2 / 2, solved here by bisection with its
own Matsubara sum and large-omega tail and the gap equation by Brent's method; Maki's T = 0 closed forms; the
Zeeman fixed-point solve and closed form of ``condensate_spin_response``; the Lifshitz invariant of the
point group (``spincharge.symmetry.lifshitz_invariant``).
"""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq, minimize_scalar
from scipy.special import zeta

from spincharge.materials import Material
from spincharge.symmetry import lifshitz_invariant
from spincharge.usadel import GAP0_OVER_TC, bcs_gap, condensate_spin_response
from spincharge.usadel.riccati import inverse
from spincharge.usadel.film import (
    FilmConvergenceError,
    _Film,
    _operator,
    _amplitudes,
    depairing,
    diode_sweep,
    film_state,
    mirrored,
)
from spincharge.usadel.operator import Algebra, riccati_g

COARSE = dict(cutoff=10.0, nodes=8, minimum_frequencies=8)  # eta agrees with the defaults to 1e-11 (docs)


# --- independent Abrikosov-Gor'kov / Maki solver -------------------------------------------------------------
def _angles(omega, gap, rate, iterations=60):
    """theta(omega) in (0, pi/2) of omega sin - Delta cos + Gamma sin cos = 0, by bisection (vectorised)."""
    low, high = np.zeros_like(omega), np.full_like(omega, np.pi / 2)
    for _ in range(iterations):
        mid = (low + high) / 2
        value = omega * np.sin(mid) - gap * np.cos(mid) + rate * np.sin(mid) * np.cos(mid)
        low, high = np.where(value < 0, mid, low), np.where(value < 0, high, mid)
    return (low + high) / 2


def ag_state(t, gap, rate, count=4000):
    """(gap-equation residual, current / (D q)) of the pair-breaking problem at |Delta| = gap, units Delta0.

    Explicit frequencies n < count, the tail from the expansions Delta/w - sin = Gamma Delta/w^2 -
    (Gamma^2 Delta - Delta^3/2)/w^3 and sin^2 = Delta^2/w^2 - 2 Gamma Delta^2/w^3 (Hurwitz zeta sums)."""
    T = t / GAP0_OVER_TC
    omega = np.pi * T * (2 * np.arange(count) + 1)
    theta = _angles(omega, gap, rate)
    tail = [(2 * np.pi * T) ** -p * zeta(p, count + 0.5) for p in (2, 3)]
    deficit = np.sum(gap / omega - np.sin(theta)) + rate * gap * tail[0] - (rate**2 * gap - gap**3 / 2) * tail[1]
    stiffness = np.sum(np.sin(theta) ** 2) + gap**2 * tail[0] - 2 * rate * gap**2 * tail[1]
    return gap * np.log(1 / t) - 2 * np.pi * T * deficit, 2 * np.pi * T * stiffness


def ag_solution(t, q, diffusion=1.0):
    """Self-consistent (Delta, j) at phase gradient q (Brent's method on the gap equation)."""
    rate = diffusion * q**2 / 2
    gap = brentq(lambda d: ag_state(t, d, rate)[0], 1e-3, 1.0, xtol=1e-14)
    return gap, diffusion * q * ag_state(t, gap, rate)[1]


def maki_zero_temperature(q):
    """T = 0, Gamma/Delta <= 1 (Maki): ln(Delta0/Delta) = pi Gamma / (4 Delta), j = q Delta (pi/2 - 2 Gamma/(3 Delta))."""
    rate = q**2 / 2
    gap = brentq(lambda d: np.log(1 / d) - np.pi * rate / (4 * d), rate, 1.0, xtol=1e-15)
    assert rate <= gap
    return gap, q * gap * (np.pi / 2 - 2 * rate / (3 * gap))


# --- tests -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("t", [0.1, 0.5, 0.9])
def test_gap_at_zero_phase_gradient_is_the_bcs_gap(t):
    state = film_state({}, t, np.zeros(3))
    precise = bcs_gap(t, tail_ratio=10, tail_terms=12)
    assert abs(state.gap - precise.gap) < 1e-11
    assert abs(state.gap - bcs_gap(t).gap) < 1e-10
    assert state.gap_error < 2e-10 and state.residual < 1e-12
    assert np.all(state.current == 0) and np.all(state.spin == 0)


@pytest.mark.parametrize("q", [0.2, 0.5, 0.8])
def test_pair_breaking_matches_independent_abrikosov_gorkov_solution(q):
    """Without SOC and h the film is the AG problem with Gamma = D q^2/2: |Delta|(q) and j(q) to 1e-9."""
    gap, current = ag_solution(0.5, q)
    state = film_state({}, 0.5, [q, 0.0, 0.0])
    assert state.gap == pytest.approx(gap, abs=1e-9)
    assert state.current[0] == pytest.approx(current, abs=1e-9)
    assert state.current[1:] == pytest.approx([0, 0], abs=1e-15)


def test_anisotropic_diffusion_along_an_oblique_gradient():
    """D tensor: the depairing rate is n.D.n q^2 / 2 and j = D q (the stiffness times D q, not along q)."""
    D = np.diag([1.0, 0.5, 2.0])
    n = np.array([1.0, 1.0, 0.0]) / np.sqrt(2)
    q = 0.4
    gap, current = ag_solution(0.5, q, diffusion=n @ D @ n)
    state = film_state({"D": D}, 0.5, q * n)
    assert state.gap == pytest.approx(gap, abs=1e-9)
    np.testing.assert_allclose(state.current, current / (n @ D @ n) * D @ n, atol=1e-9)


def test_zero_temperature_limit_is_maki_and_kupriyanov_lukichev():
    """t = 0.02 (spectral gap ~ 0.32 Delta0 >> T = 0.011 Delta0) against Maki's T = 0 closed forms at the
    closed-form depairing maximum; that maximum is j_c = 0.74569 sigma Delta0^(3/2) / (e sqrt(D)), i.e.
    1.4914 e N(0) Delta0^(3/2) sqrt(D) with N(0) per spin: Kupriyanov and Lukichev's 1.491."""
    best = minimize_scalar(lambda q: -maki_zero_temperature(q)[1], bounds=(0.3, 0.9), method="bounded",
                           options={"xatol": 1e-10})  # fmt: skip
    gap, current = maki_zero_temperature(best.x)
    assert 2 * current == pytest.approx(1.491, abs=5e-4)
    state = film_state({}, 0.02, [best.x, 0, 0], cutoff=10)
    assert state.gap == pytest.approx(gap, abs=1e-9)
    assert state.current[0] == pytest.approx(current, abs=1e-9)


def test_depairing_currents_without_spin_orbit_coupling():
    """j_c = max_q j of the independent AG solution (Brent); j(-q) = -j(q), eta = 0."""
    result = depairing({}, 0.5)
    best = minimize_scalar(lambda q: -ag_solution(0.5, q)[1], bounds=(0.4, 0.6), method="bounded",
                           options={"xatol": 1e-7})  # fmt: skip
    assert result.critical_plus == pytest.approx(-best.fun, abs=1e-12)  # observed 4e-14
    assert abs(result.critical_plus + best.fun) <= result.critical_error[0]  # the estimate (1.3e-12) bounds it
    assert result.q_plus == pytest.approx(best.x, abs=1e-6)
    assert result.critical_minus == pytest.approx(-result.critical_plus, abs=1e-12)
    assert result.q_minus == pytest.approx(-result.q_plus, abs=1e-9)
    assert abs(result.efficiency) < 1e-12
    np.testing.assert_allclose(result.current, -result.current[::-1], atol=1e-12)


def _generic_tensors(seed, alpha=True):
    rng = np.random.default_rng(seed)
    relaxation = rng.normal(size=(3, 3)) * 0.5
    tensors = dict(D=np.diag([1.0, 1.2, 0.8]), Gamma=relaxation @ relaxation.T, gamma=rng.normal(size=(3, 3)) * 0.3,
                   h=rng.normal(size=3) * 0.3)  # fmt: skip
    tensors.update(theta=rng.normal(size=(3, 3)) * 0.2, kappa=rng.normal(size=(3, 3)) * 0.2)
    if alpha:
        tensors["alpha"] = rng.normal(size=(3, 3)) * 0.3
    return tensors


@pytest.mark.parametrize("alpha", [False, True])
def test_negative_frequencies_are_the_mirror_image(alpha):
    """g(-omega) = -tau3 g(omega)^+ tau3 solves the equation at -omega (every tensor, h, alpha, oblique q)."""
    film = _Film(_generic_tensors(3, alpha), 0.5, None, gap=None, q_scale=np.ones(3), **COARSE, tolerance=1e-12,
                 max_iterations=40)  # fmt: skip
    q = np.array([0.3, -0.2, 0.1])
    solution = film.continued(q)
    a, b = _amplitudes(solution.z)
    g = riccati_g(Algebra("numpy"), a, b, 1, inverse)
    omega = film.frequencies.omega[:, None, None]
    assert np.abs(_operator(g, omega, solution.gap, q, film.tensors)).max() < 1e-11
    assert np.abs(_operator(mirrored(g), -omega, solution.gap, q, film.tensors)).max() < 1e-11
    assert np.abs(mirrored(g) @ mirrored(g) - np.eye(4)).max() < 1e-12
    state = film.state(q, solution)
    assert state.gap_phase < 1e-12  # Tr[tau2 g] vanishes: charge conservation


_DIAGONAL = {"xx": 1.0, "yy": 1.1, "zz": 1.5}


def _material(group, strength=0.1, relaxation=2.0):
    """Every allowed D, Gamma and gamma parameter of ``group`` set (diagonal D ~ 1, Gamma ~ relaxation with
    off-diagonal parts a tenth of the diagonal, gamma entries strength times distinct factors)."""
    from spincharge.symmetry import allowed_form

    values = {}
    for tensor, scale in (("D", 1.0), ("Gamma", relaxation)):
        for name in allowed_form(group, tensor).parameters:
            values[name] = scale * _DIAGONAL.get(name.split("_")[1], 0.1)
    for k, name in enumerate(allowed_form(group, "gamma").parameters):
        values[name] = strength * (1.0 - 0.15 * k)
    return Material.from_point_group(group, **values)


def _coupling(group, material, field, direction):
    """h.K.n of the Lifshitz invariant F_L = h_j K_jk d_k phi, K = chi^T gamma, with chi = 1 and the material's
    gamma values (the vanishing pattern is what matters)."""
    invariant = lifshitz_invariant(group)
    values = {s: 1.0 for s in invariant.coupling.free_symbols if str(s).startswith("chi")}
    values.update({s: float(material.gamma["xyz".index(str(s)[-2]), "xyz".index(str(s)[-1])])
                   for s in invariant.coupling.free_symbols if str(s).startswith("gamma")})  # fmt: skip
    K = np.array(sympy.Matrix(invariant.coupling).subs(values), dtype=float)
    return float(np.asarray(field) @ K @ np.asarray(direction))


@pytest.mark.parametrize("group", ["C4v", "D2d", "C3v", "O", "C2"])
def test_diode_efficiency_vanishes_exactly_where_the_lifshitz_invariant_does_not_couple(group):
    material = _material(group)
    direction = np.array([1.0, 0.0, 0.0])
    for field in np.eye(3) * 0.2:
        result = depairing(material, 0.5, direction, h=field, **COARSE)
        if abs(_coupling(group, material, field, direction)) < 1e-12:
            assert abs(result.efficiency) < 1e-12, (group, field)
        else:
            assert abs(result.efficiency) > 1e-4, (group, field)


def test_efficiency_is_odd_in_h_and_gamma_and_bilinear_at_leading_order():
    """eta(-h) = eta(-gamma) = -eta; eta = c gamma h + O(gamma^3 h, gamma h^3): halving either halves eta."""
    field = np.array([0.0, 0.1, 0.0])

    def eta(strength, h):
        return depairing(_material("C4v", strength), 0.5, h=h, **COARSE).efficiency

    base = eta(0.1, field)
    assert eta(-0.1, field) == pytest.approx(-base, abs=1e-13)
    assert eta(0.1, -field) == pytest.approx(-base, abs=1e-13)
    assert eta(0.05, field) / base == pytest.approx(0.5, abs=0.01)
    assert eta(0.1, field / 2) / base == pytest.approx(0.5, abs=0.01)


def test_zeeman_spin_at_linear_order_is_the_homogeneous_response():
    """q = 0, isotropic Gamma, h along z: delta S = -nu X h with X of ``condensate_spin_response`` (paper 003,
    Eq. (S3)); its closed form X = pi T sum Delta^2/(Omega^2 (Omega + Gamma/2)) agrees to 1e-10."""
    t, tau = 0.3, 0.5
    response = condensate_spin_response(t, tau)
    gap = bcs_gap(t).gap
    field = 1e-5
    state = film_state({"Gamma": 1 / tau}, t, np.zeros(3), h=[0, 0, field], gap=gap)
    # delta S / (nu Delta0) = -X h / Delta0 (X is dimensionless); O(h^3) and the quadrature errors
    assert state.spin[2] / field == pytest.approx(-response.closed_form, rel=1e-8)
    assert state.spin[2] / field == pytest.approx(-response.value, abs=3 * response.error + 1e-8)


def test_maxwell_relation_between_spin_galvanic_current_and_supercurrent_spin():
    """j = dF/dq and the spin from the same free energy: d j_k/d h_i = -2 d(delta S_i)/d q_k at q = h = 0,
    at finite gamma; at linear order in h, j_k(q = 0) = -gamma_ik delta S_i (Eq. (12) in the form testable here)."""
    material = _material("C4v", 0.2)
    step = 1e-4

    def state(q, h):
        return film_state(material, 0.4, q, h=h)

    dj_dh = (state(np.zeros(3), [0, step, 0]).current[0] - state(np.zeros(3), [0, -step, 0]).current[0]) / (2 * step)
    ds_dq = (state([step, 0, 0], np.zeros(3)).spin[1] - state([-step, 0, 0], np.zeros(3)).spin[1]) / (2 * step)
    assert dj_dh == pytest.approx(-2 * ds_dq, rel=1e-7)
    small = state(np.zeros(3), [0, 1e-3, 0])
    assert small.current[0] == pytest.approx(-(material.gamma.T @ small.spin)[0], rel=1e-5)
    large = state(np.zeros(3), [0, 0.3, 0])  # beyond linear order the proportionality fails at O(h^2)
    assert abs(large.current[0] / -(material.gamma.T @ large.spin)[0] - 1) > 1e-3


def test_diode_sweep_is_a_labelled_dataset():
    material = _material("D2d")
    ds = diode_sweep(material, t=0.5, field=0.2, angle=[0.0, np.pi / 2, np.pi], **COARSE)
    assert ds.efficiency.dims == ("t", "field", "angle")
    assert ds.critical_plus.attrs["units"] == "sigma_0 Delta0 / (e xi0)"
    eta = ds.efficiency.values[0, 0]
    assert eta[0] == pytest.approx(-eta[2], abs=1e-12) and abs(eta[1]) < 1e-12 and abs(eta[0]) > 1e-4


def test_results_are_labelled_datasets():
    state = film_state(_material("C4v"), 0.5, [0.2, 0, 0], h=[0, 0.1, 0], **COARSE)
    ds = state.to_dataset()
    assert ds.current.dims == ("gradient_axis",) and ds.spin.attrs["units"] == "nu Delta0"
    assert ds.attrs["self_consistent"] == "True"


def test_bad_input_is_rejected_with_the_parameter_named():
    with pytest.raises(ValueError, match="t = T/Tc"):
        film_state({}, 1.2, np.zeros(3))
    with pytest.raises(ValueError, match="q must be"):
        film_state({}, 0.5, [0.1, 0.2])
    with pytest.raises(ValueError, match="gap must be"):
        film_state({}, 0.5, np.zeros(3), gap=-1.0)
    with pytest.raises(ValueError, match="unknown tensors"):
        film_state({"beta": 0.1}, 0.5, np.zeros(3))
    with pytest.raises(ValueError, match="Gamma must be symmetric"):
        film_state({"Gamma": -np.eye(3)}, 0.5, np.zeros(3))
    with pytest.raises(ValueError, match="direction"):
        depairing({}, 0.5, (0, 0, 0))
    with pytest.raises(FilmConvergenceError, match="beyond the superconducting branch|continue in q"):
        film_state({}, 0.9, [3.0, 0, 0])


def test_operator_keeps_the_normalisation_with_alpha_and_gamma_together():
    """{E[g], g} = 0 at a generic (non-solution) g with every tensor together (D, Gamma, alpha, gamma, theta,
    kappa, h; oblique q): the operator module's form (only the diffusion current covariantly differentiated)."""
    rng = np.random.default_rng(0)
    z = rng.normal(size=(3, 8)) * 0.3 + 1j * rng.normal(size=(3, 8)) * 0.3
    a, b = _amplitudes(z)
    g = riccati_g(Algebra("numpy"), a, b, 1, inverse)
    tensors = _Film(_generic_tensors(5), 0.5, None, gap=None, q_scale=np.ones(3), **COARSE, tolerance=1e-12,
                    max_iterations=40).tensors  # fmt: skip
    E = _operator(g, np.array([1.0, 2.0, 3.0])[:, None, None], 0.8, np.array([0.3, -0.2, 0.1]), tensors)
    assert np.abs(E @ g + g @ E).max() < 1e-12 * np.abs(E).max()


def test_theta_and_kappa_drop_out_of_a_state_with_one_gradient_direction():
    """Solved without alpha (reduced operator: n.J, gamma n), the state satisfies the full operator with theta and
    kappa (all three currents and torques evaluated); its gap, spin and charge current do not depend on them
    (Tr tau3 J^theta = Tr tau3 J^kappa = 0 here: they would carry spin currents only)."""
    tensors = _generic_tensors(3, alpha=False)
    q = 0.3 * np.array([0.6, 0.8, 0.0])
    plain = {k: v for k, v in tensors.items() if k not in ("theta", "kappa")}
    with_hall, without = film_state(tensors, 0.5, q, **COARSE), film_state(plain, 0.5, q, **COARSE)
    assert with_hall.gap == without.gap and np.all(with_hall.spin == without.spin)
    film = _Film(tensors, 0.5, None, gap=None, q_scale=q, **COARSE, tolerance=1e-12, max_iterations=40)
    solution = film.continued(q)
    a, b = _amplitudes(solution.z)
    g = riccati_g(Algebra("numpy"), a, b, 1, inverse)
    E = _operator(g, film.frequencies.omega[:, None, None], solution.gap, q, film.tensors, full=True)
    assert np.abs(E).max() < 1e-11
    np.testing.assert_allclose(with_hall.current, without.current, atol=1e-14)


def test_supercurrent_spin_at_first_order_is_the_zeeman_response_to_gamma_q_over_2():
    """Homogeneous limit (paper 003, Appendix F): to first order in gamma and q the film's spin is the Zeeman
    response to h = gamma q / 2 (units D0/xi0 x 1/xi0 = Delta0), delta S = -nu X gamma q / 2 with X from the
    independent fixed-point solve; Richardson in q (q, 2q) removes the O(q^2) depairing."""
    t, tau, strength = 0.4, 0.5, 1e-3
    material = Material.from_point_group("C4v", D_xx=1, D_zz=1, Gamma_xx=1 / tau, Gamma_zz=1 / tau, gamma_xy=1.0)

    def linear_spin(q):
        spins = [film_state({"Gamma": 1 / tau, "gamma": s * material.gamma}, t, [0, q, 0]).spin for s in (strength, -strength)]
        return (spins[0] - spins[1]) / (2 * strength) / q

    extrapolated = (4 * linear_spin(0.01) - linear_spin(0.02)) / 3
    X = condensate_spin_response(t, tau).value
    np.testing.assert_allclose(extrapolated, -X * material.gamma @ [0, 1, 0] / 2, rtol=1e-6, atol=1e-12)


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**16), t=st.floats(0.3, 0.9))
def test_time_reversal_and_inversion_for_random_tensors(seed, t):
    """Time reversal (q, h) -> (-q, -h) reverses j and delta S; inversion (q, gamma, alpha) -> (-q, -gamma, -alpha)
    reverses j and keeps delta S (gamma, alpha are inversion-odd): exact for any tensors, T and oblique q."""
    rng = np.random.default_rng(seed)
    relaxation = rng.normal(size=(3, 3)) * 0.4
    tensors = dict(D=np.diag(rng.uniform(0.7, 1.3, 3)), Gamma=relaxation @ relaxation.T,
                   gamma=rng.normal(size=(3, 3)) * 0.2, alpha=rng.normal(size=(3, 3)) * 0.2)  # fmt: skip
    q, h = rng.normal(size=3) * 0.15, rng.normal(size=3) * 0.15
    state = film_state(tensors, t, q, h=h, **COARSE)
    reversed_ = film_state(tensors, t, -q, h=-h, **COARSE)
    inverted = film_state(tensors | {"gamma": -tensors["gamma"], "alpha": -tensors["alpha"]}, t, -q, h=h, **COARSE)
    for other, spin_sign in ((reversed_, -1), (inverted, 1)):
        assert other.gap == pytest.approx(state.gap, abs=1e-12)
        np.testing.assert_allclose(other.current, -state.current, atol=1e-12)
        np.testing.assert_allclose(other.spin, spin_sign * state.spin, atol=1e-12)


def test_rashba_gauge_field_alone_gives_no_diode_effect():
    """alpha_xy alone (C4v, current along x, h along y): A_x ~ sigma_y commutes with h.sigma and is removed by the
    1D gauge transformation exp(i A_x x), A_y enters only through G_y and the 4 D A A relaxation (even in q), so
    j(q) stays odd: eta = 0 although alpha changes j_c; gamma is what makes the diode (docs/conventions.md)."""
    material = Material.from_point_group("C4v", D_xx=1, D_zz=1, Gamma_xx=2.0, Gamma_zz=3.0, alpha_xy=0.3)
    with_alpha = depairing(material, 0.5, h=(0, 0.2, 0), **COARSE)
    without = depairing({"Gamma": material.Gamma}, 0.5, h=(0, 0.2, 0), **COARSE)
    assert abs(with_alpha.efficiency) < 1e-12
    assert abs(with_alpha.critical_plus - without.critical_plus) > 1e-3


def test_matsubara_spin_is_minus_the_keldysh_spin_of_the_diffusion_module():
    """Sign bookkeeping for Eq. (12): with omega -> -i(E +- i0) (the code's real-energy continuation), the
    contour identity (i/4) pi T sum_n X(omega_n) = (1/16) int dE tanh(E/2T) [X^R - X^A] holds for X = Tr tau3
    sigma_z g of a Zeeman-split BCS state; evaluated exactly on the lines E +- i pi T/2 (no pole crossed). The
    diffusion module's spin is S = -Tr tau3 sigma g^K / 16 (tests/diffusion/test_normal_state_limit.py), so
    S = -delta S(Matsubara) while both current conventions agree: j = -gamma delta S is j = +gamma S."""
    from scipy.integrate import quad

    T, gap, h = 0.3, 1.0, 0.2

    def trace(omega):  # Tr tau3 sigma_z sign(M), M = omega tau3 + Delta tau1 + i h tau3 sigma_z, per spin s
        return sum(2 * s * (omega + 1j * s * h) / np.sqrt((omega + 1j * s * h) ** 2 + gap**2) for s in (1, -1))

    omega = np.pi * T * (2 * np.arange(-200000, 200000) + 1)  # +-omega paired: the summand decays as omega^-3
    matsubara = 0.25j * np.pi * T * np.sum(trace(omega.astype(complex)))
    eta = np.pi * T / 2

    def line(E, side):
        z = E + 1j * side * eta
        return np.tanh(z / (2 * T)) * trace(-1j * z) * side

    def integral(part):
        return sum(quad(lambda E: part(line(E, side)), -np.inf, np.inf, epsabs=1e-13, limit=400)[0] for side in (1, -1))

    energy = (integral(np.real) + 1j * integral(np.imag)) / 16
    assert energy.real == pytest.approx(matsubara.real, abs=1e-9)
    assert film_state({}, T * GAP0_OVER_TC, np.zeros(3), h=[0, 0, h], gap=gap).spin[2] == pytest.approx(matsubara.real, rel=1e-8)
