"""Benchmark: the T/Tc = 0.05 vortex (paper 003, Fig. 3) -- batched banded Newton vs solve_bvp per frequency.

Run: ``python benchmarks/bench_usadel.py``. Prints the time of ``spincharge.usadel.vortex`` (all
frequencies, three grids for the error estimates) and of the baseline a physicist would write first:
scipy.integrate.solve_bvp called frequency by frequency for the singlet equation and then for the linear
triplet pair, on the same frequencies and equations (the derived ones), with tol = 1e-6. The baseline is
timed on every ``STRIDE``-th frequency below 1e4 Delta and scaled to all of them (stated in the output), and its profiles
are compared with the batched solver's. Also times the whole Fig. 3 (both temperatures, both variants).
"""

from __future__ import annotations

import time

import numpy as np
from scipy.interpolate import CubicSpline

from spincharge.usadel import GAP0_OVER_TC, DerivedEquations, bcs_gap, vortex
from spincharge.usadel.radial import EQUATIONS
from spincharge.usadel.vortex import _profiles, matsubara_nodes, single_frequency_bvp

T_OVER_TC, WINDING, GAMMA_HALF, RADIUS = 0.05, 1, 5.0, 40.0
STRIDE = 10


def main():
    start = time.perf_counter()
    result = vortex(T_OVER_TC)
    batched = time.perf_counter() - start
    start = time.perf_counter()
    _profiles(EQUATIONS["derived"], T_OVER_TC, WINDING, GAMMA_HALF, 1.0, RADIUS, result.points, result.grading,
              result.frequency_cutoff, 1e-12, 50, False)
    single = time.perf_counter() - start
    gap = bcs_gap(T_OVER_TC).gap[0]
    w, _, _ = matsubara_nodes(T_OVER_TC / (gap * GAP0_OVER_TC), result.frequency_cutoff)
    # solve_bvp cannot mesh the core of the largest Gauss-Laguerre nodes (w up to ~1e30): sample w < 1e4
    sample = np.arange(0, w.size, STRIDE)
    sample = sample[w[sample] < 1e4]
    start = time.perf_counter()
    worst = 0.0
    for m in sample:
        sol, trip = single_frequency_bvp(DerivedEquations, w[m], WINDING, GAMMA_HALF, RADIUS)
        assert sol.status == 0 and trip.status == 0, (m, sol.message, trip.message)
        probe = np.array([0.2, 0.5, 1.0, 2.0, 5.0])
        mine = CubicSpline(result.r, result.triplet[0, m])(probe)
        worst = max(worst, np.max(np.abs(trip.sol(probe)[0] - mine)) / np.max(np.abs(mine)))
    sampled = time.perf_counter() - start
    baseline = sampled * w.size / sample.size
    start = time.perf_counter()
    for t in (0.05, 0.98):
        for variant in ("derived", "paper"):
            vortex(t, equations=variant)
    figure = time.perf_counter() - start
    print(f"vortex(t = {T_OVER_TC}): {w.size} frequencies, {batched:.2f} s (3 grids incl. error estimates), "
          f"estimated relative error (I, S) = {tuple(f'{e:.1e}' for e in result.error)}")
    print(f"solve_bvp per frequency (tol 1e-6, singlet + triplet): {sampled:.2f} s for {sample.size} of "
          f"{w.size} frequencies -> {baseline:.1f} s for all (one grid, no error estimate)")
    print(f"max relative difference of a_1 at r = 0.2..5 xi on the sampled frequencies: {worst:.1e}")
    print(f"one grid of the batched solver (same work as the baseline): {single:.2f} s")
    print(f"ratio baseline / batched: {baseline / batched:.1f} (with error estimates), "
          f"{baseline / single:.1f} (one grid each)")
    print(f"whole Fig. 3 (t = 0.05, 0.98; derived and printed equations): {figure:.2f} s")


if __name__ == "__main__":
    main()
