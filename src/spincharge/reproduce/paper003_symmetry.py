"""Paper 003: point-group forms of the spin-orbit tensors, Lifshitz invariants, vortex spin textures (Fig. 2)."""

from __future__ import annotations

import numpy as np

from ..symmetry import (
    allowed_form,
    group_gamma,
    invariant_count,
    lifshitz_invariant,
    plot_vortex_spin_textures,
    point_group,
    point_group_names,
    texture_classes,
    torque_exchange_field,
    vortex_spin_texture,
)
from ..symmetry.textbook import GYROTROPIC_CLASSES, PIEZOELECTRIC_CLASSES
from ..symmetry.vortex import spin_galvanic_torque
from .framework import Claim, ReproduceContext, Section

PAPER = "003"
TITLE = "Point-group symmetry of the spin-orbit tensors (Eqs. 4-6, Appendix E Fig. 2, Appendix F)"
_SOURCE = "spincharge.reproduce.paper003_symmetry"


def _claim(statement: str, computed: str, holds: bool, tolerance: str = "") -> Claim:
    return Claim(PAPER, statement, computed, bool(holds), tolerance, _SOURCE)


def _class_list_claim(tensor: str, textbook: frozenset[str], statement: str) -> Claim:
    allowed = [g for g in point_group_names() if allowed_form(g, tensor).is_allowed]
    counted = [g for g in point_group_names() if invariant_count(g, tensor) > 0]
    return _claim(
        statement,
        f"computed {len(allowed)} classes [{', '.join(allowed)}] (character count agrees: {allowed == counted})",
        set(allowed) == textbook and allowed == counted,
        "exact set equality with the textbook list (Nye; Landau-Lifshitz vol. 8)",
    )


def _form_claim(groups: tuple[str, ...], expected: tuple[str, ...], statement: str) -> Claim:
    forms = {g: allowed_form(g, "gamma") for g in groups}
    classes = {g: texture_classes(g) for g in groups}
    computed = "; ".join(f"{g}: {forms[g].matrix.tolist()} -> {'+'.join(classes[g])}" for g in groups)
    return _claim(statement, computed, all(classes[g] == expected for g in groups), "exact (rational basis)")


def _lifshitz_claim() -> Claim:
    rng = np.random.default_rng(0)
    worst, nonzero = 0.0, []
    for name in point_group_names():
        invariant = lifshitz_invariant(name)
        if invariant.is_zero:
            continue
        nonzero.append(name)
        values = {p: rng.uniform(0.5, 2.0) for p in invariant.parameters}
        h, q = rng.normal(size=3), rng.normal(size=3)
        reference = invariant.energy(values, h, q)
        for r in point_group(name).elements:
            moved = invariant.energy(values, np.linalg.det(r) * r @ h, r @ q)
            worst = max(worst, abs(moved - reference) / abs(reference))
    examples = "; ".join(f"{g}: {lifshitz_invariant(g).expression}" for g in ("C4v", "O", "D2d"))
    return _claim(
        "Appendix F, Eq. (S4): F_L = chi_ij h_j gamma_ik d_k phi, a Lifshitz invariant for each gyrotropic group",
        f"non-zero for {len(nonzero)} groups (the gyrotropic ones: {set(nonzero) == GYROTROPIC_CLASSES}); "
        f"max relative change under the group (h axial, grad phi polar) {worst:.1e}; {examples}",
        set(nonzero) == GYROTROPIC_CLASSES and worst < 1e-10,
        "invariance to 1e-10 relative",
    )


def _texture_claims() -> list[Claim]:
    rashba = vortex_spin_texture(group_gamma("C4v", {"gamma_xy": 1.0}))
    radial = np.stack([np.cos(rashba.angles), np.sin(rashba.angles)], axis=1)
    outward = float(np.min(np.sum(rashba.field[:, :2] * radial, axis=1)))
    chiral = vortex_spin_texture(group_gamma("O", {"gamma_xx": 1.0}))
    dresselhaus = vortex_spin_texture(group_gamma("D2d", {"gamma_xx": 1.0}))
    mixed = vortex_spin_texture(group_gamma("C4", {"gamma_xx": 1.0, "gamma_xy": 0.5}))
    rng = np.random.default_rng(1)
    gamma, gradient = rng.normal(size=(3, 3)), rng.normal(size=3)
    field = torque_exchange_field(gamma, gradient)
    eq9 = np.max(np.abs(spin_galvanic_torque(gamma, gradient, equation="9")[0]))
    return [
        _claim(
            "Appendix E / Fig. 2(a): gamma_xy = -gamma_yx, spin radial, outward for n gamma_xy > 0, |h| independent of phi",
            f"min radial component {outward:.3f} (|h| = {np.ptp(np.linalg.norm(rashba.field, axis=1)):.1e} spread), "
            f"spin-current angle {np.degrees(rashba.current_spin_angle.mean()):.1f} deg, winding {rashba.in_plane_winding:+d}",
            np.isclose(outward, 1.0) and np.allclose(rashba.current_spin_angle, -np.pi / 2),
            "1e-12",
        ),
        _claim(
            "Appendix E / Fig. 2(b): gamma_xx = gamma_yy, spin tangential (parallel to the current)",
            f"spin-current angle max |.| {np.max(np.abs(chiral.current_spin_angle)):.1e} rad, winding {chiral.in_plane_winding:+d}",
            np.allclose(chiral.current_spin_angle, 0.0) and chiral.in_plane_winding == 1,
            "1e-12 rad",
        ),
        _claim(
            "Appendix E / Fig. 2(c): gamma_xx = -gamma_yy, the spin turns opposite to the path around the vortex",
            f"in-plane winding {dresselhaus.in_plane_winding:+d}; spin-current angle spans "
            f"{np.degrees(np.ptp(np.unwrap(dresselhaus.current_spin_angle))):.0f} deg",
            dresselhaus.in_plane_winding == -1,
            "exact integer",
        ),
        _claim(
            "Appendix E: Rashba-like + chiral (C_3,4,6) give a fixed spin-current angle, neither 0 nor pi/2",
            f"C4 with gamma_xx = 1, gamma_xy = 0.5: angle {np.degrees(mixed.current_spin_angle.mean()):.2f} deg, "
            f"spread {np.ptp(mixed.current_spin_angle):.1e} rad (closed form -atan(0.5) = {np.degrees(-np.arctan(0.5)):.2f} deg)",
            np.allclose(mixed.current_spin_angle, -np.arctan(0.5)),
            "1e-12 rad",
        ),
        _claim(
            "Eq. (S2): h_eff,j = n phi_hat_k gamma_kj (gradient index of gamma first)",
            f"torque of Eq. (S5) on a phase-twisted singlet: |h - gamma grad phi| = {np.max(np.abs(field - gamma @ gradient)):.1e}, "
            f"|h - gamma^T grad phi| = {np.max(np.abs(field - gamma.T @ gradient)):.2f}: the spin index is first, "
            "h_eff = n gamma phi_hat (as Eqs. 6, 10-12 and S4 write it); Eq. (S2) prints the transpose",
            False,
            "1e-12",
        ),
        _claim(
            "Eq. (9): the gamma torque -(i/8) eps_ijl gamma_lk {[d_k g, g sigma_i g], sigma_j} gives Eq. (11)",
            f"for a singlet g this bracket order gives max |T| = {eq9:.1e}; the order of Eq. (S5), "
            "[{d_k g, g sigma_i g}, sigma_j], gives T = gamma_lk sigma_l d_k g, Eq. (11)",
            False,
            "exact zero",
        ),
    ]


