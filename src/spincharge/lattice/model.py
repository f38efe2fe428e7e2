"""Square-lattice discretisation of the Rashba superconductor of paper 000, Eq. (5), with textures.

Lattice spacing a, hopping t = 1 / (2 m a^2), hbar = e = 1. The normal-state Bloch Hamiltonian is

    h(k) = xi(k) + (v / a) (sin(k_x a) sigma_y - sin(k_y a) sigma_x),
    xi(k) = 2 t (2 - cos(k_x a) - cos(k_y a)) - mu,

which tends to k^2 / 2m - mu + v (k_x sigma_y - k_y sigma_x) of paper 000, Eq. (5) for k a -> 0 (band
bottom at xi = -mu, as in the continuum). In real space: on-site 4t - mu, hopping h_{r, r+a e} = -t
along both axes, Rashba h_{r, r+a x} = -i v sigma_y / 2a and h_{r, r+a y} = +i v sigma_x / 2a (and their
Hermitian conjugates).

Textures depend on x only: a supercell of ``n_cells`` sites x_j = j a along x (length L = n_cells a)
with Bloch momentum k_x in [0, 2 pi / L) across the supercell and k_y in [0, 2 pi / a). In it

* the exchange field enters on site, -M(x_j) . sigma (paper 000, Eq. 4);
* the vector potential A_y(x_j) enters by the Peierls substitution on the y-bonds of column j,
  k_y -> k_y + e A_y(x_j): the lattice form of the minimal coupling p -> p + e A of electrons (charge -e,
  paper 000 after Eq. 4; the tau_z of pi = p + e tau_z A is the hole block's k_y -> k_y - e A_y).

Nambu basis of paper 000, Eq. (4): Psi_k = (c_{k up}, c_{k down}, c^dagger_{-k down}, -c^dagger_{-k up}),
i.e. the hole block is built on i sigma_y c^dagger_{-k}. Writing sum_k c_k^dagger h(k) c_k =
1/2 sum_k Psi_k^dagger H_BdG(k) Psi_k + 1/2 sum_k Tr h(k) gives

    H_BdG(k) = [[ h(k),  Delta ], [ Delta, -sigma_y h(-k)^* sigma_y ]],

the hole block following from the particle block for any texture. For the uniform lattice this is
tau_z h(k) + Delta tau_x (h is time-reversal symmetric, sigma_y h(-k)^* sigma_y = h(k)), and the exchange
term stays 1_tau (-M . sigma): sigma_y sigma^* sigma_y = -sigma, so the Nambu doubling does not put a
tau_z on M (the form of paper 000, Eq. 4). Matrices are ordered (Nambu, site, spin): index
2 N tau + 2 j + s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["RashbaLattice", "PAULI", "require_integer"]

PAULI = np.array(
    [
        [[1, 0], [0, 1]],
        [[0, 1], [1, 0]],
        [[0, -1j], [1j, 0]],
        [[1, 0], [0, -1]],
    ],
    dtype=complex,
)  # sigma_0, sigma_x, sigma_y, sigma_z


def _require(name: str, value: float, ok: bool, allowed: str) -> None:
    if not (math.isfinite(value) and ok):
        raise ValueError(f"{name} must be {allowed}, got {value!r}")


def require_integer(name: str, value, minimum: int, even: bool = False) -> None:
    """ValueError naming ``name`` unless ``value`` is an integer >= ``minimum`` (and even, if asked)."""
    ok = isinstance(value, (int, np.integer)) and value >= minimum and (not even or value % 2 == 0)
    if not ok:
        kind = "an even integer" if even else "an integer"
        raise ValueError(f"{name} must be {kind} >= {minimum}, got {value!r}")


@dataclass(frozen=True)
class RashbaLattice:
    """Square-lattice Rashba superconductor: paper 000, Eq. (5) on a lattice of spacing a (hbar = e = 1).

    Parameters
    ----------
    mass : float
        Effective mass m > 0 of the continuum limit; hopping t = 1 / (2 m a^2).
    mu : float
        Chemical potential measured from the band bottom, finite, 0 < mu < 8 t (inside the band).
    v : float
        Rashba velocity v >= 0 (lattice form (v / a) sin(k a)); paper 000 takes v > 0, v = 0 is plain BCS.
    delta : float
        s-wave pairing gap Delta >= 0 (non-self-consistent, as in paper 000).
    spacing : float
        Lattice spacing a > 0. The continuum of paper 000 is k_F a -> 0.
    """

    mass: float
    mu: float
    v: float
    delta: float
    spacing: float

    def __post_init__(self):
        _require("mass", self.mass, self.mass > 0, "finite and > 0")
        _require("spacing", self.spacing, self.spacing > 0, "finite and > 0")
        _require("v", self.v, self.v >= 0, "finite and >= 0")
        _require("delta", self.delta, self.delta >= 0, "finite and >= 0")
        _require("mu", self.mu, 0 < self.mu < 8 * self.hopping, f"inside the band, 0 < mu < 8 t = {8 * self.hopping!r}")

    @property
    def hopping(self) -> float:
        """t = 1 / (2 m a^2): xi(k) -> k^2 / 2m - mu for k a -> 0."""
        return 1.0 / (2.0 * self.mass * self.spacing**2)

    @property
    def fermi_wavenumber(self) -> float:
        """k_F = sqrt(2 m mu) of the continuum limit (paper 000, after Eq. 8); k_F a measures lattice effects."""
        return math.sqrt(2.0 * self.mass * self.mu)

    def continuum_parameters(self) -> dict[str, float]:
        """The continuum model's parameters: ``RashbaMetal(**lattice.continuum_parameters())``."""
        return dict(mass=self.mass, mu=self.mu, v=self.v, delta=self.delta)

    # ---- uniform lattice -------------------------------------------------------------------------

    def normal_hamiltonian(self, kx, ky):
        """h(k), shape (..., 2, 2): the normal-state Bloch Hamiltonian of the uniform lattice."""
        kx, ky = np.broadcast_arrays(np.asarray(kx, dtype=float), np.asarray(ky, dtype=float))
        a, t = self.spacing, self.hopping
        xi = 2 * t * (2 - np.cos(kx * a) - np.cos(ky * a)) - self.mu
        rashba_x = -(self.v / a) * np.sin(ky * a)  # coefficient of sigma_x
        rashba_y = (self.v / a) * np.sin(kx * a)  # coefficient of sigma_y
        return (
            xi[..., None, None] * PAULI[0]
            + rashba_x[..., None, None] * PAULI[1]
            + rashba_y[..., None, None] * PAULI[2]
        )

    def bdg_hamiltonian(self, kx, ky):
        """H_BdG(k) = tau_z h(k) + Delta tau_x, shape (..., 4, 4) (uniform lattice, basis of paper 000, Eq. 4)."""
        h = self.normal_hamiltonian(kx, ky)
        return _nambu(h, _hole_block(self.normal_hamiltonian(-np.asarray(kx), -np.asarray(ky))), self.delta)

    # ---- supercell with a texture ----------------------------------------------------------------

    def supercell_normal_hamiltonian(self, exchange_field, vector_potential_y, kx, ky):
        """h(k_x, k_y) of the supercell, shape (nk, 2N, 2N) for momenta of shape (nk,).

        ``exchange_field``: M(x_j), shape (3, N) (energy); ``vector_potential_y``: A_y(x_j), shape (N,).
        ``kx`` is the Bloch momentum across the supercell (phase exp(i k_x N a) on the bond N-1 -> 0).
        """
        exchange_field = np.asarray(exchange_field, dtype=float)
        n = exchange_field.shape[1]
        kx, ky = np.atleast_1d(np.asarray(kx, dtype=float)), np.atleast_1d(np.asarray(ky, dtype=float))
        a, t = self.spacing, self.hopping
        # column j: everything diagonal in x (on-site, y-bonds with the Peierls-shifted k_y, exchange)
        k_col = ky[:, None] + np.asarray(vector_potential_y, dtype=float)[None, :]  # (nk, N)
        on_site = (
            (4 * t - self.mu - 2 * t * np.cos(k_col * a))[..., None, None] * PAULI[0]
            - (self.v / a) * np.sin(k_col * a)[..., None, None] * PAULI[1]
            - np.einsum("aj,ars->jrs", exchange_field, PAULI[1:])[None]
        )  # (nk, N, 2, 2)
        h = np.zeros((kx.size, n, 2, n, 2), dtype=complex)
        sites = np.arange(n)
        h[:, sites, :, sites, :] = np.moveaxis(on_site, 1, 0)
        # x-bonds j -> j+1: h_{j, j+1} = -t - i v sigma_y / 2a, the last one with the Bloch phase
        bond = -t * PAULI[0] - 0.5j * (self.v / a) * PAULI[2]
        phase = np.ones((kx.size, n), dtype=complex)
        phase[:, -1] = np.exp(1j * kx * n * a)
        right = (sites + 1) % n
        forward = phase[..., None, None] * bond  # (nk, N, 2, 2)
        if n == 1:  # the bond closes on the same site: h(k_x) picks up both directions
            h[:, 0, :, 0, :] += forward[:, 0] + np.conj(np.swapaxes(forward[:, 0], -1, -2))
        else:
            h[:, sites, :, right, :] += np.moveaxis(forward, 1, 0)
            h[:, right, :, sites, :] += np.moveaxis(np.conj(np.swapaxes(forward, -1, -2)), 1, 0)
        return h.reshape(kx.size, 2 * n, 2 * n)

    def supercell_bdg_hamiltonian(self, exchange_field, vector_potential_y, kx, ky):
        """H_BdG(k) of the supercell, shape (nk, 4N, 4N): [[h(k), Delta], [Delta, -sigma_y h(-k)^* sigma_y]]."""
        kx, ky = np.atleast_1d(np.asarray(kx, dtype=float)), np.atleast_1d(np.asarray(ky, dtype=float))
        particle = self.supercell_normal_hamiltonian(exchange_field, vector_potential_y, kx, ky)
        hole = _hole_block(self.supercell_normal_hamiltonian(exchange_field, vector_potential_y, -kx, -ky))
        return _nambu(particle, hole, self.delta)

    def current_vertex_y(self, ky):
        """dh/dk_y of one column, shape (..., 2, 2): 2 t a sin(k_y a) - v cos(k_y a) sigma_x.

        The derivative of H_BdG with respect to the Peierls A_y(x_j) of column j is this matrix at
        k_y + A_y(x_j) in the particle block and at k_y - A_y(x_j) in the hole block (which carries
        -sigma_y h(-k)^* sigma_y); at A = 0 it is 1_tau (x) dh/dk_y, the vertex of pi = p + e tau_z A.
        """
        ky = np.asarray(ky, dtype=float)
        a, t = self.spacing, self.hopping
        return (2 * t * a * np.sin(ky * a))[..., None, None] * PAULI[0] - (self.v * np.cos(ky * a))[
            ..., None, None
        ] * PAULI[1]


def _hole_block(h_minus_k):
    """-sigma_y h(-k)^* sigma_y (sigma_y on every site), for h of shape (..., 2N, 2N).

    On each 2x2 site block B, sigma_y B sigma_y = [[B11, -B10], [-B01, B00]]: a permutation with signs,
    applied by indexing instead of two dense products with kron(1, sigma_y).
    """
    size = h_minus_k.shape[-1]
    blocks = np.conj(h_minus_k).reshape(h_minus_k.shape[:-2] + (size // 2, 2, size // 2, 2))
    flipped = blocks[..., ::-1, :, ::-1]
    sign = np.array([[-1.0, 1.0], [1.0, -1.0]])  # the minus of -sigma_y (.) sigma_y times the signs above
    return (flipped * sign[:, None, :]).reshape(h_minus_k.shape)


def _nambu(particle, hole, delta: float):
    size = particle.shape[-1]
    out = np.zeros(particle.shape[:-2] + (2 * size, 2 * size), dtype=complex)
    out[..., :size, :size] = particle
    out[..., size:, size:] = hole
    pairing = delta * np.eye(size)
    out[..., :size, size:] = pairing
    out[..., size:, :size] = pairing
    return out
