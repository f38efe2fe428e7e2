"""Benchmark: the bubble M_ab(q, omega) of paper 002, Eq. (s13), by ``spincharge.diffusive.spin_bubble``
(closed-form angular average, radial Gauss-Legendre graded towards the Fermi momenta) against a naive
baseline measured in the same run: a polar grid, uniform in angle and with uniform radial Gauss-Legendre
panels, with the Green functions from 2x2 matrix inverses at every grid point.

Both use the same self-consistent Born parameters and cutoff. The baseline grid is refined until it matches
the graded result to ``TARGET`` (relative); the script prints the wall times, the accuracies reached and
the speed ratio. Run: ``python benchmarks/bench_diffusive.py``.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from spincharge.diffusive import born_self_energy, spin_bubble  # noqa: E402
from spincharge.diffusive.bubble import PAULI4  # noqa: E402
from spincharge.models import DiracFerromagnet  # noqa: E402

TARGET = 1e-6
ALPHAS = (0.01, 0.001)


def _baseline(model, q, omega, n_radial, n_angles):
    upper, lower = born_self_energy(model, omega), born_self_energy(model)
    x, w = np.polynomial.legendre.leggauss(16)
    edges = np.linspace(0.0, upper.cutoff / model.v, n_radial // 16 + 1)
    half = 0.5 * np.diff(edges)
    p = ((0.5 * (edges[1:] + edges[:-1]))[:, None] + half[:, None] * x).ravel()
    wp = (half[:, None] * w).ravel()
    phi = 2 * np.pi * np.arange(n_angles) / n_angles
    px, py = (p[:, None] * np.cos(phi)).ravel(), (p[:, None] * np.sin(phi)).ravel()
    weight = np.repeat(wp * p, n_angles) / n_angles / (2 * np.pi) * model.v**2

    def green(kx, ky, eps, delta):
        h = model.v * (np.einsum("n,ij->nij", kx, PAULI4[2]) - np.einsum("n,ij->nij", ky, PAULI4[1]))
        return np.linalg.inv(eps * np.eye(2) - h + delta * PAULI4[3])

    g_r = green(px + q[0], py + q[1], upper.eps_R, upper.delta_R)
    g_a = green(px, py, np.conj(lower.eps_R), np.conj(lower.delta_R))
    return np.einsum("n,aij,njk,bkl,nli->ab", weight, PAULI4, g_r, PAULI4, g_a)


def main():
    for alpha in ALPHAS:
        print(f"alpha = {alpha}:")
        _compare(DiracFerromagnet(1.0, 1.0, 0.4, (0.0, 0.0, 1.0), alpha))


def _compare(model):
    q, omega = 0.2 * model.disorder_alpha * np.array([np.cos(0.4), np.sin(0.4)]), 0.01 * model.disorder_alpha
    start = time.perf_counter()
    repeats = 20
    for _ in range(repeats):
        graded = spin_bubble(model, q, omega)
    graded_time = (time.perf_counter() - start) / repeats
    scale = np.abs(graded.matrix).max()
    print(f"graded closed-form angle: {graded_time * 1e3:.2f} ms, error estimate {graded.error / scale:.1e} (relative)")
    n_radial, n_angles = 512, 16
    while True:
        start = time.perf_counter()
        naive = _baseline(model, q, omega, n_radial, n_angles)
        naive_time = time.perf_counter() - start
        deviation = np.abs(naive - graded.matrix).max() / scale
        print(f"  baseline {n_radial} x {n_angles} points: {naive_time * 1e3:.1f} ms, deviation {deviation:.1e}")
        if deviation < TARGET or n_radial > 200_000:
            break
        n_radial *= 2
    print(f"speed ratio at relative accuracy {deviation:.0e}: {naive_time / graded_time:.0f}x")


if __name__ == "__main__":
    main()
