"""Anomalous Hall conductivity sigma_H of the disordered Dirac ferromagnet (paper 002, Eq. 10).

sigma_H = sigma^nc + sigma^X+Psi, both computed by direct momentum integration with the same self-consistent
Born Green functions, cutoff and ladder vertex: the non-crossing (ladder) part sigma^nc = K_xy(q = 0, omega -> 0)
(:func:`spincharge.diffusive.correlator.dc_conductivity`) and the crossed X and Psi diagrams of paper 002,
Fig. 2(b-d) (:func:`spincharge.diffusive.crossed.crossed_hall_conductivity`). Nothing is borrowed. Witnesses
(leading order in alpha, Ref. 55): sigma^nc -> 4 eps Delta (eps^2 + Delta^2)/(eps^2 + 3 Delta^2)^2,
sigma^X+Psi -> -4 eps Delta (eps^2 - Delta^2)/(eps^2 + 3 Delta^2)^2, total -> 8 eps Delta^3/(eps^2 + 3 Delta^2)^2.
These are the Fermi-surface terms (Eq. s7); the Fermi-sea (Streda) term of Eq. (s8) is
:func:`spincharge.diffusive.streda.fermi_sea_hall_conductivity`, not included here (the cutoff term -Delta_z/(2 E_Lambda)
plus O(alpha); docs/conventions.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models.dirac_ferromagnet import DiracFerromagnet
from ..results import Result
from . import analytic
from .correlator import dc_conductivity
from .crossed import crossed_hall_conductivity
from .self_energy import DEFAULT_CUTOFF_RATIO

__all__ = ["AnomalousHall", "anomalous_hall_conductivity"]


@dataclass(frozen=True)
class AnomalousHall(Result):
    """sigma_xy in e^2/h: ``total`` = ``noncrossing`` (ladder) + ``crossed`` (X + Psi), both computed.

    ``noncrossing_leading``, ``crossed_leading``, ``total_leading``: the leading-order closed forms (Ref. 55 and
    Eq. 10), witnesses only. ``error``: quadrature error of the total (ladder + crossed estimates). The
    computed parts differ from the closed forms by O(alpha) (and O(alpha log(Lambda/p_F))), see
    docs/conventions.md.
    """
    _units = {"total": "e^2 / h", "noncrossing": "e^2 / h", "crossed": "e^2 / h", "noncrossing_leading": "e^2 / h"}

    total: float
    noncrossing: float
    crossed: float
    noncrossing_leading: float
    crossed_leading: float
    total_leading: float
    error: float


def anomalous_hall_conductivity(
    model: DiracFerromagnet,
    *,
    cutoff_ratio: float = DEFAULT_CUTOFF_RATIO,
    quadrature_order: int = 24,
    crossed_order: int = 8,
) -> AnomalousHall:
    """sigma_H of paper 002, Eq. (10): numerical ladder part plus the numerical X and Psi diagrams.

    ``quadrature_order``: radial rule of the ladder bubble; ``crossed_order``: that of the crossed diagrams.
    """
    dc = dc_conductivity(model, cutoff_ratio=cutoff_ratio, quadrature_order=quadrature_order, rr_aa=False)
    crossed = crossed_hall_conductivity(model, cutoff_ratio=cutoff_ratio, quadrature_order=crossed_order)
    return AnomalousHall(
        dc.hall + crossed.total, dc.hall, crossed.total, analytic.noncrossing_hall_conductivity(model),
        analytic.crossed_hall_conductivity(model), analytic.hall_conductivity(model), dc.error + crossed.error,
    )
