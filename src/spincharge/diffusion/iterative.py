"""GMRES with a field-block preconditioner for the diffusion system (large 2D meshes).

The operator of paper 003, Eqs. (S10)-(S13), is dominated per field by -div(D grad) (+ relaxation for
the spin fields); the spin-orbit couplings (theta, kappa, gamma, alpha, h) are off-diagonal and small
compared with it on fine meshes. The preconditioner applies one smoothed-aggregation AMG V-cycle
(pyamg) to each field's diagonal block (block Jacobi by field); GMRES handles the couplings.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import linalg as spla

__all__ = ["solve_block_preconditioned"]


def solve_block_preconditioned(A, b, fields, *, tol: float = 1e-10, restart: int = 60, maxiter: int = 20):
    """x with ||A x - b|| <= tol ||b||; ``fields`` labels each unknown with its field 0-3.

    Raises ValueError if GMRES does not reach ``tol`` (never returns an unconverged result).
    """
    import pyamg

    A = A.tocsr()
    blocks = [np.flatnonzero(fields == a) for a in range(4)]
    diagonal = [A[idx][:, idx].tocsr() for idx in blocks]
    solvers = []
    for a, block in enumerate(diagonal):
        # the spin blocks are identical for isotropic D and relaxation: build that hierarchy once
        same = next((b for b in range(a) if block.shape == diagonal[b].shape and abs(block - diagonal[b]).max() == 0), None)
        solvers.append(solvers[same] if same is not None else
                       pyamg.smoothed_aggregation_solver(block, max_coarse=500, coarse_solver="splu"))  # fmt: skip

    def apply(r):
        out = np.zeros_like(r)
        for idx, ml in zip(blocks, solvers):
            out[idx] = ml.solve(r[idx], maxiter=1, cycle="V", tol=1e-30)
        return out

    M = spla.LinearOperator(A.shape, matvec=apply, dtype=A.dtype)
    iterations = [0]

    def count(_):
        iterations[0] += 1

    x, info = spla.gmres(A, b, M=M, rtol=tol, atol=0.0, restart=restart, maxiter=maxiter, callback=count,
                         callback_type="pr_norm")  # fmt: skip
    residual = np.linalg.norm(A @ x - b) / max(np.linalg.norm(b), 1e-300)
    if info != 0 or not residual <= 10 * tol:
        raise ValueError(f"iterative solver did not converge (relative residual {residual:.2e} > tol={tol:g} after "
                         f"{iterations[0]} GMRES iterations): use solver='direct' or a larger tol")  # fmt: skip
    return x
