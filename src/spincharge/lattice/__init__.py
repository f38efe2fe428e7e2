"""Real-space lattice witness for paper 000: textures on a tight-binding BdG lattice."""

from .ground_state import BlochGrid, free_energy, ground_state_densities
from .model import RashbaLattice
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
    "BlochGrid",
    "free_energy",
    "ground_state_densities",
    "LatticeTextureResponse",
    "LatticeCoefficients",
    "texture_response",
    "extract_coefficients",
    "extrapolate_to_zero",
    "ContinuumLimit",
    "continuum_limit",
]
