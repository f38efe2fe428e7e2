"""Paper 000, Eqs. (1)-(3) and (6)-(8): an independent real-space lattice witness of chi and g_spin.

A cosine texture M_z(x) = m0 cos(q x) is put on a square-lattice BdG model of the Rashba superconductor
(``spincharge.lattice``); the current and spin densities of its ground state are computed directly
(Hellmann-Feynman derivatives of the energy, paper 000, Eq. 1), chi and g_spin are read off
J_y = chi dM_z/dx and S_x = g_spin dM_z/dx (Eqs. 2-3), extrapolated to q -> 0 and a -> 0, and compared
with the continuum Green-function integrals of Eqs. (6)-(8) (``spincharge.magnetoelectric.coefficients``,
method="numeric"). Two parameter points: chi < 0 (m = mu = 1, v = 0.7, Delta = 0.7) and chi > 0
(v = 0.5, Delta = 1), hbar = e = 1.
"""

from __future__ import annotations

import numpy as np

from .figures import legend_with_styles
from .framework import Claim, ReproduceContext, Section

PAPER = "000"
TITLE = "Lattice witness: chi and g_spin from textures on a BdG lattice (Eqs. 1-3 vs 6-8)"

_SOURCE = __name__
_POINTS = {
    "A": dict(mass=1.0, mu=1.0, v=0.7, delta=0.7),
    "B": dict(mass=1.0, mu=1.0, v=0.5, delta=1.0),
}
_AMPLITUDE = 1e-3


def _claim(statement: str, computed: str, holds: bool, tolerance: str) -> Claim:
    return Claim(PAPER, statement, computed, bool(holds), tolerance, _SOURCE)


def _settings(quick: bool) -> dict:
    if quick:
        return dict(spacings=(0.5, 0.4, 0.32), length=24.0, transverse_length=20.0, harmonics=5)
    return dict(spacings=(0.4, 0.32, 0.25, 0.2), length=36.0, transverse_length=20.0, harmonics=8)


def _agreement(name: str, lattice, continuum) -> tuple[str, bool]:
    value, error = getattr(lattice, name), getattr(lattice, f"{name}_error")
    reference = getattr(continuum, name)
    text = (
        f"lattice {name} = {value:+.5f} +- {error:.5f} (a -> 0, q -> 0), continuum {reference:+.5f}: "
        f"differ by {abs(value - reference) / abs(reference):.1%} (estimate {error / abs(reference):.1%})"
    )
    return text, abs(value - reference) <= error and np.sign(value) == np.sign(reference)


def _profiles_figure(response, continuum):
    """J_y(x) and S_x(x) of the lattice vs Eqs. (2)-(3) with the continuum chi, g_spin."""
    import matplotlib.pyplot as plt

    q, x, m0 = response.wavenumbers[0], response.x, response.amplitude
    fine = np.linspace(x[0], x[-1] + x[1] - x[0], 400)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    # J = chi dM_z/dx (chi in e/hbar), S = g_spin dM_z/dx (g_spin in 1/(E0 L0)); M_z in E0 (docs/conventions.md)
    for ax, values, coefficient, label, unit, corner in (
        (axes[0], response.current_y, continuum.chi, "J_y", "e/(hbar L0)", "lower left"),
        (axes[1], response.spin_x, continuum.g_spin, "S_x", "1/(E0 L0^2)", "upper left"),
    ):
        ax.plot(x, values / m0, "o", ms=3, label=f"lattice ${label}(x)$ / m0")
        ax.plot(fine, -coefficient * q * np.sin(q * fine), "-", label="continuum: coefficient x dM_z/dx / m0")
        ax.set_xlabel("x (model length unit L0; sites every a)")
        ax.set_ylabel(f"${label}$ / m0 ({unit})")
        ax.legend(fontsize=8, loc=corner)
    axes[0].set_title("current, Eq. (2): $J_y = \\chi\\, \\partial_x M_z$", fontsize=10)
    axes[1].set_title("spin, Eq. (3): $S_x = g_{spin}\\, \\partial_x M_z$", fontsize=10)
    fig.tight_layout()
    return fig


