"""Continuum models: frozen, validated dataclasses that know their Hamiltonian H0(k) and bands."""

from .rashba import RashbaMetal
from .ti_surface import TISurface
from .dirac_ferromagnet import DiracFerromagnet

__all__ = ["RashbaMetal", "TISurface", "DiracFerromagnet"]
