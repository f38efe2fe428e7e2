"""Disordered TI lattice vs paper 002's SCBA + ladder (+ crossed) conductivities, and the Kubo engine's speed.

    python benchmarks/bench_kubo_lattice.py compare [--n 96] [--alphas 0.1,0.2] [--realisations 8 --vectors 2]
    python benchmarks/bench_kubo_lattice.py speed   [--n 708] [--steps 40]

``compare``: at renormalised (eps^R, Delta^R) = the continuum's SCBA values at E = 0.25 v/a, Delta_z = +-0.1 v/a
(counterterms, ``spincharge.lattice.kubo.counterterm_lattice``), the even part in Delta_z of the lattice
sigma_xx and the odd part of sigma_xy (eta -> 0 extrapolated, standard errors over realisations x vectors),
against ``dc_conductivity(...).kubo_longitudinal`` and ``anomalous_hall_conductivity`` (ladder alone and ladder
+ crossed), and the disorder-induced part of sigma_xy against the clean lattice (Bloch sum).
``speed``: a 2 n^2-orbital system (n = 708: 1.0e6 orbitals): one fused numba Chebyshev step (1 and 2 threads) vs a
plain scipy sparse-times-dense step with numpy accumulations (same block, same four series), then one conductivity
with error bars (two random vectors) at alpha = 0.3, eta = 0.1 v/a.
"""

from __future__ import annotations

import argparse
import time

import numba
import numpy as np

from spincharge.diffusive import anomalous_hall_conductivity, born_self_energy, dc_conductivity
from spincharge.lattice.kubo import (
    DisorderedTILattice,
    bloch_kubo_conductivity,
    chebyshev_series,
    counterterm_lattice,
    kubo_conductivity,
    random_phase_vectors,
)
from spincharge.models.dirac_ferromagnet import DiracFerromagnet

ENERGY, DELTA, WILSON = 0.25, 0.1, 1.0


def compare(n, alphas, realisations, vectors):
    clean = [bloch_kubo_conductivity(DisorderedTILattice(8, s * DELTA, 0.0, wilson=WILSON), ENERGY, 2e-3, 1024)
             for s in (1, -1)]
    clean_odd = 0.5 * (clean[0][1] - clean[1][1])
    print(f"clean lattice (Bloch, 1024^2 k, eta 2e-3): sigma_xy(+-Delta) = {clean[0][1]:.4f}, {clean[1][1]:.4f}; "
          f"odd {clean_odd:.4f} (continuum intrinsic Delta/2eps = {DELTA / (2 * ENERGY):.4f}), even "
          f"{0.5 * (clean[0][1] + clean[1][1]):.4f}")
    for alpha in alphas:
        model = DiracFerromagnet(1.0, ENERGY, DELTA, (0, 0, 1), alpha)
        se = born_self_energy(model)
        dc = dc_conductivity(model)
        hall = anomalous_hall_conductivity(model)
        runs = []
        for sign in (1, -1):
            lattice, energy, lse = counterterm_lattice(DisorderedTILattice(n, sign * DELTA, alpha, wilson=WILSON),
                                                       se.eps_R.real, sign * se.delta_R.real)
            started = time.perf_counter()
            result = kubo_conductivity(lattice, energy, realisations=realisations, vectors=vectors, seed=7)
            runs.append(result)
            print(f"  alpha {alpha} sign {sign:+d}: bare E {energy:.4f}, Delta_z {lattice.exchange_z:.4f}; lattice "
                  f"Im Sigma_0 {lse.sigma_0.imag:.4f} Im Sigma_z {lse.sigma_z.imag:.4f} (continuum "
                  f"{-se.eps_R.imag:.4f}, {sign * -se.delta_R.imag:.4f}); moments {result.settings['moments']}, "
                  f"{time.perf_counter() - started:.0f} s")
            print(f"     sigma_xx {result.sigma_xx} +- {result.sigma_xx_error}, extrapolated "
                  f"{result.sigma_xx_extrapolated:.4f} +- {result.sigma_xx_extrapolated_error:.4f}; sigma_xy "
                  f"{result.sigma_xy} +- {result.sigma_xy_error}, extrapolated {result.sigma_xy_extrapolated:.4f} "
                  f"+- {result.sigma_xy_extrapolated_error:.4f}")
        xx = 0.5 * (runs[0].sigma_xx_extrapolated + runs[1].sigma_xx_extrapolated)
        xy = 0.5 * (runs[0].sigma_xy_extrapolated - runs[1].sigma_xy_extrapolated)
        dxx = 0.5 * np.hypot(runs[0].sigma_xx_extrapolated_error, runs[1].sigma_xx_extrapolated_error)
        dxy = 0.5 * np.hypot(runs[0].sigma_xy_extrapolated_error, runs[1].sigma_xy_extrapolated_error)
        bxy = 0.5 * np.hypot(runs[0].sigma_xy_broadening_error, runs[1].sigma_xy_broadening_error)
        print(f"alpha {alpha}: sigma_xx lattice {xx:.4f} +- {dxx:.4f} | SCBA+ladder {dc.kubo_longitudinal:.4f} "
              f"(Eq. 10 {1 / (np.pi * alpha) * (ENERGY**2 - DELTA**2) / (ENERGY**2 + 3 * DELTA**2):.4f})")
        print(f"alpha {alpha}: sigma_xy lattice {xy:.4f} +- {dxy:.4f} (eta-extrapolation {bxy:.4f}) | ladder "
              f"{hall.noncrossing:.4f}, ladder + crossed {hall.total:.4f} (leading order {hall.total_leading:.4f}); "
              f"disorder-induced lattice {xy - clean_odd:.4f} vs SCBA {hall.total - DELTA / (2 * ENERGY):.4f}")


