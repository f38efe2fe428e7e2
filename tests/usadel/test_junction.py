"""Josephson junctions from the nonlinear Riccati solver (``usadel.junction``) against independent witnesses."""

import numpy as np
import pytest

from spincharge.numerics.matsubara import inverse_power_tail, positive_frequencies
from spincharge.usadel import riccati
from spincharge.usadel.gap import GAP0_OVER_TC, bcs_gap
from spincharge.usadel.junction import VACUUM, ConvergenceError, Layer, Reservoir, junction, spectrum
from spincharge.numerics.matsubara import matsubara_nodes


def kulik_omelyanchuk(phase, t, count=20000):
    """KO-1: e I R_N = 2 pi T sum_{w>0} 2 Delta cos(phi/2)/d arctan(Delta sin(phi/2)/d), d = sqrt(Delta^2
    cos^2(phi/2) + w^2) (Delta0 units; explicit sum to ``count``, 1/w^2 tail in closed form)."""
    gap, T = float(bcs_gap(t).gap), t / GAP0_OVER_TC
    w = positive_frequencies(T, count)
    c, s = np.cos(phase / 2), np.sin(phase / 2)
    d = np.sqrt((gap * c) ** 2 + w**2)
    return 2 * np.pi * T * (np.sum(2 * gap * c / d * np.arctan(gap * s / d)) + 2 * gap**2 * c * s * inverse_power_tail(T, count, 2))


def test_short_junction_tends_to_kulik_omelyanchuk():
    t, phases = 0.3, np.array([0.5, 1.5, 2.5])
    ko = np.array([kulik_omelyanchuk(p, t) for p in phases])
    deviation = {L: junction(Layer(L), t, phases, points=24).current - ko for L in (0.025, 0.0125)}
    # the finite-length correction falls by ~4 per halving of L (Delta/E_Th = L^2) ...
    ratio = deviation[0.025] / deviation[0.0125]
    assert np.all((ratio > 3.2) & (ratio < 4.2))
    assert np.max(np.abs(deviation[0.0125] / ko)) < 4e-4
    # ... and the L^2 extrapolation meets KO-1
    extrapolated = (4 * deviation[0.0125] - deviation[0.025]) / 3
    assert np.max(np.abs(extrapolated / ko)) < 1e-4


def test_long_junction_error_estimate_and_convergence():
    phases = np.array([0.8, 1.9, 2.6])
    coarse = junction(Layer(5.0), 0.05, phases, points=16)
    fine = junction(Layer(5.0), 0.05, phases, points=40, frequency_cutoff=20)
    assert np.all(np.abs(coarse.current - fine.current) <= coarse.error)
    default = junction(Layer(5.0), 0.05, phases)
    assert np.max(default.error / np.abs(default.current)) < 1e-6
    assert np.max(np.abs(default.current - fine.current) / np.abs(fine.current)) < 1e-6
    ds = default.to_dataset()
    assert ds["current"].dims == ("phase",) and ds["current_profile"].dims == ("phase", "x")


@pytest.mark.slow
def test_long_junction_critical_current_approaches_dubos():
    """e I_c R_N / E_Th grows with L towards 10.82 (Dubos et al., PRB 63, 064502 (2001)) at T << E_Th."""
    values = []
    for L in (3.0, 5.0):
        thouless = 1 / L**2
        t = 0.05 * thouless * GAP0_OVER_TC  # T = 0.05 E_Th
        phases = np.linspace(1.6, 2.3, 8)
        values.append(junction(Layer(L), t, phases, points=24).critical_current() / thouless)
    assert values[0] < values[1] < 10.82
    assert values[1] > 8.0


