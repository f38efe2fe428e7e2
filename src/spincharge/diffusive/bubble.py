"""The bare spin-spin bubble M_ab(q, omega) by direct momentum integration (paper 002, Eq. s13).

    M_ab(q, omega) = v^2 int_{|p|<Lambda} d^2p/(2 pi)^2 Tr[sigma_a G^R(p + q, E + omega) sigma_b G^A(p, E)],

a, b = 0, x, y, z (sigma_0 = 1, full 2x2 trace), hbar = 1, the paper's exp(-i omega t + i q r) convention
(G^R carries the larger momentum and energy, as in Eq. 4). G^R and G^A are the averaged Green functions of
Eq. (6) with the self-consistent Born parameters of :mod:`.self_energy`, computed with the same cutoff
Lambda; that consistency makes 1 - pi alpha M(0, 0) exactly singular (the Ward identity, see
:func:`spincharge.diffusive.correlator.ward_identity`).

Method. For q along x the angular integral is done in closed form: with p = p (cos phi, sin phi) the
numerators of G^R(p + q) and G^A(p) are linear in cos phi, sin phi and the only phi-dependent denominator
is A - B cos phi, A = z_R - v^2 (p^2 + q^2), B = 2 v^2 p q, z = eps^2 - Delta^2, and

    <cos(n phi) / (A - B cos phi)>_phi = rho^n / S,   S = sqrt(A^2 - B^2),  rho = B / (A + S),  |rho| < 1.

The radial integral uses Gauss-Legendre panels graded geometrically (ratio 2) towards the Fermi momenta
of G^A (p_F) and of G^R (|p_F' -+ q|), starting at the disorder width Im z / (2 v^2 p_F); its error
estimate is the difference to a rule of two thirds the order on the same panels. A general q follows by
rotating the spin indices: M(R q) = R M(q) R^T (paper 002, Eq. s20), R a rotation about z.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..models.dirac_ferromagnet import DiracFerromagnet
from ..numerics.graded_quadrature import graded_breakpoints, graded_gauss_legendre
from ..results import Result
from .self_energy import DEFAULT_CUTOFF_RATIO, SelfEnergy, born_self_energy, leading_order_self_energy

__all__ = ["Bubble", "spin_bubble", "PAULI4", "spin_rotation"]

#: sigma_0, sigma_x, sigma_y, sigma_z
PAULI4 = np.array(
    [[[1, 0], [0, 1]], [[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex
)
#: TRACE[a, mu, b, nu] = Tr(sigma_a sigma_mu sigma_b sigma_nu)
_TRACE = np.einsum("aij,mjk,bkl,nli->ambn", PAULI4, PAULI4, PAULI4, PAULI4)

SELF_ENERGIES = ("scba", "leading")
#: Green-function pairs: G^R(p + q, E + omega) with G^A(p, E) (the ladder bubble) or with G^R(p, E)
PAIRS = ("RA", "RR")


def spin_rotation(q) -> np.ndarray:
    """4x4 rotation acting on (0, x, y, z) that turns the x axis onto the direction of q (identity at q = 0)."""
    qx, qy = q
    norm = np.hypot(qx, qy)
    c, s = (qx / norm, qy / norm) if norm > 0 else (1.0, 0.0)
    return np.array([[1, 0, 0, 0], [0, c, -s, 0], [0, s, c, 0], [0, 0, 0, 1]], dtype=float)


@dataclass(frozen=True)
class Bubble(Result):
    """M_ab(q, omega) (4x4, basis 0, x, y, z) with its quadrature error and the Green-function parameters.

    ``error``: max_ab |M - M_lower_order|. ``upper``/``lower``: retarded parameters at E + omega and E
    (the advanced ones are their complex conjugates). ``self_energy``: "scba" or "leading".
    """
    _dims = {"q": ("direction",), "matrix": ("a", "b")}
    _labels = {"direction": ("x", "y"), "a": ("0", "x", "y", "z"), "b": ("0", "x", "y", "z")}
    _units = {"q": "1 / L0", "omega": "E0", "cutoff": "E0"}

    q: np.ndarray
    omega: float
    matrix: np.ndarray
    error: float
    eps_upper: complex
    delta_upper: complex
    eps_lower: complex
    delta_lower: complex
    cutoff: float
    self_energy: str
    quadrature_order: int
    n_nodes: int
    pair: str = "RA"

    _attrs = ("self_energy", "pair")


def _green_parameters(model, omega, cutoff_ratio, self_energy):
    if self_energy == "scba":
        upper: SelfEnergy = born_self_energy(model, omega, cutoff_ratio=cutoff_ratio)
        lower = upper if omega == 0 else born_self_energy(model, 0.0, cutoff_ratio=cutoff_ratio)
        return (upper.eps_R, upper.delta_R), (lower.eps_R, lower.delta_R)
    return leading_order_self_energy(model, omega), leading_order_self_energy(model, 0.0)


def _bubble_q_along_x(v, q, upper, lower, p, weight):
    """M_ab for q = (q, 0) on radial nodes p with weights ``weight``: closed-form angular average.

    ``upper``, ``lower``: the (eps, Delta) of the Green functions at p + q and at p as they stand in the trace
    (retarded or advanced: the angular average needs only |rho| < 1, which the root choice ensures).
    """
    eps_u, delta_u = upper
    eps_a, delta_a = lower
    z_u = eps_u**2 - delta_u**2
    z_a = eps_a**2 - delta_a**2
    big_a = z_u - v**2 * (p**2 + q**2)
    big_b = 2 * v**2 * p * q
    root = np.sqrt(big_a**2 - big_b**2)
    root = np.where(np.abs(big_a + root) >= np.abs(big_a - root), root, -root)
    rho = big_b / (big_a + root)
    i0 = 1 / root
    i1 = rho / root
    i2 = (1 + rho**2) / (2 * root)
    zeros = np.zeros_like(p)
    x0 = np.array([eps_u, 0, v * q, -delta_u], dtype=complex)
    y0 = np.array([eps_a, 0, 0, -delta_a], dtype=complex)
    cos_part = np.stack([zeros, zeros, v * p, zeros], axis=-1)  # coefficient of cos(phi), both G's
    sin_part = np.stack([zeros, -v * p, zeros, zeros], axis=-1)  # coefficient of sin(phi), both G's
    average = (
        np.einsum("m,n,p->pmn", x0, y0, i0)
        + np.einsum("m,pn,p->pmn", x0, cos_part, i1)
        + np.einsum("pm,n,p->pmn", cos_part, y0, i1)
        + np.einsum("pm,pn,p->pmn", cos_part, cos_part, i2)
        + np.einsum("pm,pn,p->pmn", sin_part, sin_part, i0 - i2)
    )
    radial = weight * p * v**2 / (2 * np.pi) / (z_a - v**2 * p**2)
    return np.einsum("ambn,pmn,p->ab", _TRACE, average, radial)


def spin_bubble(
    model: DiracFerromagnet,
    q=(0.0, 0.0),
    omega: float = 0.0,
    *,
    cutoff_ratio: float = DEFAULT_CUTOFF_RATIO,
    quadrature_order: int = 24,
    self_energy: str = "scba",
    pair: str = "RA",
) -> Bubble:
    """Bare bubble M_ab(q, omega) of paper 002, Eq. (s13), integrated numerically over |p| < Lambda.

    With ``pair="RR"`` the advanced G^A(p, E) is replaced by the retarded G^R(p, E): the R-R bubble of the
    Fermi-surface Kubo term, paper 002, Eq. (s7). The A-A bubble needs no separate integral:
    Tr[sigma_a G^A(p+q) sigma_b G^A(p)]^* = Tr[sigma_b G^R(p+q) sigma_a G^R(p)], so M^AA = (M^RR)^dagger.

    Parameters
    ----------
    q : (qx, qy)
        Wave vector (1/L0); any magnitude below the cutoff momentum.
    omega : float
        Frequency hbar omega (E0); E + omega must stay above |Delta_z|.
    cutoff_ratio : float
        v Lambda / fermi_energy, shared by the self-energy and the bubble.
    quadrature_order : int
        Gauss-Legendre points per radial panel (>= 6).
    self_energy : {"scba", "leading"}
        Self-consistent Born with the same cutoff (conserving) or the leading-order closed form of Eq. (7).
    pair : {"RA", "RR"}
        Green functions G^R(p + q, E + omega) ... G^A(p, E) (Eqs. 4, s13) or ... G^R(p, E) (Eq. s7).
    """
    if pair not in PAIRS:
        raise ValueError(f"pair must be one of {PAIRS}, got {pair!r}")
    if self_energy not in SELF_ENERGIES:
        raise ValueError(f"self_energy must be one of {SELF_ENERGIES}, got {self_energy!r}")
    if quadrature_order < 6:
        raise ValueError(f"quadrature_order must be >= 6, got {quadrature_order!r}")
    q = np.asarray(q, dtype=float)
    if q.shape != (2,) or not np.all(np.isfinite(q)):
        raise ValueError(f"q must be a finite 2-vector, got {q!r}")
    if not (np.isfinite(omega) and model.fermi_energy + omega > abs(model.exchange_z)):
        raise ValueError(
            f"omega must be finite with fermi_energy + omega > |Delta_z| (both energies in a band), got {omega!r}"
        )
    v = model.v
    cutoff = cutoff_ratio * model.fermi_energy
    q_abs = float(np.hypot(*q))
    if q_abs >= cutoff / v:
        raise ValueError(f"|q| must stay below the cutoff momentum {cutoff / v!r}, got {q_abs!r}")
    upper, lower = _green_parameters(model, omega, cutoff_ratio, self_energy)
    momenta, widths = [], []
    for eps, delta in (upper, lower):
        z = eps**2 - delta**2
        p_fermi = np.sqrt(z).real / v
        momenta.append(p_fermi)
        widths.append(abs(z.imag) / (2 * v**2 * p_fermi))
    centres = [momenta[1], abs(momenta[0] - q_abs), momenta[0] + q_abs]
    breakpoints = graded_breakpoints(0.0, cutoff / v, centres, [min(widths)] * 3)
    low_order = max(6, (2 * quadrature_order) // 3)
    lower_in_trace = lower if pair == "RR" else (np.conj(lower[0]), np.conj(lower[1]))
    results = []
    for order in (quadrature_order, low_order):
        nodes, weights = graded_gauss_legendre(breakpoints, order)
        results.append(_bubble_q_along_x(v, q_abs, upper, lower_in_trace, nodes, weights))
    rotation = spin_rotation(q)
    matrix = rotation @ results[0] @ rotation.T
    error = float(np.max(np.abs(results[0] - results[1])))
    return Bubble(q, float(omega), matrix, error, complex(upper[0]), complex(upper[1]), complex(lower[0]),
                  complex(lower[1]), cutoff, self_energy, quadrature_order, len(breakpoints) - 1, pair)
