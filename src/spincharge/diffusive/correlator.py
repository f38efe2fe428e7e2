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

R-R and A-A terms (paper 002, Eq. s7). The Fermi-surface part of the Kubo formula (Eqs. s5-s7, T = 0,
omega << eps) is (1/2)[2 G^R V G^A - G^R V G^R - G^A V G^A]; paper 002 keeps only the first (K above, O(1/alpha))
and drops the others as O(alpha^0). Dressed in the same conserving scheme (self-consistent Born Green functions,
non-crossing ladder with the same rung) the vertex obeys Gamma^RR_b = sigma_b + 2 pi alpha v^2 int G^R Gamma^RR_b G^R,
so that, exactly as above,

    K^RR = M^RR [1 - pi alpha M^RR]^(-1),    K^AA = (K^RR)^dagger   (M^AA = (M^RR)^dagger, see spin_bubble),
    K^Kubo = K - (K^RR + K^AA) / 2,

with M^RR the bubble with G^R(p + q, E + omega) and G^R(p, E). Since pi alpha M^RR = O(alpha), the dressing
changes K^RR by O(alpha). Why the terms are needed: for q || x, K_yy is the longitudinal current response
(velocity v (sigma_y, -sigma_x)); a static longitudinal field drives no current (continuity, equilibrium), so
K^Kubo_yy(q, omega = 0) = 0. The R-A ladder alone leaves a cutoff-dependent O(alpha^0) constant there
(-0.167 at v Lambda = 4 eps, -0.200 at 2 eps; Delta/eps = 0.4): the R-R + A-A terms cancel it to O(alpha) if
bare and to O(alpha^2) if ladder-dressed (checked in tests/diffusive/test_correlator.py). They add nothing to
the Hall entries and, at q = 0, add the same constant (+0.167 at v Lambda = 4 eps) to sigma_xx. The Fermi-sea
(Streda) term of Eq. (s8) is computed separately (:mod:`.streda`; it adds to the Hall entries only).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..models.dirac_ferromagnet import DiracFerromagnet
from ..results import CARTESIAN, Result
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


def _retarded_pair_part(model, q, omega, cutoff_ratio, quadrature_order, self_energy):
    """-(K^RR + K^AA)/2 (4x4, basis 0, x, y, z; paper 002, Eq. s7) and its quadrature error."""
    bubble = spin_bubble(model, q, omega, cutoff_ratio=cutoff_ratio, quadrature_order=quadrature_order,
                         self_energy=self_energy, pair="RR")
    k_rr, inverse_norm = ladder(bubble.matrix, model.disorder_alpha)
    return -0.5 * (k_rr + k_rr.conj().T), inverse_norm**2 * bubble.error


@dataclass(frozen=True)
class SpinCorrelator(Result):
    """K(q, omega): ``matrix`` (3x3, x, y, z), ``full`` (4x4, 0, x, y, z), ``bubble`` (the bare M).

    ``matrix``/``full`` are the R-A ladder K of paper 002, Eqs. (4), (s14). ``rr_aa_part``: -(K^RR + K^AA)/2
    (4x4, Eq. s7; zero when ``rr_aa`` is False). ``kubo``: the 3x3 block of ``full + rr_aa_part``, the whole
    Fermi-surface Kubo kernel: use it for physical (gauge-invariant) responses, e.g. the static longitudinal
    current response, which vanishes only here.
    ``error``: quadrature error of K (and of ``kubo``), ||(1 - pi alpha M)^(-1)||^2 times the bubble's error
    (the first-order propagation of dM through K = [(1 - pi alpha M)^(-1) - 1] / (pi alpha)), plus the same
    for K^RR.
    """
    _dims = {"q": ("direction",), "matrix": ("a", "b"), "kubo": ("a", "b"),
             "full": ("a4", "b4"), "bubble": ("a4", "b4"), "rr_aa_part": ("a4", "b4")}  # fmt: skip
    _labels = {"direction": ("x", "y"), "a": CARTESIAN, "b": CARTESIAN, "a4": ("0", *CARTESIAN), "b4": ("0", *CARTESIAN)}
    _units = {"q": "1 / L0", "omega": "E0", "cutoff": "E0", "matrix": "e^2 / h", "kubo": "e^2 / h", "full": "e^2 / h"}

    q: np.ndarray
    omega: float
    matrix: np.ndarray
    full: np.ndarray
    bubble: np.ndarray
    rr_aa_part: np.ndarray
    kubo: np.ndarray
    error: float
    cutoff: float
    self_energy: str
    quadrature_order: int
    rr_aa: bool

    _attrs = ("self_energy", "rr_aa")


