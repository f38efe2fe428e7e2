"""Exact layered 1D diffusion solver (spincharge.diffusion.modal) against closed forms and literature."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad, simpson

from spincharge.diffusion.literature import nonlocal_hanle_resistance, spin_hall_magnetoresistance
from spincharge.diffusion.modal import (
    InjectedCurrent,
    Insulating,
    Layer,
    MagneticInsulator,
    Ohmic,
    TunnelContact,
    solve_layers,
)
from spincharge.materials import Material


def test_a_wire_between_two_ohmic_contacts_carries_d_delta_v_over_l():
    sol = solve_layers([Layer(Material(D=3.0, Gamma=1.0), 2.0)], axis="x", left=Ohmic(1.0), right=Ohmic(0.0))
    np.testing.assert_allclose(sol.terminal_current, [1.5, -1.5], rtol=1e-14)
    np.testing.assert_allclose(sol.mu, 1 - sol.s / 2, atol=1e-14)


def test_layers_in_series_add_their_resistances_and_the_interface_resistance():
    layers = [Layer(Material(D=2.0, Gamma=1.0), 1.0), Layer(Material(D=0.5, Gamma=0.3), 0.4)]
    sol = solve_layers(layers, axis="z", left=Ohmic(1.0), right=Ohmic(0.0), interface_resistance=[0.7])
    np.testing.assert_allclose(1 / sol.terminal_current[0], 1.0 / 2.0 + 0.4 / 0.5 + 0.7, rtol=1e-13)


def test_injected_spin_decays_with_the_spin_diffusion_length():
    """D S'' = S / tau with -D S'(0) = I_s and S(L) = 0: S = I_s (lambda / D) sinh((L - x)/lambda) / cosh(L/lambda)."""
    d, rate, length = 3.0, 1.0, 5.0
    lam = np.sqrt(d / rate)
    sol = solve_layers([Layer(Material(D=d, Gamma=rate), length)], axis="x",
                       left=InjectedCurrent(0.0, (0, 0, 1.0)), right=Ohmic(0.0))  # fmt: skip
    expected = lam / d * np.sinh((length - sol.s) / lam) / np.cosh(length / lam)
    np.testing.assert_allclose(sol.spin[:, 2], expected, atol=1e-14)
    np.testing.assert_allclose(sol.spin_current[:, 0, 2], lam / d * d / lam * np.cosh((length - sol.s) / lam)
                               / np.cosh(length / lam), atol=1e-13)  # fmt: skip


def test_a_thick_layer_stays_well_conditioned():
    """Modes grow by exp(L / lambda) = e^200 over the layer; the pieces keep the system exact."""
    sol = solve_layers([Layer(Material(D=1.0, Gamma=1.0), 200.0)], axis="x",
                       left=InjectedCurrent(0.0, (1.0, 0, 0)), right=Insulating(), reference_potential=0.0)  # fmt: skip
    np.testing.assert_allclose(sol.spin[:, 0], np.cosh(200.0 - sol.s) / np.sinh(200.0), rtol=1e-10, atol=1e-300)
    assert sol.error < 1e-12


def test_time_harmonic_charge_and_spin_follow_the_complex_diffusion_length():
    """-i omega S = D S'' - S/tau: S ~ exp(-x sqrt((1 - i omega tau) / (D tau)))."""
    d, rate, omega, length = 1.0, 0.5, 0.8, 30.0
    sol = solve_layers([Layer(Material(D=d, Gamma=rate), length)], axis="x", frequency=omega,
                       left=InjectedCurrent(0.0, (0, 1.0, 0)), right=Ohmic(0.0))  # fmt: skip
    k = np.sqrt((rate - 1j * omega) / d)
    near = sol.s < 10
    np.testing.assert_allclose(sol.spin[near, 1], np.exp(-k * sol.s[near]) / (d * k), rtol=1e-9)


