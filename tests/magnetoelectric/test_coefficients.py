"""chi, g_spin, g_orb of paper 000: direct numerics of Eqs. (6)-(7) against the closed forms and limits."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import digamma

from spincharge.magnetoelectric import coefficients
from spincharge.models import RashbaMetal, TISurface

CHI0 = 1 / (4 * math.pi)  # e/(4 pi hbar), paper 000, Eq. (11)


def _rashba(ratio, delta_ratio, mu=1.0, mass=1.0):
    """Rashba metal with E_soc/E_F = ratio and Delta/E_soc = delta_ratio."""
    v = ratio * abs(mu) / math.sqrt(2 * mass * abs(mu))
    model = RashbaMetal(mass, mu, v, 0.0)
    return dataclasses.replace(model, delta=delta_ratio * model.spin_orbit_energy)


# ---------------------------------------------------------------- TI surface: Eqs. (11)-(13)


@given(lam=st.floats(1e-3, 5.0), mu=st.floats(0.05, 5.0), v=st.floats(0.1, 5.0), sign=st.sampled_from([1, -1]))
def test_ti_numerics_equal_eqs_12_13(lam, mu, v, sign):
    model = TISurface(v=v, mu=sign * mu, delta=lam * mu)
    numeric = coefficients(model)
    closed = coefficients(model, method="closed_form")
    for name in ("chi_I", "chi_II"):
        assert numeric.parts[name] == pytest.approx(closed.parts[name], abs=1e-10 * CHI0)
    assert numeric.chi == pytest.approx(closed.chi, abs=1e-10 * CHI0)
    assert numeric.g_spin == pytest.approx(numeric.chi / v, rel=1e-14)
    assert numeric.error["chi"] < 1e-8 * CHI0  # an estimate: typically 1e4 above the actual error
    # the error estimate covers the actual error
    assert abs(numeric.chi - closed.chi) <= numeric.error["chi"] + 1e-15 * CHI0


@pytest.mark.parametrize("sign", [1, -1])
def test_ti_quantisation_at_zero_gap_and_half_jump(sign):
    """chi(Delta = 0) = sgn(mu) e/(4 pi hbar) (Eq. 11); chi(Delta -> 0+) = chi(0)/2 (text after Eq. 13)."""
    at_zero = coefficients(TISurface(v=1.3, mu=sign * 0.7, delta=0.0))
    assert at_zero.chi == pytest.approx(sign * CHI0, rel=1e-13)
    assert at_zero.parts["chi_II"] == pytest.approx(0.0, abs=1e-13)
    for lam in (1e-4, 1e-6):
        just_above = coefficients(TISurface(v=1.3, mu=sign * 0.7, delta=lam * 0.7))
        assert just_above.parts["chi_II"] / (sign * CHI0) == pytest.approx(-0.5, abs=2 * lam)
        assert just_above.chi / (sign * CHI0) == pytest.approx(0.5, abs=2 * lam)


def test_ti_converges_in_the_momentum_cutoff():
    """chi(k_c) -> chi(k_c = infinity) (Eqs. 12-13) as a power of 1/k_c."""
    mu, v, lam = 1.0, 1.0, 0.5
    limit = coefficients(TISurface(v, mu, lam * mu), method="closed_form").chi
    cutoffs = np.array([4.0, 8.0, 16.0, 32.0, 64.0])
    errors = np.array([abs(coefficients(TISurface(v, mu, lam * mu, k_cutoff=k)).chi - limit) for k in cutoffs])
    assert np.all(np.diff(errors) < 0)
    slopes = np.diff(np.log(errors)) / np.diff(np.log(cutoffs))
    assert np.all(slopes < -1.9)  # at least 1/k_c^2
    assert errors[-1] < 1e-5 * CHI0


# ---------------------------------------------------------------- Rashba metal: Eqs. (14)-(16)


@given(delta_ratio=st.floats(0.05, 5.0), mass=st.floats(0.3, 3.0), mu=st.floats(0.2, 5.0))
def test_rashba_numerics_approach_eqs_14_16_in_the_quasiclassical_limit(delta_ratio, mass, mu):
    """E_soc/E_F = 1e-4: quasiclassical corrections ~ (E_soc/E_F)^2 are below the 1e-8 target."""
    model = _rashba(1e-4, delta_ratio, mu=mu, mass=mass)
    numeric = coefficients(model)
    closed = coefficients(model, method="closed_form")
    spin_unit, orbital_unit = 1 / (4 * math.pi * model.v), 1 / (4 * math.pi * model.fermi_velocity)
    assert numeric.g_spin == pytest.approx(closed.g_spin, abs=1e-8 * spin_unit)
    for name in ("g_orb_intra", "g_orb_inter"):
        assert numeric.parts[name] == pytest.approx(closed.parts[name], abs=1e-8 * orbital_unit)
    assert numeric.g_orb == pytest.approx(closed.g_orb, abs=1e-8 * orbital_unit)
    assert numeric.chi == pytest.approx(closed.chi, abs=1e-8 * CHI0)


def test_rashba_converges_to_the_closed_forms_as_esoc_over_ef_vanishes():
    """|numeric - closed form| falls like (E_soc/E_F)^2 (g_spin) as E_soc/E_F -> 0."""
    ratios = np.array([0.1, 0.03, 0.01, 0.003])
    for delta_ratio in (0.3, 1.5):
        deviations = []
        for ratio in ratios:
            model = _rashba(ratio, delta_ratio)
            numeric, closed = coefficients(model), coefficients(model, method="closed_form")
            deviations.append(abs(numeric.g_spin - closed.g_spin) * 4 * math.pi * model.v)
        slopes = np.diff(np.log(deviations)) / np.diff(np.log(ratios))
        assert np.all(np.abs(slopes - 2) < 0.1)


@given(ratio=st.floats(1e-3, 0.5), sign=st.sampled_from([1, -1]))
def test_rashba_orbital_parts_sum_to_eq_7(ratio, sign):
    """g_orb from Eq. (7) directly (three resolvents) = intra + inter (two resolvents, rotation identity)."""
    model = _rashba(ratio, 0.7, mu=sign * 0.5)
    if sign < 0 and not model.fermi_momenta():
        return
    for kwargs in ({}, {"temperature": 0.01}, {"broadening": 0.01}, {"temperature": 0.01, "broadening": 0.01}):
        result = coefficients(model, **kwargs)
        assert result.g_orb == pytest.approx(sum(result.parts.values()), abs=1e-10 * abs(result.parts["g_orb_inter"]))


@pytest.mark.parametrize("ratio", [1e-3, 0.1, 0.5])
def test_clean_normal_rashba_metal_has_no_interconversion(ratio):
    """Delta = 0, mu > 0: g_orb_intra = -g_orb_inter = 1/(4 pi v_F) (Eqs. 15-16 at delta = 0), g_spin = 0.

    The numerics find this for any E_soc/E_F, not only in the quasiclassical limit.
    """
    model = _rashba(ratio, 0.0)
    result = coefficients(model)
    unit = 1 / (4 * math.pi * model.fermi_velocity)
    assert result.parts["g_orb_intra"] == pytest.approx(unit, rel=1e-12)
    assert result.parts["g_orb_inter"] == pytest.approx(-unit, rel=1e-12)
    assert result.g_spin * 4 * math.pi * model.v == pytest.approx(0.0, abs=1e-12)
    assert result.chi == pytest.approx(0.0, abs=1e-12 * CHI0)


# ---------------------------------------------------------------- temperature, broadening, mu < 0


def test_low_temperature_limit_of_a_gapped_system_is_exponentially_close():
    model = TISurface(v=1.0, mu=1.0, delta=0.2)
    cold = coefficients(model)
    warm = coefficients(model, temperature=0.2 / 40)
    assert warm.chi == pytest.approx(cold.chi, abs=1e-12)


@pytest.mark.parametrize(
    "model",
    [TISurface(v=1.0, mu=0.8, delta=0.0), RashbaMetal(mass=1.0, mu=-0.02, v=0.3, delta=0.0), _rashba(0.3, 0.0)],
    ids=["ti", "rashba-one-branch", "rashba-two-branches"],
)
def test_gapless_zero_temperature_value_is_the_limit_of_small_temperature(model):
    """The Fermi-surface terms at Delta = T = 0 equal lim T -> 0 of the smooth finite-T integrals (O(T^2))."""
    cold = coefficients(model)
    scale = abs(model.mu)
    warm = [coefficients(model, temperature=t * scale) for t in (0.02, 0.01)]
    for name in ("chi", "g_spin", "g_orb") + tuple(cold.parts):
        value = lambda r: r.parts[name] if name in r.parts else getattr(r, name)  # noqa: E731
        extrapolated = (4 * value(warm[1]) - value(warm[0])) / 3
        assert extrapolated == pytest.approx(value(cold), abs=3e-4 * max(abs(value(cold)), CHI0))


def test_one_branch_rashba_intraband_term_is_its_fermi_surface_density():
    """mu < 0, Delta = 0: g_orb_intra = (1/(8 pi k_F)) sum_F k_F/|xi'| = m v / (4 pi k_F sqrt(v^2 - 2|mu|/m))."""
    model = RashbaMetal(mass=1.5, mu=-0.02, v=0.3, delta=0.0)
    expected = model.mass * model.v / (4 * math.pi * model.fermi_wavenumber * math.sqrt(model.v**2 - 2 * abs(model.mu) / model.mass))
    assert coefficients(model).parts["g_orb_intra"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("model", [TISurface(v=1.0, mu=1.0, delta=0.3), _rashba(0.01, 0.8)], ids=["ti", "rashba"])
def test_broadening_to_zero_recovers_the_clean_gapped_values_linearly(model):
    clean = coefficients(model)
    widths = np.array([1e-3, 5e-4]) * model.delta
    shifts = [abs(coefficients(model, broadening=w).chi - clean.chi) for w in widths]
    assert shifts[1] == pytest.approx(shifts[0] / 2, rel=0.05)
    assert shifts[1] < 1e-2 * abs(clean.chi)


def test_broadening_makes_rashba_chi_continuous_across_zero_gap():
    """Clean: chi jumps from 0 (Delta = 0) to v_F g_orb_inter(0+) + ...; broadened: chi(Delta -> 0) -> chi(0)."""
    width = 0.1
    at_zero = coefficients(_rashba(1e-3, 0.0), broadening=width * 1e-3)
    near = [coefficients(_rashba(1e-3, d), broadening=width * 1e-3).chi for d in (1e-3, 1e-4)]
    assert abs(near[1] - at_zero.chi) < abs(near[0] - at_zero.chi) < 1e-4 * CHI0 * 100
    clean_near = coefficients(_rashba(1e-3, 1e-4)).chi
    assert abs(clean_near - coefficients(_rashba(1e-3, 0.0)).chi) > 0.9 * CHI0


# ---------------------------------------------------------------- temperature and broadening together


@pytest.mark.parametrize("model", [TISurface(v=1.0, mu=1.0, delta=0.3), _rashba(0.01, 0.8)], ids=["ti", "rashba"])
def test_temperature_and_broadening_together_tend_to_each_alone(model):
    """Gamma -> 0 at fixed T: the Fermi-function result, linearly in Gamma; T -> 0 at fixed Gamma: the
    Lorentzian result, quadratically in T (the orders of n_{T,Gamma} - n_T and n_{T,Gamma} - n_Gamma)."""
    scale = 0.15 * model.delta
    names = ("chi", "g_spin", "g_orb")
    value = lambda r: np.array([getattr(r, name) for name in names])  # noqa: E731
    fermi, lorentzian = value(coefficients(model, temperature=scale)), value(coefficients(model, broadening=scale))
    to_fermi = [value(coefficients(model, temperature=scale, broadening=f * scale)) - fermi for f in (1e-2, 1e-3)]
    to_lorentzian = [value(coefficients(model, temperature=f * scale, broadening=scale)) - lorentzian for f in (1e-2, 1e-3)]
    big = np.abs(to_fermi[0]) > 1e-9 * CHI0
    assert np.allclose(to_fermi[0][big] / to_fermi[1][big], 10, rtol=0.02)
    big = np.abs(to_lorentzian[0]) > 1e-9 * CHI0
    assert np.allclose(to_lorentzian[0][big] / to_lorentzian[1][big], 100, rtol=0.02)
    assert np.max(np.abs(to_fermi[1])) < 1e-2 * np.max(np.abs(fermi))


def _dirac_point_weight(mu, temperature, width):
    """n(-|mu|) - n(|mu|): (2/pi) Im psi(1/2 + (Gamma + i |mu|)/(2 pi T)) (scipy's digamma), at Gamma = 0
    tanh(|mu|/2T), at T = 0 (2/pi) arctan(|mu|/Gamma)."""
    if temperature == 0:
        return 2 / math.pi * math.atan(abs(mu) / width)
    return 2 / math.pi * digamma(0.5 + (width + 1j * abs(mu)) / (2 * math.pi * temperature)).imag


@pytest.mark.parametrize(
    "v, mu, temperature, width",
    [
        (1.0, 1.0, 0.1, 0.1),
        (1.0, -1.0, 0.2, 0.05),
        (0.7, 0.5, 0.02, 0.4),
        (1.3, 2.0, 1.0, 0.5),
        (1.0, 0.3, 0.1, 0.0),
        (1.0, 1.0, 0.0, 0.3),
    ],
)
def test_ti_chi_at_zero_gap_is_the_quantum_times_the_dirac_point_occupation_difference(v, mu, temperature, width):
    """Delta = 0, T > 0 or Gamma > 0: chi = sgn(mu)/(4 pi) [n(-|mu|) - n(|mu|)] and chi_II = 0.

    Witness: chi_I = -1/(4 pi) int dk d/dk F(k), F = int d eps/2pi 1/2 Tr[tau_z G] (paper 000, F^I =
    tau_z) is a boundary term: F(infinity) = 0 and at the Dirac point k = 0 the particle levels -mu and
    the hole levels +mu give F(0) = n(-mu) - n(mu); chi_II (F^II) vanishes at Delta = 0. The numerics
    integrate Eq. (6) with three resolvents over k instead.
    """
    result = coefficients(TISurface(v=v, mu=mu, delta=0.0), temperature=temperature, broadening=width)
    expected = math.copysign(CHI0, mu) * _dirac_point_weight(mu, temperature, width)
    assert result.chi == pytest.approx(expected, abs=max(result.error["chi"], 1e-14))
    assert result.parts["chi_II"] == pytest.approx(0.0, abs=1e-14)


def test_ti_zero_gap_chi_is_reduced_continuously_from_the_quantum_as_t_and_gamma_grow():
    """Along T = Gamma = s |mu|: chi(Delta = 0) -> e/(4 pi hbar) as s -> 0 (first order in Gamma: (2/pi)
    Gamma/|mu|), decreases monotonically, and a gap Delta << T, Gamma changes it only at O(Delta^2)."""
    steps = [1e-4, 1e-3, 1e-2, 0.05, 0.1, 0.3]
    values = [coefficients(TISurface(v=1.0, mu=1.0), temperature=s, broadening=s).chi / CHI0 for s in steps]
    assert np.all(np.diff(values) < 0) and values[-1] < 0.8
    assert 1 - values[0] == pytest.approx(2e-4 / math.pi, rel=1e-3)
    s = 0.01
    at_zero = coefficients(TISurface(v=1.0, mu=1.0), temperature=s, broadening=s).chi
    gapped = [coefficients(TISurface(v=1.0, mu=1.0, delta=d), temperature=s, broadening=s) for d in (1e-4, 5e-5)]
    shifts = [result.chi - at_zero for result in gapped]
    assert shifts[0] / shifts[1] == pytest.approx(4, rel=1e-3)
    assert abs(shifts[0]) < 1e-4 * CHI0


def test_rashba_chi_is_continuous_across_zero_gap_with_temperature_and_broadening():
    """Delta = 0 (mu > 0): chi = 0 for any particle-hole symmetric occupation (the Nambu blocks h and -h
    cancel); Delta << T, Gamma: chi = O(Delta^2) (ratio 4 on halving Delta), where the clean system jumps
    to -e/(4 pi hbar) (test_broadening_makes_rashba_chi_continuous_across_zero_gap)."""
    ratio = 1e-3
    model = _rashba(ratio, 0.0)
    scale = 1e-3 * model.spin_orbit_energy
    at_zero = coefficients(model, temperature=scale, broadening=scale)
    assert at_zero.chi == pytest.approx(0.0, abs=max(at_zero.error["chi"], 1e-12 * CHI0))
    near = [coefficients(_rashba(ratio, d), temperature=scale, broadening=scale).chi for d in (1e-5, 5e-6)]
    assert near[0] / near[1] == pytest.approx(4, rel=1e-3)
    assert abs(near[0]) < 1e-3 * CHI0


# ---------------------------------------------------------------- API


def test_api_validation_and_result():
    model = TISurface(v=1.0, mu=0.5, delta=0.1)
    with pytest.raises(ValueError, match="method"):
        coefficients(model, method="exact")
    with pytest.raises(ValueError, match="temperature"):
        coefficients(model, temperature=-1.0)
    with pytest.raises(ValueError, match="temperature"):
        coefficients(model, temperature=0.1, broadening=0.1, method="closed_form")
    with pytest.raises(ValueError, match="Dirac point"):
        coefficients(TISurface(v=1.0, mu=0.0, delta=0.0))
    with pytest.raises(ValueError, match="temperature"):
        coefficients(model, temperature=0.1, method="closed_form")
    with pytest.raises(ValueError, match="mu > 0"):
        coefficients(RashbaMetal(1.0, -0.01, 0.3, 0.1), method="closed_form")
    with pytest.raises(ValueError, match="model"):
        coefficients("TI")
    with pytest.raises(ValueError, match="band edge"):  # mu = -m v^2/2 exactly: zero Fermi velocity
        coefficients(RashbaMetal(mass=2.0, mu=-0.25, v=0.5, delta=0.0))
    result = coefficients(model, temperature=0.01)
    assert result.temperature == 0.01 and result.method == "numeric"
    assert result.settings["nodes"] > 0 and set(result.parts) == {"chi_I", "chi_II"}
    assert all(np.isfinite(list(result.error.values())))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.chi = 0.0
    dataset = result.to_dataset()
    assert float(dataset["chi"]) == result.chi
    # Dirac point at the Fermi level is fine once T > 0: particle-hole symmetry gives chi = 0
    assert coefficients(TISurface(v=1.0, mu=0.0), temperature=0.1).chi == pytest.approx(0.0, abs=1e-12)


def test_broadened_intraband_term_is_eq_15_up_to_the_band_bottom_tail():
    """Every resolvent broadened: g_orb_intra -> Eq. (15) (gamma = Gamma/E_soc); the Lorentzian tail beyond
    the band bottom, Gamma/(pi E_F), is what the quasiclassical E_F -> infinity adds."""
    for delta_ratio, gamma_ratio in ((0.0, 0.1), (0.3, 0.5), (1.0, 2.0)):
        model = _rashba(1e-3, delta_ratio)
        width = gamma_ratio * model.spin_orbit_energy
        numeric = coefficients(model, broadening=width).parts["g_orb_intra"]
        closed = coefficients(model, broadening=width, method="closed_form").parts["g_orb_intra"]
        unit = 1 / (4 * math.pi * model.fermi_velocity)
        assert numeric == pytest.approx(closed, abs=2 * width / (math.pi * model.fermi_energy) * unit + 1e-9 * unit)


def test_rashba_chi_jumps_by_two_quanta_at_the_band_touching_point():
    """Delta = 0: when mu crosses the Dirac point of the two helical bands at k = 0, chi changes by
    2 e/(4 pi hbar), as the paper's chi^SM = e/(4 pi hbar) sum_s nu_s sgn(mu_s) (after Eq. 11) predicts."""
    below = coefficients(RashbaMetal(1.0, -1e-7, 0.3, 0.0)).chi
    above = coefficients(RashbaMetal(1.0, 1e-7, 0.3, 0.0)).chi
    assert above - below == pytest.approx(2 * CHI0, rel=1e-5)


def test_tiny_gap_in_a_weakly_split_metal_keeps_full_accuracy():
    """E_soc/E_F = 1e-4, Delta/E_soc = 0.01 (Delta/E_F = 1e-6, panels ~1e-7 k_F wide): the deviation from
    Eq. (14) is the quasiclassical correction, which scales as (E_soc/E_F)^2 from E_soc/E_F = 1e-2."""
    deviations = []
    for ratio in (1e-2, 1e-4):
        model = _rashba(ratio, 0.01)
        closed = coefficients(model, method="closed_form").g_spin
        deviations.append((coefficients(model).g_spin - closed) / closed)
    assert deviations[1] == pytest.approx(deviations[0] * 1e-4, rel=0.02)
