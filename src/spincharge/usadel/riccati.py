"""Riccati form of the 1D Usadel equation with exchange field, spin relaxation and SU(2) gauge field.

Paper 003, Eqs. (4), (7)-(9), (S4), (S5), one gradient direction x (theta and kappa give no torque and no
J_x in 1D, ``operator``; gamma enters through its column gamma_lx). The Green
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

Spin-galvanic tensor gamma (column gamma_lx, spin index l): its part of E, E^gamma = d_x J^gamma_x + T^gamma
(first order in derivatives, nonlinear in g), is evaluated as a 4x4 matrix from the blocks (g' = [M' M^-1, g],
M' = [[0, a'], [b', 0]]) and projected exactly: for any 4x4 X, (M^-1 X M)_12 = N R(X; a) and
(M^-1 X M)_21 = Nt Rt(X; b), so F_a -> F_a + R(E^gamma; a)/2, F_b -> F_b - Rt(E^gamma; b)/2. E^gamma is
evaluated in the rotated frame, where g -> s tau3 and g' -> s [[0, p], [q, 0]] with p = -2N a', q = -2Nt b',
and sigma_j -> S_j = M^-1 sigma_j M = [[N(s_j + a s_j b), N(s_j a - a s_j)], [Nt(b s_j - s_j b), Nt(b s_j a + s_j)]]
(blocks S11_j, S12_j, S21_j, S22_j). With <X, Y> = sum_ijl eps_ijl gamma_l X_i Y_j (order kept) only 2x2
products remain:

    R(E^gamma; a)    = (i s/4) N^-1 [U p + p V + 2 <S12 q, S12>],   U = <S12, S21> - <S11, S11>,
    Rt(E^gamma; b)   = (i s/4) Nt^-1 [V q + q U + 2 <S21 p, S21>],  V = <S21, S12> - <S22, S22>,
    R(J^gamma_x; a)  = -(i s/4) N^-1 [<S12, S22> - <S11, S12>],
    Rt(J^gamma_x; b) =  (i s/4) Nt^-1 [<S21, S11> - <S22, S21>]

(tau3 X tau3 flips the off-diagonal blocks; W_i = sum_j eps_ijl gamma_l S_j turns the sums over i into <.,.>;
checked against the 4x4 operator below, to 1e-15 on random states). Likewise the full
current J_x = -D g D~g + J^gamma_x has M^-1 J_x M = [[0, 2N K_a], [-2Nt K_b, 0]] with the current blocks

    K_a = D D~a + R(J^gamma_x; a)/2,   K_b = D D~b - Rt(J^gamma_x; b)/2,

and every boundary condition is written with K (vacuum: K = 0, i.e. J_x = 0 with the gamma part;
transparent: a and K continuous; Kupriyanov-Lukichev: D D~a -> K_a above, i.e. -J_x = [g_1, g_2]/(2r) on
each side with the full current). The charge-current trace is Tr[tau3 J_x] = 4 Tr_n[N K_a Nt b - N a Nt K_b]
(times 2 for n = 1), and Tr[tau3 g D~g] = 4 Tr_n[N a Nt D~b - N D~a Nt b] (times 2 for n = 1, the spin
trace). Checks: ``tests/usadel/test_riccati.py`` (the 4x4 operator on random smooth a(x), b(x), 30-digit
finite differences, with gamma) and ``scripts/derive_usadel_riccati.py`` (sympy: the projection identities
above and the weak-proximity equations with gamma and h used for the phi0 closed form).
"""

from __future__ import annotations

import numpy as np


_PAULI = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex)


def spin_matrix(vector) -> np.ndarray:
    """v.sigma (2x2) for a 3-vector."""
    return np.einsum("j,jab->ab", np.asarray(vector, dtype=complex), _PAULI)


def inverse(m):
    """(..., n, n) inverse; elementwise for n = 1, the adjugate for n = 2 (numpy's batched inv is slow for 2x2)."""
    if m.shape[-1] == 1:
        return 1 / m
    if m.shape[-1] == 2:
        det = m[..., 0, 0] * m[..., 1, 1] - m[..., 0, 1] * m[..., 1, 0]
        adjugate = np.stack([np.stack([m[..., 1, 1], -m[..., 0, 1]], -1), np.stack([-m[..., 1, 0], m[..., 0, 0]], -1)], -2)
        return adjugate / det[..., None, None]
    return np.linalg.inv(m)


