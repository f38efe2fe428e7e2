"""Pointwise normal-state currents and torques of paper 003, Appendix D, Eqs. (S11)-(S13).

Fields: the chemical potential mu and the excess spin S^l (energies), their gradients ``grad_mu[..., j]``
and ``grad_spin[..., j, l]`` (gradient index first, spin index last). Currents::

    j_k  = -D_kq d_q mu + D theta_il eps_jkl d_j S^i + gamma_ik S^i,                          (S12)
    j_kl = -D_kq d_q S^l + D theta_lm eps_jkm d_j mu + D kappa_ir eps_jkr eps_iml d_j S^m
           - 2 alpha_mk eps_lmr S^r,                                                           (S13)

and the torque (the right-hand side of d_k j_kl = -d_t S^l + T^l, Eq. S11)::

    T^l = 2 eps_lmr h_m S^r - gamma_lm d_m mu - R_lm S^m + 2 alpha_mk eps_lmr d_k S^r,

with R = (Tr Gamma 1 - Gamma) / 2 (:func:`spincharge.materials.relaxation_matrix`). The paper has a
scalar D; for an anisotropic D the diffusion terms use the tensor D_kq and the spin Hall and swapping
terms the scalar Tr D / 3 (their own tensors theta, kappa carry the anisotropy). A tensor D there would
break the Onsager antisymmetry of the spin Hall / inverse spin Hall pair unless D is isotropic. Charge obeys d_k j_k = -d_t mu (Eq. S10). All arrays broadcast over leading point axes.

**The spin Hall term of Eq. (S13) as printed, theta_il eps_jkl d_j mu, leaves i unsummed** (an index slip:
the spin index l sits on theta's second slot and on eps). The normal-state limit of the Usadel current
(S4) fixes it to theta_lm eps_jkm d_j mu (spin index on theta's first slot), which is also what makes
the spin Hall and inverse spin Hall couplings Onsager-antisymmetric for any theta tensor; the
swapping term and the charge current (S12) are as printed. Settled by
``tests/diffusion/test_normal_state_limit.py`` (Keldysh component of S4-S5 with g^R = -g^A = tau3).

Index order as in :mod:`spincharge.symmetry`: alpha[spin, gradient], gamma[spin, gradient].

**SO precession alpha with the factor 2 of the Usadel equation.** The Keldysh limit of the alpha terms of the
Usadel current (S4, J_j = i alpha_kj g [sigma_k, g]) and torque (Eq. 9, T = +i alpha_kj [sigma_k, g d_j g],
with the torque sign compatible with g^2 = 1) gives j_kl = -2 alpha_mk eps_lmr S^r and the source
+2 alpha_mk eps_lmr d_k S^r: the SU(2)-covariant pair j = -D (d S + A x S), source D A x d S with
A_k^m = 2 alpha_mk / D. Eqs. (S11), (S13) print alpha without the 2 (and S5 prints the alpha torque with the
sign opposite to Eq. 9, which would break covariance); since Material.alpha is shared with the Usadel
solvers we use the limit of their equation (``tests/diffusion/test_normal_state_limit.py``; the
persistent spin helix of ``test_persistent_spin_helix_has_one_undamped_mode``).

**Precession at 2h.** h is the exchange/Zeeman energy of the Usadel equation (Eq. 7: tau3 (omega + i h.sigma)),
shared through :class:`~spincharge.materials.Material` (``from_si``: h = g mu_B B / 2). Its spins precess
at omega_L = 2 |h| (dF/dt = -i [h.sigma, F] gives dS/dt = 2 h x S), the Larmor frequency g mu_B B / hbar.
Eq. (S11) prints eps_lmr h_m S^r, i.e. precession at |h|: read literally with Eq. (7)'s h it halves the
Larmor frequency, so the factor 2 is restored here (checked by the Keldysh limit of the Usadel local
terms, ``tests/diffusion/test_normal_state_limit.py``, and by the Hanle curve in SI units,
``tests/diffusion/test_modal.py::test_hanle_precession_is_at_the_larmor_frequency_in_si``).

**The sign of the spin-generation (Edelstein) term differs from the paper.** Eq. (S11) prints
+gamma_lm d_m mu, with the same sign as the spin-galvanic term +gamma_ik S^i of Eq. (S12). mu is even
and S odd under time reversal, so Onsager-Casimir reciprocity requires the two couplings to enter the
Onsager matrix antisymmetrically, i.e. with opposite signs (fluxes j_k, j_kl, T^l conjugate to -d_k mu,
-d_k S^l, -S^l). The solver shows it: the conductance matrix of a channel with a ferromagnetic
contact obeys G_ij(h, m) = G_ji(-h, -m) to 1e-16 with the sign used here and fails by 2e-2 with the
printed one (``tests/diffusion/test_modal.py::test_onsager_reciprocity_and_charge_conservation``).
The printed sign also follows from Eqs. (S8)-(S9) as printed, so the error sits there or earlier;
reciprocity fixes only the relative sign, and we keep the main text's Eq. (12), j = gamma S.
"""

