"""Exact first-order response of a periodic ``SquareSystem`` to its exchange field, from the Bloch bands.

For a weak texture the densities and bond currents are linear in M (paper 000, Eqs. 2-3 are the gradient
expansion of that linear response). On a periodic lattice the linear response is diagonal in the
wavevector q of M, so it needs only the Bloch eigensystems of the texture-free BdG matrix: no real-space
diagonalisation and no probing. This is the engine of the smooth-texture comparison (``comparison``),
where the real-space engines fail: the currents of a texture with M0 = 0.1 Delta are ~1e-4 of the density
matrix, below what Chebyshev probing resolves (docs/conventions.md, "Smooth weak textures").

The system is an n L x n L periodic lattice (n = ``k_multiple``) holding n^2 copies of the L x L box of
``system``; its Bloch momenta k = 2 pi j / (n L a) contain every k + q, q = 2 pi p / (L a) a wavevector
of the box. With H_0(k) = sum_n E_n |n k><n k| (4 x 4, Nambu basis of paper 000, Eq. 4), the perturbation
-M(r) . sigma (1_tau: ``square``) has matrix elements <k + q| V |k> = -sum_c m_c(q) Gamma_c, Gamma_c =
1_tau (x) sigma_c, m(q) = (1 / L^2) sum_r M(r) e^{-i q r}, and first-order perturbation theory of the
density matrix f(H) gives (f[E, E'] the divided difference of the Fermi function)

    f_q(k) = sum_{n m} |n k+q> <n k+q| V_q |m k> <m k| f[E_n(k+q), E_m(k)],

    f(H)_{(alpha, r + d), (beta, r)} = sum_q e^{i q r} (1 / N_k) sum_k e^{i (k + q) d} f_q(k)_{alpha beta},

plus the texture-free f(H_0) at q = 0. The rows ``observables`` reads (site, +x and +y neighbours, hole
partner) are assembled by one inverse FFT each, and the observables follow from the same code as for
exact diagonalisation: density, spin, bond currents, pairing source and the continuity residual (an
exact identity at this order too: a check of the assembly).
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import numba
import numpy as np

from ..numerics.occupation import FermiDirac
from .ground_state import _check_temperature, _fermi_function
from .model import PAULI, _hole_block, _nambu, require_integer
from .observables import LocalObservables, observables_from_columns
from .square import SquareSystem

__all__ = ["linear_response_observables"]

_GAMMA = np.array([np.kron(PAULI[0], PAULI[c]) for c in (1, 2, 3)])  # 1_tau (x) sigma_c, index 2 tau + sigma


def _bloch_bdg(system: SquareSystem, kx: np.ndarray, ky: np.ndarray) -> np.ndarray:
    """H_BdG(k), shape (nk, 4, 4), of the texture-free lattice of ``system`` (``square`` module docstring)."""
    h0, hx, hy = system._blocks

    def normal(kx, ky):
        phase_x, phase_y = np.exp(1j * kx * system.model.spacing), np.exp(1j * ky * system.model.spacing)
        bonds = phase_x[:, None, None] * hx + phase_y[:, None, None] * hy
        return h0 + bonds + np.conj(np.swapaxes(bonds, -1, -2))

    return _nambu(normal(kx, ky), _hole_block(normal(-kx, -ky)), system.model.delta)


@numba.njit(cache=True)
def _rows_kernel(vectors, shift, perturbation, occupation, phase_x, phase_y):  # pragma: no cover - compiled
    """(1 / N_k) sum_k e^{i (k + q) d} f_q(k)[rows, particle columns] for the four gathered rows.

    f_q(k) = U(k+q) [(U(k+q)^dag V_q U(k)) * occupation] U(k)^dag (module docstring); ``shift``: index
    of k + q; ``occupation[k, n, m]`` = f[E_n(k+q), E_m(k)]. Returns shape (4, 2, 2): [row kind, row
    spin, column spin] (kinds as ``observables.GATHERED``).
    """
    out = np.zeros((4, 2, 2), dtype=np.complex128)
    b = np.empty((4, 4), dtype=np.complex128)
    c = np.empty((4, 4), dtype=np.complex128)
    for k in range(shift.size):
        kq = shift[k]
        upper, lower = vectors[kq], vectors[k]
        for i in range(4):
            for m in range(4):
                z = 0j
                for j in range(4):
                    z += perturbation[i, j] * lower[j, m]
                b[i, m] = z
        for n in range(4):
            for m in range(4):
                z = 0j
                for i in range(4):
                    z += np.conj(upper[i, n]) * b[i, m]
                c[n, m] = z * occupation[k, n, m]
        for i in range(4):
            for col in range(2):
                z = 0j
                for n in range(4):
                    inner = 0j
                    for m in range(4):
                        inner += c[n, m] * np.conj(lower[col, m])
                    z += upper[i, n] * inner
                if i < 2:
                    out[0, i, col] += z
                    out[1, i, col] += phase_x[kq] * z
                    out[2, i, col] += phase_y[kq] * z
                else:
                    out[3, i - 2, col] += z
    return out / shift.size


def _linear_gathered(system, temperature, k_multiple, cutoff):
    """gathered[r, s, k, s'] (``observables.observables_from_columns``) to first order in M, and stats."""
    nx, ny, a = system.nx, system.ny, system.model.spacing
    nkx, nky = k_multiple * nx, k_multiple * ny
    jx, jy = np.meshgrid(np.arange(nkx), np.arange(nky), indexing="xy")  # k index jy nkx + jx
    kx, ky = 2 * math.pi * jx.ravel() / (nkx * a), 2 * math.pi * jy.ravel() / (nky * a)
    energies, vectors = np.linalg.eigh(_bloch_bdg(system, kx, ky))
    vectors = np.ascontiguousarray(vectors)
    if temperature == 0 and np.abs(energies).min() < 1e-9:
        raise ValueError("temperature = 0 needs a gapped texture-free spectrum (delta > 0): give temperature > 0")
    occupation = FermiDirac(temperature).first_divided_difference
    phases = (np.exp(1j * kx * a), np.exp(1j * ky * a))
    field = np.fft.fft2(system.exchange_field, axes=(1, 2)) / (nx * ny)  # m_c(q), [c, py, px]
    weight = np.abs(field).max(axis=0)
    keep = weight > cutoff * max(weight.max(), np.finfo(float).tiny)
    rows_q = np.zeros((ny, nx, 4, 2, 2), dtype=complex)
    for py, px in zip(*np.nonzero(keep)):
        shift = ((jy + k_multiple * py) % nky) * nkx + (jx + k_multiple * px) % nkx
        shift = shift.ravel().astype(np.int64)
        perturbation = -np.einsum("c,cab->ab", field[:, py, px], _GAMMA)
        dd = occupation(energies[shift][:, :, None], energies[:, None, :])
        rows_q[py, px] = _rows_kernel(vectors, shift, perturbation, dd, phases[0], phases[1])
    # texture-free part (q = 0): f(H_0) itself
    background = np.einsum("kan,kn,kbn->kab", vectors, _fermi_function(energies, temperature), np.conj(vectors))
    rows_q[0, 0, 0] += background[:, :2, :2].mean(axis=0)
    rows_q[0, 0, 1] += np.einsum("k,kab->ab", phases[0], background[:, :2, :2]) / kx.size
    rows_q[0, 0, 2] += np.einsum("k,kab->ab", phases[1], background[:, :2, :2]) / kx.size
    rows_q[0, 0, 3] += background[:, 2:, :2].mean(axis=0)
    rows_r = np.fft.ifft2(rows_q, axes=(0, 1)) * (nx * ny)  # sum_q e^{i q r}, [iy, ix, kind, s', s]
    gathered = np.transpose(rows_r.reshape(nx * ny, 4, 2, 2), (0, 3, 1, 2))  # [r, s, kind, s']
    return gathered, int(keep.sum()), float(np.abs(energies).min())


def linear_response_observables(
    system: SquareSystem, temperature: float = 0.0, *, k_multiple: int = 2, cutoff: float = 1e-9
) -> LocalObservables:
    """Densities and bond currents of a periodic ``system`` to first order in its exchange field M(r).

    The texture-free part is exact; the texture enters at first order (module docstring), so J and S are
    those of exact diagonalisation up to O(M^3) corrections (J, S are odd in M). The system solved is the
    ``k_multiple`` L x ``k_multiple`` L periodic lattice holding copies of the L x L box (``k_multiple`` = 1:
    the box itself, what ``exact_observables`` diagonalises); the returned maps are those of one box.

    Parameters
    ----------
    system : SquareSystem
        Periodic along both axes, without vector potential.
    k_multiple : int
        Bloch momenta per box wavevector along each axis (n above). For even n the observables are also
        computed with n / 2 and their change is the error estimate (the approach to the isolated copy, a
        gapped Bloch sum that converges exponentially in n L / xi); odd n: rounding only.
    cutoff : float
        Fourier components of M with |m(q)| < cutoff max |m| are dropped (Gaussian textures: the q sum
        then stops at |q| w ~ sqrt(2 ln(1/cutoff))).
    """
    _check_temperature(temperature)
    require_integer("k_multiple", k_multiple, 1)
    if not all(system.periodic):
        raise ValueError(f"system must be periodic along both axes, got periodic = {system.periodic}")
    if system.vector_potential is not None:
        raise ValueError("system must have no vector potential (the linear response is to M only)")
    if not (math.isfinite(cutoff) and 0 <= cutoff < 1):
        raise ValueError(f"cutoff must be in [0, 1), got {cutoff!r}")
    started = time.perf_counter()
    gathered, wavevectors, smallest = _linear_gathered(system, temperature, k_multiple, cutoff)
    scale = 1e3 * np.finfo(float).eps * float(np.abs(system._blocks[0]).sum() + 4 * np.abs(system._blocks[1]).sum())
    errors = dict(density=scale, spin=scale, current=scale)
    result = observables_from_columns(
        system, gathered, temperature, "first-order response (Bloch bands)", errors,
        dict(k_multiple=k_multiple, cutoff=cutoff, wavevectors=wavevectors, smallest_energy=smallest),
    )  # fmt: skip
    if k_multiple % 2 == 0:
        coarse, _, _ = _linear_gathered(system, temperature, k_multiple // 2, cutoff)
        half = observables_from_columns(system, coarse, temperature, "", errors, {})
        change = dict(
            density=np.abs(result.density - half.density).max(),
            spin=np.abs(result.spin - half.spin).max(),
            current=max(
                np.abs(result.current_x - half.current_x).max(), np.abs(result.current_y - half.current_y).max()
            ),
        )
        result = replace(
            result,
            density_error=result.density_error + change["density"],
            spin_error=result.spin_error + change["spin"],
            current_error=result.current_error + change["current"],
        )
    return replace(result, settings=dict(result.settings, seconds=time.perf_counter() - started))
