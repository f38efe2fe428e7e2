"""Exact-to-tolerance local observables at T = 0: Zolotarev's rational sign function and recursive Green's functions.

At T = 0 the BdG density matrix is f(H) = (1 - sign(H)) / 2. With H~ = H / scale (spectrum in [-1, 1]) and
every |eigenvalue| >= gap, Zolotarev's best rational approximation of sign on [-1, -k] U [k, 1], k =
gap / scale, is (Nakatsukasa & Freund, SIAM Rev. 58, 461 (2016), Eq. (3.5))

    sign(x) ~ M x prod_{j=1}^{r} (x^2 + c_{2j}) / (x^2 + c_{2j-1}) = M x + sum_j w_j x / (x^2 + c_{2j-1}),
    c_i = k^2 sn^2(i K' / (2r + 1); k') / cn^2(i K' / (2r + 1); k'),   k' = sqrt(1 - k^2), K' = K(k'),

whose error decays like exp(-pi^2 r / log(4 / k)): a handful of poles reach 1e-6 even for k ~ 1e-2,
where a Chebyshev series needs hundreds of terms. Each pole term is the Hermitian part of a shifted
resolvent, x / (x^2 + c) = Herm (x - i sqrt(c))^-1, so f(H) needs the entries of (H - i s)^-1 that the
observables read (site blocks and nearest-neighbour blocks) at r shifts s = scale sqrt(c_{2j-1}).

On an open axis the BdG matrix is block tridiagonal in slices perpendicular to it (nearest-neighbour
hopping). The recursive Green's function method gives exactly those entries: the left-connected
g_i = (B_ii - T_{i-1}^dag g_{i-1} T_{i-1})^-1, then A_ii = g_i + g_i T_i A_{i+1,i+1} T_i^dag g_i and
A_{i+1,i} = -A_{i+1,i+1} T_i^dag g_i, A_{i,i+1} = -g_i T_i A_{i+1,i+1}, for B = H - i s, with the slice
coupling T_i site-diagonal (4 x 4 per site), so only the inverse and two products per slice cost m^3
(m = 4 sites per slice). Cost O(L_slices m^3) per pole, memory O(L_slices m^2), no probing
approximation: the only error is the rational one (``settings["sign_error"]``), measured on the
spectral set, which bounds ||f_approx(H) - f(H)||_2 <= sign_error / 2 and so every observable (as for
``kpm_observables``). Particle-hole symmetry survives: the approximant is odd.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse.linalg as spla
from scipy.special import ellipj, ellipk
from threadpoolctl import threadpool_limits

from .ground_state import _check_temperature
from .observables import LocalObservables, observables_from_columns
from .square import SquareSystem

__all__ = ["RationalSign", "gap_lower_bound", "rational_observables", "zolotarev_sign"]


class RationalSign:
    """sign(x) ~ linear x + sum_j weights[j] x / (x^2 + shifts[j]^2) on |x| in [k, 1], with its sup error."""

    def __init__(self, linear: float, weights: np.ndarray, shifts: np.ndarray, error: float, gap_ratio: float):
        self.linear, self.weights, self.shifts, self.error, self.gap_ratio = linear, weights, shifts, error, gap_ratio

    def __call__(self, x):
        x = np.asarray(x, dtype=float)[..., None]
        return (self.linear * x[..., 0]) + np.sum(self.weights * x / (x**2 + self.shifts**2), axis=-1)

    @property
    def poles(self) -> int:
        return self.shifts.size


def _zolotarev(k: float, r: int) -> RationalSign:
    kp2 = 1.0 - k * k  # parameter m = k'^2 of scipy's ellipj / ellipk
    big_k = ellipk(kp2)
    sn, cn, _, _ = ellipj(np.arange(1, 2 * r + 1) * big_k / (2 * r + 1), kp2)
    c = k * k * sn**2 / cn**2
    odd, even = c[0::2], c[1::2]
    weights = np.array([
        np.prod(even - odd[j]) / np.prod(np.delete(odd, j) - odd[j]) for j in range(r)
    ])  # fmt: skip
    grid = np.concatenate([np.geomspace(k, 1.0, 20001), [k, 1.0]])
    unnormalised = RationalSign(1.0, weights, np.sqrt(odd), 0.0, k)(grid)
    top, bottom = unnormalised.max(), unnormalised.min()
    scale = 2.0 / (top + bottom)  # equioscillation about 1
    error = float(np.max(np.abs(scale * unnormalised - 1.0)))
    return RationalSign(scale, scale * weights, np.sqrt(odd), error, k)


def zolotarev_sign(gap_ratio: float, *, tolerance: float = 1e-6, max_poles: int = 60) -> RationalSign:
    """Fewest-pole Zolotarev approximant of sign on [-1, -k] U [k, 1] with sup error <= ``tolerance``."""
    if not (np.isfinite(gap_ratio) and 0 < gap_ratio < 1):
        raise ValueError(f"gap_ratio = gap / scale must lie in (0, 1), got {gap_ratio!r}")
    if not (np.isfinite(tolerance) and 0 < tolerance < 0.5):
        raise ValueError(f"tolerance must lie in (0, 0.5), got {tolerance!r}")
    for r in range(1, max_poles + 1):
        approximant = _zolotarev(gap_ratio, r)
        if approximant.error <= tolerance:
            return approximant
    raise ValueError(f"{max_poles} poles do not reach tolerance {tolerance!r} at gap/scale = {gap_ratio:.3g}; "
                     "raise max_poles or the tolerance")  # fmt: skip


def gap_lower_bound(hamiltonian, *, tolerance: float = 1e-2, safety: float = 0.97) -> float:
    """A lower bound on min |E| of a sparse Hermitian matrix: Lanczos on H^-1 (sparse LU) to relative
    accuracy ``tolerance``, times ``safety``. Ritz values of H^-1 underestimate its largest |eigenvalue|, so
    1/|theta| overestimates min |E| by at most the Lanczos tolerance, which ``safety`` < 1 - tolerance covers."""
    lu = spla.splu(hamiltonian.tocsc())
    inverse = spla.LinearOperator(hamiltonian.shape, matvec=lu.solve, dtype=hamiltonian.dtype)
    values = spla.eigsh(inverse, k=2, which="LM", return_eigenvectors=False, tol=tolerance)
    return safety / float(np.abs(values).max())


def _slicing(system: SquareSystem):
    """(slice, position) of every site along the first open axis, and the slice size."""
    if not system.periodic[0]:
        axis = 0
    elif not system.periodic[1]:
        axis = 1
    else:
        raise ValueError("rational_observables needs an open axis (block-tridiagonal slices); for a torus use "
                         "kpm_observables")  # fmt: skip
    ix, iy = np.meshgrid(np.arange(system.nx), np.arange(system.ny), indexing="xy")
    ix, iy = ix.ravel(), iy.ravel()
    slice_of, position = (ix, iy) if axis == 0 else (iy, ix)
    return slice_of, position, (system.nx, system.ny)[axis], (system.ny, system.nx)[axis]


def _site_orbitals(sites, n_sites):
    """Global BdG orbitals (p up, p down, h up, h down) of each site, shape (len(sites), 4)."""
    return np.stack([2 * sites, 2 * sites + 1, 2 * n_sites + 2 * sites, 2 * n_sites + 2 * sites + 1], axis=-1)


def _block_diagonal_product_right(a, t):
    """a @ T for T block diagonal with 4 x 4 blocks t[p]: a (m, m) -> (m, m)."""
    m = a.shape[0]
    return np.einsum("apb,pbc->apc", a.reshape(m, -1, 4), t).reshape(m, m)


def _block_diagonal_product_left(t, a):
    """T @ a for T block diagonal (blocks t[p])."""
    m = a.shape[1]
    return np.einsum("pcb,pba->pca", t, a.reshape(-1, 4, m)).reshape(-1, m)


def rational_observables(
    system: SquareSystem,
    temperature: float = 0.0,
    *,
    tolerance: float = 1e-6,
    gap: float | None = None,
    threads: int | None = None,
) -> LocalObservables:
    """Densities and bond currents at T = 0 from Zolotarev's sign function and recursive Green's functions.

    Parameters
    ----------
    tolerance : float
        Sup error of the rational sign function on the spectral set (|E| >= gap): ||f_approx - f||_2 <=
        tolerance / 2, the bound behind every ``*_error``.
    gap : float, optional
        A lower bound on the smallest |eigenvalue| of H_BdG (default: ``gap_lower_bound``, Lanczos on
        H^-1 to 1% times 0.97). A gap too large makes the error bound wrong.
    threads : int, optional
        Poles solved concurrently (default: the number of cores), each with single-threaded BLAS: the
        slices' m x m products are too small for threaded BLAS, which on a busy machine is 15x slower.

    Needs one open axis (the slices are perpendicular to it); T > 0 is ``kpm_observables``' job.
    """
    _check_temperature(temperature)
    if temperature != 0:
        raise ValueError(f"rational_observables is for T = 0 (got temperature={temperature!r}); use kpm_observables")
    threads = (os.cpu_count() or 1) if threads is None else threads
    if not (isinstance(threads, int) and threads >= 1):
        raise ValueError(f"threads must be an integer >= 1, got {threads!r}")
    with threadpool_limits(limits=1, user_api="blas"):
        return _rational_observables(system, temperature, tolerance, gap, threads)


def _rational_observables(system, temperature, tolerance, gap, threads):
    started = time.perf_counter()
    hamiltonian = system.bdg_hamiltonian().tocsr()
    scale = 1.01 * float(np.abs(hamiltonian).sum(axis=1).max())  # Gershgorin
    gap = gap_lower_bound(hamiltonian) if gap is None else float(gap)
    if not (np.isfinite(gap) and 0 < gap < scale):
        raise ValueError(f"gap must lie in (0, {scale:.3g}) (a gapped BdG spectrum at T = 0), got {gap!r}")
    sign = zolotarev_sign(gap / scale, tolerance=tolerance)
    prepared = time.perf_counter()

    n = system.n_sites
    slice_of, position, n_slices, n_positions = _slicing(system)
    m = 4 * n_positions
    order = np.empty((n_slices, n_positions), dtype=int)
    order[slice_of, position] = np.arange(n)
    orbitals = _site_orbitals(order.ravel(), n).reshape(n_slices, m)  # slice-local -> global orbital
    blocks = [hamiltonian[o][:, o].toarray() for o in orbitals]
    couplings = []
    for i in range(n_slices - 1):
        coupling = hamiltonian[orbitals[i]][:, orbitals[i + 1]].toarray().reshape(n_positions, 4, n_positions, 4)
        diagonal = coupling[np.arange(n_positions), :, np.arange(n_positions), :]  # (p, 4, 4)
        if np.abs(coupling).sum() - np.abs(diagonal).sum() > 1e-12 * max(1.0, np.abs(coupling).sum()):
            raise ValueError("the slices couple beyond site-diagonal nearest neighbours: not a square lattice system")
        couplings.append(diagonal)

    # the entries each observable reads: 4 x 4 blocks A[r', r] and A[r, r'] for site and bond pairs
    pairs = {"site": (np.arange(n), np.arange(n))}
    for axis, name in ((0, "x"), (1, "y")):
        pairs[name] = system.bonds(axis)
    accumulated = {name: np.zeros((len(start), 4, 4), complex) for name, (start, _) in pairs.items()}
    def pole(shift):
        return _recursive_green(blocks, couplings, 1j * shift * scale, slice_of, position, pairs)

    with ThreadPoolExecutor(max_workers=threads) as pool:  # BLAS releases the GIL: one pole per core
        resolvents = pool.map(pole, sign.shifts)
    for weight, resolvent in zip(sign.weights, resolvents):
        for name, (forward, backward) in resolvent.items():  # A[r', r], A[r, r']; Herm part, times scale
            accumulated[name] += weight * scale * 0.5 * (forward + np.conj(np.swapaxes(backward, -1, -2)))
    finished = time.perf_counter()

    # f = 1/2 - (linear H~ + sum_j w_j Herm A_j) / 2, on the pairs; then the rows observables_from_columns reads
    def hamiltonian_block(rows, cols):  # 4 x 4 blocks H[rows[k], cols[k]] of the sparse matrix
        r = np.broadcast_to(rows[:, :, None], (len(rows), 4, 4)).ravel()
        c = np.broadcast_to(cols[:, None, :], (len(rows), 4, 4)).ravel()
        return np.asarray(hamiltonian[r, c]).reshape(len(rows), 4, 4)

    gathered = np.zeros((n, 2, 4, 2), complex)
    site_orb = _site_orbitals(np.arange(n), n)
    site_f = 0.5 * np.eye(4) - 0.5 * (sign.linear * hamiltonian_block(site_orb, site_orb) / scale + accumulated["site"])
    gathered[:, :, 0, :] = np.swapaxes(site_f[:, :2, :2], 1, 2)  # [r, s, s'] = f[(p r s'), (p r s)]
    gathered[:, :, 3, :] = np.swapaxes(site_f[:, 2:, :2], 1, 2)
    for axis, name in ((0, "x"), (1, "y")):
        start, end = pairs[name]
        bond_f = -0.5 * (sign.linear * hamiltonian_block(site_orb[end], site_orb[start]) / scale + accumulated[name])
        gathered[start, :, 1 + axis, :] = np.swapaxes(bond_f[:, :2, :2], 1, 2)

    a = system.model.spacing
    bond_norm = max(float(np.abs(np.linalg.svd(b, compute_uv=False)).sum()) for b in system._blocks[1:])
    half = sign.error / 2
    errors = dict(density=2 * half / a**2, spin=2 * half / a**2, current=2 * half * bond_norm / a)
    return observables_from_columns(
        system, gathered, temperature, "Zolotarev sign + recursive Green's functions", errors,
        dict(tolerance=tolerance, sign_error=sign.error, poles=sign.poles, scale=scale, gap=gap,
             slices=n_slices, slice_size=m, threads=threads, seconds_setup=prepared - started,
             seconds_poles=finished - prepared),
    )  # fmt: skip


def _recursive_green(blocks, couplings, shift, slice_of, position, pairs):
    """4 x 4 blocks A[r', r] and A[r, r'] of A = (H - shift)^-1 for every (start r, end r') pair."""
    n_slices = len(blocks)
    m = blocks[0].shape[0]
    identity = np.eye(m)
    left = []
    for i in range(n_slices):
        b = blocks[i] - shift * identity
        if i:
            t = couplings[i - 1]
            b = b - _block_diagonal_product_left(np.conj(np.swapaxes(t, -1, -2)),
                                                 _block_diagonal_product_right(left[-1], t))  # fmt: skip
        left.append(np.linalg.inv(b))
    # what is read from each slice: diagonal blocks (within-slice pairs) and the next off-diagonal block
    result = {name: (np.zeros((len(s), 4, 4), complex), np.zeros((len(s), 4, 4), complex)) for name, (s, _) in pairs.items()}
    full = left[-1]
    for i in range(n_slices - 1, -1, -1):
        if i < n_slices - 1:
            t = couplings[i]
            g_t = _block_diagonal_product_right(left[i], t)  # g_i T_i
            t_g = _block_diagonal_product_left(np.conj(np.swapaxes(t, -1, -2)), left[i])  # T_i^dag g_i
            lower = -full @ t_g  # A_{i+1, i}
            upper = -g_t @ full  # A_{i, i+1}
            _read(result, pairs, slice_of, position, i + 1, i, lower, upper)
            full = left[i] + g_t @ (full @ t_g)
        _read(result, pairs, slice_of, position, i, i, full, full)
    return result


def _read(result, pairs, slice_of, position, row_slice, col_slice, lower, upper):
    """Copy A[r', r] (from ``lower`` = A_{row, col}) and A[r, r'] (``upper`` = A_{col, row}) for the pairs
    with r in ``col_slice`` and r' in ``row_slice``."""
    for name, (start, end) in pairs.items():
        take = (slice_of[start] == col_slice) & (slice_of[end] == row_slice)
        if not np.any(take):
            continue
        p, q = position[start[take]], position[end[take]]
        rows_q = 4 * q[:, None] + np.arange(4)
        cols_p = 4 * p[:, None] + np.arange(4)
        result[name][0][take] = lower[rows_q[:, :, None], cols_p[:, None, :]]
        result[name][1][take] = upper[cols_p[:, :, None], rows_q[:, None, :]]
