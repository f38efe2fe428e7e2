"""Times of the 2D lattice engine on issue 11's benchmark: Rashba BdG, t = 1, alpha = 0.3, mu = -3 (band
centre; mu = 1 from the band bottom), Delta = 0.2, Gaussian M_z (M0 = 0.3, width 8 sites), open L x L.

Prints, per L: the smallest |E|, the Chebyshev order, the number of probe vectors, the seconds, and the
error estimates relative to the largest bond current. Usage:
    python benchmarks/bench_lattice.py [--sizes 40 80] [--probe-spacing 40] [--tolerance 1e-4]
"""

import argparse
import time

import numpy as np

from spincharge.lattice import RashbaLattice
from spincharge.lattice.kpm import kpm_observables
from spincharge.lattice.square import SquareSystem


def benchmark_system(size: int) -> SquareSystem:
    model = RashbaLattice(mass=0.5, mu=1.0, v=0.3, delta=0.2, spacing=1.0)
    x = np.arange(size) - (size - 1) / 2
    xx, yy = np.meshgrid(x, x)
    field = np.zeros((3, size, size))
    field[2] = 0.3 * np.exp(-(xx**2 + yy**2) / (2 * 8.0**2))
    return SquareSystem(model, field, periodic=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 80])
    parser.add_argument("--probe-spacing", type=int, default=40)
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    for size in args.sizes:
        started = time.perf_counter()
        result = kpm_observables(
            benchmark_system(size), 0.0, tolerance=args.tolerance, probe_spacing=args.probe_spacing, threads=args.threads
        )
        seconds = time.perf_counter() - started
        s = result.settings
        scale = result.current_scale
        print(
            f"L = {size}: {seconds:.1f} s (setup {s['seconds_setup']:.1f} s), min|E| = {s['gap']:.4f}, "
            f"order {s['order']}, {s['probe_vectors']} probe vectors (D = {s['probe_spacing']}), "
            f"max|J| = {scale:.3e}, current error estimate {result.current_error / scale:.2e} "
            f"(probing {s['probe_error'] / scale:.2e}), continuity residual {result.continuity_residual:.2e}"
        )


if __name__ == "__main__":
    main()
