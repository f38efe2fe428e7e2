"""Crossed X and Psi diagrams of the anomalous Hall conductivity (paper 002, Fig. 2(b-d); its Ref. 55:
Ado, Dmitriev, Ostrovsky, Titov, EPL 111, 37004 (2015)), by direct momentum integration.

Same self-consistent Born Green functions, cutoff and ladder vertex as :mod:`.correlator`. With the dressed
vertices Gamma_b = sigma_c c_cb (right, between G^R and G^A) and Gamma~_a = sigma_d c_ad (left, between G^A
and G^R; its ladder uses M^T, hence c^T), c = (1 - pi alpha M(0, 0))^-1 on the in-plane block, and the blocks

    L(p) = G^A(p) sigma_d G^R(p),     R(p) = G^R(p) sigma_c G^A(p),

the three diagrams with two crossed disorder lines (w = 2 pi alpha v^2 each, scalar vertices) are, with the
momentum transfer k of one line (p1 and p3 the loop momenta next to the vertices):

    X     = w^2 v^2 int_{p1,p3,k} Tr[L(p1) G^R(p1 + k) R(p3) G^A(p3 - k)],
    Psi_R = w^2 v^2 int_{p1,p4,k} Tr[L(p1) G^R(p1 + k) G^R(p4 + k) R(p4)],
    Psi_A = w^2 v^2 int_{p1,p4,k} Tr[L(p1) R(p4) G^A(p4 - k) G^A(p1 - k)].

So each diagram is int_k of a contraction of two four-index tensors T(k) = int_p B(p) (x) G^s(p +- k), B = L or R:
the momentum-transfer constraint factorises the three-momentum integral. T(k) is the same kind of integral as
the bubble: the numerator is a trigonometric polynomial of degree 3 in the angle of p, the only angle-dependent
denominator is that of G^s(p +- k), A - B cos phi, and <e^(i n phi)/(A - B cos phi)> = rho^|n|/S exactly
(:mod:`.bubble`), evaluated from 8 equally spaced angles (exact for degree <= 3). The remaining angle, that of k,
is done analytically: the Hall part (X_xy - X_yx)/2 and the trace part (X_xx + X_yy)/2 are invariant under
rotations about z, so k can be taken along x. In-plane matrices s 1 + h J (J = [[0, 1], [-1, 0]]) multiply like
complex numbers s + i h, so the dressed diagram is c^2 (s + i h) and sigma_xy^cross = Im of it (real part).

Cutoff: |p1|, |p3|, |p4| < Lambda (the loop momenta, as in the bubble); G^s(p +- k) and the transfer k are not
cut (the k integral converges: the Hall part of the integrand decays faster than 1/k^3). Radial quadrature:
Gauss-Legendre panels graded towards the Fermi momentum and |p_F -+ k| (p) and towards 0, 2 p_F, Lambda -+ p_F
(k), down to the disorder width Im z / (2 v^2 p_F); the tail k > 2 (Lambda + p_F) is mapped to t = K/k. The error
estimate is the difference to rules of two thirds the order on the same panels (both integrals at once).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..models.dirac_ferromagnet import DiracFerromagnet
from ..numerics.graded_quadrature import graded_breakpoints, graded_gauss_legendre
from ..results import Result
from .bubble import PAULI4, spin_bubble
from .self_energy import DEFAULT_CUTOFF_RATIO, born_self_energy

__all__ = ["CrossedHall", "crossed_hall_conductivity"]

_ANGLES = 2 * np.pi * np.arange(8) / 8
_SX, _SY, _SZ = PAULI4[1], PAULI4[2], PAULI4[3]
_ONE = PAULI4[0]
#: _SANDWICH[(a, b), (d, i, j)] = (sigma_a sigma_d sigma_b)_ij for d = x, y (the vertex blocks L and R)
_SANDWICH = np.einsum("aij,djk,bkl->abdil", PAULI4, PAULI4[1:3], PAULI4).reshape(16, 8)
#: geometric grading ratio of the radial panels (4: half the panels of 2 at the same accuracy, checked)
_RATIO = 4.0


def _numerator(eps, delta, v, px, py):
    """Numerator eps + v (p x sigma)_z - Delta sigma_z of G (paper 002, Eq. 6) on arrays px, py: shape (..., 2, 2)."""
    return (eps * _ONE + v * (px[..., None, None] * _SY - py[..., None, None] * _SX) - delta * _SZ)


def _pauli_coefficients(eps, delta, v, px, py):
    """(g_0, g_x, g_y, g_z) of the numerator of :func:`_numerator` (eps, -v p_y, v p_x, -Delta), shape (nodes, 4)."""
    px, py = np.ravel(px), np.ravel(py)
    return np.stack([np.full(px.shape, eps, dtype=complex), -v * py, v * px, np.full(px.shape, -delta, dtype=complex)], axis=-1)


def _angular_weights(big_a, big_b):
    """w_j with <f/(A - B cos phi)> = mean_j f(phi_j) w_j for trigonometric polynomials f of degree <= 3."""
    root = np.sqrt(big_a**2 - big_b**2)
    root = np.where(np.abs(big_a + root) >= np.abs(big_a - root), root, -root)
    rho = big_b / (big_a + root)
    n = np.arange(1, 4)
    series = 1 + 2 * np.sum(rho[..., None, None] ** n * np.cos(np.outer(_ANGLES, n)), axis=-1)
    return series / root[..., None]


def _vertex_blocks(v, retarded, p, weight, angles):
    """L and R numerators (vertex x/y, node x angle, 4) on the polar nodes, the radial weight with their two
    denominators, and the node momenta (px, py).

    With the numerators in the Pauli basis, G = g_a sigma_a, L = G^A sigma_d G^R = g^A_a g^R_b sigma_a sigma_d
    sigma_b: one (nodes, 16) x (16, 8) product with the constant ``_SANDWICH`` instead of a stack of 2 x 2 products.
    """
    eps_r, delta_r = retarded
    px = p[:, None] * np.cos(angles)
    py = p[:, None] * np.sin(angles)
    c_r = _pauli_coefficients(eps_r, delta_r, v, px, py)
    c_a = _pauli_coefficients(np.conj(eps_r), np.conj(delta_r), v, px, py)
    left, right = ((first[:, :, None] * second[:, None, :]).reshape(-1, 16) @ _SANDWICH for first, second in ((c_a, c_r), (c_r, c_a)))
    left, right = (block.reshape(-1, 2, 4).transpose(1, 0, 2) for block in (left, right))
    z_r = eps_r**2 - delta_r**2
    radial = weight * p / (2 * np.pi) / ((z_r - v**2 * p**2) * (np.conj(z_r) - v**2 * p**2))
    return left, right, radial, px, py


def _shifted(retarded):
    """(eps, Delta, z, sign of the shift) of the middle Green functions: G^R(p + k), G^A(p - k)."""
    eps_r, delta_r = retarded
    z_r = eps_r**2 - delta_r**2
    return {"R": (eps_r, delta_r, z_r, 1.0), "A": (np.conj(eps_r), np.conj(delta_r), np.conj(z_r), -1.0)}


def _contract(left, right, weighted):
    """int_p B (x) G for B = L, R from the angle-and-radius weighted shifted numerators (node, 4)."""
    return {name: (block.transpose(0, 2, 1) @ weighted).reshape(2, 2, 2, 2, 2) for name, block in (("L", left), ("R", right))}


def _block_tensors(v, retarded, p, weight, k):
    """int_p B(p) (x) G^s(p + k e_x) for B = L (vertex d), R (vertex c), s = R, A, shift +k (s = R), -k (s = A).

    Returns a dict {(block, s): array [vertex x/y, i, j, m, n]}.
    """
    left, right, radial, px, py = _vertex_blocks(v, retarded, p, weight, _ANGLES)
    out = {}
    for s, (eps, delta, z, sign) in _shifted(retarded).items():
        shift = sign * k
        g_shift = _numerator(eps, delta, v, px + shift, py)
        # denominator z - v^2 |p + shift e_x|^2 = A - B cos phi
        ang = _angular_weights(z - v**2 * (p**2 + shift**2), 2 * v**2 * p * shift) * (radial / len(_ANGLES))[:, None]
        for name, tensor in _contract(left, right, (g_shift * ang[..., None, None]).reshape(-1, 4)).items():
            out[name, s] = tensor
    return out


def _diagram_integrands(t):
    """Bare X, Psi_R, Psi_A contractions [d, c] (vertex indices x/y) from the block tensors at one k."""
    x = np.einsum("dijjk,cklli->dc", t["L", "R"], t["R", "A"])
    # Psi_R: L_ij G^R(p1+k)_jk G^R(p4+k)_kl R(p4)_li; the second tensor is int R_li (x) G^R(p4+k)_kl
    psi_r = np.einsum("dijjk,clikl->dc", t["L", "R"], t["R", "R"])
    # Psi_A: L_ij R_jk G^A(p4-k)_kl G^A(p1-k)_li
    psi_a = np.einsum("dijli,cjkkl->dc", t["L", "A"], t["R", "A"])
    return np.stack([x, psi_r, psi_a])


def _complex_form(m):
    """In-plane 2x2 s 1 + h J -> s + i h (trace and Hall parts; invariant under rotations about z)."""
    return 0.5 * (m[..., 0, 0] + m[..., 1, 1]) + 0.5j * (m[..., 0, 1] - m[..., 1, 0])


@dataclass(frozen=True)
class CrossedHall(Result):
    """Crossed (X + Psi) part of sigma_xy in e^2/h (paper 002, Fig. 2(b-d), Eq. 10; Ref. 55).

    ``x``, ``psi``: the X and the two Psi diagrams (Psi_R + Psi_A) with dressed vertices; ``total`` = x + psi.
    ``longitudinal``: their (small, O(alpha^0)) contribution to sigma_xx, for information.
    ``error``: |total(order) - total(2 order / 3)| on the same panels. ``closed_form``: the leading-order result
    of Ref. 55, -4 eps Delta (eps^2 - Delta^2)/(eps^2 + 3 Delta^2)^2 (a witness, not used).
    """

    total: float
    x: float
    psi: float
    longitudinal: float
    error: float
    closed_form: float
    cutoff: float
    quadrature_order: int
    n_k_nodes: int


def _crossed_sum(model, retarded, cutoff, order, block_tensors=None):
    """Bare X, Psi_R, Psi_A [diagram, d, c] and the number of k nodes; ``block_tensors`` replaces
    :func:`_block_tensors` (the benchmark's baseline angular rule)."""
    block_tensors = block_tensors or _block_tensors
    v = model.v
    z = retarded[0] ** 2 - retarded[1] ** 2
    p_fermi = np.sqrt(z).real / v
    width = abs(z.imag) / (2 * v**2 * p_fermi)
    lam = cutoff / v
    k_breaks = graded_breakpoints(0.0, 2 * lam, [0.0, 2 * p_fermi, lam - p_fermi, lam + p_fermi], [width] * 4, ratio=_RATIO)
    k_nodes, k_weights = graded_gauss_legendre(k_breaks, order)
    total = np.zeros((3, 2, 2), dtype=complex)
    for k, wk in zip(k_nodes, k_weights, strict=True):
        breaks = graded_breakpoints(0.0, lam, [p_fermi, abs(p_fermi - k), p_fermi + k], [width] * 3, ratio=_RATIO)
        p, wp = graded_gauss_legendre(breaks, order)
        total += wk * k / (2 * np.pi) * _diagram_integrands(block_tensors(v, retarded, p, wp, k))
    return (2 * np.pi * model.disorder_alpha * v**2) ** 2 * v**2 * total, len(k_nodes)


def crossed_hall_conductivity(
    model: DiracFerromagnet, *, cutoff_ratio: float = DEFAULT_CUTOFF_RATIO, quadrature_order: int = 8
) -> CrossedHall:
    """X and Psi diagrams of sigma_H (paper 002, Fig. 2(b-d); Ref. 55) at q = omega = 0, computed directly.

    Any eps > |Delta_z|, alpha, cutoff; same self-consistent Born Green functions and ladder vertex as
    :func:`spincharge.diffusive.correlator.dc_conductivity`.
    """
    if quadrature_order < 6:
        raise ValueError(f"quadrature_order must be >= 6, got {quadrature_order!r}")
    se = born_self_energy(model, cutoff_ratio=cutoff_ratio)
    retarded = (se.eps_R, se.delta_R)
    bubble = spin_bubble(model, cutoff_ratio=cutoff_ratio)
    m = bubble.matrix[1:3, 1:3]
    dressing = _complex_form(np.linalg.inv(np.eye(2) - np.pi * model.disorder_alpha * m))
    values, n_k = [], []
    for order in (quadrature_order, max(4, (2 * quadrature_order) // 3)):
        bare, nodes = _crossed_sum(model, retarded, se.cutoff, order)
        values.append(dressing**2 * _complex_form(bare))
        n_k.append(nodes)
    diagrams = values[0]
    total = complex(np.sum(diagrams))
    error = float(abs(np.sum(values[0]) - np.sum(values[1])))
    eps, delta = model.fermi_energy, model.exchange_z
    closed = -4 * eps * delta * (eps**2 - delta**2) / (eps**2 + 3 * delta**2) ** 2
    return CrossedHall(float(total.imag), float(diagrams[0].imag), float((diagrams[1] + diagrams[2]).imag),
                       float(total.real), error, float(closed), se.cutoff, quadrature_order, n_k[0])
