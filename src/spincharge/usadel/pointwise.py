"""Compiled pointwise residual of the spinful (n = 2) Riccati equations and its exact Jacobian.

The same equations as ``riccati.residual`` (paper 003, Eqs. (4), (7)-(9), (S4), (S5) in one dimension, the
gamma part in the rotated frame of the ``riccati`` module docstring), evaluated node by node in compiled code
with 2x2 matrices held as 4-tuples (row-major, the joined layout of the junction's unknowns
u = (a11, a12, a21, a22, b11, b12, b21, b22)). Numpy's matmul on stacks of 2x2 complex matrices costs about
0.5 us per product (a BLAS call each), twenty times the arithmetic; the junction's Jacobian needs some 10^8
of them.

The Jacobian is forward-mode (the product rule on every 2x2 product, one tangent direction at a time, the
intermediates of the value pass reused): dF/du and dF/du' (8 x 8 each) at every node; dF/du'' = D exactly
(F = D u'' + terms without u''). ``tests/usadel/test_pointwise.py`` checks the residual against
``riccati.residual`` and the Jacobian against finite differences of it.
"""

from __future__ import annotations

import numba
import numpy as np

from . import riccati

_ZERO = (0j, 0j, 0j, 0j)
#: reassociation and contraction for speed; not "nnan"/"ninf": a singular 1 + ab must still give inf/NaN,
#: which Newton detects
_FAST = {"reassoc", "contract", "arcp", "nsz"}


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _mm(x, y):
    return (x[0] * y[0] + x[1] * y[2], x[0] * y[1] + x[1] * y[3], x[2] * y[0] + x[3] * y[2], x[2] * y[1] + x[3] * y[3])


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _ad(x, y):
    return (x[0] + y[0], x[1] + y[1], x[2] + y[2], x[3] + y[3])


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _sb(x, y):
    return (x[0] - y[0], x[1] - y[1], x[2] - y[2], x[3] - y[3])


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _sc(c, x):
    return (c * x[0], c * x[1], c * x[2], c * x[3])


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _one_plus(x):
    return (1 + x[0], x[1], x[2], 1 + x[3])


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _inv(x):
    det = x[0] * x[3] - x[1] * x[2]
    return (x[3] / det, -x[1] / det, -x[2] / det, x[0] / det)


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _pm(j, x):
    """sigma_j x without multiplications (j = 0, 1, 2 for x, y, z)."""
    if j == 0:
        return (x[2], x[3], x[0], x[1])
    if j == 1:
        return (-1j * x[2], -1j * x[3], 1j * x[0], 1j * x[1])
    return (x[0], x[1], -x[2], -x[3])


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _mp(x, j):
    """x sigma_j."""
    if j == 0:
        return (x[1], x[0], x[3], x[2])
    if j == 1:
        return (1j * x[1], -1j * x[0], 1j * x[3], -1j * x[2])
    return (x[0], -x[1], x[2], -x[3])


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _dmm(x, dx, y, dy):
    """Tangent of x y."""
    return _ad(_mm(dx, y), _mm(x, dy))


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _cross(g, X0, X1, X2, Y0, Y1, Y2):
    """<X, Y> = sum eps_ijl gamma_l X_i Y_j (``riccati._cross``)."""
    return _ad(_ad(_sc(g[2], _sb(_mm(X0, Y1), _mm(X1, Y0))), _sc(g[0], _sb(_mm(X1, Y2), _mm(X2, Y1)))),
               _sc(g[1], _sb(_mm(X2, Y0), _mm(X0, Y2))))


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _dcross(g, X0, X1, X2, Y0, Y1, Y2, dX0, dX1, dX2, dY0, dY1, dY2):
    """Tangent of <X, Y>."""
    return _ad(_cross(g, dX0, dX1, dX2, Y0, Y1, Y2), _cross(g, X0, X1, X2, dY0, dY1, dY2))


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _load(row, offset):
    return (row[offset], row[offset + 1], row[offset + 2], row[offset + 3])


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _spin_blocks(a, b, N, Nt, p):
    """(S11, S12, S21, S22) of M^-1 sigma_p M (p = 0, 1, 2; ``riccati._rotated_spins``)."""
    ap, bp = _mp(a, p), _mp(b, p)
    P = _pm(p, _one_plus(_ZERO))
    return (_mm(N, _ad(P, _mm(ap, b))), _mm(N, _sb(_pm(p, a), ap)), _mm(Nt, _sb(bp, _pm(p, b))),
            _mm(Nt, _ad(_mm(bp, a), P)))


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _dspin_blocks(a, b, N, Nt, p, S, da, db, dN, dNt):
    """Tangent of ``_spin_blocks`` (S its value)."""
    ap, dap = _mp(a, p), _mp(da, p)
    bp, dbp = _mp(b, p), _mp(db, p)
    P = _pm(p, _one_plus(_ZERO))
    u11, du11 = _ad(P, _mm(ap, b)), _dmm(ap, dap, b, db)
    u12, du12 = _sb(_pm(p, a), ap), _sb(_pm(p, da), dap)
    u21, du21 = _sb(bp, _pm(p, b)), _sb(dbp, _pm(p, db))
    u22, du22 = _ad(_mm(bp, a), P), _dmm(bp, dbp, a, da)
    return (_dmm(N, dN, u11, du11), _dmm(N, dN, u12, du12), _dmm(Nt, dNt, u21, du21), _dmm(Nt, dNt, u22, du22))


