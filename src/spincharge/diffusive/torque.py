"""Diffusive spin-orbit torque from an inhomogeneous in-plane electric field (paper 002, Eqs. 11-15).

Linear response (paper 002, Eq. 3, with the normalisation and sign settled in docs/conventions.md):

    s(q, omega) = (1 / (2 pi v^2)) K(q, omega) [e v (z x E) + i omega Delta_sd m]      (hbar = 1),

e the carrier charge (-1 for electrons in units of the elementary charge). With K_zx = Q_y, K_zy = -Q_x and
Q of Eq. (11), the out-of-plane spin density is

    s_z(q, omega) = e Delta_z D / (2 pi v^2) * (i q . E) / (D q^2 - i omega),

i.e. in space-time s_z = c P * (div E), c = e Delta_z D / (2 pi v^2), with the retarded diffusion kernel
P(r, t) = theta(t) exp(-r^2 / 4 D t) / (4 pi D t) (its transform is 1 / (D q^2 - i omega) in the
exp(-i omega t + i q r) convention). The torque T = (J_sd A / hbar) m x s (Eq. 1) is then
T_diff = m x m_perp int L (div E) with L = (J_sd A) e Delta_sd D / (2 pi v^2) P: paper 002, Eqs. (12)-(13).

On a grid: FFT in space (periodic box), and per Fourier mode the causal equation
d s_q / dt = -D q^2 s_q + c (i q . E_q)(t), integrated exactly for E piecewise linear between the samples
(exponential integrator), starting from s = 0 when the field is switched on at the first sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..models.dirac_ferromagnet import DiracFerromagnet
from ..results import Result
from . import analytic
from .analytic import diffusion_constant

__all__ = [
    "ELECTRON_CHARGE",
    "spin_density_coefficient",
    "diffusion_kernel",
    "plane_wave_spin_density",
    "DiffusiveSpinDensity",
    "diffusive_spin_density",
    "diffusive_torque",
    "field_like_spin_density",
    "gate_spin_density",
    "diffusive_to_field_like_ratio",
]

#: carrier charge in units of the elementary charge (paper 002: e = -|e|)
ELECTRON_CHARGE = -1.0


def spin_density_coefficient(model: DiracFerromagnet, charge: float = ELECTRON_CHARGE) -> float:
    """c = e Delta_z D / (2 pi v^2): s_z = c P * div E (hbar = 1)."""
    return charge * model.exchange_z * diffusion_constant(model) / (2 * np.pi * model.v**2)


def diffusion_kernel(model: DiracFerromagnet, r, t, *, exchange_area: float = 1.0, charge: float = ELECTRON_CHARGE):
    """L(r, t) of paper 002, Eq. (13): (J_sd A) e Delta_sd D / (2 pi v^2) theta(t) exp(-r^2/4Dt) / (4 pi D t).

    ``exchange_area`` is J_sd A (energy x area). Zero for t <= 0 (causality).
    """
    d = diffusion_constant(model)
    r, t = np.broadcast_arrays(np.asarray(r, float), np.asarray(t, float))
    positive = t > 0
    safe_t = np.where(positive, t, 1.0)
    heat = np.where(positive, np.exp(-(r**2) / (4 * d * safe_t)) / (4 * np.pi * d * safe_t), 0.0)
    return exchange_area * charge * model.exchange * d / (2 * np.pi * model.v**2) * heat


def plane_wave_spin_density(
    model: DiracFerromagnet, amplitude: float, q: float, omega: float, x, t, charge: float = ELECTRON_CHARGE
):
    """s_z for E = x E_gate cos(omega t - q x) (paper 002, Eq. 14, divided by the torque prefactor).

    s_z = c E_gate q / (omega^2 + D^2 q^4) (D q^2 sin(omega t - q x) - omega cos(omega t - q x)); for
    omega << D q^2 it lags the field by pi/2: s_z -> (c / D) (E_gate / q) sin(omega t - q x) (Eq. 15).
    """
    d = diffusion_constant(model)
    phase = omega * np.asarray(t) - q * np.asarray(x)
    c = spin_density_coefficient(model, charge)
    return c * amplitude * q / (omega**2 + d**2 * q**4) * (d * q**2 * np.sin(phase) - omega * np.cos(phase))


@dataclass(frozen=True)
class DiffusiveSpinDensity(Result):
    """s_z(t, x, y) on the grid (``spin_density``, shape (nt, nx, ny)) and the settings used.

    ``error`` estimates the time-discretisation error as the largest change when the same field is
    integrated with every second sample (a second-order scheme: error ~ (change) / 3).
    """
    _dims = {"spin_density": ("t", "x", "y")}
    _units = {"dx": "L0", "dy": "L0", "dt": "hbar / E0", "diffusion_constant": "E0 L0^2"}

    def _coordinates(self):
        nt, nx, ny = np.shape(self.spin_density)
        return {"t": self.dt * np.arange(nt), "x": self.dx * np.arange(nx), "y": self.dy * np.arange(ny)}

    spin_density: np.ndarray
    dx: float
    dy: float
    dt: float
    coefficient: float
    diffusion_constant: float
    error: float

    def torque(self, m, exchange_area: float = 1.0) -> np.ndarray:
        """T = (J_sd A) m x z s_z, shape (nt, nx, ny, 3) (paper 002, Eqs. 1 and 12; hbar = 1)."""
        axis = np.cross(np.asarray(m, float), [0.0, 0.0, 1.0])
        return exchange_area * self.spin_density[..., None] * axis


def _phi_functions(z):
    """phi1(z) = (e^z - 1)/z, phi2(z) = (e^z - 1 - z)/z^2, with Taylor series for small |z|."""
    small = np.abs(z) < 1e-3
    zs = np.where(small, 1.0, z)
    phi1 = np.where(small, 1 + z / 2 + z**2 / 6 + z**3 / 24, np.expm1(zs) / zs)
    phi2 = np.where(small, 0.5 + z / 6 + z**2 / 24 + z**3 / 120, (np.expm1(zs) - zs) / zs**2)
    return phi1, phi2


def _integrate_modes(source, decay, dt):
    """Exact solution of ds/dt = -decay s + source(t), source linear between samples, s(0) = 0."""
    z = -decay * dt
    propagator = np.exp(z)
    phi1, phi2 = _phi_functions(z)
    out = np.zeros_like(source)
    for n in range(len(source) - 1):
        out[n + 1] = propagator * out[n] + dt * (phi1 * source[n] + phi2 * (source[n + 1] - source[n]))
    return out


def diffusive_spin_density(
    model: DiracFerromagnet, gate_field, *, dx: float, dy: float, dt: float, charge: float = ELECTRON_CHARGE
) -> DiffusiveSpinDensity:
    """s_z(t, x, y) = c P * div E for an in-plane field sampled on a periodic grid (paper 002, Eq. 12).

    Parameters
    ----------
    gate_field : array (nt, nx, ny, 2)
        E_x, E_y at t_n = n dt, x_i = i dx, y_j = j dy (periodic in x and y), internal units.
    """
    field = np.asarray(gate_field, dtype=float)
    if field.ndim != 4 or field.shape[-1] != 2 or field.shape[0] < 3:
        raise ValueError(f"gate_field must have shape (nt >= 3, nx, ny, 2), got {field.shape!r}")
    for name, value in (("dx", dx), ("dy", dy), ("dt", dt)):
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be a finite positive step, got {value!r}")
    _, nx, ny, _ = field.shape
    qx = 2 * np.pi * np.fft.fftfreq(nx, dx)[:, None]
    qy = 2 * np.pi * np.fft.fftfreq(ny, dy)[None, :]
    d = diffusion_constant(model)
    c = spin_density_coefficient(model, charge)
    transformed = np.fft.fft2(field, axes=(1, 2))
    divergence = 1j * (qx * transformed[..., 0] + qy * transformed[..., 1])
    decay = d * (qx**2 + qy**2)
    fine = _integrate_modes(c * divergence, decay, dt)
    coarse = _integrate_modes(c * divergence[::2], decay, 2 * dt)
    spin = np.fft.ifft2(fine, axes=(1, 2)).real
    change = np.fft.ifft2(fine[::2] - coarse, axes=(1, 2)).real
    return DiffusiveSpinDensity(spin, dx, dy, dt, c, d, float(np.abs(change).max() / 3))


def diffusive_torque(model: DiracFerromagnet, gate_field, *, dx, dy, dt, exchange_area=1.0, charge=ELECTRON_CHARGE):
    """T_diff(t, x, y) = (J_sd A) m x z s_z (paper 002, Eq. 12), shape (nt, nx, ny, 3)."""
    density = diffusive_spin_density(model, gate_field, dx=dx, dy=dy, dt=dt, charge=charge)
    return density.torque(model.m, exchange_area)


def field_like_spin_density(model: DiracFerromagnet, field, conductivity: float | None = None,
                            charge: float = ELECTRON_CHARGE) -> np.ndarray:
    """s_par = (z x J) / (e v) with J = sigma_0 (e^2/h) E (paper 002, text before Eq. 3; hbar = 1).

    = e sigma_0 / (2 pi v) z x E; ``conductivity`` (e^2/h) defaults to sigma_0 of Eq. (10).
    """
    sigma = analytic.drude_conductivity(model) if conductivity is None else conductivity
    field = np.asarray(field, dtype=float)
    if field.ndim == 0 or field.shape[-1] not in (2, 3):
        raise ValueError(f"field must be (E_x, E_y) or (E_x, E_y, E_z) on its last axis, got shape {field.shape}")
    rotated = np.stack([-field[..., 1], field[..., 0], np.zeros_like(field[..., 0])], axis=-1)
    return charge * sigma / (2 * np.pi * model.v) * rotated


def gate_spin_density(
    model: DiracFerromagnet, amplitude: float, q: float, omega: float, x, t, charge: float = ELECTRON_CHARGE
) -> np.ndarray:
    """Full s(x, t), shape (..., 3), for E = x E_gate cos(omega t - q x), from Eq. (3) with K of Eqs. (8)-(11).

    s = Re[(e / (2 pi v)) K(q x, omega) (0, E_gate, 0) exp(-i phi)], phi = omega t - q x, with
    K_yy = sigma_0 P, K_xy = sigma_H P, P = i omega / (i omega - D q^2) (Eq. 9 for K_yy; for K_xy the ladder
    gives the same pole, where Eq. 9 prints sigma_H: docs/conventions.md) and K_zy = -Q_x (Eq. 11):
    (s_x, s_y) = (e/2 pi v) E (sigma_H, sigma_0) (omega^2 cos phi - omega D q^2 sin phi) / (omega^2 + D^2 q^4).
    For omega << D q^2 the gate's own (longitudinal) field drives almost no current, hence almost no
    field-like torque, while s_z (Eq. 14) survives.
    """
    d = diffusion_constant(model)
    phase = omega * np.asarray(t, dtype=float) - q * np.asarray(x, dtype=float)
    pole = (omega**2 * np.cos(phase) - omega * d * q**2 * np.sin(phase)) / (omega**2 + d**2 * q**4)
    prefactor = charge * amplitude / (2 * np.pi * model.v) * pole
    s_x = prefactor * analytic.hall_conductivity(model)
    s_y = prefactor * analytic.drude_conductivity(model)
    s_z = plane_wave_spin_density(model, amplitude, q, omega, x, t, charge)
    return np.stack(np.broadcast_arrays(s_x, s_y, s_z), axis=-1)


def diffusive_to_field_like_ratio(model: DiracFerromagnet, q: float, conductivity: float | None = None) -> float:
    """eta = Delta_z / (hbar v q sigma_0) (paper 002, after Eq. 15): |s_z| / |s_par| for E_gate = E_bias, omega << D q^2."""
    sigma = analytic.drude_conductivity(model) if conductivity is None else conductivity
    return abs(model.exchange_z) / (model.v * q * sigma)
