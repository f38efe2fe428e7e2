"""Fermi-sea (Streda) part of the anomalous Hall conductivity (paper 002, Eq. s8), computed.

Expanding Eq. (s8) to first order in omega (energies E +- omega/2) with V = sigma_b, the Fermi-sea term of the
correlator is (same normalisation as K, in e^2/h; T = 0)

    K^II_ab = int_{-inf}^{E_F} dE [D^A_ab(E) - D^R_ab(E)],   D^R = (1/2)(d/dE1 - d/dE2) K^RR(E1, E2) at E1 = E2 = E,

K^RR(E1, E2) = M^RR (1 - pi alpha M^RR)^-1 the R-R ladder of :mod:`.correlator` (same self-consistent Born Green
functions, cutoff |p| < Lambda and rung), M^RR_ab(E1, E2) = v^2 int Tr[sigma_a G^R(p, E1) sigma_b G^R(p, E2)]; D^A =
-(D^R)^* (from M^AA = (M^RR)^dagger). D is antisymmetric in (a, b) (M^RR(E2, E1) = M^RR(E1, E2)^T), so the Fermi sea
adds to the Hall part only. This is the Streda term sigma^II of the Kubo-Streda split (e.g. Crepieux and Bruno,
PRB 64, 014416 (2001)): (1/2) int f Tr[v_x G^R v_y dG^R - v_x dG^R v_y G^R - (R -> A)], velocity v (sigma_y, -sigma_x).

Closed forms at q = 0 (angular average done; x = v^2 p^2, X = (v Lambda)^2, w = eps^2 - Delta^2 with the
self-consistent eps(E), Delta(E) of :func:`.self_energy.scba_parameters`):

    M^RR_xy(E1, E2) = (i / 2 pi) (Delta_1 eps_2 - eps_1 Delta_2) int_0^X dx / ((w_1 - x)(w_2 - x)),
    M^RR_xx(E, E) = (w / 2 pi) I(w),   I(w) = int_0^X dx / (w - x)^2 = 1/(w - X) - 1/w,

so D^R_xy = c^2 (i / 2 pi) (eps Delta' - Delta eps') I(w), c = 1 / (1 - pi alpha M^RR_xx) (the in-plane ladder at
equal energies is proportional to the identity), ' = d/dE by implicit differentiation of the Born equation
(:func:`_born_derivatives`). D^R(E) is the boundary value of a function analytic in the upper half plane that decays
like X / E^4, so the energy integral is rotated onto the vertical line E_F + i y:

    K^II_xy = -2 Re int_{-inf}^{E_F} D^R_xy dE = -2 Im int_0^inf D^R_xy(E_F + i y) dy,

where the integrand is smooth (no Fermi-surface or band-edge structure on the real axis is crossed). Quadrature: y =
E_F tan(theta), Gauss-Legendre panels in theta graded towards theta = 0 and y = E_Lambda; error = difference to 2/3 the order.

Clean limit (alpha -> 0, Lambda fixed; checked in tests/diffusive/test_streda.py against the semiclassical Streda
formula e dn/dB|_mu with Berry curvature and orbital moment): K^II_xy = -Delta_z / (2 E_Lambda) for E_F in the band,
sign(Delta_z)/2 - Delta_z / (2 E_Lambda) in the gap, E_Lambda = sqrt((v Lambda)^2 + Delta_z^2): in the band the Fermi
sea is a pure cutoff term, zero for Lambda -> infinity (the statement after paper 002, Eq. s8).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..models.dirac_ferromagnet import DiracFerromagnet
from ..numerics.graded_quadrature import graded_breakpoints, graded_gauss_legendre
from ..results import Result
from .self_energy import DEFAULT_CUTOFF_RATIO, scba_parameters

__all__ = ["FermiSeaHall", "fermi_sea_hall_conductivity", "clean_fermi_sea_hall"]


def _born_derivatives(energy, eps, delta, log_int, alpha, x_cut):
    """d eps / dE and d Delta / dE of eps = E / (1 + alpha l / 2), Delta = Delta_z / (1 - alpha l / 2), l = L(w).

    L(w) = log w - log(w - X), L' = -I(w); differentiating l = L(eps^2 - Delta^2) once gives l' in closed form.
    """
    a, b = 1 + 0.5 * alpha * log_int, 1 - 0.5 * alpha * log_int
    w = eps**2 - delta**2
    dlog = 1 / w - 1 / (w - x_cut)
    dl = (2 * eps * dlog / a) / (1 + alpha * dlog * (eps**2 / a + delta**2 / b))
    return (1 - 0.5 * alpha * eps * dl) / a, 0.5 * alpha * delta * dl / b


def streda_integrands(energy, delta_z: float, alpha: float, x_cut: float):
    """D^R_xy(E) at complex energies E (Im E >= 0), (1/2)(d1 - d2) of the R-R Hall correlator: (dressed, bare)."""
    eps, delta, log_int, _, _ = scba_parameters(energy, delta_z, alpha, np.sqrt(x_cut))
    d_eps, d_delta = _born_derivatives(np.asarray(energy), eps, delta, log_int, alpha, x_cut)
    w = eps**2 - delta**2
    overlap = 1 / (w - x_cut) - 1 / w
    bare = 1j / (2 * np.pi) * (eps * d_delta - delta * d_eps) * overlap
    return bare / (1 - 0.5 * alpha * w * overlap) ** 2, bare  # c^2: pi alpha M^RR_xx = alpha w I(w) / 2


@dataclass(frozen=True)
class FermiSeaHall(Result):
    """Fermi-sea (Streda) part of sigma_xy in e^2/h (paper 002, Eq. s8).

    ``value``: with the R-R / A-A ladder vertex (the conserving choice of :mod:`.correlator`); ``bare``: undressed
    vertices. ``clean_limit``: the alpha -> 0 closed form at the same cutoff (witness). ``error``: |value(order) -
    value(2 order / 3)| on the same panels, at the final order of the adaptive rise.
    """
    _units = {"value": "e^2 / h", "bare": "e^2 / h", "clean_limit": "e^2 / h", "cutoff": "E0"}

    value: float
    bare: float
    clean_limit: float
    error: float
    cutoff: float
    quadrature_order: int
    n_nodes: int


def clean_fermi_sea_hall(fermi_energy: float, delta_z: float, cutoff: float) -> float:
    """alpha -> 0 limit of K^II_xy: -Delta_z / (2 E_Lambda), plus sign(Delta_z) / 2 with E_F in the gap (e^2/h)."""
    e_cut = np.hypot(cutoff, delta_z)
    in_gap = abs(fermi_energy) < abs(delta_z)
    return float(0.5 * np.sign(delta_z) * in_gap - 0.5 * delta_z / e_cut)


def fermi_sea_hall_conductivity(
    model: DiracFerromagnet, *, cutoff_ratio: float = DEFAULT_CUTOFF_RATIO, quadrature_order: int = 16,
    tolerance: float = 1e-7, max_quadrature_order: int = 128,
) -> FermiSeaHall:
    """Streda term of sigma_H (paper 002, Eq. s8) with the ladder's Born self-energy, cutoff and R-R vertex.

    Any E_F > 0 (in the band or in the gap), Delta_z, alpha; cutoff v Lambda = cutoff_ratio * E_F as in the ladder.
    The order per panel starts at ``quadrature_order`` and grows by 3/2 until the error estimate is below
    ``tolerance`` (e^2/h) or ``max_quadrature_order`` is reached (then a RuntimeWarning says so; ``error`` is the
    estimate). Higher orders are needed near the fold of the Born equation in the gap (E_F deep in a large gap,
    alpha ~ 0.1: the gapped and gap-filling solutions merge and the integrand is sharp near the real axis).
    """
    if not (np.isfinite(cutoff_ratio) and cutoff_ratio > 1):
        raise ValueError(f"cutoff_ratio must be a finite number > 1, got {cutoff_ratio!r}")
    if quadrature_order < 6:
        raise ValueError(f"quadrature_order must be >= 6, got {quadrature_order!r}")
    if not (np.isfinite(tolerance) and tolerance > 0):
        raise ValueError(f"tolerance must be a finite number > 0 (e^2/h), got {tolerance!r}")
    if max_quadrature_order < quadrature_order:
        raise ValueError(f"max_quadrature_order must be >= quadrature_order = {quadrature_order}, "
                         f"got {max_quadrature_order!r}")
    e_f, delta_z, alpha = model.fermi_energy, model.exchange_z, model.disorder_alpha
    cutoff = cutoff_ratio * e_f
    # nearest real-axis structures seen from E_F: band edge |Delta_z|, cutoff edge, disorder width (in theta units)
    scale = min(abs(e_f - abs(delta_z)), np.hypot(cutoff, delta_z) - e_f) + 0.5 * np.pi * alpha * e_f
    # panels graded towards theta = 0 and towards the height of the cutoff edge, y = E_Lambda
    edge = np.arctan(np.hypot(cutoff, delta_z) / e_f)
    breaks = graded_breakpoints(0.0, 0.5 * np.pi, [0.0, edge], [min(0.1, 0.25 * scale / e_f), 0.1], ratio=2.0)

    def rule(order):
        theta, weight = graded_gauss_legendre(breaks, order)
        energy = e_f + 1j * e_f * np.tan(theta)
        jacobian = e_f / np.cos(theta) ** 2
        return [-2 * np.sum(weight * jacobian * f).imag for f in streda_integrands(energy, delta_z, alpha, cutoff**2)]

    order = int(quadrature_order)
    coarse, fine = rule(max(4, (2 * order) // 3)), rule(order)
    while abs(fine[0] - coarse[0]) > tolerance and order < max_quadrature_order:
        order = min(max_quadrature_order, (3 * order) // 2)
        coarse, fine = fine, rule(order)
    error = abs(fine[0] - coarse[0])
    if error > tolerance:
        warnings.warn(f"Fermi-sea term: quadrature error estimate {error:.2g} > tolerance = {tolerance:.2g} at "
                      f"max_quadrature_order = {max_quadrature_order}; raise it", RuntimeWarning, stacklevel=2)
    return FermiSeaHall(float(fine[0]), float(fine[1]), clean_fermi_sea_hall(e_f, delta_z, cutoff),
                        float(error), float(cutoff), order, len(breaks) - 1)