def test_spin_hall_accumulation_across_a_film():
    """Dyakonov-Perel / Zhang (PRL 85, 393 (2000)) accumulation of a film with vacuum on both sides:
    with d_x mu = g, the spin Hall flux -D theta g (spin y along z) is cancelled at the surfaces by
    S_y = -theta g lambda sinh((z - d/2)/lambda) / cosh(d/(2 lambda)) (Eq. S13, eps_xzy = -1)."""
    d, lam, theta, g, thick = 2.0, 0.7, 0.1, 0.3, 3.0
    material = Material(D=d, Gamma=d / lam**2, theta=theta)
    sol = solve_layers([Layer(material, thick)], axis="z", grad_mu_in_plane=(g, 0, 0), reference_potential=0.0)
    expected = -theta * g * lam * np.sinh((sol.s - thick / 2) / lam) / np.cosh(thick / (2 * lam))
    np.testing.assert_allclose(sol.spin[:, 1], expected, atol=1e-14)
    np.testing.assert_allclose(sol.spin[:, [0, 2]], 0, atol=1e-15)
    np.testing.assert_allclose(sol.spin_current[[0, -1], 2, :], 0, atol=1e-14)  # n.j_l = 0 at the surfaces
    bulk = -d * theta * g * (1 - np.cosh((sol.s - thick / 2) / lam) / np.cosh(thick / (2 * lam)))
    np.testing.assert_allclose(sol.spin_current[:, 2, 1], bulk, atol=1e-14)


@pytest.mark.parametrize("mixing", [0.7 + 0.3j, 2.0 - 0.5j, 0.05])
@pytest.mark.parametrize("m", [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 2, 3)])
def test_spin_hall_magnetoresistance_matches_chen_et_al(mixing, m):
    """Chen et al., PRB 87, 144411 (2013), Eqs. (14)-(16): rho_xx and rho_xy of a film on a magnetic
    insulator vs thickness and magnetisation direction. The model is linear in the in-plane drive, so
    (j - j0) / j0 = -Delta rho / rho with no higher-order terms in theta."""
    d, lam, theta, g = 1.0, 1.0, 0.1, 1.0
    material = Material(D=d, Gamma=d / lam**2, theta=theta)
    for thick in (0.3, 1.0, 4.0):
        sol = solve_layers([Layer(material, thick)], axis="z", right=MagneticInsulator(m, mixing),
                           grad_mu_in_plane=(g, 0, 0), reference_potential=0.0, points_per_layer=401)  # fmt: skip
        j0 = -d * g
        jx, jy = (simpson(sol.current[:, k], x=sol.s) / thick for k in (0, 1))
        longitudinal, transverse = spin_hall_magnetoresistance(thick, spin_diffusion_length=lam, diffusion=d,
                                                               spin_hall_angle=theta, mixing_conductance=mixing,
                                                               magnetization=m)  # fmt: skip
        np.testing.assert_allclose(-(jx - j0) / j0, longitudinal, rtol=1e-7)
        np.testing.assert_allclose(-jy / j0, transverse, rtol=1e-6, atol=1e-12)


def test_spin_hall_magnetoresistance_peaks_near_twice_the_spin_diffusion_length():
    """Chen et al.: the SMR amplitude Delta rho_1 / rho vs thickness is maximal at d of order 2 lambda."""
    thick = np.linspace(0.2, 10, 400)
    amplitude = spin_hall_magnetoresistance(thick, spin_diffusion_length=1.0, diffusion=1.0, spin_hall_angle=0.1,
                                            mixing_conductance=5.0, magnetization=(1, 0, 0))[0] - \
        spin_hall_magnetoresistance(thick, spin_diffusion_length=1.0, diffusion=1.0, spin_hall_angle=0.1,
                                    mixing_conductance=5.0, magnetization=(0, 1, 0))[0]  # fmt: skip
    assert 1.0 < thick[np.argmax(amplitude)] < 4.0


