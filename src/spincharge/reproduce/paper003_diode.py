"""Paper 003: the superconducting diode effect of Rashba-like (C4v) and Dresselhaus-like (D2d) films.

Beyond the paper (which names the diode effect as an application of its Usadel equation): the full
nonlinear 4x4 equation of :mod:`spincharge.usadel.film` with the self-consistent gap, depairing currents
j_c+- along x and the efficiency eta = (j_c+ - |j_c-|) / (j_c+ + |j_c-|) vs the in-plane field angle, T and
|h|; the vanishing directions against the Lifshitz invariant of ``spincharge.symmetry``; and Eq. (12)
(j = gamma S) in the form testable in equilibrium.
"""

from __future__ import annotations

import numpy as np
import sympy

from ..materials import Material
from ..symmetry import lifshitz_invariant
from ..usadel.film import depairing, film_state
from .framework import Claim, ReproduceContext, Section

PAPER = "003"
TITLE = "Superconducting diode effect of C4v and D2d films (full Usadel equation, self-consistent gap)"
#: eta of these settings agrees with the defaults (cutoff 20, 20 nodes, 16 frequencies) to 1e-11 (docs)
NUMERICS = dict(cutoff=10.0, nodes=8, minimum_frequencies=8)
FIELD, STRENGTH, T = 0.2, 0.1, 0.5  # |h| / Delta0, gamma / (D0/xi0), T/Tc
GROUPS = {"C4v": "gamma_xy", "D2d": "gamma_xx"}


def _claim(statement, computed, holds, tolerance):
    return Claim(PAPER, statement, computed, bool(holds), tolerance, source=__name__)


def _material(group):
    return Material.from_point_group(group, D_xx=1, D_zz=1, Gamma_xx=2.0, Gamma_zz=3.0, **{GROUPS[group]: STRENGTH})


def _coupling(group, material, field):
    """h.K.x of the Lifshitz invariant F_L = h_j K_jk d_k phi (chi = 1, the material's gamma)."""
    invariant = lifshitz_invariant(group)
    values = {s: 1.0 for s in invariant.coupling.free_symbols if str(s).startswith("chi")}
    values.update({s: STRENGTH for s in invariant.coupling.free_symbols if str(s).startswith("gamma")})
    K = np.array(sympy.Matrix(invariant.coupling).subs(values), dtype=float)
    return float(np.asarray(field) @ K @ np.array([1.0, 0.0, 0.0]))


def _field(angle, magnitude=FIELD):
    return magnitude * np.array([np.cos(angle), np.sin(angle), 0.0])


