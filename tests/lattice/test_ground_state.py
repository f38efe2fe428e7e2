"""Lattice BdG densities: Hellmann-Feynman vs finite differences of F, symmetries, and textbook limits."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import expit

from spincharge.lattice import BlochGrid, RashbaLattice, free_energy, ground_state_densities


def _lattice_dispersion(lattice, kx, ky):
    """xi(k) = 2t(2 - cos k_x a - cos k_y a) - mu, typed here."""
    a, t = lattice.spacing, 1 / (2 * lattice.mass * lattice.spacing**2)
    return 2 * t * (2 - np.cos(kx * a) - np.cos(ky * a)) - lattice.mu


def _all_momenta(lattice, n_cells, grid):
    """Every lattice momentum of the n_kx n_cells x n_ky periodic system the supercell grid represents."""
    a = lattice.spacing
    kx = 2 * math.pi * np.arange(grid.n_kx * n_cells) / (grid.n_kx * n_cells * a)
    ky = 2 * math.pi * np.arange(grid.n_ky) / (grid.n_ky * a)
    return np.meshgrid(kx, ky, indexing="ij")


@pytest.mark.parametrize("temperature, grid", [(0.0, BlochGrid(2, 6)), (0.15, BlochGrid(2, 6)), (0.0, BlochGrid(3, 1))])
def test_densities_are_derivatives_of_the_free_energy_eq1(temperature, grid):
    """S = -dF/dM and J = -dF/dA (paper 000, Eq. 1) by central differences, at a random M(x), A_y(x)
    (also with a single k_y, where the Tr O(k) term of the current does not cancel)."""
    rng = np.random.default_rng(7)
    n = 6
    lattice = RashbaLattice(mass=1.0, mu=1.0, v=0.6, delta=0.4, spacing=0.5)
    exchange, potential = 0.2 * rng.normal(size=(3, n)), 0.1 * rng.normal(size=n)
    current, spin = ground_state_densities(lattice, exchange, potential, grid, temperature)
    step = 1e-5

    def derivative(shift_m=None, shift_a=None):
        values = []
        for sign in (1, -1):
            m, p = exchange.copy(), potential.copy()
            if shift_m is not None:
                m[shift_m] += sign * step
            if shift_a is not None:
                p[shift_a] += sign * step
            values.append(free_energy(lattice, m, p, grid, temperature))
        return -n * (values[0] - values[1]) / (2 * step)  # F is per area; a column is 1/n of it

    for j in (0, 3):
        assert derivative(shift_a=j) == pytest.approx(current[j], abs=1e-7)
        for component in range(3):
            assert derivative(shift_m=(component, j)) == pytest.approx(spin[component, j], abs=1e-7)


@pytest.mark.parametrize("temperature", [0.0, 0.15])
def test_real_hamiltonian_in_threaded_batches_matches_free_energy_derivatives(temperature, monkeypatch):
    """The real-symmetric path (k_x = 0, M in the x-z plane, A = 0: H_BdG real), split into one-k batches
    run on the thread pool, still gives S = -dF/dM and J = -dF/dA (F from eigvalsh of the full complex H)."""
    from spincharge.lattice import ground_state

    monkeypatch.setattr(ground_state, "_BATCH_BYTES", 1.0)  # one k point per batch
    rng = np.random.default_rng(3)
    n, grid = 5, BlochGrid(1, 6)
    lattice = RashbaLattice(mass=1.0, mu=1.0, v=0.6, delta=0.4, spacing=0.5)
    exchange = np.zeros((3, n))
    exchange[[0, 2]] = 0.2 * rng.normal(size=(2, n))
    potential = np.zeros(n)
    hamiltonian = lattice.supercell_bdg_hamiltonian(exchange, potential, *grid.momenta(lattice, n))
    assert not hamiltonian.imag.any()
    current, spin = ground_state_densities(lattice, exchange, potential, grid, temperature)
    step = 1e-5
    for j in (0, 2):
        values = []
        for sign in (1, -1):
            p = potential.copy()
            p[j] += sign * step
            values.append(free_energy(lattice, exchange, p, grid, temperature))
        assert -n * (values[0] - values[1]) / (2 * step) == pytest.approx(current[j], abs=1e-7)
        for component in (0, 2):
            values = []
            for sign in (1, -1):
                m = exchange.copy()
                m[component, j] += sign * step
                values.append(free_energy(lattice, m, potential, grid, temperature))
            assert -n * (values[0] - values[1]) / (2 * step) == pytest.approx(spin[component, j], abs=1e-7)


@given(
    mu=st.floats(0.2, 6.0),
    v=st.floats(0.0, 1.5),
    delta=st.floats(0.0, 1.0),
    temperature=st.floats(0.05, 0.5),
    seed=st.integers(0, 2**16),
)
def test_hellmann_feynman_holds_for_all_parameters(mu, v, delta, temperature, seed):
    """For every lattice and T > 0 (F smooth), J_y(x_j) = -dF/dA_y(x_j) and S_a(x_j) = -dF/dM_a(x_j)."""
    rng = np.random.default_rng(seed)
    n, grid, step = 3, BlochGrid(2, 4), 1e-5
    lattice = RashbaLattice(mass=1.0, mu=mu, v=v, delta=delta, spacing=0.5)
    exchange, potential = 0.3 * rng.normal(size=(3, n)), 0.2 * rng.normal(size=n)
    current, spin = ground_state_densities(lattice, exchange, potential, grid, temperature)
    j, component = rng.integers(n), rng.integers(3)
    shift_m, shift_a = np.zeros((3, n)), np.zeros(n)
    shift_m[component, j], shift_a[j] = step, step
    for shift, expected in (((shift_m, 0), spin[component, j]), ((0, shift_a), current[j])):
        plus = free_energy(lattice, exchange + shift[0], potential + shift[1], grid, temperature)
        minus = free_energy(lattice, exchange - shift[0], potential - shift[1], grid, temperature)
        assert -n * (plus - minus) / (2 * step) == pytest.approx(expected, abs=1e-6)


def test_densities_are_odd_under_time_reversal():
    """H0 and the s-wave gap are time-reversal invariant: M -> -M gives J -> -J and S -> -S exactly."""
    rng = np.random.default_rng(11)
    n = 7
    lattice = RashbaLattice(mass=1.0, mu=1.3, v=0.8, delta=0.5, spacing=0.5)
    exchange = 0.3 * rng.normal(size=(3, n))
    grid = BlochGrid(1, 8)
    plus = ground_state_densities(lattice, exchange, np.zeros(n), grid)
    minus = ground_state_densities(lattice, -exchange, np.zeros(n), grid)
    np.testing.assert_allclose(minus[0], -plus[0], atol=1e-12)
    np.testing.assert_allclose(minus[1], -plus[1], atol=1e-12)
    assert np.abs(plus[0]).max() > 1e-3 and np.abs(plus[1]).max() > 1e-3


@pytest.mark.parametrize("temperature", [0.0, 0.2])
def test_normal_metal_spin_density_counts_zeeman_split_occupations(temperature):
    """Delta = v = 0, uniform M_z: S_z = (1/area) sum_k [f(xi_k - M_z) - f(xi_k + M_z)] (electrons feel
    -M_z sigma_z, so spin up is lowered): checks the sign of the exchange, the Nambu 1/2 and the 1/a^2."""
    lattice = RashbaLattice(mass=1.0, mu=1.0, v=0.0, delta=0.0, spacing=0.5)
    n, grid, mz = 4, BlochGrid(6, 24), 0.437
    exchange = np.zeros((3, n))
    exchange[2] = mz
    _, spin = ground_state_densities(lattice, exchange, np.zeros(n), grid, temperature)
    xi = _lattice_dispersion(lattice, *_all_momenta(lattice, n, grid))
    occupation = (lambda e: (e < 0).astype(float)) if temperature == 0 else (lambda e: expit(-e / temperature))
    expected = (occupation(xi - mz) - occupation(xi + mz)).sum() / (xi.size * lattice.spacing**2)
    assert expected > 0.05  # about m M_z / pi = 0.14 in the continuum
    np.testing.assert_allclose(spin[2], expected, rtol=1e-10)
    np.testing.assert_allclose(spin[:2], 0.0, atol=1e-12)


def test_bcs_singlet_is_not_polarised_below_the_gap():
    """v = 0, Delta > |M_z|, T = 0: the BCS ground state is a spin singlet, S_z = 0 (the exchange field
    only shifts the quasiparticle energies by -+M_z, none of which crosses zero)."""
    lattice = RashbaLattice(mass=1.0, mu=1.0, v=0.0, delta=0.3, spacing=0.5)
    n = 4
    exchange = np.zeros((3, n))
    exchange[2] = 0.2
    _, spin = ground_state_densities(lattice, exchange, np.zeros(n), BlochGrid(2, 8))
    np.testing.assert_allclose(spin, 0.0, atol=1e-12)


def test_uniform_vector_potential_gives_the_bcs_london_current():
    """v = 0, Delta > 0, T = 0, uniform A_y: the BCS state of the pair energy
    eps_k = [xi(k + A) + xi(-k + A)] / 2 (the odd part shifts both quasiparticles alike) carries
    J_y = -(2 / area) sum_k v_k^2 d xi(k + A)/dk_y, v_k^2 = (1 - eps_k / E_k) / 2: a diamagnetic current
    (J_y A_y < 0), charge -e. Checks the Peierls sign, tau_z A and the current's normalisation."""
    lattice = RashbaLattice(mass=1.0, mu=1.0, v=0.0, delta=0.4, spacing=0.5)
    n, grid, potential = 3, BlochGrid(4, 16), 0.05
    current, _ = ground_state_densities(lattice, np.zeros((3, n)), np.full(n, potential), grid)
    kx, ky = _all_momenta(lattice, n, grid)
    pair = 0.5 * (_lattice_dispersion(lattice, kx, ky + potential) + _lattice_dispersion(lattice, -kx, -ky + potential))
    v2 = 0.5 * (1 - pair / np.hypot(pair, lattice.delta))
    a, t = lattice.spacing, lattice.hopping
    velocity = 2 * t * a * np.sin((ky + potential) * a)
    expected = -2 * (v2 * velocity).sum() / (kx.size * a**2)
    assert expected < 0
    np.testing.assert_allclose(current, expected, rtol=1e-10)


