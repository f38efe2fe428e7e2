"""Independent witness for the paper-002 disagreements (issue 6): brute-force Cartesian-grid Kubo ladder.

The grid machinery (``independent_kubo.py`` next to this file) shares no code with ``spincharge.diffusive``:
2x2 matrix Green functions [E - H(k) - Sigma]^-1 on a Cartesian grid, Sigma from its own self-consistent
Born iteration on that grid, the R-A (and R-R, A-A) bubbles as explicit traces, the ladder by 4x4 inversion. It is
compared with the paper's printed formulas and with the public functions of ``spincharge.diffusive``.
The analytic side (prefactor and sign of Eq. 3, Eq. 17, precession and dissipation) is derived with sympy
in ``scripts/check_paper002_prefactors.py``, run by the last test.

Parameters: v = eps = 1, Delta_z = 0.4 (Delta_sd = 0.5, m = (0.6, 0, 0.8)), alpha = 0.02, cutoff v Lambda = 2 eps,
grid spacing h = 0.02 (31757 momenta). Convergence (checked once, and by ``test_grid_spacing_convergence``):
K_zz(0, omega = 1e-3) omega / i = 0.1430458, 0.1429989, 0.1429982 and K_xx = 9.117967, 9.118073, 9.118080 for
h = 0.04, 0.02, 0.01; the package's polar quadrature gives 0.1429984, 9.118079. The disorder width in
momentum, Im z / (2 v^2 p_F) ~ 0.1, spans 5 grid spacings, so the Lorentzian ridge is summed to ~1e-13;
the remaining h^2 error (1e-6 to 5e-6 relative at h = 0.02) comes from the smoothed disk edge. Hence the
tolerance 1e-4 (relative to the largest entry) in comparisons with the package. Comparisons with the
paper's leading-order closed forms carry O(alpha) and O(alpha log(Lambda/p_F)) deviations (about 5 alpha
here; they halve with alpha, ``test_leading_order_deviations_are_linear_in_alpha``).
"""

from __future__ import annotations

import importlib.util
import pathlib
import runpy
import sys

import numpy as np
import pytest
import sympy as sp

from spincharge.diffusive import (
    born_self_energy,
    dc_conductivity,
    gilbert_damping,
    spin_bubble,
    spin_correlator,
    ward_identity,
)
from spincharge.models import DiracFerromagnet

_HERE = pathlib.Path(__file__).resolve().parent