@numba.njit(cache=True, fastmath=_FAST, error_model="numpy")
def _kernel(u, du, d2u, s, local, diffusion, gauge, weights, gamma, flags, out, jac_u, jac_du):
    """Residual (out, (M, 8)) and, when jac_u has M rows, dF/du and dF/du' ((M, 8, 8), [output, input]).
    flags = (gauge, relaxation, gamma) present."""
    use_gauge, use_relax, use_gamma = flags[0], flags[1], flags[2]
    A = _load(gauge, 0)
    W0, W1, W2 = _load(weights[0], 0), _load(weights[1], 0), _load(weights[2], 0)
    want = jac_u.shape[0] == u.shape[0]
    for m in range(u.shape[0]):
        sm = s[m]
        a, b = _load(u[m], 0), _load(u[m], 4)
        da, db = _load(du[m], 0), _load(du[m], 4)
        d2a, d2b = _load(d2u[m], 0), _load(d2u[m], 4)
        x11, x12, x21, x22 = _load(local[m], 0), _load(local[m], 4), _load(local[m], 8), _load(local[m], 12)
        ab, ba = _mm(a, b), _mm(b, a)
        N, Nt = _inv(_one_plus(ab)), _inv(_one_plus(ba))
        Aa, Ab = _sb(_mm(A, a), _mm(a, A)), _sb(_mm(A, b), _mm(b, A))
        Da, Db = da, db
        DDa, DDb = d2a, d2b
        if use_gauge:  # D~u = u' - i[A, u], D~D~u = u'' - 2i[A, u'] - [A, [A, u]]
            Da, Db = _sb(da, _sc(1j, Aa)), _sb(db, _sc(1j, Ab))
            Ada, Adb = _sb(_mm(A, da), _mm(da, A)), _sb(_mm(A, db), _mm(db, A))
            DDa = _sb(_sb(d2a, _sc(2j, Ada)), _sb(_mm(A, Aa), _mm(Aa, A)))
            DDb = _sb(_sb(d2b, _sc(2j, Adb)), _sb(_mm(A, Ab), _mm(Ab, A)))
        Ntb, Na = _mm(Nt, b), _mm(N, a)
        Fa = _sc(diffusion, _sb(DDa, _sc(2.0, _mm(_mm(Da, Ntb), Da))))
        Fb = _sc(diffusion, _sb(DDb, _sc(2.0, _mm(_mm(Db, Na), Db))))
        DaNtb, DbNa = _mm(Da, Ntb), _mm(Db, Na)
        one_ab, one_ba = _sb(_one_plus(_ZERO), ab), _sb(_one_plus(_ZERO), ba)
        X11, X12, X21, X22 = x11, x12, x21, x22
        if use_relax:  # X += (1/8) Gamma_jk s_j g s_k on each block of g (W_j = Gamma_jk s_k / 8)
            g11, g12 = _sc(sm, _mm(N, one_ab)), _sc(2 * sm, Na)
            g21, g22 = _sc(2 * sm, Ntb), _sc(-sm, _mm(Nt, one_ba))
            X11 = _ad(X11, _ad(_ad(_mm(_pm(0, g11), W0), _mm(_pm(1, g11), W1)), _mm(_pm(2, g11), W2)))
            X12 = _ad(X12, _ad(_ad(_mm(_pm(0, g12), W0), _mm(_pm(1, g12), W1)), _mm(_pm(2, g12), W2)))
            X21 = _ad(X21, _ad(_ad(_mm(_pm(0, g21), W0), _mm(_pm(1, g21), W1)), _mm(_pm(2, g21), W2)))
            X22 = _ad(X22, _ad(_ad(_mm(_pm(0, g22), W0), _mm(_pm(1, g22), W1)), _mm(_pm(2, g22), W2)))
        aX21 = _mm(a, X21)
        bX12 = _mm(b, X12)
        Ra = _sb(_ad(_sb(_mm(X11, a), X12), _mm(aX21, a)), _mm(a, X22))
        Rb = _sb(_ad(_sb(_mm(b, X11), X21), _mm(bX12, b)), _mm(X22, b))
        Fa, Fb = _sb(Fa, _sc(sm, Ra)), _sb(Fb, _sc(sm, Rb))
        S0 = (_ZERO, _ZERO, _ZERO, _ZERO)
        S1, S2, U, V, p, q, E12, E21 = S0, S0, _ZERO, _ZERO, _ZERO, _ZERO, _ZERO, _ZERO
        S0q, S1q, S2q, S0p, S1p, S2p = _ZERO, _ZERO, _ZERO, _ZERO, _ZERO, _ZERO
        if use_gamma:
            S0, S1, S2 = _spin_blocks(a, b, N, Nt, 0), _spin_blocks(a, b, N, Nt, 1), _spin_blocks(a, b, N, Nt, 2)
            U = _sb(_cross(gamma, S0[1], S1[1], S2[1], S0[2], S1[2], S2[2]),
                    _cross(gamma, S0[0], S1[0], S2[0], S0[0], S1[0], S2[0]))
            V = _sb(_cross(gamma, S0[2], S1[2], S2[2], S0[1], S1[1], S2[1]),
                    _cross(gamma, S0[3], S1[3], S2[3], S0[3], S1[3], S2[3]))
            p, q = _sc(-2.0, _mm(N, da)), _sc(-2.0, _mm(Nt, db))
            S0q, S1q, S2q = _mm(S0[1], q), _mm(S1[1], q), _mm(S2[1], q)
            S0p, S1p, S2p = _mm(S0[2], p), _mm(S1[2], p), _mm(S2[2], p)
            E12 = _ad(_ad(_mm(U, p), _mm(p, V)), _sc(2.0, _cross(gamma, S0q, S1q, S2q, S0[1], S1[1], S2[1])))
            E21 = _ad(_ad(_mm(V, q), _mm(q, U)), _sc(2.0, _cross(gamma, S0p, S1p, S2p, S0[2], S1[2], S2[2])))
            c = 0.125j * sm  # (i s / 4) E / 2
            Fa = _ad(Fa, _sc(c, _mm(_one_plus(ab), E12)))
            Fb = _sb(Fb, _sc(c, _mm(_one_plus(ba), E21)))
        for i in range(4):
            out[m, i] = Fa[i]
            out[m, 4 + i] = Fb[i]
        if not want:
            continue
        for k in range(16):  # tangent direction: unit change of u (k < 8) or of u' (k >= 8)
            e = k % 8
            ta = (1.0 + 0j if e == 0 else 0j, 1.0 + 0j if e == 1 else 0j, 1.0 + 0j if e == 2 else 0j,
                  1.0 + 0j if e == 3 else 0j)
            tb = (1.0 + 0j if e == 4 else 0j, 1.0 + 0j if e == 5 else 0j, 1.0 + 0j if e == 6 else 0j,
                  1.0 + 0j if e == 7 else 0j)
            if k < 8:
                dA_, dB_, dDA, dDB = ta, tb, _ZERO, _ZERO
            else:
                dA_, dB_, dDA, dDB = _ZERO, _ZERO, ta, tb
            dab, dba, dN, dNt = _ZERO, _ZERO, _ZERO, _ZERO
            if k < 8:  # u' enters only through D~u and p, q (none of N, g, R depend on it)
                dab, dba = _dmm(a, dA_, b, dB_), _dmm(b, dB_, a, dA_)
                dN = _sc(-1.0, _mm(_mm(N, dab), N))
                dNt = _sc(-1.0, _mm(_mm(Nt, dba), Nt))
            dDa, dDb = dDA, dDB
            dDDa, dDDb = _ZERO, _ZERO
            if use_gauge:
                dAa, dAb = _sb(_mm(A, dA_), _mm(dA_, A)), _sb(_mm(A, dB_), _mm(dB_, A))
                dDa, dDb = _sb(dDA, _sc(1j, dAa)), _sb(dDB, _sc(1j, dAb))
                dAda, dAdb = _sb(_mm(A, dDA), _mm(dDA, A)), _sb(_mm(A, dDB), _mm(dDB, A))
                dDDa = _sc(-1.0, _ad(_sc(2j, dAda), _sb(_mm(A, dAa), _mm(dAa, A))))
                dDDb = _sc(-1.0, _ad(_sc(2j, dAdb), _sb(_mm(A, dAb), _mm(dAb, A))))
            dNtb, dNa = _dmm(Nt, dNt, b, dB_), _dmm(N, dN, a, dA_)
            dFa = _sc(diffusion, _sb(dDDa, _sc(2.0, _dmm(DaNtb, _dmm(Da, dDa, Ntb, dNtb), Da, dDa))))
            dFb = _sc(diffusion, _sb(dDDb, _sc(2.0, _dmm(DbNa, _dmm(Db, dDb, Na, dNa), Db, dDb))))
            dX11, dX12, dX21, dX22 = _ZERO, _ZERO, _ZERO, _ZERO
            if use_relax and k < 8:
                dg11 = _sc(sm, _dmm(N, dN, one_ab, _sc(-1.0, dab)))
                dg12, dg21 = _sc(2 * sm, dNa), _sc(2 * sm, dNtb)
                dg22 = _sc(-sm, _dmm(Nt, dNt, one_ba, _sc(-1.0, dba)))
                dX11 = _ad(_ad(_mm(_pm(0, dg11), W0), _mm(_pm(1, dg11), W1)), _mm(_pm(2, dg11), W2))
                dX12 = _ad(_ad(_mm(_pm(0, dg12), W0), _mm(_pm(1, dg12), W1)), _mm(_pm(2, dg12), W2))
                dX21 = _ad(_ad(_mm(_pm(0, dg21), W0), _mm(_pm(1, dg21), W1)), _mm(_pm(2, dg21), W2))
                dX22 = _ad(_ad(_mm(_pm(0, dg22), W0), _mm(_pm(1, dg22), W1)), _mm(_pm(2, dg22), W2))
            dRa, dRb = _ZERO, _ZERO
            if k < 8:
                dRa = _sb(_ad(_sb(_dmm(X11, dX11, a, dA_), dX12), _dmm(aX21, _dmm(a, dA_, X21, dX21), a, dA_)),
                          _dmm(a, dA_, X22, dX22))
                dRb = _sb(_ad(_sb(_dmm(b, dB_, X11, dX11), dX21), _dmm(bX12, _dmm(b, dB_, X12, dX12), b, dB_)),
                          _dmm(X22, dX22, b, dB_))
            dFa, dFb = _sb(dFa, _sc(sm, dRa)), _sb(dFb, _sc(sm, dRb))
            if use_gamma:
                dp, dq = _sc(-2.0, _dmm(N, dN, da, dDA)), _sc(-2.0, _dmm(Nt, dNt, db, dDB))
                if k < 8:
                    T0 = _dspin_blocks(a, b, N, Nt, 0, S0, dA_, dB_, dN, dNt)
                    T1 = _dspin_blocks(a, b, N, Nt, 1, S1, dA_, dB_, dN, dNt)
                    T2 = _dspin_blocks(a, b, N, Nt, 2, S2, dA_, dB_, dN, dNt)
                    dU = _sb(_dcross(gamma, S0[1], S1[1], S2[1], S0[2], S1[2], S2[2], T0[1], T1[1], T2[1], T0[2], T1[2], T2[2]),
                             _dcross(gamma, S0[0], S1[0], S2[0], S0[0], S1[0], S2[0], T0[0], T1[0], T2[0], T0[0], T1[0], T2[0]))
                    dV = _sb(_dcross(gamma, S0[2], S1[2], S2[2], S0[1], S1[1], S2[1], T0[2], T1[2], T2[2], T0[1], T1[1], T2[1]),
                             _dcross(gamma, S0[3], S1[3], S2[3], S0[3], S1[3], S2[3], T0[3], T1[3], T2[3], T0[3], T1[3], T2[3]))
                    dE12 = _ad(_ad(_dmm(U, dU, p, dp), _dmm(p, dp, V, dV)),
                               _sc(2.0, _dcross(gamma, S0q, S1q, S2q, S0[1], S1[1], S2[1],
                                                _dmm(S0[1], T0[1], q, dq), _dmm(S1[1], T1[1], q, dq),
                                                _dmm(S2[1], T2[1], q, dq), T0[1], T1[1], T2[1])))
                    dE21 = _ad(_ad(_dmm(V, dV, q, dq), _dmm(q, dq, U, dU)),
                               _sc(2.0, _dcross(gamma, S0p, S1p, S2p, S0[2], S1[2], S2[2],
                                                _dmm(S0[2], T0[2], p, dp), _dmm(S1[2], T1[2], p, dp),
                                                _dmm(S2[2], T2[2], p, dp), T0[2], T1[2], T2[2])))
                else:  # E is linear in (p, q), and S, U, V do not depend on u'
                    dE12 = _ad(_ad(_mm(U, dp), _mm(dp, V)),
                               _sc(2.0, _cross(gamma, _mm(S0[1], dq), _mm(S1[1], dq), _mm(S2[1], dq), S0[1], S1[1], S2[1])))
                    dE21 = _ad(_ad(_mm(V, dq), _mm(dq, U)),
                               _sc(2.0, _cross(gamma, _mm(S0[2], dp), _mm(S1[2], dp), _mm(S2[2], dp), S0[2], S1[2], S2[2])))
                c = 0.125j * sm
                dFa = _ad(dFa, _sc(c, _dmm(_one_plus(ab), dab, E12, dE12)))
                dFb = _sb(dFb, _sc(c, _dmm(_one_plus(ba), dba, E21, dE21)))
            target = jac_u if k < 8 else jac_du
            for i in range(4):
                target[m, i, k % 8] = dFa[i]
                target[m, 4 + i, k % 8] = dFb[i]


