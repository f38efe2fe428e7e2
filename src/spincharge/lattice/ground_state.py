"""Free energy, current density and spin density of the lattice BdG state with a texture along x.

The grand potential of H = 1/2 sum_k Psi_k^dagger H_BdG(k) Psi_k + 1/2 sum_k Tr h(k) (``model``) is

    F = sum_k [ -T/2 sum_n ln(2 cosh(E_n(k) / 2T)) + 1/2 Tr h(k) ],     T = 0: -1/4 sum_n |E_n(k)|,

over the supercell Bloch momenta (k_x, k_y) on uniform grids symmetric under k -> -k (the 1/2 undoes the
Nambu double counting). Paper 000, Eq. (1) defines the densities as functional derivatives,

    S(r) = -dE / dM(r),    J(r) = -dE / dA(r),

and with the lattice couplings of ``model`` (-M(x_j) . sigma on site, Peierls k_y -> k_y + A_y(x_j) on
the y-bonds of column j), per unit area a^2 of a column (n_k = n_kx n_ky columns of the system):

    S_a(x_j) = -1/(n_k a^2) dF/dM_a(x_j) = 1/(n_k a^2) sum_k <c_j^dagger sigma_a c_j>_k,
    J_y(x_j) = -1/(n_k a^2) dF/dA_y(x_j) = -1/(n_k a^2) sum_k <c_j^dagger (dh/dk_y) c_j>_k,

the expectation values of the Pauli spin and of the (charge -e) current operator in the BdG state
(Hellmann-Feynman). For a normal-state bilinear sum_k c_k^dagger O(k) c_k,

    < sum_k c_k^dagger O(k) c_k > = 1/2 sum_k [ sum_n f(E_n) <n| O_BdG(k) |n> + Tr O(k) ],
    O_BdG(k) = [[O(k), 0], [0, -sigma_y O(-k)^* sigma_y]],

with f the Fermi function (theta(-E) at T = 0). For the spin, O_BdG = 1_tau sigma_a and Tr O = 0; for the
current vertex of column j, O = dh/dk_y = 2 t a sin(k a) - v cos(k a) sigma_x at k = k_y + A_y(x_j), the hole
block of O_BdG is dh/dk_y at k_y - A_y(x_j) (1_tau dh/dk_y at A = 0), and Tr O = 4 t a sin(k a) (which
sums to zero over a uniform k_y grid of two or more points; it is included). ``tests/lattice`` checks both
densities against central differences of F.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from threadpoolctl import threadpool_limits

from .model import PAULI, RashbaLattice, require_integer

__all__ = ["BlochGrid", "free_energy", "ground_state_densities"]


@dataclass(frozen=True)
class BlochGrid:
    """Uniform grids of supercell Bloch momenta: k_x = 2 pi l / (n_kx L), k_y = 2 pi j / (n_ky a).

    Both are closed under k -> -k (modulo reciprocal vectors). ``n_kx`` Bloch momenta across a supercell
    of length L make the supercell calculation that of an n_kx L periodic system; ``n_ky`` is the number
    of columns (sites along y).
    """

    n_kx: int
    n_ky: int

    def __post_init__(self):
        require_integer("n_kx", self.n_kx, 1)
        require_integer("n_ky", self.n_ky, 1)

    def momenta(self, lattice: RashbaLattice, n_cells: int):
        """(k_x, k_y), each of shape (n_kx * n_ky,), k_x slowest."""
        length = n_cells * lattice.spacing
        kx = 2 * math.pi * np.arange(self.n_kx) / (self.n_kx * length)
        ky = 2 * math.pi * np.arange(self.n_ky) / (self.n_ky * lattice.spacing)
        kx, ky = np.meshgrid(kx, ky, indexing="ij")
        return kx.ravel(), ky.ravel()


_BATCH_BYTES = 16e6  # Hamiltonian bytes per batch of k points


def _cores() -> int:
    """Cores this process may run on (the affinity mask where the platform has one)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _check_temperature(temperature: float) -> None:
    if not (math.isfinite(temperature) and temperature >= 0):
        raise ValueError(f"temperature must be finite and >= 0, got {temperature!r}")