def _extrapolation_figure(limits, continua):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(14, 3.8))
    limit, continuum = limits["A"], continua["A"]
    for ax, name in ((axes[0], "chi"), (axes[1], "g_spin")):
        for spacing, q, values in zip(limit.spacings, limit.wavenumbers, getattr(limit, f"{name}_at_q")):
            ax.plot(q**2, values, "o-", ms=3, label=f"a = {spacing:g}")
        ax.errorbar([0.0], [getattr(limit, name)], yerr=[getattr(limit, f"{name}_error")], fmt="ks",
                    label="lattice, q, a -> 0")
        ax.plot([0.0], [getattr(continuum, name)], "r*", ms=12, label="continuum Eqs. (6)-(8)")
        ax.set_xlabel("$q^2$ (1/L0^2)")
        ax.set_ylabel(f"{name}(q) ({'e/hbar' if name == 'chi' else '1/(E0 L0)'})")
        ax.set_title(f"{name}(q) on each lattice (point A)", fontsize=10)
        ax.legend(fontsize=7)
    ax = axes[2]
    for key, marker in (("A", "o"), ("B", "s")):
        limit, continuum = limits[key], continua[key]
        for name, colour in (("chi", "C0"), ("g_spin", "C1")):
            reference = getattr(continuum, name)
            ax.plot(limit.spacings**2, getattr(limit, f"{name}_at_spacing") / reference, marker + "-",
                    color=colour, ms=4, label=f"{name}, point {key}")
            ax.errorbar([0.0], [getattr(limit, name) / reference],
                        yerr=[getattr(limit, f"{name}_error") / abs(reference)], fmt=marker, color=colour)
    ax.axhline(1.0, color="k", lw=0.8, label="lattice = continuum")
    ax.set_xlabel("$a^2$ (L0^2)")
    ax.set_ylabel("lattice / continuum (dimensionless)")
    ax.set_title("continuum limit (q -> 0 at each a)", fontsize=10)
    low, high = ax.get_ylim()
    ax.set_ylim(low - 0.6 * (high - low), high)  # room for the legend below the curves
    legend_with_styles(ax, [("o", "at a = 0: extrapolation, bar = its error estimate")], loc="lower left", ncol=2)
    fig.tight_layout()
    return fig