def _nonlocal_spin_valve(separation, larmor, *, polarization=0.3, lam=1.0, d=1.0, contact=1e-8, half=20.0):
    material = Material(D=d, Gamma=d / lam**2, h=(0, 0, larmor / 2))  # precession at 2 |h|
    injector = TunnelContact(contact, polarization, (1, 0, 0), current=1.0)
    detector = TunnelContact(contact, polarization, (1, 0, 0), current=0.0)
    sol = solve_layers([Layer(material, 2 * half)], axis="x", left=Ohmic(0.0), right=Insulating(),
                       contacts=[(half, injector), (half + separation, detector)])  # fmt: skip
    return sol.terminal_potential[3] - sol.terminal_potential[1], sol  # detector against a far reference


@pytest.mark.parametrize("larmor", [0.0, 0.5, 2.0, 5.0])
def test_hanle_curve_of_a_nonlocal_spin_valve_matches_jedema(larmor):
    """Jedema et al., Nature 416, 713 (2002), Eq. (2): R_NL(omega_L) as the diffusion integral (quad, the
    independent witness) and its closed form, against the solver with weak tunnel contacts."""
    separation, polarization, lam, d = 1.5, 0.3, 1.0, 1.0
    r_nl, sol = _nonlocal_spin_valve(separation, larmor)
    tau = lam**2 / d
    def diffusion_kernel(t):  # vanishes at t -> 0 faster than any power
        return polarization**2 * np.exp(-(separation**2) / (4 * d * t) - t / tau) / np.sqrt(4 * np.pi * d * t) if t else 0.0

    oscillating = dict(weight="cos", wvar=larmor) if larmor else {}  # QAWF for the Fourier integral
    integral = quad(diffusion_kernel, 0, np.inf, limit=500, **oscillating)[0]
    closed = nonlocal_hanle_resistance(separation, spin_diffusion_length=lam, diffusion=d, larmor_frequency=larmor,
                                       polarization=polarization)  # fmt: skip
    np.testing.assert_allclose(closed, integral, rtol=1e-7)
    np.testing.assert_allclose(r_nl, closed, rtol=2e-6)
    np.testing.assert_allclose(sol.terminal_current, [-1.0, 0.0, 1.0, 0.0], atol=1e-12)


def test_edelstein_spin_of_a_uniform_current_for_c4v_and_d2d():
    """Paper 003, Eq. (S11) with uniform fields: R S = -gamma grad mu (the Onsager sign, equations.py). A
    current along x gives S along y
    (perpendicular, C4v Rashba-like) or along x (parallel, D2d Dresselhaus-like: gamma_xx = -gamma_yy);
    the spin-galvanic feedback gamma_ik S^i (Eq. S12) changes the current."""
    g = 0.2
    for group, params, direction in (("C4v", {"gamma_xy": 0.3}, 1), ("D2d", {"gamma_xx": 0.3}, 0)):
        material = Material.from_point_group(group, D_xx=1.0, D_zz=1.0, Gamma_xx=0.4, Gamma_zz=0.6, **params)
        sol = solve_layers([Layer(material, 2.0)], axis="z", grad_mu_in_plane=(g, 0, 0), reference_potential=0.0)
        spin = -np.linalg.solve(material.relaxation, material.gamma @ np.array([g, 0, 0]))
        assert abs(spin[direction]) > 0 and np.count_nonzero(np.abs(spin) > 1e-15) == 1
        np.testing.assert_allclose(sol.spin, np.tile(spin, (len(sol.s), 1)), atol=1e-14)
        current = -material.D @ np.array([g, 0, 0]) + material.gamma.T @ spin
        np.testing.assert_allclose(sol.current, np.tile(current, (len(sol.s), 1)), atol=1e-14)


def _conductance_matrix(h, m, tensors, diffusion=1.0):
    """3-terminal conductance G_ij = dI_i / dV_j of a two-layer channel with a ferromagnetic contact."""
    first = Material(D=diffusion, Gamma=0.5, h=h, **tensors)
    second = Material(D=2.0, Gamma=0.3, h=0.5 * np.asarray(h))
    matrix = np.zeros((3, 3))
    for j in range(3):
        v = np.eye(3)[j]
        sol = solve_layers([Layer(first, 1.0), Layer(second, 0.7)], axis="x", left=Ohmic(v[0]), right=Ohmic(v[1]),
                           contacts=[(0.5, TunnelContact(0.8, 0.4, m, potential=v[2]))])  # fmt: skip
        matrix[:, j] = sol.terminal_current
    return matrix


