"""Benchmark: the 200-point curves of paper 000, Fig. 1(a) (TI chi) and Fig. 1(b) (Rashba g_spin, g_orb,
chi), computed by ``spincharge.magnetoelectric.coefficients`` (method "numeric"), against a naive baseline
measured in the same run: adaptive ``scipy.integrate.quad`` over k of the same Eq. (6) integrand, one k
at a time (numpy ``eigh`` + the same frequency sums), with breakpoints at the Fermi momenta and at
1, 10, 100 gap widths Delta/v_F from them.

Prints wall times (one process, one thread), the accuracy of both against the closed forms
(Eqs. 12-16), and the speed ratio per point. Run: ``python benchmarks/bench_magnetoelectric.py``.
"""

from __future__ import annotations

import dataclasses
import math
import os
import time

os.environ.setdefault("NUMBA_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from scipy.integrate import quad  # noqa: E402

from spincharge.magnetoelectric import coefficients  # noqa: E402
from spincharge.models import RashbaMetal, TISurface  # noqa: E402
from spincharge.models.rashba import nambu_spin_matrix  # noqa: E402
from spincharge.numerics.frequency_sums import resolvent_traces  # noqa: E402
from spincharge.numerics.occupation import FermiDirac  # noqa: E402

POINTS = 200
RATIO = 1e-4  # E_soc / E_F of the Rashba curve (quasiclassical regime of the closed forms)


def _rashba(delta_ratio):
    model = RashbaMetal(1.0, 1.0, RATIO / math.sqrt(2.0), 0.0)
    return dataclasses.replace(model, delta=delta_ratio * model.spin_orbit_energy)


def _curves():
    lams = np.linspace(3.0 / POINTS, 3.0, POINTS)
    deltas = np.linspace(3.0 / POINTS, 3.0, POINTS)
    return [TISurface(1.0, 1.0, lam) for lam in lams], [_rashba(d) for d in deltas]


def _units(result, values=None):
    """chi (TI) or (g_spin, g_orb, chi) (Rashba) in the units of Fig. 1; ``values`` (a dict) replaces
    the result's own numbers (used for the error estimates)."""
    model = result.model
    get = (lambda name: values[name]) if values is not None else (lambda name: getattr(result, name))
    if isinstance(model, TISurface):
        return np.array([4 * math.pi * get("chi")])
    return np.array(
        [4 * math.pi * model.v * get("g_spin"), 4 * math.pi * model.fermi_velocity * get("g_orb"), 4 * math.pi * get("chi")]
    )


def _naive_g_spin(model, tolerance=1e-10):
    """Baseline: scipy quad over k of Eq. (6) at k = (k, 0), one eigh per k (same frequency sums)."""
    occupation = FermiDirac(0.0)
    sx, sy, sz = (nambu_spin_matrix("0", a) for a in "xyz")

    def integrand(k):
        h = model.hamiltonian(k, 0.0)
        energies, vectors = np.linalg.eigh(h)
        vx, vy = model.velocity(k, 0.0)
        traces = resolvent_traces(energies[None], vectors[None], [sx, sy, sz, vx, vy], [(0, 2, 3), (1, 2, 4)], occupation)
        return float((traces.sum() * 0.5 / 2j).real) * k / (2 * math.pi)

    # breakpoints: the Fermi momenta and k_F +- (1, 10, 100) Delta / v_F, where the integrand is peaked
    fermi = list(model.fermi_momenta())
    width = model.momentum_width(fermi[0], model.delta)
    points = sorted({k + s * width * f for k in fermi for s in (-1, 1) for f in (1, 10, 100)} | set(fermi))
    upper = 4 * max(fermi)
    head = quad(integrand, 0.0, upper, points=[p for p in points if 0 < p < upper], limit=4000, epsabs=0.0,
                epsrel=tolerance)[0]
    tail = quad(integrand, upper, np.inf, limit=200, epsabs=0.0, epsrel=tolerance)[0]
    return head + tail


def main():
    ti_models, rashba_models = _curves()
    coefficients(ti_models[0])  # compile the numba kernels (cached on disk after the first run)
    coefficients(rashba_models[0])

    timings, cpu, results = {}, {}, {}
    for name, models in (("Fig. 1(a) TI", ti_models), ("Fig. 1(b) Rashba", rashba_models)):
        start, start_cpu = time.perf_counter(), time.process_time()
        results[name] = [coefficients(m) for m in models]
        timings[name] = time.perf_counter() - start
        cpu[name] = time.process_time() - start_cpu
    total = sum(timings.values())

    for name, models in (("Fig. 1(a) TI", ti_models), ("Fig. 1(b) Rashba", rashba_models)):
        numeric = np.array([_units(r) for r in results[name]])
        closed = np.array([_units(coefficients(m, method="closed_form")) for m in models])
        estimate = max(np.max(_units(r, r.error)) for r in results[name])
        print(
            f"{name}: {POINTS} points in {timings[name]:.3f} s wall, {cpu[name]:.3f} s CPU "
            f"({1e3 * timings[name] / POINTS:.2f} ms/point); "
            f"max |numeric - closed form| = {np.abs(numeric - closed).max():.1e} (Fig. 1 units), "
            f"largest error estimate {estimate:.1e}"
        )
    print(f"both curves: {total:.3f} s wall, {sum(cpu.values()):.3f} s CPU of this process (target < 1 s)")

    sample = {"Fig. 1(a) TI": ti_models[::50], "Fig. 1(b) Rashba": rashba_models[::50]}
    for name, models in sample.items():
        start = time.perf_counter()
        naive = [_naive_g_spin(m) for m in models]
        naive_time = (time.perf_counter() - start) / len(models)
        fast = [coefficients(m).g_spin for m in models]
        closed = [coefficients(m, method="closed_form").g_spin for m in models]
        scale = [1 / (4 * math.pi * m.v) for m in models]
        naive_error = max(abs(a - c) / s for a, c, s in zip(naive, closed, scale))
        fast_error = max(abs(a - c) / s for a, c, s in zip(fast, closed, scale))
        ours = timings[name] / POINTS
        print(
            f"{name} baseline (scipy quad over k, g_spin only, {len(models)} points): {1e3 * naive_time:.1f} ms/point, "
            f"max error {naive_error:.1e}; ours (all coefficients) {1e3 * ours:.2f} ms/point, max error "
            f"{fast_error:.1e}; speed-up x{naive_time / ours:.0f}"
        )


if __name__ == "__main__":
    main()
