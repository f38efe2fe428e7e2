"""Times of the 2D lattice engine on issue 11's benchmark: Rashba BdG, t = 1, alpha = 0.3, mu = -3 (band
centre; mu = 1 from the band bottom), Delta = 0.2, Gaussian M_z (M0 = 0.3, width 8 sites), open L x L.

Prints, per L and engine: the seconds (wall and CPU), the error estimates relative to the largest bond
current, and the largest difference between the two engines' currents. Engines: ``rational``
(Zolotarev sign + recursive Green's functions, ``rational_observables``) and ``chebyshev`` (Chebyshev +
probing, ``kpm_observables``, the baseline). Usage:
    python benchmarks/bench_lattice.py [--sizes 40 80] [--engines rational chebyshev] [--probe-spacing 40]
        [--tolerance 1e-6] [--kwant VENV [--kwant-size 8] [--kwant-moments 1500]]

With ``--kwant`` (a venv made by benchmarks/make_kwant_env.sh) the same system of ``--kwant-size`` sites
is also solved by Kwant's KPM (benchmarks/kwant_peer.py, LocalVectors over every orbital); both are
compared with exact diagonalisation (ours, and a dense diagonalisation of Kwant's own matrix) and timed
in the same run.
"""

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from spincharge.lattice import RashbaLattice
from spincharge.lattice.kpm import kpm_observables
from spincharge.lattice.observables import exact_observables
from spincharge.lattice.rational import rational_observables
from spincharge.lattice.square import SquareSystem, real_space_blocks


def benchmark_system(size: int) -> SquareSystem:
    model = RashbaLattice(mass=0.5, mu=1.0, v=0.3, delta=0.2, spacing=1.0)
    x = np.arange(size) - (size - 1) / 2
    xx, yy = np.meshgrid(x, x)
    field = np.zeros((3, size, size))
    field[2] = 0.3 * np.exp(-(xx**2 + yy**2) / (2 * 8.0**2))
    return SquareSystem(model, field, periodic=False)


def compare_with_kwant(venv: str, size: int, moments: int, tolerance: float) -> None:
    """Kwant KPM and spincharge's engine on one system, each against exact diagonalisation."""
    system = benchmark_system(size)
    h0, hx, hy = real_space_blocks(system.model)
    with tempfile.TemporaryDirectory() as tmp:
        source, result = Path(tmp) / "in.npz", Path(tmp) / "out.npz"
        np.savez(source, h0=h0, hx=hx, hy=hy, exchange=system.exchange_field, delta=system.model.delta,
                 spacing=system.model.spacing)  # fmt: skip
        started = time.perf_counter()
        peer = Path(__file__).with_name("kwant_peer.py")
        subprocess.run([f"{venv}/bin/python", "-W", "ignore", str(peer), str(source), str(result),
                        "--moments", str(moments), "--dense"], check=True)  # fmt: skip
        kwant_wall = time.perf_counter() - started
        with np.load(result) as data:
            kwant = dict(data)
    started = time.perf_counter()
    ours = kpm_observables(system, 0.0, tolerance=tolerance, probe_spacing=size, threads=1)
    ours_seconds = time.perf_counter() - started
    exact = exact_observables(system)
    # Kwant's Current on the hopping (a, b) versus our bond r -> r + d: map sites by their tags
    index = kwant["site_y"] * size + kwant["site_x"]
    start, end = index[kwant["hoppings"][:, 0]], index[kwant["hoppings"][:, 1]]
    forward_x, forward_y = end == start + 1, end == start + size
    ours_bonds = np.concatenate([exact.current_x.ravel()[start[forward_x]], exact.current_y.ravel()[start[forward_y]]])
    kwant_dense = np.concatenate([kwant["current_dense"][forward_x], kwant["current_dense"][forward_y]])
    factor = np.dot(kwant_dense, ours_bonds) / np.dot(ours_bonds, ours_bonds)  # Kwant's sign/normalisation
    same_physics = np.abs(kwant_dense - factor * ours_bonds).max() / np.abs(kwant_dense).max()
    spin_ed = exact.spin.reshape(3, -1)[:, index]
    spin_match = np.abs(kwant["spin_dense"] - spin_ed).max() / np.abs(spin_ed).max()
    scale = np.abs(exact.current_x).max()
    ours_error = max(np.abs(ours.current_x - exact.current_x).max(), np.abs(ours.current_y - exact.current_y).max())
    kwant_error = np.abs(kwant["current"] - kwant["current_dense"]).max() / np.abs(kwant["current_dense"]).max()
    print(f"L = {size} against ED: Kwant = {factor:+.6f} x ours on every bond (mismatch {same_physics:.1e}), "
          f"spins mismatch {spin_match:.1e}")  # fmt: skip
    print(f"  Kwant KPM ({moments} moments, LocalVectors): {kwant['seconds']:.1f} s KPM ({kwant_wall:.1f} s with "
          f"build and ED), current error {kwant_error:.1e} of max|J|")  # fmt: skip
    print(f"  spincharge ({tolerance:g}, order {ours.settings['order']}): {ours_seconds:.1f} s, current error "
          f"{ours_error / scale:.1e} of max|J|; ratio Kwant / spincharge = {kwant['seconds'] / ours_seconds:.0f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[40, 80])
    parser.add_argument("--probe-spacing", type=int, default=40)
    parser.add_argument("--tolerance", type=float, default=1e-6)
    parser.add_argument("--engines", nargs="*", default=["rational", "chebyshev"], choices=["rational", "chebyshev"])
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--kwant", default=None, help="Kwant venv (benchmarks/make_kwant_env.sh)")
    parser.add_argument("--kwant-size", type=int, default=8)
    parser.add_argument("--kwant-moments", type=int, default=1500)
    args = parser.parse_args()
    if args.kwant:
        compare_with_kwant(args.kwant, args.kwant_size, args.kwant_moments, 1e-5)
    for size in args.sizes:
        system = benchmark_system(size)
        results = {}
        for engine in args.engines:
            started, cpu = time.perf_counter(), time.process_time()
            if engine == "rational":
                result = rational_observables(system, tolerance=args.tolerance, threads=args.threads)
                detail = f"{result.settings['poles']} poles, gap bound {result.settings['gap']:.4f}"
            else:
                result = kpm_observables(system, 0.0, tolerance=args.tolerance, probe_spacing=args.probe_spacing,
                                         threads=args.threads)  # fmt: skip
                s = result.settings
                detail = (f"order {s['order']}, {s['probe_vectors']} probe vectors (D = {s['probe_spacing']}), "
                          f"probing error {s['probe_error'] / result.current_scale:.2e}")  # fmt: skip
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            results[engine] = (result, seconds)
            scale = result.current_scale
            print(f"L = {size}, {engine}: {seconds:.1f} s wall, {cpu:.1f} s CPU, {detail}, max|J| = {scale:.3e}, current "
                  f"error estimate {result.current_error / scale:.2e}, continuity residual "
                  f"{result.continuity_residual:.2e}", flush=True)  # fmt: skip
        if len(results) == 2:
            (a, ta), (b, tb) = results["rational"], results["chebyshev"]
            difference = max(np.abs(a.current_x - b.current_x).max(), np.abs(a.current_y - b.current_y).max())
            print(f"L = {size}: chebyshev / rational time ratio {tb / ta:.1f}; max current difference "
                  f"{difference / a.current_scale:.2e} of max|J|")  # fmt: skip


if __name__ == "__main__":
    main()
