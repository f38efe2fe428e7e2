"""Disordered Dirac ferromagnet: a topological-insulator surface exchange-coupled to a magnet.

Paper 002, Eq. (2) (hbar = e = 1, vector potential A = 0):

    H = v (p x sigma)_z - Delta_sd m . sigma + V(r),   (p x sigma)_z = p_x sigma_y - p_y sigma_x,

with the white-noise disorder of paper 002, Eq. (5):

    <V(r)> = 0,   <V(r) V(r')> = 2 pi alpha v^2 delta(r - r').

The in-plane components m_x, m_y enter like a constant vector potential and are removed by the
gauge shift p -> p + (Delta_sd / v) (-m_y, m_x) (paper 002, text before Eq. 6), so every
disorder-averaged response depends on the exchange field only through Delta_z = Delta_sd m_z.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DiracFerromagnet"]

_PAULI = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex)

#: how far |m| may be from 1 before the direction is rejected
_UNIT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class DiracFerromagnet:
    """Dirac surface electrons with exchange field and Gaussian white-noise disorder.

    Parameters
    ----------
    v : float
        Dirac velocity (> 0), in E0 L0 / hbar.
    fermi_energy : float
        Fermi energy epsilon (> 0, measured from the Dirac point), in E0.
    exchange : float
        s-d exchange energy Delta_sd = J_sd S (finite, any sign), in E0.
    m : sequence of 3 floats
        Unit vector of the magnetisation; |m| must equal 1 within 1e-9 (stored as a tuple).
    disorder_alpha : float
        Dimensionless disorder strength alpha of Eq. (5), 0 < alpha < 1 (the theory needs alpha << 1).
    """

    v: float
    fermi_energy: float
    exchange: float
    m: tuple[float, float, float]
    disorder_alpha: float

    def __post_init__(self):
        if not (np.isfinite(self.v) and self.v > 0):
            raise ValueError(f"v must be a finite positive velocity, got {self.v!r}")
        if not (np.isfinite(self.fermi_energy) and self.fermi_energy > 0):
            raise ValueError(f"fermi_energy must be finite and > 0, got {self.fermi_energy!r}")
        if not np.isfinite(self.exchange):
            raise ValueError(f"exchange must be a finite energy, got {self.exchange!r}")
        if not (np.isfinite(self.disorder_alpha) and 0 < self.disorder_alpha < 1):
            raise ValueError(f"disorder_alpha must lie in (0, 1), got {self.disorder_alpha!r}")
        m = np.asarray(self.m, dtype=float)
        if m.shape != (3,) or not np.all(np.isfinite(m)):
            raise ValueError(f"m must be a finite 3-vector, got {self.m!r}")
        if abs(np.linalg.norm(m) - 1.0) > _UNIT_TOLERANCE:
            raise ValueError(f"m must be a unit vector (|m| = 1 within 1e-9), got |m| = {np.linalg.norm(m)!r}")
        object.__setattr__(self, "m", tuple(float(c) for c in m))

    @property
    def exchange_z(self) -> float:
        """Delta_z = Delta_sd m_z, the only exchange component the averaged responses see."""
        return self.exchange * self.m[2]

    @property
    def gauge_shift(self) -> np.ndarray:
        """Momentum shift k0 with H(p) = v ((p - k0) x sigma)_z - Delta_z sigma_z (in-plane m gauged away)."""
        mx, my, _ = self.m
        return self.exchange / self.v * np.array([my, -mx])

    def hamiltonian(self, kx, ky) -> np.ndarray:
        """Clean Bloch Hamiltonian, shape ``(..., 2, 2)``, Eq. (2) without disorder."""
        kx, ky = np.broadcast_arrays(np.asarray(kx, float), np.asarray(ky, float))
        field = np.stack(
            [-self.v * ky - self.exchange * self.m[0], self.v * kx - self.exchange * self.m[1],
             np.full_like(kx, -self.exchange * self.m[2])],
            axis=-1,
        )
        return np.einsum("...i,ijk->...jk", field, _PAULI)

    def bands(self, kx, ky) -> np.ndarray:
        """Clean band energies, shape ``(..., 2)``, lower band first: -+ sqrt(v^2 |k - k0|^2 + Delta_z^2)."""
        k0x, k0y = self.gauge_shift
        radius = np.sqrt(self.v**2 * ((np.asarray(kx) - k0x) ** 2 + (np.asarray(ky) - k0y) ** 2) + self.exchange_z**2)
        return np.stack([-radius, radius], axis=-1)

    @property
    def fermi_momentum(self) -> float:
        """Clean Fermi momentum sqrt(epsilon^2 - Delta_z^2)/v; ValueError if epsilon lies in the gap."""
        if self.fermi_energy <= abs(self.exchange_z):
            raise ValueError(
                f"fermi_energy must exceed |Delta_z| = {abs(self.exchange_z)!r} (a metal), got {self.fermi_energy!r}"
            )
        return float(np.sqrt(self.fermi_energy**2 - self.exchange_z**2) / self.v)