vectors = st.lists(st.floats(-1, 1), min_size=3, max_size=3).filter(lambda v: np.linalg.norm(v) > 0.1)
tensors_3x3 = st.lists(st.floats(-0.3, 0.3), min_size=9, max_size=9).map(lambda v: np.reshape(v, (3, 3)))


@settings(max_examples=15, deadline=None)
@given(h=vectors, m=vectors, gamma=tensors_3x3, alpha=tensors_3x3, theta=tensors_3x3, kappa=tensors_3x3,
       diffusion=st.lists(st.floats(0.3, 3.0), min_size=3, max_size=3))
def test_onsager_reciprocity_and_charge_conservation(h, m, gamma, alpha, theta, kappa, diffusion):
    """G_ij(h, m) = G_ji(-h, -m) for any tensors (Onsager-Casimir: h and m are odd under time reversal),
    and the terminal currents sum to zero. With Eq. (S11)'s printed Edelstein sign this fails
    (equations.py)."""
    tensors = dict(gamma=gamma, alpha=alpha, theta=theta, kappa=kappa)
    d = np.diag(diffusion)  # anisotropic D
    forward = _conductance_matrix(np.array(h), m, tensors, d)
    backward = _conductance_matrix(-np.array(h), -np.array(m), tensors, d)
    np.testing.assert_allclose(forward, backward.T, atol=1e-12)
    np.testing.assert_allclose(forward.sum(axis=0), 0, atol=1e-12)


def test_bad_input_names_what_to_change():
    material = Material(D=1.0, Gamma=1.0)
    with pytest.raises(ValueError, match="no contact fixes the potential"):
        solve_layers([Layer(material, 1.0)], axis="x")
    with pytest.raises(ValueError, match="outside the conductor"):
        solve_layers([Layer(material, 1.0)], left=Ohmic(), contacts=[(2.0, TunnelContact(1.0, potential=0.0))])
    with pytest.raises(ValueError, match="thickness must be > 0"):
        Layer(material, 0.0)
    with pytest.raises(ValueError, match="exactly one of potential and current"):
        TunnelContact(1.0)
    with pytest.raises(ValueError, match="polarization"):
        TunnelContact(1.0, polarization=1.0, potential=0.0)
    with pytest.raises(ValueError, match="grad_mu_in_plane"):
        solve_layers([Layer(material, 1.0)], axis="x", left=Ohmic(), grad_mu_in_plane=(1.0, 0, 0))
    with pytest.raises(ValueError, match="interface_resistance"):
        solve_layers([Layer(material, 1.0), Layer(material, 1.0)], left=Ohmic(), interface_resistance=[-1.0])
    with pytest.raises(ValueError, match="G_r >= 0"):
        MagneticInsulator((0, 0, 1), -1.0)


def test_results_are_labelled_datasets():
    sol = solve_layers([Layer(Material(D=1.0, Gamma=1.0), 1.0)], axis="x", left=Ohmic(1.0), right=Ohmic(0.0))
    ds = sol.to_dataset()
    assert ds["spin"].dims == ("s", "component") and list(ds["terminal"].values) == ["left", "right"]
    assert ds["spin_current"].dims == ("s", "direction", "component")


@settings(max_examples=30, deadline=None)
@given(scale=st.floats(1e-4, 40.0), seed=st.integers(0, 2**31))
def test_the_small_matrix_exponential_matches_scipy(scale, seed):
    import scipy.linalg

    from spincharge.diffusion.modal import _expm

    a = np.random.default_rng(seed).normal(size=(9, 9)) * scale / 9
    expected = scipy.linalg.expm(a)
    np.testing.assert_allclose(_expm(a), expected, rtol=0, atol=1e-12 * np.abs(expected).max())  # both ~ ||A|| eps


