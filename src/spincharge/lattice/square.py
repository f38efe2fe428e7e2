"""Finite two-dimensional square lattices of paper 000's models with a texture M(r): sparse BdG Hamiltonians.

Two normal-state models share one real-space form, on-site block ``h_0`` and bond blocks ``h_x`` = h_{r, r+x},
``h_y`` = h_{r, r+y} (2 x 2 in spin), with h(k) = h_0 + sum_d (h_d e^{i k_d a} + h.c.):

* ``RashbaLattice`` (``model``): h_0 = 4t - mu, h_x = -t - i v sigma_y / 2a, h_y = -t + i v sigma_x / 2a
  (paper 000, Eq. 5 on a lattice, as in the 1D witness).
* ``TISurfaceLattice``: a Wilson-regularised Dirac surface (below).

Sites r = (ix, iy), index s = iy nx + ix (the ``[iy, ix]`` order of ``spincharge.textures``). A system adds

* the exchange field on site, -M(r) . sigma (paper 000, Eq. 4);
* an optional vector potential by the Peierls substitution h_{r, r+d} -> h_{r, r+d} exp(i a A_d(r)), with
  ``A[d, iy, ix]`` the value on the bond leaving r along d (k -> k + e A for charge -e, e = 1: the 1D
  witness's k_y -> k_y + A_y(x_j) on the y-bonds of column j);
* open or periodic boundaries along each axis (a periodic axis needs >= 3 sites, so that the bonds
  r -> r + d and r -> r - d are distinct).

The BdG matrix in the Nambu basis of paper 000, Eq. (4), Psi_r = (c_{r up}, c_{r dn}, c^dag_{r dn},
-c^dag_{r up}), ordered (Nambu, site, spin) = index 2 N tau + 2 s + sigma as in ``model``, is

    H_BdG = [[h, Delta], [Delta, -sigma_y h^* sigma_y]],    H = 1/2 Psi^dag H_BdG Psi + 1/2 Tr h,

with h the 2N x 2N real-space normal Hamiltonian (sigma_y on every site; the real-space form of the
supercell's -sigma_y h(-k)^* sigma_y).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .model import PAULI, RashbaLattice, _require, require_integer

__all__ = ["TISurfaceLattice", "SquareSystem", "real_space_blocks"]


@dataclass(frozen=True)
class TISurfaceLattice:
    """Wilson-regularised TI surface: one Dirac cone at Gamma, paper 000, Eq. (5) with m -> infinity.

        h(k) = (v / a) (sin k_x a sigma_y - sin k_y a sigma_x) + W (2 - cos k_x a - cos k_y a) sigma_z - mu.

    The naive lattice Dirac operator has four cones (Gamma, X, Y, M); the Wilson mass W gaps the three
    doublers at energies +-2W (X, Y) and +-4W (M), so for |mu| < 2W the Fermi surface is the single Gamma
    pocket, which tends to v (k_x sigma_y - k_y sigma_x) - mu for k a -> 0. No local 2D lattice has a single
    time-reversal-symmetric cone (fermion doubling): the Wilson term is the price. What it changes away
    from the cone: near Gamma it is W a^2 k^2 / 2 sigma_z, a momentum-dependent out-of-plane exchange
    (time-reversal odd, sigma_y sigma_z^* sigma_y = -sigma_z, so like -M . sigma it enters both Nambu
    blocks without tau_z); relative to v k it is (W a / 2v) k a, so it bends the cone at k_F a ~ v / (W a)
    and makes the bands and spin texture depend on the sign of M_z at order M_z W (k_F a)^2 / (v k_F). The
    filled doubler bands add a Berry curvature of their own: the lattice Hall response is the cone's
    +-1/2 plus 1/2 sign(W) (Chern number 0 or 1 rather than +-1/2), a constant that does not depend on
    M_z while |M_z| << W.

    Parameters
    ----------
    v : float
        Dirac velocity v > 0.
    mu : float
        Chemical potential from the Dirac point, |mu| < 2 W (single Fermi pocket).
    delta : float
        s-wave pairing gap Delta >= 0 (non-self-consistent).
    spacing : float
        Lattice spacing a > 0.
    wilson : float
        Wilson mass W > 0 (energy); ``None`` sets W = v / a (doublers at +-2 v / a, cone bent by k a / 2).
    """

    v: float
    mu: float
    delta: float
    spacing: float
    wilson: float | None = None

    def __post_init__(self):
        _require("v", self.v, self.v > 0, "finite and > 0")
        _require("spacing", self.spacing, self.spacing > 0, "finite and > 0")
        _require("delta", self.delta, self.delta >= 0, "finite and >= 0")
        if self.wilson is None:
            object.__setattr__(self, "wilson", self.v / self.spacing)
        _require("wilson", self.wilson, self.wilson > 0, "finite and > 0")
        _require("mu", self.mu, abs(self.mu) < 2 * self.wilson, f"|mu| < 2 W = {2 * self.wilson!r} (single cone)")

    def continuum_parameters(self) -> dict[str, float]:
        """``TISurface(**lattice.continuum_parameters())`` is the continuum model of the cone."""
        return dict(v=self.v, mu=self.mu, delta=self.delta)

    def normal_hamiltonian(self, kx, ky):
        """h(k), shape (..., 2, 2), of the uniform lattice (class docstring)."""
        kx, ky = np.broadcast_arrays(np.asarray(kx, dtype=float), np.asarray(ky, dtype=float))
        a, w = self.spacing, self.wilson
        coefficients = (
            -self.mu + 0 * kx,
            -(self.v / a) * np.sin(ky * a),
            (self.v / a) * np.sin(kx * a),
            w * (2 - np.cos(kx * a) - np.cos(ky * a)),
        )
        return sum(c[..., None, None] * PAULI[i] for i, c in enumerate(coefficients))


def real_space_blocks(model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(h_0, h_x, h_y), each 2 x 2: on-site block and bond blocks h_{r, r+x}, h_{r, r+y} of ``model``.

    h(k) = h_0 + sum_d (h_d e^{i k_d a} + h.c.) reproduces ``model.normal_hamiltonian(kx, ky)``.
    """
    if not isinstance(model, (RashbaLattice, TISurfaceLattice)):
        raise ValueError(f"model must be a RashbaLattice or a TISurfaceLattice, got {type(model).__name__}")
    a = model.spacing
    rashba_x, rashba_y = -0.5j * (model.v / a) * PAULI[2], 0.5j * (model.v / a) * PAULI[1]
    if isinstance(model, RashbaLattice):
        t = model.hopping
        return (4 * t - model.mu) * PAULI[0], -t * PAULI[0] + rashba_x, -t * PAULI[0] + rashba_y
    w = model.wilson
    wilson_bond = -0.5 * w * PAULI[3]
    return 2 * w * PAULI[3] - model.mu * PAULI[0], rashba_x + wilson_bond, rashba_y + wilson_bond


