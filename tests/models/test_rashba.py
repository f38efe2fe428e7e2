"""RashbaMetal (paper 000, Eq. 5): validation, Hamiltonian, exact eigensystem, vertices, bands."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spincharge.models import RashbaMetal
from spincharge.models.rashba import nambu_spin_matrix

finite = st.floats(-3.0, 3.0)
positive = st.floats(0.05, 3.0)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(mass=0.0, mu=1.0, v=0.1, delta=0.0), "mass"),
        (dict(mass=-1.0, mu=1.0, v=0.1, delta=0.0), "mass"),
        (dict(mass=math.inf, mu=1.0, v=0.1, delta=0.0), "mass"),
        (dict(mass=1.0, mu=math.nan, v=0.1, delta=0.0), "mu"),
        (dict(mass=1.0, mu=0.0, v=0.1, delta=0.0), "mu"),
        (dict(mass=1.0, mu=1.0, v=0.0, delta=0.0), "v"),
        (dict(mass=1.0, mu=1.0, v=-0.1, delta=0.0), "v"),
        (dict(mass=1.0, mu=1.0, v=0.1, delta=-1e-3), "delta"),
        (dict(mass=1.0, mu=1.0, v=0.1, delta=math.inf), "delta"),
    ],
)
def test_invalid_parameters_raise_naming_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        RashbaMetal(**kwargs)


def test_frozen_and_derived_scales():
    model = RashbaMetal(mass=2.0, mu=0.5, v=0.1, delta=0.01)
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.mu = 1.0
    assert model.fermi_wavenumber == pytest.approx(math.sqrt(2 * 2.0 * 0.5))
    assert model.fermi_velocity == pytest.approx(model.fermi_wavenumber / 2.0)
    assert model.spin_orbit_energy == pytest.approx(0.1 * model.fermi_wavenumber)


@given(mass=positive, mu=finite.filter(lambda x: abs(x) > 1e-3), v=positive, delta=st.floats(0, 2),
       kx=finite, ky=finite)
def test_hamiltonian_matches_eq5_and_bands(mass, mu, v, delta, kx, ky):
    model = RashbaMetal(mass, mu, v, delta)
    h = model.hamiltonian(kx, ky)
    tz, tx = nambu_spin_matrix("z", "0"), nambu_spin_matrix("x", "0")
    expected = tz @ (
        ((kx * kx + ky * ky) / (2 * mass) - mu) * np.eye(4)
        + v * (kx * nambu_spin_matrix("0", "y") - ky * nambu_spin_matrix("0", "x"))
    ) + delta * tx
    np.testing.assert_allclose(h, expected, atol=1e-12)
    np.testing.assert_allclose(np.linalg.eigvalsh(h), model.bands(kx, ky), atol=1e-10)


@given(mass=positive, mu=finite.filter(lambda x: abs(x) > 1e-3), v=positive, delta=st.floats(0, 2))
def test_exact_eigensystem_diagonalises_the_hamiltonian(mass, mu, v, delta):
    model = RashbaMetal(mass, mu, v, delta)
    k = np.linspace(0.0, 4.0, 9)
    energies, vectors = model.eigensystem_on_axis(k)
    h = model.hamiltonian(k, np.zeros_like(k))
    rebuilt = vectors @ (energies[..., None] * np.conj(np.swapaxes(vectors, -1, -2)))
    np.testing.assert_allclose(rebuilt, h, atol=1e-12 * (1 + np.abs(h).max()))
    np.testing.assert_allclose(np.conj(np.swapaxes(vectors, -1, -2)) @ vectors, np.broadcast_to(np.eye(4), h.shape), atol=1e-12)


@given(phi=st.floats(0, 2 * math.pi), k=st.floats(0.0, 3.0))
def test_rotation_covariance_used_for_the_angle_integral(phi, k):
    """H0(R_phi k) = U H0(k) U^dagger with U = exp(-i phi sigma_z / 2) (paper 000, Eq. S18)."""
    model = RashbaMetal(1.3, 0.8, 0.4, 0.3)
    u = np.cos(phi / 2) * np.eye(4) - 1j * np.sin(phi / 2) * nambu_spin_matrix("0", "z")
    rotated = model.hamiltonian(k * math.cos(phi), k * math.sin(phi))
    np.testing.assert_allclose(rotated, u @ model.hamiltonian(k, 0.0) @ u.conj().T, atol=1e-12)


def test_velocity_is_the_momentum_derivative():
    model = RashbaMetal(0.7, -0.2, 0.5, 0.1)
    kx, ky, h = 0.37, -0.81, 1e-6
    vx, vy = model.velocity(kx, ky)
    np.testing.assert_allclose(vx, (model.hamiltonian(kx + h, ky) - model.hamiltonian(kx - h, ky)) / (2 * h), atol=1e-8)
    np.testing.assert_allclose(vy, (model.hamiltonian(kx, ky + h) - model.hamiltonian(kx, ky - h)) / (2 * h), atol=1e-8)


@given(mass=positive, mu=finite.filter(lambda x: abs(x) > 1e-3), v=positive)
def test_fermi_momenta_are_zeros_of_the_helical_bands(mass, mu, v):
    model = RashbaMetal(mass, mu, v, 0.0)
    k = np.linspace(0, 5, 11)
    direct = np.stack([k * k / (2 * mass) - mu + s * v * k for s in (1, -1)], axis=-1)
    np.testing.assert_allclose(model.helical_bands(k), direct, atol=1e-12 * (1 + np.abs(direct).max()))
    roots = model.fermi_momenta()
    expected = 2 if mu > 0 else (2 if mu > -mass * v * v / 2 else 0)
    assert len(roots) == expected
    for k_f in roots:
        assert np.min(np.abs(model.helical_bands(k_f))) < 1e-12 * (1 + abs(mu))


def test_band_near_a_fermi_momentum_is_smooth_in_the_offset():
    """xi_s(k_F, offset) equals the exact band at k_F + offset (40 digits, same binary inputs) up to one
    common shift of the root by less than an ulp of k_F: smooth in the offset, unlike xi(k_F + offset)
    with the sum rounded, whose error varies from node to node."""
    import mpmath

    mpmath.mp.dps = 40
    model = RashbaMetal(mass=1.0, mu=1.0, v=1e-4, delta=0.0)
    offsets = np.array([1e-13, 3e-12, -5e-11, 7e-10, -2e-9, 4e-8])
    for k_f in model.fermi_momenta():
        band = int(np.argmin(np.abs(model.helical_bands(k_f))))
        s = (1, -1)[band]
        shifts = []
        for offset in offsets:
            q = mpmath.mpf(k_f) + mpmath.mpf(offset)
            exact = q * q / 2 - 1 + s * mpmath.mpf(1e-4) * q
            slope = q + s * mpmath.mpf(1e-4)
            shifts.append(float((mpmath.mpf(model.helical_bands(k_f, offset)[band]) - exact) / slope))
        ulp = np.spacing(k_f)
        assert max(abs(x) for x in shifts) < ulp
        assert max(shifts) - min(shifts) < 1e-3 * ulp