def _fused_vs_scipy(scaled, block, coefficients, threads):
    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    t0 = time.perf_counter()
    fused = chebyshev_series(scaled, block, coefficients)
    return fused, (time.perf_counter() - t0) / coefficients.shape[1]


def speed(n, steps):
    lattice = DisorderedTILattice(n, DELTA, 0.3, wilson=WILSON)
    h, bound = lattice.hamiltonian(np.random.default_rng(0))
    vx, vy = lattice.velocities(h)
    scaled = (h / (1.01 * bound)).tocsr()
    r = random_phase_vectors(h.shape[0], 1, np.random.default_rng(1))
    block = np.concatenate([r, vx @ r, vy @ r], axis=1)
    coefficients = np.random.default_rng(2).normal(size=(4, steps))
    chebyshev_series(scaled, block[:100], coefficients[:, :3])  # compile
    t0 = time.perf_counter()
    x_prev, x_curr = block.copy(), scaled @ block
    acc = [c[0] * x_prev + c[1] * x_curr for c in coefficients]
    for k in range(2, steps):
        x_prev = 2 * (scaled @ x_curr) - x_prev
        x_prev, x_curr = x_curr, x_prev
        for j, c in enumerate(coefficients):
            acc[j] += c[k] * x_curr
    t_scipy = (time.perf_counter() - t0) / steps
    for threads in (1, 2):
        fused, t_fused = _fused_vs_scipy(scaled, block, coefficients, threads)
        agree = max(np.abs(fused[:, j] - acc[j]).max() for j in range(4)) / np.abs(acc[0]).max()
        print(f"{h.shape[0]} orbitals, 3 columns, 4 series: fused numba step ({threads} thread(s)) {1e3 * t_fused:.1f} ms, "
              f"scipy + numpy {1e3 * t_scipy:.1f} ms (ratio {t_scipy / t_fused:.2f}); results agree to {agree:.1e}",
              flush=True)
    started = time.perf_counter()
    result = kubo_conductivity(lattice, ENERGY, broadening=0.1, realisations=1, vectors=2, tolerance=1e-3, threads=1)
    print(f"alpha 0.3, E {ENERGY}, Delta {DELTA}, eta {result.broadening}: moments {result.settings['moments']}, "
          f"sigma_xx {result.sigma_xx} +- {result.sigma_xx_error}, sigma_xy {result.sigma_xy} +- "
          f"{result.sigma_xy_error}; {time.perf_counter() - started:.0f} s (1 thread)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("compare", "speed"))
    parser.add_argument("--n", type=int, default=None)
    parser.add_argument("--alphas", default="0.1,0.2")
    parser.add_argument("--realisations", type=int, default=8)
    parser.add_argument("--vectors", type=int, default=2)
    parser.add_argument("--steps", type=int, default=40)
    args = parser.parse_args()
    if args.mode == "compare":
        compare(args.n or 96, [float(a) for a in args.alphas.split(",")], args.realisations, args.vectors)
    else:
        speed(args.n or 708, args.steps)
