"""Benchmark: the crossed X + Psi part of sigma_H (paper 002, Fig. 2(b-d); Ref. 55) at one point converged
to 1e-6, by ``spincharge.diffusive.crossed_hall_conductivity`` (exact angular average of the shifted Green
function from 8 angles, panels graded by 4), against a baseline measured in the same run: the same factorised
radial integrals with the angle of p done by the trapezoid rule with N angles (explicit denominators), N
doubled until it matches the production value to ``TARGET`` or N = MAX_ANGLES (the time ratio is then a lower
bound). Wall and CPU (process) times are both printed: on the shared 2-core machine the CPU-time ratio is
the load-independent one (one process, one BLAS thread).

Run: ``python benchmarks/bench_crossed.py``.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from spincharge.diffusive import born_self_energy, crossed_hall_conductivity  # noqa: E402
from spincharge.diffusive import crossed  # noqa: E402
from spincharge.models import DiracFerromagnet  # noqa: E402

TARGET = 1e-6
#: the trapezoid error falls only like |rho|^N, |rho| -> 1 - O(alpha) near the Fermi surface: stop here (time)
MAX_ANGLES = 512
MODEL = DiracFerromagnet(1.0, 1.0, 0.4, (0.0, 0.0, 1.0), 0.004)


def _trapezoid_blocks(n_angles):
    angles = 2 * np.pi * np.arange(n_angles) / n_angles

    def blocks(v, retarded, p, weight, k):
        left, right, radial, px, py = crossed._vertex_blocks(v, retarded, p, weight, angles)
        out = {}
        for s, (eps, delta, z, sign) in crossed._shifted(retarded).items():
            qx = px + sign * k
            g = crossed._numerator(eps, delta, v, qx, py) / (z - v**2 * (qx**2 + py**2))[..., None, None]
            weighted = (g * (radial[:, None] / n_angles)[..., None, None]).reshape(-1, 4)
            for name, tensor in crossed._contract(left, right, weighted).items():
                out[name, s] = tensor
        return out

    return blocks


def _baseline(n_angles, order):
    se = born_self_energy(MODEL)
    bare, _ = crossed._crossed_sum(MODEL, (se.eps_R, se.delta_R), se.cutoff, order, _trapezoid_blocks(n_angles))
    return bare


def main():
    start, cpu = time.perf_counter(), time.process_time()
    production = crossed_hall_conductivity(MODEL, quadrature_order=12)
    t_production, c_production = time.perf_counter() - start, time.process_time() - cpu
    reference = crossed_hall_conductivity(MODEL, quadrature_order=16)
    print(f"production (order 12, estimate vs order 8): {production.total:.10f}, error estimate {production.error:.1e}, "
          f"|order 12 - order 16| = {abs(production.total - reference.total):.1e}, {t_production:.2f} s wall, "
          f"{c_production:.2f} s CPU")
    se = born_self_energy(MODEL)
    exact_bare, _ = crossed._crossed_sum(MODEL, (se.eps_R, se.delta_R), se.cutoff, 8)
    target = np.abs(crossed._complex_form(exact_bare).sum())
    n = 64
    while True:
        start, cpu = time.perf_counter(), time.process_time()
        bare = _baseline(n, 8)
        elapsed, c_elapsed = time.perf_counter() - start, time.process_time() - cpu
        deviation = abs(crossed._complex_form(bare - exact_bare).sum()) / target
        print(f"baseline trapezoid N = {n:5d}: relative deviation of the bare diagrams {deviation:.1e}, {elapsed:.2f} s wall, "
              f"{c_elapsed:.2f} s CPU")
        if deviation < TARGET or n >= MAX_ANGLES:
            break
        n *= 2
    print(f"baseline at N = {n} (deviation {deviation:.1e}, target {TARGET:.0e}) / production (converged, with its "
          f"error estimate): time ratio {elapsed / t_production:.1f} wall, {c_elapsed / c_production:.1f} CPU")


if __name__ == "__main__":
    main()
