"""Riccati form of the 1D Usadel equation with exchange field, spin relaxation and SU(2) gauge field.

Paper 003, Eqs. (4), (7), (8) with gamma = theta = kappa = 0, one gradient direction x. The Green
function is kept exactly normalised (g^2 = 1) by two n x n matrices a, b (n = 2: spin; n = 1: the spin-
scalar sector, where a, b multiply the spin identity):

    g = s M tau3 M^-1,  M = [[1, a], [b, -1]],  M^-1 = [[N, N a], [Nt b, -Nt]],  N = (1 + ab)^-1, Nt = (1 + ba)^-1,
    g = s [[N (1 - ab), 2 N a], [2 Nt b, -Nt (1 - ba)]],   s = sign(Re omega)

(``operator.riccati_g`` with its a replaced by s a). With Q = M^-1 D~M one has g D~g = -2 M Q_off M^-1,
and the off-diagonal blocks of M^-1 E M of the operator E = -D D~(g D~g) + [X, g] (``operator``, alpha in
the covariant derivative D~u = u' - i[A, u], A = A_j s_j = alpha_jx s_j / D) are 2 N F_a (upper right) and
-2 Nt F_b (lower left) with

    F_a = D (D~D~a - 2 D~a Nt b D~a) - s R(X; a),   R(X; a)  = X11 a - X12 + a X21 a - a X22,
    F_b = D (D~D~b - 2 D~b N a D~b) - s Rt(X; b),   Rt(X; b) = b X11 - X21 + b X12 b - X22 b,

X = tau3 (omega + i h.s) + Delta_hat + (1/8) Gamma_jk s_j g s_k (any 4x4 X enters only through R, Rt, so
the g-dependent relaxation term is exact). Delta_hat = [[0, Delta e^(i phi)], [Delta e^(-i phi), 0]]
(``operator``'s Delta tau1 for phi = 0; a of a bulk superconductor carries e^(i phi)). Kupriyanov-
Lukichev interface between layer 1 (left) and 2 (right), with x from 1 to 2,
sigma_1 g1 d g1 = sigma_2 g2 d g2 = (G_B/2)[g1, g2], becomes (sigma = D, lengths in the unit xi0,
r = R_B sigma_0 / xi0):

    2 r D_2 D~a_2 = + s R(g_1; a_2),     2 r D_1 D~a_1 = - s R(g_2; a_1)    (and b with Rt).

The charge-current trace is Tr[tau3 g D~g] = 4 Tr_n[N a Nt D~b - N D~a Nt b] (times 2 for n = 1, the spin
trace). Checks: ``tests/usadel/test_riccati.py`` (the 4x4 operator on random smooth a(x), b(x), 30-digit
finite differences) and ``scripts/derive_usadel_riccati.py`` (sympy, collinear spin sector).
"""

from __future__ import annotations

import numpy as np

_PAULI = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex)


def spin_matrix(vector) -> np.ndarray:
    """v.sigma (2x2) for a 3-vector."""
    return np.einsum("j,jab->ab", np.asarray(vector, dtype=complex), _PAULI)


def inverse(m):
    """(..., n, n) inverse; elementwise for n = 1."""
    return 1 / m if m.shape[-1] == 1 else np.linalg.inv(m)


def normalisers(a, b):
    """N = (1 + ab)^-1, Nt = (1 + ba)^-1."""
    one = np.eye(a.shape[-1])
    return inverse(one + a @ b), inverse(one + b @ a)


def green_blocks(a, b, s):
    """Nambu blocks (g11, g12, g21, g22) of g = s M tau3 M^-1 (module docstring)."""
    one = np.eye(a.shape[-1])
    N, Nt = normalisers(a, b)
    return s * N @ (one - a @ b), s * 2 * N @ a, s * 2 * Nt @ b, -s * Nt @ (one - b @ a)


def green(a, b, s):
    """The (2n x 2n) matrix g from stacks a, b (..., n, n); s (broadcastable to (..., 1, 1)) = sign(Re omega)."""
    g11, g12, g21, g22 = np.broadcast_arrays(*green_blocks(a, b, s))
    return np.concatenate([np.concatenate([g11, g12], -1), np.concatenate([g21, g22], -1)], -2)