def _linearised_current(L, h, r, t, phase):
    """Weak-proximity S/F/S current (tunnel-like KL interfaces r at both ends, h along z, D = 1): per spin band
    D a'' = 2 s (omega + i sigma h) a with the KL conditions linearised in a, solved in closed form
    (a = A cosh kx + B sinh kx), current 4 (a b' - a' b) summed over omega, sigma."""
    gap, T = float(bcs_gap(t).gap), t / GAP0_OVER_TC
    w, weights, _ = matsubara_nodes(T, 10.0)
    keep = L * np.sqrt(2 * w) <= 36
    total = 0
    for omega, weight in zip(np.concatenate([w[keep], -w[keep]]), np.concatenate([weights[keep], weights[keep]])):
        s, big = np.sign(omega), np.sqrt(omega**2 + gap**2)
        for sigma in (1, -1):
            k = np.sqrt(2 * s * (omega + 1j * sigma * h))
            c, sh = np.cosh(k * L), np.sinh(k * L)
            # 2 r a'(0) = s(-F_L + 2 (omega/Omega) a(0)), 2 r a'(L) = -s(-F_R + 2 (omega/Omega) a(L))
            M = np.array([[-2 * s * omega / big, 2 * r * k],
                          [2 * r * k * sh + 2 * s * omega / big * c, 2 * r * k * c + 2 * s * omega / big * sh]])
            coefficients = [np.linalg.solve(M, [-s * gap * np.exp(-1j * q) / big, s * gap * np.exp(1j * q) / big])
                            for q in (phase / 2, -phase / 2)]
            (A, B), (Ab, Bb) = coefficients
            x = L / 2
            a, da = A * np.cosh(k * x) + B * np.sinh(k * x), k * (A * np.sinh(k * x) + B * np.cosh(k * x))
            b, db = Ab * np.cosh(k * x) + Bb * np.sinh(k * x), k * (Ab * np.sinh(k * x) + Bb * np.cosh(k * x))
            total += weight * 4 * (a * db - da * b)
    return (0.25j * L * np.pi * T * total).real


def test_sfs_zero_pi_transition_where_the_linearised_solution_puts_it():
    t, h, r = 0.3, 4.0, 10.0
    lengths = np.array([0.4, 0.45, 0.5])
    full = [junction(Layer(L, exchange=(0, 0, h)), t, [np.pi / 2], interfaces=[r, r], points=20).current[0] for L in lengths]
    linear = [_linearised_current(L, h, r, t, np.pi / 2) for L in lengths]
    assert full[0] > 0 > full[-1] and linear[0] > 0 > linear[-1]
    np.testing.assert_allclose(full, linear, rtol=0.03, atol=1e-6)
    crossing = [np.roots(np.polyfit(lengths, values, 2)) for values in (full, linear)]
    crossing = [float(c[(c > 0.4) & (c < 0.5)][0].real) for c in crossing]
    assert abs(crossing[0] - crossing[1]) < 2e-3


def test_pure_gauge_alpha_is_removed_by_an_su2_rotation():
    """S | F (h along x) | N (SU(2) field A along z) | S: the rotation u = exp(i A_z sigma_z (x - x_FN)) maps
    the A = 0 solution onto the A != 0 one (the singlet reservoir is invariant), so the current is the same,
    although the sigma_x triplet leaking from F into N is turned by the rotation."""
    t, phase, A = 0.3, 1.2, 0.9
    stack = lambda gauge: [Layer(0.5, exchange=(3.0, 0, 0)), Layer(0.8, gauge=(0, 0, gauge), relaxation=0.2)]  # noqa: E731
    plain = junction(stack(0.0), t, [phase], points=12)
    gauged = junction(stack(A), t, [phase], points=12)
    np.testing.assert_allclose(gauged.current, plain.current, rtol=1e-7)
    assert abs(plain.current[0]) > 1e-3


def test_time_reversal_symmetry_with_field_and_gauge():
    """I(phi; h, A) = -I(-phi; -h, A) for a generic field, gauge and anisotropic relaxation."""
    relaxation = ((0.3, 0.1, 0.0), (0.1, 0.2, 0.05), (0.0, 0.05, 0.4))
    layer = lambda h: Layer(0.7, exchange=h, gauge=(0.4, -0.3, 0.6), relaxation=relaxation)  # noqa: E731
    h = np.array([1.0, -2.0, 1.5])
    forward = junction(layer(tuple(h)), 0.4, [0.7, 2.1], points=8)
    backward = junction(layer(tuple(-h)), 0.4, [-0.7, -2.1], points=8)
    np.testing.assert_allclose(forward.current, -backward.current, rtol=1e-8)
    assert np.min(np.abs(forward.current)) > 1e-3


def test_kupriyanov_lukichev_interface_tends_to_transparent():
    phase = 1.5
    transparent = junction(Layer(1.0), 0.3, [phase]).current[0]
    resistive = [junction(Layer(1.0), 0.3, [phase], interfaces=[r, r]).current[0] for r in (1e-4, 2e-4)]
    # series resistance: the current falls linearly in r
    slope = (resistive[1] - resistive[0]) / 1e-4
    assert abs(resistive[0] - slope * 1e-4 - transparent) < 1e-6 * abs(transparent)
    assert resistive[1] < resistive[0] < transparent
    # two N layers joined by a transparent interface are one layer; a KL interface with small r lowers the
    # current, by less than the two end interfaces together
    joined = junction([Layer(0.4), Layer(0.6)], 0.3, [phase]).current[0]
    assert abs(joined - transparent) < 1e-9 * abs(transparent)
    split = junction([Layer(0.4), Layer(0.6)], 0.3, [phase], interfaces=[0, 1e-4, 0]).current[0]
    assert 0 < transparent - split < abs(slope) * 1e-4