def reproduce(ctx: ReproduceContext) -> Section:
    from ..lattice import BlochGrid, RashbaLattice, continuum_limit, ground_state_densities, texture_response
    from ..magnetoelectric import coefficients
    from ..models import RashbaMetal

    section = Section(PAPER, TITLE)
    settings = _settings(ctx.quick)
    limits, continua = {}, {}
    for key, parameters in _POINTS.items():
        limits[key] = continuum_limit(**parameters, m0=_AMPLITUDE, **settings)
        continua[key] = coefficients(RashbaMetal(**parameters), method="numeric")
        ctx.progress(0.45 * len(limits))
        section.notes.append(
            f"Point {key} {parameters}: spacings {settings['spacings']}, supercell length {settings['length']}, "
            f"{settings['harmonics']} harmonics (q_1 = {limits[key].wavenumbers[-1][0]:.3f}), transverse length "
            f"{settings['transverse_length']}; q -> 0 values per spacing: chi "
            f"{np.round(limits[key].chi_at_spacing, 5)}, g_spin {np.round(limits[key].g_spin_at_spacing, 5)}."
        )
    for key, sign in (("A", "chi < 0"), ("B", "chi > 0")):
        for name in ("chi", "g_spin"):
            text, holds = _agreement(name, limits[key], continua[key])
            section.claims.append(
                _claim(
                    f"Point {key} ({sign}): the lattice {name}, read off a cosine texture through Eqs. (1)-(3), "
                    f"equals the continuum {name} of Eqs. (6)-(8), sign included",
                    text,
                    holds,
                    "|lattice - continuum| <= lattice error estimate (q and a extrapolation residuals, Bloch sampling)",
                )
            )

    # sign of S relative to grad M_z, measured directly on the finest lattice of point A (first harmonic)
    finest = limits["A"].finest
    lattice = finest.lattice
    n_cells, n_ky = finest.settings["n_cells"], finest.settings["n_ky"]
    single = texture_response(lattice, _AMPLITUDE, n_cells, n_ky)
    q = single.wavenumbers[0]
    slope = -_AMPLITUDE * q * np.sin(q * single.x)  # dM_z/dx
    ratio = (single.spin_x @ slope) / (continua["A"].g_spin * (slope @ slope))
    section.claims.append(
        _claim(
            "Text after Eq. (3): for M_z(rho), S = -g_spin M_z'(rho) rho_hat, i.e. S opposite to grad M_z "
            "for g_spin > 0",
            f"lattice S_x / (g_spin dM_z/dx) = {ratio:+.3f} (a = {lattice.spacing:g}, q = {q:.3f}, g_spin = "
            f"{continua['A'].g_spin:+.5f} > 0): S is along +grad M_z as Eq. (3) S = g_spin grad M_z says; the "
            "text's minus sign does not survive",
            ratio < 0,
            "sign of the ratio",
        )
    )

    # the reciprocal halves of Eqs. (2)-(3) on a small lattice (same coefficients, signs as printed)
    small = RashbaLattice(**_POINTS["A"], spacing=0.5)
    probe = texture_response(small, _AMPLITUDE, 24, 24)
    q, x = probe.wavenumbers[0], probe.x
    projector = 2 / x.size * np.cos(q * x)
    grid = BlochGrid(1, 24)
    _, spin_from_a = ground_state_densities(small, np.zeros((3, x.size)), _AMPLITUDE * np.sin(q * x), grid)
    in_plane = np.zeros((3, x.size))
    in_plane[0] = _AMPLITUDE * np.sin(q * x)
    _, spin_from_m = ground_state_densities(small, in_plane, np.zeros(x.size), grid)
    chi_reciprocal = -(projector @ spin_from_a[2]) / (_AMPLITUDE * q)
    g_reciprocal = -(projector @ spin_from_m[2]) / (_AMPLITUDE * q)
    deviation = max(abs(chi_reciprocal / probe.chi_at_q[0] - 1), abs(g_reciprocal / probe.g_spin_at_q[0] - 1))
    section.claims.append(
        _claim(
            "Eqs. (2)-(3) reciprocal pairs: S_z = -chi B_z and S_z = -g_spin div M carry the same chi, g_spin as "
            "J = -chi curl(z_hat M_z) and S = g_spin grad M_z",
            f"a = 0.5, q = {q:.3f}: chi from S_z(A_y) {chi_reciprocal:+.6f} vs from J_y(M_z) {probe.chi_at_q[0]:+.6f}; "
            f"g_spin from S_z(M_x) {g_reciprocal:+.6f} vs from S_x(M_z) {probe.g_spin_at_q[0]:+.6f}",
            deviation < 1e-4,
            "relative 1e-4 (O(m0^2) nonlinearity)",
        )
    )

    section.figures.append(
        ctx.save_figure(
            _profiles_figure(single, continua["A"]),
            "paper000_lattice_profiles",
            f"Point A (m = mu = 1, v = 0.7, Delta = 0.7): M_z = m0 cos(q x), q = {single.wavenumbers[0]:.3f}, on the "
            f"lattice a = {lattice.spacing:g}. Dots: J_y(x), S_x(x) of the BdG ground state; lines: Eqs. (2)-(3) with "
            "the continuum chi, g_spin of Eqs. (6)-(8). The remaining difference is the finite-q and finite-a "
            "correction, removed by the extrapolations of the next figure.",
        )
    )
    section.figures.append(
        ctx.save_figure(
            _extrapolation_figure(limits, continua),
            "paper000_lattice_extrapolation",
            "Left, middle: chi(q), g_spin(q) of each lattice vs q^2 (point A), the q, a -> 0 limit (square) and the "
            "continuum value (star). Right: the q -> 0 values divided by the continuum ones vs a^2, for both points, "
            "with the a -> 0 extrapolation and its error estimate at a = 0.",
        )
    )
    return section