def amplitudes(g11, g12, g21, g22, s):
    """(a, b) of a normalised g (inverse of ``green``): 1 + s g11 = 2N and 1 - s g22 = 2Nt, so
    a = (1 + s g11)^-1 s g12 and b = (1 - s g22)^-1 s g21."""
    one = np.eye(g11.shape[-1])
    return inverse(one + s * g11) @ (s * g12), inverse(one - s * g22) @ (s * g21)


def bulk_superconductor(frequency, gap, phase, n):
    """(a, b) of the bulk BCS g = (omega tau3 + Delta_hat)/sqrt(omega^2 + Delta^2) (principal root, positive
    for real omega, -i sqrt(E^2 - Delta^2) for omega = eta - i E above the gap), stacked over the broadcast
    ``frequency``, ``gap``, ``phase``; shape (..., n, n)."""
    omega, gap, phase = np.broadcast_arrays(np.asarray(frequency, dtype=complex), gap, phase)
    s = np.where(omega.real >= 0, 1.0, -1.0)[..., None, None]
    root = np.sqrt(omega**2 + gap**2)
    eye = np.eye(n)
    g11 = (omega / root)[..., None, None] * eye
    g12 = (gap * np.exp(1j * phase) / root)[..., None, None] * eye
    g21 = (gap * np.exp(-1j * phase) / root)[..., None, None] * eye
    return amplitudes(g11, g12, g21, -g11, s)


def project(X, a, b):
    """(R(X; a), Rt(X; b)) of the module docstring; X = (X11, X12, X21, X22) as n x n blocks."""
    X11, X12, X21, X22 = X
    return X11 @ a - X12 + a @ X21 @ a - a @ X22, b @ X11 - X21 + b @ X12 @ b - X22 @ b


def covariant(u, du, gauge):
    """D~u = u' - i[A, u] (``gauge`` = A, n x n, or None)."""
    return du if gauge is None else du - 1j * (gauge @ u - u @ gauge)


def covariant2(u, du, d2u, gauge):
    """D~D~u = u'' - 2i[A, u'] - [A, [A, u]] for constant A."""
    if gauge is None:
        return d2u
    commutator = gauge @ u - u @ gauge
    return d2u - 2j * (gauge @ du - du @ gauge) - (gauge @ commutator - commutator @ gauge)


def relaxation_blocks(blocks, relaxation):
    """Nambu blocks of (1/8) Gamma_jk s_j g s_k (n = 2) from the blocks of g; ``relaxation`` 3x3."""
    out = []
    for block in blocks:
        total = 0
        for j in range(3):
            for k in range(3):
                if relaxation[j, k] != 0:
                    total = total + relaxation[j, k] / 8 * _PAULI[j] @ block @ _PAULI[k]
        out.append(total + 0 * block)
    return tuple(out)


def residual(a, b, da, db, d2a, d2b, s, local, diffusion, gauge=None, relaxation=None):
    """(F_a, F_b) of the module docstring at stacks of points. ``local`` = blocks of tau3 (omega + i h.s)
    + Delta_hat; ``relaxation`` a 3x3 Gamma (n = 2) or None."""
    N, Nt = normalisers(a, b)
    Da, Db = covariant(a, da, gauge), covariant(b, db, gauge)
    X = local
    if relaxation is not None:
        X = tuple(x + y for x, y in zip(local, relaxation_blocks(green_blocks(a, b, s), relaxation)))
    Ra, Rb = project(X, a, b)
    Fa = diffusion * (covariant2(a, da, d2a, gauge) - 2 * Da @ Nt @ b @ Da) - s * Ra
    Fb = diffusion * (covariant2(b, db, d2b, gauge) - 2 * Db @ N @ a @ Db) - s * Rb
    return Fa, Fb


def current_trace(a, b, da, db, gauge=None):
    """Tr[tau3 g D~g] over Nambu x spin (module docstring), shape (...)."""
    N, Nt = normalisers(a, b)
    Da, Db = covariant(a, da, gauge), covariant(b, db, gauge)
    spin = 2 if a.shape[-1] == 1 else 1
    return spin * 4 * np.trace(N @ a @ Nt @ Db - N @ Da @ Nt @ b, axis1=-2, axis2=-1)
