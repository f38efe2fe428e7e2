"""Material descriptions shared by the normal-state diffusion and the Usadel solvers (paper 003).

:class:`Material` holds the spin-orbit response tensors of paper 003 (D, Gamma, alpha, gamma, theta,
kappa; Eqs. 4-9 and S10-S13) and an exchange field h, built from arrays or from a point group with the
named parameters of :func:`spincharge.symmetry.allowed_form`.
"""

from .material import TENSOR_NAMES, Material, relaxation_matrix

__all__ = ["Material", "TENSOR_NAMES", "relaxation_matrix"]
