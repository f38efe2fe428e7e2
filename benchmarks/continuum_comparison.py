"""Issue 11, point 4: Gaussian M_z bubbles on the 2D lattices against paper 000, Eqs. (2)-(3).

Computes (and caches as JSON under --cache) chi(w), g_spin(w) fitted to the lattice maps
(``spincharge.lattice.continuum_comparison``) for

* the Rashba BdG lattice, point A of the 1D witness (m = mu = 1, v = Delta = 0.7, a = 0.5) and a point
  with a larger chi (v = 1, Delta = 0.5), w / xi = 0.5 ... 4, first-order response, ratios to the 1D
  witness's q -> 0 coefficients on the same lattice and to the continuum of Eqs. (6)-(8);
* the amplitude dependence at fixed w: a bubble by exact diagonalisation (M0 / Delta = 0.1 ... 1.5, against
  the first-order maps of the same box) and Gaussian stripes M_z(x) on the 1D witness (exact in M0, w = xi
  and 3 xi, both Rashba points);
* the TI lattice (v = 1, mu = 0.5, a = 1, W = v / a): chi at Delta = 0 and Delta = 0.2 for several T and
  w, and a Delta scan at fixed w (paper 000's halving of chi).

Usage: python benchmarks/continuum_comparison.py [--cache DIR] [--figure PATH] [--only rashba|amplitude|stripes|ti]
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np

from spincharge.lattice import RashbaLattice, TISurfaceLattice
from spincharge.lattice.comparison import (
    bubble_system,
    coherence_length,
    continuum_comparison,
    fit_to_continuum,
    plot_continuum_comparison,
    stripe_comparison,
)
from spincharge.lattice.linear_response import linear_response_observables
from spincharge.lattice.observables import exact_observables

RASHBA = {
    "A (v = Delta = 0.7)": dict(mass=1.0, mu=1.0, v=0.7, delta=0.7, spacing=0.5),
    "C (v = 1, Delta = 0.5)": dict(mass=1.0, mu=1.0, v=1.0, delta=0.5, spacing=0.5),
}
TI = dict(v=1.0, mu=0.5, spacing=1.0)


def summary(c):
    keys = ("width_over_xi", "chi", "chi_error", "g_spin", "g_spin_error", "chi_ratio", "g_spin_ratio",
            "chi_continuum_ratio", "g_spin_continuum_ratio", "chi_residual", "g_spin_residual")  # fmt: skip
    out = {k: np.asarray(getattr(c, k)).tolist() for k in keys}
    for k in ("chi_lattice", "chi_lattice_error", "g_spin_lattice", "g_spin_lattice_error", "chi_continuum", "g_spin_continuum"):
        out[k] = getattr(c, k)
    out["seconds"] = c.settings["seconds"]
    out["sites"] = c.settings["sites"]
    return out


def rashba(widths_over_xi=(0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)):
    results, objects = {}, {}
    for label, p in RASHBA.items():
        model = RashbaLattice(**p)
        xi = coherence_length(model)
        started = time.perf_counter()
        c = continuum_comparison(model, xi * np.array(widths_over_xi))
        objects[label] = c
        results[label] = summary(c) | dict(wall=time.perf_counter() - started)
    return results, objects


def amplitude(ratios=(0.1, 0.5, 1.0, 1.5), width_over_xi=1.25, box_factor=4.0):
    model = RashbaLattice(**RASHBA["A (v = Delta = 0.7)"])
    w = width_over_xi * coherence_length(model)
    system, templates = bubble_system(model, w, 1e-3, box_factor=box_factor)
    linear = fit_to_continuum(linear_response_observables(system, k_multiple=1), templates)
    out = dict(width_over_xi=width_over_xi, sites=system.nx, linear=linear, exact={})
    for r in ratios:
        system, templates = bubble_system(model, w, r * model.delta, box_factor=box_factor)
        started = time.perf_counter()
        fit = fit_to_continuum(exact_observables(system), templates)
        out["exact"][str(r)] = fit | dict(seconds=time.perf_counter() - started)
    return out


def stripes(ratios=(0.01, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5), widths_over_xi=(1.0, 3.0)):
    out = {}
    for label, p in RASHBA.items():
        model = RashbaLattice(**p)
        for w in widths_over_xi:
            c = stripe_comparison(model, w * coherence_length(model), model.delta * np.array(ratios))
            out[f"{label}, w/xi={w}"] = dict(
                amplitude_over_delta=list(ratios), chi_ratio=c.chi_ratio.tolist(), g_spin_ratio=c.g_spin_ratio.tolist(),
                chi_error=(c.chi_error / abs(c.chi_lattice)).tolist(), g_spin_error=(c.g_spin_error / c.g_spin_lattice).tolist(),
            )  # fmt: skip
    return out


def ti(widths_over_xi=(0.5, 1.0, 2.0), temperatures=(0.0, 0.05, 0.1, 0.2), delta=0.2, scan_width=5.0,
       scan_deltas=(0.025, 0.05, 0.1, 0.2, 0.4)):  # fmt: skip
    xi = TI["v"] / delta
    out = {"bubbles": {}, "delta_scan": {}}
    for t in temperatures:
        for d in ((0.0, delta) if t > 0 else (delta,)):
            model = TISurfaceLattice(**TI, delta=d)
            c = continuum_comparison(model, xi * np.array(widths_over_xi), t, k_length=6.0 if d == 0 else 12.0)
            out["bubbles"][f"T={t},delta={d}"] = summary(c)
    for d in scan_deltas:
        model = TISurfaceLattice(**TI, delta=d)
        c = continuum_comparison(model, [scan_width], 0.0, k_length=max(4.0, min(12.0, 160 / (TI["v"] / d))))
        out["delta_scan"][str(d)] = summary(c)
    model = TISurfaceLattice(**TI, delta=0.0)
    out["delta_scan"]["0.0 (T=0.02)"] = summary(continuum_comparison(model, [scan_width], 0.02, k_length=4.0))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", default="/tmp/spincharge_continuum_comparison")
    parser.add_argument("--figure", default=None)
    parser.add_argument("--only", choices=("rashba", "amplitude", "stripes", "ti"), default=None)
    args = parser.parse_args()
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    for name, job in (("rashba", rashba), ("amplitude", amplitude), ("stripes", stripes), ("ti", ti)):
        if args.only not in (None, name):
            continue
        path = cache / f"{name}.json"
        started = time.perf_counter()
        result = job()
        objects = None
        if name == "rashba":
            result, objects = result
        path.write_text(json.dumps(result, indent=1))
        print(f"{name}: {time.perf_counter() - started:.1f} s -> {path}")
        print(json.dumps(result, indent=1)[:6000])
        if objects and args.figure:
            plot_continuum_comparison(objects).savefig(args.figure, dpi=120)


if __name__ == "__main__":
    import matplotlib

    matplotlib.use("Agg")
    main()
