"""Frequency integrals of traces of resolvent products, done exactly in the eigenbasis of H.

For a Hermitian H = sum_l E_l |l><l| and the resolvent G(i eps) = (i eps - H)^-1,

    int d eps / 2pi  Tr[X G Y G]     = sum_{l,m}   X_ml Y_lm        n[E_l, E_m],
    int d eps / 2pi  Tr[X G Y G Z G] = sum_{l,m,q} X_ql Y_lm Z_mq   n[E_l, E_m, E_q],

where n[...] are divided differences of the occupation function (``spincharge.numerics.occupation``):
at T > 0 the integral is the Matsubara sum T sum_n, at T = 0 n is the step theta(-E), and with a
broadening i eps -> i eps + i Gamma sgn(eps) n is the Lorentzian-broadened occupation (at T > 0, with
i w_n -> i w_n + i Gamma sgn(w_n), the broadened Fermi function ``BroadenedFermiDirac``).
``resolvent_traces`` takes the operators in the original basis and rotates them itself (compiled loop
over the nodes); the Fermi-surface functions take operators already in the eigenbasis (``to_eigenbasis``).

At T = 0 a divided difference with a repeated argument E_j carries a part proportional to delta(E_j),
present only where a band crosses zero energy (a Fermi surface):

    n[E_j, E_j]      = n'(E_j)                         -> -delta(E_j),
    n[E_i, E_j, E_j] = (n[E_i, E_j] - n'(E_j)) / (E_i - E_j) -> + delta(E_j) / (E_i - E_j)  (i != j).

``resolvent_traces`` returns the regular part (the step's divided differences off zero energy);
``fermi_surface_trace_2/3`` return the coefficient of delta(E_j) for a band j at zero energy. A triple
repetition n[E_j, E_j, E_j] = n''(E_j)/2 would carry delta'(E_j); ``fermi_surface_trace_3`` refuses
operators whose weight X_jj Y_jj Z_jj on it is not zero.
"""

from __future__ import annotations

import numba
import numpy as np

from .occupation import _first, _second

__all__ = [
    "to_eigenbasis",
    "resolvent_traces",
    "fermi_surface_trace_2",
    "fermi_surface_trace_3",
]


def to_eigenbasis(operator, vectors):
    """U^dagger X U for eigenvector matrices ``vectors`` (..., d, d); ``operator`` (d, d) or (..., d, d)."""
    return np.conj(np.swapaxes(vectors, -1, -2)) @ operator @ vectors


@numba.njit(cache=True)
def _resolvent_trace_kernel(code, temperature, width, energies, vectors, operators, identity, products, out):
    nodes, size = energies.shape
    rotated = np.empty((operators.shape[0], size, size), dtype=np.complex128)
    temporary = np.empty((size, size), dtype=np.complex128)
    two = np.empty((size, size))
    three = np.empty((size, size, size))
    for index in range(operators.shape[0]):
        if identity[index]:  # U^dagger 1 U = 1
            rotated[index] = np.eye(size)
    for node in range(nodes):
        u = vectors[node]
        for index in range(operators.shape[0]):  # U^dagger X U (X sparse: skip its zeros)
            if identity[index]:
                continue
            op = operators[index, node]
            temporary[:, :] = 0.0
            for row in range(size):
                for inner in range(size):
                    entry = op[row, inner]
                    if entry != 0.0:
                        for col in range(size):
                            temporary[row, col] += entry * u[inner, col]
            for row in range(size):
                for col in range(size):
                    acc = 0j
                    for inner in range(size):
                        acc += np.conj(u[inner, row]) * temporary[inner, col]
                    rotated[index, row, col] = acc
        e = energies[node]
        for l in range(size):
            for m in range(l, size):
                two[l, m] = two[m, l] = _first(code, e[l], e[m], temperature, width)
                for q in range(m, size):
                    value = _second(code, e[l], e[m], e[q], temperature, width)
                    three[l, m, q] = three[l, q, m] = three[m, l, q] = value
                    three[m, q, l] = three[q, l, m] = three[q, m, l] = value
        for product in range(products.shape[0]):
            x, y, z = rotated[products[product, 0]], rotated[products[product, 1]], products[product, 2]
            acc = 0j
            if z < 0:
                for l in range(size):
                    for m in range(size):
                        acc += x[m, l] * y[l, m] * two[l, m]
            else:
                zz = rotated[z]
                for l in range(size):
                    for m in range(size):
                        xy = y[l, m]
                        for q in range(size):
                            acc += x[q, l] * xy * zz[m, q] * three[l, m, q]
            out[product, node] = acc