def _as_texture_array(exchange_field):
    """(3, ny, nx) float array from a ``spincharge.textures.Texture`` or an array."""
    magnetization = getattr(exchange_field, "magnetization", exchange_field)
    return np.asarray(magnetization, dtype=float)


@dataclass(frozen=True)
class SquareSystem:
    """A finite nx x ny square lattice of ``model`` with exchange field M(r) and vector potential A(r).

    Parameters
    ----------
    model : RashbaLattice or TISurfaceLattice
    exchange_field : Texture or array, shape (3, ny, nx)
        M(r) in energy units (electrons feel -M . sigma); a ``spincharge.textures.Texture`` is read at its
        grid points, one lattice site per grid point (its grid spacing is not used: the lattice's is).
    periodic : bool or (bool, bool)
        Periodic boundaries along (x, y); a periodic axis needs >= 3 sites.
    vector_potential : array, shape (2, ny, nx), optional
        (A_x, A_y) on the bonds leaving each site along +x, +y (Peierls phase exp(i a A_d)).
    """

    model: object
    exchange_field: np.ndarray = field(repr=False)
    periodic: tuple[bool, bool] = (False, False)
    vector_potential: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self):
        blocks = real_space_blocks(self.model)  # validates the model type
        object.__setattr__(self, "_blocks", blocks)
        exchange = _as_texture_array(self.exchange_field)
        if exchange.ndim != 3 or exchange.shape[0] != 3 or not np.all(np.isfinite(exchange)):
            raise ValueError(f"exchange_field must be finite with shape (3, ny, nx), got shape {exchange.shape}")
        exchange = exchange.copy()
        exchange.flags.writeable = False
        object.__setattr__(self, "exchange_field", exchange)
        periodic = (self.periodic, self.periodic) if np.ndim(self.periodic) == 0 else tuple(self.periodic)
        if len(periodic) != 2 or not all(isinstance(p, (bool, np.bool_)) for p in periodic):
            raise ValueError(f"periodic must be a bool or a pair of bools, got {self.periodic!r}")
        object.__setattr__(self, "periodic", tuple(bool(p) for p in periodic))
        for name, n, p in (("nx", self.nx, periodic[0]), ("ny", self.ny, periodic[1])):
            require_integer(f"{name} (periodic axis)" if p else name, n, 3 if p else 1)
        if self.vector_potential is not None:
            potential = np.asarray(self.vector_potential, dtype=float)
            if potential.shape != (2, self.ny, self.nx) or not np.all(np.isfinite(potential)):
                raise ValueError(
                    f"vector_potential must be finite with shape (2, {self.ny}, {self.nx}), got {potential.shape}"
                )
            potential = potential.copy()
            potential.flags.writeable = False
            object.__setattr__(self, "vector_potential", potential)

    @property
    def nx(self) -> int:
        return self.exchange_field.shape[2]

    @property
    def ny(self) -> int:
        return self.exchange_field.shape[1]

    @property
    def n_sites(self) -> int:
        return self.nx * self.ny

    def bonds(self, axis: int) -> tuple[np.ndarray, np.ndarray]:
        """(start, end) site indices of the bonds r -> r + x (axis 0) or r -> r + y (axis 1) that exist."""
        ix, iy = np.meshgrid(np.arange(self.nx), np.arange(self.ny), indexing="xy")
        ix, iy = ix.ravel(), iy.ravel()
        n = (self.nx, self.ny)[axis]
        coordinate = (ix, iy)[axis]
        keep = np.ones(ix.size, bool) if self.periodic[axis] else coordinate < n - 1
        jx, jy = ((ix + 1) % self.nx, iy) if axis == 0 else (ix, (iy + 1) % self.ny)
        start = (iy * self.nx + ix)[keep]
        return start, (jy * self.nx + jx)[keep]

    def bond_blocks(self, axis: int) -> np.ndarray:
        """h_{r, r+d} of the existing bonds along ``axis``, shape (n_bonds, 2, 2), Peierls phases included."""
        start, _ = self.bonds(axis)
        block = self._blocks[1 + axis]
        if self.vector_potential is None:
            return np.broadcast_to(block, (start.size, 2, 2)).astype(complex)
        phase = np.exp(1j * self.model.spacing * self.vector_potential[axis].ravel()[start])
        return phase[:, None, None] * block

    def onsite_blocks(self) -> np.ndarray:
        """h_0 - M(r) . sigma for every site, shape (N, 2, 2)."""
        exchange = self.exchange_field.reshape(3, -1)
        return self._blocks[0][None] - np.einsum("an,ars->nrs", exchange, PAULI[1:])

    def normal_hamiltonian(self) -> sp.csr_matrix:
        """The 2N x 2N real-space normal-state Hamiltonian h (sparse), index 2 s + sigma."""
        sites = np.arange(self.n_sites)
        rows, cols, values = [], [], []

        def add(start, end, blocks):
            r = 2 * start[:, None, None] + np.arange(2)[None, :, None]
            c = 2 * end[:, None, None] + np.arange(2)[None, None, :]
            rows.append(np.broadcast_to(r, blocks.shape).ravel())
            cols.append(np.broadcast_to(c, blocks.shape).ravel())
            values.append(blocks.ravel())

        add(sites, sites, self.onsite_blocks())
        for axis in (0, 1):
            start, end = self.bonds(axis)
            blocks = self.bond_blocks(axis)
            add(start, end, blocks)
            add(end, start, np.conj(np.swapaxes(blocks, -1, -2)))
        size = 2 * self.n_sites
        h = sp.coo_matrix((np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))), (size, size))
        return h.tocsr()  # duplicates (none unless a bond closes on itself) are summed

    def bdg_hamiltonian(self) -> sp.csr_matrix:
        """The 4N x 4N BdG matrix [[h, Delta], [Delta, -sigma_y h^* sigma_y]] (module docstring), sparse."""
        h = self.normal_hamiltonian()
        sigma_y = sp.kron(sp.identity(self.n_sites), sp.csr_matrix(PAULI[2]), format="csr")
        hole = -(sigma_y @ h.conj() @ sigma_y)
        pairing = self.model.delta * sp.identity(2 * self.n_sites, format="csr")
        return sp.bmat([[h, pairing], [pairing, hole]], format="csr")

    def coordinates(self) -> tuple[np.ndarray, np.ndarray]:
        """Site positions x = ix a, y = iy a, each of shape (ny, nx)."""
        a = self.model.spacing
        return np.meshgrid(a * np.arange(self.nx), a * np.arange(self.ny), indexing="xy")
