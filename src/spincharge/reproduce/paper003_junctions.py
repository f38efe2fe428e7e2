"""Paper 003, Eqs. (8)-(12): phi0 Josephson junctions of gyrotropic normal metals (beyond the paper's figures).

The nonlinear 1D Usadel solver (``spincharge.usadel.junction``) with the spin-galvanic tensor gamma of a
C4v (Rashba-like) and a D2d (Dresselhaus-like) material in the N layer of an S/N/S junction with an in-plane
exchange field h: the anomalous phase phi0 and the junction diode efficiency, the selection rule of the
Lifshitz invariant (``spincharge.symmetry.lifshitz_invariant``), and the weak-proximity closed form
(``spincharge.usadel.phi0``). Few Matsubara frequencies (the comparisons hold for any frequency set).
"""

from __future__ import annotations

import numpy as np

from ..materials import Material
from ..symmetry import lifshitz_invariant
from ..usadel.junction import Layer, Reservoir, junction
from ..usadel.phi0 import weak_proximity_current
from .framework import Claim, ReproduceContext, Section

PAPER = "003"
TITLE = "phi0 junctions of C4v and D2d metals (Eqs. 8-12): anomalous phase, diode efficiency, Lifshitz selection"

_NUMERICS = dict(points=8, minimum_frequencies=2, quadrature_nodes=4, frequency_cutoff=2.0)
_T, _LENGTH, _FIELD, _INTERFACES = 0.5, 0.8, 0.8, [0.3, 0.3]
_GROUPS = {"C4v": {"gamma_xy": 0.6}, "D2d": {"gamma_xx": 0.6}}


def _claim(statement, computed, holds, tolerance):
    return Claim(PAPER, statement, computed, bool(holds), tolerance, source=__name__)


def _layer(group, field):
    material = Material.from_point_group(group, D_xx=1.0, D_zz=1.0, Gamma_xx=0.2, Gamma_zz=0.3, h=field,
                                         **_GROUPS[group])
    return Layer.from_material(material, _LENGTH)


def _coupling(group, field):
    """h_j K_jx of the Lifshitz invariant with chi = 1 (its sign pattern is what matters)."""
    K = lifshitz_invariant(group).coupling
    values = {symbol: 1.0 for symbol in K.free_symbols}
    return float(sum(field[j] * float(K[j, 0].subs(values)) for j in range(3)))


