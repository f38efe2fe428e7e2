"""Disordered TI lattice vs paper 002's SCBA + ladder (+ crossed) conductivities, and the Kubo engine's speed.

    python benchmarks/bench_kubo_lattice.py compare [--n 96] [--alphas 0.1,0.2] [--realisations 8 --vectors 2]
                                                    [--ratio 0.25] [--tolerance 1e-3] [--threads 1]
                                                    [--seed 7] [--save DIR]
    python benchmarks/bench_kubo_lattice.py pool    --save DIR [--alphas 0.05] [--n-k 512]
    python benchmarks/bench_kubo_lattice.py ladder  [--alphas 0.05,0.1,0.2,0.3] [--ratio 0.25] [--n-k 512]
    python benchmarks/bench_kubo_lattice.py speed   [--n 708] [--steps 40]
    python benchmarks/bench_kubo_lattice.py selfenergy [--n 96] [--alphas 0.05,0.1] [--realisations 4] [--modes 8]

``compare``: at renormalised (eps^R, Delta^R) = the continuum's SCBA values at E = 0.25 v/a, Delta_z = +-0.1 v/a
(counterterms, ``spincharge.lattice.kubo.counterterm_lattice``), the even part in Delta_z of the lattice
sigma_xx and the odd part of sigma_xy, formed per realisation from runs with the same disorder and vectors at both
signs, at eta, 2 eta, 4 eta (eta = ratio x lattice SCBA rate) and extrapolated to eta -> 0 three ways (jackknife
errors over realisations), against ``dc_conductivity(...).kubo_longitudinal`` and ``anomalous_hall_conductivity`` (ladder alone and ladder
+ crossed), and the disorder-induced part of sigma_xy against the clean lattice (Bloch sum).
``ladder``: the lattice's own SCBA + ladder (``ladder_kubo_conductivity``) and its crossed X, Psi diagrams
(``crossed_kubo_conductivity``) for the same lattices at eta = 0 and the broadenings of ``compare``, to compare with it
at each eta without extrapolation.
``selfenergy``: the exact disorder-averaged Sigma(k_F, E + i eta) of the same lattices (``averaged_self_energy``, the
``modes`` torus momenta nearest the continuum Fermi circle, at eta, 2 eta, 4 eta) against their SCBA at the same eta
(``lattice_born_self_energy``) and the fourth-order crossed diagram the SCBA omits (``crossed_self_energy``): the
renormalised eps^R = Re(E - Sigma_0) and Delta^R = Re(Delta_z - Sigma_z) the exact lattice has, and its rate; then the
SCBA + ladder of a lattice whose SCBA has the exact eps^R, Delta^R and Im Sigma_0 (an effective alpha*), with
jackknife errors from the exact Sigma's realisations, to compare with ``compare``'s exact conductivities.
``pool``: the realisations of every ``compare --save DIR`` run (any seeds) pooled, against the lattice SCBA + ladder
and ladder + crossed at each eta.
``speed``: a 2 n^2-orbital system (n = 708: 1.0e6 orbitals): the fused numba Chebyshev recursion (1 and 2 threads) vs
a plain scipy sparse-times-dense recursion with numpy accumulations (same block, same four series; wall and CPU),
then one conductivity with error bars (2 realisations x 2 random vectors) at alpha = 0.3, eta = 0.1 v/a with the
faster thread count.
"""

from __future__ import annotations

import argparse
import glob
import os
import tempfile
import time
from dataclasses import replace

import numba
import numpy as np
from scipy import optimize

from spincharge.diffusive import anomalous_hall_conductivity, born_self_energy, crossed_hall_conductivity, dc_conductivity
from spincharge.lattice.kubo import (
    DisorderedTILattice,
    bloch_kubo_conductivity,
    chebyshev_series,
    counterterm_lattice,
    averaged_self_energy,
    crossed_kubo_conductivity,
    crossed_self_energy,
    kubo_conductivity,
    ladder_kubo_conductivity,
    lattice_born_self_energy,
    random_phase_vectors,
)
from spincharge.models.dirac_ferromagnet import DiracFerromagnet