from __future__ import annotations

import numpy as np

from ..materials import Material

__all__ = ["EQUATIONS", "LEVI_CIVITA", "currents", "operator_tensors", "torque"]

LEVI_CIVITA = np.zeros((3, 3, 3))
for _i, _j, _k in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
    LEVI_CIVITA[_i, _j, _k], LEVI_CIVITA[_j, _i, _k] = 1.0, -1.0
LEVI_CIVITA.flags.writeable = False


def currents(material: Material, grad_mu, spin, grad_spin):
    """Charge current j_k and spin current j_kl (Eqs. S12, S13) from the local fields.

    Returns ``(j[..., k], j_spin[..., k, l])``; complex fields (time-harmonic) are allowed.
    """
    eps = LEVI_CIVITA
    grad_mu, spin, grad_spin = np.asarray(grad_mu), np.asarray(spin), np.asarray(grad_spin)
    d_bar = np.trace(material.D) / 3  # the scalar D of the spin Hall and swapping terms (module docstring)
    j = (
        -np.einsum("kq,...q->...k", material.D, grad_mu)
        + d_bar * np.einsum("il,jkl,...ji->...k", material.theta, eps, grad_spin)
        + np.einsum("ik,...i->...k", material.gamma, spin)
    )
    j_spin = (
        -np.einsum("kq,...ql->...kl", material.D, grad_spin)
        + d_bar * np.einsum("lm,jkm,...j->...kl", material.theta, eps, grad_mu)
        + d_bar * np.einsum("ir,jkr,iml,...jm->...kl", material.kappa, eps, eps, grad_spin)
        - np.einsum("mk,lmr,...r->...kl", 2 * material.alpha, eps, spin)
    )
    return j, j_spin


EQUATIONS = ("onsager", "printed")


def torque(material: Material, grad_mu, spin, grad_spin, *, equations: str = "onsager"):
    """The spin torque T^l of Eq. (S11) (precession, spin generation, relaxation, SO precession).

    ``equations="onsager"`` (default) gives the spin-generation term the sign reciprocity requires,
    ``"printed"`` the sign of Eq. (S11) as printed (module docstring), for comparison with the paper.
    """
    if equations not in EQUATIONS:
        raise ValueError(f"equations must be one of {EQUATIONS}, got {equations!r}")
    edelstein = -1.0 if equations == "onsager" else 1.0
    eps = LEVI_CIVITA
    grad_mu, spin, grad_spin = np.asarray(grad_mu), np.asarray(spin), np.asarray(grad_spin)
    return (
        2 * np.einsum("lmr,m,...r->...l", eps, material.h, spin)
        + edelstein * np.einsum("lm,...m->...l", material.gamma, grad_mu)
        - np.einsum("lm,...m->...l", material.relaxation, spin)
        + np.einsum("mk,lmr,...kr->...l", 2 * material.alpha, eps, grad_spin)
    )


def operator_tensors(material: Material, *, equations: str = "onsager"):
    """(C, B, A, R) of the linear operator on u = (mu, S^x, S^y, S^z), read off :func:`currents` and
    :func:`torque` (both linear in the fields)::

        J^a_k = -C[a, b, k, j] d_j u_b - B[a, b, k] u_b      (J^0_k = j_k, J^l_k = j_kl)
        torque^a = A[a, b, k] d_k u_b - R[a, b] u_b           (torque^0 = 0)

    so that d_t u_a + d_k J^a_k = torque^a. Shapes (4, 4, 3, 3), (4, 4, 3), (4, 4, 3), (4, 4).
    """
    C, B, A, R = np.zeros((4, 4, 3, 3)), np.zeros((4, 4, 3)), np.zeros((4, 4, 3)), np.zeros((4, 4))

    def fluxes(u, du):  # du[j, b] = d_j u_b
        j, j_spin = currents(material, du[:, 0], u[1:], du[:, 1:])
        source = torque(material, du[:, 0], u[1:], du[:, 1:], equations=equations)
        return np.concatenate([j[None], j_spin.T]), np.concatenate([[0.0], source])  # J[a, k], T[a]

    for b in range(4):
        flux, source = fluxes(np.eye(4)[b], np.zeros((3, 4)))
        B[:, b], R[:, b] = -flux, -source
        for j in range(3):
            du = np.zeros((3, 4))
            du[j, b] = 1.0
            flux, source = fluxes(np.zeros(4), du)
            C[:, b, :, j], A[:, b, j] = -flux, source
    return C, B, A, R
