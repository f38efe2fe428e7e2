"""Independent witness for paper 002: Kubo bubble and ladder by brute force on a Cartesian momentum grid.

Written without using :mod:`spincharge.diffusive` so that it can witness it. hbar = 1, model of paper 002,
Eq. (2) after the gauge shift that removes m_x, m_y:

    H(k) = v (k_x sigma_y - k_y sigma_x) - Delta_z sigma_z,      <V V> = 2 pi alpha v^2 delta(r - r')   (Eq. 5).

Method (deliberately different from the package's polar closed-form angular average):

* momenta: a uniform Cartesian grid of spacing h inside the disk |k| < Lambda; the disk edge is smoothed
  over one grid spacing (weight clip((Lambda - |k|)/h + 1/2, 0, 1)), so the sum is
  int d^2k/(2 pi)^2 f(k) ~= sum_k w_k h^2 f(k)/(2 pi)^2.
* self-energy: the full 2x2 matrix Sigma^R from fixed-point iteration of the self-consistent Born equation
  Sigma^R = 2 pi alpha v^2 sum_k G^R(k), G^R(k) = [E - H(k) - Sigma^R]^-1 (batched 2x2 inverses), on the
  same grid as the bubble; no assumption on the form of Sigma.
* bubble: M_ab(q, w) = v^2 sum_k Tr[sigma_a G^R(k + q, E + w) sigma_b G^A(k, E)], a, b = 0, x, y, z, G^A = (G^R)^+
  (and the R-R, A-A bubbles of Eq. s7 on request).
* ladder: the dressed vertex Gamma_b = sigma_b + 2 pi alpha v^2 sum_k G^R Gamma_b G^A; expanding
  Gamma_b = c_cb sigma_c and projecting with Tr(sigma_a .)/2 (Tr sigma_a sigma_c = 2 delta_ac) gives
  c = 1 + pi alpha M c, hence K = M c = M (1 - pi alpha M)^-1 by direct 4x4 inversion.

Exact identities of this construction (used as checks): with Gamma(w) the (0, x, y, z) components of
Sigma^R(E + w) - Sigma^A(E), G^R(E+w) - G^A(E) = G^R(E+w) [Sigma^R(E+w) - Sigma^A(E) - w] G^A(E) gives
(1 - pi alpha M(0, w)) Gamma(w) = -w pi alpha M(0, w) e_0, i.e. K_a0(0, w) = -Gamma_a(w) / (pi alpha w) for all w,
and at w = 0 the zero mode (1 - pi alpha M(0, 0)) Gamma(0) = 0 (Ward identity).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PAULI = np.array([[[1, 0], [0, 1]], [[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex)


@dataclass(frozen=True)
class MomentumGrid:
    """Cartesian grid inside |k| < cutoff (a momentum), spacing ``spacing``; ``weight`` includes h^2/(2 pi)^2."""

    kx: np.ndarray
    ky: np.ndarray
    weight: np.ndarray
    cutoff: float
    spacing: float


def momentum_grid(cutoff: float, spacing: float) -> MomentumGrid:
    n = int(np.ceil(cutoff / spacing)) + 2
    axis = spacing * np.arange(-n, n + 1)
    kx, ky = (a.ravel() for a in np.meshgrid(axis, axis, indexing="ij"))
    edge = np.clip((cutoff - np.hypot(kx, ky)) / spacing + 0.5, 0.0, 1.0)
    keep = edge > 0
    return MomentumGrid(kx[keep], ky[keep], edge[keep] * spacing**2 / (2 * np.pi) ** 2, cutoff, spacing)


def hamiltonian(v: float, delta_z: float, kx, ky) -> np.ndarray:
    """H(k) of paper 002, Eq. (2) (gauge-shifted), shape (n, 2, 2)."""
    return v * (kx[:, None, None] * PAULI[2] - ky[:, None, None] * PAULI[1]) - delta_z * PAULI[3]


def retarded_green(v, delta_z, energy, sigma, kx, ky) -> np.ndarray:
    """G^R(k) = [E - H(k) - Sigma^R]^-1 for every grid momentum, shape (n, 2, 2)."""
    return np.linalg.inv(energy * PAULI[0] - hamiltonian(v, delta_z, kx, ky) - sigma)


def born_self_energy(v, delta_z, alpha, energy, grid: MomentumGrid, *, tol=1e-14, max_iterations=400):
    """Self-consistent Born Sigma^R (2x2) on ``grid`` (paper 002, Eq. s10), by damped fixed-point iteration.

    Starts from the leading-order result -i pi alpha/2 (E - Delta_z sigma_z) (text after Eq. 7).
    Returns (Sigma^R, residual, iterations).
    """
    sigma = -0.5j * np.pi * alpha * (energy * PAULI[0] - delta_z * PAULI[3])
    for iteration in range(1, max_iterations + 1):
        green = retarded_green(v, delta_z, energy, sigma, grid.kx, grid.ky)
        new = 2 * np.pi * alpha * v**2 * np.einsum("n,nij->ij", grid.weight, green)
        residual = np.abs(new - sigma).max()
        sigma = new
        if residual < tol * energy:
            return sigma, residual, iteration
    raise RuntimeError(f"Born iteration did not converge (residual {residual:.2e})")


def pauli_components(matrix: np.ndarray) -> np.ndarray:
    """(0, x, y, z) components c_a = Tr(sigma_a X)/2 of a 2x2 matrix."""
    return 0.5 * np.einsum("aij,ji->a", PAULI, matrix)


def _green(kind, v, delta_z, energy, sigma_retarded, kx, ky):
    retarded = retarded_green(v, delta_z, energy, sigma_retarded, kx, ky)
    return retarded if kind == "R" else np.conj(np.swapaxes(retarded, 1, 2))


def bubble(v, delta_z, energy, omega, q, sigma_lower, sigma_upper, grid: MomentumGrid, kinds="RA") -> np.ndarray:
    """M_ab(q, omega) = v^2 sum_k Tr[sigma_a G^X(k+q, E+omega) sigma_b G^Y(k, E)], XY = ``kinds``.

    kinds = "RA" is the bubble of paper 002, Eqs. (4), (s13); "RR" and "AA" are the terms of Eq. (s7) that
    the paper drops. ``sigma_lower``, ``sigma_upper``: retarded self-energies at E and E + omega.
    """
    upper = _green(kinds[0], v, delta_z, energy + omega, sigma_upper, grid.kx + q[0], grid.ky + q[1])
    lower = _green(kinds[1], v, delta_z, energy, sigma_lower, grid.kx, grid.ky)
    pairs = np.einsum("n,njk,nli->jkli", grid.weight, upper, lower)
    return v**2 * np.einsum("aij,bkl,jkli->ab", PAULI, PAULI, pairs)


def ladder(bubble_matrix: np.ndarray, alpha: float) -> np.ndarray:
    """K = M (1 - pi alpha M)^-1 (4x4, basis 0, x, y, z; paper 002, Eq. s14)."""
    return bubble_matrix @ np.linalg.inv(np.eye(4) - np.pi * alpha * bubble_matrix)


@dataclass
class GridKubo:
    """Brute-force Kubo machinery for one parameter set; self-energies cached per energy."""

    v: float
    energy: float
    delta_z: float
    alpha: float
    grid: MomentumGrid

    def __post_init__(self):
        self._sigma: dict[float, np.ndarray] = {}

    def self_energy(self, omega: float = 0.0) -> np.ndarray:
        if omega not in self._sigma:
            self._sigma[omega] = born_self_energy(self.v, self.delta_z, self.alpha, self.energy + omega, self.grid)[0]
        return self._sigma[omega]

    def bubble(self, q=(0.0, 0.0), omega: float = 0.0, *, sigma_lower=None, sigma_upper=None, kinds="RA"):
        lower = self.self_energy(0.0) if sigma_lower is None else sigma_lower
        upper = self.self_energy(omega) if sigma_upper is None else sigma_upper
        return bubble(self.v, self.delta_z, self.energy, omega, np.asarray(q, float), lower, upper, self.grid, kinds)

    def correlator(self, q=(0.0, 0.0), omega: float = 0.0) -> np.ndarray:
        """Full 4x4 ladder K(q, omega); the physical 3x3 block is [1:, 1:]."""
        return ladder(self.bubble(q, omega), self.alpha)

    def spectral_densities(self) -> np.ndarray:
        """rho_a = -(1/pi) sum_k Im Tr[sigma_a G^R(k, E)]: rho_0 the density of states, rho_z = d s_z / d mu."""
        green = retarded_green(self.v, self.delta_z, self.energy, self.self_energy(), self.grid.kx, self.grid.ky)
        traces = np.einsum("n,aij,nji->a", self.grid.weight, PAULI, green)
        return -traces.imag / np.pi