ENERGY, DELTA, WILSON = 0.25, 0.1, 1.0


def _jackknife(groups, estimator):
    """estimator(mean over groups) and its jackknife standard error; groups: [g, eta] per-realisation means."""
    g = groups.shape[0]
    value = estimator(groups.mean(axis=0))
    leave_one_out = np.array([estimator(np.delete(groups, i, axis=0).mean(axis=0)) for i in range(g)])
    return value, np.sqrt((g - 1) / g * ((leave_one_out - leave_one_out.mean()) ** 2).sum())


EXTRAPOLATIONS = {  # sigma(eta -> 0) from sigma at eta, 2 eta, 4 eta (columns 0, 1, 2)
    "eta": lambda f: f[0],
    "linear(eta, 2eta)": lambda f: 2 * f[0] - f[1],
    "1/sigma linear": lambda f: f[0] * f[1] / (2 * f[1] - f[0]),
    "quadratic(eta, 2eta, 4eta)": lambda f: 8 / 3 * f[0] - 2 * f[1] + f[2] / 3,
}


def _matched(n, alpha, se):
    """The +-Delta lattices with the continuum's eps^R, +-Delta^R (counterterms) and their Delta-even SCBA rate."""
    matched = [counterterm_lattice(DisorderedTILattice(n, sign * DELTA, alpha, wilson=WILSON), se.eps_R.real,
                                   sign * se.delta_R.real) for sign in (1, -1)]
    return matched, -0.5 * (matched[0][2].sigma_0.imag + matched[1][2].sigma_0.imag)


def ladder(alphas, ratio, n_k):
    """SCBA + ladder of the lattice itself (``ladder_kubo_conductivity``) and its crossed X, Psi diagrams
    (``crossed_kubo_conductivity``, same propagators and vertices) at the broadenings ``compare`` uses, 0 first:
    the approximations the exact lattice tests, at each eta, without extrapolation."""
    for alpha in alphas:
        model = DiracFerromagnet(1.0, ENERGY, DELTA, (0, 0, 1), alpha)
        se = born_self_energy(model)
        matched, rate = _matched(8, alpha, se)
        t0, c0 = time.perf_counter(), time.process_time()
        for multiple in (0.0, 1.0, 2.0, 4.0):
            eta = multiple * ratio * rate
            plus, minus = (ladder_kubo_conductivity(lattice, energy, eta, n_k=n_k) for lattice, energy, _ in matched)
            cplus, cminus = (crossed_kubo_conductivity(lattice, energy, eta, n_k=n_k) for lattice, energy, _ in matched)
            odd = 0.5 * (cplus.hall - cminus.hall)
            print(f"alpha {alpha}, eta {eta:.5f}: lattice SCBA + ladder sigma_xx (even) "
                  f"{0.5 * (plus.sigma_xx + minus.sigma_xx):.4f}, sigma_xy (odd) {0.5 * (plus.sigma_xy - minus.sigma_xy):.4f}; "
                  f"bare bubble {0.5 * (plus.bare_xx + minus.bare_xx):.4f}, {0.5 * (plus.bare_xy - minus.bare_xy):.4f}; "
                  f"crossed (odd) X {odd[0]:.4f}, Psi {odd[1] + odd[2]:.4f}, total {odd.sum():.4f} +- "
                  f"{0.5 * (cplus.error + cminus.error):.4f} (grid), ladder + crossed "
                  f"{0.5 * (cplus.sigma_xy - cminus.sigma_xy):.4f}; crossed sigma_xx (even, R-A) "
                  f"{0.5 * (cplus.longitudinal + cminus.longitudinal).sum():.4f}", flush=True)
        crossed = crossed_hall_conductivity(model)
        print(f"  continuum (eta = 0): SCBA + ladder sigma_xx {dc_conductivity(model).kubo_longitudinal:.4f}, sigma_xy "
              f"{anomalous_hall_conductivity(model).noncrossing:.4f}, crossed X {crossed.x:.4f}, Psi {crossed.psi:.4f}; "
              f"{time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU")


