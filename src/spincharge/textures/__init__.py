"""Magnetization textures on uniform 2D grids and their spatial derivatives.

``Grid``
    uniform grid, periodic or not along each axis
``Texture``
    frozen M(r) (energy units, shape (3, ny, nx)) with closed-form Jacobian where known: skyrmions
    (Neel, Bloch), Gaussian bubble, domain wall, uniform out-of-plane gradient (paper 000, Fig. 1(c)),
    any user array
``gradient``
    spectral / high-order finite-difference derivatives with error estimates
``plotting``
    figures of texture-induced currents and spin densities (matplotlib)

The responses these textures induce (paper 000, Eqs. 2-3) are computed by
``spincharge.magnetoelectric.induced_response``.
"""

from .derivatives import DERIVATIVE_METHODS, gradient, partial_derivative, stencil_weights
from .grid import Grid
from .texture import Texture

__all__ = ["Grid", "Texture", "gradient", "partial_derivative", "stencil_weights", "DERIVATIVE_METHODS"]
