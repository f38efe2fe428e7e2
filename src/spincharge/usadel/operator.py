"""The matrix Usadel operator of paper 003, Eqs. (S3)-(S6), for numpy, mpmath or sympy matrices.

4x4 Nambu (x) spin matrices, Nambu outer: kron(tau_i, sigma_j). The Matsubara operator is

    E[g] = d_k J_k + sum_k G_k + [tau3 (omega + i h.s) + Delta_hat, g] + torque_sign * T + (1/8) Gamma_jk [s_j g s_k, g],
    J_k  = -D g D~_k g + (i/16) eps_ijl gamma_lk {[s_i, g], s_j + g s_j g}                    (Eq. 8, S4)
           + (D/4) eps_jkl theta_il {s_i + g s_i g, d_j g} + i (D/4) eps_jkl kappa_il [[s_i, d_j g], g]   (S4, S45, S37)
    G_k  = -i [A_k, -D g D~_k g]                                          (``gauge_torque``, alpha of S5)
    T    = -(i/8) eps_ijl gamma_lk [{d_k g, g s_i g}, s_j]                                   (S5)
           + (D/4) eps_jkl theta_il [s_i, g d_j g d_k g] - i (D/4) eps_jkl kappa_il [s_i, d_j g d_k g]

with the SU(2) covariant derivative D~_k X = d_k X - i[A_k, X] of Eq. (4), A_k = A_jk s_j (spin index j
first), alpha_jk = A_jl D_lk: expanded, -D g D~_k g = -D g d_k g + i alpha_jk g [s_j, g] (the alpha current
of Eq. S4/S9) and G_k gives the alpha torque of Eq. (S5)/(S10) plus D [A_k, g [A_k, g]], the 4 D A A part
that Eq. (4) moves from Gamma into Gamma~: Gamma here is the Gamma of Eq. (7) (the covariant form's
relaxation; for a pure gauge A it is the whole relaxation). Only the diffusion current is covariantly
differentiated: gamma, theta and kappa enter the action with plain gradients (Eqs. 5, 6), and -i[A_k, J^gamma_k]
would break {E, g} = 0 (``tests/usadel/test_operator.py``).

The printed Eq. (S3) has torque_sign = -1 (T on the right-hand side); it is incompatible with g^2 = 1
and ``TORQUE_SIGN`` = +1 is the compatible one (docs/conventions.md, "Usadel equation (paper 003)";
``scripts/derive_usadel_vortex.py``). With T on the left-hand side, the theta torque is minus the printed
(S46)/(S5) one and the kappa torque is the (S5) one (minus S38); both follow from the action, see
docs/conventions.md "Spin Hall and swapping terms": the kappa current is divergence-free up to its torque
(d_k J^kappa_k + T^kappa = 0 identically, S36), and in one dimension (gradients along x only)
eps_jkl d_j g d_k g = 0, so theta and kappa give no torque and no J_x, only transverse J_y, J_z.
gamma, theta, kappa are tables t[l][k] / t[i][l] (spin index first, gradient or dual index second). The same
code runs on numpy arrays (stacks (..., 4, 4) broadcast), on mpmath object arrays (high-precision checks)
and on sympy matrices (the derivation).
"""

from __future__ import annotations

import numpy as np

#: E contains + T (the printed S3 has - T, incompatible with g^2 = 1).
TORQUE_SIGN = 1