def test_low_temperature_kupriyanov_lukichev_junction_has_the_kulik_omelyanchuk_temperature_dependence():
    """Short S/N/S (L = 0.2 xi0, r = 0.002 at both ends: G_B/G_N = 100) at T = 0.01 Tc, where Newton from the zero
    start reaches other roots at some low omega (the current was 1.759 and 2.158 instead of 1.974 and 1.940 at 0.6 pi
    and 0.7 pi before they were continued): I(0.01 Tc) - I(0.1 Tc) is KO-1's temperature change (4.5e-5 and 4.1e-4;
    the wrong roots moved the current by 0.2), within 15 % (the barrier and length) and the error estimates."""
    phases, r = np.array([0.6, 0.7]) * np.pi, 0.002
    cold, warm = (junction(Layer(0.2), t, phases, interfaces=[r, r]) for t in (0.01, 0.1))
    assert cold.continued > 0
    change = np.array([kulik_omelyanchuk(p, 0.01) - kulik_omelyanchuk(p, 0.1) for p in phases])
    assert np.all(np.abs(cold.current - warm.current - change) <= 0.15 * np.abs(change) + cold.error + warm.error)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: Layer(0.0), "length"),
        (lambda: Layer(-1.0), "length"),
        (lambda: Layer(1.0, diffusion=0), "diffusion"),
        (lambda: junction(Layer(1.0), 0.3, 1.0, interfaces=[-1, 0]), "interfaces"),
        (lambda: junction(Layer(1.0), 1.2, 1.0), "t = T/Tc"),
        (lambda: junction(Layer(1.0), 1.0, 1.0, left=Reservoir(gap=1.0)), "left.gap"),
        (lambda: junction(Layer(1.0), 0.3, 1.0, right=VACUUM), "Reservoir"),
        (lambda: junction(Layer(1.0), 0.3, 1.0, points=3), "points"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_newton_failure_reports_residual_and_what_to_try():
    with pytest.raises(ConvergenceError, match="residual .* try more continuation_steps"):
        junction(Layer(1.0), 0.3, 2.0, max_iterations=1, continuation_steps=1)


def test_gauge_rotation_of_amplitudes_is_exact_in_the_riccati_form():
    """a -> u a u^+, b -> u b u^+ with u = exp(i A x) solves the gauged equation if (a, b) solves the plain one
    (pointwise check of the covariant derivative on a random profile)."""
    rng = np.random.default_rng(1)
    A = riccati.spin_matrix([0.0, 0.0, 0.7])
    x = 0.4
    u = np.diag(np.exp(1j * np.array([0.7, -0.7]) * x))
    du = 1j * A @ u
    a = 0.3 * (rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)))
    da = 0.3 * (rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)))
    rotated = u @ a @ u.conj().T
    d_rotated = du @ a @ u.conj().T + u @ da @ u.conj().T + u @ a @ du.conj().T
    np.testing.assert_allclose(riccati.covariant(rotated, d_rotated, A), u @ da @ u.conj().T, atol=1e-14)


def test_double_tunnel_barrier_tends_to_circuit_theory():
    """S-I-N-I-S with L -> 0 and R_B >> R_N: the N layer is a node with g_N = (g_L + g_R)/|g_L + g_R|, and
    e I (2 R_B) = 2 pi T sum_{w>0} Delta^2 sin(phi) / (Omega d), Omega^2 = w^2 + Delta^2, d^2 = w^2 + Delta^2
    cos^2(phi/2) (Nazarov's circuit theory with two equal tunnel connectors); checks the KL normalisation."""
    t, phase, r = 0.3, 2.0, 1.0
    gap, T = float(bcs_gap(t).gap), t / GAP0_OVER_TC
    w = positive_frequencies(T, 200000)
    omega, d = np.sqrt(w**2 + gap**2), np.sqrt(w**2 + (gap * np.cos(phase / 2)) ** 2)
    circuit = 2 * np.pi * T * np.sum(gap**2 * np.sin(phase) / (omega * d))
    deviation = []
    for L in (0.01, 0.005, 0.0025):
        result = junction(Layer(L), t, [phase], interfaces=[r, r], points=12)
        deviation.append(result.current[0] * (2 * r + L) / L / circuit - 1)
    assert deviation[0] < deviation[1] < deviation[2] < 0
    assert abs(deviation[2]) < 0.012