def product(x, y):
    """x @ y for stacks of n x n matrices: entry by entry for n = 2 (``_mul``), elementwise for n = 1."""
    if x.shape[-1] == 2 and y.shape[-1] == 2 and max(x.size, y.size) > 256:  # small stacks: matmul's overhead is less
        return _mul(x, y)
    return x * y if x.shape[-1] == 1 and y.shape[-1] == 1 else x @ y


def normalisers(a, b):
    """N = (1 + ab)^-1, Nt = (1 + ba)^-1."""
    one = np.eye(a.shape[-1])
    return inverse(one + product(a, b)), inverse(one + product(b, a))


def green_blocks(a, b, s):
    """Nambu blocks (g11, g12, g21, g22) of g = s M tau3 M^-1 (module docstring)."""
    one = np.eye(a.shape[-1])
    N, Nt = normalisers(a, b)
    return (s * product(N, one - product(a, b)), s * 2 * product(N, a), s * 2 * product(Nt, b),
            -s * product(Nt, one - product(b, a)))


def nambu(b11, b12, b21, b22):
    """[[b11, b12], [b21, b22]] from stacks of n x n blocks (broadcast)."""
    b11, b12, b21, b22 = np.broadcast_arrays(b11, b12, b21, b22)
    return np.concatenate([np.concatenate([b11, b12], -1), np.concatenate([b21, b22], -1)], -2)


def green(a, b, s):
    """The (2n x 2n) matrix g from stacks a, b (..., n, n); s (broadcastable to (..., 1, 1)) = sign(Re omega)."""
    return nambu(*green_blocks(a, b, s))


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
    weights = np.einsum("jk,kab->jab", relaxation, _PAULI) / 8  # W_j = sum_k Gamma_jk s_k / 8
    used = [j for j in range(3) if np.any(relaxation[j])]
    return tuple(sum((_PAULI[j] @ block @ weights[j] for j in used), 0 * block) for block in blocks)


def _mul(x, y):
    """x @ y for stacks of 2x2 matrices, entry by entry (numpy's matmul costs ~0.5 us per 2x2 product)."""
    x00, x01, x10, x11 = x[..., 0, 0, None], x[..., 0, 1, None], x[..., 1, 0, None], x[..., 1, 1, None]
    y0, y1 = y[..., 0, :], y[..., 1, :]
    return np.stack([x00 * y0 + x01 * y1, x10 * y0 + x11 * y1], -2)


def _cross(gamma, X, Y):
    """<X, Y> = sum_ijl eps_ijl gamma_l X_i Y_j for triples of 2x2 stacks (order kept)."""
    g0, g1, g2 = gamma
    return (g2 * (_mul(X[0], Y[1]) - _mul(X[1], Y[0])) + g0 * (_mul(X[1], Y[2]) - _mul(X[2], Y[1]))
            + g1 * (_mul(X[2], Y[0]) - _mul(X[0], Y[2])))


def _rotated_spins(a, b):
    """(S11, S12, S21, S22), each the triple over j of the blocks of M^-1 sigma_j M (module docstring)."""
    N, Nt = normalisers(a, b)
    ap, bp = [_mul(a, p) for p in _PAULI], [_mul(b, p) for p in _PAULI]
    pa, pb = [_mul(p, a) for p in _PAULI], [_mul(p, b) for p in _PAULI]
    return ([_mul(N, p + _mul(x, b)) for p, x in zip(_PAULI, ap)], [_mul(N, y - x) for x, y in zip(ap, pa)],
            [_mul(Nt, x - y) for x, y in zip(bp, pb)], [_mul(Nt, _mul(x, a) + p) for p, x in zip(_PAULI, bp)])


def gamma_current_blocks(a, b, s, gamma):
    """(R(J^gamma_x; a), Rt(J^gamma_x; b)), the projected gamma current of paper 003, Eq. (8)/(S4) (module
    docstring, "rotated frame"); ``gamma`` = (gamma_xx, gamma_yx, gamma_zx), n = 2 only."""
    S11, S12, S21, S22 = _rotated_spins(a, b)
    one = np.eye(2)
    J12 = (-0.25j * s) * (_cross(gamma, S12, S22) - _cross(gamma, S11, S12))
    J21 = (0.25j * s) * (_cross(gamma, S21, S11) - _cross(gamma, S22, S21))
    return _mul(one + _mul(a, b), J12), _mul(one + _mul(b, a), J21)


