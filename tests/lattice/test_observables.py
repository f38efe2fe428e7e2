"""Densities and bond currents: exact diagonalisation vs a many-body Fock-space trace, the operator
continuity equation, time reversal, and the 1D witness's supercell densities."""

import math

import numpy as np
import pytest
import scipy.linalg as sla

from spincharge.lattice import BlochGrid, RashbaLattice, ground_state_densities
from spincharge.lattice.model import PAULI
from spincharge.lattice.observables import exact_observables, plot_currents_and_spins
from spincharge.lattice.square import SquareSystem, TISurfaceLattice


def _fock_operators(modes):
    """Jordan-Wigner annihilators c_m, dense 2^modes x 2^modes."""
    a = np.array([[0.0, 1.0], [0.0, 0.0]])
    z = np.diag([1.0, -1.0])
    ops = []
    for m in range(modes):
        factors = [z] * m + [a] + [np.eye(2)] * (modes - m - 1)
        op = factors[0]
        for f in factors[1:]:
            op = np.kron(op, f)
        ops.append(op)
    return ops


class _Fock:
    """H = sum c^dag h c + Delta sum_r (c^dag_up c^dag_dn + h.c.) in Fock space, and its local operators."""

    def __init__(self, system):
        self.system = system
        self.c = _fock_operators(2 * system.n_sites)
        self.cd = [op.T.conj() for op in self.c]
        h = system.normal_hamiltonian().toarray()
        delta = system.model.delta
        self.hamiltonian = sum(self.cd[a] @ self.c[b] * h[a, b] for a in range(h.shape[0]) for b in range(h.shape[0]))
        for r in range(system.n_sites):
            pair = self.cd[2 * r] @ self.cd[2 * r + 1]
            self.hamiltonian = self.hamiltonian + delta * (pair + pair.T.conj())

    def bilinear(self, rows, cols, block):
        return sum(self.cd[rows[i]] @ self.c[cols[j]] * block[i, j] for i in range(2) for j in range(2))

    def number(self, r):
        return self.bilinear([2 * r, 2 * r + 1], [2 * r, 2 * r + 1], np.eye(2))

    def spin(self, r, a):
        return self.bilinear([2 * r, 2 * r + 1], [2 * r, 2 * r + 1], PAULI[1 + a])

    def bond_current(self, r, s, block):
        """I_{r -> s} = i (c_r^dag h_rs c_s - h.c.)."""
        forward = self.bilinear([2 * r, 2 * r + 1], [2 * s, 2 * s + 1], block)
        return 1j * (forward - forward.T.conj())

    def pairing_source(self, r):
        """s_r = -2 i Delta (c^dag_up c^dag_dn - c_dn c_up)."""
        pair = self.cd[2 * r] @ self.cd[2 * r + 1]
        return -2j * self.system.model.delta * (pair - pair.T.conj())


def _small_system(model, seed=11, shape=(2, 2), periodic=False):
    rng = np.random.default_rng(seed)
    ny, nx = shape
    return SquareSystem(
        model, 0.4 * rng.normal(size=(3, ny, nx)), periodic=periodic, vector_potential=0.5 * rng.normal(size=(2, ny, nx))
    )


MODELS = [
    RashbaLattice(mass=0.5, mu=1.3, v=0.6, delta=0.5, spacing=1.0),
    TISurfaceLattice(v=1.0, mu=0.2, delta=0.4, spacing=1.0, wilson=0.7),
]


