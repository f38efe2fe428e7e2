"""Surface of a topological insulator with a proximity-induced s-wave gap: paper 000, Eq. (5), m -> infinity.

    H0(k) = tau_z [ v (k_x sigma_y - k_y sigma_x) - mu ] + Delta tau_x      (hbar = e = 1),

one helical (Dirac) branch per Nambu sector, basis of paper 000, Eq. (4). The momentum integrals of
paper 000 run up to a cutoff k_c (text before Eq. 10); the default k_c = infinity is the limit in which
the closed forms, Eqs. (11)-(13), hold (the integrals converge; the approach is checked in the tests).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .rashba import HelicalSuperconductor, _require_finite, _require_gap, _require_positive

__all__ = ["TISurface"]


@dataclass(frozen=True)
class TISurface(HelicalSuperconductor):
    """Topological-insulator surface with s-wave gap (paper 000, Eq. 5 with m -> infinity).

    Parameters
    ----------
    v : float
        Dirac velocity v > 0.
    mu : float
        Chemical potential measured from the Dirac point (finite, any sign).
    delta : float
        Pairing gap Delta >= 0.
    k_cutoff : float
        Momentum cutoff k_c of the integrals; must exceed the Fermi momentum |mu| / v; may be infinite.
    """

    v: float
    mu: float
    delta: float = 0.0
    k_cutoff: float = math.inf

    def __post_init__(self):
        _require_positive("v", self.v)
        _require_finite("mu", self.mu)
        _require_gap(self.delta)
        if math.isnan(self.k_cutoff) or not self.k_cutoff > abs(self.mu) / self.v:
            raise ValueError(
                f"k_cutoff must exceed the Fermi momentum |mu|/v = {abs(self.mu) / self.v!r} "
                f"(infinity allowed), got {self.k_cutoff!r}"
            )

    @property
    def inverse_mass(self) -> float:
        return 0.0

    @property
    def momentum_cutoff(self) -> float:
        return self.k_cutoff

    @property
    def fermi_wavenumber(self) -> float:
        """k_F = |mu| / v, where the helical band crosses the chemical potential."""
        return abs(self.mu) / self.v
