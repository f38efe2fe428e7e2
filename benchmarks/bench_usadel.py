"""Benchmark: the T/Tc = 0.05 vortex (paper 003, Fig. 3) -- batched banded Newton vs solve_bvp per frequency.

Run: ``python benchmarks/bench_usadel.py``. Both methods compute the same observables (current I(r) and
spin S(r) of the derived equations, n = 1, Delta0 tau_so = 0.1) on the same output radii and the same
Matsubara nodes with the same frequency sum (explicit frequencies, Gauss-Laguerre tail, closed-form
core tail), and are judged by one norm: max over r <= R/2 of |X - X_ref| / max |X_ref| for X = I, S,
against a reference ``vortex`` at 4x the points and 4x the frequency cutoff computed in the same run.

- ours: ``spincharge.usadel.vortex`` (all frequencies in one banded Newton system, two grids with
  Richardson extrapolation and a third for the outer-radius estimate, error estimates included);
- baseline: what a physicist writes first, scipy.integrate.solve_bvp called frequency by frequency
  (singlet, then the linear triplet pair) in the scaled variable s = ln r, which lets it mesh the core
  of every node up to w ~ 1e30 (``single_frequency_bvp``); its ``tol`` is tightened until it reaches
  the same 1e-6 target, and frequencies where it fails are listed.
Also times the whole Fig. 3 (both temperatures, derived and printed equations).
"""

from __future__ import annotations

import time

import numpy as np

from spincharge.usadel import GAP0_OVER_TC, DerivedEquations, bcs_gap, vortex
from spincharge.usadel.vortex import _core_part, _observables, matsubara_nodes, single_frequency_bvp

T_OVER_TC, WINDING, RADIUS, TARGET = 0.05, 1, 40.0, 1e-6


def deviation(values, reference, r):
    mask = r <= RADIUS / 2
    return float(np.max(np.abs(values - reference)[mask]) / np.max(np.abs(reference[mask])))


def baseline(r, tol, frequency_cutoff):
    """I and S from solve_bvp at every Matsubara node; returns (current, spin, failed frequencies, time
    spent on the failed ones)."""
    gap = bcs_gap(T_OVER_TC).gap[0]
    temperature = T_OVER_TC / (gap * GAP0_OVER_TC)
    g = 1 / (0.1 * 2 * gap)
    nodes = matsubara_nodes(temperature, frequency_cutoff)
    w = nodes[0]
    amplitude, a1 = np.zeros((w.size, r.size)), np.zeros((w.size, r.size))
    failed, failing_time = [], 0.0
    for m, frequency in enumerate(w):
        start = time.perf_counter()
        try:
            singlet, triplet = single_frequency_bvp(DerivedEquations, frequency, WINDING, g, RADIUS, tol=tol)
        except RuntimeError:
            failed.append(float(frequency))
            failing_time += time.perf_counter() - start
            continue
        s = np.log(r[1:])
        amplitude[m, 1:], a1[m, 1:] = singlet.sol(s)[0], triplet.sol(s)[0]
    core = _core_part(w, r, WINDING, uniform=True)[0]
    out = _observables(DerivedEquations, WINDING, temperature, nodes, r, amplitude, a1, core)
    return out["current"], out["spin"], failed, failing_time


def share_of_nodes(result, frequencies):
    """max over r of the contribution of the given nodes to (I, S) relative to max |I|, max |S|, from
    our own a_s, a_1 (what the baseline leaves out where solve_bvp fails)."""
    temperature = T_OVER_TC / (result.gap * GAP0_OVER_TC)
    w, weights, _ = matsubara_nodes(temperature, result.frequency_cutoff)
    rows = np.isin(w, frequencies)
    inside = result.r > 0
    P, a1 = result.amplitude[rows][:, inside], result.triplet[0][rows][:, inside]
    step = 2 * np.pi * temperature
    current = step * weights[rows] @ DerivedEquations.current_summand(P, result.r[inside], WINDING)
    spin = step * weights[rows] @ (2 * DerivedEquations.spin_summand(P, a1))
    return np.max(np.abs(current)) / np.max(np.abs(result.current)), np.max(np.abs(spin)) / np.max(np.abs(result.spin))


def main():
    start = time.perf_counter()
    reference = vortex(T_OVER_TC, points=2400, frequency_cutoff=80.0)
    reference_time = time.perf_counter() - start
    start = time.perf_counter()
    result = vortex(T_OVER_TC)
    ours = time.perf_counter() - start
    r = result.r
    ref_current, ref_spin = reference.current[::4], reference.spin[::4]
    print(f"reference vortex(points=2400, frequency_cutoff=80): {reference_time:.1f} s, "
          f"estimated error (I, S) = ({reference.error[0]:.1e}, {reference.error[1]:.1e})")
    print(f"ours: vortex(t = {T_OVER_TC}), {result.frequencies.size} frequency nodes, {ours:.2f} s; deviation from "
          f"reference (I, S) = ({deviation(result.current, ref_current, r):.1e}, {deviation(result.spin, ref_spin, r):.1e}); "
          f"estimated error = ({result.error[0]:.1e}, {result.error[1]:.1e})")
    for tol in (1e-6, 1e-8, 1e-10):
        start = time.perf_counter()
        current, spin, failed, failing_time = baseline(r, tol, result.frequency_cutoff)
        elapsed = time.perf_counter() - start - failing_time  # the failed attempts are not counted
        errors = deviation(current, ref_current, r), deviation(spin, ref_spin, r)
        print(f"baseline solve_bvp per frequency, tol = {tol:.0e}: {elapsed:.2f} s, deviation (I, S) = "
              f"({errors[0]:.1e}, {errors[1]:.1e}), failed at w = {failed or 'none'}")
        if failed:
            share = share_of_nodes(result, failed)
            print(f"  ({failing_time:.2f} s spent on them, not counted; left out, these nodes contribute at most ({share[0]:.1e}, "
                  f"{share[1]:.1e}) of max (I, S) in our solution)")
        if max(errors) <= TARGET:
            print(f"ratio baseline / ours at equal accuracy (<= {TARGET:.0e} in I and S): {elapsed / ours:.1f}")
            break
    else:
        print(f"the baseline did not reach {TARGET:.0e}")
    start = time.perf_counter()
    for t in (0.05, 0.98):
        for variant in ("derived", "paper"):
            vortex(t, equations=variant)
    print(f"whole Fig. 3 (t = 0.05, 0.98; derived and printed equations): {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
