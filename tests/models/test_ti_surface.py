"""TISurface (paper 000, Eq. 5 with m -> infinity): validation and the large-mass limit of RashbaMetal."""

import math

import numpy as np
import pytest

from spincharge.models import RashbaMetal, TISurface


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(v=0.0, mu=1.0), "v"),
        (dict(v=math.nan, mu=1.0), "v"),
        (dict(v=1.0, mu=math.inf), "mu"),
        (dict(v=1.0, mu=1.0, delta=-0.1), "delta"),
        (dict(v=1.0, mu=1.0, k_cutoff=0.5), "k_cutoff"),
        (dict(v=1.0, mu=1.0, k_cutoff=math.nan), "k_cutoff"),
    ],
)
def test_invalid_parameters_raise_naming_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        TISurface(**kwargs)


def test_is_the_infinite_mass_limit_of_the_rashba_metal():
    ti = TISurface(v=0.8, mu=-0.3, delta=0.2)
    rashba = RashbaMetal(mass=1e9, mu=-0.3, v=0.8, delta=0.2)
    k = np.linspace(-2, 2, 7)
    np.testing.assert_allclose(ti.hamiltonian(k, 0.5 * k), rashba.hamiltonian(k, 0.5 * k), atol=1e-8)
    np.testing.assert_allclose(ti.bands(k, 0.3), rashba.bands(k, 0.3), atol=1e-8)


def test_fermi_momentum_and_exact_eigensystem():
    ti = TISurface(v=2.0, mu=-0.6, delta=0.1, k_cutoff=5.0)
    assert ti.fermi_momenta() == pytest.approx((0.3,))
    assert ti.fermi_wavenumber == pytest.approx(0.3)
    assert ti.momentum_cutoff == 5.0
    k = np.linspace(0, 1, 5)
    energies, vectors = ti.eigensystem_on_axis(k)
    rebuilt = vectors @ (energies[..., None] * np.conj(np.swapaxes(vectors, -1, -2)))
    np.testing.assert_allclose(rebuilt, ti.hamiltonian(k, 0 * k), atol=1e-12)
    assert TISurface(1.0, 0.0).fermi_momenta() == ()
