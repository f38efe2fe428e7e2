"""Anomalous Hall conductivity sigma_H of the disordered Dirac ferromagnet (paper 002, Eq. 10).

sigma_H = sigma^nc + sigma^X+Psi. The non-crossing (ladder) part sigma^nc = K_xy(q = 0, omega -> 0) is
computed here by direct integration (:func:`spincharge.diffusive.correlator.dc_conductivity`); to leading
order it is 4 eps Delta (eps^2 + Delta^2)/(eps^2 + 3 Delta^2)^2. The crossed X and Psi diagrams of paper
002, Fig. 2(b-d), are not computed: their sum is taken from the closed form of Eq. (10) (paper 002, Ref. 55):
sigma^X+Psi = 8 eps Delta^3/(eps^2 + 3 Delta^2)^2 - 4 eps Delta (eps^2 + Delta^2)/(eps^2 + 3 Delta^2)^2
= -4 eps Delta (eps^2 - Delta^2)/(eps^2 + 3 Delta^2)^2. It cancels the O(Delta) term of sigma^nc, so that
sigma_H = O(Delta^3) for Delta -> 0; the total has the sign of eps Delta_z and reaches 1/2 (e^2/2h) at the
band edge eps -> |Delta_z|, where sigma^X+Psi vanishes with the Fermi-surface phase space.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models.dirac_ferromagnet import DiracFerromagnet
from ..results import Result
from . import analytic
from .correlator import dc_conductivity
from .self_energy import DEFAULT_CUTOFF_RATIO

__all__ = ["AnomalousHall", "anomalous_hall_conductivity"]


@dataclass(frozen=True)
class AnomalousHall(Result):
    """sigma_xy in e^2/h: ``total`` = ``noncrossing`` (numerical ladder) + ``crossed`` (closed form, Ref. 55).

    ``noncrossing_leading`` is the leading-order closed form of the ladder part (a witness), ``error`` the
    quadrature error of the ladder part. The numerical ladder part carries O(alpha) corrections (relative,
    including O(alpha log(Lambda/p_F))) that the leading-order crossed part does not balance;
    ``truncation`` = |noncrossing - noncrossing_leading| estimates that inconsistency, so the sign of
    ``total`` is meaningful only where |total| > truncation (Delta_z^2 >> alpha eps^2).
    """
    _units = {"total": "e^2 / h", "noncrossing": "e^2 / h", "crossed": "e^2 / h", "noncrossing_leading": "e^2 / h"}

    total: float
    noncrossing: float
    crossed: float
    noncrossing_leading: float
    error: float
    truncation: float
    crossed_source: str = "paper 002, Eq. (10) minus the ladder closed form (Ref. 55: Ado et al., EPL 111, 37004)"


def anomalous_hall_conductivity(
    model: DiracFerromagnet, *, cutoff_ratio: float = DEFAULT_CUTOFF_RATIO, quadrature_order: int = 24
) -> AnomalousHall:
    """sigma_H of paper 002, Eq. (10): numerical non-crossing part plus the cited crossed (X + Psi) part."""
    dc = dc_conductivity(model, cutoff_ratio=cutoff_ratio, quadrature_order=quadrature_order)
    crossed = analytic.crossed_hall_conductivity(model)
    leading = analytic.noncrossing_hall_conductivity(model)
    return AnomalousHall(dc.hall + crossed, dc.hall, crossed, leading, dc.error, abs(dc.hall - leading))