def reproduce(ctx: ReproduceContext) -> Section:
    section = Section(PAPER, TITLE)
    section.claims += [
        _class_list_claim("gamma", GYROTROPIC_CLASSES, "Below Eq. (6): gamma_ij (rank-2 pseudotensor) allowed in the 18 gyrotropic classes"),
        _class_list_claim("alpha", GYROTROPIC_CLASSES, "Below Eq. (4): alpha_kj (rank-2 pseudotensor) allowed only in gyrotropic classes"),
        _class_list_claim("beta", PIEZOELECTRIC_CLASSES, "Below Eq. (6): beta_ijk (symmetric in ij) may exist in the 20 piezoelectric classes"),
        _form_claim(("C3v", "C4v", "C6v"), ("Rashba-like",), "Appendix E: gamma_xy = -gamma_yx is the only form allowed in C3v, C4v, C6v"),
        _form_claim(("T", "O", "D3", "D4", "D6"), ("chiral",), "Appendix E: T, O, D_3,4,6 require the chiral form gamma_xx = gamma_yy"),
        _form_claim(("S4", "D2d"), ("Dresselhaus-like",), "Appendix E: only gamma_xx = -gamma_yy in S4, D2d (two-fold axes x, y)"),
        _form_claim(("C3", "C4", "C6"), ("Rashba-like", "chiral"), "Appendix E: Rashba-like + chiral in C_3,4,6 (printed 'C_{3,4,5}')"),
        _form_claim(("Cs", "C2v"), ("Rashba-like", "Dresselhaus-like"), "Appendix E: Rashba-like + Dresselhaus-like in C_1v, C_2v"),
        _form_claim(("D2",), ("chiral", "Dresselhaus-like"), "Appendix E: chiral + Dresselhaus-like in D_2"),
        _form_claim(("C1", "C2"), ("Rashba-like", "chiral", "Dresselhaus-like"), "Appendix E: all terms allowed in C_1, C_2"),
        _lifshitz_claim(),
        *_texture_claims(),
    ]
    section.figures.append(
        ctx.save_figure(
            plot_vortex_spin_textures(("C4v", "O", "D2d")),
            "paper003_fig2_vortex_spin_textures",
            "Fig. 2 of paper 003: in-plane spin (h_eff = n gamma phi_hat, n = 1) around a vortex for the "
            "Rashba-like (C4v), chiral (O) and Dresselhaus-like (D2d) classes, computed from the allowed gamma.",
        )
    )
    section.figures.append(
        ctx.save_figure(
            plot_vortex_spin_textures(("C4", "C2v", "D2", "C2")),
            "paper003_vortex_spin_textures_mixtures",
            "Appendix E mixtures: C4 (Rashba-like + chiral, fixed angle), C2v (Rashba-like + Dresselhaus-like), "
            "D2 (chiral + Dresselhaus-like), C2 (all three); parameters p_i = 1/(i+1).",
        )
    )
    section.notes += [
        "Settings: principal axis z; two-fold axes of D_n along x; C_nv mirrors contain x and z; C_s = C_1v "
        "is the mirror y -> -y; D_2d has two-fold axes x, y (docs/conventions.md, Point-group symmetry).",
        "gamma is taken with the spin index first (gamma_lk, l spin, k gradient) as in Eqs. (6), (8)-(12) and "
        "(S4); Eq. (S2) and the text 'spin direction phi_hat_k gamma_kj = cos(phi)(gamma_xx, gamma_xy, 0) + ...' "
        "are transposed (and the latter uses r_hat instead of phi_hat).",
    ]
    return section
