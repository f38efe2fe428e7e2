"""A single-domain magnet on a TI surface driven by gate fields (paper 002, Eqs. 1, 12-17).

Torques on m = S/S (hbar = 1, internal units):

* precession m x b with b = b_ext + omega_K m_z z (energy per spin E/S = -b_ext . m - (omega_K / 2) m_z^2;
  omega_K > 0 easy axis, < 0 easy plane); for an electron-like moment in a magnetic field B, b_ext = -gamma B;
* field-like SOT (J_sd A) m x s_par from a dc bias, s_par = e sigma_0 / (2 pi v) z x E_bias (text before Eq. 3);
* the gate wave E = x E_gate cos(omega t - q x) at x = position: the full s of
  :func:`spincharge.diffusive.gate_spin_density`, i.e. the diffusive SOT (J_sd A) m x z s_z (Eq. 14) and the
  gate's own in-plane response, which carries the factor i omega / (i omega - D q^2) (a longitudinal field
  is screened by diffusion) and is tiny for omega << D q^2;
* damping m x (G dm/dt), G = -alpha 1 + G_TI(m) (:func:`spincharge.diffusive.gilbert_damping`).

The electron parameters follow m (Delta_z = Delta_sd m_z), so sigma_0, D, sigma_H and the torques change as
m moves. The gate field is taken as the steady periodic response (its switch-on transient decays in 1/(D q^2),
picoseconds, far below the magnet's time scales).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numba
import numpy as np

from ..diffusive import analytic, field_like_spin_density, gate_spin_density, gilbert_damping
from ..diffusive.torque import ELECTRON_CHARGE
from ..models.dirac_ferromagnet import DiracFerromagnet
from ..results import Result
from .llg import DAMPING_SIGNATURE, TORQUE_SIGNATURE, Trajectory, cross3, integrate_llg

__all__ = ["MagnetOnTI", "simulate", "paper_system", "DriftMap", "stroboscopic_drift"]


@dataclass(frozen=True)
class MagnetOnTI:
    """Macrospin + TI electrons + gate drive. All quantities in internal units (hbar = e = 1).

    Parameters
    ----------
    electrons : DiracFerromagnet
        TI electrons; its ``m`` is replaced by the instantaneous magnetisation.
    exchange_area : float
        J_sd A (energy x area), with the sign of ``electrons.exchange``.
    anisotropy : float
        omega_K (frequency); field : 3-vector b_ext (frequency); gilbert : intrinsic alpha >= 0.
    gate_amplitude, gate_wavevector, gate_frequency, position : float
        E_gate, q (> 0), omega (>= 0) and the magnet's x of E = x E_gate cos(omega t - q x).
    bias_field : 2-vector
        dc in-plane field E_bias driving the field-like torque.
    ti_damping : bool
        Include the TI Gilbert tensor of Eq. (17).
    gate_field_like : bool
        Include the in-plane (field-like) part of the gate's response (False isolates the diffusive torque).
    """

    electrons: DiracFerromagnet
    exchange_area: float
    anisotropy: float = 0.0
    field: tuple[float, float, float] = (0.0, 0.0, 0.0)
    gilbert: float = 0.0
    gate_amplitude: float = 0.0
    gate_wavevector: float = 1.0
    gate_frequency: float = 0.0
    position: float = 0.0
    bias_field: tuple[float, float] = (0.0, 0.0)
    ti_damping: bool = True
    gate_field_like: bool = True

    def __post_init__(self):
        if not (np.isfinite(self.exchange_area) and self.exchange_area * self.electrons.exchange >= 0):
            raise ValueError(f"exchange_area must be finite with the sign of the exchange, got {self.exchange_area!r}")
        if not (np.isfinite(self.gilbert) and self.gilbert >= 0):
            raise ValueError(f"gilbert must be finite and >= 0, got {self.gilbert!r}")
        if not (np.isfinite(self.gate_wavevector) and self.gate_wavevector > 0):
            raise ValueError(f"gate_wavevector must be finite and > 0, got {self.gate_wavevector!r}")
        if not (np.isfinite(self.gate_frequency) and self.gate_frequency >= 0):
            raise ValueError(f"gate_frequency must be finite and >= 0, got {self.gate_frequency!r}")
        for name, size in (("field", 3), ("bias_field", 2)):
            value = np.asarray(getattr(self, name), dtype=float)
            if value.shape != (size,) or not np.all(np.isfinite(value)):
                raise ValueError(f"{name} must be a finite {size}-vector, got {getattr(self, name)!r}")
            object.__setattr__(self, name, tuple(float(c) for c in value))

    def _electrons_at(self, m) -> DiracFerromagnet:
        return replace(self.electrons, m=tuple(m))

    def spin_density(self, m, t: float) -> np.ndarray:
        """Non-equilibrium electron spin density s(t) at the magnet: dc bias (q = 0) plus the gate's wave."""
        electrons = self._electrons_at(m)
        s = field_like_spin_density(electrons, np.asarray(self.bias_field))
        if self.gate_amplitude != 0:
            gate = gate_spin_density(
                electrons, self.gate_amplitude, self.gate_wavevector, self.gate_frequency, self.position, t
            )
            if not self.gate_field_like:
                gate[:2] = 0.0
            s = s + gate
        return s

    def torque(self, m, t: float) -> np.ndarray:
        precession = np.asarray(self.field) + np.array([0.0, 0.0, self.anisotropy * m[2]])
        return cross3(m, precession + self.exchange_area * self.spin_density(m, t))

    def damping(self, m) -> np.ndarray:
        tensor = -self.gilbert * np.eye(3)
        if self.ti_damping:
            tensor = tensor + gilbert_damping(self.electrons, exchange_area=self.exchange_area, m=m).tensor
        return tensor

    def diffusion_rate(self) -> float:
        """D q^2 at the electrons' present m (the gate is adiabatic for the spins if omega << D q^2)."""
        return analytic.diffusion_constant(self.electrons) * self.gate_wavevector**2

    def parameters(self) -> np.ndarray:
        """The constants of :func:`compiled_torque` and :func:`compiled_damping`, in their order."""
        e = self.electrons
        return np.array([
            *self.field, self.anisotropy, self.exchange_area, *self.bias_field, self.gate_amplitude,
            self.gate_wavevector, self.gate_frequency, self.position, self.gilbert, float(self.ti_damping),
            float(self.gate_field_like), e.v, e.fermi_energy, e.exchange, e.disorder_alpha, ELECTRON_CHARGE,
        ])


