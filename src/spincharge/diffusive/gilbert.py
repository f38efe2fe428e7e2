"""Anisotropic Gilbert damping of the magnet from the TI electrons (paper 002, Eqs. 3, 16-17).

At q = 0 the response to dm/dt (Eq. 3 with the convention of docs/conventions.md,
s = (1/(2 pi v^2)) K (i omega Delta_sd m), i omega -> -d/dt) is

    s = -(Delta_sd / (2 pi v^2)) [K_par dm_par/dt + K_zz dm_z/dt],   K_par = [[sigma_0, sigma_H], [-sigma_H, sigma_0]],

and K_zz = i Delta_z^2 / (eps omega) only renormalises the spin (Eq. 16, sign corrected; dropped as in the
paper). With T = (J_sd A / hbar) m x s (Eq. 1):

    T_GD = m x (G dm/dt),   G = -(J_sd A Delta_sd / (2 pi hbar^2 v^2)) [[sigma_0, sigma_H, 0], [-sigma_H, sigma_0, 0], [0, 0, 0]],

i.e. paper 002, Eq. (17), -(J_sd^2 S A / (2 pi hbar^2 v^2)) m x (sigma_0 dm_par/dt + (sigma_H/m_z) dm_par/dt x m_perp)
(printed with +1/pi). The negative sign is dissipative for m = S/S, whose precession is dm/dt = m x F/S with
F = -dE/dm (tests/diffusive/test_gilbert.py checks dE/dt <= 0). sigma_0 and sigma_H/m_z depend on m_z^2 only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..models.dirac_ferromagnet import DiracFerromagnet
from ..results import CARTESIAN, Result
from . import analytic
from .hall import anomalous_hall_conductivity
from .correlator import dc_conductivity

__all__ = ["GilbertDamping", "gilbert_damping", "SOURCES"]

SOURCES = ("closed_form", "ladder")


@dataclass(frozen=True)
class GilbertDamping(Result):
    """``tensor`` G (3x3, T_GD = m x (G dm/dt)) with the conductivities used (e^2/h) and ``prefactor``
    J_sd A Delta_sd / (2 pi v^2) (hbar = 1); ``source``: "closed_form" (Eq. 10) or "ladder" (numerical
    Kubo sigma_xx, R-A ladder plus the R-R, A-A terms of Eq. s7, and sigma_H = ladder + X + Psi, all computed
    by direct momentum integration)."""
    _dims = {"m": ("component",), "tensor": ("a", "b")}
    _labels = {"component": CARTESIAN, "a": CARTESIAN, "b": CARTESIAN}
    _units = {"longitudinal": "e^2 / h", "hall": "e^2 / h"}

    m: np.ndarray
    tensor: np.ndarray
    longitudinal: float
    hall: float
    prefactor: float
    source: str

    _attrs = ("source",)


def gilbert_damping(
    model: DiracFerromagnet, *, exchange_area: float = 1.0, source: str = "closed_form", m=None,
    crossed_order: int = 8,
) -> GilbertDamping:
    """Damping tensor of paper 002, Eq. (17) at magnetisation ``m`` (default: the model's).

    ``exchange_area`` = J_sd A (energy x area). The electron parameters follow m through
    Delta_z = Delta_sd m_z. ``source="ladder"``: sigma_0 and sigma_H computed (ladder + R-R/A-A terms, ladder +
    the computed X and Psi diagrams, :mod:`.crossed`); ``crossed_order``: radial rule of the crossed diagrams.
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    if not (np.isfinite(exchange_area) and exchange_area * model.exchange >= 0):
        raise ValueError(
            f"exchange_area (J_sd A) must be finite with the sign of exchange (J_sd S, S > 0), got {exchange_area!r}"
        )
    if m is not None:
        model = replace(model, m=tuple(m))
    if source == "closed_form":
        sigma_0, sigma_h = analytic.drude_conductivity(model), analytic.hall_conductivity(model)
    else:
        sigma_0 = dc_conductivity(model).kubo_longitudinal  # R-A ladder + R-R, A-A terms (Eq. s7)
        sigma_h = anomalous_hall_conductivity(model, crossed_order=crossed_order).total
    prefactor = exchange_area * model.exchange / (2 * np.pi * model.v**2)
    tensor = -prefactor * np.array([[sigma_0, sigma_h, 0.0], [-sigma_h, sigma_0, 0.0], [0.0, 0.0, 0.0]])
    return GilbertDamping(np.asarray(model.m), tensor, float(sigma_0), float(sigma_h), float(prefactor), source)
