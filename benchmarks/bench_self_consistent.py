"""Benchmark: self-consistent pair potential Delta(x) in the junction solver (issue 10, point 2).

Run: ``python benchmarks/bench_self_consistent.py``. Cases (all T = 0.5 Tc unless stated, CPU seconds of this
process, one BLAS thread as the solver sets):

- ``cpr``: S/N/S'/N/S (N 1 xi0, S' 2 xi0 self-consistent, transparent), 8 phases in [0, pi), 24 points: the
  self-consistent run against the same stack with Delta fixed at bcs_gap in S' (the cost ratio), the Newton
  steps on Delta, the gap residual, and the largest current variation along the stack (fixed: a current source;
  self-consistent: the grid error).
- ``bilayer``: S (6 xi0, on a BCS reservoir) / N (3 xi0) / vacuum with a KL barrier r = 0.3, 32 points.
- ``spinful``: F (h = 0.3 Delta0 along z, 1 xi0) / S (1.5 xi0), one phase, 12 points (2x2 Riccati).
"""

from __future__ import annotations

import time

import numpy as np

from spincharge.usadel.gap import bcs_gap
from spincharge.usadel.junction import SELF_CONSISTENT, VACUUM, Layer, junction


def timed(function):
    start = time.process_time()
    result = function()
    return result, time.process_time() - start


def main():
    t = 0.5
    phases = np.linspace(0, np.pi, 8, endpoint=False)

    def stack(gap):
        return [Layer(1.0), Layer(2.0, gap=gap), Layer(1.0)]

    fixed, fixed_time = timed(lambda: junction(stack(bcs_gap(t).gap), t, phases, points=24, max_grid_error=1.0))
    solved, solved_time = timed(lambda: junction(stack(SELF_CONSISTENT), t, phases, points=24))
    print(f"cpr 8 phases, 24 points: fixed Delta {fixed_time:.2f} s CPU (I(x) varies by up to "
          f"{np.max(fixed.grid_error / np.maximum(np.abs(fixed.current), 1e-12)):.2f} of I); self-consistent "
          f"{solved_time:.2f} s CPU (ratio {solved_time / fixed_time:.1f}; {solved.gap_iterations} Newton steps on "
          f"Delta; gap residual <= {np.max(solved.gap_residual):.1e} Delta0; I(x) varies by "
          f"{np.max(solved.grid_error[1:] / np.abs(solved.current[1:])):.1e} of I; frequencies "
          f"{fixed.frequency_count} vs {solved.frequency_count})")
    bilayer, bilayer_time = timed(lambda: junction([Layer(6.0, gap=SELF_CONSISTENT), Layer(3.0)], t, 0.0, right=VACUUM,
                                                   interfaces=[0.0, 0.3, 0.0], points=32))
    print(f"bilayer r = 0.3, 32 points: {bilayer_time:.2f} s CPU, {bilayer.gap_iterations} Newton steps, Delta at the "
          f"barrier {bilayer.pair_potential[0, 32].real:.5f} (bulk {bcs_gap(t).gap:.5f})")
    spinful, spinful_time = timed(lambda: junction([Layer(1.0, exchange=(0, 0, 0.3)), Layer(1.5, gap=SELF_CONSISTENT)],
                                                   t, [1.0], points=12))
    print(f"spinful F/S, 1 phase, 12 points: {spinful_time:.2f} s CPU, {spinful.gap_iterations} Newton steps, I(x) "
          f"varies by {spinful.grid_error[0] / abs(spinful.current[0]):.1e} of I")


if __name__ == "__main__":
    main()
