import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import constants as sc

from spincharge.units import DIMENSIONS, SI_UNIT_NAMES, UnitSystem, e2_over_h

# Physically meaningful reference units (micro-eV to MeV, picometre to centimetre) and values whose SI
# images stay normal floats (a subnormal product loses digits and says nothing about the conversion).
energies = st.floats(min_value=1e-25, max_value=1e-13)
lengths = st.floats(min_value=1e-12, max_value=1e-2)
values = st.floats(min_value=1e-100, max_value=1e6) | st.floats(min_value=-1e6, max_value=-1e-100) | st.just(0.0)


@given(energy=energies, length=lengths, value=values, quantity=st.sampled_from(sorted(DIMENSIONS)))
def test_round_trip(energy, length, value, quantity):
    u = UnitSystem(energy, length)
    assert u.from_si(u.to_si(value, quantity), quantity) == pytest.approx(value, rel=1e-12, abs=1e-300)


def test_every_quantity_has_an_si_name():
    assert set(DIMENSIONS) == set(SI_UNIT_NAMES)


def test_conductance_unit_is_pi_conductance_quanta():
    # e^2/hbar = 2 pi e^2/h = pi G0 with G0 = 2 e^2/h (independent CODATA value)
    G0 = sc.physical_constants["conductance quantum"][0]
    assert UnitSystem(1.0, 1.0).scale("conductance") == pytest.approx(np.pi * G0, rel=1e-9)
    assert e2_over_h * UnitSystem(1.0, 1.0).scale("conductance") == pytest.approx(G0 / 2, rel=1e-9)


def test_magnetic_field_unit_is_flux_quantum_over_pi_area():
    # hbar/(e L0^2) = (h/2e) / (pi L0^2)
    phi0 = sc.physical_constants["mag. flux quantum"][0]
    u = UnitSystem.from_meV_nm(1.0, 25.0)
    assert u.to_si(1.0, "magnetic_field") * u.length_m**2 == pytest.approx(phi0 / np.pi, rel=1e-9)


def test_velocity_units_built_from_a_velocity():
    u = UnitSystem.from_velocity(energy_eV=0.1, velocity_m_s=5e5)
    assert u.to_si(1.0, "velocity") == pytest.approx(5e5, rel=1e-12)
    # time unit hbar/E0 for 0.1 eV: 6.582e-15 s (hbar in eV s from CODATA)
    hbar_eVs = sc.physical_constants["reduced Planck constant in eV s"][0]
    assert u.to_si(1.0, "time") == pytest.approx(hbar_eVs / 0.1, rel=1e-9)


@pytest.mark.parametrize("bad", [0.0, -1.0, np.inf, np.nan])
def test_invalid_reference_units_are_rejected(bad):
    with pytest.raises(ValueError, match="energy_J"):
        UnitSystem(bad, 1.0)
    with pytest.raises(ValueError, match="length_m"):
        UnitSystem(1.0, bad)


def test_unknown_quantity_names_the_allowed_ones():
    with pytest.raises(ValueError, match="quantity must be one of"):
        UnitSystem(1.0, 1.0).scale("furlong")
