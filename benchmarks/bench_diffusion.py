"""Benchmark: a 2D spin-charge diffusion steady state with 10^6 unknowns (paper 003, Eqs. S10-S13).

Run: ``python benchmarks/bench_diffusion.py [--nodes 250000]`` (one process; peak memory with
``/usr/bin/time -v``). The device is a 2 x 1 bar (contacts at the ends, spin sinks) of a metal with
spin Hall angle, swapping and a field, P1 elements on a structured triangulation:

- ours: ``solve(device, solver="iterative")``: GMRES with one smoothed-aggregation AMG V-cycle per field
  block (pyamg), relative residual 1e-10; the full-size run times assembly and the whole solve (wall
  and CPU: the machine is shared, CPU time is the load-independent figure);
- baseline, in the same run and on the same reduced linear systems: scipy's ``spsolve`` (SuperLU,
  default COLAMD ordering) and SuperLU with minimum-degree ordering of A^T + A (our ``solver="direct"``),
  on a ladder of sizes until spsolve passes the time budget; the linear solves alone are compared.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import numpy as np
from scipy.sparse import linalg as spla
from threadpoolctl import threadpool_limits

from spincharge.diffusion import Contact, Device, rectangles, solve
from spincharge.diffusion.iterative import solve_block_preconditioned
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
    labels = np.concatenate([np.tile(np.arange(4), a.n), np.zeros(a.size - 4 * a.n, int)])
    fields = np.rint((P.T @ labels) / np.maximum(np.asarray(P.sum(axis=0)).ravel(), 1)).astype(int)
    return (P.T @ a.K @ P).tocsr(), P.T @ (a.F - a.K @ x0), fields


def timed(function, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    out = function(*args, **kwargs)
    return out, time.perf_counter() - wall, time.process_time() - cpu


def ladder(sizes, budget):
    """The same reduced linear system solved three ways (wall / CPU seconds of the linear solve only)."""
    print("| unknowns | ours: AMG-GMRES | scipy spsolve (COLAMD) | SuperLU, MMD(A^T+A) | ratio spsolve / ours (wall) | max deviation from spsolve |")
    print("| --- | --- | --- | --- | --- | --- |")
    for nodes in sizes:
        A, b, fields = reduced_system(device(nodes))
        ours, w0, c0 = timed(solve_block_preconditioned, A, b, fields, tol=1e-10)
        plain, w1, c1 = timed(spla.spsolve, A.tocsc(), b, permc_spec="COLAMD")
        _, w2, c2 = timed(spla.spsolve, A.tocsc(), b, permc_spec="MMD_AT_PLUS_A")
        deviation = np.max(np.abs(ours - plain)) / np.max(np.abs(plain))
        print(f"| {A.shape[0]} | {w0:.2f} / {c0:.2f} s | {w1:.2f} / {c1:.2f} s | {w2:.2f} / {c2:.2f} s | "
              f"{w1 / w0:.1f}x | {deviation:.1e} |", flush=True)  # fmt: skip
        if w1 > budget:
            break


def full(nodes):
    dev = device(nodes)
    assembly, w_asm, c_asm = timed(_Assembly, dev, "P1")
    nodes = assembly.n
    del assembly  # so that the peak memory is that of solve() alone
    result, wall, cpu = timed(solve, dev, solver="iterative")
    print(f"full size: {result.settings['unknowns']} unknowns ({nodes} nodes x 4 fields)")
    print(f"  assembly alone {w_asm:.2f} s wall / {c_asm:.2f} s CPU")
    print(f"  solve() total (assembly, AMG set-up, GMRES, current projections): {wall:.2f} s wall / {cpu:.2f} s CPU")
    print(f"  relative residual {result.residual:.2e}; max |S_z| {np.max(np.abs(result.S[2])):.4e}; "
          f"current {result.current('source'):.8f} (sum over contacts {result.terminal_current.sum():.1e})")  # fmt: skip
    print(f"  peak resident memory of the process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2:.2f} GB")
    print(f"  load average {os.getloadavg()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=250_000)
    parser.add_argument("--ladder", type=int, nargs="*", default=[5_000, 20_000, 80_000])
    parser.add_argument("--budget", type=float, default=60.0, help="stop the baseline ladder past this time (s)")
    args = parser.parse_args()
    with threadpool_limits(1):  # BLAS threads spin and stall on a shared 2-core machine (100x slower AMG set-up)
        if args.nodes:
            full(args.nodes)  # first, so that the peak memory printed is the full-size run's
        if args.ladder:
            ladder(args.ladder, args.budget)