def _prepared(u, du, d2u, s, local, gauge, relaxation, gamma):
    """Flattened, broadcast inputs of ``_kernel`` and the batch shape."""
    sign_shape = np.shape(s)[:-2]
    shape = np.broadcast_shapes(u.shape[:-1], du.shape[:-1], d2u.shape[:-1], sign_shape, *(np.shape(x)[:-2] for x in local))

    def flat(v, width):
        return np.ascontiguousarray(np.broadcast_to(v, shape + (width,)), dtype=complex).reshape(-1, width)

    blocks = np.concatenate([flat(np.reshape(x, np.shape(x)[:-2] + (4,)), 4) for x in local], -1)
    sign = np.ascontiguousarray(np.broadcast_to(np.reshape(s, sign_shape), shape), dtype=float).ravel()
    A = np.zeros(4, complex) if gauge is None else np.asarray(gauge, dtype=complex).ravel()
    table = np.zeros((3, 3)) if relaxation is None else np.asarray(relaxation, dtype=float)
    pauli = np.stack([riccati.spin_matrix(e) for e in np.eye(3)])
    weights = np.einsum("jk,kab->jab", table, pauli).reshape(3, 4) / 8  # W_j = Gamma_jk s_k / 8
    g = np.zeros(3) if gamma is None else np.asarray(gamma, dtype=float)
    flags = np.array([gauge is not None, relaxation is not None, gamma is not None])
    return shape, (flat(u, 8), flat(du, 8), flat(d2u, 8), sign, blocks), (A, weights, g, flags)


