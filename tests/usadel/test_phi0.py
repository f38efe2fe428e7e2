"""phi0 junctions and the junction diode effect with the spin-galvanic tensor gamma (``usadel.junction``,
``usadel.phi0``): symmetry relations, the Lifshitz-invariant selection rule of each point group, and the
weak-proximity closed form."""

import numpy as np
import pytest
import sympy

from spincharge.materials import Material
from spincharge.numerics.matsubara import inverse_power_tail, positive_frequencies
from spincharge.usadel.gap import GAP0_OVER_TC
from spincharge.symmetry import lifshitz_invariant
from spincharge.usadel.junction import ConvergenceError, Layer, Reservoir, junction
from spincharge.usadel.phi0 import anomalous_phase, weak_proximity_current

# the witnesses below hold exactly for any frequency set: few frequencies keep them fast
CHEAP = dict(points=8, minimum_frequencies=2, quadrature_nodes=4, frequency_cutoff=2.0)
RELAXATION = ((0.3, 0.1, 0.0), (0.1, 0.2, 0.05), (0.0, 0.05, 0.4))


def _layer(h, gauge, gamma):
    return Layer(0.6, exchange=tuple(h), gauge=tuple(gauge), gamma=tuple(gamma), relaxation=RELAXATION)


def test_time_reversal_and_inversion_relations_and_the_diode_efficiency():
    """I(phi; h, A, gamma) = -I(-phi; -h, A, gamma) (time reversal: h odd) = -I(-phi; h, -A, -gamma) (inversion
    x -> -x: the pseudotensors alpha and gamma odd), with every tensor generic; the diode efficiency is
    odd in h and nonzero."""
    h, A, gamma = np.array([0.3, 1.0, -0.4]), np.array([0.2, 0.1, -0.3]), np.array([0.2, -0.6, 0.3])
    phases = -np.pi + 2 * np.pi * np.arange(4) / 4
    mirror = (-np.arange(4)) % 4  # index of -phi on the periodic grid
    run = lambda h, A, g: junction(_layer(h, A, g), 0.5, phases, interfaces=[0.3, 0.3], **CHEAP)  # noqa: E731
    forward, reversed_time, inverted = run(h, A, gamma), run(-h, A, gamma), run(h, -A, -gamma)
    np.testing.assert_allclose(forward.current, -reversed_time.current[mirror], atol=1e-10)
    np.testing.assert_allclose(forward.current, -inverted.current[mirror], atol=1e-10)
    assert abs(forward.current[2]) > 1e-2  # the anomalous current I(phi = 0)
    eta = forward.diode_efficiency()
    assert abs(eta) > 1e-3
    assert reversed_time.diode_efficiency() == pytest.approx(-eta, abs=1e-9)


def _coupled(group, field):
    """h_j K_jx of the group's Lifshitz invariant (paper 003, Eq. S4) is nonzero as a polynomial."""
    coupling = lifshitz_invariant(group).coupling
    return sympy.expand(sum(sympy.nsimplify(f) * coupling[j, 0] for j, f in enumerate(field))) != 0


@pytest.mark.parametrize("group, parameters", [("C4v", dict(gamma_xy=0.6)), ("D2d", dict(gamma_xx=0.6))])
def test_anomalous_current_follows_the_lifshitz_invariant(group, parameters):
    """I(phi = 0) (phi0 != 0) for the field directions the Lifshitz invariant couples to the current along x,
    zero to solver precision for the others; material from the group's allowed forms."""
    directions = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 0, 1), (0, 1, 1)]
    layers = [Layer.from_material(Material.from_point_group(group, D_xx=1, D_zz=1, Gamma_xx=0.2, Gamma_zz=0.3,
                                                            h=np.array(d) / np.linalg.norm(d), **parameters), 0.6)
              for d in directions]
    currents = [junction(layer, 0.5, [0.0], interfaces=[0.3, 0.3], **CHEAP).current[0] for layer in layers]
    for direction, current in zip(directions, currents):
        if _coupled(group, direction):
            assert abs(current) > 1e-3, (group, direction, current)
        else:
            assert abs(current) < 1e-12, (group, direction, current)
    assert sum(_coupled(group, d) for d in directions) == 3  # C4v: h_y; D2d: h_x (each in 3 of the 6 directions)


