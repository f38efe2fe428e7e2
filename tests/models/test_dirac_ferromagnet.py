"""DiracFerromagnet (paper 002, Eq. 2): validation, Hamiltonian, gauge shift of the in-plane exchange."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spincharge.models.dirac_ferromagnet import DiracFerromagnet

UNIT = (0.6, 0.0, 0.8)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(v=0.0), "v"),
        (dict(v=np.inf), "v"),
        (dict(fermi_energy=-1.0), "fermi_energy"),
        (dict(exchange=np.nan), "exchange"),
        (dict(disorder_alpha=0.0), "disorder_alpha"),
        (dict(disorder_alpha=1.5), "disorder_alpha"),
        (dict(m=(1.0, 0.0)), "m"),
        (dict(m=(1.0, 0.1, 0.0)), "m"),
        (dict(m=(0.0, 0.0, 0.0)), "m"),
    ],
)
def test_invalid_parameters_name_the_parameter(kwargs, name):
    params = dict(v=1.0, fermi_energy=1.0, exchange=0.3, m=UNIT, disorder_alpha=0.01) | kwargs
    with pytest.raises(ValueError, match=name):
        DiracFerromagnet(**params)


def test_exchange_z_and_fermi_momentum():
    model = DiracFerromagnet(2.0, 1.0, 0.5, UNIT, 0.01)
    assert model.exchange_z == pytest.approx(0.4)
    assert model.fermi_momentum == pytest.approx(np.sqrt(1 - 0.16) / 2)
    gapped = DiracFerromagnet(1.0, 0.3, 1.0, (0, 0, 1), 0.01)
    with pytest.raises(ValueError, match="fermi_energy"):
        gapped.fermi_momentum


@given(
    theta=st.floats(0, np.pi),
    phi=st.floats(0, 2 * np.pi),
    kx=st.floats(-3, 3),
    ky=st.floats(-3, 3),
)
def test_bands_are_eigenvalues_and_depend_on_m_only_through_gauge_shift(theta, phi, kx, ky):
    """Eigenvalues of H(k) = bands(k); in-plane m only shifts k (paper 002, text before Eq. 6)."""
    m = (np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta))
    model = DiracFerromagnet(1.3, 1.0, 0.7, m, 0.02)
    h = model.hamiltonian(kx, ky)
    assert np.allclose(h, h.conj().T)
    assert np.allclose(np.linalg.eigvalsh(h), model.bands(kx, ky), atol=1e-12)
    perpendicular = DiracFerromagnet(1.3, 1.0, model.exchange_z, (0.0, 0.0, 1.0), 0.02)
    k0 = model.gauge_shift
    assert np.allclose(h, perpendicular.hamiltonian(kx - k0[0], ky - k0[1]), atol=1e-12)


def test_normalisation_is_checked_not_imposed():
    nearly = (0.6, 0.0, 0.8 + 5e-10)
    model = DiracFerromagnet(1.0, 1.0, 0.3, nearly, 0.01)
    assert isinstance(model.m, tuple) and model.m[2] == 0.8 + 5e-10
