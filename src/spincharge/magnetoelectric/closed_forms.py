"""Closed forms of paper 000 for chi, g_spin, g_orb (hbar = e = 1, T = 0).

Topological-insulator surface (k_c -> infinity), lambda = Delta/|mu|, f = sqrt(1 + lambda^2),
chi(0) = sgn(mu) / (4 pi):

    chi_I  / chi(0) = 1 / f                                                      paper 000, Eq. (12)
    chi_II / chi(0) = -1/(2 f) + lambda^2/2 [1/f + ln(lambda / (1 + f))]         paper 000, Eq. (13)
    chi = chi_I + chi_II = v g_spin,  and at Delta = 0 exactly chi = chi_I = chi(0) (Eq. 11).

Rashba metal in the quasiclassical limit E_F >> E_soc, Delta (mu > 0), delta = Delta/E_soc,
f = sqrt(1 + delta^2), E_soc = v k_F, gamma = Gamma/E_soc:

    g_spin      = -1/(4 pi v) (delta/f)^2 [1 + (f + 1/f) ln(delta/(1 + f))]        paper 000, Eq. (14)
    g_orb_intra = +1/(4 pi v_F) gamma / sqrt(gamma^2 + delta^2)                   paper 000, Eq. (15)
    g_orb_inter = -1/(4 pi v_F) [1 + (delta^2/f) ln(delta/(1 + f))]               paper 000, Eq. (16)
    chi = v_F (g_orb_intra + g_orb_inter) + v g_spin                              paper 000, Eq. (8)

with gamma_+ = gamma_- = gamma. The clean intraband term (gamma = 0) is its gamma -> 0 limit at fixed
delta: 0 for delta > 0 and 1/(4 pi v_F) at delta = 0 (paper 000, text after Eq. 16).
"""

from __future__ import annotations

import math

import numpy as np

from ..models import RashbaMetal

__all__ = [
    "ti_chi_parts",
    "rashba_g_spin",
    "rashba_g_orb_intra",
    "rashba_g_orb_inter",
    "coefficients_of",
]


def _log_ratio(x):
    """ln(x / (1 + sqrt(1 + x^2))) = -arcsinh(1/x), -inf at x = 0."""
    with np.errstate(divide="ignore"):
        return -np.arcsinh(1.0 / np.asarray(x, dtype=float))


def ti_chi_parts(lam):
    """(chi_I, chi_II) / chi(Delta = 0) of the TI surface, paper 000, Eqs. (12)-(13); lam = Delta/|mu| >= 0.

    At lam = 0 exactly, chi_II = 0 (Eq. 11); for lam -> 0+ it tends to -1/2.
    """
    lam = np.asarray(lam, dtype=float)
    if np.any(~np.isfinite(lam) | (lam < 0)):
        raise ValueError(f"lam = Delta/|mu| must be finite and >= 0, got {lam!r}")
    f = np.sqrt(1.0 + lam * lam)
    with np.errstate(invalid="ignore"):
        second = -0.5 / f + 0.5 * lam * lam * (1.0 / f + _log_ratio(lam))
    return 1.0 / f, np.where(lam == 0, 0.0, second)


def rashba_g_spin(delta_ratio, v: float):
    """g_spin of the Rashba metal, paper 000, Eq. (14); delta_ratio = Delta/E_soc >= 0 (0 at delta = 0)."""
    d = np.asarray(delta_ratio, dtype=float)
    f = np.sqrt(1.0 + d * d)
    with np.errstate(invalid="ignore"):
        bracket = (d / f) ** 2 * (1.0 + (f + 1.0 / f) * _log_ratio(d))
    return -np.where(d == 0, 0.0, bracket) / (4.0 * math.pi * v)


def rashba_g_orb_intra(delta_ratio, gamma_ratio, v_f: float):
    """Intraband g_orb, paper 000, Eq. (15); gamma_ratio = Gamma/E_soc (0: the clean limit, see module)."""
    d = np.asarray(delta_ratio, dtype=float)
    g = np.asarray(gamma_ratio, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(g > 0, g / np.sqrt(g * g + d * d), np.where(d == 0, 1.0, 0.0))
    return ratio / (4.0 * math.pi * v_f)


def rashba_g_orb_inter(delta_ratio, v_f: float):
    """Interband g_orb, paper 000, Eq. (16) (-1/(4 pi v_F) at delta = 0)."""
    d = np.asarray(delta_ratio, dtype=float)
    f = np.sqrt(1.0 + d * d)
    with np.errstate(invalid="ignore"):
        correction = d * d / f * _log_ratio(d)
    return -(1.0 + np.where(d == 0, 0.0, correction)) / (4.0 * math.pi * v_f)


def coefficients_of(model, temperature: float = 0.0, broadening: float = 0.0):
    """Closed-form values and rounding-level errors for ``coefficients(method="closed_form")``.

    Returns (values, errors), dicts with g_spin, g_orb and the parts (chi_I for the TI; g_orb_intra,
    g_orb_inter for the Rashba metal). The TI forms are the k_c -> infinity limit, the Rashba forms the
    quasiclassical limit, whatever the model's k_cutoff or E_soc/E_F.
    """
    if temperature != 0:
        raise ValueError(f"the closed forms hold at temperature = 0 only, got {temperature!r}")
    if isinstance(model, RashbaMetal):
        if model.mu <= 0:
            raise ValueError(f"the Rashba closed forms assume mu > 0 (both helical bands occupied), got {model.mu!r}")
        e_soc = model.spin_orbit_energy
        d, g = model.delta / e_soc, broadening / e_soc
        intra = float(rashba_g_orb_intra(d, g, model.fermi_velocity))
        inter = float(rashba_g_orb_inter(d, model.fermi_velocity))
        values = {
            "g_spin": float(rashba_g_spin(d, model.v)),
            "g_orb": intra + inter,
            "g_orb_intra": intra,
            "g_orb_inter": inter,
        }
    else:
        if broadening != 0:
            raise ValueError(f"the TI closed forms are for a clean system (broadening = 0), got {broadening!r}")
        if model.mu == 0:
            raise ValueError("the TI closed forms need mu != 0 (lambda = Delta/|mu|)")
        chi0 = math.copysign(1.0, model.mu) / (4.0 * math.pi)
        first, second = (float(x) for x in ti_chi_parts(model.delta / abs(model.mu)))
        values = {"g_spin": chi0 * (first + second) / model.v, "g_orb": 0.0, "chi_I": chi0 * first}
    errors = {name: 4.0 * np.finfo(float).eps * abs(value) for name, value in values.items()}
    return values, errors
