"""Interconversion coefficients chi, g_spin, g_orb of paper 000 from its Green-function integrals.

With hbar = e = 1, G(k, eps) = (i eps - H0(k))^-1 and int d^3K/(2pi)^3 = int d^2k/(2pi)^2 int d eps/2pi
(a Matsubara sum T sum_n at T > 0):

    g_spin = 1/(2i) int d^3K/(2pi)^3 1/2 Tr[G sigma_z dG/dk_a sigma_a]              paper 000, Eq. (6)
    g_orb  = 1/(2i) int d^3K/(2pi)^3 1/2 Tr[G sigma_z eps_zab (k_a/k_F) dG/dk_b]     paper 000, Eq. (7)
    chi    = v_F g_orb + v g_spin                                                    paper 000, Eq. (8)

How they are evaluated (method="numeric"):

* dG/dk_a = G (dH0/dk_a) G, so each integrand is a trace of three resolvents; its frequency integral is
  exact in the eigenbasis of H0(k): a second divided difference of the occupation function
  (``spincharge.numerics.frequency_sums``).
* H0 is rotation covariant, H0(R_phi k) = e^{-i phi sigma_z/2} H0(k) e^{i phi sigma_z/2}, and both
  integrands are rotation invariant, so the angle integral is 2 pi times the value at k = (k, 0):
  int d^2k/(2pi)^2 -> int k dk / 2pi.
* The k integral uses Gauss-Legendre panels graded geometrically towards the Fermi momenta (smallest
  panel max(Delta, T, Gamma)/|xi'(k_F)|), with the tail k > K mapped to t = K/k in (0, 1]; nodes are
  kept as (Fermi momentum, offset) pairs. The error estimate comes from the decay of each panel's
  Legendre coefficients, plus the rounding of the nodes.
* At T = 0, Gamma = 0 and Delta = 0 the bands cross zero energy; the delta(E) parts of the divided
  differences are added as Fermi-surface terms, k_F w(k_F) / |dE/dk| at each crossing (the particle and
  hole blocks decouple there and are treated separately).

The parts (``.parts``): for the Rashba metal, e_zab k_a d_b G = d_phi G = -(i/2)[sigma_z, G] splits
Eq. (7) exactly into g_orb = g_orb_intra + g_orb_inter with

    g_orb_intra = -1/(8 k_F) int d^3K/(2pi)^3 Tr[G G],
    g_orb_inter = +1/(8 k_F) int d^3K/(2pi)^3 Tr[G sigma_z G sigma_z],

the same-band and band-changing terms of paper 000, Eqs. (15)-(16) (supplement, expressions above
Eq. S20; the printed interband one carries a spurious factor 2, see docs/conventions.md). For the TI surface (m -> infinity, chi = v g_spin, g_orb = 0),

    chi_I = -1/(4 pi) int_0^{k_c} dk int d eps/2pi 1/2 Tr[tau_z dG/dk]

(paper 000, text before Eq. 10, F^I = tau_z) and chi_II = chi - chi_I.

method="closed_form" returns paper 000, Eqs. (11)-(13) (TI, k_c -> infinity) or Eqs. (14)-(16)
(Rashba, quasiclassical limit E_F >> E_soc, Delta), from ``closed_forms``.

Broadening Gamma enters every resolvent as i eps -> i eps + i Gamma sgn(eps) (numeric method); the
frequency integrals then give divided differences of n(E) = 1/2 - arctan(E/Gamma)/pi at T = 0, and with
T > 0 as well (Matsubara frequencies w_n -> w_n + Gamma sgn w_n) of
n(E) = 1/2 - Im psi(1/2 + (Gamma + i E)/(2 pi T))/pi (``spincharge.numerics.occupation``). The closed form
broadens only the intraband term, as the paper does (Eq. 15 with gamma_s = Gamma/E_soc); see
docs/conventions.md for the consequences and the order of the limits T, Gamma, Delta -> 0.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..models import RashbaMetal, TISurface
from ..models.rashba import nambu_spin_matrix
from ..numerics.frequency_sums import (
    fermi_surface_trace_2,
    fermi_surface_trace_3,
    resolvent_traces,
    to_eigenbasis,
)
from ..numerics.graded_quadrature import graded_breakpoints
from ..numerics.occupation import occupation_for
from ..results import Result
from . import closed_forms

__all__ = ["MagnetoelectricCoefficients", "coefficients"]

_OPERATORS = {
    "one": nambu_spin_matrix("0", "0"),
    "sigma_x": nambu_spin_matrix("0", "x"),
    "sigma_y": nambu_spin_matrix("0", "y"),
    "sigma_z": nambu_spin_matrix("0", "z"),
    "tau_z": nambu_spin_matrix("z", "0"),
}


@dataclass(frozen=True)
class MagnetoelectricCoefficients(Result):
    """chi, g_spin, g_orb (hbar = e = 1) of one model, with their parts, error estimates and settings.

    ``parts``: TI surface ``chi_I``, ``chi_II``; Rashba metal ``g_orb_intra``, ``g_orb_inter``.
    ``error``: absolute error estimate of each value (keys ``chi``, ``g_spin``, ``g_orb`` and the parts).
    """

    chi: float
    g_spin: float
    g_orb: float
    parts: dict[str, float]
    error: dict[str, float]
    model: Any
    method: str
    temperature: float
    broadening: float
    settings: dict[str, Any] = field(default_factory=dict)

    _attrs = ("model", "settings")


@dataclass(frozen=True)
class _Term:
    """One Green-function integral: prefactor * int dk measure(k) int d eps/2pi Tr[ops interleaved with G]."""

    operators: tuple[str, ...]  # names in _OPERATORS or "velocity_x", "velocity_y"
    prefactor: float | complex
    measure_power: int  # measure(k) = k^p / (2 pi)


def _terms(model) -> dict[str, list[_Term]]:
    """The integrals of paper 000, Eqs. (6)-(7) and the parts, each a sum of resolvent traces."""
    half_over_2i = 0.5 / 2j  # 1/(2i) times the 1/2 of the Nambu trace
    terms = {
        # Eq. (6) at k = (k, 0): Tr[G s_z G V_a G s_a] summed over a = x, y, cyclically Tr[s_a G s_z G V_a G]
        "g_spin": [
            _Term(("sigma_x", "sigma_z", "velocity_x"), half_over_2i, 1),
            _Term(("sigma_y", "sigma_z", "velocity_y"), half_over_2i, 1),
        ]
    }
    if isinstance(model, RashbaMetal):
        k_f = model.fermi_wavenumber
        # Eq. (7) at k = (k, 0): e_zab k_a d_b G = k d_y G, so Tr[1 G s_z G V_y G] k / k_F
        terms["g_orb"] = [_Term(("one", "sigma_z", "velocity_y"), half_over_2i / k_f, 2)]
        terms["g_orb_intra"] = [_Term(("one", "one"), -1.0 / (8.0 * k_f), 1)]
        terms["g_orb_inter"] = [_Term(("sigma_z", "sigma_z"), 1.0 / (8.0 * k_f), 1)]
    else:
        # chi_I: -1/(4 pi) int dk 1/2 Tr[tau_z G V_k G], V_k = V_x at k = (k, 0)
        # (prefactor -1/(4 pi) * 1/2, times 2 pi to undo the 1/(2 pi) of the measure)
        terms["chi_I"] = [_Term(("tau_z", "velocity_x"), -0.25, 0)]
    return terms


def _measure(k, power: int):
    return np.asarray(k, dtype=float) ** power / (2.0 * math.pi)


def _operators_at(model, k):
    """Every operator of ``_terms`` at momenta (k, 0): (4, 4) if constant, else (..., 4, 4)."""
    vx, vy = model.velocity(k, np.zeros_like(k))
    return dict(_OPERATORS, velocity_x=vx, velocity_y=vy)


def _regular_integrands(model, rule, occupation, terms):
    """Integrand of every term at the nodes of ``rule`` (regular part of the frequency integrals)."""
    energies, vectors = model.eigensystem_on_axis(rule.centre, rule.offset)
    k = rule.k
    operators = _operators_at(model, k)
    names = sorted({name for term_list in terms.values() for term in term_list for name in term.operators})
    products = [tuple(names.index(o) for o in term.operators) for term_list in terms.values() for term in term_list]
    traces = iter(resolvent_traces(energies, vectors, [operators[n] for n in names], products, occupation))
    return {
        name: sum(term.prefactor * next(traces) * _measure(k, term.measure_power) for term in term_list)
        for name, term_list in terms.items()
    }


def _fermi_surface_terms(model, terms):
    """delta(E) parts at T = Gamma = Delta = 0: each band crossing zero at k_F adds k_F-weighted traces.

    With Delta = 0, H0 is block diagonal in Nambu space (particle block h(k), hole block -h(k)); in each
    block the helical bands are non-degenerate at the crossing, so delta(E_j(k)) = delta(k - k_F)/|E_j'|
    with E_j' = <j| dH/dk |j> (Hellmann-Feynman).
    """
    out = {name: 0.0 for name in terms}
    for k_f in model.fermi_momenta():
        if k_f >= model.momentum_cutoff:
            continue
        k = np.array([k_f])
        hamiltonian = model.hamiltonian(k, np.zeros_like(k))[0]
        ops = {name: op if op.ndim == 2 else op[0] for name, op in _operators_at(model, k).items()}
        for block in (slice(0, 2), slice(2, 4)):
            energies, vectors = np.linalg.eigh(hamiltonian[block, block])
            band = int(np.argmin(np.abs(energies)))
            local = {name: to_eigenbasis(op[block, block], vectors) for name, op in ops.items()}
            slope = abs(local["velocity_x"][band, band].real)
            if not slope > 0:
                raise ValueError(
                    f"mu = {model.mu!r} lies at a band edge (a Fermi momentum with zero velocity): the clean "
                    "T = 0 coefficient diverges there; give delta > 0, temperature > 0 or broadening > 0"
                )
            for name, term_list in terms.items():
                for term in term_list:
                    x = [local[o] for o in term.operators]
                    weight = (
                        fermi_surface_trace_2(*x, band)
                        if len(x) == 2
                        else fermi_surface_trace_3(*x, energies, band)
                    )
                    out[name] += term.prefactor * weight * _measure(k_f, term.measure_power) / slope
    return out


@functools.lru_cache(maxsize=16)
def _gauss_legendre(order: int):
    """Reference nodes, weights and the map from samples to Legendre coefficients on [-1, 1]."""
    x, w = np.polynomial.legendre.leggauss(order)
    # c_j = (2j + 1)/2 sum_i w_i P_j(x_i) f_i: exact for the interpolant of degree order - 1
    coefficients_map = np.polynomial.legendre.legvander(x, order - 1).T * w * (np.arange(order)[:, None] + 0.5)
    return x, w, coefficients_map


@dataclass(frozen=True)
class _Rule:
    """Composite Gauss-Legendre rule: int f = sum_i weight_i jacobian_i f(k_i), panels of ``order`` nodes.

    Nodes are k_i = centre_i + offset_i, with the offset from the nearest Fermi momentum kept to its own
    relative precision, so that the integrand is a smooth function of the node even where the panels are
    far narrower than eps k (the bands are evaluated from the pair, ``model.helical_bands(centre, offset)``).
    """

    centre: np.ndarray
    offset: np.ndarray
    jacobian: np.ndarray  # d k / d x on each panel's reference interval [-1, 1]
    rounding: np.ndarray  # relative rounding error of f(k_i) from the representation of k_i
    order: int

    @property
    def k(self):
        return self.centre + self.offset


def _panels(breakpoints, order: int, centres=(0.0,)):
    """Gauss-Legendre nodes on each panel between ``breakpoints``, as (centre, offset) with the centre
    nearest to the panel, and the Jacobians (panel half-widths)."""
    x = _gauss_legendre(order)[0]
    middle = 0.5 * (breakpoints[:-1] + breakpoints[1:])
    centres = np.asarray(centres, dtype=float)
    nearest = centres[np.argmin(np.abs(middle[:, None] - centres[None, :]), axis=1)]
    lower, upper = breakpoints[:-1] - nearest, breakpoints[1:] - nearest
    half = 0.5 * (upper - lower)[:, None]
    offsets = 0.5 * (lower + upper)[:, None] + half * x
    return (
        np.broadcast_to(nearest[:, None], offsets.shape).ravel(),
        offsets.ravel(),
        np.broadcast_to(half, offsets.shape).ravel(),
    )


def _quadrature(model, occupation, order: int, grading_ratio: float) -> _Rule:
    """The k rule for int_0^{k_c} dk: panels graded at the Fermi momenta; for k_c = infinity the tail
    beyond K mapped to t = K/k on panels graded towards t = 0."""
    scale = max(model.delta, occupation.scale)
    fermi = model.fermi_momenta()
    energy = 8.0 * max(abs(model.mu), scale)
    outer = max(2.0 * max(fermi, default=0.0), model.momentum_beyond(energy))
    upper = model.momentum_cutoff if math.isfinite(model.momentum_cutoff) else outer
    # grade towards the Fermi momenta, or towards the band edge (closest approach to E = 0) if none
    centres = [k_f for k_f in fermi if k_f < upper] or [model.closest_approach_momentum()]
    widths = []
    for k_f in centres:
        # smallest panel: the thermal/gap width of the Fermi-surface feature, at most a quarter of the
        # distance to the other Fermi momenta and to k = 0 (these set the scale when that width is 0)
        neighbours = [abs(k_f - other) for other in centres if other != k_f] + ([k_f] if k_f > 0 else [])
        width = 0.25 * min(neighbours, default=upper)
        edge = max(scale, float(np.min(np.abs(model.helical_bands(k_f)))))
        if edge > 0:
            width = min(width, model.momentum_width(k_f, edge))
        widths.append(width)
    centre, offset, jacobian = _panels(graded_breakpoints(0.0, upper, centres, widths, grading_ratio), order, centres)
    # an offset is stored to within eps |offset|; the integrand varies on the scale of its panel, so its
    # value carries a relative rounding error ~ eps |offset| / (panel half-width)
    rounding = np.finfo(float).eps * (1.0 + np.abs(offset) / jacobian)
    if upper < model.momentum_cutoff:
        _, t, half = _panels(np.array([0.0, 0.125, 0.25, 0.5, 1.0]), order)
        centre = np.concatenate([centre, np.zeros_like(t)])
        offset, jacobian = np.concatenate([offset, upper / t]), np.concatenate([jacobian, half * upper / t**2])
        rounding = np.concatenate([rounding, np.full(t.size, np.finfo(float).eps)])
    return _Rule(centre, offset, jacobian, rounding, order)


def _integrate(rule: _Rule, values):
    """Integral and truncation-error estimate from the Legendre coefficients c_j of each panel's samples.

    With |c_j| ~ C rho^-j (analytic integrand), q = rho^-2 is estimated from the last two pairs of
    coefficients and the error as (|c_{n-1}| + |c_{n-2}|) q^(n/4) per panel: the Gauss error is of order
    C rho^-2n, so this errs on the large side by about rho^(n/2). A panel without decay (q >= 1) counts
    with its full tail.
    """
    _, weights, coefficients_map = _gauss_legendre(rule.order)
    samples = (rule.jacobian * values).reshape(-1, rule.order)
    integral = complex(np.sum(samples @ weights))
    magnitude = np.abs(samples @ coefficients_map.T)
    tail = magnitude[:, -1] + magnitude[:, -2]
    previous = magnitude[:, -3] + magnitude[:, -4]
    with np.errstate(divide="ignore", invalid="ignore"):
        decay = np.minimum(np.where(previous > 0, tail / previous, 1.0), 1.0)
    truncation = float(np.sum(2.0 * tail * decay ** (rule.order / 4)))
    rounding = float(np.sum(np.abs(samples) * weights * rule.rounding.reshape(samples.shape)))
    return integral, truncation + rounding


def _numeric(model, occupation, nodes_per_panel: int, grading_ratio: float):
    terms = _terms(model)
    rule = _quadrature(model, occupation, nodes_per_panel, grading_ratio)
    integrands = _regular_integrands(model, rule, occupation, terms)
    values, error = {}, {}
    for name, integrand in integrands.items():
        values[name], error[name] = _integrate(rule, integrand)
    if model.delta == 0 and occupation.scale == 0:
        for name, extra in _fermi_surface_terms(model, terms).items():
            values[name] += extra
            error[name] += 8 * np.finfo(float).eps * abs(extra)
    for name, value in values.items():  # imaginary residue of the traces
        error[name] += abs(value.imag)
    settings = {
        "nodes_per_panel": nodes_per_panel,
        "grading_ratio": grading_ratio,
        "panels": int(rule.k.size // nodes_per_panel),
        "nodes": int(rule.k.size),
        "k_cutoff": model.momentum_cutoff,
    }
    return {name: value.real for name, value in values.items()}, error, settings


def _assemble(model, values, error, method, temperature, broadening, settings):
    v = model.v
    if isinstance(model, RashbaMetal):
        v_f = model.fermi_velocity
        chi = v_f * values["g_orb"] + v * values["g_spin"]
        parts = {"g_orb_intra": values["g_orb_intra"], "g_orb_inter": values["g_orb_inter"]}
        error = dict(error, chi=v_f * error["g_orb"] + v * error["g_spin"])
        g_orb = values["g_orb"]
    else:
        chi = v * values["g_spin"]
        parts = {"chi_I": values["chi_I"], "chi_II": chi - values["chi_I"]}
        error = dict(error, chi=v * error["g_spin"], g_orb=0.0)
        error["chi_II"] = error["chi"] + error["chi_I"]
        g_orb = 0.0
    return MagnetoelectricCoefficients(
        chi=float(chi),
        g_spin=float(values["g_spin"]),
        g_orb=float(g_orb),
        parts={name: float(value) for name, value in parts.items()},
        error={name: float(value) for name, value in error.items()},
        model=model,
        method=method,
        temperature=float(temperature),
        broadening=float(broadening),
        settings=settings,
    )


def coefficients(
    model: RashbaMetal | TISurface,
    temperature: float = 0.0,
    broadening: float = 0.0,
    method: str = "numeric",
    *,
    nodes_per_panel: int = 12,
    grading_ratio: float = 2.0,
) -> MagnetoelectricCoefficients:
    """chi, g_spin, g_orb of paper 000, Eqs. (6)-(8), for a ``RashbaMetal`` or a ``TISurface``.

    Parameters
    ----------
    model : RashbaMetal or TISurface
    temperature : float
        T >= 0 (k_B = 1, energy units). The numeric method uses the Fermi function (with Gamma > 0 its
        broadened form, ``spincharge.numerics.occupation.BroadenedFermiDirac``).
    broadening : float
        Gamma >= 0: i eps -> i eps + i Gamma sgn(eps) in every resolvent (numeric method; with T > 0 the
        Matsubara frequencies w_n -> w_n + Gamma sgn(w_n)); the closed form (T = 0 only) broadens only the
        intraband term (paper 000, Eq. 15 with gamma = Gamma / E_soc).
    method : {"numeric", "closed_form"}
        Direct evaluation of Eqs. (6)-(7), or paper 000, Eqs. (11)-(16).
    nodes_per_panel : int
        Gauss-Legendre order on each panel of the momentum grid (numeric method).
    grading_ratio : float
        Growth ratio of the panels away from each Fermi momentum (numeric method).

    At Delta = 0, T = 0, Gamma = 0 the numeric method returns the clean normal-state value, Fermi-surface
    terms included; it equals lim_{T->0} at Delta = 0, not lim_{Delta->0+} at T = 0 (they differ; see
    docs/conventions.md). A TI surface with mu = 0 at T = Gamma = Delta = 0 has its Dirac point at the
    Fermi level, where the clean coefficient is undefined: ValueError.
    """
    if not isinstance(model, (RashbaMetal, TISurface)):
        raise ValueError(f"model must be a RashbaMetal or a TISurface, got {type(model).__name__}")
    if not (np.isfinite(temperature) and temperature >= 0):
        raise ValueError(f"temperature must be finite and >= 0, got {temperature!r}")
    occupation = occupation_for(temperature, broadening)
    if method == "closed_form":
        values, error = closed_forms.coefficients_of(model, temperature=temperature, broadening=broadening)
        return _assemble(model, values, error, method, temperature, broadening, {})
    if method != "numeric":
        raise ValueError(f"method must be 'numeric' or 'closed_form', got {method!r}")
    if not (isinstance(nodes_per_panel, int) and 4 <= nodes_per_panel <= 200):
        raise ValueError(f"nodes_per_panel must be an integer in [4, 200], got {nodes_per_panel!r}")
    if not (np.isfinite(grading_ratio) and grading_ratio > 1):
        raise ValueError(f"grading_ratio must be finite and > 1, got {grading_ratio!r}")
    if isinstance(model, TISurface) and model.mu == 0 and model.delta == 0 and occupation.scale == 0:
        raise ValueError(
            "TISurface with mu = 0 and delta = 0 at temperature = broadening = 0 has its Dirac point at "
            "the Fermi level (clean coefficient undefined): give mu != 0, delta > 0, temperature > 0 or "
            "broadening > 0"
        )
    values, error, settings = _numeric(model, occupation, nodes_per_panel, grading_ratio)
    return _assemble(model, values, error, method, temperature, broadening, settings)