def _save_samples(directory, alpha, seed, runs):
    """The per-realisation samples of both signs, written atomically (a partial file never appears)."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"compare_alpha{alpha}_seed{seed}.npz")
    with tempfile.NamedTemporaryFile(dir=directory, suffix=".npz", delete=False) as handle:
        np.savez(handle, plus=runs[0].samples, minus=runs[1].samples, broadening=runs[0].broadening,
                 moments=np.array([runs[0].settings["moments"], runs[1].settings["moments"]]))
    os.replace(handle.name, path)
    print(f"  samples saved to {path}")


def _parity_parts(plus, minus):
    """The Delta-even sigma_xx and Delta-odd sigma_xy per group from the +-Delta samples [..., (xx, xy)]."""
    return {"sigma_xx even": 0.5 * (plus[..., 0] + minus[..., 0]), "sigma_xy odd": 0.5 * (plus[..., 1] - minus[..., 1])}


def compare(n, alphas, realisations, vectors, ratio, tolerance, threads, seed=7, save=None):
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
        matched, rate = _matched(n, alpha, se)
        print(f"alpha {alpha}: continuum SCBA rate {se.eps_R.imag:.4f}, lattice (Delta-even) {rate:.4f} "
              f"(ratio {rate / se.eps_R.imag:.3f}); eta = {ratio} x lattice rate = {ratio * rate:.5f}")
        runs = []
        for (lattice, energy, lse), sign in zip(matched, (1, -1)):
            # the same seed: the same disorder and random vectors at +-Delta, so that their noise cancels in the
            # even (xx) and odd (xy) parts
            t0, c0 = time.perf_counter(), time.process_time()
            result = kubo_conductivity(lattice, energy, broadening=ratio * rate, realisations=realisations,
                                       vectors=vectors, seed=seed, tolerance=tolerance, multiples=(1.0, 2.0, 4.0),
                                       threads=threads)
            runs.append(result)
            print(f"  sign {sign:+d}: bare E {energy:.4f}, Delta_z {lattice.exchange_z:.4f}; moments "
                  f"{result.settings['moments']}, {time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s "
                  f"CPU; sigma_xx(eta, 2eta, 4eta) {np.round(result.sigma_xx, 4)} +- {np.round(result.sigma_xx_error, 4)}, "
                  f"sigma_xy {np.round(result.sigma_xy, 4)} +- {np.round(result.sigma_xy_error, 4)}", flush=True)
        if save:
            _save_samples(save, alpha, seed, runs)
        # [realisation, eta, component]; one realisation: the vectors are the groups (stochastic error only)
        groups = _parity_parts(*(r.samples.mean(axis=1) if realisations > 1 else r.samples[0] for r in runs))
        for name, data in groups.items():
            text = ", ".join(f"{label} {v:.4f} +- {e:.4f}" for label, (v, e) in
                             ((label, _jackknife(data, f)) for label, f in EXTRAPOLATIONS.items()))
            unpaired = 0.5 * np.hypot(*(r.sigma_xx_error[0] if "xx" in name else r.sigma_xy_error[0] for r in runs))
            print(f"  {name}: {text} (at eta without pairing: +- {unpaired:.4f})")
        print(f"  continuum: sigma_xx SCBA+ladder {dc.kubo_longitudinal:.4f} (x continuum/lattice rate "
              f"{dc.kubo_longitudinal * se.eps_R.imag / rate:.4f}); sigma_xy ladder {hall.noncrossing:.4f}, ladder + "
              f"crossed {hall.total:.4f}; clean-lattice odd sigma_xy {clean_odd:.4f}", flush=True)


def pool(directory, alphas, n_k):
    """Pool the realisations that ``compare --save`` wrote (every seed) and set the exact even sigma_xx and odd
    sigma_xy at eta, 2 eta, 4 eta against the lattice SCBA + ladder and ladder + crossed X, Psi at the same eta."""
    for alpha in alphas:
        files = sorted(glob.glob(os.path.join(directory, f"compare_alpha{alpha}_seed*.npz")))
        if not files:
            raise SystemExit(f"no compare_alpha{alpha}_seed*.npz in {directory}")
        data = [np.load(f) for f in files]
        etas = data[0]["broadening"]
        if any(not np.allclose(d["broadening"], etas) for d in data):
            raise SystemExit("the saved runs have different broadenings")
        plus, minus = (np.concatenate([d[sign].mean(axis=1) for d in data]) for sign in ("plus", "minus"))
        groups = _parity_parts(plus, minus)
        model = DiracFerromagnet(1.0, ENERGY, DELTA, (0, 0, 1), alpha)
        matched, _ = _matched(8, alpha, born_self_energy(model))
        print(f"alpha {alpha}: {len(files)} runs, {plus.shape[0]} realisations per sign")
        for i, eta in enumerate(etas):
            runs = [crossed_kubo_conductivity(lattice, energy, eta, n_k=n_k) for lattice, energy, _ in matched]
            predictions = {"sigma_xx even": {"ladder": 0.5 * (runs[0].ladder_xx + runs[1].ladder_xx)},
                           "sigma_xy odd": {"ladder": 0.5 * (runs[0].ladder_xy - runs[1].ladder_xy),
                                            "ladder + crossed": 0.5 * (runs[0].sigma_xy - runs[1].sigma_xy)}}
            for name, samples in groups.items():
                value, error = _jackknife(samples[:, i:i + 1], lambda f: f[0])
                text = ", ".join(f"{label} {p:.4f} ({(value - p) / error:+.1f} s.e.)" for label, p in predictions[name].items())
                print(f"  eta {eta:.5f}: exact {name} {value:.4f} +- {error:.4f}; {text}", flush=True)
            for sign, samples, run in ((+1, plus, runs[0]), (-1, minus, runs[1])):
                (xx, exx), (xy, exy) = (_jackknife(samples[:, i:i + 1, c], lambda f: f[0]) for c in (0, 1))
                print(f"    sign {sign:+d}: exact sigma_xx {xx:.4f} +- {exx:.4f} (ladder {run.ladder_xx:.4f}), sigma_xy "
                      f"{xy:.4f} +- {exy:.4f} (ladder {run.ladder_xy:.4f}, + crossed {run.sigma_xy:.4f})", flush=True)


def fermi_modes(n, momentum, count):
    """The ``count`` torus modes (m_x, m_y), |k| = 2 pi |m| / n, nearest the circle |k| = momentum (1/a)."""
    m = np.arange(-n // 2, n // 2)
    grid = np.array(np.meshgrid(m, m, indexing="ij")).reshape(2, -1).T
    distance = np.abs(2 * np.pi * np.hypot(*grid.T) / n - momentum)
    return grid[np.argsort(distance, kind="stable")[:count]]


def renormalised_ladder(lattice, energy, eta, exact, n_k, tol=1e-9):
    """SCBA + ladder of a lattice whose SCBA at E + i eta has the exact Re(E - Sigma_0), Re(Delta_z - Sigma_z) and
    Im Sigma_0 (``exact``: complex Sigma_0, Sigma_z): bare E, Delta_z and an effective alpha* solved for (scipy's
    hybrid root finder; plain fixed-point iteration oscillates). Returns (ladder result, its crossed X + Psi result
    (lines w*^2, the same propagators and vertices), alpha*, bare E, bare Delta_z)."""
    target = np.array([energy - exact[0].real, lattice.exchange_z - exact[1].real, -exact[0].imag])
    cache = {}

    def residual(x):
        bare_energy, bare_mass, log_alpha = x
        trial = replace(lattice, disorder_alpha=float(np.exp(log_alpha)), exchange_z=float(bare_mass))
        se = lattice_born_self_energy(trial, float(bare_energy), n_k=n_k, broadening=eta, initial=cache.get("se"))
        cache["se"] = se
        got = np.array([bare_energy - se.sigma_0.real, bare_mass - se.sigma_z.real, -se.sigma_0.imag])
        return got - target

    solution = optimize.root(residual, [energy, lattice.exchange_z, np.log(lattice.disorder_alpha)], tol=tol)
    if not solution.success or np.abs(residual(solution.x)).max() > 1e-6:
        raise RuntimeError(f"renormalised SCBA did not converge: {solution.message}")
    bare_energy, bare_mass, alpha = solution.x[0], solution.x[1], float(np.exp(solution.x[2]))
    trial = replace(lattice, disorder_alpha=alpha, exchange_z=float(bare_mass))
    return (ladder_kubo_conductivity(trial, float(bare_energy), eta, n_k=n_k),
            crossed_kubo_conductivity(trial, float(bare_energy), eta, n_k=n_k), alpha, bare_energy, bare_mass)


def self_energy(n, alphas, realisations, count, ratio, tolerance, threads, n_k):
    multiples = (1.0, 2.0, 4.0)
    for alpha in alphas:
        se = born_self_energy(DiracFerromagnet(1.0, ENERGY, DELTA, (0, 0, 1), alpha))
        matched, rate = _matched(n, alpha, se)
        eta = ratio * rate
        k_f = np.sqrt(se.eps_R.real**2 - se.delta_R.real**2)
        modes = fermi_modes(n, k_f, count)
        print(f"alpha {alpha}, n {n}: eta {eta:.5f}, continuum k_F {k_f:.4f}, modes |k| "
              f"{np.round(2 * np.pi * np.hypot(*modes.T) / n, 4)}", flush=True)
        ladders = []  # [sign][eta]: (xx, xy, xy + crossed) of the renormalised SCBA + ladder, and per leave-one-out realisation
        for (lattice, energy, _), sign in zip(matched, (1, -1)):
            t0 = time.perf_counter()
            exact = averaged_self_energy(lattice, energy, eta, modes, multiples=multiples, realisations=realisations,
                                         seed=7, tolerance=tolerance, threads=threads)
            print(f"  sign {sign:+d}: bare E {energy:.4f}, Delta_z {lattice.exchange_z:.4f}; {exact.settings['moments']}"
                  f" moments, {time.perf_counter() - t0:.0f} s wall", flush=True)
            ladders.append([])
            for i, multiple in enumerate(multiples):
                scba = lattice_born_self_energy(lattice, energy, n_k=n_k, broadening=multiple * eta)
                (s0, sz, par, perp), (e0, ez, epar, eperp) = exact.shell[i], exact.shell_error[i]
                ladder_, crossed_, alpha_star, bare_energy, bare_mass = renormalised_ladder(
                    lattice, energy, multiple * eta, (s0, sz), n_k)
                jack = np.array([[r.sigma_xx, r.sigma_xy, c.sigma_xy] for r, c, *_ in (
                    renormalised_ladder(lattice, energy, multiple * eta, (j[0], j[1]), n_k)
                    for j in exact.shell_jackknife[:, i])])
                ladders[-1].append((np.array([ladder_.sigma_xx, ladder_.sigma_xy, crossed_.sigma_xy]), jack))
                crossed = crossed_self_energy(lattice, energy, exact.momenta, multiple * eta, n_k=n_k).sigma.mean(axis=0)
                error = np.sqrt((realisations - 1) / realisations * ((jack - jack.mean(axis=0)) ** 2).sum(axis=0))
                print(f"    {multiple:g} eta: exact Sigma_0 {s0:.5f} +- {e0:.5f}, Sigma_z {sz:.5f} +- {ez:.5f}, "
                      f"in-plane along d {par:.5f} +- {epar:.5f}, across {perp:.5f} +- {eperp:.5f}; SCBA Sigma_0 "
                      f"{scba.sigma_0:.5f}, Sigma_z {scba.sigma_z:.5f} (rate ratio exact/SCBA "
                      f"{s0.imag / scba.sigma_0.imag:.3f}). Renormalised eps^R, Delta^R: exact {energy - s0.real:.4f}, "
                      f"{lattice.exchange_z - sz.real:.4f}; SCBA {energy - scba.sigma_0.real:.4f}, "
                      f"{lattice.exchange_z - scba.sigma_z.real:.4f}; exact - SCBA: Sigma_0 {s0 - scba.sigma_0:.5f}, "
                      f"Sigma_z {sz - scba.sigma_z:.5f}; the crossed diagram on the SCBA (fourth order): Sigma_0 "
                      f"{crossed[0]:.5f}, Sigma_z {crossed[3]:.5f}", flush=True)
                print(f"      SCBA + ladder at the exact eps^R, Delta^R, Im Sigma_0 (alpha* {alpha_star:.4f}, bare E "
                      f"{bare_energy:.4f}, Delta_z {bare_mass:.4f}): sigma_xx {ladder_.sigma_xx:.4f} +- {error[0]:.4f} "
                      f"(bare {ladder_.bare_xx:.4f}), sigma_xy {ladder_.sigma_xy:.4f} +- {error[1]:.4f} (bare "
                      f"{ladder_.bare_xy:.4f}), + crossed X, Psi {crossed_.sigma_xy:.4f} +- {error[2]:.4f}; plain SCBA + "
                      f"ladder {ladder_kubo_conductivity(lattice, energy, multiple * eta, n_k=n_k).sigma_xx:.4f}", flush=True)
        for i, multiple in enumerate(multiples):
            (plus, plus_jack), (minus, minus_jack) = ladders[0][i], ladders[1][i]
            parts = np.array([0.5 * (plus[0] + minus[0]), 0.5 * (plus[1] - minus[1]), 0.5 * (plus[2] - minus[2])])
            jack = np.stack([0.5 * (plus_jack[:, 0] + minus_jack[:, 0]), 0.5 * (plus_jack[:, 1] - minus_jack[:, 1]),
                             0.5 * (plus_jack[:, 2] - minus_jack[:, 2])], 1)
            error = np.sqrt((realisations - 1) / realisations * ((jack - jack.mean(axis=0)) ** 2).sum(axis=0))
            print(f"  {multiple:g} eta, SCBA + ladder at the exact self-energy: sigma_xx even {parts[0]:.4f} +- "
                  f"{error[0]:.4f}, sigma_xy odd {parts[1]:.4f} +- {error[1]:.4f}, with the crossed X, Psi "
                  f"{parts[2]:.4f} +- {error[2]:.4f} (jackknife over the exact Sigma's "
                  f"realisations, same seed at both signs)", flush=True)


def _timed(function, *args):
    """(result, wall seconds, CPU seconds of this process: all threads)."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = function(*args)
    return out, time.perf_counter() - t0, time.process_time() - c0


