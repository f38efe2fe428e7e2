"""Real-space lattice witnesses: textures on a tight-binding BdG lattice (paper 000) and the disordered TI lattice's
Kubo conductivities (paper 002, :mod:`.kubo`)."""

from .comparison import BubbleComparison, continuum_comparison, plot_continuum_comparison
from .ground_state import BlochGrid, free_energy, ground_state_densities
from .kpm import chebyshev_fermi, kpm_observables
from .kubo import AveragedSelfEnergy, DisorderedTILattice, KuboConductivity, averaged_self_energy, kubo_conductivity
from .linear_response import linear_response_observables
from .model import RashbaLattice
from .observables import LocalObservables, exact_observables, plot_currents_and_spins
from .patches import patched_observables
from .rational import rational_observables
from .square import SquareSystem, TISurfaceLattice
from .texture import (
    ContinuumLimit,
    LatticeCoefficients,
    LatticeTextureResponse,
    continuum_limit,
    extract_coefficients,
    extrapolate_to_zero,
    texture_response,
)

__all__ = [
    "RashbaLattice",
    "TISurfaceLattice",
    "SquareSystem",
    "LocalObservables",
    "exact_observables",
    "kpm_observables",
    "rational_observables",
    "patched_observables",
    "chebyshev_fermi",
    "plot_currents_and_spins",
    "linear_response_observables",
    "BubbleComparison",
    "continuum_comparison",
    "plot_continuum_comparison",
    "BlochGrid",
    "free_energy",
    "ground_state_densities",
    "LatticeTextureResponse",
    "LatticeCoefficients",
    "texture_response",
    "extract_coefficients",
    "extrapolate_to_zero",
    "DisorderedTILattice",
    "KuboConductivity",
    "kubo_conductivity",
    "AveragedSelfEnergy",
    "averaged_self_energy",
    "ContinuumLimit",
    "continuum_limit",
]