def test_weak_proximity_limit_meets_the_closed_form():
    """S/N/S, transparent, small reservoir gap: the nonlinear solver tends to the closed form (docs/conventions.md,
    "Junctions"), the deviation falling as Delta^2 (the first nonlinear order); phi0 = atan2(-I(0), I(pi/2))."""
    length, h, gamma, t = 1.0, 0.6, -0.8, 0.5
    phases = np.array([0.0, np.pi / 2])
    layer = Layer(length, exchange=(0, h, 0), gamma=(0, gamma, 0))
    deviation = {}
    for gap in (0.04, 0.02):
        ends = dict(left=Reservoir(gap=gap), right=Reservoir(gap=gap))
        solved = junction(layer, t, phases, points=10, **ends).current
        closed, first, second = weak_proximity_current(phases, t, length=length, gap=gap, exchange=h, gamma=gamma)
        deviation[gap] = np.max(np.abs(solved / closed - 1))
        phi0 = np.arctan2(-second, first)
        assert abs(np.arctan2(-solved[0], solved[1]) - phi0) < 10 * deviation[gap]
    assert 3.0 < deviation[0.04] / deviation[0.02] < 5.0
    assert deviation[0.02] < 5e-4
    assert 0.05 < abs(phi0) < 0.1  # a sizeable phi0 at these parameters


def test_closed_form_phi0_vanishes_without_field_or_gamma_and_is_odd_in_each():
    base = dict(length=1.0, gap=0.1)
    phi = lambda h, g: np.arctan2(-weak_proximity_current(0.0, 0.5, exchange=h, gamma=g, **base)[2],  # noqa: E731
                                  weak_proximity_current(0.0, 0.5, exchange=h, gamma=g, **base)[1])
    assert phi(0.0, 0.8) == 0 and phi(0.6, 0.0) == 0
    assert phi(0.6, 0.8) == pytest.approx(-phi(-0.6, 0.8), rel=1e-12) == pytest.approx(-phi(0.6, -0.8), rel=1e-12)
    # h = gamma = 0, L -> 0: the weak-coupling limit of Kulik-Omelyanchuk, e I R_N = 4 pi T sum_{n in Z} c_n^2 sin(phi)
    # (KO-1 to order Delta^2 with c = Delta/(|omega| + Omega) kept exact), approached as L^2
    T, gap = 0.5 / GAP0_OVER_TC, 0.1
    w = positive_frequencies(T, 200000)
    limit = 8 * np.pi * T * np.sum((gap / (w + np.sqrt(w**2 + gap**2))) ** 2)
    short = [weak_proximity_current(np.pi / 2, 0.5, length=L, gap=gap)[1] / limit - 1 for L in (0.01, 0.005)]
    assert abs(short[1]) < 1e-4 and 3.3 < short[0] / short[1] < 4.5


