"""Paper 003, Eqs. (S10)-(S13), as coefficient tensors of a linear system for u = (mu, S_x, S_y, S_z).

With field index a, b = 0 (mu), 1-3 (S^x, S^y, S^z) and Cartesian k, j::

    J^a_k = -C[a, b, k, j] d_j u_b - B[a, b, k] u_b          (J^0 = j_k of S12, J^l = j_kl of S13)
    d_t u_a + d_k J^a_k = A[a, b, k] d_k u_b - R[a, b] u_b   (S10, S11; torque on the right)

Index order of the Material tensors is that of :mod:`spincharge.symmetry` (first index spin for alpha,
gamma, theta, kappa). Eq. (S13) prints the spin Hall term as theta_il eps_jkl d_j mu with l the spin of
j_kl, which would sum theta over its spin index; we read it as theta_li eps_jki d_j mu, the form
Onsager-reciprocal to the inverse spin Hall term of Eq. (S12) (the test
``test_onsager_reciprocity_of_spin_hall_and_inverse_spin_hall`` checks the reciprocity). Eqs. (S11),
(S13) write alpha_km with k the gradient index; in the symmetry module's order (Eq. 4, alpha_kj: spin k,
gradient j) that is alpha[m, k]. The theta and kappa terms multiply the scalar D of Eqs. (S12)-(S13);
for an anisotropic D we use Tr D / 3 there and the tensor D_kj in the diffusion terms.
"""

from __future__ import annotations

import numpy as np

from ..materials import Material

__all__ = ["operator_tensors", "EPSILON"]

EPSILON = np.zeros((3, 3, 3))
for _i, _j, _k in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
    EPSILON[_i, _j, _k], EPSILON[_i, _k, _j] = 1.0, -1.0


def operator_tensors(material: Material) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(C, B, A, R) of the module docstring for one material; shapes (4,4,3,3), (4,4,3), (4,4,3), (4,4)."""
    eps = EPSILON
    d_bar = np.trace(material.D) / 3
    theta, kappa, gamma, alpha = material.theta, material.kappa, material.gamma, material.alpha
    C = np.zeros((4, 4, 3, 3))
    B = np.zeros((4, 4, 3))
    A = np.zeros((4, 4, 3))
    R = np.zeros((4, 4))
    C[0, 0] = material.D
    # S12: j_k contains + D theta_il eps_jkl d_j S^i
    C[0, 1:] = -d_bar * np.einsum("il,jkl->ikj", theta, eps)
    # S13: j_kl contains + D theta_lm eps_jkm d_j mu
    C[1:, 0] = -d_bar * np.einsum("lm,jkm->lkj", theta, eps)
    # S13: j_kl contains -D d_k S^l + D kappa_ir eps_jkr eps_iml d_j S^m
    C[1:, 1:] = np.einsum("lm,kj->lmkj", np.eye(3), material.D) - d_bar * np.einsum("ir,jkr,iml->lmkj", kappa, eps, eps)
    # S12: + gamma_ik S^i;  S13: - alpha_mk eps_lmr S^r
    B[0, 1:] = -gamma
    B[1:, 1:] = np.einsum("mk,lmr->lrk", alpha, eps)
    # S11 torques: gamma_lm d_m mu + alpha_mk eps_lmr d_k S^r + eps_lmr h_m S^r - R S
    A[1:, 0] = gamma
    A[1:, 1:] = np.einsum("mk,lmr->lrk", alpha, eps)
    R[1:, 1:] = material.relaxation - np.einsum("m,lmr->lr", material.h, eps)
    return C, B, A, R