def residual(u, du, d2u, s, local, diffusion, gauge=None, relaxation=None, gamma=None):
    """``riccati.residual`` for n = 2 in the joined layout: u, du, d2u (..., 8) = (a, b) row-major and their
    derivatives; ``s`` sign(Re omega) broadcastable to (..., 1, 1); ``local`` the 4 blocks (..., 2, 2);
    ``gauge`` A (2x2), ``relaxation`` 3x3 Gamma, ``gamma`` the column gamma_jx (None: absent). Returns (..., 8)."""
    shape, arrays, fields = _prepared(u, du, d2u, s, local, gauge, relaxation, gamma)
    out = np.empty((arrays[0].shape[0], 8), dtype=complex)
    empty = np.empty((0, 8, 8), dtype=complex)
    _kernel(*arrays, float(diffusion), *fields, out, empty, empty)
    return out.reshape(shape + (8,))


def jacobian(u, du, d2u, s, local, diffusion, gauge=None, relaxation=None, gamma=None):
    """(F, dF/du, dF/du') of ``residual``: (..., 8) and (..., 8, 8) [output, input], exact (forward mode)."""
    shape, arrays, fields = _prepared(u, du, d2u, s, local, gauge, relaxation, gamma)
    size = arrays[0].shape[0]
    out = np.empty((size, 8), dtype=complex)
    jac_u, jac_du = np.empty((size, 8, 8), dtype=complex), np.empty((size, 8, 8), dtype=complex)
    _kernel(*arrays, float(diffusion), *fields, out, jac_u, jac_du)
    return out.reshape(shape + (8,)), jac_u.reshape(shape + (8, 8)), jac_du.reshape(shape + (8, 8))
