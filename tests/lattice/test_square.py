"""SquareSystem: validation, real-space blocks vs Bloch Hamiltonians, and the 2D lattice vs the 1D supercell."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spincharge.lattice import RashbaLattice
from spincharge.lattice.model import PAULI
from spincharge.lattice.square import SquareSystem, TISurfaceLattice, real_space_blocks
from spincharge.textures import Grid, Texture

RASHBA = RashbaLattice(mass=0.5, mu=1.0, v=0.3, delta=0.2, spacing=1.0)
TI = TISurfaceLattice(v=1.0, mu=0.3, delta=0.1, spacing=1.0)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(v=0.0, mu=0.1, delta=0.1, spacing=1.0), "v"),
        (dict(v=1.0, mu=0.1, delta=-0.1, spacing=1.0), "delta"),
        (dict(v=1.0, mu=0.1, delta=0.1, spacing=0.0), "spacing"),
        (dict(v=1.0, mu=0.1, delta=0.1, spacing=1.0, wilson=-1.0), "wilson"),
        (dict(v=1.0, mu=2.5, delta=0.1, spacing=1.0), "mu"),  # |mu| >= 2 W = 2: the doublers' bands
        (dict(v=1.0, mu=math.nan, delta=0.1, spacing=1.0), "mu"),
    ],
)
def test_ti_lattice_rejects_bad_parameters(kwargs, name):
    with pytest.raises(ValueError, match=name):
        TISurfaceLattice(**kwargs)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(exchange_field=np.zeros((2, 4, 4))), "exchange_field"),
        (dict(exchange_field=np.full((3, 4, 4), np.nan)), "exchange_field"),
        (dict(exchange_field=np.zeros((3, 4, 2)), periodic=True), "nx"),
        (dict(exchange_field=np.zeros((3, 2, 4)), periodic=(False, True)), "ny"),
        (dict(exchange_field=np.zeros((3, 4, 4)), periodic="yes"), "periodic"),
        (dict(exchange_field=np.zeros((3, 4, 4)), vector_potential=np.zeros((2, 4, 3))), "vector_potential"),
    ],
)
def test_system_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        SquareSystem(RASHBA, **kwargs)


def test_system_rejects_other_models():
    with pytest.raises(ValueError, match="model"):
        SquareSystem(object(), np.zeros((3, 3, 3)))


@given(kx=st.floats(-math.pi, math.pi), ky=st.floats(-math.pi, math.pi))
@pytest.mark.parametrize("model", [RASHBA, TISurfaceLattice(v=0.7, mu=-0.2, delta=0.0, spacing=0.5, wilson=0.9)])
def test_blocks_rebuild_the_bloch_hamiltonian(model, kx, ky):
    """h_0 + sum_d (h_d e^{i k_d a} + h.c.) = h(k) of the model's own k-space formula."""
    h0, hx, hy = real_space_blocks(model)
    a = model.spacing
    bloch = h0 + sum(b * np.exp(1j * k * a) + b.conj().T * np.exp(-1j * k * a) for b, k in ((hx, kx), (hy, ky)))
    assert np.allclose(bloch, model.normal_hamiltonian(kx, ky), atol=1e-12)


def test_ti_lattice_has_one_dirac_cone():
    """E(k) = +-|d(k)|: zero only at Gamma, v|k| near it, +-2W at X and Y, +-4W at M (typed closed forms)."""
    model = TISurfaceLattice(v=1.0, mu=0.0, delta=0.0, spacing=1.0, wilson=0.8)
    k = np.linspace(-math.pi, math.pi, 121)
    kx, ky = np.meshgrid(k, k)
    energies = np.linalg.eigvalsh(model.normal_hamiltonian(kx, ky))
    small = np.abs(energies).min(axis=-1) < 0.1
    assert np.all(np.hypot(kx, ky)[small] < 0.11)  # one pocket, around Gamma
    for point, gap in (((math.pi, 0), 1.6), ((0, math.pi), 1.6), ((math.pi, math.pi), 3.2)):
        assert np.allclose(np.linalg.eigvalsh(model.normal_hamiltonian(*point)), [-gap, gap])
    q = 1e-3
    assert np.allclose(np.linalg.eigvalsh(model.normal_hamiltonian(q, 0.0)), [-q, q], rtol=1e-6)


def _x_texture(nx, seed):
    rng = np.random.default_rng(seed)
    return 0.3 * rng.normal(size=(3, nx)), 0.2 * rng.normal(size=nx)


def test_texture_along_x_gives_the_supercell_spectrum():
    """A periodic nx x ny lattice with M(x), A_y(x) has the spectrum of the 1D witness's supercell at the
    ny Bloch momenta k_y = 2 pi j / (ny a) (``RashbaLattice.supercell_bdg_hamiltonian``, separate code)."""
    nx, ny = 5, 4
    exchange, potential = _x_texture(nx, 3)
    lattice = RashbaLattice(mass=0.8, mu=1.1, v=0.6, delta=0.4, spacing=0.7)
    field = np.broadcast_to(exchange[:, None, :], (3, ny, nx))
    vector = np.zeros((2, ny, nx))
    vector[1] = potential[None, :]
    system = SquareSystem(lattice, field, periodic=True, vector_potential=vector)
    ky = 2 * math.pi * np.arange(ny) / (ny * lattice.spacing)
    supercell = lattice.supercell_bdg_hamiltonian(exchange, potential, np.zeros(ny), ky)
    expected = np.sort(np.linalg.eigvalsh(supercell).ravel())
    assert np.allclose(np.linalg.eigvalsh(system.bdg_hamiltonian().toarray()), expected, atol=1e-11)


def test_particle_hole_symmetry_with_a_texture():
    """C = tau_y sigma_y K: C H_BdG^* C^-1 = -H_BdG for any M(r), A(r) and both models."""
    rng = np.random.default_rng(5)
    for model in (RASHBA, TI):
        system = SquareSystem(
            model, 0.3 * rng.normal(size=(3, 3, 4)), periodic=(True, False), vector_potential=rng.normal(size=(2, 3, 4))
        )
        h = system.bdg_hamiltonian().toarray()
        c = np.kron(np.array([[0, -1j], [1j, 0]]), np.kron(np.eye(system.n_sites), PAULI[2]))
        assert np.allclose(c @ h.conj() @ c.conj().T, -h, atol=1e-13)
        assert np.allclose(h, h.conj().T)


def test_texture_is_read_at_the_lattice_sites():
    grid = Grid.square(9, 9.0, periodic=False)
    texture = Texture.gaussian_bubble(grid, width=2.0, amplitude=0.3)
    system = SquareSystem(RASHBA, texture)
    onsite = system.onsite_blocks()
    h0 = real_space_blocks(RASHBA)[0]
    assert np.allclose(onsite[:, 0, 0] - h0[0, 0], -texture.mz.ravel())  # -M . sigma, [iy, ix] order
    assert (system.nx, system.ny) == (9, 9)
