"""Two-dimensional Rashba metal with an s-wave pairing gap, in the Nambu x spin basis of paper 000.

Paper 000, Eq. (5) (hbar = e = 1):

    H0(k) = tau_z [ k^2 / 2m - mu + v (k_x sigma_y - k_y sigma_x) ] + Delta tau_x,

in the basis of paper 000, Eq. (4): Psi = (psi_up, psi_down, psi_down^dagger, -psi_up^dagger). Matrices
are Kronecker products tau_a (x) sigma_b, index 2 * (Nambu index) + (spin index). The magnetisation
couples as -M . sigma (1_tau (x) sigma), the vector potential through the current vertex dH0/dk
(paper 000, Eq. S17): the Nambu structure of both is absorbed by the time-reversed hole spinor.

The normal-state (helical) bands are xi_s(k) = k^2 / 2m - mu + s v k, s = +-1, with |k| = k; the
Bogoliubov bands are +- sqrt(xi_s^2 + Delta^2). ``TISurface`` (``spincharge.models.ti_surface``) is
the m -> infinity limit, sharing everything here through ``HelicalSuperconductor``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["RashbaMetal", "HelicalSuperconductor", "nambu_spin_matrix"]

_PAULI = {
    "0": np.eye(2, dtype=complex),
    "x": np.array([[0, 1], [1, 0]], dtype=complex),
    "y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "z": np.array([[1, 0], [0, -1]], dtype=complex),
}


_NAMBU_SPIN = {(t, s): np.kron(_PAULI[t], _PAULI[s]) for t in _PAULI for s in _PAULI}
for _matrix in _NAMBU_SPIN.values():
    _matrix.flags.writeable = False


def nambu_spin_matrix(tau: str, sigma: str) -> np.ndarray:
    """tau_a (x) sigma_b as a (read-only) 4x4 matrix, a, b in {"0", "x", "y", "z"} (paper 000, Eq. 4 basis)."""
    return _NAMBU_SPIN[tau, sigma]


def _require_finite(name: str, value: float) -> None:
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")


def _require_positive(name: str, value: float) -> None:
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")


def _require_gap(value: float) -> None:
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"delta (pairing gap) must be finite and >= 0, got {value!r}")


class HelicalSuperconductor:
    """Hamiltonian, current vertices and bands of paper 000, Eq. (5), for a model with ``inverse_mass``.

    Subclasses are frozen dataclasses with fields ``mu``, ``v``, ``delta`` and a property
    ``inverse_mass`` (1/m; 0 for the topological-insulator surface).
    """

    mu: float
    v: float
    delta: float

    @property
    def inverse_mass(self) -> float:  # pragma: no cover - overridden
        raise NotImplementedError

    def helical_bands(self, k, offset=0.0):
        """Normal-state bands xi_s at |k| + offset: k^2/2m - mu + s v k for s = (+1, -1); shape (..., 2).

        Evaluated in factored form, xi_s = ((k - r_s) + offset)((k - r'_s) + offset)/2m (or
        s v ((k - s mu/v) + offset) for m -> infinity), so that xi_s keeps its relative accuracy near a
        Fermi momentum (where the direct sum cancels); with k a Fermi momentum and a small ``offset``, the
        momentum k + offset need not be representable to that accuracy. |k| + offset must be >= 0.
        """
        k = np.abs(np.asarray(k, dtype=float))
        offset = np.asarray(offset, dtype=float)
        bands = []
        for s in (1.0, -1.0):
            if self.inverse_mass == 0:
                bands.append(s * self.v * ((k - s * self.mu / self.v) + offset))
                continue
            mass = 1.0 / self.inverse_mass
            disc = (mass * self.v) ** 2 + 2.0 * mass * self.mu
            if disc <= 0:  # no real root: no cancellation either
                q = k + offset
                bands.append(0.5 * self.inverse_mass * q * q - self.mu + s * self.v * q)
                continue
            # roots of k^2 + 2 m s v k - 2 m mu: the larger by the formula, the other by Vieta
            big = -s * mass * self.v - s * math.sqrt(disc)
            bands.append(((k - big) + offset) * ((k + 2.0 * mass * self.mu / big) + offset) * (0.5 * self.inverse_mass))
        return np.stack(np.broadcast_arrays(*bands), axis=-1)

    def bands(self, kx, ky):
        """Bogoliubov bands +-sqrt(xi_s^2 + Delta^2), sorted ascending; shape (..., 4)."""
        xi = self.helical_bands(np.hypot(kx, ky))
        e = np.sqrt(xi * xi + self.delta**2)
        return np.sort(np.concatenate([-e, e], axis=-1), axis=-1)

    def hamiltonian(self, kx, ky):
        """H0(k) of paper 000, Eq. (5), shape (..., 4, 4), broadcast over ``kx`` and ``ky``."""
        kx, ky = np.broadcast_arrays(np.asarray(kx, dtype=float), np.asarray(ky, dtype=float))
        kinetic = 0.5 * self.inverse_mass * (kx * kx + ky * ky) - self.mu
        return (
            (kinetic[..., None, None] * nambu_spin_matrix("z", "0"))
            + self.v * kx[..., None, None] * nambu_spin_matrix("z", "y")
            - self.v * ky[..., None, None] * nambu_spin_matrix("z", "x")
            + self.delta * nambu_spin_matrix("x", "0")
        )

    def eigensystem_on_axis(self, k, offset=0.0):
        """Eigenvalues (..., 4) and eigenvectors (..., 4, 4) (columns) of H0 at momenta (k + offset, 0), exactly
        (``offset`` as in ``helical_bands``).

        At k = (k, 0), H0 = tau_z (xi(k) + v k sigma_y) + Delta tau_x commutes with sigma_y; in the sigma_y
        eigenstate s (spinor (1, i s)/sqrt 2) it is tau_z xi_s + Delta tau_x, with eigenvalues +-E_s,
        E_s = sqrt(xi_s^2 + Delta^2), and Nambu eigenvectors (cos theta/2, sin theta/2) for +E_s and
        (-sin theta/2, cos theta/2) for -E_s, theta = atan2(Delta, xi_s). Order of the columns:
        (s, sign) = (+, +), (+, -), (-, +), (-, -).
        """
        xi = self.helical_bands(k, offset)  # (..., 2)
        energy = np.sqrt(xi * xi + self.delta**2)
        half = 0.5 * np.arctan2(self.delta, xi)
        cos, sin = np.cos(half), np.sin(half)
        shape = xi.shape[:-1]
        vectors = np.zeros(shape + (4, 4), dtype=complex)
        energies = np.zeros(shape + (4,))
        for index, s in enumerate((1.0, -1.0)):
            spinor = np.array([1.0, 1j * s]) / math.sqrt(2.0)
            c, si = cos[..., index], sin[..., index]
            for column, (nambu, sign) in enumerate((((c, si), 1.0), ((-si, c), -1.0))):
                col = 2 * index + column
                energies[..., col] = sign * energy[..., index]
                vectors[..., 0:2, col] = nambu[0][..., None] * spinor
                vectors[..., 2:4, col] = nambu[1][..., None] * spinor
        return energies, vectors

    def velocity(self, kx, ky):
        """Current vertices (dH0/dk_x, dH0/dk_y) = tau_z (k_x/m + v sigma_y), tau_z (k_y/m - v sigma_x)."""
        kx, ky = np.broadcast_arrays(np.asarray(kx, dtype=float), np.asarray(ky, dtype=float))
        tz = nambu_spin_matrix("z", "0")
        vx = self.inverse_mass * kx[..., None, None] * tz + self.v * nambu_spin_matrix("z", "y")
        vy = self.inverse_mass * ky[..., None, None] * tz - self.v * nambu_spin_matrix("z", "x")
        return vx, vy

    @property
    def momentum_cutoff(self) -> float:
        """Upper limit of the momentum integrals (infinite unless the model has a cutoff)."""
        return math.inf

    def momentum_width(self, k: float, energy: float) -> float:
        """Distance in |k| from k over which the helical band closest to zero at k changes by ``energy``.

        With slope xi' and curvature 1/m: |xi'| dk + dk^2/2m = energy, dk = 2 E / (|xi'| + sqrt(xi'^2 + 2E/m)).
        """
        xi = self.helical_bands(k)
        s = 1.0 if abs(xi[0]) <= abs(xi[1]) else -1.0
        slope = abs(self.inverse_mass * k + s * self.v)
        return 2.0 * energy / (slope + math.sqrt(slope * slope + 2.0 * energy * self.inverse_mass))

    def closest_approach_momentum(self) -> float:
        """|k| where a helical band comes closest to zero energy (a Fermi momentum, or the band edge)."""
        if self.inverse_mass == 0:
            return abs(self.mu) / self.v
        fermi = self.fermi_momenta()
        return fermi[0] if fermi else self.v / self.inverse_mass

    def momentum_beyond(self, energy: float) -> float:
        """Smallest |k| beyond which both helical bands satisfy |xi_s(k)| >= energy (> 0)."""
        reach = abs(self.mu) + energy
        if self.inverse_mass == 0:
            return reach / self.v
        mass = 1.0 / self.inverse_mass
        return mass * (self.v + math.sqrt(self.v**2 + 2.0 * reach * self.inverse_mass))

    def fermi_momenta(self) -> tuple[float, ...]:
        """The momenta |k| > 0 where a helical band crosses zero, xi_s(k) = 0, ascending."""
        roots = []
        for s in (1.0, -1.0):
            if self.inverse_mass == 0:
                candidates = [self.mu / (s * self.v)]
            else:
                # k^2/2m + s v k - mu = 0  ->  k = m (-s v +- sqrt(v^2 + 2 mu / m))
                mass = 1.0 / self.inverse_mass
                disc = self.v**2 + 2.0 * self.mu * self.inverse_mass
                if disc < 0:
                    continue
                candidates = [mass * (-s * self.v + sign * math.sqrt(disc)) for sign in (1.0, -1.0)]
            roots.extend(k for k in candidates if k > 0)
        return tuple(sorted(set(roots)))


@dataclass(frozen=True)
class RashbaMetal(HelicalSuperconductor):
    """Rashba metal with s-wave gap, paper 000, Eq. (5) (hbar = e = 1).

    Parameters
    ----------
    mass : float
        Effective mass m > 0.
    mu : float
        Chemical potential, finite and nonzero (the paper normalises g_orb by k_F = sqrt(2 m |mu|)).
        mu > 0: both helical bands occupied; -m v^2/2 < mu < 0: only the lower one (an annulus).
    v : float
        Rashba velocity v > 0.
    delta : float
        Pairing gap Delta >= 0 (treated non-self-consistently, as in the paper).
    """

    mass: float
    mu: float
    v: float
    delta: float = 0.0

    def __post_init__(self):
        _require_positive("mass", self.mass)
        _require_finite("mu", self.mu)
        if self.mu == 0:
            raise ValueError("mu must be nonzero (k_F = sqrt(2 m |mu|) normalises g_orb), got 0")
        _require_positive("v", self.v)
        _require_gap(self.delta)

    @property
    def inverse_mass(self) -> float:
        return 1.0 / self.mass

    @property
    def fermi_wavenumber(self) -> float:
        """k_F = sqrt(2 m |mu|) (paper 000, after Eq. 8)."""
        return math.sqrt(2.0 * self.mass * abs(self.mu))

    @property
    def fermi_velocity(self) -> float:
        """v_F = k_F / m (paper 000, after Eq. 8)."""
        return self.fermi_wavenumber / self.mass

    @property
    def spin_orbit_energy(self) -> float:
        """E_soc = v k_F (paper 000, before Eq. 14)."""
        return self.v * self.fermi_wavenumber

    @property
    def fermi_energy(self) -> float:
        """E_F = k_F^2 / 2m = |mu|."""
        return abs(self.mu)