def spin_correlator(
    model: DiracFerromagnet,
    q=(0.0, 0.0),
    omega: float = 0.0,
    *,
    cutoff_ratio: float = DEFAULT_CUTOFF_RATIO,
    quadrature_order: int = 24,
    self_energy: str = "scba",
    rr_aa: bool = True,
) -> SpinCorrelator:
    """Spin-spin correlator K(q, omega) of paper 002, Eq. (4), in the non-crossing ladder approximation.

    Units: dimensionless (in-plane block in e^2/h); q in 1/L0, omega = hbar omega in E0. The point
    q = omega = 0 is the diffusion pole and raises ValueError (use :func:`dc_conductivity` for the
    in-plane dc limit). No crossed (X, Psi) diagrams: see :mod:`spincharge.diffusive.hall`.
    ``rr_aa``: also compute the ladder-dressed R-R and A-A terms of Eq. (s7) (``rr_aa_part``, ``kubo``).
    """
    q = np.asarray(q, dtype=float)
    if q.shape == (2,) and not np.any(q) and omega == 0:
        raise ValueError("q and omega must not both vanish: K has the diffusion pole there (use dc_conductivity)")
    bubble: Bubble = spin_bubble(
        model, q, omega, cutoff_ratio=cutoff_ratio, quadrature_order=quadrature_order, self_energy=self_energy
    )
    full, inverse_norm = ladder(bubble.matrix, model.disorder_alpha)
    error = inverse_norm**2 * bubble.error
    rr_aa_part = np.zeros((4, 4), dtype=complex)
    if rr_aa:
        rr_aa_part, rr_error = _retarded_pair_part(model, q, omega, cutoff_ratio, quadrature_order, self_energy)
        error += rr_error
    return SpinCorrelator(
        q, float(omega), full[1:, 1:], full, bubble.matrix, rr_aa_part, (full + rr_aa_part)[1:, 1:], float(error),
        bubble.cutoff, self_energy, quadrature_order, bool(rr_aa),
    )


@dataclass(frozen=True)
class WardIdentity(Result):
    """The zero mode of 1 - pi alpha M(0, 0).

    ``smallest_singular_value``: of 1 - pi alpha M(0, 0) (zero for a conserving approximation).
    ``residual``: |(1 - pi alpha M) gamma| / |gamma| with gamma = Sigma^R - Sigma^A from the self-energy.
    ``gamma``: Sigma^R - Sigma^A in the basis (0, x, y, z). ``bubble_error``: quadrature error of M.
    """

    _dims = {"gamma": ("a4",)}
    _labels = {"a4": ("0", *CARTESIAN)}

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

    ``longitudinal`` = K_xx = K_yy, ``hall`` = K_xy = -K_yx (non-crossing R-A part only), with ``error``.
    ``rr_aa_longitudinal``: the R-R + A-A terms of Eq. (s7), -(K^RR + K^AA)_xx / 2 (0 when not computed; their
    Hall part vanishes). ``kubo_longitudinal`` = longitudinal + rr_aa_longitudinal, the full Kubo sigma_xx.
    """
    _units = {"longitudinal": "e^2 / h", "hall": "e^2 / h", "rr_aa_longitudinal": "e^2 / h", "cutoff": "E0"}

    longitudinal: float
    hall: float
    rr_aa_longitudinal: float
    error: float
    cutoff: float
    quadrature_order: int

    @property
    def kubo_longitudinal(self) -> float:
        return self.longitudinal + self.rr_aa_longitudinal


def _in_plane_ladder(model, cutoff_ratio, quadrature_order, pair):
    """In-plane block of the ladder at q = omega = 0 and its error (decoupled from the (0, z) block)."""
    bubble = spin_bubble(model, cutoff_ratio=cutoff_ratio, quadrature_order=quadrature_order, pair=pair)
    k, inverse_norm = ladder(bubble.matrix[np.ix_(_IN_PLANE, _IN_PLANE)], model.disorder_alpha)
    return k, inverse_norm**2 * bubble.error, bubble.cutoff


def dc_conductivity(
    model: DiracFerromagnet,
    *,
    cutoff_ratio: float = DEFAULT_CUTOFF_RATIO,
    quadrature_order: int = 24,
    rr_aa: bool = True,
) -> DCConductivity:
    """sigma_xx and the non-crossing sigma_xy at q = omega = 0 from the in-plane ladder block.

    At q = 0 the in-plane block of M decouples from the (0, z) block (rotation symmetry about z), so the
    diffusion pole of the (0, z) block does not enter. Leading order: sigma_0 of paper 002, Eq. (10).
    ``rr_aa``: also compute the R-R + A-A correction to sigma_xx (Eq. s7; see the module docstring).
    """
    k, error, cutoff = _in_plane_ladder(model, cutoff_ratio, quadrature_order, "RA")
    rr_aa_longitudinal = 0.0
    if rr_aa:
        k_rr, rr_error = _in_plane_ladder(model, cutoff_ratio, quadrature_order, "RR")[:2]
        rr_aa_longitudinal = float(-k_rr[0, 0].real)  # -(K^RR + K^AA)_xx / 2, K^AA = (K^RR)^dagger
        error += rr_error
    return DCConductivity(float(k[0, 0].real), float(k[0, 1].real), rr_aa_longitudinal, float(error), cutoff,
                          quadrature_order)