def reproduce(ctx: ReproduceContext) -> Section:
    import matplotlib.pyplot as plt

    section = Section(PAPER, TITLE)
    quick = ctx.quick
    field_y = (0.0, _FIELD, 0.0)
    count = 4 if quick else 8  # a uniform grid on [-pi, pi) holding phi = 0 and pi/2
    phases = -np.pi + 2 * np.pi * np.arange(count) / count
    cprs = {group: junction(_layer(group, field_y), _T, phases, interfaces=_INTERFACES, **_NUMERICS) for group in _GROUPS}
    ctx.progress(0.4)
    # phi0 vs the in-plane field direction beta (h = |h| (cos beta, sin beta, 0)): phi0 ~ atan2(-I(0), I(pi/2))
    angles = np.array([0.0, 90.0]) if quick else np.array([0.0, 45.0, 90.0])
    pick = [count // 2, 3 * count // 4]  # phi = 0, pi/2 on the grid
    sweep = {}
    for group in _GROUPS:
        for beta in angles:
            field = _FIELD * np.array([np.cos(np.radians(beta)), np.sin(np.radians(beta)), 0.0])
            current = (cprs[group].current[pick] if beta == 90.0 else
                       junction(_layer(group, field), _T, [0.0, np.pi / 2], interfaces=_INTERFACES, **_NUMERICS).current)
            sweep[group, beta] = (current, _coupling(group, field))
    ctx.progress(0.8)

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for group, colour in zip(_GROUPS, ("C0", "C1")):
        axes[0].plot(phases, cprs[group].current, "o-", color=colour, ms=3, label=f"{group}, h along y")
        axes[1].plot(angles, [np.arctan2(-sweep[group, b][0][0], sweep[group, b][0][1]) for b in angles], "o-",
                     color=colour, label=group)
    axes[0].axhline(0, color="k", lw=0.5)
    axes[0].set_xlabel("phase difference phi (rad)")
    axes[0].set_ylabel("e I R_N / Delta0")
    axes[0].legend(fontsize=8)
    axes[1].set_xlabel("in-plane field angle beta from the junction axis x (deg)")
    axes[1].set_ylabel("phi0 ~ atan2(-I(0), I(pi/2)) (rad)")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    section.figures.append(ctx.save_figure(fig, "paper003_junctions_phi0", (
        f"S/N/S junctions (N: L = {_LENGTH} xi0, D = D0, Gamma_xx = 0.2, Gamma_zz = 0.3 Delta0, gamma = 0.6 D0/xi0 of "
        f"the group, |h| = {_FIELD} Delta0; KL interfaces r = 0.3; T = {_T} Tc; nonlinear Riccati solver). Left: "
        "current-phase relations for h along y: the C4v CPR is shifted (phi0 != 0), the D2d one is not. Right: "
        "phi0 vs the in-plane field direction.")))

    c4v, d2d = (cprs[g].current for g in _GROUPS)
    mirror = (-np.arange(phases.size)) % phases.size
    d2d_odd = float(np.max(np.abs(d2d + d2d[mirror])))
    zero = phases.size // 2
    section.claims.append(_claim(
        "Eq. (12) and text: in superconductors the spin-galvanic effect appears as the phi0 effect (a Rashba-like, "
        "C4v, metal with an in-plane field perpendicular to the current)",
        f"C4v, h along y: anomalous current I(phi = 0) = {c4v[zero]:.4g} Delta0/(e R_N) (I(pi/2) = "
        f"{sweep['C4v', 90.0][0][1]:.4g}); D2d with the same field: the CPR is odd, max |I(phi) + I(-phi)| = "
        f"{d2d_odd:.1e}", abs(c4v[zero]) > 1e-3 and d2d_odd < 1e-10, "|I(0)| > 1e-3 (C4v), odd CPR to 1e-10 (D2d)"))
    lines, holds = [], True
    for (group, beta), (current, coupling) in sweep.items():
        coupled = abs(coupling) > 1e-12
        holds &= (abs(current[0]) > 1e-3) if coupled else (abs(current[0]) < 1e-10)
        lines.append(f"{group} beta = {beta:.0f} deg: h.K_x = {coupling:+.2f}, I(0) = {current[0]:+.2e}")
    section.claims.append(_claim(
        "Beyond the paper: phi0 vanishes for every field direction the Lifshitz invariant F_L = h_j K_jk d_k phi "
        "(Appendix F, Eq. S4) does not couple to the current direction x (C4v: only h_y; D2d: only h_x)",
        "; ".join(lines), holds, "|I(0)| < 1e-10 where h.K_x = 0, > 1e-3 elsewhere"))
    if not quick:
        eta = cprs["C4v"].diode_efficiency()
        section.claims.append(_claim(
            "Text after Eq. (12): the superconducting diode effect of the same junction",
            f"C4v, h along y: (I_c+ - |I_c-|)/(I_c+ + |I_c-|) = {eta:+.4f} (trigonometric interpolation of "
            f"{phases.size} phases); D2d (h along y, not coupled): {cprs['D2d'].diode_efficiency():+.1e}",
            abs(eta) > 1e-4 and abs(cprs["D2d"].diode_efficiency()) < 1e-8, "|eta| > 1e-4 (C4v), < 1e-8 (D2d)"))

    gap, h, gamma = 0.02, 0.6, -0.8
    closed, first, second = weak_proximity_current([0.0, np.pi / 2], _T, length=1.0, gap=gap, exchange=h, gamma=gamma,
                                                   **{k: v for k, v in _NUMERICS.items() if k != "points"})
    solved = junction(Layer(1.0, exchange=(0, h, 0), gamma=(0, gamma, 0)), _T, [0.0, np.pi / 2],
                      left=Reservoir(gap=gap), right=Reservoir(gap=gap), **_NUMERICS).current
    deviation = float(np.max(np.abs(solved / closed - 1)))
    section.claims.append(_claim(
        "Beyond the paper: weak-proximity closed form of the phi0 junction (docs/conventions.md, Junctions): "
        "e I R_N = I_1 sin(phi) + I_2 cos(phi), phi0 = atan2(-I_2, I_1) with band wave numbers k_+-^2 = "
        "g^2/4D^2 + 2 s (omega +- i h)/D and the gamma gauge factor e^(+-s g x/2D)",
        f"S/N/S, L = 1 xi0, h = {h}, gamma_yx = {gamma}, Delta = {gap} Delta0, transparent: solver/closed form - 1 = "
        f"{deviation:.1e}; phi0 = {np.arctan2(-solved[0], solved[1]):.6f} (solver), {np.arctan2(-second, first):.6f} "
        "(closed form)", deviation < 1e-3, "relative deviation < 1e-3 (the O(Delta^2) nonlinear correction)"))
    ctx.progress(1.0)
    return section