def _angles(ctx, section, quick):
    angles = np.array([0.0, np.pi / 4, np.pi / 2]) if quick else np.linspace(0, np.pi, 5)[:-1]
    eta, errors = {}, {}
    for n, group in enumerate(GROUPS):
        material = _material(group)
        results = [depairing(material, T, h=_field(a), **NUMERICS) for a in angles]
        eta[group] = np.array([r.efficiency for r in results])
        errors[group] = max(r.efficiency_error for r in results)
        ctx.progress(0.3 * (n + 1))
    couplings = {g: np.array([_coupling(g, _material(g), _field(a)) for a in angles]) for g in GROUPS}
    zero = {g: np.abs(couplings[g]) < 1e-12 for g in GROUPS}
    vanishing = max(float(np.max(np.abs(eta[g][zero[g]]))) for g in GROUPS)
    smallest = min(float(np.min(np.abs(eta[g][~zero[g]]))) for g in GROUPS)
    section.claims.append(_claim(
        "The diode efficiency vanishes for every field direction the point group's Lifshitz invariant does not couple "
        "(F_L = chi gamma (h_x d_y phi - h_y d_x phi) for C4v, chi gamma (h_x d_x phi - h_y d_y phi) for D2d; current along x)",
        f"max |eta| over uncoupled directions = {vanishing:.1e}; min |eta| over coupled ones = {smallest:.2e} "
        f"(|h| = {FIELD} Delta0, gamma = {STRENGTH} D0/xi0, T = {T} Tc, Gamma = diag(2, 2, 3) Delta0)",
        vanishing < 1e-12 and smallest > 1e-5, "uncoupled |eta| < 1e-12 (solver precision), coupled |eta| > 1e-5"))  # fmt: skip
    # the angular form: eta ~ h.K.x at this (small) field
    shape = max(float(np.max(np.abs(eta[g] - eta[g][np.argmax(np.abs(couplings[g]))] * couplings[g]
                                    / couplings[g][np.argmax(np.abs(couplings[g]))]))) for g in GROUPS)  # fmt: skip
    scale = max(float(np.max(np.abs(eta[g]))) for g in GROUPS)
    section.claims.append(_claim(
        "Beyond the paper: the efficiency follows the Lifshitz form, eta(phi) proportional to h.K.x (-sin phi for C4v, "
        "cos phi for D2d)",
        f"max |eta - eta_max h.K.x / max h.K.x| = {shape:.1e} of max |eta| = {scale:.3e} (O(h^2) corrections)",
        shape < 1e-3 * scale, "deviation < 1e-3 of max |eta|"))  # fmt: skip
    # spin rotation R (pi about (x - y)/sqrt2) maps gamma(C4v) onto gamma(D2d), keeps Gamma: eta_D2d(h) = eta_C4v(R h)
    mapped = depairing(_material("C4v"), T, h=_field(3 * np.pi / 2 - angles[1]), **NUMERICS).efficiency
    mapping = abs(mapped - eta["D2d"][1])
    section.claims.append(_claim(
        "Beyond the paper: the Rashba-like and Dresselhaus-like films are related by the spin rotation R (pi about "
        "(x - y)/sqrt 2), which maps the C4v gamma onto the D2d gamma and keeps Gamma: eta_D2d(h) = eta_C4v(R h)",
        f"|eta_D2d(phi) - eta_C4v(3 pi/2 - phi)| = {mapping:.1e} at phi = {angles[1]:.4f} (eta = {mapped:.6e})",
        mapping < 1e-12, "< 1e-12"))  # fmt: skip
    return angles, eta, errors


def _temperature_and_field(ctx, section, quick, at_t):
    """eta vs T (``at_t``: the value at T, from the angle sweep) and the order in h."""
    material = _material("C4v")
    others = [0.3, 0.9] if quick else [0.3, 0.7, 0.9]
    coupled = np.pi / 2  # h along y, current along x
    values = {t: depairing(material, t, h=_field(coupled), **NUMERICS).efficiency for t in others} | {T: at_t}
    temperatures = np.array(sorted(values))
    ctx.progress(0.8)
    small = [depairing(material, T, h=_field(coupled, m), **NUMERICS).efficiency for m in (FIELD / 4, FIELD / 2)]
    ratio = small[0] / small[1]
    section.claims.append(_claim(
        "Beyond the paper: the diode efficiency is of first order in h (and in gamma: eta = c gamma h + ...; the "
        "Lifshitz term alone would shift j(q) rigidly and give eta = 0, docs/conventions.md)",
        f"eta(|h| = {FIELD / 4}) / eta(|h| = {FIELD / 2}) = {ratio:.4f}, eta(|h| = {FIELD}) / eta({FIELD / 2}) = "
        f"{at_t / small[1]:.4f} (C4v, h along y, T = {T} Tc)",
        abs(ratio - 0.5) < 0.01, "|ratio - 1/2| < 0.01 (O(h^2) corrections)"))  # fmt: skip
    return temperatures, np.array([values[t] for t in temperatures])