@numba.njit(cache=True)
def _responses(mz, p):
    """(sigma_0, sigma_H, D, Delta_z) at Delta_z = Delta_sd m_z: Eq. (10), D = v^2 sigma_0 / eps (as
    :mod:`spincharge.diffusive.analytic`)."""
    v, e, d, alpha = p[14], p[15], p[16] * mz, p[17]
    if e <= abs(d):
        raise ValueError("fermi_energy must exceed |Delta_z| = |exchange m_z|")
    sigma_0 = (e**2 - d**2) / (np.pi * alpha * (e**2 + 3 * d**2))
    return sigma_0, 8 * e * d**3 / (e**2 + 3 * d**2) ** 2, v**2 * sigma_0 / e, d


@numba.njit(TORQUE_SIGNATURE, cache=True)
def compiled_torque(m, t, p):
    """:meth:`MagnetOnTI.torque` compiled, p = :meth:`MagnetOnTI.parameters` (dc bias: text before Eq. 3;
    gate: Eqs. 9, 11, 14 as in :func:`spincharge.diffusive.gate_spin_density`)."""
    sigma_0, sigma_h, diffusion, delta = _responses(m[2], p)
    exchange_area, amplitude, q, omega, v, charge = p[4], p[7], p[8], p[9], p[14], p[18]
    s = charge * sigma_0 / (2 * np.pi * v) * np.array([-p[6], p[5], 0.0])
    if amplitude != 0:
        phase = omega * t - q * p[10]
        cos, sin = np.cos(phase), np.sin(phase)
        denominator = omega**2 + diffusion**2 * q**4
        coefficient = charge * delta * diffusion / (2 * np.pi * v**2)
        s[2] += coefficient * amplitude * q / denominator * (diffusion * q**2 * sin - omega * cos)
        if p[13] != 0:
            pole = charge * amplitude / (2 * np.pi * v) * (omega**2 * cos - omega * diffusion * q**2 * sin) / denominator
            s[0] += pole * sigma_h
            s[1] += pole * sigma_0
    b = np.array([p[0], p[1], p[2] + p[3] * m[2]]) + exchange_area * s
    return cross3(m, b)