def test_spectrum_of_a_uniform_superconductor_is_the_dynes_bcs_density():

    energies = np.array([0.0, 0.5, 0.95, 1.05, 2.0, 6.0])
    result = spectrum(Layer(1.0, gap=1.0), energies, left=VACUUM, right=VACUUM, eta=0.02, points=8)
    omega = 0.02 - 1j * energies
    np.testing.assert_allclose(result.density, np.repeat((omega / np.sqrt(omega**2 + 1)).real[:, None], 9, 1), rtol=1e-10)


def test_proximity_density_of_states_tends_to_normal_and_conserves_spectral_weight():
    """S | N (L = 1 xi0, KL r = 0.05) | vacuum: N(E) -> 1 far above the gap, and int_0^inf (N - 1) dE = 0
    (g11 - 1 is analytic in the upper half plane and decays as E^-2; the tail beyond E_max is (N - 1) E_max)."""

    nodes, weights = np.polynomial.legendre.leggauss(40)
    pieces = [(0.0, 0.8), (0.8, 1.2), (1.2, 3.0), (3.0, 12.0), (12.0, 40.0)]
    energies = np.concatenate([(b - a) / 2 * nodes + (a + b) / 2 for a, b in pieces])
    w = np.concatenate([(b - a) / 2 * weights for a, b in pieces])
    result = spectrum(Layer(1.0), np.append(energies, 40.0), left=Reservoir(gap=1.0), interfaces=[0.05, 0], eta=0.05,
                      points=24)
    far = result.density[:-1, -1]  # at the vacuum end
    assert abs(result.density[-1, -1] - 1) < 1e-3
    assert np.min(result.density) > 0
    weight = w @ (far - 1) + (result.density[-1, -1] - 1) * 40.0
    assert abs(weight) < 2e-3 * (w @ np.abs(far - 1))


def test_dynes_broadening_is_the_real_energy_shift_of_kulik_omelyanchuk():
    """dynes = eta shifts omega_n -> omega_n + eta: the change it makes in a short transparent junction (L = 0.05 xi0,
    t = 0.2, phi = pi/2) equals the change of KO-1 computed on the real axis, int_0^inf dE tanh(E/2T) Im f(-i(E + i eta))
    by scipy quad (no Matsubara sum), against KO-1 at eta = 0; measured -0.085504 vs -0.085495."""
    from scipy.integrate import quad

    t, eta, phi = 0.2, 0.05, np.pi / 2
    temperature = t / GAP0_OVER_TC
    c, s = np.cos(phi / 2), np.sin(phi / 2)

    def ko(w):
        d = np.sqrt(c**2 + w**2 + 0j)
        return 2 * c / d * np.arctan(s / d)

    def spectral(energy):
        return np.tanh(energy / (2 * temperature)) * ko(-1j * (energy + 1j * eta)).imag

    pieces = ((0, 0.5), (0.5, c), (c, 1), (1, 3), (3, 50), (50, np.inf))
    real_axis = sum(quad(spectral, a, b, limit=400, epsabs=1e-13)[0] for a, b in pieces)
    clean = 2 * np.pi * temperature * np.sum(ko(np.pi * temperature * (2 * np.arange(400000) + 1))).real
    currents = [junction([Layer(0.05)], t, [phi], left=Reservoir(gap=1.0), right=Reservoir(gap=1.0), dynes=value)
                for value in (0.0, eta)]
    assert currents[1].dynes == eta
    assert currents[1].current[0] - currents[0].current[0] == pytest.approx(real_axis - clean, abs=5e-5)
    with pytest.raises(ValueError, match="dynes"):
        junction([Layer(0.05)], t, [phi], dynes=-0.1)


def test_a_scalar_phase_or_energy_gives_scalar_fields():
    """numpy's convention: junction(..., phases=scalar) and spectrum(..., energies=scalar) drop the phase / energy
    dimension (the values equal the one-element call's), and the dataset keeps the other labelled dimensions."""
    one = junction(Layer(0.5), 0.3, [1.0], points=12)
    scalar = junction(Layer(0.5), 0.3, 1.0, points=12)
    assert np.ndim(scalar.current) == 0 and isinstance(scalar.phases, float)
    assert scalar.current == one.current[0] and scalar.current_profile.shape == (13,)
    np.testing.assert_array_equal(scalar.spin_density, one.spin_density[0])
    ds = scalar.to_dataset()
    assert ds["current_profile"].dims == ("x",) and ds["spin_density"].dims == ("spin", "x") and ds["current"].dims == ()
    density = spectrum(Layer(1.0), 0.5, left=Reservoir(gap=1.0), points=8)
    assert density.density.shape == (9,) and isinstance(density.energies, float)
    np.testing.assert_allclose(density.density, spectrum(Layer(1.0), [0.5], left=Reservoir(gap=1.0), points=8).density[0])
