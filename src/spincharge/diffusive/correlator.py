"""Ladder-summed spin-spin correlator K(q, omega) (paper 002, Eqs. 4, 8 and s14-s16).

    K = M [1 - pi alpha M]^(-1)     (4x4, basis 0, x, y, z; paper 002, Eq. s14),

with M the bare bubble of :func:`spincharge.diffusive.bubble.spin_bubble`. The derivation: the vertex
dressed by the non-crossing ladder, Gamma_b = sigma_c c_cb, obeys Gamma_b = sigma_b + 2 pi alpha v^2
int G^R Gamma_b G^A; projecting with Tr(sigma_a .)/2 gives c = 1 + pi alpha M c (the 1/2 of the trace
normalisation turns the 2 pi alpha of Eq. 5 into the pi alpha of Eq. s14), and K = M c.

The physical correlator is the 3x3 block a, b = x, y, z. It is dimensionless; its in-plane block is the
conductivity in units of e^2/h (paper 002, Eq. 8): the velocity is v (sigma_y, -sigma_x), so with the Kubo
formula sigma_ij = (e^2 / h) int d^2p/(2 pi)^2 Tr[v_i G^R v_j G^A] one finds K_yy = sigma_xx,
K_xx = sigma_yy, K_xy = sigma_xy in units of e^2/h. (Paper 002 labels K_xx as "sigma_xx"; the two agree
at q = 0, where the tensor is isotropic.)

Conservation (Ward identity). With self-consistent Born Green functions and the same cutoff in the
self-energy and the bubble, G^R - G^A = G^R (Sigma^R - Sigma^A) G^A and Eq. (s10) give
(1 - pi alpha M(0, 0)) gamma = 0 with gamma = Sigma^R - Sigma^A in the (0, x, y, z) basis: the diffusion
mode. At q = omega = 0 K is therefore singular in its (0, z) block; :func:`spin_correlator` rejects that
point, and :func:`dc_conductivity` uses the in-plane block, which decouples from (0, z) at q = 0 by
rotation symmetry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..models.dirac_ferromagnet import DiracFerromagnet
from ..results import Result
from .bubble import Bubble, spin_bubble
from .self_energy import DEFAULT_CUTOFF_RATIO

__all__ = [
    "SpinCorrelator",
    "spin_correlator",
    "ladder",
    "WardIdentity",
    "ward_identity",
    "DCConductivity",
    "dc_conductivity",
]

_IN_PLANE = [1, 2]


def ladder(bubble: np.ndarray, alpha: float) -> tuple[np.ndarray, float]:
    """K = M (1 - pi alpha M)^(-1) and the norm ||(1 - pi alpha M)^(-1)|| (paper 002, Eq. s14)."""
    inverse = np.linalg.inv(np.eye(len(bubble)) - np.pi * alpha * bubble)
    return bubble @ inverse, float(np.linalg.norm(inverse, 2))


@dataclass(frozen=True)
class SpinCorrelator(Result):
    """K(q, omega): ``matrix`` (3x3, x, y, z), ``full`` (4x4, 0, x, y, z), ``bubble`` (the bare M).

    ``error``: quadrature error of K, ||(1 - pi alpha M)^(-1)||^2 times the bubble's error (the first-order
    propagation of dM through K = [(1 - pi alpha M)^(-1) - 1] / (pi alpha)).
    """

    q: np.ndarray
    omega: float
    matrix: np.ndarray
    full: np.ndarray
    bubble: np.ndarray
    error: float
    cutoff: float
    self_energy: str
    quadrature_order: int

    _attrs = ("self_energy",)


def spin_correlator(
    model: DiracFerromagnet,
    q=(0.0, 0.0),
    omega: float = 0.0,
    *,
    cutoff_ratio: float = DEFAULT_CUTOFF_RATIO,
    quadrature_order: int = 24,
    self_energy: str = "scba",
) -> SpinCorrelator:
    """Spin-spin correlator K(q, omega) of paper 002, Eq. (4), in the non-crossing ladder approximation.

    Units: dimensionless (in-plane block in e^2/h); q in 1/L0, omega = hbar omega in E0. The point
    q = omega = 0 is the diffusion pole and raises ValueError (use :func:`dc_conductivity` for the
    in-plane dc limit). No crossed (X, Psi) diagrams: see :mod:`spincharge.diffusive.hall`.
    """
    q = np.asarray(q, dtype=float)
    if q.shape == (2,) and not np.any(q) and omega == 0:
        raise ValueError("q and omega must not both vanish: K has the diffusion pole there (use dc_conductivity)")
    bubble: Bubble = spin_bubble(
        model, q, omega, cutoff_ratio=cutoff_ratio, quadrature_order=quadrature_order, self_energy=self_energy
    )
    full, inverse_norm = ladder(bubble.matrix, model.disorder_alpha)
    return SpinCorrelator(
        q, float(omega), full[1:, 1:], full, bubble.matrix, inverse_norm**2 * bubble.error, bubble.cutoff,
        self_energy, quadrature_order,
    )


@dataclass(frozen=True)
class WardIdentity(Result):
    """The zero mode of 1 - pi alpha M(0, 0).

    ``smallest_singular_value``: of 1 - pi alpha M(0, 0) (zero for a conserving approximation).
    ``residual``: |(1 - pi alpha M) gamma| / |gamma| with gamma = Sigma^R - Sigma^A from the self-energy.
    ``gamma``: Sigma^R - Sigma^A in the basis (0, x, y, z). ``bubble_error``: quadrature error of M.
    """

    smallest_singular_value: float
    residual: float
    gamma: np.ndarray
    bubble_error: float
    self_energy: str
    cutoff: float


def ward_identity(
    model: DiracFerromagnet,
    *,
    cutoff_ratio: float = DEFAULT_CUTOFF_RATIO,
    quadrature_order: int = 24,
    self_energy: str = "scba",
) -> WardIdentity:
    """Check particle conservation of the ladder: (1 - pi alpha M(0, 0)) (Sigma^R - Sigma^A) = 0.

    Exact for self-consistent Born Green functions with the bubble's cutoff (``self_energy="scba"``);
    violated at O(alpha log(Lambda / p_F)) by the leading-order closed form (``"leading"``).
    """
    bubble = spin_bubble(
        model, cutoff_ratio=cutoff_ratio, quadrature_order=quadrature_order, self_energy=self_energy
    )
    kernel = np.eye(4) - np.pi * model.disorder_alpha * bubble.matrix
    gamma = -2j * np.array([bubble.eps_lower.imag, 0.0, 0.0, bubble.delta_lower.imag])
    residual = np.linalg.norm(kernel @ gamma) / np.linalg.norm(gamma)
    singular = np.linalg.svd(kernel, compute_uv=False)[-1]
    return WardIdentity(float(singular), float(residual), gamma, bubble.error, self_energy, bubble.cutoff)


@dataclass(frozen=True)
class DCConductivity(Result):
    """In-plane dc conductivity (q = 0, omega -> 0) of the non-crossing ladder, in units of e^2/h.

    ``longitudinal`` = K_xx = K_yy, ``hall`` = K_xy = -K_yx (non-crossing part only), with ``error``.
    """

    longitudinal: float
    hall: float
    error: float
    cutoff: float
    quadrature_order: int


def dc_conductivity(
    model: DiracFerromagnet, *, cutoff_ratio: float = DEFAULT_CUTOFF_RATIO, quadrature_order: int = 24
) -> DCConductivity:
    """sigma_xx and the non-crossing sigma_xy at q = omega = 0 from the in-plane ladder block.

    At q = 0 the in-plane block of M decouples from the (0, z) block (rotation symmetry about z), so the
    diffusion pole of the (0, z) block does not enter. Leading order: sigma_0 of paper 002, Eq. (10).
    """
    bubble = spin_bubble(model, cutoff_ratio=cutoff_ratio, quadrature_order=quadrature_order)
    block = bubble.matrix[np.ix_(_IN_PLANE, _IN_PLANE)]
    k, inverse_norm = ladder(block, model.disorder_alpha)
    error = inverse_norm**2 * bubble.error
    return DCConductivity(float(k[0, 0].real), float(k[0, 1].real), float(error), bubble.cutoff, quadrature_order)

