"""Paper 000, Fig. 1(a)-(b) and Eqs. (10)-(16): the interconversion coefficients, numerics over closed forms.

Every point is a direct evaluation of paper 000, Eqs. (6)-(9) (``spincharge.magnetoelectric.coefficients``,
method "numeric"); every line is a closed form of the paper (method "closed_form"). Beyond the paper:
finite E_soc/E_F, mu < 0 (one helical branch), finite temperature and broadening, and the order of the
limits T -> 0, Gamma -> 0, Delta -> 0 (docs/conventions.md, "Order of the limits").
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from .figures import legend_with_styles
from .framework import Claim, ReproduceContext, Section

PAPER = "000"
TITLE = "Interconversion coefficients chi, g_spin, g_orb (Eqs. 6-16, Fig. 1(a)-(b))"

_SOURCE = __name__
_CHI0 = 1.0 / (4.0 * math.pi)  # e / (4 pi hbar)


def _claim(statement: str, computed: str, holds: bool, tolerance: str) -> Claim:
    return Claim(PAPER, statement, computed, bool(holds), tolerance, _SOURCE)


def _rashba(ratio: float, delta_ratio: float, mu: float = 1.0):
    """Rashba metal (m = 1) with E_soc/E_F = ratio and Delta/E_soc = delta_ratio."""
    from ..models import RashbaMetal

    model = RashbaMetal(1.0, mu, ratio * abs(mu) / math.sqrt(2.0 * abs(mu)), 0.0)
    return dataclasses.replace(model, delta=delta_ratio * model.spin_orbit_energy)


def _rashba_units(result):
    """(4 pi v g_spin, 4 pi v_F g_orb, 4 pi chi) of a Rashba result: Fig. 1(b) units."""
    model = result.model
    return np.array(
        [
            4 * math.pi * model.v * result.g_spin,
            4 * math.pi * model.fermi_velocity * result.g_orb,
            4 * math.pi * result.chi,
        ]
    )


def _figure_ti(ctx, section, n_points):
    import matplotlib.pyplot as plt

    from ..magnetoelectric import coefficients
    from ..models import TISurface

    lam_line = np.linspace(1e-4, 3.0, 400)
    lines = np.array(
        [
            [getattr(r, "chi")] + [r.parts["chi_I"], r.parts["chi_II"]]
            for r in (coefficients(TISurface(1.0, 1.0, lam), method="closed_form") for lam in lam_line)
        ]
    ) / _CHI0
    lam_points = np.linspace(3.0 / n_points, 3.0, n_points)
    numeric = [coefficients(TISurface(1.0, 1.0, lam)) for lam in lam_points]
    points = np.array([[r.chi, r.parts["chi_I"], r.parts["chi_II"]] for r in numeric]) / _CHI0
    closed = np.array(
        [
            [r.chi, r.parts["chi_I"], r.parts["chi_II"]]
            for r in (coefficients(TISurface(1.0, 1.0, lam), method="closed_form") for lam in lam_points)
        ]
    ) / _CHI0
    at_zero = coefficients(TISurface(1.0, 1.0, 0.0))

    fig, ax = plt.subplots(figsize=(5.5, 4))
    labels = (r"$\chi^{TI}$", r"$\chi^{TI,I}$", r"$\chi^{TI,II}$")
    for column, (label, colour) in enumerate(zip(labels, ("k", "C0", "C3"))):
        ax.plot(lam_line, lines[:, column], color=colour, label=label + " (Eqs. 12-13)")
        ax.plot(lam_points[::4], points[::4, column], "o", ms=3, color=colour, mfc="none")
    ax.plot([0, 0, 0], [at_zero.chi / _CHI0, at_zero.parts["chi_I"] / _CHI0, at_zero.parts["chi_II"] / _CHI0],
            "s", color="C2", label=r"numerics at $\Delta = 0$ (Eq. 11)")
    ax.axhline(0, color="0.8", lw=0.5)
    ax.set_xlabel(r"$\lambda = \Delta/|\mu|$")
    ax.set_ylabel(r"$\chi / \chi^{TI}(\Delta=0)$")
    ax.set_title("Fig. 1(a): TI surface (points: numerics of Eqs. 6, 9)")
    legend_with_styles(ax, [("o", "numerics, Eqs. (6), (9)")])
    section.figures.append(
        ctx.save_figure(fig, "paper000_fig1a", "Fig. 1(a) redrawn: chi^TI and its parts vs Delta/|mu|; "
                        "lines Eqs. (11)-(13), points direct numerics (every 4th of the computed points)")
    )
    deviation = np.abs(points - closed).max()
    section.claims.append(
        _claim(
            "Eqs. (12)-(13): chi^TI,I/chi(0) = 1/f_lambda and chi^TI,II/chi(0) = -1/(2 f) + lambda^2/2 [1/f + "
            "ln(lambda/(1+f))] (Fig. 1(a))",
            f"max |numerics - Eqs. 12-13| over {n_points} points lambda in (0, 3]: {deviation:.1e} chi(0)",
            deviation < 1e-8,
            "absolute 1e-8 chi(0); numerics: direct Eq. (6) with chi = v g_spin, k_c = infinity",
        )
    )
    values = points[:, 0]
    section.claims.append(
        _claim(
            "Fig. 1(a) text: chi^TI is continuously reduced as the pairing gap grows",
            f"chi/chi(0) from {values[0]:.4f} (lambda = {lam_points[0]:.3f}) to {values[-1]:.4f} (lambda = 3); "
            f"largest increase between neighbours {np.max(np.diff(values)):.1e}",
            bool(np.all(np.diff(values) < 0)),
            "strictly decreasing on the computed grid",
        )
    )


def _claims_ti_anomaly(section):
    from ..magnetoelectric import coefficients
    from ..models import TISurface

    zero = [coefficients(TISurface(0.7, sign * 1.3, 0.0)).chi / _CHI0 for sign in (1, -1)]
    section.claims.append(
        _claim(
            "Eq. (11): chi^TI(Delta = 0) = sgn(mu) e/(4 pi hbar), quantised",
            f"numerics: chi/(e/4 pi hbar) = {zero[0]:.15f} (mu > 0), {zero[1]:.15f} (mu < 0)",
            abs(zero[0] - 1) < 1e-12 and abs(zero[1] + 1) < 1e-12,
            "1e-12; T = 0, clean, Fermi-surface terms exact",
        )
    )
    tiny = coefficients(TISurface(0.7, 1.3, 1e-6 * 1.3))
    section.claims.append(
        _claim(
            "Text after Eq. (13): chi^TI,II(Delta -> 0+) = -chi^TI(Delta = 0)/2, so chi jumps to half its value",
            f"Delta/|mu| = 1e-6: chi_II/chi(0) = {tiny.parts['chi_II'] / _CHI0:.8f}, chi/chi(0) = {tiny.chi / _CHI0:.8f}",
            abs(tiny.parts["chi_II"] / _CHI0 + 0.5) < 1e-5,
            "1e-5 (the approach is linear in lambda)",
        )
    )
    warm = [coefficients(TISurface(1.0, 1.0, delta), temperature=1e-4).chi / _CHI0 for delta in (1e-6, 1e-5, 1e-4)]
    cold = [coefficients(TISurface(1.0, 1.0, delta)).chi / _CHI0 for delta in (1e-6, 1e-5, 1e-4)]
    section.claims.append(
        _claim(
            "Order of limits (not in the paper; item 4 of issue 3): lim_{Delta->0} lim_{T->0} chi^TI = chi(0)/2 "
            "but lim_{T->0} lim_{Delta->0} chi^TI = chi(0); at T > 0 chi is continuous in Delta",
            "chi/chi(0) at Delta/|mu| = 1e-6, 1e-5, 1e-4: T = 0: " + ", ".join(f"{c:.6f}" for c in cold)
            + "; T = 1e-4 |mu|: " + ", ".join(f"{w:.6f}" for w in warm),
            abs(cold[0] - 0.5) < 1e-5 and abs(warm[0] - 1.0) < 1e-3,
            "T = 0 tends to 1/2, T > 0 to 1 as Delta -> 0 (1e-5, 1e-3)",
        )
    )


def _figure_rashba(ctx, section, n_points):
    import matplotlib.pyplot as plt

    from ..magnetoelectric import coefficients
    from ..models import RashbaMetal

    ratio, gamma = 1e-4, 0.1
    d_line = np.linspace(1e-4, 3.0, 400)
    d_points = np.linspace(3.0 / n_points, 3.0, n_points)
    clean_line = np.array([_rashba_units(coefficients(_rashba(ratio, d), method="closed_form")) for d in d_line])
    broad_line = np.array(
        [
            _rashba_units(coefficients(_rashba(ratio, d), broadening=gamma * ratio, method="closed_form"))
            for d in d_line
        ]
    )
    numeric = np.array([_rashba_units(coefficients(_rashba(ratio, d))) for d in d_points])
    closed = np.array([_rashba_units(coefficients(_rashba(ratio, d), method="closed_form")) for d in d_points])
    broad_numeric = np.array(
        [_rashba_units(coefficients(_rashba(ratio, d), broadening=gamma * ratio)) for d in d_points[::4]]
    )
    at_zero = _rashba_units(coefficients(_rashba(ratio, 0.0)))

    fig, ax = plt.subplots(figsize=(5.5, 4))
    names = (r"$4\pi v\, g_{spin}$", r"$4\pi v_F\, g_{orb}$", r"$4\pi\chi^M$")
    for column, (name, colour) in enumerate(zip(names, ("C0", "C1", "k"))):
        ax.plot(d_line, clean_line[:, column], color=colour, label=name + " clean (Eqs. 14-16)")
        ax.plot(d_line, broad_line[:, column], "--", color=colour, lw=0.8)
        ax.plot(d_points[::4], numeric[::4, column], "o", ms=3, mfc="none", color=colour)
        ax.plot(d_points[::16], broad_numeric[::4, column], "x", ms=4, color=colour)
        ax.plot([0], [at_zero[column]], "s", ms=4, color=colour)
    ax.axhline(0, color="0.8", lw=0.5)
    ax.set_xlabel(r"$\delta = \Delta/E_{soc}$")
    ax.set_ylabel(r"$4\pi\times$ coefficient (dimensionless, hbar = e = 1)")
    ax.set_title(rf"Fig. 1(b): Rashba metal, $E_{{soc}}/E_F = 10^{{-4}}$, $\gamma = {gamma}\,E_{{soc}}$ dashed")
    legend_with_styles(ax, [("--", rf"broadened, Eqs. 14-16 ($\gamma = {gamma}$)"), ("o", "numerics, clean"),
                            ("x", "numerics, every resolvent broadened"), ("s", r"numerics at $\Delta = 0$")])
    section.figures.append(
        ctx.save_figure(
            fig,
            "paper000_fig1b",
            "Fig. 1(b) redrawn: lines Eqs. (14)-(16) (solid clean, dashed broadened intraband term as in the "
            "paper); circles: direct numerics, clean; crosses: numerics with every resolvent broadened "
            "(i eps -> i eps + i Gamma sgn eps, Gamma = 0.1 E_soc); squares: numerics at Delta = 0",
        )
    )
    deviation = np.abs(numeric - closed).max()
    section.claims.append(
        _claim(
            "Eqs. (14)-(16): quasiclassical g_spin, g_orb^intra (clean: 0 for delta > 0), g_orb^inter (Fig. 1(b))",
            f"max |numerics - Eqs. 14-16| over {n_points} points delta in (0, 3], E_soc/E_F = 1e-4: "
            f"{deviation:.1e} (units 1/(4 pi v), 1/(4 pi v_F), 1/(4 pi))",
            deviation < 1e-7,
            "1e-7 in Fig. 1(b) units (the finite-E_F model differs by ~(E_soc/E_F)^2/4 relative)",
        )
    )
    spin_small = numeric[0, 0]
    section.claims.append(
        _claim(
            "Eq. (14): g_spin^M(delta -> 0) = 0 (the anomalies of the two helical branches cancel)",
            f"4 pi v g_spin = {spin_small:.2e} at delta = {d_points[0]:.3f}; {at_zero[0]:.1e} at delta = 0",
            abs(at_zero[0]) < 1e-10 and abs(spin_small) < 0.05,
            "|.| < 0.05 at the smallest delta, 1e-10 at 0",
        )
    )
    for column, name in ((0, "g_spin"), (2, "chi^M")):
        values = numeric[:, column]
        turns = np.flatnonzero(np.diff(np.sign(np.diff(values))) != 0) + 1
        where = ", ".join(f"delta = {d_points[i]:.2f} (value {values[i]:.4f})" for i in turns) or "none"
        section.claims.append(
            _claim(
                f"Abstract/text: {name} of the Rashba metal depends non-monotonically on Delta/E_soc",
                f"interior extrema of {name} on the computed grid (Fig. 1(b) units): {where}",
                turns.size > 0,
                "the slope changes sign on delta in (0, 3]",
            )
        )
    clean_jump = numeric[0, 2] - at_zero[2]
    broadened_zero = _rashba_units(coefficients(_rashba(ratio, 0.0), broadening=gamma * ratio))
    broadened_small = _rashba_units(coefficients(_rashba(ratio, 1e-4), broadening=gamma * ratio))
    section.claims.append(
        _claim(
            "Text after Eq. (16): clean chi^M is discontinuous across Delta = 0; with broadening it is continuous",
            f"clean: 4 pi chi = {at_zero[2]:.2e} at delta = 0, {numeric[0, 2]:.4f} at delta = {d_points[0]:.3f} "
            f"(jump {clean_jump:.4f}); Gamma = 0.1 E_soc: {broadened_zero[2]:.2e} at 0, {broadened_small[2]:.2e} "
            "at delta = 1e-4",
            abs(clean_jump) > 0.9 and abs(broadened_small[2] - broadened_zero[2]) < 1e-2,
            "jump > 0.9 clean; change < 1e-2 broadened (every resolvent broadened)",
        )
    )
    orbital = coefficients(_rashba(ratio, 0.0), broadening=gamma * ratio)
    cancel = (orbital.parts["g_orb_intra"] + orbital.parts["g_orb_inter"]) / abs(orbital.parts["g_orb_inter"])
    section.claims.append(
        _claim(
            "Text after Eq. (16): at delta = 0, g_orb^intra cancels g_orb^inter for any broadening",
            f"Gamma = 0.1 E_soc, every resolvent broadened: (intra + inter)/|inter| = {cancel:.1e}",
            abs(cancel) < 1e-8,
            "relative 1e-8",
        )
    )
    far = coefficients(_rashba(0.5, 0.0))
    one_branch = coefficients(RashbaMetal(1.0, -0.02, 0.3, 0.0))
    section.claims.append(
        _claim(
            "Text before Eq. (14): g_spin^M(Delta = T = 0) = 0 'only as long as the mismatch in the occupation "
            "of the two branches is negligible' (quasiclassical limit)",
            f"mu > 0, E_soc/E_F = 0.5: 4 pi v g_spin = {4 * math.pi * far.model.v * far.g_spin:.1e}, "
            f"4 pi chi = {4 * math.pi * far.chi:.1e}; one branch (mu < 0): 4 pi v g_spin = "
            f"{4 * math.pi * one_branch.model.v * one_branch.g_spin:.3f} (m = 1, mu = -0.02, v = 0.3)",
            False,
            "for mu > 0 both vanish at any E_soc/E_F (the condition is not needed); only mu < 0 breaks it",
        )
    )


def _claim_touching_point(section):
    from ..magnetoelectric import coefficients
    from ..models import RashbaMetal

    below, above = (coefficients(RashbaMetal(1.0, sign * 1e-7, 0.3, 0.0)).chi / _CHI0 for sign in (-1, 1))
    section.claims.append(
        _claim(
            "After Eq. (11): chi^SM(Delta = 0) = e/(4 pi hbar) sum_s nu_s sgn(mu_s) for band-touching points; "
            "applied to the k = 0 touching point of the Rashba bands, chi changes by 2 e/(4 pi hbar) as mu crosses it",
            f"Rashba m = 1, v = 0.3, Delta = 0: 4 pi chi = {below:.6f} at mu = -1e-7, {above:.1e} at mu = +1e-7",
            abs(above - below - 2.0) < 1e-4,
            "jump 2 within 1e-4",
        )
    )


def _figures_beyond(ctx, section, n_points):
    import matplotlib.pyplot as plt

    from ..magnetoelectric import coefficients
    from ..models import RashbaMetal, TISurface

    d_points = np.linspace(3.0 / n_points, 3.0, n_points)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ratio, colour in zip((1e-4, 0.1, 0.3, 0.6), ("k", "C0", "C1", "C3")):
        values = np.array([_rashba_units(coefficients(_rashba(ratio, d))) for d in d_points])
        for ax, column in zip(axes, (0, 2)):
            ax.plot(d_points, values[:, column], "o-", ms=2, lw=0.8, color=colour, label=f"E_soc/E_F = {ratio}")
    closed = np.array([_rashba_units(coefficients(_rashba(1e-4, d), method="closed_form")) for d in d_points])
    for ax, column, label in zip(axes, (0, 2), (r"$4\pi v\, g_{spin}$", r"$4\pi \chi^M$")):
        ax.plot(d_points, closed[:, column], "--", color="0.6", lw=1.6, zorder=3, label="Eqs. 14-16")
        ax.set_xlabel(r"$\Delta/E_{soc}$")
        ax.set_ylabel(label + " (dimensionless, hbar = e = 1)")
        ax.legend(fontsize=7)
    fig.suptitle("Beyond the paper: finite E_soc/E_F (mu > 0)")
    section.figures.append(ctx.save_figure(fig, "paper000_finite_fermi_energy", "Rashba coefficients at "
                           "finite E_soc/E_F (numerics) against the quasiclassical closed forms"))

    # chemical potential through the band bottom -m v^2/2 (one helical branch for mu < 0)
    mass, v = 1.0, 0.3
    bottom = mass * v * v / 2
    mus = np.linspace(-0.95 * bottom, 4 * bottom, n_points)
    mus = mus[np.abs(mus) > 1e-3 * bottom]
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for delta, style in ((0.0, "-"), (0.2 * bottom, "--")):
        values = np.array([[4 * math.pi * r.chi, 4 * math.pi * v * r.g_spin]
                           for r in (coefficients(RashbaMetal(mass, mu, v, delta)) for mu in mus)])
        ax.plot(mus / bottom, values[:, 0], style, color="k", label=rf"$4\pi\chi$, $\Delta$ = {delta / bottom:.1f} $E_0$")
        ax.plot(mus / bottom, values[:, 1], style, color="C0", label=rf"$4\pi v g_{{spin}}$, $\Delta$ = {delta / bottom:.1f} $E_0$")
    ax.axvline(0, color="0.8", lw=0.5, label="mu = 0 (band crossing at k = 0)")
    ax.set_xlabel(r"$\mu / E_0$, $E_0 = m v^2/2$")
    ax.set_ylabel(r"$4\pi\chi$, $4\pi v\, g_{spin}$ (dimensionless, hbar = e = 1)")
    ax.set_title("Beyond the paper: Rashba metal across mu = 0 (m = 1, v = 0.3)")
    ax.legend(fontsize=7)
    section.figures.append(ctx.save_figure(fig, "paper000_chemical_potential", "Rashba chi and g_spin vs mu: "
                           "for -m v^2/2 < mu < 0 only the lower helical branch is occupied"))

    # temperature and broadening: the order of the limits Delta -> 0 and T, Gamma -> 0 (TI)
    deltas = np.geomspace(1e-6, 1.0, n_points)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for scale, colour in zip((0.0, 1e-4, 1e-3, 1e-2), ("k", "C0", "C1", "C3")):
        for ax, key in zip(axes, ("temperature", "broadening")):
            values = [coefficients(TISurface(1.0, 1.0, d), **{key: scale}).chi / _CHI0 for d in deltas]
            ax.semilogx(deltas, values, color=colour, label=f"{key} = {scale:g} |mu|")
    for ax, key in zip(axes, ("temperature T", "broadening Gamma")):
        ax.axhline(1.0, color="0.8", lw=0.5, label="clean limits 1 (Delta = 0) and 1/2 (Delta -> 0)")
        ax.axhline(0.5, color="0.8", lw=0.5)
        ax.set_xlabel(r"$\Delta/|\mu|$")
        ax.set_ylabel(r"$\chi^{TI}/\chi(0)$")
        ax.set_title(f"TI surface, finite {key}")
        ax.legend(fontsize=7)
    section.figures.append(ctx.save_figure(fig, "paper000_order_of_limits", "TI chi vs Delta at finite T "
                           "(left) and broadening (right): the clean jump to 1/2 needs Delta >> T, Gamma"))


def reproduce(ctx: ReproduceContext) -> Section:
    section = Section(PAPER, TITLE)
    n_points = 40 if ctx.quick else 200
    section.notes.append(
        "Numerics: paper 000, Eqs. (6)-(9) evaluated directly (frequency integral exact in the eigenbasis of "
        "H0(k), angle integral by rotation symmetry, graded Gauss-Legendre in k). Units hbar = e = 1; "
        "TI v = mu = 1, k_c = infinity; Rashba m = mu = 1 with E_soc/E_F = 1e-4 for Fig. 1(b)."
    )
    _figure_ti(ctx, section, n_points)
    _claims_ti_anomaly(section)
    _figure_rashba(ctx, section, n_points)
    _claim_touching_point(section)
    _figures_beyond(ctx, section, max(n_points // 4, 20))
    return section