@numba.njit(DAMPING_SIGNATURE, cache=True)
def compiled_damping(m, p):
    """:meth:`MagnetOnTI.damping` compiled: -alpha 1 + the TI tensor of Eq. (17) at m."""
    tensor = -p[11] * np.eye(3)
    if p[12] != 0:
        sigma_0, sigma_h, _, _ = _responses(m[2], p)
        prefactor = p[4] * p[16] / (2 * np.pi * p[14] ** 2)
        tensor[0, 0] -= prefactor * sigma_0
        tensor[1, 1] -= prefactor * sigma_0
        tensor[0, 1] -= prefactor * sigma_h
        tensor[1, 0] += prefactor * sigma_h
    return tensor


def simulate(system: MagnetOnTI, m0, duration: float, dt: float, *, save_every: int = 1) -> Trajectory:
    """Integrate paper 002, Eq. (1) for ``system`` from m0 (Cayley midpoint, :func:`.llg.integrate_llg`,
    with the compiled torque and damping)."""
    return integrate_llg(m0, duration, dt, torque=compiled_torque, damping=compiled_damping,
                         parameters=system.parameters(), save_every=save_every)


def paper_system(
    *,
    theta: float = np.pi / 4,
    conductivity: float = 10.0,
    exchange_eV: float = 0.1,
    fermi_energy_eV: float = 0.2,
    velocity_m_s: float = 1e6,
    grating_period_m: float = 1e-6,
    gate_frequency_Hz: float = 1e8,
    gate_field_V_m: float = 1e5,
    cell_area_m2: float = 0.25e-18,
    spin: float = 1.0,
    gilbert: float = 0.01,
    anisotropy_T: float = 0.0,
    gyromagnetic_ratio: float = 1.76e11,
    ti_damping: bool = True,
    gate_field_like: bool = True,
):
    """The paper's physical parameters (text after Eq. 15) in internal units, and the unit system used.

    Paper 002 gives sigma_0 ~ 10, Delta_sd ~ 0.1 eV, v ~ 1e6 m/s, 2 pi / q ~ 1 um, omega ~ 100 MHz and m at
    45 degrees. Not given there, chosen here: the Fermi energy (0.2 eV; alpha is set so that sigma_0 of
    Eq. 10 equals ``conductivity`` at the initial m), J_sd = Delta_sd / S with S = ``spin`` per cell of area
    ``cell_area_m2``, the gate field strength, the intrinsic damping, and an easy-axis (> 0) or easy-plane
    (< 0) anisotropy field ``anisotropy_T`` entering as omega_K = gyromagnetic_ratio * anisotropy_T.
    Returns (MagnetOnTI, UnitSystem) with E0 = Delta_sd and L0 = hbar v / E0.
    """
    from ..units import UnitSystem

    units = UnitSystem.from_velocity(exchange_eV, velocity_m_s)
    eps = fermi_energy_eV / exchange_eV
    m = (np.sin(theta), 0.0, np.cos(theta))
    delta_z = m[2]
    alpha = (eps**2 - delta_z**2) / (np.pi * conductivity * (eps**2 + 3 * delta_z**2))
    electrons = DiracFerromagnet(1.0, eps, 1.0, m, alpha)
    area = cell_area_m2 / units.length_m**2
    system = MagnetOnTI(
        electrons,
        exchange_area=1.0 / spin * area,
        anisotropy=float(units.from_si(gyromagnetic_ratio * anisotropy_T, "angular_frequency")),
        gilbert=gilbert,
        gate_amplitude=float(units.from_si(gate_field_V_m, "electric_field")),
        gate_wavevector=2 * np.pi / float(units.from_si(grating_period_m, "length")),
        gate_frequency=float(units.from_si(2 * np.pi * gate_frequency_Hz, "angular_frequency")),
        ti_damping=ti_damping,
        gate_field_like=gate_field_like,
    )
    return system, units


