"""Times of the 2D lattice engine on issue 11's benchmark: Rashba BdG, t = 1, alpha = 0.3, mu = -3 (band
centre; mu = 1 from the band bottom), Delta = 0.2, Gaussian M_z (M0 = 0.3, width 8 sites), open L x L.

Prints, per L and engine: the seconds (wall and CPU), the error estimates relative to the largest bond
current, and the largest difference between the engines' currents (against the first engine run at that L).
Engines: ``rational`` (Zolotarev sign + recursive Green's functions, ``rational_observables``), ``patched``
(the rational engine on overlapping strips, ``patched_observables``, linear scaling) and ``chebyshev``
(Chebyshev + probing, ``kpm_observables``). Usage:
    python benchmarks/bench_lattice.py [--sizes 40 80] [--engines rational patched chebyshev] [--probe-spacing 40]
        [--tolerance 1e-6] [--buffer 32] [--gap-from L] [--rational-max L]
        [--kwant VENV [--kwant-size 8] [--kwant-moments 1500]]

``--gap-from L``: every engine gets the gap bound (``gap_lower_bound``, sparse LU) of the L x L system instead
of its own (the LU of 10^6 orbitals takes longer than the engines; min|E| is that of the texture's bound
state, 0.1573 at L = 40 and 100 alike). ``--rational-max L``: the single-domain engine only up to L (its memory,
2 L (4 L)^2 16 bytes, is 64 GB at L = 500). Peak memory so far (ru_maxrss) is printed after each engine.

With ``--kwant`` (a venv made by benchmarks/make_kwant_env.sh) the same system of ``--kwant-size`` sites
is also solved by Kwant's KPM (benchmarks/kwant_peer.py, LocalVectors over every orbital); both are
compared with exact diagonalisation (ours, and a dense diagonalisation of Kwant's own matrix) and timed
in the same run.
"""

import argparse
import resource
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from spincharge.lattice import RashbaLattice
from spincharge.lattice.kpm import kpm_observables
from spincharge.lattice.observables import exact_observables
from spincharge.lattice.patches import patched_observables
from spincharge.lattice.rational import gap_lower_bound, rational_observables
from spincharge.lattice.square import SquareSystem, real_space_blocks


def benchmark_system(size: int) -> SquareSystem:
    model = RashbaLattice(mass=0.5, mu=1.0, v=0.3, delta=0.2, spacing=1.0)
    x = np.arange(size) - (size - 1) / 2
    xx, yy = np.meshgrid(x, x)
    field = np.zeros((3, size, size))
    field[2] = 0.3 * np.exp(-(xx**2 + yy**2) / (2 * 8.0**2))
    return SquareSystem(model, field, periodic=False)


def compare_with_kwant(venv: str, size: int, moments: int, tolerance: float) -> None:
    """Kwant KPM and spincharge's engines (Chebyshev ``kpm_observables`` and the rational engine) on one system, each
    against exact diagonalisation, in the same run."""
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
    started = time.perf_counter()
    rational = rational_observables(system, tolerance=1e-6, threads=1)
    rational_seconds = time.perf_counter() - started
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
    rational_error = max(np.abs(rational.current_x - exact.current_x).max(),
                         np.abs(rational.current_y - exact.current_y).max())
    print(f"  spincharge rational engine (1e-6, {rational.settings['poles']} poles, gap bound included): "
          f"{rational_seconds:.2f} s, current error {rational_error / scale:.1e} of max|J|; ratio Kwant / spincharge = "
          f"{kwant['seconds'] / rational_seconds:.0f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[40, 80])
    parser.add_argument("--probe-spacing", type=int, default=40)
    parser.add_argument("--tolerance", type=float, default=1e-6)
    parser.add_argument("--engines", nargs="*", default=["rational", "chebyshev"],
                        choices=["rational", "patched", "chebyshev"])  # fmt: skip
    parser.add_argument("--buffer", type=int, default=32, help="patched: buffer of the pole nearest the axis")
    parser.add_argument("--gap-from", type=int, default=None, help="use the gap bound of the L x L system")
    parser.add_argument("--rational-max", type=int, default=None, help="largest L for the single-domain engine")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--kwant", default=None, help="Kwant venv (benchmarks/make_kwant_env.sh)")
    parser.add_argument("--kwant-size", type=int, default=8)
    parser.add_argument("--kwant-moments", type=int, default=1500)
    args = parser.parse_args()
    if args.kwant:
        compare_with_kwant(args.kwant, args.kwant_size, args.kwant_moments, 1e-5)
    gap = None
    if args.gap_from:
        started = time.perf_counter()
        gap = gap_lower_bound(benchmark_system(args.gap_from).bdg_hamiltonian())
        print(f"gap bound {gap:.5f} from L = {args.gap_from} ({time.perf_counter() - started:.1f} s)", flush=True)
    for size in args.sizes:
        system = benchmark_system(size)
        results = {}
        for engine in args.engines:
            if engine == "rational" and args.rational_max and size > args.rational_max:
                continue
            started, cpu = time.perf_counter(), time.process_time()
            if engine == "rational":
                result = rational_observables(system, tolerance=args.tolerance, gap=gap, threads=args.threads)
                detail = f"{result.settings['poles']} poles, gap bound {result.settings['gap']:.4f}"
            elif engine == "patched":
                result = patched_observables(system, buffer=args.buffer, tolerance=args.tolerance, gap=gap,
                                             threads=args.threads)  # fmt: skip
                s = result.settings
                detail = (f"{s['poles']} poles, {s['strips']} strips of {s['interior']} + 2 x {s['pole_buffers']}, "
                          f"checked {s['checked_strips']} (+{s['check_buffer']}), cut error estimate "
                          f"{s['buffer_error']['current'] / result.current_scale:.2e}; strips {s['seconds_strips']:.0f} s,"
                          f" check {s['seconds_check']:.0f} s")  # fmt: skip
            else:
                result = kpm_observables(system, 0.0, tolerance=args.tolerance, probe_spacing=args.probe_spacing,
                                         gap=gap, threads=args.threads)  # fmt: skip
                s = result.settings
                detail = (f"order {s['order']}, {s['probe_vectors']} probe vectors (D = {s['probe_spacing']}), "
                          f"probing error {s['probe_error'] / result.current_scale:.2e}")  # fmt: skip
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
            scale = result.current_scale
            print(f"L = {size} ({4 * size * size} orbitals), {engine}: {seconds:.1f} s wall, {cpu:.1f} s CPU, {detail}, "
                  f"max|J| = {scale:.3e}, current error estimate {result.current_error / scale:.2e}, continuity "
                  f"residual {result.continuity_residual:.2e}, peak RSS so far {peak:.2f} GB", flush=True)  # fmt: skip
            if results:
                (first, (reference, time_first)), = list(results.items())[:1]
                difference = max(np.abs(result.current_x - reference.current_x).max(),
                                 np.abs(result.current_y - reference.current_y).max())  # fmt: skip
                print(f"L = {size}: {engine} / {first} time ratio {seconds / time_first:.2f}; max current "
                      f"difference {difference / reference.current_scale:.2e} of max|J|", flush=True)  # fmt: skip
            results[engine] = (result, seconds)


if __name__ == "__main__":
    main()