@pytest.mark.parametrize("model", MODELS)
def test_continuity_equation_holds_as_an_operator_identity(model):
    """i [H, n_r] = -sum_r' I_{r r'} + s_r in Fock space, with the bond blocks the observables use."""
    system = _small_system(model)
    fock = _Fock(system)
    divergence = [0.0] * system.n_sites
    for axis in (0, 1):
        for (r, s), block in zip(zip(*system.bonds(axis)), system.bond_blocks(axis)):
            current = fock.bond_current(r, s, block)
            divergence[r] = divergence[r] + current
            divergence[s] = divergence[s] - current
    for r in range(system.n_sites):
        n = fock.number(r)
        lhs = 1j * (fock.hamiltonian @ n - n @ fock.hamiltonian)
        assert np.abs(lhs - (-divergence[r] + fock.pairing_source(r))).max() < 1e-12


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("temperature", [0.0, 0.25])
def test_bdg_densities_and_currents_equal_the_many_body_trace(model, temperature):
    """The BdG reading (particle block of f(H_BdG), no double counting) = the grand-canonical Fock trace."""
    system = _small_system(model)
    fock = _Fock(system)
    energies, states = np.linalg.eigh(fock.hamiltonian)
    if temperature == 0:
        assert energies[1] - energies[0] > 1e-6  # a unique ground state
        weights = np.zeros_like(energies)
        weights[0] = 1.0
    else:
        weights = np.exp(-(energies - energies[0]) / temperature)
        weights /= weights.sum()
    rho = (states * weights) @ states.conj().T

    def average(op):
        return np.trace(rho @ op).real

    result = exact_observables(system, temperature)
    a2 = system.model.spacing**2
    for r in range(system.n_sites):
        iy, ix = divmod(r, system.nx)
        assert result.density[iy, ix] == pytest.approx(average(fock.number(r)) / a2, abs=1e-10)
        for a in range(3):
            assert result.spin[a, iy, ix] == pytest.approx(average(fock.spin(r, a)) / a2, abs=1e-10)
        assert result.pairing_source[iy, ix] == pytest.approx(average(fock.pairing_source(r)), abs=1e-10)
    for axis, current in ((0, result.current_x), (1, result.current_y)):
        for (r, s), block in zip(zip(*system.bonds(axis)), system.bond_blocks(axis)):
            iy, ix = divmod(r, system.nx)
            charge_per_length = -average(fock.bond_current(r, s, block)) / system.model.spacing
            assert current[iy, ix] == pytest.approx(charge_per_length, abs=1e-10)
    assert result.continuity_residual < 1e-12


def test_time_reversal_flips_currents_and_spins():
    """M -> -M (and A -> -A) maps the state to its time-reversed partner: J, S -> -J, -S, n unchanged."""
    rng = np.random.default_rng(2)
    model = MODELS[0]
    field, potential = 0.3 * rng.normal(size=(3, 4, 5)), 0.3 * rng.normal(size=(2, 4, 5))
    plus = exact_observables(SquareSystem(model, field, vector_potential=potential), 0.1)
    minus = exact_observables(SquareSystem(model, -field, vector_potential=-potential), 0.1)
    assert np.allclose(minus.current_x, -plus.current_x, atol=1e-12)
    assert np.allclose(minus.current_y, -plus.current_y, atol=1e-12)
    assert np.allclose(minus.spin, -plus.spin, atol=1e-12)
    assert np.allclose(minus.density, plus.density, atol=1e-12)
    assert np.abs(plus.current_x).max() > 1e-3


@pytest.mark.parametrize("temperature", [0.0, 0.2])
def test_texture_along_x_reproduces_the_supercell_densities(temperature):
    """2D periodic lattice with M(x), A_y(x) = the 1D witness (``ground_state_densities``, Bloch sums over
    the ny momenta k_y): J_y(x_j), S(x_j) to rounding. (J_x(x) need not vanish: with non-self-consistent
    pairing its divergence is the pairing source, which the continuity residual checks.)"""
    nx, ny = 8, 6
    rng = np.random.default_rng(4)
    lattice = RashbaLattice(mass=0.7, mu=1.2, v=0.5, delta=0.3, spacing=0.8)
    exchange, potential = 0.3 * rng.normal(size=(3, nx)), 0.2 * rng.normal(size=nx)
    vector = np.zeros((2, ny, nx))
    vector[1] = potential
    system = SquareSystem(lattice, np.broadcast_to(exchange[:, None], (3, ny, nx)), periodic=True, vector_potential=vector)
    result = exact_observables(system, temperature)
    current, spin = ground_state_densities(lattice, exchange, potential, BlochGrid(1, ny), temperature)
    assert np.allclose(result.current_y, current[None, :], atol=1e-11)
    assert np.allclose(result.spin, spin[:, None, :], atol=1e-11)
    assert np.allclose(result.current_x, result.current_x[:1], atol=1e-12)  # translation along y
    assert result.continuity_residual < 1e-12
    assert np.abs(current).max() > 1e-3


def test_exact_diagonalisation_refuses_large_systems():
    with pytest.raises(ValueError, match="exact_observables"):
        exact_observables(SquareSystem(MODELS[0], np.zeros((3, 50, 50))))


def test_plot_returns_a_figure():
    import matplotlib

    matplotlib.use("Agg")
    system = _small_system(MODELS[0], shape=(4, 4))
    fig = plot_currents_and_spins(exact_observables(system, 0.1), system, stride=1)
    assert len(fig.axes) == 2
    assert fig.axes[0].get_xlabel() == "x (L0)" and fig.axes[1].get_ylabel() == "$M_z$ (E0)"
    matplotlib.pyplot.close(fig)
