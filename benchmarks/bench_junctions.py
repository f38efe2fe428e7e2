"""Benchmark: shared Josephson-junction cases (issue 10, point 5) in GENEUS, judged by closed forms.

Run: ``python benchmarks/bench_junctions.py [--geneus BUILD_DIR]`` with BUILD_DIR from
``benchmarks/geneus/build_geneus.sh SOURCE_DIR BUILD_DIR`` (GENEUS is benchmark-only and never installed
with spincharge). Each case is run once per phase with GENEUS's ``converge`` program, one process at a
time, and timed; units and conventions of GENEUS are in ``benchmarks/geneus/driver.py``.

Cases and witnesses:

- ``ko``: diffusive S/N/S, L = 0.2 xi (E_Th = 25 Delta_0), T = 0.01 Tc, KL interfaces G_B/G_N = 100,
  phi = pi/4, pi/2, 3 pi/4; witness the Kulik-Omelyanchuk (KO-1) dirty short-junction relation
  e I R_N = 2 pi T sum_{w_n > 0} 2 Delta cos(phi/2)/d_n arctan(Delta sin(phi/2)/d_n),
  d_n = sqrt(Delta^2 cos^2(phi/2) + w_n^2) (Kulik and Omelyanchuk, Fiz. Nizk. Temp. 3, 945 (1977);
  Golubov, Kupriyanov, Il'ichev, RMP 76, 411 (2004), Sec. III.A), whose T -> 0 maximum 1.326 pi Delta/2
  is checked in this script. Two more runs at phi = pi/2 (G_B/G_N = 30; L = 0.3 xi) extrapolate GENEUS to
  G_B -> inf and L -> 0 with I = I_0 - a/G_B - b L^2 (series interface resistance; first finite-length
  correction in Delta/E_Th = (L/xi)^2).
- ``dubos``: long S/N/S, L = 5 xi (Delta/E_Th = 25), T = 0.01 Tc = 0.14 E_Th, G_B/G_N = 100,
  phi = pi/2, 5 pi/8, 3 pi/4; I_c from the parabola through the three points; witness
  e I_c R_N -> 10.82 E_Th for Delta/E_Th -> inf, T -> 0 (Dubos et al., PRB 63, 064502 (2001)).
- ``sfs``: S/F/S, L = 1 xi, h = 3 Delta_0 along z, T = 0.01 Tc, G_B/G_N = 100, phi = pi/2: no closed form
  (kept for the comparison with spincharge's solver).
- ``dos``: the local DOS at the centre of the long junction (phi = pi/2 run): it tends to 1 far above the
  gap, and the spectral weight int_0^30 (N - 1) dE is reported (0 in an exact theory with an infinite
  cutoff). GENEUS's S | N | vacuum configuration fails to converge, see below.

``every_tensor`` (issue 10, point 8): the same S/N/S target junction with every tensor of a C1 (triclinic, all
components allowed) material nonzero in N (D, anisotropic Gamma, alpha, gamma, theta, kappa, h; theta and kappa
are inactive in 1D): the spinful (2x2 Riccati, both signs of omega) solver, timed at ``--every-tensor PHASES``
phases against the same run with twice the points (the 1e-6 target); ``python benchmarks/bench_junctions.py
--every-tensor 32`` is the issue's case.

``ours`` runs spincharge's junction solver (``spincharge.usadel.junction``, Matsubara sums with GENEUS's Dynes
eta = 0.01 Delta_0 as omega_n -> omega_n + eta) on the same cases in the same run; without ``--geneus`` only spincharge's column (and the issue-10 speed
target: 32 phases, L = 5 xi, T = 0.05 Tc, points = 24, against points = 48) is computed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent / "geneus"))
import driver  # noqa: E402  (benchmark-only helper next to this script)

from spincharge.numerics.matsubara import inverse_power_tail, positive_frequencies  # noqa: E402

KO_ZERO_T_MAXIMUM = 1.326 * np.pi / 2  # e I_c R_N / Delta of KO-1 at T = 0 (KO 1977)
DUBOS_LONG = 10.82                     # e I_c R_N / E_Th for Delta/E_Th -> inf, T -> 0 (Dubos 2001)


def kulik_omelyanchuk(phase, temperature, gap=1.0, count=20000):
    """KO-1 e I R_N / Delta_0 (formula in the module docstring) for T/Tc and |Delta|/Delta_0; the
    Matsubara sum is explicit to n = count and its 1/w^2 tail is summed in closed form."""
    t = temperature / driver.GAP0_OVER_TC  # T/Delta_0 with GENEUS's Delta_0/Tc
    w = positive_frequencies(t, count)
    c, s = np.cos(phase / 2), np.sin(phase / 2)
    d = np.sqrt((gap * c) ** 2 + w**2)
    finite = np.sum(2 * gap * c / d * np.arctan(gap * s / d))
    return 2 * np.pi * t * (finite + 2 * gap**2 * c * s * inverse_power_tail(t, count, 2))


def parabola_maximum(x, y):
    """Maximum of the parabola through three points (x, y)."""
    a, b, c = np.polyfit(x, y, 2)
    if not a < 0:
        raise ValueError("the three currents do not bracket a maximum; choose other phases")
    return c - b**2 / (4 * a)


def ours(case: str, **parameters):
    """spincharge's junction solver (``spincharge.usadel.junction``) on one GENEUS case: S/N/S or S/F/S of
    length ``length`` (xi0 = GENEUS's xi), KL interfaces G_B/G_N = ``conductance`` (r = L / (G_B/G_N)),
    reservoir gap 1 (GENEUS's reservoirs keep Delta_0 at any T), T/Tc = ``temperature``, ``phases``, Dynes
    broadening ``dynes`` (default GENEUS's scattering 0.01 Delta_0 in every layer and reservoir; Matsubara image
    omega_n -> omega_n + eta). Returns (e I R_N/Delta_0 per phase, NaN where the solver refuses the phase, CPU
    seconds)."""
    from spincharge.usadel.junction import ConvergenceError, Layer, Reservoir, junction

    length, conductance = parameters["length"], parameters.get("conductance", driver.DEFAULT_CONDUCTANCE)
    exchange = parameters.get("exchange") or (0.0, 0.0, 0.0)
    r = 0.0 if conductance is None else length / conductance
    start = time.process_time()
    currents = []
    for phase in parameters["phases"]:  # one at a time: a refused phase (ConvergenceError) is printed as such
        try:
            result = junction(Layer(length, exchange=tuple(exchange)), parameters["temperature"], [phase],
                              left=Reservoir(gap=1.0), right=Reservoir(gap=1.0), interfaces=[r, r],
                              points=parameters.get("points", 32), dynes=parameters.get("dynes", 0.01))
            currents.append(result.current[0])
        except ConvergenceError as refusal:
            print(f"       spincharge refuses {case} at phi = {phase:.4g}: {refusal}", flush=True)
            currents.append(np.nan)
    return np.array(currents), time.process_time() - start


def run_ours():
    """The same cases in spincharge (and the issue-10 speed target); returns {(case, quantity): (value, s)}."""
    rows = {}
    t = 0.01
    phases = np.array([0.25, 0.5, 0.75]) * np.pi
    current, seconds = ours("ko", length=0.2, temperature=t, conductance=100.0, phases=phases)
    for phase, value in zip(phases, current):
        rows[("ko", f"eIR_N/D0 phi={phase / np.pi:.3f}pi")] = (value, seconds / 3)
    for label, options in (("pi/2, G_B=30", dict(length=0.2, conductance=30.0)), ("pi/2, L=0.3", dict(length=0.3))):
        current, seconds = ours("ko", temperature=t, phases=[np.pi / 2], **options)
        rows[("ko", f"eIR_N/D0 {label}")] = (current[0], seconds)
    current, seconds = ours("ko", length=0.2, temperature=t, conductance=None, phases=[np.pi / 2])
    rows[("ko", "pi/2 transparent (spincharge only)")] = (current[0], seconds)
    current, seconds = ours("ko", length=0.2, temperature=t, conductance=100.0, phases=[np.pi / 2], dynes=0.0)
    rows[("ko", "pi/2 eta = 0 (spincharge only)")] = (current[0], seconds)
    length = 5.0
    phases = np.array([0.5, 0.625, 0.75]) * np.pi
    current, seconds = ours("dubos", length=length, temperature=t, conductance=100.0, phases=phases)
    for phase, value in zip(phases, current):
        rows[("dubos", f"eIR_N/E_Th phi={phase / np.pi:.3f}pi")] = (value * length**2, seconds / 3)
    if np.all(np.isfinite(current)):
        rows[("dubos", "eI_cR_N/E_Th (parabola)")] = (parabola_maximum(phases, current) * length**2, seconds)
    current, seconds = ours("sfs", length=1.0, temperature=t, conductance=100.0, exchange=[0.0, 0.0, 3.0],
                               phases=[np.pi / 2])
    rows[("sfs", "eIR_N/D0 h=3D0 phi=pi/2")] = (current[0], seconds)
    # issue 10, point 8: S/N/S CPR at 32 phases, T = 0.05 Tc, L = 5 xi, transparent, 1e-6 relative
    from spincharge.usadel.junction import Layer, junction

    grid = np.linspace(0, np.pi, 32, endpoint=False) + np.pi / 64
    start, wall = time.process_time(), time.perf_counter()
    target = junction(Layer(5.0), 0.05, grid, points=24)
    cpu, wall = time.process_time() - start, time.perf_counter() - wall
    reference = junction(Layer(5.0), 0.05, grid, points=48, frequency_cutoff=20.0)
    deviation = np.max(np.abs(target.current - reference.current)) / np.max(np.abs(reference.current))
    estimate = np.max(target.error) / np.max(np.abs(target.current))
    rows[("target", "32 phases L=5 T=0.05: eI_cR_N/E_Th")] = (target.critical_current() * 25, cpu)
    print(f"target case: CPU {cpu:.2f} s, wall {wall:.2f} s, deviation from 48 points {deviation:.1e}, "
          f"estimate {estimate:.1e} (relative to max |I|)", flush=True)
    return rows


def every_tensor_material():
    """A C1 material with every tensor nonzero (units Delta0, xi0, D0; gamma and alpha ~ 0.3 D0/xi0)."""
    from spincharge.materials import Material

    rng = np.random.default_rng(10)
    relaxation = rng.normal(size=(3, 3))
    return Material(D=np.diag([1.0, 1.2, 0.9]), Gamma=0.05 * (relaxation @ relaxation.T + np.eye(3)),
                    alpha=0.3 * rng.normal(size=(3, 3)), gamma=0.3 * rng.normal(size=(3, 3)),
                    theta=0.1 * rng.normal(size=(3, 3)), kappa=0.1 * rng.normal(size=(3, 3)), h=(0.2, -0.3, 0.1),
                    group="C1", name="every tensor")


def run_every_tensor(count: int, points: int = 24):
    """The issue-10 target junction with every tensor nonzero: CPU time at ``count`` phases, deviation from 2x
    points and a higher frequency cutoff, and the solver's own estimate (relative to max |I|)."""
    from spincharge.usadel.junction import Layer, junction

    layer = Layer.from_material(every_tensor_material(), 5.0)
    grid = np.linspace(0, 2 * np.pi, count, endpoint=False)
    start, wall = time.process_time(), time.perf_counter()
    result = junction(layer, 0.05, grid, points=points)
    cpu, wall = time.process_time() - start, time.perf_counter() - wall
    reference = junction(layer, 0.05, grid, points=2 * points, frequency_cutoff=20.0)
    scale = np.max(np.abs(reference.current))
    deviation = np.max(np.abs(result.current - reference.current)) / scale
    print(f"every tensor, {count} phases, points = {points}: CPU {cpu:.1f} s, wall {wall:.1f} s; deviation from "
          f"{2 * points} points {deviation:.1e}, estimate {np.max(result.error) / scale:.1e}; I_c+ = "
          f"{result.critical_currents()[0]:.6f}, I_c- = {result.critical_currents()[1]:.6f} (Delta0/e R_N)", flush=True)
    return cpu, deviation


def run_cases(converge: Path, workdir: Path):
    """Run every case in GENEUS, print one row per quantity and return the rows. A GENEUS failure (its
    BVP solver not converging at some energy) is printed as such and the case goes on without it."""
    rows = []

    def row(case, quantity, geneus, witness, seconds):
        deviation = (geneus - witness) / abs(witness) if witness is not None and geneus is not None else None
        rows.append((case, quantity, geneus, witness, deviation, seconds))
        value = f"{geneus:10.5g}" if geneus is not None else f"{'failed':>10s}"
        ref = f"{witness:.4f}" if witness is not None else "-"
        dev = f"{deviation:+.2%}" if deviation is not None else "-"
        print(f"{case:6s} {quantity:34s} {value} {ref:>10s} {dev:>8s} {seconds:7.1f} s", flush=True)

    def point(folder, length, phase, **options):
        start = time.perf_counter()
        try:
            done = driver.current_phase(converge, length, [phase], workdir=workdir / folder, **options)
        except driver.GeneusError as failure:
            print(f"       {failure}", flush=True)
            return None, time.perf_counter() - start
        return float(done.current[0]), float(done.seconds[0])

    t = 0.01
    # KO: short junction
    ko = {}
    for phase in np.array([0.5, 0.25, 0.75]) * np.pi:
        ko[phase] = point(f"ko_{phase / np.pi:.3f}", 0.2, phase, temperature=t, conductance=100.0)
        row("ko", f"eIR_N/D0 phi={phase / np.pi:.3f}pi", *ko[phase][:1], kulik_omelyanchuk(phase, t),
            ko[phase][1])
    half = np.pi / 2
    i30, s30 = point("ko_g30", 0.2, half, temperature=t, conductance=30.0)
    row("ko", "eIR_N/D0 pi/2, G_B=30", i30, kulik_omelyanchuk(half, t), s30)
    il, sl = point("ko_l03", 0.3, half, temperature=t, conductance=100.0)
    row("ko", "eIR_N/D0 pi/2, L=0.3", il, kulik_omelyanchuk(half, t), sl)
    i100 = ko[half][0]
    if None not in (i100, i30, il):
        a = (i100 - i30) / (1 / 30 - 1 / 100)
        b = (i100 - il) / (0.3**2 - 0.2**2)
        row("ko", "pi/2 extrapolated G_B->inf, L->0", i100 + a / 100 + b * 0.2**2, kulik_omelyanchuk(half, t), 0.0)
        print(f"       (fit: a = {a:.3f}, b = {b:.3f})", flush=True)
    print(f"       KO-1 T->0 maximum: {max(kulik_omelyanchuk(p, 1e-4) for p in np.linspace(1.9, 2.05, 151)):.4f}"
          f" vs 1.326 pi/2 = {KO_ZERO_T_MAXIMUM:.4f}", flush=True)

    # Dubos: long junction
    length = 5.0
    phases = np.array([0.5, 0.625, 0.75]) * np.pi
    long = [point(f"dubos_{phase / np.pi:.3f}", length, phase, temperature=t, conductance=100.0)
            for phase in phases]
    for phase, (current, seconds) in zip(phases, long):
        row("dubos", f"eIR_N/E_Th phi={phase / np.pi:.3f}pi", None if current is None else current * length**2,
            None, seconds)
    if all(current is not None for current, _ in long):
        row("dubos", "eI_cR_N/E_Th (parabola)", parabola_maximum(phases, [c for c, _ in long]) * length**2,
            DUBOS_LONG, sum(s for _, s in long))

    # S/F/S
    current, seconds = point("sfs", 1.0, half, temperature=t, conductance=100.0, exchange=[0.0, 0.0, 3.0])
    row("sfs", "eIR_N/D0 h=3D0 phi=pi/2", current, None, seconds)

    # Proximity DOS at the centre of the long junction (phi = pi/2 run above). GENEUS's S | N | vacuum
    # configuration (driver.proximity_config) fails at its first energy for G_B/G_N = 100 and 10.
    if long[0][0] is not None:
        dos = driver.read_density(workdir / "dubos_0.500" / "phase000")
        centre = dos.sel(z=length / 2, method="nearest")
        for energy in (0.05, 0.5, 1.0, 2.0, 10.0):
            row("dos", f"N(z=L/2, E={energy:g} D0)", float(centre.sel(energy=energy, method="nearest")),
                1.0 if energy >= 0.5 else None, 0.0)
        positive = centre.sel(energy=slice(0, None))
        row("dos", "int_0^30 (N-1) dE / D0", np.trapezoid(positive.values - 1, positive.energy.values), None, 0.0)
        compare_density_of_states(workdir)
    return rows


def compare_density_of_states(workdir: Path, length: float = 5.0, conductance: float = 100.0, eta: float = 0.01):
    """spincharge's ``spectrum`` on GENEUS's energy grid against GENEUS's local DOS at the centre of the long
    junction (``dubos_0.500`` run: L = 5 xi, KL G_B/G_N = 100 both ends, phi = pi/2, Dynes eta = 0.01 Delta_0,
    reservoir gap Delta_0); prints the largest and rms deviation of N/N_0 over the grid and spincharge's time."""
    from spincharge.usadel.junction import Layer, Reservoir, spectrum

    centre = driver.read_density(workdir / "dubos_0.500" / "phase000").sel(z=length / 2, method="nearest")
    energy = centre.energy.values
    positive = energy > 0  # N(-E) = N(E): the same numbers twice
    start, wall = time.process_time(), time.perf_counter()
    ours = spectrum([Layer(length)], energy[positive], left=Reservoir(gap=1.0), right=Reservoir(gap=1.0),
                    interfaces=[length / conductance] * 2, phase=np.pi / 2, eta=eta)
    cpu, wall = time.process_time() - start, time.perf_counter() - wall
    node = int(np.argmin(np.abs(ours.x - float(centre.z))))
    deviation = ours.density[:, node] - centre.values[positive]
    print(f"dos    spincharge vs GENEUS at z = {float(centre.z):.3g} xi on {positive.sum()} energies: max |dN| = "
          f"{np.max(np.abs(deviation)):.2g} N_0 (at E = {energy[positive][np.argmax(np.abs(deviation))]:.3g} D0), "
          f"rms {np.sqrt(np.mean(deviation**2)):.2g}; spincharge {cpu:.1f} s CPU, {wall:.1f} s wall", flush=True)


def speed_in_one_run(converge: Path, workdir: Path, phase: float = np.pi / 2):
    """The long KL S/N/S junction (L = 5 xi, G_B/G_N = 100, T = 0.01 Tc, eta = 0.01 Delta_0) at one phase in GENEUS
    and in spincharge, timed in the same run: prints both currents (e I R_N/E_Th), their difference, both times
    (GENEUS wall = its CPU on one core; spincharge CPU and wall) and the ratio."""
    length = 5.0
    start = time.perf_counter()
    geneus = driver.current_phase(converge, length, [phase], workdir=workdir / "speed", temperature=0.01,
                                  conductance=100.0)
    geneus_seconds = time.perf_counter() - start
    wall = time.perf_counter()
    current, cpu = ours("dubos", length=length, temperature=0.01, conductance=100.0, phases=[phase])
    wall = time.perf_counter() - wall
    value, ours_value = float(geneus.current[0]) * length**2, current[0] * length**2
    print(f"speed  L = 5 xi, phi = {phase / np.pi:.3f} pi: GENEUS {value:.5g} E_Th in {geneus_seconds:.1f} s; spincharge "
          f"{ours_value:.5g} E_Th in {cpu:.2f} s CPU ({wall:.2f} s wall); difference {(ours_value - value) / value:+.1e}; "
          f"ratio {geneus_seconds / cpu:.0f} (CPU)", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geneus", type=Path, default=None, help="GENEUS build folder (holds bin/converge); "
                        "without it only spincharge's column is computed")
    parser.add_argument("--workdir", type=Path, default=None, help="keep GENEUS's output files here")
    parser.add_argument("--every-tensor", type=int, default=None, metavar="PHASES",
                        help="only the every-tensor junction (issue 10, point 8) at PHASES phases")
    parser.add_argument("--points", type=int, default=24, help="collocation points for --every-tensor")
    parser.add_argument("--compare-dos", type=Path, default=None, metavar="WORKDIR",
                        help="only compare spincharge's proximity DOS with a finished GENEUS run kept in WORKDIR")
    parser.add_argument("--speed-only", action="store_true",
                        help="with --geneus: only the long junction at phi = pi/2 in both codes, timed in one run")
    args = parser.parse_args(argv)
    if args.speed_only:
        if args.geneus is None:
            parser.error("--speed-only needs --geneus")
        speed_in_one_run(args.geneus / "bin" / "converge", args.workdir or Path(tempfile.mkdtemp(prefix="bench-junctions-")))
        return
    if args.compare_dos is not None:
        compare_density_of_states(args.compare_dos)
        return
    if args.every_tensor is not None:
        run_every_tensor(args.every_tensor, args.points)
        return
    mine = run_ours()
    print(f"{'case':6s} {'quantity':34s} {'spincharge':>10s} {'CPU':>8s}")
    for (case, quantity), (value, seconds) in mine.items():
        shown = f"{value:10.5g}" if np.isfinite(value) else f"{'refused':>10s}"
        print(f"{case:6s} {quantity:34s} {shown} {seconds:7.2f} s")
    ko = kulik_omelyanchuk(np.pi / 2, 0.01)
    print(f"KO-1 at pi/2, T = 0.01 Tc: {ko:.5f}")
    if args.geneus is None:
        return
    converge = args.geneus / "bin" / "converge"
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-junctions-"))
    print(f"{'case':6s} {'quantity':34s} {'GENEUS':>10s} {'witness':>10s} {'dev':>8s} {'time':>9s}")
    rows = run_cases(converge, workdir)
    print(f"{'case':6s} {'quantity':34s} {'GENEUS':>10s} {'spincharge':>10s} {'rel diff':>9s} {'speed ratio':>11s}")
    for case, quantity, geneus, _, _, seconds in rows:
        if (case, quantity) in mine and geneus is not None and np.isfinite(mine[(case, quantity)][0]):
            value, cpu = mine[(case, quantity)]
            ratio = f"{seconds / cpu:11.0f}" if cpu > 0 else "-"
            print(f"{case:6s} {quantity:34s} {geneus:10.5g} {value:10.5g} {(value - geneus) / abs(geneus):+9.2%} {ratio}")
    print(f"GENEUS total {sum(r[5] for r in rows):.1f} s of wall time; outputs in {workdir}")


if __name__ == "__main__":
    main()