def test_anomalous_phase_refines_to_the_closed_form():
    """anomalous_phase (coarse grid, trigonometric zero, parabola refinement) on the weak-proximity junction:
    its phi0 agrees with the closed form within the nonlinear correction, and its error estimate is small."""
    length, h, gamma, t, gap = 1.0, 0.6, -0.8, 0.5, 0.02
    result = anomalous_phase(Layer(length, exchange=(0, h, 0), gamma=(0, gamma, 0)), t, grid=4, refinements=1,
                             left=Reservoir(gap=gap), right=Reservoir(gap=gap), points=8)
    _, first, second = weak_proximity_current(0.0, t, length=length, gap=gap, exchange=h, gamma=gamma)
    assert result.phi0 == pytest.approx(np.arctan2(-second, first), abs=2e-4)
    assert result.error < 1e-3 and result.slope > 0  # the error bounds the last correction (conservative)
    assert result.to_dataset().attrs["phi0"] == result.phi0


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: Layer(1.0, gamma=(0, 1)), "gamma"),
        (lambda: Layer(1.0, theta=np.ones((2, 2))), "theta"),
        (lambda: Layer.from_material(Material(D=1, Gamma=1), 1.0, axis=5), "axis"),
        (lambda: anomalous_phase(Layer(1.0), 0.5, grid=2), "grid"),
        (lambda: weak_proximity_current(0.0, 0.5, length=-1.0, gap=0.1), "length"),
        (lambda: junction(Layer(1.0), 0.5, np.nan), "phases"),
        (lambda: junction(Layer(1.0), 0.5, 1.0, minimum_frequencies=3), "minimum_frequencies"),
        (lambda: Material.from_point_group("C4v", D_xx=1, D_zz=1, Gamma_xx=1, Gamma_zz=1, gamma_xx=0.3), "gamma_xx"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_theta_and_kappa_are_accepted_and_inactive_in_one_dimension():
    """A material with spin Hall and swapping tensors gives the same current as without (1D: no torque, no J_x)."""
    base = dict(D_xx=1, D_zz=1, Gamma_xx=0.2, Gamma_zz=0.3, gamma_xy=0.6, h=(0, 0.8, 0))
    plain = Material.from_point_group("C4v", **base)
    hall = Material.from_point_group("C4v", theta_xx=0.1, theta_zz=0.2, kappa_xx=0.3, kappa_zz=-0.1, **base)
    currents = [junction(Layer.from_material(m, 0.6), 0.5, [0.5], interfaces=[0.3, 0.3], **CHEAP).current[0]
                for m in (plain, hall)]
    assert currents[0] == currents[1]


def test_convergence_error_with_gamma_reports_the_residual():
    with pytest.raises(ConvergenceError, match="residual"):
        junction(Layer(1.0, exchange=(0, 1.0, 0), gamma=(0, 0.5, 0)), 0.5, 2.0, max_iterations=1, continuation_steps=1,
                 **CHEAP)


def test_spin_current_divergence_is_the_exchange_torque_on_the_spin_density():
    """Tr sigma_l of the Usadel equation in a layer with only h: d_x I_s = -2 R_N h x delta S (module units), between
    two independent outputs (spin current from J_x, spin density from g); S | F(h_z) | F(h_x) | S; and a collinear
    S/F/S carries no spin supercurrent although its spin density is finite."""
    opts = dict(points=12, minimum_frequencies=4, quadrature_nodes=8, frequency_cutoff=4.0)
    layers = [Layer(0.5, exchange=(0, 0, 1.5)), Layer(0.5, exchange=(1.5, 0, 0))]
    result = junction(layers, 0.5, [1.0], **opts)
    nodes = opts["points"] + 1
    for k, layer in enumerate(layers):
        part = slice(k * nodes, (k + 1) * nodes)
        x, spin_current, spin = result.x[part], result.spin_current[0, :, part], result.spin_density[0, :, part]
        divergence = np.array([np.polynomial.chebyshev.Chebyshev.fit(x, spin_current[l], nodes - 1).deriv()(x)
                               for l in range(3)])
        torque = -2 * result.resistance * np.cross(np.array(layer.exchange)[:, None], spin, axis=0)
        assert np.max(np.abs(divergence)) > 0.1
        np.testing.assert_allclose(divergence, torque, atol=1e-8)
    collinear = junction(Layer(1.0, exchange=(0, 0, 1.5)), 0.5, [1.0], **opts)
    assert np.max(np.abs(collinear.spin_current)) < 1e-14 < 0.1 < np.max(np.abs(collinear.spin_density))
    ds = result.to_dataset()
    assert ds["spin_current"].dims == ("phase", "spin", "x") and list(ds["spin"].values) == ["x", "y", "z"]
    assert ds["triplet"].dims == ("phase", "spin", "x")


def test_spin_density_deep_in_a_magnetised_superconductor_is_the_homogeneous_response():
    """S layer (|Delta| = Delta(T), small h_z, Gamma) 12 xi0 long between BCS reservoirs: in its middle delta S_z =
    -X h with X from the homogeneous 4x4 solve (``condensate_spin_response``, paper 003 Eq. S3)."""
    from spincharge.usadel.gap import bcs_gap
    from spincharge.usadel.homogeneous import condensate_spin_response

    t, h, relaxation = 0.5, 0.01, 0.5
    layer = Layer(12.0, gap=float(bcs_gap(t).gap), exchange=(0, 0, h), relaxation=relaxation)
    result = junction(layer, t, [0.0], points=24, decay_cutoff=None)
    middle = np.argmin(np.abs(result.x - 6.0))
    X = condensate_spin_response(t, 1 / relaxation).value
    assert result.spin_density[0, 2, middle] / (-X * h) == pytest.approx(1, abs=2e-4)


def test_negative_frequencies_are_the_charge_conjugates():
    """Solving omega < 0 directly (every tensor generic) gives a(-omega) = -s_y a(omega)^T s_y, as the solver
    assumes (paper 003, Eq. (2): g(-omega) = C g(omega)^T C^-1, C = tau1 sigma_y)."""
    import importlib

    module = importlib.import_module("spincharge.usadel.junction")  # the module (the package exports the function)
    layers = [_layer((0.3, 1.0, -0.4), (0.2, 0.1, -0.3), (0.2, -0.6, 0.3))]
    ends = (Reservoir(), Reservoir())
    gaps, interfaces = module._validated(layers, ends, [0.3, 0.3], 0.5)
    omega = np.array([0.9, -0.9, 2.7, -2.7], dtype=complex)
    _, z, _, _ = module._solve(layers, ends, gaps, interfaces, omega, np.full(4, 1.1), 8, 1e-12, 30, 8)
    np.testing.assert_allclose(module._charge_conjugate(z[0::2]), z[1::2], atol=1e-12)
    assert np.max(np.abs(z)) > 0.1


def test_critical_currents_from_the_trigonometric_interpolant_meet_kulik_omelyanchuk():
    """I_c+- of a short S/N/S junction from 16 uniform phases (trigonometric interpolant) against the maximum of
    KO-1 on a dense grid; without field and gamma the diode efficiency vanishes."""
    from spincharge.usadel.gap import bcs_gap

    t, length = 0.5, 0.0125
    gap, T = float(bcs_gap(t).gap), t / GAP0_OVER_TC
    w = positive_frequencies(T, 2000)
    dense = np.linspace(1.5, 2.5, 401)
    c, s = np.cos(dense / 2)[:, None], np.sin(dense / 2)[:, None]
    d = np.sqrt((gap * c) ** 2 + w**2)
    tail = 2 * gap**2 * c[:, 0] * s[:, 0] * inverse_power_tail(T, 2000, 2)  # the 1/w^2 tail in closed form
    ko = 2 * np.pi * T * (np.sum(2 * gap * c / d * np.arctan(gap * s / d), axis=1) + tail)
    result = junction(Layer(length), t, -np.pi + 2 * np.pi * np.arange(16) / 16, points=16)
    plus, minus = result.critical_currents()
    assert plus == pytest.approx(ko.max(), rel=1e-3)
    assert minus == pytest.approx(-plus, rel=1e-12)
    assert abs(result.diode_efficiency()) < 1e-12


def test_current_is_continuous_through_a_kupriyanov_lukichev_interface_with_gamma():
    """N(h, gamma) | KL (r = 0.2) | N | S: the boundary conditions use the full matrix current on each side, so
    e I R_N(x) is the same on both sides of the interface (a diffusion-only condition would lose J^gamma there);
    a transparent interface joins two identical gamma layers into one."""
    opts = dict(points=16, minimum_frequencies=2, quadrature_nodes=4, frequency_cutoff=2.0)
    layers = [Layer(0.4, exchange=(0, 0.8, 0), gamma=(0, -0.9, 0)), Layer(0.4)]
    result = junction(layers, 0.5, [0.3], interfaces=[0.1, 0.2, 0.1], **opts)
    nodes = opts["points"] + 1
    left, right = result.current_profile[0, nodes - 1], result.current_profile[0, nodes]
    assert abs(result.current[0]) > 1e-2
    assert abs(left - right) < 1e-8 and result.grid_error[0] < 1e-6
    gamma_layer = Layer(0.4, exchange=(0, 0.8, 0), gamma=(0, -0.9, 0))
    split = junction([gamma_layer, gamma_layer], 0.5, [0.3], **opts).current[0]
    whole = junction(Layer(0.8, exchange=(0, 0.8, 0), gamma=(0, -0.9, 0)), 0.5, [0.3], **opts).current[0]
    assert split == pytest.approx(whole, rel=1e-8)
