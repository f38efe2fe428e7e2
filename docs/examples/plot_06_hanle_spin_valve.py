r"""
A nonlocal spin valve and its Hanle curve
=========================================

Spin injected by a ferromagnetic tunnel contact into a normal-metal channel diffuses, relaxes and
precesses in a perpendicular field; a second ferromagnetic contact a distance :math:`L` away picks up
the spin accumulation as a voltage (Johnson & Silsbee; Jedema et al., Nature 416, 713 (2002)). This
is paper 003's normal-state diffusion equation (Eqs. S10-S13) in one dimension, solved exactly by
:func:`spincharge.diffusion.solve_layers` with two :class:`~spincharge.diffusion.TunnelContact`\ s.

The channel is aluminium-like at 4.2 K: :math:`D = 0.02` m²/s, :math:`\tau_s = 100` ps
(:math:`\lambda_s = \sqrt{D\tau_s} \approx 1.4\ \mu` m), resistivity :math:`6\times10^{-8}\ \Omega` m,
cross-section 50 nm x 100 nm, contact polarisation 0.1, contacts 650 nm apart. The solver is checked
against Jedema's closed form at every field.
"""

import matplotlib.pyplot as plt
import numpy as np

from spincharge.diffusion.literature import nonlocal_hanle_resistance
from spincharge.diffusion.modal import Insulating, Layer, Ohmic, TunnelContact, solve_layers
from spincharge.materials import Material
from spincharge.units import UnitSystem

# %%
# Units: 1 micro-eV and 1 micrometre. Material.from_si converts D, tau_s and the field.
units = UnitSystem.from_meV_nm(energy_meV=1e-3, length_nm=1000.0)
resistivity, area, polarization, separation_um = 6e-8, 50e-9 * 100e-9, 0.1, 0.65
fields_mT = np.linspace(-150, 150, 61)

r_solver, r_closed = [], []
for field in fields_mT:
    channel = Material.from_si(units, diffusion_m2_s=0.02, spin_lifetime_s=100e-12, field_tesla=(0, 0, field * 1e-3))
    injector = TunnelContact(1e-6, polarization, (1, 0, 0), current=1.0)  # weak (tunnel) contacts
    detector = TunnelContact(1e-6, polarization, (1, 0, 0), current=0.0)  # a floating voltage probe
    sol = solve_layers([Layer(channel, 40.0)], axis="x", left=Ohmic(0.0), right=Insulating(), points_per_layer=2,
                       contacts=[(20.0, injector), (20.0 + separation_um, detector)])
    d = channel.D[0, 0]
    to_ohm = d * resistivity * units.length_m / area  # internal resistance (L0 / D per unit area) -> ohm
    r_solver.append((sol.terminal_potential[3] - sol.terminal_potential[1]) * to_ohm)
    lam = np.sqrt(d / channel.relaxation[0, 0])
    # the Zeeman energy h = g mu_B B / 2 makes spins precess at omega_L = 2 h (docs/conventions.md)
    r_closed.append(nonlocal_hanle_resistance(separation_um, spin_diffusion_length=lam, diffusion=d,
                                              larmor_frequency=2 * channel.h[2], polarization=polarization) * to_ohm)
r_solver, r_closed = np.array(r_solver), np.array(r_closed)
print(f"lambda_s = {lam:.3f} um; R_NL(0) = {r_solver[30] * 1e3:.3f} mOhm")
print(f"max |solver - Jedema| / max |R_NL| = {np.max(np.abs(r_solver - r_closed)) / np.max(np.abs(r_closed)):.1e}")

# %%
# The Hanle curve: the signal dephases and changes sign once the spin precesses by about pi on its way.
fig, ax = plt.subplots(figsize=(5.5, 3.6), layout="constrained")
ax.plot(fields_mT, r_closed * 1e3, "-", color="0.6", label="Jedema et al. (2002), Eq. (2)")
ax.plot(fields_mT, r_solver * 1e3, "o", ms=3, color="C0", label="spincharge.diffusion (exact 1D)")
ax.set_xlabel("perpendicular field B (mT)")
ax.set_ylabel(r"nonlocal resistance $R_{NL}$ (m$\Omega$)")
ax.set_title(f"Al-like channel, L = {separation_um * 1e3:.0f} nm, P = {polarization}")
ax.legend()
plt.show()
