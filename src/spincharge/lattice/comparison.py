"""Smooth weak textures on the 2D lattice against the continuum: paper 000, Eqs. (2)-(3) for a Gaussian bubble.

A Gaussian M_z bubble of width w and amplitude M0 is put on a periodic box (side ``box_factor`` w, the
Gaussian summed over its periodic images so that M_z is smooth), the bond currents and site spins are
computed on the lattice, and the maps are projected (least squares over every bond and site) onto the
continuum forms

    J = -chi curl(z_hat M_z) = chi (-d_y M_z, d_x M_z)    (x-bonds at their midpoints, y-bonds likewise),
    S_par = g_spin grad M_z                                 (at the sites),

evaluated with the closed-form derivatives of the texture. The fitted chi(w), g_spin(w) are compared with

* the lattice's own q -> 0 coefficients, from the 1D supercell witness (``texture``: cosine textures,
  Bloch sums, q -> 0 fit), an independent code on the same band structure: chi(w) / chi_lattice -> 1 for
  w >> xi = v_F / Delta is the statement of Eqs. (2)-(3) on this lattice;
* the continuum coefficients of Eqs. (6)-(8) (``spincharge.magnetoelectric``), which the lattice values
  approach as a -> 0 (O((k_F a)^2); ``texture.continuum_limit``).

Methods: ``"linear"`` (default) the first-order response from the Bloch bands (``linear_response``),
amplitude-independent, fast for large boxes; ``"exact"`` exact diagonalisation of the box at the given
amplitude (small boxes; shows the failure at M0 ~ Delta).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..results import Result
from .model import RashbaLattice
from .observables import LocalObservables, exact_observables
from .linear_response import linear_response_observables
from .square import SquareSystem, TISurfaceLattice
from .texture import extract_coefficients, texture_response

__all__ = [
    "BubbleComparison",
    "bubble_system",
    "coherence_length",
    "continuum_comparison",
    "curvature_prediction",
    "fit_to_continuum",
    "plot_continuum_comparison",
    "StripeComparison",
    "stripe_comparison",
]


def coherence_length(model) -> float:
    """xi = v_F / Delta of the continuum model (v_F = k_F / m for Rashba, v for the TI surface)."""
    if not model.delta > 0:
        raise ValueError(f"model.delta must be > 0 for a coherence length, got {model.delta!r}")
    velocity = model.fermi_wavenumber / model.mass if isinstance(model, RashbaLattice) else model.v
    return velocity / model.delta


def _gaussian(model, sites: int, width: float, amplitude: float):
    """Periodised bubble M_z and its derivatives on the sites and bond midpoints of a sites x sites box."""
    a, length = model.spacing, sites * model.spacing
    images = np.arange(-2, 3) * length

    def at(x, y):
        dx = x[..., None, None] - length / 2 - images[:, None]
        dy = y[..., None, None] - length / 2 - images[None, :]
        g = amplitude * np.exp(-(dx**2 + dy**2) / (2 * width**2))
        return g.sum((-1, -2)), (-dx * g).sum((-1, -2)) / width**2, (-dy * g).sum((-1, -2)) / width**2

    x, y = np.meshgrid(a * np.arange(sites), a * np.arange(sites), indexing="xy")
    return at(x, y), at(x + a / 2, y), at(x, y + a / 2)


def bubble_system(model, width: float, amplitude: float, *, box_factor: float = 7.0) -> tuple[SquareSystem, dict]:
    """Periodic SquareSystem with the periodised Gaussian bubble, and the continuum templates of Eqs. (2)-(3).

    Box: the even number of sites closest to ``box_factor`` width / a (at least 8).
    """
    for name, value in (("width", width), ("box_factor", box_factor)):
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    if not (math.isfinite(amplitude) and amplitude != 0):
        raise ValueError(f"amplitude must be finite and nonzero, got {amplitude!r}")
    sites = max(8, 2 * round(box_factor * width / (2 * model.spacing)))
    (mz, dxs, dys), (_, _, dy_xbond), (_, dx_ybond, _) = _gaussian(model, sites, width, amplitude)
    exchange = np.zeros((3, sites, sites))
    exchange[2] = mz
    templates = dict(current_x=-dy_xbond, current_y=dx_ybond, spin_x=dxs, spin_y=dys)
    return SquareSystem(model, exchange, periodic=True), templates


def fit_to_continuum(observables: LocalObservables, templates: dict) -> dict:
    """Least-squares chi, g_spin of J = chi (-d_y M_z, d_x M_z), S_par = g_spin grad M_z over the maps.

    Returns chi, g_spin, their relative residuals ||F - c T|| / ||F|| (the shape mismatch) and the
    propagated error bounds (max-norm errors of the maps times sum |T| / sum T^2).
    """
    out = {}
    for name, parts, error in (
        ("chi", ("current_x", "current_y"), observables.current_error),
        ("g_spin", ("spin_x", "spin_y"), observables.spin_error),
    ):
        values = {
            "current_x": observables.current_x, "current_y": observables.current_y,
            "spin_x": observables.spin[0], "spin_y": observables.spin[1],
        }  # fmt: skip
        t = np.concatenate([templates[p].ravel() for p in parts])
        f = np.concatenate([values[p].ravel() for p in parts])
        norm = t @ t
        coefficient = (f @ t) / norm
        out[name] = float(coefficient)
        out[f"{name}_error"] = float(error * np.abs(t).sum() / norm)
        out[f"{name}_residual"] = float(np.linalg.norm(f - coefficient * t) / max(np.linalg.norm(f), 1e-300))
    return out


def _witness_response(model, temperature):
    """The 1D supercell witness on the same lattice: 6 cosine harmonics, supercell 16 xi, 10 xi across."""
    xi, a = coherence_length(model), model.spacing
    harmonics = 6
    return texture_response(
        model, 1e-3, max(4 * harmonics, round(16 * xi / a)), 2 * max(1, round(10 * xi / (2 * a))), temperature,
        harmonics=harmonics,
    )  # fmt: skip


def curvature_prediction(response, widths) -> np.ndarray:
    """chi(w) / chi(q -> 0) of a Gaussian bubble predicted from a 1D witness ``texture_response``'s chi(q).

    In linear response J(q) = chi(q) i q x z_hat M_z(q); the least-squares fit of a bubble's current weights
    chi(|q|) by q^2 |M_z(q)|^2 q dq = q^3 exp(-q^2 w^2) dq, so chi(q) = c0 + c2 q^2 + c4 q^4 (fitted to the
    cosine harmonics) gives chi(w) / c0 = 1 + (c2 / c0) <q^2> + (c4 / c0) <q^4>, <q^2> = 2 / w^2,
    <q^4> = 6 / w^4 (isotropy assumed: the lattice's C4 anisotropy enters at O(q^4 a^2)).
    """
    c4, c2, c0 = np.polyfit(response.wavenumbers**2, response.chi_at_q, 2)
    widths = np.asarray(widths, dtype=float)
    return 1 + (c2 / c0) * 2 / widths**2 + (c4 / c0) * 6 / widths**4


def _continuum_reference(model, temperature):
    from ..magnetoelectric import coefficients
    from ..models import RashbaMetal, TISurface

    kind = RashbaMetal if isinstance(model, RashbaLattice) else TISurface
    c = coefficients(kind(**model.continuum_parameters()), temperature)
    return dict(chi=float(c.chi), g_spin=float(c.g_spin))


@dataclass(frozen=True)
class BubbleComparison(Result):
    """chi(w), g_spin(w) fitted to the lattice maps of Gaussian bubbles, against the lattice and continuum values.

    Arrays over ``width`` (w, length units of the model; ``width_over_xi`` = w / xi with xi = v_F / Delta
    of the continuum model, or w / a when Delta = 0). ``chi_ratio`` = chi(w) / ``chi_lattice`` (the 1D
    witness's q -> 0 value on the same lattice; Rashba only, else 0), ``chi_continuum_ratio`` =
    chi(w) / ``chi_continuum`` (paper 000, Eqs. 6-8); likewise for g_spin. ``chi_predicted_ratio``: the
    ratio expected from the witness's chi(q) (``curvature_prediction``; Rashba only). ``*_residual``:
    relative shape mismatch of the least-squares fit.
    """

    _dims = {
        name: ("width",)
        for name in (
            "width", "width_over_xi", "chi", "chi_error", "g_spin", "g_spin_error", "chi_residual",
            "g_spin_residual", "chi_ratio", "g_spin_ratio", "chi_predicted_ratio", "chi_continuum_ratio",
            "g_spin_continuum_ratio",
        )
    }  # fmt: skip
    _attrs = ("model", "settings")

    width: np.ndarray
    width_over_xi: np.ndarray
    chi: np.ndarray
    chi_error: np.ndarray
    g_spin: np.ndarray
    g_spin_error: np.ndarray
    chi_residual: np.ndarray
    g_spin_residual: np.ndarray
    chi_ratio: np.ndarray
    g_spin_ratio: np.ndarray
    chi_predicted_ratio: np.ndarray
    chi_continuum_ratio: np.ndarray
    g_spin_continuum_ratio: np.ndarray
    chi_lattice: float
    chi_lattice_error: float
    g_spin_lattice: float
    g_spin_lattice_error: float
    chi_continuum: float
    g_spin_continuum: float
    amplitude: float
    temperature: float
    model: Any
    settings: dict[str, Any] = field(default_factory=dict)


def continuum_comparison(
    model,
    widths,
    temperature: float = 0.0,
    *,
    amplitude: float | None = None,
    method: str = "linear",
    box_factor: float = 7.0,
    k_length: float = 16.0,
    lattice_reference: bool = True,
) -> BubbleComparison:
    """Gaussian M_z bubbles of the given widths on ``model``: fitted chi(w), g_spin(w) vs paper 000, Eqs. (2)-(3).

    Parameters
    ----------
    model : RashbaLattice or TISurfaceLattice
    widths : float or sequence of float
        Bubble widths w (model length units), M_z = M0 exp(-rho^2 / 2 w^2); a scalar gives scalar fields.
    amplitude : float, optional
        M0. Required for ``method="exact"``; the linear method is independent of it (reported as 0).
    method : {"linear", "exact"}
        First-order Bloch-band response (``linear_response_observables``) or exact diagonalisation.
    box_factor : float
        Box side / w.
    k_length : float
        Linear method: the Bloch sums run over a periodic lattice of at least ``k_length`` xi (xi = v_F /
        Delta; v_F / T at Delta = 0) per side, an even multiple of the box (error estimate: ``k_multiple``).
    lattice_reference : bool
        Compute the 1D witness's q -> 0 coefficients on the same lattice (Rashba only).
    """
    if not isinstance(model, (RashbaLattice, TISurfaceLattice)):
        raise ValueError(f"model must be a RashbaLattice or a TISurfaceLattice, got {type(model).__name__}")
    scalar = np.ndim(widths) == 0  # scalars in, scalars out (numpy's convention)
    widths = np.atleast_1d(np.asarray(widths, dtype=float))
    if widths.ndim != 1 or widths.size == 0:
        raise ValueError(f"widths must be a non-empty sequence of floats, got shape {widths.shape}")
    if method not in ("linear", "exact"):
        raise ValueError(f"method must be 'linear' or 'exact', got {method!r}")
    if method == "exact" and amplitude is None:
        raise ValueError("amplitude is required for method='exact'")
    if not (math.isfinite(k_length) and k_length > 0):
        raise ValueError(f"k_length must be finite and > 0, got {k_length!r}")
    if model.delta > 0:
        xi = coherence_length(model)
    elif temperature > 0:
        xi = (model.v if isinstance(model, TISurfaceLattice) else model.fermi_wavenumber / model.mass) / temperature
    else:
        raise ValueError("model.delta = 0 needs temperature > 0 (gapless Bloch sums)")
    fits = []
    for w in widths:
        m0 = amplitude if amplitude is not None else 1e-3  # the linear maps are divided by it again
        system, templates = bubble_system(model, float(w), m0, box_factor=box_factor)
        if method == "linear":
            box = system.nx * model.spacing
            multiple = 2 * max(1, math.ceil(k_length * xi / (2 * box)))  # even: the error estimate needs n / 2
            observables = linear_response_observables(system, temperature, k_multiple=multiple)
        else:
            observables = exact_observables(system, temperature)
        fit = fit_to_continuum(observables, templates)
        fit["sites"], fit["seconds"] = system.nx, observables.settings.get("seconds", 0.0)
        fits.append(fit)
    if lattice_reference and isinstance(model, RashbaLattice):
        response = _witness_response(model, temperature)
        c = extract_coefficients(response)
        reference = dict(chi=c.chi, g_spin=c.g_spin, chi_error=c.chi_error, g_spin_error=c.g_spin_error, available=True)
        predicted = curvature_prediction(response, widths)
    else:
        reference = dict(chi=0.0, g_spin=0.0, chi_error=0.0, g_spin_error=0.0, available=False)
        predicted = np.zeros_like(widths)
    continuum = _continuum_reference(model, temperature)
    column = {name: np.array([f[name] for f in fits]) for name in fits[0]}

    def ratio(values, by):
        return values / by if by != 0 else np.zeros_like(values)

    names = ("chi", "g_spin")
    fitted = {f"{n}{part}": column[f"{n}{part}"] for n in names for part in ("", "_error", "_residual")}
    ratios = {f"{n}_ratio": ratio(column[n], reference[n]) for n in names}
    ratios |= {f"{n}_continuum_ratio": ratio(column[n], continuum[n]) for n in names}
    references = {f"{n}_lattice": reference[n] for n in names}
    references |= {f"{n}_lattice_error": reference[f"{n}_error"] for n in names}
    over_width = _scalars_if(scalar, dict(width=widths, width_over_xi=widths / xi, chi_predicted_ratio=predicted,
                                          **fitted, **ratios))  # fmt: skip
    return BubbleComparison(
        **over_width,
        **references,
        chi_continuum=continuum["chi"],
        g_spin_continuum=continuum["g_spin"],
        amplitude=float(amplitude) if method == "exact" else 0.0,
        temperature=float(temperature),
        model=model,
        settings=dict(
            method=method, box_factor=box_factor, k_length=k_length, coherence_length=xi,
            sites=column["sites"].tolist(), seconds=float(column["seconds"].sum()),
            lattice_reference=reference["available"],
        ),
    )


@dataclass(frozen=True)
class StripeComparison(Result):
    """chi, g_spin fitted to a Gaussian stripe M_z(x) = M0 exp(-x^2 / 2 w^2) at each amplitude, exactly (1D witness).

    Arrays over ``amplitude`` (M0); ``*_ratio``: divided by the lattice's q -> 0 coefficients (``chi_lattice``,
    ``g_spin_lattice``); ``*_error``: Bloch-sampling estimate (every other k_y dropped) propagated through the fit.
    """

    _dims = {
        name: ("amplitude",)
        for name in ("amplitude", "chi", "chi_error", "g_spin", "g_spin_error", "chi_ratio", "g_spin_ratio")
    }
    _attrs = ("model", "settings")

    amplitude: np.ndarray
    chi: np.ndarray
    chi_error: np.ndarray
    g_spin: np.ndarray
    g_spin_error: np.ndarray
    chi_ratio: np.ndarray
    g_spin_ratio: np.ndarray
    chi_lattice: float
    g_spin_lattice: float
    width: float
    temperature: float
    model: Any
    settings: dict[str, Any] = field(default_factory=dict)


def stripe_comparison(
    model: RashbaLattice, width: float, amplitudes, temperature: float = 0.0, *, box_factor: float = 7.0
) -> StripeComparison:
    """The amplitude dependence of Eqs. (2)-(3): a Gaussian stripe along x on the 1D supercell witness, exact in M0.

    J_y(x_j) and S_x(x_j) of the BdG state with M_z(x) = M0 sum_images exp(-(x - L/2)^2 / 2 w^2) (supercell
    L = ``box_factor`` w, ``texture.ground_state_densities``) are fitted to J_y = chi dM_z/dx and S_x = g_spin
    dM_z/dx (paper 000, Eqs. 2-3 for M_z(x)); transverse sampling 10 xi.
    """
    if not isinstance(model, RashbaLattice):
        raise ValueError(f"model must be a RashbaLattice (the 1D witness), got {type(model).__name__}")
    from .ground_state import BlochGrid, ground_state_densities

    for name, value in (("width", width), ("box_factor", box_factor)):
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    scalar = np.ndim(amplitudes) == 0
    amplitudes = np.atleast_1d(np.asarray(amplitudes, dtype=float))
    xi, a = coherence_length(model), model.spacing
    sites = max(8, round(box_factor * width / a))
    length = sites * a
    x = a * np.arange(sites)
    offsets = x[:, None] - length / 2 - length * np.arange(-2, 3)[None, :]
    profile = np.exp(-(offsets**2) / (2 * width**2))
    slope = (-offsets * profile).sum(axis=1) / width**2  # d/dx of the unit-amplitude stripe
    grid = BlochGrid(1, 2 * max(1, round(10 * xi / (2 * a))))
    rows = []
    for m0 in amplitudes:
        exchange = np.zeros((3, sites))
        exchange[2] = m0 * profile.sum(axis=1)
        (current, spin), (current_half, spin_half) = ground_state_densities(
            model, exchange, np.zeros(sites), grid, temperature, subgrid=True
        )
        norm = m0 * (slope @ slope)
        rows.append([current @ slope / norm, abs(current - current_half) @ np.abs(slope) / abs(norm),
                     spin[0] @ slope / norm, abs(spin[0] - spin_half[0]) @ np.abs(slope) / abs(norm)])  # fmt: skip
    chi, chi_error, g_spin, g_spin_error = np.array(rows).T
    reference = extract_coefficients(_witness_response(model, temperature))
    over_amplitude = _scalars_if(scalar, dict(amplitude=amplitudes, chi=chi, chi_error=chi_error, g_spin=g_spin,
                                              g_spin_error=g_spin_error, chi_ratio=chi / reference.chi,
                                              g_spin_ratio=g_spin / reference.g_spin))  # fmt: skip
    return StripeComparison(
        **over_amplitude, chi_lattice=reference.chi, g_spin_lattice=reference.g_spin, width=float(width),
        temperature=float(temperature), model=model,
        settings=dict(box_factor=box_factor, sites=sites, n_ky=grid.n_ky, coherence_length=xi),
    )  # fmt: skip


def _scalars_if(scalar: bool, arrays: dict) -> dict:
    """The one-element arrays of a scalar input as floats (numpy's convention), else unchanged."""
    return {name: float(values[0]) for name, values in arrays.items()} if scalar else arrays


def plot_continuum_comparison(comparisons: dict, *, ax=None):
    """chi(w) / chi_ref and g_spin(w) / g_spin_ref against w / xi, one line per labelled comparison.

    The reference is the lattice's own q -> 0 value where computed (Rashba), else the continuum's; dotted:
    ``chi_predicted_ratio`` (w >= xi).
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 4))
    else:
        fig = ax.figure
    for (label, c), colour in zip(comparisons.items(), plt.rcParams["axes.prop_cycle"].by_key()["color"]):
        use_lattice = c.settings["lattice_reference"]
        chi = c.chi_ratio if use_lattice else c.chi_continuum_ratio
        g = c.g_spin_ratio if use_lattice else c.g_spin_continuum_ratio
        ax.plot(c.width_over_xi, chi, "o-", color=colour, label=f"chi, {label}")
        ax.plot(c.width_over_xi, g, "s--", color=colour, label=f"g_spin, {label}")
        if use_lattice:  # the 1D witness's chi(q) curvature, meaningful where it is a small correction
            smooth = c.width_over_xi >= 1
            ax.plot(c.width_over_xi[smooth], c.chi_predicted_ratio[smooth], ":", color=colour, lw=2,
                    label=f"chi from the 1D chi(q), {label}")  # fmt: skip
    ax.axhline(1.0, color="k", lw=0.8, label="fit = reference")
    ax.set_xscale("log")
    ax.set_xticks([0.5, 1, 2, 4], ["0.5", "1", "2", "4"])
    ax.xaxis.set_minor_formatter(plt.NullFormatter())
    ax.set_xlabel(r"bubble width $w/\xi$,  $\xi = v_F/\Delta$")
    ax.set_ylabel("fitted / reference coefficient (dimensionless)")
    ax.set_title("Gaussian $M_z$ bubble on the lattice vs Eqs. (2)-(3)", fontsize=10)
    ax.legend(fontsize=7)
    return fig
