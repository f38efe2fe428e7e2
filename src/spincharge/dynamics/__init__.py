"""Macrospin Landau-Lifshitz-Gilbert dynamics (paper 002, Eq. 1): a norm-preserving Cayley midpoint
integrator (:mod:`.llg`) and a magnet on a TI surface with spin-orbit torques and TI damping
(:mod:`.ti_magnet`)."""

from .llg import Trajectory, cayley_rotate, integrate_llg, solve_rate
from .ti_magnet import DriftMap, MagnetOnTI, paper_system, simulate, stroboscopic_drift

__all__ = [
    "DriftMap",
    "MagnetOnTI",
    "Trajectory",
    "cayley_rotate",
    "integrate_llg",
    "paper_system",
    "simulate",
    "solve_rate",
    "stroboscopic_drift",
]