def _check_fields(exchange_field, vector_potential_y):
    exchange_field = np.asarray(exchange_field, dtype=float)
    vector_potential_y = np.asarray(vector_potential_y, dtype=float)
    if exchange_field.ndim != 2 or exchange_field.shape[0] != 3 or not np.all(np.isfinite(exchange_field)):
        raise ValueError(f"exchange_field must be finite with shape (3, N), got shape {exchange_field.shape}")
    n_cells = exchange_field.shape[1]
    if vector_potential_y.shape != (n_cells,) or not np.all(np.isfinite(vector_potential_y)):
        raise ValueError(f"vector_potential_y must be finite with shape ({n_cells},), got {vector_potential_y.shape}")
    return exchange_field, vector_potential_y


def _spectrum(lattice, exchange_field, vector_potential_y, grid):
    exchange_field, vector_potential_y = _check_fields(exchange_field, vector_potential_y)
    kx, ky = grid.momenta(lattice, exchange_field.shape[1])
    hamiltonian = lattice.supercell_bdg_hamiltonian(exchange_field, vector_potential_y, kx, ky)
    return kx, ky, hamiltonian


def free_energy(
    lattice: RashbaLattice,
    exchange_field,
    vector_potential_y,
    grid: BlochGrid,
    temperature: float = 0.0,
) -> float:
    """Grand potential per area, F / (n_k N a^2), of the BdG state (formula in the module docstring)."""
    _check_temperature(temperature)
    kx, ky, hamiltonian = _spectrum(lattice, exchange_field, vector_potential_y, grid)
    energies = np.abs(np.linalg.eigvalsh(hamiltonian))
    quasiparticles = -0.25 * energies.sum()
    if temperature > 0:
        quasiparticles -= 0.5 * temperature * np.log1p(np.exp(-energies / temperature)).sum()
    n_cells = np.shape(exchange_field)[1]
    normal = lattice.supercell_normal_hamiltonian(exchange_field, vector_potential_y, kx, ky)
    trace = 0.5 * np.trace(normal, axis1=-2, axis2=-1).real.sum()
    return float((quasiparticles + trace) / (kx.size * n_cells * lattice.spacing**2))


def _fermi_function(energies, temperature: float):
    """Fermi function f(E) = 1 / (exp(E / T) + 1); theta(-E) at T = 0."""
    if temperature == 0:
        return (energies < 0).astype(float)
    return expit(-energies / temperature)


