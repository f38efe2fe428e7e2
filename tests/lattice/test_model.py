"""RashbaLattice: validation, continuum limit of the Bloch Hamiltonian, supercell folding, Nambu symmetry."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spincharge.lattice import RashbaLattice
from spincharge.lattice.model import PAULI


def _continuum_bdg(mass, mu, v, delta, kx, ky):
    """tau_z [k^2/2m - mu + v (k_x sigma_y - k_y sigma_x)] + Delta tau_x: paper 000, Eq. (5), typed here."""
    tz, tx = np.diag([1.0, -1.0]), np.array([[0.0, 1.0], [1.0, 0.0]])
    h = (kx * kx + ky * ky) / (2 * mass) - mu
    normal = h * PAULI[0] + v * (kx * PAULI[2] - ky * PAULI[1])
    return np.kron(tz, normal) + delta * np.kron(tx, PAULI[0])


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(mass=0.0, mu=1.0, v=0.5, delta=0.1, spacing=0.5), "mass"),
        (dict(mass=1.0, mu=1.0, v=0.5, delta=0.1, spacing=-0.5), "spacing"),
        (dict(mass=1.0, mu=1.0, v=0.5, delta=0.1, spacing=math.inf), "spacing"),
        (dict(mass=1.0, mu=1.0, v=-0.5, delta=0.1, spacing=0.5), "v"),
        (dict(mass=1.0, mu=1.0, v=0.5, delta=-0.1, spacing=0.5), "delta"),
        (dict(mass=1.0, mu=0.0, v=0.5, delta=0.1, spacing=0.5), "mu"),
        (dict(mass=1.0, mu=20.0, v=0.5, delta=0.1, spacing=0.5), "mu"),  # 8 t = 16: above the band
        (dict(mass=1.0, mu=math.nan, v=0.5, delta=0.1, spacing=0.5), "mu"),
    ],
)
def test_invalid_parameters_raise_naming_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        RashbaLattice(**kwargs)


def test_frozen_and_scales():
    lattice = RashbaLattice(mass=2.0, mu=0.5, v=0.3, delta=0.1, spacing=0.25)
    with pytest.raises(dataclasses.FrozenInstanceError):
        lattice.mu = 1.0
    assert lattice.hopping == pytest.approx(1 / (2 * 2.0 * 0.25**2))
    assert lattice.fermi_wavenumber == pytest.approx(math.sqrt(2 * 2.0 * 0.5))
    assert lattice.continuum_parameters() == dict(mass=2.0, mu=0.5, v=0.3, delta=0.1)


@given(
    kx=st.floats(-1.5, 1.5), ky=st.floats(-1.5, 1.5), v=st.floats(0.0, 1.0), delta=st.floats(0.0, 1.0)
)
def test_bloch_hamiltonian_tends_to_eq5_as_a_squared(kx, ky, v, delta):
    """The lattice H_BdG(k) differs from the continuum Eq. (5) by O((k a)^2): halving a divides by ~4."""
    errors = []
    for a in (0.02, 0.01):
        lattice = RashbaLattice(mass=1.3, mu=0.7, v=v, delta=delta, spacing=a)
        errors.append(np.abs(lattice.bdg_hamiltonian(kx, ky) - _continuum_bdg(1.3, 0.7, v, delta, kx, ky)).max())
    k = max(abs(kx), abs(ky))
    # Taylor remainders: 2t(1 - cos ka) - k^2/2m <= k^4 a^2 / 24m per axis, |sin(ka)/a - k| <= k^3 a^2 / 6
    assert errors[0] <= 0.02**2 * (k**4 / (12 * 1.3) + 2 * v * k**3 / 6) * 1.01 + 1e-12
    assert errors[1] <= 0.26 * errors[0] + 1e-12


@given(
    n=st.integers(1, 5),
    kx=st.floats(-3.0, 3.0),
    ky=st.floats(-3.0, 3.0),
    v=st.floats(0.0, 1.5),
    delta=st.floats(0.0, 1.0),
)
def test_uniform_supercell_folds_the_bloch_bands(n, kx, ky, v, delta):
    """A texture-free supercell of n sites at Bloch k_x has the bands of the uniform lattice at
    k_x + 2 pi p / (n a), p = 0..n-1 (checks bonds, the Bloch phase and the Rashba signs in real space)."""
    lattice = RashbaLattice(mass=1.0, mu=1.0, v=v, delta=delta, spacing=0.5)
    h = lattice.supercell_bdg_hamiltonian(np.zeros((3, n)), np.zeros(n), [kx], [ky])[0]
    folded = kx + 2 * math.pi * np.arange(n) / (n * lattice.spacing)
    expected = np.sort(np.linalg.eigvalsh(lattice.bdg_hamiltonian(folded, np.full(n, ky))).ravel())
    np.testing.assert_allclose(np.linalg.eigvalsh(h), expected, atol=1e-10)


def test_particle_hole_symmetry_with_a_texture():
    """C = tau_y sigma_y K maps H_BdG(k) to -H_BdG(-k) for any M(x), A_y(x) (paper 000, Eq. 4 basis)."""
    rng = np.random.default_rng(3)
    n = 5
    lattice = RashbaLattice(mass=1.0, mu=1.2, v=0.6, delta=0.3, spacing=0.5)
    exchange, potential = rng.normal(size=(3, n)), rng.normal(size=n)
    h = lattice.supercell_bdg_hamiltonian(exchange, potential, [0.3], [0.7])[0]
    h_minus = lattice.supercell_bdg_hamiltonian(exchange, potential, [-0.3], [-0.7])[0]
    c = np.kron(np.kron(PAULI[2], np.eye(n)), PAULI[2])
    np.testing.assert_allclose(c @ np.conj(h) @ c, -h_minus, atol=1e-12)


def test_exchange_and_peierls_enter_as_in_eq4():
    """-M . sigma without tau_z (both Nambu blocks), A_y as k_y -> k_y + tau_z A_y on its column."""
    n = 3
    lattice = RashbaLattice(mass=1.0, mu=1.2, v=0.6, delta=0.3, spacing=0.5)
    exchange = np.zeros((3, n))
    exchange[:, 1] = (0.2, -0.1, 0.4)
    zero = np.zeros(n)
    change = lattice.supercell_bdg_hamiltonian(exchange, zero, [0.2], [0.4])[0] - (
        lattice.supercell_bdg_hamiltonian(np.zeros((3, n)), zero, [0.2], [0.4])[0]
    )
    projector = np.zeros((n, n))
    projector[1, 1] = 1.0
    m_sigma = np.einsum("a,ars->rs", exchange[:, 1], PAULI[1:])
    np.testing.assert_allclose(change, -np.kron(np.eye(2), np.kron(projector, m_sigma)), atol=1e-12)
    # a uniform A_y is a shift of k_y in the particle block and of -k_y in the hole block
    shifted = lattice.supercell_bdg_hamiltonian(np.zeros((3, n)), np.full(n, 0.3), [0.2], [0.4])[0]
    particle = lattice.supercell_bdg_hamiltonian(np.zeros((3, n)), zero, [0.2], [0.7])[0]
    hole = lattice.supercell_bdg_hamiltonian(np.zeros((3, n)), zero, [0.2], [0.1])[0]
    size = 2 * n
    np.testing.assert_allclose(shifted[:size, :size], particle[:size, :size], atol=1e-12)
    np.testing.assert_allclose(shifted[size:, size:], hole[size:, size:], atol=1e-12)
