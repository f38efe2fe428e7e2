r"""
A Josephson junction of your own
================================

A diffusive S/N/S junction: two bulk superconductors (phases -+phi/2) joined by a normal-metal
bridge of length L, solved by the nonlinear Usadel equation in Riccati form at all Matsubara
frequencies at once (:func:`spincharge.usadel.junction.junction`, paper 003, Eqs. (4), (7), (8)).
The current comes back as e I R_N / Delta0 with R_N the bridge's normal resistance.

The material here is an Al/Cu-like junction: Tc = 1.2 K, the bridge's diffusion constant
D = 80 cm^2/s, measured at 100 mK. Lengths are in xi0 = sqrt(hbar D / Delta0).
"""

import matplotlib.pyplot as plt
import numpy as np
from scipy import constants as sc

from spincharge.usadel import GAP0_OVER_TC
from spincharge.usadel.junction import Layer, junction

Tc, T, D = 1.2, 0.1, 80e-4  # K, K, m^2/s
t = T / Tc
gap0_J = GAP0_OVER_TC * sc.k * Tc  # Delta0 in joule
xi0_nm = np.sqrt(sc.hbar * D / gap0_J) * 1e9
print(f"t = {t:.3f}, Delta0 = {gap0_J / sc.eV * 1e6:.1f} ueV, xi0 = {xi0_nm:.0f} nm")

phases = np.linspace(0, 2 * np.pi, 33)[:-1]
lengths = [0.2, 1.0, 3.0]  # in xi0
results = {L: junction([Layer(length=L)], t, phases) for L in lengths}
for L, result in results.items():
    ic = result.critical_current()
    print(f"L = {L * xi0_nm:5.0f} nm: e Ic R_N = {ic:.4f} Delta0 = {ic * gap0_J / sc.e * 1e6:.1f} uV "
          f"(error estimate {result.error.max():.1e})")

# %%
# Witness: a short junction (L << xi0) tends to the Kulik-Omelyanchuk current-phase relation,
# e I R_N = 2 pi T sum_{omega > 0} 2 Delta cos(phi/2) / sqrt(omega^2 + Delta^2 cos^2(phi/2))
# x arctan(Delta sin(phi/2) / sqrt(omega^2 + Delta^2 cos^2(phi/2))) (KO-1), summed here directly.
from spincharge.usadel import bcs_gap  # noqa: E402

gap = float(bcs_gap(t).gap)
temperature = t / GAP0_OVER_TC  # T / Delta0
omega = np.pi * temperature * (2 * np.arange(4000) + 1)
c = gap * np.cos(phases / 2)[:, None]
root = np.sqrt(omega**2 + c**2)
ko = 2 * np.pi * temperature * np.sum(2 * c / root * np.arctan(gap * np.sin(phases / 2)[:, None] / root), axis=1)
short = results[lengths[0]]
print(f"L = 0.2 xi0 vs KO-1: max |I - I_KO| / max I_KO = {np.abs(short.current - ko).max() / ko.max():.3f}")

# %%
# The figure: current-phase relations in microvolts (I R_N) against the phase difference.
fig, ax = plt.subplots(figsize=(5.5, 3.8))
scale = gap0_J / sc.e * 1e6
for L, result in results.items():
    ax.plot(phases, result.current * scale, "o-", ms=3, label=f"Usadel, L = {L * xi0_nm:.0f} nm ({L} xi0)")
ax.plot(phases, ko * scale, "k--", label="Kulik-Omelyanchuk (L -> 0)")
ax.set_xlabel("phase difference phi (rad)")
ax.set_ylabel("I R_N (µV)")
ax.set_title(f"Al/Cu-like S/N/S junction at T = {T * 1e3:.0f} mK")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