def ground_state_densities(
    lattice: RashbaLattice,
    exchange_field,
    vector_potential_y,
    grid: BlochGrid,
    temperature: float = 0.0,
    *,
    subgrid: bool = False,
):
    """Current density J_y(x_j), shape (N,), and spin density S_a(x_j), shape (3, N), of the BdG state.

    Expectation values of paper 000, Eq. (1) (module docstring). With ``subgrid=True`` also returns the
    same densities from every other k_y (and k_x, when n_kx is even): the k-sampling error estimate.
    """
    _check_temperature(temperature)
    if subgrid:
        require_integer("n_ky (for subgrid=True)", grid.n_ky, 2, even=True)
    exchange_field, vector_potential_y = _check_fields(exchange_field, vector_potential_y)
    n = exchange_field.shape[1]
    kx, ky = grid.momenta(lattice, n)
    current_terms = np.empty((kx.size, n))
    spin_terms = np.empty((kx.size, 3, n))
    shift = vector_potential_y[None, :]

    def store(index, density):
        spin_terms[index] = 0.5 * np.einsum("ktjsr,asr->kaj", density, PAULI[1:]).real
        # dH_BdG/dA_y(x_j): dh/dk_y at k_y + A_y in the particle block, at k_y - A_y in the hole block
        vertex = np.stack(
            [lattice.current_vertex_y(ky[index, None] + shift), lattice.current_vertex_y(ky[index, None] - shift)],
            axis=1,
        )
        # + Tr O(k) of the particle block (zero summed over k_y unless n_ky = 1; kept: exact for any grid)
        current_terms[index] = -0.5 * (
            np.einsum("ktjsr,ktjsr->kj", density, vertex) + np.trace(vertex[:, 0], axis1=-2, axis2=-1)
        ).real

    def solve(index: np.ndarray) -> None:
        hamiltonian = lattice.supercell_bdg_hamiltonian(exchange_field, vector_potential_y, kx[index], ky[index])
        if not hamiltonian.imag.any():  # k_x = 0 with M_y = 0: real symmetric, real eigh is ~5x cheaper
            hamiltonian = np.ascontiguousarray(hamiltonian.real)
        energies, vectors = np.linalg.eigh(hamiltonian)
        del hamiltonian
        weight = _fermi_function(energies, temperature)
        if temperature == 0:  # only the occupied half contributes (spectrum symmetric, ascending order)
            occupied = int((weight > 0).sum(axis=1).max())
            weight, vectors = weight[:, :occupied], vectors[..., :occupied]
        vectors = vectors.reshape(vectors.shape[0], 2, n, 2, -1)
        # site-diagonal one-body density of each Nambu block: D[k, t, j, s, r] = sum_n f U*_{tjs,n} U_{tjr,n}
        density = np.einsum("ktjsn,kn,ktjrn->ktjsr", np.conj(vectors), weight, vectors, optimize=True)
        store(index, density)
        # particle-hole symmetry H(-k) = -U H(k)^* U^dagger, U = tau_y sigma_y: the states of -k are
        # U psi^*(k) at -E with occupation 1 - f(E), so D(-k)[t] = sigma_y^* (1 - D(k)[1 - t])^T sigma_y^T
        paired = partner[index] != index
        if paired.any():
            holes = np.eye(2) - np.swapaxes(density[paired][:, ::-1], -1, -2)
            store(partner[index][paired], np.einsum("sa,ktjab,rb->ktjsr", np.conj(PAULI[2]), holes, PAULI[2]))

    # diagonalise one k of each pair (k, -k) only (indices modulo the grids)
    ix, iy = np.unravel_index(np.arange(kx.size), (grid.n_kx, grid.n_ky))
    partner = np.ravel_multi_index(((-ix) % grid.n_kx, (-iy) % grid.n_ky), (grid.n_kx, grid.n_ky))
    representatives = np.flatnonzero(np.arange(kx.size) <= partner)
    # k points in batches of about 16 MB of Hamiltonian (memory O(N^2), not O(n_k N^2)), one batch per core
    # at a time with single-threaded LAPACK: multithreaded LAPACK on these small matrices is slower on a busy
    # machine (25x measured at N = 300 with the other core loaded) and no faster on a quiet one
    batch = max(1, int(_BATCH_BYTES // (16 * (4 * n) ** 2)))
    parts = [representatives[start : start + batch] for start in range(0, representatives.size, batch)]
    workers = min(len(parts), _cores())
    with threadpool_limits(limits=1, user_api="blas"):
        if workers == 1:
            for part in parts:
                solve(part)
        else:
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(solve, parts))  # list(): re-raise a worker's exception here
    area = lattice.spacing**2

    def reduce(mask):
        count = mask.sum()
        return current_terms[mask].sum(axis=0) / (count * area), spin_terms[mask].sum(axis=0) / (count * area)

    full = reduce(np.ones(kx.size, dtype=bool))
    if not subgrid:
        return full
    keep = (iy % 2 == 0) & ((ix % 2 == 0) if grid.n_kx % 2 == 0 else True)
    return full, reduce(keep)
