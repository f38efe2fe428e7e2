"""Test-side transcription of paper 003, Eqs. (S10)-(S13), written from the printed equations with
explicit index loops (no code shared with spincharge.diffusion), and an independent finite-difference
discretisation on a rectangle built from it.

Reading of the printed indices (docs/conventions.md, "Spin-charge diffusion"): first index of alpha,
gamma, theta, kappa is the spin index (spincharge.symmetry); the spin Hall term of S13 is
theta_lm eps_jkm d_j mu; D is a scalar. With the three corrections that the Keldysh limit of the Usadel
equation and Onsager reciprocity fix (spincharge.diffusion.equations): precession 2 eps_lmr h_m S^r,
spin generation -gamma_lm d_m mu, and 2 alpha in both SU(2) terms.
"""

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import spsolve

R3 = range(3)


def eps(i, j, k):
    return (i - j) * (j - k) * (k - i) / 2


def paper_currents(m, u, du):
    """u = (mu, S^x, S^y, S^z); du[j][b] = d_j u_b. Returns j[k] (S12) and js[k][l] (S13)."""
    D = m.D[0, 0]
    mu, S = u[0], u[1:]
    j = [-D * (du[k][0] - sum(m.theta[i, l] * eps(j_, k, l) * du[j_][1 + i] for i in R3 for j_ in R3 for l in R3))
         + sum(m.gamma[i, k] * S[i] for i in R3) for k in R3]
    js = [[-D * (du[k][1 + l] - sum(m.theta[l, i] * eps(j_, k, i) * du[j_][0] for i in R3 for j_ in R3)
                 - sum(m.kappa[i, r] * eps(j_, k, r) * eps(i, mm, l) * du[j_][1 + mm]
                       for i in R3 for r in R3 for j_ in R3 for mm in R3))
           - 2 * sum(m.alpha[mm, k] * eps(l, mm, r) * S[r] for mm in R3 for r in R3) for l in R3] for k in R3]
    return j, js


def paper_torque(m, u, du):
    """Right side of S10, S11 without -d_t: (0, T^x, T^y, T^z)."""
    S = u[1:]
    g0 = np.trace(m.Gamma)
    T = [2 * sum(eps(l, mm, r) * m.h[mm] * S[r] for mm in R3 for r in R3)
         - sum(m.gamma[l, mm] * du[mm][0] for mm in R3)
         - 0.5 * g0 * S[l] + 0.5 * sum(m.Gamma[l, mm] * S[mm] for mm in R3)
         + 2 * sum(m.alpha[mm, k] * eps(l, mm, r) * du[k][1 + r] for k in R3 for mm in R3 for r in R3) for l in R3]
    return [0 * u[0]] + T


def probe_tensors(m):
    """C, B, A, R of J = -C du - B u, torque = A du - R u, read off the transcription by unit inputs."""
    C, B, A, R = np.zeros((4, 4, 3, 3)), np.zeros((4, 4, 3)), np.zeros((4, 4, 3)), np.zeros((4, 4))
    zero_u, zero_du = np.zeros(4), np.zeros((3, 4))

    def flux(u, du):
        j, js = paper_currents(m, u, du)
        return np.array([j] + [[js[k][l] for k in R3] for l in R3])  # [a, k]

    for b in range(4):
        e = np.eye(4)[b]
        B[:, b] = -flux(e, zero_du)
        R[:, b] = -np.array(paper_torque(m, e, zero_du))
        for j in R3:
            du = np.zeros((3, 4))
            du[j, b] = 1
            C[:, b, :, j] = -flux(zero_u, du)
            A[:, b, j] = paper_torque(m, zero_u, du)
    return C, B, A, R


def finite_difference_rectangle(m, lx, ly, nx, ny, boundary):
    """Steady state on [0, lx] x [0, ly] by central differences on an (nx+1) x (ny+1) vertex grid with
    Dirichlet data boundary(x, y) -> (4,) on all sides: -C_kj d_k d_j u - (B + A)_k d_k u + R u = 0.
    Returns the grid (x, y) and u (4, nx+1, ny+1)."""
    C, B, A, R = probe_tensors(m)
    x, y = np.linspace(0, lx, nx + 1), np.linspace(0, ly, ny + 1)
    hx, hy = x[1] - x[0], y[1] - y[0]
    idx = -np.ones((nx + 1, ny + 1), int)
    idx[1:-1, 1:-1] = np.arange((nx - 1) * (ny - 1)).reshape(nx - 1, ny - 1)
    n = (nx - 1) * (ny - 1)
    X, Y = np.meshgrid(x, y, indexing="ij")
    bc = np.array([[boundary(xx, yy) for yy in y] for xx in x]).transpose(2, 0, 1)
    # stencil weights for d_k d_j and d_k on the 9-point neighbourhood (di, dj)
    second = {
        (0, 0): {(1, 0): 1 / hx**2, (-1, 0): 1 / hx**2, (0, 0): -2 / hx**2},
        (1, 1): {(0, 1): 1 / hy**2, (0, -1): 1 / hy**2, (0, 0): -2 / hy**2},
        (0, 1): {(1, 1): 0.25 / (hx * hy), (-1, -1): 0.25 / (hx * hy), (1, -1): -0.25 / (hx * hy), (-1, 1): -0.25 / (hx * hy)},
    }
    second[(1, 0)] = second[(0, 1)]
    first = {0: {(1, 0): 0.5 / hx, (-1, 0): -0.5 / hx}, 1: {(0, 1): 0.5 / hy, (0, -1): -0.5 / hy}}
    stencil = {}  # (di, dj) -> 4x4 block
    for (k, j), w in second.items():
        for off, c in w.items():
            stencil[off] = stencil.get(off, 0) - C[:, :, k, j] * c
    for k, w in first.items():
        for off, c in w.items():
            stencil[off] = stencil.get(off, 0) - (B[:, :, k] + A[:, :, k]) * c
    stencil[(0, 0)] = stencil[(0, 0)] + R
    rows, cols, vals, rhs = [], [], [], np.zeros(4 * n)
    for i in range(1, nx):
        for j in range(1, ny):
            row = idx[i, j]
            for (di, dj), block in stencil.items():
                col = idx[i + di, j + dj]
                for a in range(4):
                    for b in range(4):
                        if block[a, b] == 0:
                            continue
                        if col >= 0:
                            rows.append(4 * row + a)
                            cols.append(4 * col + b)
                            vals.append(block[a, b])
                        else:
                            rhs[4 * row + a] -= block[a, b] * bc[b, i + di, j + dj]
    K = sparse.csr_matrix((vals, (rows, cols)), shape=(4 * n, 4 * n))
    u = bc.copy()
    u[:, 1:-1, 1:-1] = spsolve(K, rhs).reshape(nx - 1, ny - 1, 4).transpose(2, 0, 1)
    return x, y, u
