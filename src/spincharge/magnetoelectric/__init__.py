"""Paper 000: magnetoelectric interconversion coefficients chi, g_spin, g_orb and texture responses."""

from .coefficients import MagnetoelectricCoefficients, coefficients
from .texture_response import induced_response

__all__ = ["MagnetoelectricCoefficients", "coefficients", "induced_response"]
