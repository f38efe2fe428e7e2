"""Drive GENEUS (J. A. Ouassou's Riccati-parametrised Usadel solver, github.com/jabirali/geneus) for the
junction benchmarks of issue 10, point 5. Benchmark-only: nothing in ``spincharge`` or its tests imports
this module, and GENEUS itself is built outside the repository by ``build_geneus.sh``.

Cases: S/N/S and S/F/S junctions between bulk BCS reservoirs with phases -phi/2 (left) and +phi/2
(right), and the proximity density of states of an N (or F) layer on a bulk S with a vacuum end.

GENEUS units and conventions (read from its source at commit 06ea91d4, ``src/``; each with the line that
settles it):

- Energies in units of the bulk zero-temperature gap Delta_0: ``material.f90`` documents
  ``voltage (eV/Delta_0)``, ``scattering (eta/Delta_0)``; the ``gap`` key is |Delta|/Delta_0.
- Lengths in units of xi = sqrt(hbar D / Delta_0) (no 2 pi): ``material_conf`` sets
  ``thouless = 1/length**2`` (E_Th/Delta_0 = (xi/L)^2 with E_Th = hbar D/L^2), and ``diffusion.f90`` solves
  in z = x/L in [0, 1] with the energy divided by ``thouless``. So ``length = L/xi = (Delta_0/E_Th)^(1/2)``.
- Temperature in units of Tc with Delta_0/Tc = pi e^-gamma = 1.7638769888620456: ``conductor.f90``
  builds the distribution tanh(0.8819384944310228 E/T)/4 per spin and charge channel, i.e.
  tanh(E/2T) with 0.8819... = 1.76387.../2 (equal to ``spincharge.usadel.GAP0_OVER_TC`` / 2 to the last
  digit). The reservoir gap does not follow T: it stays ``gap`` x Delta_0.
- Real energies E + i eta, eta = ``scattering`` = 0.01 Delta_0 by default (Dynes broadening of the
  reservoirs and of the junction), on a hard-coded grid (``conductor_construct``): 800 points on
  [1e-6, 4] and 200 on [4, 30] Delta_0; 101 positions per layer. Observables are trapezoidal/PCHIP
  integrals over E in [0, 30 Delta_0].
- Charge current normalisation: the spectral current is Re Tr[tau_3 (G^R dG^R h - h G^A dG^A)]/8 with
  d = d/dz (z = x/L) and h = tanh(E/2T) (``propagator_supercurrent``), integrated over E > 0 only. In the
  theta-chi parametrisation this is -Im[sinh^2(theta) d_z chi] tanh(E/2T), whose integral over E > 0 is
  e I R_N by the usual spectral-supercurrent form e I R_N = (1/2) int_-inf^inf dE
  Im[sinh^2 theta L d_x chi] tanh(E/2T) (e.g. Heikkila, Sarkka, Wilhelm, PRB 66, 184513 (2002)), up to
  the sign of the current (derived here from GENEUS's trace: Tr tau_3 G^R dG^R = 4 i sinh^2 theta d chi
  for the 4x4 singlet propagator, and the advanced term adds the complex conjugate). So column 2 of
  ``supercurrent.dat`` is e I R_N / Delta_0 with R_N the normal-state resistance of the layer alone. The
  check: the short junction reproduces Kulik-Omelyanchuk to the few per cent that its finite length and
  interface resistance explain, with no free factor (``benchmarks/bench_junctions.py``).
- Sign: with reservoir phases -phi/2 (left) and +phi/2 (right), the current is positive for 0 < phi < pi
  (the tutorial's S/N/S at left +pi/4, right -pi/4 gives a negative current, docs/txt/02-examples.md).
- Interfaces: ``conductance_a/_b`` = G_B/G_N (tunnel conductance over the layer's normal conductance,
  Kupriyanov-Lukichev; README "normalized relative to the bulk conductance"), so R_B = R_N/G.
  ``transparent_a/_b: T`` (g continuous) fails to converge ("Failed to converge! ... ill-posed problem")
  at the first energy for every length tried (L = 0.2, 1, 3 xi) with this commit and gfortran 12; the
  transparent cases are therefore run as KL interfaces with a large conductance (default 100; 1000
  failed at L = 0.2 xi), whose effect is measured by varying it. Even with KL interfaces GENEUS's BVP
  solver fails at some points (e.g. L = 0.2 xi, G_B/G_N = 100, phi = pi/4 at E = 23.76 Delta_0, while
  phi = pi/2 converges); ``run`` raises GeneusError with GENEUS's message then.
- Exchange field: ``magnetization: [hx, hy, hz]`` in units of Delta_0, entering as E -> E +- |h| for the
  two spin bands (``ferromagnet.f90``: d2g -= i (h g - g h~)/E_Th, beside the -2 i E g/E_Th term).
- DOS: ``density.dat`` holds blocks per position z (in xi, cumulative over the non-reservoir layers) of
  (z, E, N(E)/N_0, spin-resolved parts), N_0 the normal-state DOS per spin.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

GAP0_OVER_TC = 1.7638769888620456  # GENEUS's Delta_0/Tc (pi e^-gamma), see the module docstring
DEFAULT_CONDUCTANCE = 100.0


def _number(value) -> str:
    # Plain decimal text for GENEUS's fparser (repr of a numpy scalar would read "np.float64(...)").
    return format(float(value), ".17g")


def length_from_thouless(thouless: float) -> float:
    """L/xi for a Thouless energy E_Th/Delta_0 (GENEUS: E_Th/Delta_0 = (xi/L)^2)."""
    if not thouless > 0:
        raise ValueError(f"thouless must be > 0 (E_Th/Delta_0), got {thouless!r}")
    return float(thouless) ** -0.5


def _interface_lines(conductance: float | None) -> list[str]:
    if conductance is None:
        return ["  transparent_a: T", "  transparent_b: T"]
    if not conductance > 0:
        raise ValueError(f"conductance must be > 0 (G_B/G_N) or None (transparent), got {_number(conductance)}")
    return [f"  conductance_a: {_number(conductance)}", f"  conductance_b: {_number(conductance)}"]


def _layer(length: float, temperature: float, conductance: float | None, exchange, scattering) -> list[str]:
    if not length > 0:
        raise ValueError(f"length must be > 0 (L/xi), got {length!r}")
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0 (T/Tc), got {temperature!r}")
    if not scattering > 0:
        raise ValueError(f"scattering must be > 0 (eta/Delta_0), got {scattering!r}")
    kind = "conductor" if exchange is None else "ferromagnet"
    lines = [f"[{kind}]", f"  length: {_number(length)}", f"  temperature: {_number(temperature)}",
             f"  scattering: {_number(scattering)}"]
    if exchange is not None:
        h = np.asarray(exchange, dtype=float)
        if h.shape != (3,):
            raise ValueError(f"exchange must be a 3-vector (h/Delta_0), got {exchange!r}")
        lines.append("  magnetization: [" + ",".join(_number(x) for x in h) + "]")
    return lines + _interface_lines(conductance)


def _reservoir(phase_over_pi: float, gap: float) -> list[str]:
    return ["[superconductor]", "  order: 0", f"  gap: {_number(gap)}", f"  phase: {_number(phase_over_pi)}"]


def junction_config(length: float, phase: float, *, temperature: float = 0.01,
                    conductance: float | None = DEFAULT_CONDUCTANCE, exchange=None, gap: float = 1.0,
                    scattering: float = 0.01) -> str:
    """GENEUS configuration of S/N/S (``exchange=None``) or S/F/S (exchange field h/Delta_0, 3-vector):
    length L/xi, phase difference ``phase`` in radians (reservoirs at -phase/2 and +phase/2), T/Tc,
    interface conductance G_B/G_N (None: GENEUS's transparent condition), reservoir gap/Delta_0."""
    lines = (_reservoir(-phase / (2 * np.pi), gap)
             + _layer(length, temperature, conductance, exchange, scattering)
             + _reservoir(phase / (2 * np.pi), gap))
    return "\n".join(lines) + "\n"


def proximity_config(length: float, *, temperature: float = 0.01,
                     conductance: float | None = DEFAULT_CONDUCTANCE, exchange=None, gap: float = 1.0,
                     scattering: float = 0.01) -> str:
    """GENEUS configuration of a bulk S reservoir (phase 0) | N or F layer of length L/xi | vacuum.

    At commit 06ea91d4 GENEUS fails on it at its first energy (L = 2 xi, G_B/G_N = 100 and 10); its
    vacuum end takes the vacuum propagator G0 = propagator() as the neighbour (``diffusion.f90``).
    ``bench_junctions.py`` therefore reads the proximity DOS at the centre of a long S/N/S junction."""
    layer = _layer(length, temperature, conductance, exchange, scattering)
    # The vacuum end has no interface; GENEUS ignores conductance_b there, so only _a is kept.
    layer = [line for line in layer if not line.strip().startswith(("conductance_b", "transparent_b"))]
    return "\n".join(_reservoir(0.0, gap) + layer) + "\n"


def _unlimited_stack():
    # GENEUS's README asks for `ulimit -s unlimited`: its recursive solvers put large arrays on the stack.
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    resource.setrlimit(resource.RLIMIT_STACK, (hard, hard))


@dataclass(frozen=True)
class Run:
    """One GENEUS run: the wall time of the executable and its output folder."""

    directory: Path
    seconds: float


class GeneusError(RuntimeError):
    """GENEUS exited with an error (its last output lines are in the message)."""


def run(executable: str | os.PathLike, config: str, *, directory: str | os.PathLike | None = None,
        timeout: float = 900.0) -> Run:
    """Write ``config`` to ``geneus.conf`` in ``directory`` (a new temporary folder if None), run
    ``executable`` on it there with an unlimited stack, and time it. Raises GeneusError on failure
    (GENEUS's own exit status is 0 even when it reports "Failed to converge", so its log is checked)."""
    executable = Path(executable).resolve()
    if not executable.is_file():
        raise ValueError(f"executable must be a GENEUS program, got {str(executable)!r}")
    folder = Path(directory) if directory is not None else Path(tempfile.mkdtemp(prefix="geneus-"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "geneus.conf").write_text(config)
    start = time.perf_counter()
    with open(folder / "geneus.log", "wb") as log:
        done = subprocess.run([str(executable), "geneus.conf"], cwd=folder, stdout=log,
                              stderr=subprocess.STDOUT, preexec_fn=_unlimited_stack, timeout=timeout)
    seconds = time.perf_counter() - start
    text = (folder / "geneus.log").read_text(errors="replace")
    if done.returncode != 0 or "ERROR" in text or "STEADY STATE" not in text:
        tail = text.replace("\r", "\n").strip().splitlines()[-2:]
        raise GeneusError(f"GENEUS failed in {folder} (exit {done.returncode}): {' | '.join(tail)}")
    return Run(folder, seconds)


def read_supercurrent(directory: str | os.PathLike) -> xr.DataArray:
    """Charge supercurrent e I R_N / Delta_0 against position z/xi from ``supercurrent.dat``."""
    data = np.loadtxt(Path(directory) / "supercurrent.dat", ndmin=2)
    return xr.DataArray(data[:, 1], coords={"z": data[:, 0]}, dims="z", name="current",
                        attrs={"units": "Delta_0/(e R_N)", "z_units": "xi"})


def read_density(directory: str | os.PathLike) -> xr.DataArray:
    """Spin-summed local DOS N(E)/N_0 on (z/xi, E/Delta_0) from ``density.dat``."""
    data = np.loadtxt(Path(directory) / "density.dat", ndmin=2)
    z = np.unique(data[:, 0])
    energy = data[: data.shape[0] // z.size, 1]
    values = data[:, 2].reshape(z.size, energy.size)
    return xr.DataArray(values, coords={"z": z, "energy": energy}, dims=("z", "energy"), name="density",
                        attrs={"units": "N_0", "z_units": "xi", "energy_units": "Delta_0"})


def current_phase(executable, length: float, phases, *, workdir=None, **options) -> xr.Dataset:
    """Current-phase relation of an S/N/S or S/F/S junction, one ``converge`` run per phase (radians).

    Returns a Dataset on ``phase`` with ``current`` (e I R_N/Delta_0, the mean over positions),
    ``spread`` (max - min over positions: GENEUS's current-conservation error) and ``seconds`` (wall
    time per phase); ``options`` go to ``junction_config`` and are stored as attributes."""
    phases = np.atleast_1d(np.asarray(phases, dtype=float))
    current, spread, seconds = [], [], []
    for k, phase in enumerate(phases):
        folder = None if workdir is None else Path(workdir) / f"phase{k:03d}"
        done = run(executable, junction_config(length, phase, **options), directory=folder)
        profile = read_supercurrent(done.directory)
        current.append(float(profile.mean()))
        spread.append(float(profile.max() - profile.min()))
        seconds.append(done.seconds)
    attrs = {"length_xi": length, **{k: repr(v) for k, v in options.items()}}
    return xr.Dataset({"current": ("phase", current, {"units": "Delta_0/(e R_N)"}),
                       "spread": ("phase", spread, {"units": "Delta_0/(e R_N)"}),
                       "seconds": ("phase", seconds, {"units": "s"})},
                      coords={"phase": ("phase", phases, {"units": "rad"})}, attrs=attrs)


def density_of_states(executable, length: float, *, workdir=None, **options) -> tuple[xr.DataArray, float]:
    """Local DOS of an N (or F, ``exchange=...``) layer on a bulk S with a vacuum end (one ``converge``
    run); returns (N(z, E)/N_0, wall seconds). ``options`` go to ``proximity_config``."""
    done = run(executable, proximity_config(length, **options), directory=workdir)
    return read_density(done.directory), done.seconds
