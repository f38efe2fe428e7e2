"""Dimensionless internal units and their SI values.

Internally hbar = e = 1 and every quantity is a number in units built from two references chosen by
the user: an energy unit ``E0`` (joule) and a length unit ``L0`` (metre). The time unit is then
``hbar/E0``, velocities come in ``E0 L0/hbar``, currents in ``e E0/hbar``, conductances in
``e^2/hbar``, magnetic fields in ``hbar/(e L0^2)``. A quantity's SI unit is
``e^a hbar^b E0^c L0^d``; :data:`DIMENSIONS` lists (a, b, c, d) for the quantities spincharge returns.

Example
-------
>>> u = UnitSystem.from_meV_nm(energy_meV=1.0, length_nm=10.0)
>>> u.to_si(1.0, "velocity")     # 1 E0 L0 / hbar in m/s
15192.6...
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import constants as sc

__all__ = ["UnitSystem", "DIMENSIONS", "SI_UNIT_NAMES", "e2_over_h"]

#: quantity -> exponents (a, b, c, d) of (e, hbar, E0, L0) in its SI unit
DIMENSIONS: dict[str, tuple[int, int, int, int]] = {
    "energy": (0, 0, 1, 0),
    "length": (0, 0, 0, 1),
    "wavevector": (0, 0, 0, -1),
    "time": (0, 1, -1, 0),
    "angular_frequency": (0, -1, 1, 0),
    "velocity": (0, -1, 1, 1),
    "diffusion_constant": (0, -1, 1, 2),
    "charge": (1, 0, 0, 0),
    "current": (1, -1, 1, 0),
    "sheet_current_density": (1, -1, 1, -1),  # A/m, a 2D current density
    "conductance": (2, -1, 0, 0),  # sheet conductivity of a 2D system, S
    "electric_field": (-1, 0, 1, -1),
    "magnetic_field": (-1, 1, 0, -2),
    "areal_density": (0, 0, 0, -2),  # particles or spin (in units of hbar/2 ... see docs) per m^2
    "density_of_states_2d": (0, 0, -1, -2),
    "chi": (1, -1, 0, 0),  # paper 000 Eq. 2: A per J
    "g_spin": (0, 0, -1, -1),  # paper 000 Eq. 3: 1/(J m)
}

SI_UNIT_NAMES = {
    "energy": "J",
    "length": "m",
    "wavevector": "1/m",
    "time": "s",
    "angular_frequency": "rad/s",
    "velocity": "m/s",
    "diffusion_constant": "m^2/s",
    "charge": "C",
    "current": "A",
    "sheet_current_density": "A/m",
    "conductance": "S",
    "electric_field": "V/m",
    "magnetic_field": "T",
    "areal_density": "1/m^2",
    "density_of_states_2d": "1/(J m^2)",
    "chi": "A/J",
    "g_spin": "1/(J m)",
}

#: the conductance quantum e^2/h in units of e^2/hbar (paper 002 quotes conductivities in e^2/h)
e2_over_h = 1.0 / (2.0 * np.pi)


@dataclass(frozen=True)
class UnitSystem:
    """Reference energy ``energy_J`` and length ``length_m`` that make the internal numbers SI.

    Parameters
    ----------
    energy_J : float
        The internal energy unit E0 in joule (> 0).
    length_m : float
        The internal length unit L0 in metre (> 0).
    """

    energy_J: float
    length_m: float

    def __post_init__(self):
        for name in ("energy_J", "length_m"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a finite positive number, got {value!r}")

    @classmethod
    def from_meV_nm(cls, energy_meV: float = 1.0, length_nm: float = 1.0) -> UnitSystem:
        return cls(energy_meV * 1e-3 * sc.eV, length_nm * 1e-9)

    @classmethod
    def from_velocity(cls, energy_eV: float, velocity_m_s: float) -> UnitSystem:
        """Units in which a Dirac/Rashba velocity ``velocity_m_s`` is 1: L0 = hbar v / E0."""
        energy_J = energy_eV * sc.eV
        return cls(energy_J, sc.hbar * velocity_m_s / energy_J)

    def scale(self, quantity: str) -> float:
        """SI value of one internal unit of ``quantity``."""
        try:
            a, b, c, d = DIMENSIONS[quantity]
        except KeyError:
            raise ValueError(f"quantity must be one of {sorted(DIMENSIONS)}, got {quantity!r}") from None
        return sc.e**a * sc.hbar**b * self.energy_J**c * self.length_m**d

    def to_si(self, value, quantity: str):
        """Internal (hbar = e = 1) value -> SI value (unit in :data:`SI_UNIT_NAMES`)."""
        return np.multiply(value, self.scale(quantity))

    def from_si(self, value, quantity: str):
        """SI value -> internal (hbar = e = 1) value."""
        return np.divide(value, self.scale(quantity))