def gamma_blocks(a, b, da, db, s, gamma):
    """(R(E^gamma; a), Rt(E^gamma; b)) with E^gamma = d_x J^gamma_x + T^gamma (module docstring, "rotated
    frame"; paper 003, Eqs. (8), (9), (S4), (S5) with TORQUE_SIGN = +1); n = 2 only."""
    N, Nt = normalisers(a, b)
    S11, S12, S21, S22 = _rotated_spins(a, b)
    one = np.eye(2)
    U = _cross(gamma, S12, S21) - _cross(gamma, S11, S11)
    V = _cross(gamma, S21, S12) - _cross(gamma, S22, S22)
    p, q = -2 * _mul(N, da), -2 * _mul(Nt, db)  # M^-1 g' M = s [[0, p], [q, 0]]
    E12 = (0.25j * s) * (_mul(U, p) + _mul(p, V) + 2 * _cross(gamma, [_mul(x, q) for x in S12], S12))
    E21 = (0.25j * s) * (_mul(V, q) + _mul(q, U) + 2 * _cross(gamma, [_mul(x, p) for x in S21], S21))
    return _mul(one + _mul(a, b), E12), _mul(one + _mul(b, a), E21)


def current_blocks(a, b, da, db, s, diffusion, gauge=None, gamma=None):
    """(K_a, K_b) of the module docstring: M^-1 J_x M = [[0, 2N K_a], [-2Nt K_b, 0]] with the full current."""
    Ka, Kb = diffusion * covariant(a, da, gauge), diffusion * covariant(b, db, gauge)
    if gamma is not None:
        Ra, Rb = gamma_current_blocks(a, b, s, gamma)
        Ka, Kb = Ka + Ra / 2, Kb - Rb / 2
    return Ka, Kb


def residual(a, b, da, db, d2a, d2b, s, local, diffusion, gauge=None, relaxation=None, gamma=None):
    """(F_a, F_b) of the module docstring at stacks of points. ``local`` = blocks of tau3 (omega + i h.s)
    + Delta_hat; ``relaxation`` a 3x3 Gamma (n = 2) or None; ``gamma`` = (gamma_xx, gamma_yx, gamma_zx) or None."""
    N, Nt = normalisers(a, b)
    Da, Db = covariant(a, da, gauge), covariant(b, db, gauge)
    X = local
    if relaxation is not None:
        X = tuple(x + y for x, y in zip(local, relaxation_blocks(green_blocks(a, b, s), relaxation)))
    Ra, Rb = project(X, a, b)
    Fa = diffusion * (covariant2(a, da, d2a, gauge) - 2 * Da @ Nt @ b @ Da) - s * Ra
    Fb = diffusion * (covariant2(b, db, d2b, gauge) - 2 * Db @ N @ a @ Db) - s * Rb
    if gamma is not None:
        Ea, Eb = gamma_blocks(a, b, da, db, s, gamma)
        Fa, Fb = Fa + Ea / 2, Fb - Eb / 2
    return Fa, Fb


def matrix_current_4x4(a, b, Ka, Kb):
    """J_x = M [[0, P], [Q, 0]] M^-1 (P = 2N K_a, Q = -2Nt K_b; n = 2: 4x4 stacks) from the current blocks,
    multiplied out in 2x2 blocks with M = [[1, a], [b, -1]], M^-1 = [[N, N a], [Nt b, -Nt]]."""
    N, Nt = normalisers(a, b)
    P, Q = 2 * product(N, Ka), -2 * product(Nt, Kb)
    aQ, bP, Na, PNt = product(a, Q), product(b, P), product(N, a), product(P, Nt)
    return nambu(product(aQ, N) + product(PNt, b), product(aQ, Na) - PNt,
                 product(bP, product(Nt, b)) - product(Q, N), -product(Q, Na) - product(bP, Nt))


def current_trace(a, b, Ka, Kb):
    """Tr[tau3 J_x] over Nambu x spin from the current blocks (``current_blocks``; module docstring), shape (...)."""
    N, Nt = normalisers(a, b)
    spin = 2 if a.shape[-1] == 1 else 1
    NKa, Na = product(N, Ka), product(N, a)
    return spin * 4 * np.trace(product(NKa, product(Nt, b)) - product(Na, product(Nt, Kb)), axis1=-2, axis2=-1)
