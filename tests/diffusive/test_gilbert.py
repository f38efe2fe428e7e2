"""Gilbert damping tensor (paper 002, Eq. 17): ladder vs closed form, dissipation, m_z^2 dependence."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spincharge.diffusive.gilbert import gilbert_damping
from spincharge.models.dirac_ferromagnet import DiracFerromagnet


def _model(theta, alpha=0.001, exchange=0.5):
    return DiracFerromagnet(1.0, 1.0, exchange, (np.sin(theta), 0.0, np.cos(theta)), alpha)


def test_ladder_tensor_matches_closed_form():
    model = _model(np.pi / 4)
    ladder = gilbert_damping(model, source="ladder", exchange_area=0.3)
    closed = gilbert_damping(model, exchange_area=0.3)
    assert np.allclose(ladder.tensor, closed.tensor, rtol=0.02, atol=0.02 * abs(closed.tensor[0, 1]))


@given(theta=st.floats(0.0, np.pi), phi=st.floats(0, 2 * np.pi), rate=st.lists(st.floats(-1, 1), min_size=3, max_size=3))
def test_damping_dissipates(theta, phi, rate):
    """dE/dt = mdot . G mdot = -J A Delta sigma_0 |mdot_par|^2 / (2 pi v^2) <= 0 (see module docstring)."""
    m = np.array([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)])
    mdot = np.cross(m, rate)  # any rate tangent to the sphere
    damping = gilbert_damping(_model(0.3, alpha=0.01), exchange_area=0.2, m=m)
    power = mdot @ damping.tensor @ mdot
    assert power == pytest.approx(-damping.prefactor * damping.longitudinal * (mdot[0] ** 2 + mdot[1] ** 2), abs=1e-12)
    assert power <= 1e-15


@given(theta=st.floats(0.05, np.pi / 2 - 0.05))
def test_coefficients_depend_on_mz_squared(theta):
    up, down = (gilbert_damping(_model(t, alpha=0.01)) for t in (theta, np.pi - theta))
    mz = np.cos(theta)
    assert up.longitudinal == pytest.approx(down.longitudinal)
    assert up.hall / mz == pytest.approx(down.hall / -mz)


def test_vector_form_of_eq_17_and_in_plane_limit():
    """m x (G mdot) = -prefactor m x (sigma_0 mdot_par + (sigma_H/m_z) mdot_par x m_perp) (Eq. 17, our sign)."""
    m = np.array([0.6, 0.0, 0.8])
    damping = gilbert_damping(_model(0.0, alpha=0.01), m=m)
    mdot = np.cross(m, [0.2, -0.5, 0.4])
    mdot_par, m_perp = mdot * [1, 1, 0], m * [0, 0, 1]
    vector = -damping.prefactor * np.cross(
        m, damping.longitudinal * mdot_par + damping.hall / m[2] * np.cross(mdot_par, m_perp)
    )
    assert np.allclose(np.cross(m, damping.tensor @ mdot), vector)
    in_plane = gilbert_damping(_model(0.0, alpha=0.01), m=(1.0, 0.0, 0.0))
    assert in_plane.hall == 0.0


def test_sign_mismatch_is_rejected():
    with pytest.raises(ValueError, match="exchange_area"):
        gilbert_damping(_model(0.3), exchange_area=-1.0)
    with pytest.raises(ValueError, match="source"):
        gilbert_damping(_model(0.3), source="guess")