def test_no_texture_no_response():
    lattice = RashbaLattice(mass=1.0, mu=1.0, v=0.7, delta=0.3, spacing=0.5)
    current, spin = ground_state_densities(lattice, np.zeros((3, 5)), np.zeros(5), BlochGrid(2, 8))
    np.testing.assert_allclose(current, 0.0, atol=1e-12)
    np.testing.assert_allclose(spin, 0.0, atol=1e-12)


@pytest.mark.parametrize(
    "kwargs, name",
    [(dict(temperature=-0.1), "temperature"), (dict(temperature=math.nan), "temperature")],
)
def test_invalid_temperature(kwargs, name):
    lattice = RashbaLattice(mass=1.0, mu=1.0, v=0.7, delta=0.3, spacing=0.5)
    with pytest.raises(ValueError, match=name):
        ground_state_densities(lattice, np.zeros((3, 4)), np.zeros(4), BlochGrid(1, 4), **kwargs)


@pytest.mark.parametrize("kwargs, name", [(dict(n_kx=0, n_ky=4), "n_kx"), (dict(n_kx=1, n_ky=2.5), "n_ky")])
def test_invalid_grid(kwargs, name):
    with pytest.raises(ValueError, match=name):
        BlochGrid(**kwargs)


@pytest.mark.parametrize(
    "exchange, potential, name",
    [
        (np.zeros((2, 4)), np.zeros(4), "exchange_field"),
        (np.full((3, 4), np.nan), np.zeros(4), "exchange_field"),
        (np.zeros((3, 4)), np.zeros(5), "vector_potential_y"),
    ],
)
def test_invalid_fields(exchange, potential, name):
    lattice = RashbaLattice(mass=1.0, mu=1.0, v=0.7, delta=0.3, spacing=0.5)
    with pytest.raises(ValueError, match=name):
        ground_state_densities(lattice, exchange, potential, BlochGrid(1, 4))
    with pytest.raises(ValueError, match=name):
        free_energy(lattice, exchange, potential, BlochGrid(1, 4))


def test_subgrid_needs_an_even_number_of_ky():
    lattice = RashbaLattice(mass=1.0, mu=1.0, v=0.7, delta=0.3, spacing=0.5)
    with pytest.raises(ValueError, match="n_ky"):
        ground_state_densities(lattice, np.zeros((3, 4)), np.zeros(4), BlochGrid(1, 5), subgrid=True)