def _scipy_series(scaled, block, coefficients):
    """The baseline: the same recursion with scipy's CSR times dense block and numpy accumulations."""
    x_prev, x_curr = block.copy(), scaled @ block
    acc = [c[0] * x_prev + c[1] * x_curr for c in coefficients]
    for k in range(2, coefficients.shape[1]):
        x_prev = 2 * (scaled @ x_curr) - x_prev
        x_prev, x_curr = x_curr, x_prev
        for j, c in enumerate(coefficients):
            acc[j] += c[k] * x_curr
    return np.stack(acc, axis=1)


def speed(n, steps):
    lattice = DisorderedTILattice(n, DELTA, 0.3, wilson=WILSON)
    h, bound = lattice.hamiltonian(np.random.default_rng(0))
    vx, vy = lattice.velocities(h)
    scaled = (h / (1.01 * bound)).tocsr()
    r = random_phase_vectors(h.shape[0], 2, np.random.default_rng(1))
    block = np.concatenate([r, vx @ r, vy @ r], axis=1)  # two vectors: the block of the conductivity run below
    coefficients = np.random.default_rng(2).normal(size=(4, steps))
    chebyshev_series(scaled, block, coefficients[:, :3])  # compile (one step)
    reference, wall, cpu = _timed(_scipy_series, scaled, block, coefficients)
    print(f"{h.shape[0]} orbitals ({h.nnz} non-zeros), 6 columns, 4 series, {steps} steps: scipy + numpy "
          f"{1e3 * wall / steps:.1f} ms wall / {1e3 * cpu / steps:.1f} ms CPU per step", flush=True)
    best = (np.inf, 1)
    for threads in (1, 2):
        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
        fused, wall_f, cpu_f = _timed(chebyshev_series, scaled, block, coefficients)
        agree = np.abs(fused - reference).max() / np.abs(reference).max()
        best = min(best, (wall_f, threads))
        print(f"  fused numba step, {threads} thread(s): {1e3 * wall_f / steps:.1f} ms wall / {1e3 * cpu_f / steps:.1f} "
              f"ms CPU per step (wall ratio to scipy {wall / wall_f:.2f}); agrees to {agree:.1e}", flush=True)
    threads = best[1]
    result, wall, cpu = _timed(lambda: kubo_conductivity(lattice, ENERGY, broadening=0.1, realisations=2, vectors=2,
                                                         tolerance=1e-3, threads=threads))
    print(f"alpha 0.3, E {ENERGY}, Delta_z {DELTA}, eta {result.broadening}: 2 realisations x 2 vectors, moments "
          f"{result.settings['moments']}, sigma_xx {np.round(result.sigma_xx, 4)} +- {np.round(result.sigma_xx_error, 4)}, "
          f"sigma_xy {np.round(result.sigma_xy, 4)} +- {np.round(result.sigma_xy_error, 4)}; {wall:.0f} s wall / "
          f"{cpu:.0f} s CPU ({threads} thread(s))")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("compare", "ladder", "speed", "selfenergy", "pool"))
    parser.add_argument("--n", type=int, default=None)
    parser.add_argument("--alphas", default="0.1,0.2")
    parser.add_argument("--realisations", type=int, default=8)
    parser.add_argument("--vectors", type=int, default=2)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--ratio", type=float, default=0.25, help="smallest eta / lattice SCBA rate")
    parser.add_argument("--tolerance", type=float, default=1e-3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--n-k", type=int, default=512)
    parser.add_argument("--modes", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7, help="compare: the disorder and random-vector seed")
    parser.add_argument("--save", default=None, help="compare: directory for the per-realisation samples (.npz)")
    args = parser.parse_args()
    if args.mode == "compare":
        compare(args.n or 96, [float(a) for a in args.alphas.split(",")], args.realisations, args.vectors,
                args.ratio, args.tolerance, args.threads, args.seed, args.save)
    elif args.mode == "selfenergy":
        self_energy(args.n or 96, [float(a) for a in args.alphas.split(",")], args.realisations, args.modes,
                    args.ratio, args.tolerance, args.threads, args.n_k)
    elif args.mode == "pool":
        pool(args.save, [float(a) for a in args.alphas.split(",")], args.n_k)
    elif args.mode == "ladder":
        ladder([float(a) for a in args.alphas.split(",")], args.ratio, args.n_k)
    else:
        speed(args.n or 708, args.steps)