def _universality(section):
    """Eq. (12) where it is testable in equilibrium: q = 0, spin induced by h."""
    material = _material("C4v")
    small = film_state(material, 0.4, np.zeros(3), h=[0, 1e-3, 0])
    predicted = -(material.gamma.T @ small.spin)[0]
    step = 1e-4
    dj_dh = (film_state(material, 0.4, np.zeros(3), h=[0, step, 0]).current[0]
             - film_state(material, 0.4, np.zeros(3), h=[0, -step, 0]).current[0]) / (2 * step)  # fmt: skip
    ds_dq = (film_state(material, 0.4, [step, 0, 0]).spin[1] - film_state(material, 0.4, [-step, 0, 0]).spin[1]) / (2 * step)
    section.claims.append(_claim(
        "Eq. (12), j_k = gamma_ik S_i in normal and superconducting states alike, in the form testable in equilibrium: "
        "at q = 0 a field h induces the condensate spin (the normal state has none in quasiclassics, and no current) "
        "and the current j_k = gamma_ik S_i with S the Keldysh spin of the diffusion module, S = -delta S (Matsubara), "
        "to first order in h; the spin and current come from one free energy (d j_x/d h_y = -2 d S_y/d q_x)",
        f"j_x = {small.current[0]:.6e}, gamma_ix S_i = -gamma_ix delta S_i = {predicted:.6e} (h = 1e-3 Delta0, t = 0.4); "
        f"d j_x/d h_y = {dj_dh:.6e}, -2 d S_y/d q_x = {-2 * ds_dq:.6e}",
        abs(small.current[0] / predicted - 1) < 1e-5 and abs(dj_dh / (-2 * ds_dq) - 1) < 1e-6,
        "relative 1e-5 (O(h^2)) and 1e-6 (finite differences)"))  # fmt: skip


def _plot(angles, eta, temperatures, versus_t):
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    fine = np.linspace(0, np.pi, 200)
    for group, colour, form in (("C4v", "C0", -np.sin(fine)), ("D2d", "C3", np.cos(fine))):
        peak = np.max(np.abs(eta[group]))
        left.plot(angles, eta[group], "o", color=colour, label=f"{group}: depairing currents")
        left.plot(fine, peak * form, "-", color=colour, lw=0.8, label=f"{group}: Lifshitz form h.K.x")
    left.set_xlabel("in-plane field angle phi (rad), current along x")
    left.set_ylabel("diode efficiency eta (dimensionless)")
    left.legend(fontsize=7)
    right.plot(temperatures, versus_t, "o-", color="C0", label="C4v, h along y: depairing currents")
    right.set_xlabel("T / Tc")
    right.set_ylabel("diode efficiency eta (dimensionless)")
    right.legend(fontsize=7)
    fig.tight_layout()
    return fig


def reproduce(ctx: ReproduceContext) -> Section:
    section = Section(PAPER, TITLE)
    angles, eta, _ = _angles(ctx, section, ctx.quick)
    at_t = float(eta["C4v"][np.argmin(np.abs(angles - np.pi / 2))])
    temperatures, versus_t = _temperature_and_field(ctx, section, ctx.quick, at_t)
    _universality(section)
    section.figures.append(ctx.save_figure(_plot(angles, eta, temperatures, versus_t), "paper003_diode", (
        f"Diode efficiency of films with the full Usadel equation and self-consistent gap (|h| = {FIELD} Delta0, "
        f"gamma = {STRENGTH} D0/xi0, Gamma = diag(2, 2, 3) Delta0, D = D0): left, vs the in-plane field angle at "
        f"T = {T} Tc (dots) with the Lifshitz angular form (lines); right, vs temperature (C4v, h along y).")))  # fmt: skip
    section.notes.append(
        "spincharge.usadel.film: batched Newton on the Riccati amplitudes at all Matsubara frequencies bordered by the "
        "cutoff-free gap equation; j(q) by continuation in q, j_c+- at the roots of dj/dq. Units: Delta0, xi0 = "
        "sqrt(D0/Delta0), j in sigma_0 Delta0/(e xi0). eta < 0 for C4v with h along +y and gamma_xy > 0."
    )
    return section