def resolvent_traces(energies, vectors, operators, products, occupation):
    """int d eps/2pi Tr[X G Y G] or Tr[X G Y G Z G] at every node, for each product of operators.

    ``energies`` (N, d) and ``vectors`` (N, d, d) (columns) diagonalise H at N nodes; ``operators`` is a
    sequence of (d, d) or (N, d, d) matrices in the original basis; ``products`` lists tuples of two or
    three indices into ``operators``. Returns (len(products), N) complex: sum_lm X_ml Y_lm n[E_l, E_m] or
    sum_lmq X_ql Y_lm Z_mq n[E_l, E_m, E_q] with X = U^dagger x U etc., n the divided differences of
    ``occupation`` (compiled loop over nodes).
    """
    energies = np.ascontiguousarray(energies, dtype=float)
    vectors = np.ascontiguousarray(vectors, dtype=complex)
    shape = vectors.shape
    stacked = np.ascontiguousarray(np.stack([np.broadcast_to(op, shape) for op in operators]), dtype=complex)
    identity = np.array([np.shape(op) == shape[-2:] and np.array_equal(op, np.eye(shape[-1])) for op in operators])
    table = np.array([tuple(p) + (-1,) * (3 - len(p)) for p in products], dtype=np.int64)
    out = np.empty((len(table), shape[0]), dtype=complex)
    _resolvent_trace_kernel(occupation.code, *occupation.parameters, energies, vectors, stacked, identity, table, out)
    return out


def fermi_surface_trace_2(x, y, band: int):
    """Coefficient of delta(E_j) in int d eps/2pi Tr[X G Y G] at T = 0, band j = ``band``: -X_jj Y_jj."""
    return -x[..., band, band] * y[..., band, band]


def fermi_surface_trace_3(x, y, z, energies, band: int, tolerance: float = 1e-12):
    """Coefficient of delta(E_j) in int d eps/2pi Tr[X G Y G Z G] at T = 0 for the band j at zero energy.

    Sum over i != j of (X_ij Y_jj Z_ji + X_ji Y_ij Z_jj + X_jj Y_ji Z_ij) / (E_i - E_j), the three ways
    of placing the index j twice among (l, m, q). The other bands must not be degenerate with j.
    """
    e = np.asarray(energies)
    j = band
    triple = x[..., j, j] * y[..., j, j] * z[..., j, j]
    size = np.max(np.abs(x)) * np.max(np.abs(y)) * np.max(np.abs(z))
    if np.any(np.abs(triple) > tolerance * size):
        raise ValueError("operators with X_jj Y_jj Z_jj != 0 give a delta'(E) Fermi-surface term (unsupported)")
    total = 0.0
    for i in range(e.shape[-1]):
        if i == j:
            continue
        gap = e[..., i] - e[..., j]
        if np.any(np.abs(gap) <= tolerance * np.max(np.abs(e))):
            raise ValueError(f"band {i} is degenerate with the band {j} at the Fermi surface")
        weight = (
            x[..., i, j] * y[..., j, j] * z[..., j, i]
            + x[..., j, i] * y[..., i, j] * z[..., j, j]
            + x[..., j, j] * y[..., j, i] * z[..., i, j]
        )
        total = total + weight / gap
    return total