def _load_witness():
    spec = importlib.util.spec_from_file_location("independent_kubo", _HERE / "independent_kubo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


ik = _load_witness()

V, EPS, EXCHANGE, M = 1.0, 1.0, 0.5, (0.6, 0.0, 0.8)
DELTA = EXCHANGE * M[2]
ALPHA = 0.02
CUTOFF = 2.0  # v Lambda / eps
SPACING = 0.02
DC_OMEGA = 1e-6  # omega tau_tr ~ 1e-5: the dc limit at q = 0


def _svd_min(matrix):
    return np.linalg.svd(matrix, compute_uv=False)[-1]


@pytest.fixture(scope="module")
def model():
    return DiracFerromagnet(V, EPS, EXCHANGE, M, ALPHA)


@pytest.fixture(scope="module")
def kubo():
    return ik.GridKubo(V, EPS, DELTA, ALPHA, ik.momentum_grid(CUTOFF * EPS / V, SPACING))


@pytest.fixture(scope="module")
def dc(kubo):
    """Grid K(q = 0, omega -> 0): in-plane block [[sigma_0, sigma_H^nc], [-sigma_H^nc, sigma_0]]."""
    k = kubo.correlator((0.0, 0.0), DC_OMEGA)
    return k[1, 1].real, k[1, 2].real


def test_grid_self_energy_agrees_with_package_and_leading_order(kubo, model):
    """Sigma^R by fixed-point iteration of the full 2x2 Born equation on the grid (Eq. s10)."""
    components = ik.pauli_components(kubo.self_energy())
    assert abs(components[1]) + abs(components[2]) < 1e-12  # no in-plane part: rotation symmetry
    born = born_self_energy(model, cutoff_ratio=CUTOFF)
    assert EPS - components[0] == pytest.approx(born.eps_R, abs=1e-5)
    assert DELTA - components[3] == pytest.approx(born.delta_R, abs=1e-5)
    # text after Eq. (7): Im Sigma^R = -(pi alpha/2)(eps - Delta_z sigma_z), up to O(alpha^2 log)
    assert components[0].imag == pytest.approx(-np.pi * ALPHA * EPS / 2, rel=5 * ALPHA)
    assert components[3].imag == pytest.approx(np.pi * ALPHA * DELTA / 2, rel=5 * ALPHA)


def test_ward_identity_zero_mode_needs_one_cutoff_for_self_energy_and_bubble(kubo, model):
    """Claim (e): (1 - pi alpha M(0,0)) (Sigma^R - Sigma^A) = 0 exactly when Sigma and M use the same momenta.

    Grid: G^R - G^A = G^R (Sigma^R - Sigma^A) G^A summed with the Born weights gives the zero mode
    identically. The leading-order Sigma of Eq. (7), or a self-consistent Sigma solved with a larger
    cutoff, gaps the diffusion mode by O(alpha).
    """
    sigma = kubo.self_energy()
    kernel = np.eye(4) - np.pi * ALPHA * kubo.bubble()
    gamma = ik.pauli_components(sigma - sigma.conj().T)
    assert np.linalg.norm(kernel @ gamma) / np.linalg.norm(gamma) < 1e-12
    assert _svd_min(kernel) < 1e-12
    assert ward_identity(model, cutoff_ratio=CUTOFF).smallest_singular_value < 1e-12

    leading = -0.5j * np.pi * ALPHA * (EPS * ik.PAULI[0] - DELTA * ik.PAULI[3])
    gap_leading = _svd_min(np.eye(4) - np.pi * ALPHA * kubo.bubble(sigma_lower=leading, sigma_upper=leading))
    wider, _, _ = ik.born_self_energy(V, DELTA, ALPHA, EPS, ik.momentum_grid(1.5 * CUTOFF, SPACING))
    gap_wider = _svd_min(np.eye(4) - np.pi * ALPHA * kubo.bubble(sigma_lower=wider, sigma_upper=wider))
    assert gap_leading > ALPHA  # seen: 1.26 alpha
    assert gap_wider > 0.3 * ALPHA  # seen: 0.60 alpha
    package_leading = ward_identity(model, cutoff_ratio=CUTOFF, self_energy="leading").smallest_singular_value
    assert package_leading == pytest.approx(gap_leading, rel=1e-3)


@pytest.mark.parametrize("omega", [1e-3, 3e-2])
def test_density_vertex_identity_fixes_the_pi_alpha_of_the_ladder(kubo, omega):
    """Exact on the grid: K_a0(0, omega) = -Gamma_a(omega) / (pi alpha omega), Gamma = Sigma^R(E+omega) - Sigma^A(E).

    It follows from G^R(E+w) - G^A(E) = G^R(E+w)[Sigma^R(E+w) - Sigma^A(E) - w]G^A(E) only if the rung is
    pi alpha M with the full 2x2 trace in M (2 pi alpha of Eq. 5 times the 1/2 of Tr sigma_a sigma_b = 2 delta_ab).
    """
    bubble = kubo.bubble((0.0, 0.0), omega)
    gamma = ik.pauli_components(kubo.self_energy(omega) - kubo.self_energy(0.0).conj().T)
    expected = -gamma / (np.pi * ALPHA * omega)
    assert np.allclose(ik.ladder(bubble, ALPHA)[:, 0], expected, rtol=1e-9, atol=1e-9 * abs(expected).max())
    wrong = bubble @ np.linalg.inv(np.eye(4) - 2 * np.pi * ALPHA * bubble)  # rung without the 1/2
    assert abs(wrong[0, 0] - expected[0]) > 0.5 * abs(expected[0])


@pytest.mark.parametrize(
    "q, omega",
    [((0.0, 0.0), 1e-3), ((0.02, 0.0), 0.0), ((0.02, 0.0), 3.6e-3), ((0.012, -0.016), 1e-3), ((0.1, 0.05), 0.02)],
)
def test_grid_bubble_and_ladder_agree_with_package(kubo, model, q, omega):
    """Cartesian brute force vs spin_bubble / spin_correlator (polar closed-form angular average)."""
    package = spin_correlator(model, q, omega, cutoff_ratio=CUTOFF)
    bubble = kubo.bubble(q, omega)
    assert np.allclose(bubble, spin_bubble(model, q, omega, cutoff_ratio=CUTOFF).matrix, rtol=0,
                       atol=1e-4 * abs(bubble).max())
    grid = ik.ladder(bubble, ALPHA)[1:, 1:]
    assert np.allclose(grid, package.matrix, rtol=0, atol=1e-4 * abs(grid).max())


def test_out_of_plane_correlator_has_the_opposite_sign_to_eq_16(kubo, model, dc):
    """Claim (a): K_zz(q = 0, omega) = +i R / omega with R = 2 pi v^2 rho_z^2 / rho_0 > 0 (-> Delta^2/eps).

    The residue follows exactly from the grid's Ward identity: the pole of K in the (0, z) block is
    K_ab ~ (i/omega) 2 pi v^2 rho_a rho_b / rho_0, rho_a = -(1/pi) sum_k Im Tr sigma_a G^R (K_00 pole: i eps/omega,
    the diffuson). Eq. (16) prints Delta^2/(i eps omega) = -i Delta^2/(eps omega): the opposite sign.
    """
    omega = 1e-4
    kzz = kubo.correlator((0.0, 0.0), omega)[3, 3]
    rho = kubo.spectral_densities()
    residue = 2 * np.pi * V**2 * rho[3] ** 2 / rho[0]
    assert kzz == pytest.approx(1j * residue / omega, rel=1e-3)
    assert residue == pytest.approx(DELTA**2 / EPS, rel=0.15)  # seen 0.894: O(alpha), see the alpha test
    printed_eq_16 = DELTA**2 / (1j * EPS * omega)
    assert (kzz / printed_eq_16).real < -0.85
    assert spin_correlator(model, (0.0, 0.0), omega, cutoff_ratio=CUTOFF).matrix[2, 2] == pytest.approx(kzz, rel=1e-4)
    # static limit: K_zz(q, 0) = (Delta^2/eps)/(D q^2) > 0 (Eq. s19b at omega = 0 prints a negative value)
    q = 0.02
    static = kubo.correlator((q, 0.0), 0.0)[3, 3]
    sigma_0, _ = dc
    # Im/Re = 6e-4 (1e-4 at Lambda = 4 eps/v), the same in the package: the disk cutoff is not shift invariant
    assert abs(static.imag) < 2e-3 * static.real
    assert static.real == pytest.approx(DELTA**2 / EPS / (V**2 * sigma_0 / EPS * q**2), rel=0.2)


def test_static_spin_density_is_local_equilibrium_only_with_corrected_eq_3(kubo):
    """Claim (c), numerically: for omega -> 0 the electrons follow the potential in local equilibrium.

    A static longitudinal field E = -grad phi shifts the local chemical potential by -e phi, so
    s_z = rho_z (-e phi) with rho_z = d s_z / d mu, i.e. s_z / (e E_x) = -i rho_z / q (q || x). Eq. (3) with
    E x z = (0, -E_x, 0) gives s_z / (e E_x) = K_zy / (2 pi v) with the corrected prefactor -1/(2 pi hbar v^2),
    and -K_zy / v as printed (+1/(hbar v^2)): the printed form is off by -2 pi. The same holds for the
    density (rho_0, K_0y). K_zy itself is -Q_x of Eq. (11): i Delta / (v q) at omega = 0, sign as printed.
    """
    q = 0.01
    k = kubo.correlator((q, 0.0), 0.0)
    rho = kubo.spectral_densities()
    for component in (0, 3):
        equilibrium = -1j * rho[component] / q
        corrected = k[component, 2] / (2 * np.pi * V)
        printed = -k[component, 2] / V
        assert corrected == pytest.approx(equilibrium, rel=3 * ALPHA)  # seen: 1.3% (0.6% at alpha/2)
        assert printed / equilibrium == pytest.approx(-2 * np.pi, rel=3 * ALPHA)
    assert k[3, 2] == pytest.approx(1j * DELTA / (V * q), rel=0.1)


@pytest.mark.parametrize("ratio", [0.01, 0.3, 1.0])
def test_hall_component_in_the_q_frame_carries_the_diffusion_pole(kubo, dc, ratio):
    """Claim (d): for x || q the ladder gives K_xy = -K_yx = sigma_H^nc i omega / (i omega - D q^2), not sigma_H.

    Eq. (9)/(s21c)/(s23) print sigma_H for omega << D q^2. Physically: s_y ~ j_x is the longitudinal
    current and h_y ~ A_x the longitudinal field; a static longitudinal current violates continuity and a
    static longitudinal field is screened, so both vanish as omega -> 0. D = v^2 sigma_0 / eps (Eq. 9) with
    the grid's sigma_0.
    """
    sigma_0, hall = dc
    q = 0.02
    rate = V**2 * sigma_0 / EPS * q**2
    omega = ratio * rate
    k = kubo.correlator((q, 0.0), omega)
    expected = hall * 1j * omega / (1j * omega - rate)
    assert k[1, 2] == pytest.approx(expected, abs=0.03 * hall)
    assert k[2, 1] == pytest.approx(-expected, abs=0.03 * hall)
    if ratio < 0.1:
        assert abs(k[1, 2] - hall) > 0.95 * hall  # the printed sigma_xy = sigma_H is far off


def test_static_longitudinal_response_vanishes_only_with_the_rr_terms(kubo):
    """Continuity behind claim (d), with the R-R and A-A bubbles of Eq. (s7) that paper 002 drops.

    At omega = 0 the full Fermi-surface Kubo kernel is K^RA - (M^RR + M^AA)/2 (ladder corrections to RR are
    O(alpha)). For q || x the longitudinal in-plane response K_yy must vanish (no static longitudinal
    current). The R-A ladder alone leaves K_yy = -0.200 (an O(alpha^0), cutoff-dependent constant: -0.167 at
    Lambda = 4 eps/v); the R-R + A-A terms cancel it to O(alpha). The Hall entry K_xy gets no R-R part
    (zero to rounding) and is ~0 already in the ladder.
    """
    q = (0.02, 0.0)
    ladder = kubo.correlator(q, 0.0)
    fermi_sea_part = -0.5 * (kubo.bubble(q, 0.0, kinds="RR") + kubo.bubble(q, 0.0, kinds="AA"))
    total = ladder + fermi_sea_part
    assert abs(ladder[2, 2]) > 0.1
    assert abs(total[2, 2]) < ALPHA  # seen 0.0096 (0.0048 at alpha/2)
    assert abs(fermi_sea_part[1, 2]) < 1e-10
    assert abs(total[1, 2]) < 1e-3 * abs(ladder[1, 1] - ladder[2, 2])


def test_small_q_bubble_confirms_the_corrected_eqs_s15d_s15e(kubo):
    """Finite differences in q || x of the grid bubble vs the q terms of M (Eqs. s15d, s15e), in units of
    v (eps^2 - Delta^2)/g^2 (-i/2) and v^2 (eps^2 - Delta^2)/(2 g^3), g = pi alpha (eps^2 + Delta^2).

    Linear term: the density couples to sigma_y (the current along q, velocity v (sigma_y, -sigma_x)), entries
    (0, y) = eps q, (y, z) = -Delta q; printed (0, x) = eps q_x. Quadratic term: (0, 0) = -eps^2 q^2 (printed +),
    (x, x) = -(eps^2 - Delta^2)/4 q^2 and (y, y) = -3 (eps^2 - Delta^2)/4 q^2 (printed -3/4 and +1/4).
    Deviations O(alpha): up to 9% here, 1.5% at alpha = 0.005 (seen once, h = 0.005).
    """
    step = 0.004
    plus, minus, zero = kubo.bubble((step, 0.0)), kubo.bubble((-step, 0.0)), kubo.bubble()
    g = np.pi * ALPHA * (EPS**2 + DELTA**2)
    s = EPS**2 - DELTA**2
    linear = (plus - minus) / (2 * step) / (V * s / g**2 * -0.5j)
    quadratic = (plus + minus - 2 * zero) / (2 * step**2) / (V**2 * s / (2 * g**3))
    rel, small = 0.15, 0.1  # seen: up to 9% (1.5% at alpha = 0.005); the "zero" entries are 0.05 (0.012)
    assert linear[0, 2] == pytest.approx(EPS, rel=rel) and abs(linear[0, 1]) < small
    assert linear[2, 3] == pytest.approx(-DELTA, rel=rel) and abs(linear[1, 3]) < small
    assert quadratic[0, 0] == pytest.approx(-EPS**2, rel=rel)
    assert quadratic[0, 3] == pytest.approx(EPS * DELTA, rel=rel)
    assert quadratic[1, 1] == pytest.approx(-s / 4, rel=rel)
    assert quadratic[2, 2] == pytest.approx(-3 * s / 4, rel=rel)


def test_conductivities_against_eq_10_and_package(dc, model):
    """sigma_0 (Eq. 10) and the non-crossing Hall part 4 eps Delta (eps^2 + Delta^2)/(eps^2 + 3 Delta^2)^2."""
    sigma_0, hall = dc
    assert sigma_0 == pytest.approx((EPS**2 - DELTA**2) / (np.pi * ALPHA * (EPS**2 + 3 * DELTA**2)), rel=2 * ALPHA)
    leading_hall = 4 * EPS * DELTA * (EPS**2 + DELTA**2) / (EPS**2 + 3 * DELTA**2) ** 2
    assert hall == pytest.approx(leading_hall, rel=5 * ALPHA)  # seen 0.947
    package = dc_conductivity(model, cutoff_ratio=CUTOFF)
    assert package.longitudinal == pytest.approx(sigma_0, rel=1e-4)
    assert package.hall == pytest.approx(hall, rel=1e-4)


def test_drude_frequency_dependence_gives_the_momentum_relaxation_time(kubo, dc):
    """K_xx(0, omega) = sigma_0 (1 + i omega tau_p), tau_p = 2 eps sigma_0/(eps^2 - Delta^2) (21.5 here), not the
    tau_tr = eps sigma_0/(eps^2 + Delta^2) (7.8) defined after Eq. (10). Seen: 22.2 (43.7 vs 43.0 at alpha/2)."""
    sigma_0, _ = dc
    omega = 1e-3
    time = (kubo.correlator((0.0, 0.0), omega)[1, 1] / sigma_0 - 1) / (1j * omega)
    drude = (EPS**2 - DELTA**2) / (np.pi * ALPHA * (EPS**2 + 3 * DELTA**2))
    assert time.real == pytest.approx(2 * EPS * drude / (EPS**2 - DELTA**2), rel=3 * ALPHA)
    assert abs(time.imag) < 0.01 * time.real


def _tangent_rates(seed=3, count=6):
    """Directions m with the fixture's m_z (so Delta_z = 0.4 as on the grid) and random tangent rates."""
    rng = np.random.default_rng(seed)
    for phi in rng.uniform(0, 2 * np.pi, count):
        m = np.array([M[0] * np.cos(phi), M[0] * np.sin(phi), M[2]])
        yield m, np.cross(m, rng.normal(size=3))


def test_gilbert_damping_prefactor_from_energy_balance(dc, model):
    """Claim (b): the electrons must absorb energy, P = <dH/dt> = -Delta_sd mdot . s >= 0 (H of Eq. 2).

    With s = -(Delta_sd / (2 pi hbar v^2)) K_par mdot (corrected Eq. 3, -i omega m = mdot, q = 0) the grid gives
    P = Delta_sd^2 sigma_0 |mdot_par|^2 / (2 pi v^2) > 0, and T = (J A/hbar) m x s is
    -(J^2 S A/(2 pi hbar^2 v^2)) m x (sigma_0 mdot_par + (sigma_H/m_z) mdot_par x m_perp). The package tensor
    G (T = m x G mdot, so the in-plane s is G mdot/(J A) up to its part along m, which drops out of
    mdot . s) gives the same P; the printed Eq. (17) (+J^2 S A/(pi hbar^2 v^2)) gives P = -2 x that: the
    electrons would cool while damping the magnet.
    """
    sigma_0, hall = dc
    exchange_area = 0.3  # J A; S = Delta_sd / J > 0
    k_par = np.array([[sigma_0, hall], [-hall, sigma_0]])
    for m, mdot in _tangent_rates():
        s_grid = -EXCHANGE / (2 * np.pi * V**2) * k_par @ mdot[:2]
        power = -EXCHANGE * mdot[:2] @ s_grid
        assert power == pytest.approx(EXCHANGE**2 * sigma_0 * (mdot[0] ** 2 + mdot[1] ** 2) / (2 * np.pi * V**2))
        tensor = gilbert_damping(model, exchange_area=exchange_area, m=m).tensor  # closed-form sigma_0, sigma_H
        power_package = -EXCHANGE * mdot @ (tensor @ mdot) / exchange_area
        assert power_package == pytest.approx(power, rel=2 * ALPHA)
        mdot_par, m_perp = mdot * [1, 1, 0], m * [0, 0, 1]
        printed_field = exchange_area * EXCHANGE / (np.pi * V**2) * (
            sigma_0 * mdot_par + hall / m[2] * np.cross(mdot_par, m_perp))  # T = m x printed_field (Eq. 17)
        power_printed = -EXCHANGE * mdot @ printed_field / exchange_area
        assert power_printed / power == pytest.approx(-2.0)


def test_leading_order_deviations_are_linear_in_alpha():
    """The O(alpha) deviations from Delta^2/eps, sigma_0 and the static Q halve with alpha (grid h ~ alpha)."""
    deviations = []
    for alpha, spacing in ((0.02, 0.02), (0.01, 0.01)):
        grid_kubo = ik.GridKubo(V, EPS, DELTA, alpha, ik.momentum_grid(CUTOFF, spacing))
        rho = grid_kubo.spectral_densities()
        sigma_0 = grid_kubo.correlator((0.0, 0.0), DC_OMEGA)[1, 1].real
        drude = (EPS**2 - DELTA**2) / (np.pi * alpha * (EPS**2 + 3 * DELTA**2))
        deviations.append([2 * np.pi * rho[3] ** 2 / rho[0] / (DELTA**2 / EPS) - 1, sigma_0 / drude - 1])
    ratio = np.array(deviations[0]) / np.array(deviations[1])
    assert np.all((ratio > 1.6) & (ratio < 2.4)), ratio  # seen 1.92, 1.75


@pytest.mark.slow
def test_grid_spacing_convergence():
    """The tolerance of the package comparison: h = 0.02 vs h = 0.01 differ by < 1e-5 relative."""
    values = []
    for spacing in (0.02, 0.01):
        k = ik.GridKubo(V, EPS, DELTA, ALPHA, ik.momentum_grid(CUTOFF, spacing)).correlator((0.02, 0.0), 1e-3)
        values.append(k)
    assert np.allclose(values[0], values[1], rtol=0, atol=1e-5 * abs(values[1]).max())


def test_analytic_derivation_script():
    """scripts/check_paper002_prefactors.py: sympy derivation of Eqs. (1), (3), (16), (17) signs and prefactors."""
    derived = runpy.run_path(str(_HERE.parents[1] / "scripts" / "check_paper002_prefactors.py"))["derive"]()
    for name, (value, expected) in derived.items():
        difference = sp.simplify(value - expected)
        assert difference.is_zero_matrix if isinstance(difference, sp.MatrixBase) else difference == 0, name