_PAULI = [[[1, 0], [0, 1]], [[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]]
LEVI_CIVITA = {
    (i, j, l): s
    for (i, j, l), s in {(0, 1, 2): 1, (1, 2, 0): 1, (2, 0, 1): 1, (0, 2, 1): -1, (2, 1, 0): -1, (1, 0, 2): -1}.items()
}


class Algebra:
    """Pauli matrices tau_i, sigma_j (4x4) and helpers for one backend: "numpy", "mpmath" or "sympy".

    ``Lambda = (n tau3 - sigma_z)/2`` generates the vortex frame U = exp(i phi Lambda) for winding n.
    """

    def __init__(self, backend: str = "numpy", winding=1):
        if backend == "sympy":
            import sympy as sp

            pauli = [sp.Matrix(p).applyfunc(sp.nsimplify) for p in _PAULI]
            self.kron, self.zeros, self.I = sp.kronecker_product, sp.zeros(4, 4), sp.I
        elif backend == "mpmath":
            import mpmath as mp

            pauli = [np.array([[mp.mpc(v) for v in row] for row in p], dtype=object) for p in _PAULI]
            self.kron, self.zeros, self.I = np.kron, np.kron(pauli[0], pauli[0]) * 0, mp.mpc(0, 1)
        elif backend == "numpy":
            pauli = [np.array(p, dtype=complex) for p in _PAULI]
            self.kron, self.zeros, self.I = np.kron, np.zeros((4, 4), dtype=complex), 1j
        else:
            raise ValueError(f"backend must be 'numpy', 'mpmath' or 'sympy', got {backend!r}")
        self.backend = backend
        self.pauli = pauli
        self.eye2 = pauli[0]
        self.tau = [self.kron(p, self.eye2) for p in pauli]
        self.sigma = [self.kron(self.eye2, p) for p in pauli[1:]]
        self.Lambda = (self.tau[3] * winding - self.sigma[2]) / 2

    def block(self, b11, b12, b21, b22):
        """[[b11, b12], [b21, b22]] from 2x2 spin blocks (stacks of them for numpy/mpmath)."""
        if self.backend == "sympy":
            import sympy as sp

            return sp.Matrix(sp.BlockMatrix([[b11, b12], [b21, b22]]))
        b11, b12, b21, b22 = np.broadcast_arrays(b11, b12, b21, b22)
        top = np.concatenate([b11, b12], axis=-1)
        return np.concatenate([top, np.concatenate([b21, b22], axis=-1)], axis=-2)


def comm(a, b):
    return a @ b - b @ a


def acomm(a, b):
    return a @ b + b @ a


def _gamma_terms(gamma, k=None):
    """(i, j, k, eps_ijl gamma_lk) for the nonzero coefficients (optionally one gradient index k); None: none."""
    if gamma is None:
        return []
    columns = range(len(gamma[0])) if k is None else (k,)
    return [
        (i, j, kk, s * gamma[l][kk])
        for (i, j, l), s in LEVI_CIVITA.items()
        for kk in columns
        if gamma[l][kk] != 0
    ]


def _grouped(alg, terms):
    """{(i, k): V} with V = sum_j eps_ijl gamma_lk s_j (a constant matrix): every gamma term is linear in s_j, so
    the sum over j is formed once, before the products with g."""
    groups = {}
    for i, j, k, c in terms:
        groups[i, k] = groups.get((i, k), alg.zeros) + alg.sigma[j] * c
    return groups


def gauge_matrix(alg, gauge_k):
    """A_k = sum_j A_jk s_j (4x4, identity in Nambu space) for the spin components ``gauge_k`` (3 numbers)."""
    out = alg.zeros
    for component, S in zip(gauge_k, alg.sigma):
        if component != 0:
            out = out + S * component
    return out


def covariant(alg, X, dX_k, gauge_k=None):
    """D~_k X = d_k X - i[A_k, X] (paper 003, Eq. (4)); plain d_k X when ``gauge_k`` is None."""
    if gauge_k is None:
        return dX_k
    return dX_k - alg.I * comm(gauge_matrix(alg, gauge_k), X)


def _dual_terms(table, k=None):
    """(i, j, k, eps_jkl t_il) for the nonzero coefficients of a theta or kappa table (optionally one k)."""
    if table is None:
        return []
    return [
        (i, j, kk, s * table[i][l])
        for (j, kk, l), s in LEVI_CIVITA.items()
        if k is None or kk == k
        for i in range(3)
        if table[i][l] != 0
    ]


def spin_hall_current(alg, g, dg, k, theta, kappa, diffusion):
    """theta and kappa parts of J_k (paper 003, Eqs. (S4), (S45), (S37)); ``dg`` = [d_x g, d_y g, d_z g]
    (only the gradients j != k enter)."""
    current = alg.zeros
    S = alg.sigma
    for i, j, _, c in _dual_terms(theta, k):
        current = current + acomm(S[i] + g @ S[i] @ g, dg[j]) * (diffusion * c / 4)
    for i, j, _, c in _dual_terms(kappa, k):
        current = current + comm(comm(S[i], dg[j]), g) * (alg.I * diffusion * c / 4)
    return current


def matrix_current(alg, g, dg_k, k, gamma, diffusion, gauge_k=None, *, theta=None, kappa=None, dg=None):
    """J_k of paper 003, Eq. (8)/(S4) (k: gradient index, ``dg_k`` = d_k g), alpha through the covariant
    derivative with gauge field ``gauge_k`` = (A_xk, A_yk, A_zk) (None: alpha = 0); theta and kappa (3x3
    tables, None: zero) need all gradients ``dg``."""
    current = -diffusion * (g @ covariant(alg, g, dg_k, gauge_k))
    for (i, _), V in _grouped(alg, _gamma_terms(gamma, k)).items():
        current = current + acomm(comm(alg.sigma[i], g), V + g @ V @ g) * (alg.I / 16)
    if _dual_terms(theta) or _dual_terms(kappa):
        if dg is None:
            raise ValueError("dg (all three gradients) must be given with theta or kappa")
        current = current + spin_hall_current(alg, g, dg, k, theta, kappa, diffusion)
    return current


def gamma_current_derivative(alg, g, dg_k, k, gamma):
    """d_k J^gamma_k through g(x) (constant gamma): the gamma current of Eq. (S4) differentiated with d_k g."""
    out = alg.zeros
    S = alg.sigma
    for (i, _), V in _grouped(alg, _gamma_terms(gamma, k)).items():
        Vg = V @ g
        out = out + (acomm(comm(S[i], dg_k), V + g @ Vg) + acomm(comm(S[i], g), dg_k @ Vg + g @ V @ dg_k)) * (alg.I / 16)
    return out


def gauge_torque(alg, g, dg_k, gauge_k, diffusion):
    """G_k = -i[A_k, -D g D~_k g]: the SU(2) part of D~_k acting on the diffusion current (module docstring)."""
    if gauge_k is None:
        return alg.zeros
    return -alg.I * comm(gauge_matrix(alg, gauge_k), -diffusion * (g @ covariant(alg, g, dg_k, gauge_k)))


def matrix_torque(alg, g, dg, gamma, printed="S5", *, theta=None, kappa=None, diffusion=1):
    """T of paper 003, Eq. (S5) (gamma), with the theta and kappa torques derived from the action (module
    docstring; T enters E with ``TORQUE_SIGN``); printed="Eq9" gives the main-text gamma bracket order
    {[d_k g, g s_i g], s_j}."""
    torque = alg.zeros
    S = alg.sigma
    inner, outer = (acomm, comm) if printed == "S5" else (comm, acomm)
    for (i, k), V in _grouped(alg, _gamma_terms(gamma)).items():
        torque = torque - outer(inner(dg[k], g @ S[i] @ g), V) * (alg.I / 8)
    for i, j, k, c in _dual_terms(theta):
        torque = torque + comm(S[i], g @ dg[j] @ dg[k]) * (diffusion * c / 4)
    for i, j, k, c in _dual_terms(kappa):
        torque = torque - comm(S[i], dg[j] @ dg[k]) * (alg.I * diffusion * c / 4)
    return torque


def local_terms(alg, g, pair_potential, frequency, relaxation, exchange=None):
    """[tau3 (omega + i h.s) + Delta_hat, g] + (1/8) Gamma_jk [s_j g s_k, g] (paper 003, Eq. (7)).

    ``relaxation``: a number Gamma (Gamma_jk = Gamma delta_jk) or a 3x3 table Gamma[j][k];
    ``exchange``: the field h (3 numbers) or None."""
    spin_flip = alg.zeros
    table = relaxation if np.ndim(relaxation) == 2 else None
    for j, Sj in enumerate(alg.sigma):
        for k, Sk in enumerate(alg.sigma):
            weight = table[j][k] if table is not None else (relaxation if j == k else 0)
            if weight != 0:
                spin_flip = spin_flip + comm(Sj @ g @ Sk, g) * weight
    bracket = alg.tau[3] * frequency + pair_potential
    if exchange is not None:
        bracket = bracket + alg.I * alg.tau[3] @ gauge_matrix(alg, exchange)
    return comm(bracket, g) + spin_flip / 8


def riccati_g(alg, a, b, sign, inverse):
    """Paper 003, Eq. (S6) with s = sign(omega); ``inverse`` computes (1 + ab)^-1 in the backend."""
    one = alg.eye2
    N, Nt = inverse(one + a @ b), inverse(one + b @ a)
    return alg.block(sign * N @ (one - a @ b), 2 * N @ a, 2 * Nt @ b, -sign * Nt @ (one - b @ a))


def riccati_frame(alg, a, b, sign):
    """M with g = sign M tau3 M^-1 for g = riccati_g(a, b, sign): M = [[1, s a], [s b, -1]]."""
    return alg.block(alg.eye2 + 0 * a, sign * a, sign * b, -alg.eye2 + 0 * b)


def rashba(gamma_o):
    """gamma_lk = gamma_o eps_zlk (gamma_xy = -gamma_yx = gamma_o) as a 3x2 table (in-plane gradients)."""
    return [[0, gamma_o], [-gamma_o, 0], [0, 0]]
