"""Result dataclasses of the spin-charge diffusion solver (labelled xarray output via ``to_dataset``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..results import CARTESIAN, Result

__all__ = ["DiffusionResult", "TransientResult", "ResistanceResult"]

_FIELD_UNITS = {
    "mu": "E0 (energy; e = 1)",
    "S": "E0 (spin accumulation, paper 003 normalisation)",
    "j": "E0^2 L0 (D grad mu)",
    "j_s": "E0^2 L0 (D grad S)",
    "coordinates": "L0",
}


@dataclass(frozen=True)
class DiffusionResult(Result):
    """mu, S, j, j_kl at the mesh vertices and terminal quantities (paper 003, Eqs. S10-S13).

    ``S[l, node]``; ``j[k, node]`` (k = x, y, z: all three components, also those out of the mesh, which
    a 2D/1D model carries as uniform); ``j_s[k, l, node]`` = j_kl (flow k, spin l). Terminal currents are
    into the device (a sum over the contacts is zero in the steady state); in 2D they are per unit
    thickness. ``interface_current`` and ``interface_spin_current`` are the currents G4 (u_1 - u_2) through
    each internal interface (named in ``interface``) from side 1 to side 2, integrated over it.
    ``residual`` is the relative residual of the solved linear system (error estimate of the
    linear solve, not of the discretisation). Time-harmonic results are complex amplitudes.
    """

    coordinates: np.ndarray
    cells: np.ndarray
    mu: np.ndarray
    S: np.ndarray
    j: np.ndarray
    j_s: np.ndarray
    terminal: tuple
    terminal_potential: np.ndarray
    terminal_current: np.ndarray
    terminal_spin_current: np.ndarray
    interface: tuple
    interface_current: np.ndarray
    interface_spin_current: np.ndarray
    omega: float
    residual: float
    axes: str
    settings: dict

    _attrs = ("settings", "axes")
    _dims = {
        "coordinates": ("node", "axis"),
        "cells": ("cell", "vertex"),
        "mu": ("node",),
        "S": ("component", "node"),
        "j": ("direction", "node"),
        "j_s": ("direction", "component", "node"),
        "terminal": ("terminal",),
        "terminal_potential": ("terminal",),
        "terminal_current": ("terminal",),
        "terminal_spin_current": ("terminal", "component"),
        "interface": ("interface",),
        "interface_current": ("interface",),
        "interface_spin_current": ("interface", "component"),
    }
    _labels = {"component": CARTESIAN, "direction": CARTESIAN}
    _units = _FIELD_UNITS

    def _coordinates(self):
        return {"axis": list(self.axes)}

    def potential(self, name: str) -> complex | float:
        """The potential of the contact called ``name``."""
        return self.terminal_potential[self._index(name)]

    def current(self, name: str) -> complex | float:
        """The charge current into the device through the contact called ``name``."""
        return self.terminal_current[self._index(name)]

    def _index(self, name):
        if name not in self.terminal:
            raise ValueError(f"no contact named {name!r}; contacts: {list(self.terminal)}")
        return self.terminal.index(name)


@dataclass(frozen=True)
class TransientResult(Result):
    """mu(t) and S(t) at the mesh vertices and the terminal potentials and currents at the saved times."""

    t: np.ndarray
    coordinates: np.ndarray
    cells: np.ndarray
    mu: np.ndarray
    S: np.ndarray
    terminal: tuple
    terminal_potential: np.ndarray
    terminal_current: np.ndarray
    axes: str
    settings: dict

    _attrs = ("settings", "axes")
    _dims = {
        "t": ("t",),
        "coordinates": ("node", "axis"),
        "cells": ("cell", "vertex"),
        "mu": ("t", "node"),
        "S": ("t", "component", "node"),
        "terminal": ("terminal",),
        "terminal_potential": ("t", "terminal"),
        "terminal_current": ("t", "terminal"),
    }
    _labels = {"component": CARTESIAN}
    _units = _FIELD_UNITS | {"t": "hbar / E0"}

    def _coordinates(self):
        return {"axis": list(self.axes)}


@dataclass(frozen=True)
class ResistanceResult(Result):
    """A two-, three- or four-terminal resistance R = (V_plus - V_minus) / I (units 1 / (E0 L0^2) per
    unit thickness in 2D: the paper's conductivity is D with e^2 nu = 1)."""

    resistance: float
    current: float
    v_plus: float
    v_minus: float
    residual: float
    contacts: str
    settings: dict

    _attrs = ("settings", "contacts")