@dataclass(frozen=True)
class DriftMap(Result):
    """Net change of m_z over one gate period, ``drift``, starting from each ``mz`` (stroboscopic map).

    ``error`` is the change of the drift when the step is doubled (second-order scheme: error ~ change/3).
    """
    _dims = {"mz": ("mz",), "drift": ("mz",)}

    mz: np.ndarray
    drift: np.ndarray
    error: float
    steps_per_period: int

    def iterate(self, mz0: float, periods: int) -> np.ndarray:
        """Stroboscopic m_z after 0, 1, ..., ``periods`` periods: m_z(n + 1) = m_z(n) + drift(m_z(n)), the drift
        linearly interpolated between the computed ``mz``; ValueError if the orbit leaves that range."""
        orbit = [float(mz0)]
        for _ in range(periods):
            if not self.mz.min() <= orbit[-1] <= self.mz.max():
                raise ValueError(f"the orbit left the computed mz range [{self.mz.min()}, {self.mz.max()}]")
            orbit.append(orbit[-1] + float(np.interp(orbit[-1], self.mz, self.drift)))
        return np.array(orbit)

    def periods_to_reach(self, start: float, target: float) -> float:
        """Periods for the averaged flow dm_z/dN = drift(m_z) to carry m_z from start to target (inf if never)."""
        grid = np.linspace(start, target, 400)
        rate = np.interp(grid, self.mz, self.drift)
        if np.any(rate * np.sign(target - start) <= 0):
            return float("inf")
        return float(np.trapezoid(1.0 / rate, grid))


def stroboscopic_drift(system: MagnetOnTI, mz_values, *, steps_per_period: int = 400) -> DriftMap:
    """m_z(T) - m_z(0) over one gate period T = 2 pi / omega, for an axially symmetric drive.

    Requires the diffusive torque alone (``gate_field_like=False``), no bias and b_ext along z, so that the
    drift depends on m_z only (every torque and the damping tensor are invariant under rotations about z).
    """
    if system.gate_field_like or any(system.bias_field) or any(system.field[:2]) or system.gate_frequency <= 0:
        raise ValueError("system must be axially symmetric: gate_field_like=False, no bias, field along z, omega > 0")
    period = 2 * np.pi / system.gate_frequency
    mz_values = np.asarray(mz_values, dtype=float)
    if mz_values.size == 0 or not np.all(np.abs(mz_values) <= 1):
        raise ValueError(f"mz_values must be m_z components in [-1, 1] (at least one), got {mz_values!r}")
    drifts = []
    for steps in (steps_per_period, steps_per_period // 2):
        row = []
        for mz in mz_values.ravel():
            m0 = np.array([np.sqrt(1 - mz**2), 0.0, mz])
            trajectory = simulate(system, m0, period, period / steps, save_every=steps)
            row.append(trajectory.m[-1, 2] - mz)
        drifts.append(np.array(row).reshape(mz_values.shape))
    # scalars in, scalars out ([()] turns a 0-d array into a number and leaves arrays alone)
    return DriftMap(mz_values[()], drifts[0][()], float(np.abs(drifts[0] - drifts[1]).max() / 3), steps_per_period)