def test_hanle_precession_is_at_the_larmor_frequency_in_si():
    """Material.from_si(field_tesla=B) gives h = g mu_B B / 2; the spin must precess at g mu_B B / hbar.
    The spin injected into a channel with B along z rotates by omega_L t: at omega_L tau = 1 the
    detector sees the closed form evaluated at the SI Larmor frequency."""
    from scipy import constants as sc

    from spincharge.units import UnitSystem

    units = UnitSystem.from_meV_nm(energy_meV=1e-3, length_nm=1000.0)
    tau = 100e-12
    field = sc.hbar / (tau * 2 * sc.physical_constants["Bohr magneton"][0])  # g = 2: omega_L tau = 1
    channel = Material.from_si(units, diffusion_m2_s=0.02, spin_lifetime_s=tau, field_tesla=(0, 0, field))
    injector = TunnelContact(1e-7, 0.3, (1, 0, 0), current=1.0)
    detector = TunnelContact(1e-7, 0.3, (1, 0, 0), current=0.0)
    sol = solve_layers([Layer(channel, 40.0)], axis="x", left=Ohmic(0.0), right=Insulating(),
                       contacts=[(20.0, injector), (21.0, detector)])  # fmt: skip
    d, rate = channel.D[0, 0], channel.relaxation[0, 0]
    omega_l = units.from_si(1 / tau, "angular_frequency")
    closed = nonlocal_hanle_resistance(1.0, spin_diffusion_length=np.sqrt(d / rate), diffusion=d,
                                       larmor_frequency=omega_l, polarization=0.3)  # fmt: skip
    np.testing.assert_allclose(sol.terminal_potential[3] - sol.terminal_potential[1], closed, rtol=1e-5)


@pytest.mark.parametrize("polarization", [0.0, 0.4])
def test_tunnel_contact_absorbs_the_transverse_spin_like_the_longitudinal(polarization):
    """A spin current injected at x = 0 into a channel with a floating tunnel contact (m along z) at x = 1:
    at P = 0 the contact is non-magnetic, so spin-rotation invariance forces the same profile for an
    injected spin along x as along z (a contact absorbing only m.S would leave S_x untouched); at P != 0
    the transverse spin is still absorbed with conductance G (tunnelling limit of the mixing conductance,
    Brataas, Bauer and Kelly 2006), so S_x(x) is the closed form of an isolated conductance G at x = 1:
    S = A cosh((L - x)/lambda) beyond it, a kink D (S'(1-) - S'(1+)) = G S(1)."""
    material = Material(D=1.0, Gamma=1.0)
    contact = TunnelContact(0.7, polarization, (0, 0, 1), current=0.0)
    profiles = []
    for spin in ((1.0, 0, 0), (0, 0, 1.0)):
        sol = solve_layers([Layer(material, 3.0)], axis="x", left=InjectedCurrent(0.0, spin), right=Ohmic(0.0),
                           contacts=[(1.0, contact)], points_per_layer=301)  # fmt: skip
        profiles.append(sol.spin[:, int(np.argmax(spin))])
    if polarization == 0:
        np.testing.assert_allclose(profiles[0], profiles[1], atol=1e-14)
    # transverse: S'' = S, S'(0) = -1 (inflow 1), S(3) = 0, -S'(1+) + S'(1-) = G S(1); solved by hand
    g, length = 0.7, 3.0
    # S = a cosh x + b sinh x on [0, 1], c sinh(length - x) on [1, 3]
    matrix = np.array([[0, 1, 0], [np.cosh(1), np.sinh(1), -np.sinh(length - 1)],
                       [np.sinh(1) + g * np.cosh(1), np.cosh(1) + g * np.sinh(1), np.cosh(length - 1)]])
    a, b, c = np.linalg.solve(matrix, [-1.0, 0.0, 0.0])
    x = sol.s
    exact = np.where(x <= 1.0, a * np.cosh(x) + b * np.sinh(x), c * np.sinh(length - x))
    np.testing.assert_allclose(profiles[0], exact, atol=1e-10)
