"""Normal-state spin-charge diffusion (paper 003, Appendix D, Eqs. S10-S13).

:mod:`.equations` evaluates the currents and torques pointwise; :mod:`.modal` solves layered 1D
conductors exactly; :mod:`.literature` holds the closed forms the solvers are checked against.
"""

from .equations import currents, torque
from .modal import (
    InjectedCurrent,
    Insulating,
    Layer,
    LayeredSolution,
    MagneticInsulator,
    Ohmic,
    TunnelContact,
    solve_layers,
)

__all__ = [
    "InjectedCurrent",
    "Insulating",
    "Layer",
    "LayeredSolution",
    "MagneticInsulator",
    "Ohmic",
    "TunnelContact",
    "currents",
    "solve_layers",
    "torque",
]
