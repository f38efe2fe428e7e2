"""Usadel equation with spin-orbit tensors (paper 003): BCS gap, vortex current and spin density, films."""

from .core import core_current_integral, core_profile
from .film import Depairing, FilmConvergenceError, FilmState, depairing, diode_sweep, film_state
from .gap import GAP0_OVER_TC, BCSGap, bcs_gap, gap_equation
from .homogeneous import SpinResponse, SupercurrentSpin, condensate_spin_response, supercurrent_spin
from .junction import SELF_CONSISTENT, VACUUM, ConvergenceError, JunctionResult, Layer, Reservoir, SpectrumResult, junction, spectrum
from .phi0 import AnomalousPhase, anomalous_phase, weak_proximity_current
from .radial import EQUATIONS, DerivedEquations, PaperEquations
from .vortex import VortexResult, peak_radius, vortex

__all__ = [
    "Depairing",
    "FilmConvergenceError",
    "FilmState",
    "depairing",
    "diode_sweep",
    "film_state",
    "GAP0_OVER_TC",
    "BCSGap",
    "bcs_gap",
    "gap_equation",
    "core_profile",
    "core_current_integral",
    "SpinResponse",
    "condensate_spin_response",
    "SupercurrentSpin",
    "supercurrent_spin",
    "EQUATIONS",
    "DerivedEquations",
    "PaperEquations",
    "VortexResult",
    "SELF_CONSISTENT",
    "VACUUM",
    "ConvergenceError",
    "JunctionResult",
    "Layer",
    "Reservoir",
    "SpectrumResult",
    "junction",
    "spectrum",
    "AnomalousPhase",
    "anomalous_phase",
    "weak_proximity_current",
    "peak_radius",
    "vortex",
]
