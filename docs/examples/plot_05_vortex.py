r"""
A vortex at your temperature
============================

Around a vortex in a diffusive superconductor with Rashba-like spin-orbit coupling (point group
C4v or C6v), the supercurrent induces a radial spin density through the spin-galvanic tensor gamma
(paper 003, Appendix E, Eqs. (S6)-(S18), Figs. 1 and 3). :func:`spincharge.usadel.vortex` solves the
Riccati-parametrised Usadel equation at T/Tc for the current j_phi(r) and the spin density S_r(r).

The material here is Nb-like: Tc = 9 K, diffusion constant D = 5 cm^2/s, measured at 4.2 K. Lengths
come back in xi(T) = sqrt(hbar D / 2 Delta(T)); the BCS gap converts that to nanometres.
"""

import matplotlib.pyplot as plt
import numpy as np
from scipy import constants as sc

from spincharge.usadel import GAP0_OVER_TC, bcs_gap, vortex

Tc, T, D = 9.0, 4.2, 5e-4  # K, K, m^2/s
t = T / Tc
gap_J = float(bcs_gap(t).gap) * GAP0_OVER_TC * sc.k * Tc  # Delta(T) in joule
xi_nm = np.sqrt(sc.hbar * D / (2 * gap_J)) * 1e9
print(f"t = T/Tc = {t:.3f}, Delta(T) = {gap_J / sc.eV * 1e3:.3f} meV, xi(T) = {xi_nm:.1f} nm")

result = vortex(t)
print(f"error estimates: current {result.error[0]:.1e}, spin {result.error[1]:.1e} (relative)")
print(f"current peaks at r = {result.peak_radius() * xi_nm:.1f} nm, spin at {result.peak_radius('spin') * xi_nm:.1f} nm")

# %%
# Witness: the same vortex on a grid with twice the points (every point of the first grid is a
# point of the second) agrees with it to the size of the error estimate.
fine = vortex(t, points=2 * result.points)
for name in ("current", "spin"):
    coarse_values, fine_values = getattr(result, name), getattr(fine, name)[::2]
    print(f"{name}: max |coarse - fine| / max |fine| = "
          f"{np.abs(coarse_values - fine_values).max() / np.abs(fine_values).max():.1e}")

# %%
# The figure: current and spin density against the distance from the vortex axis.
fig, (top, bottom) = plt.subplots(2, 1, figsize=(5.5, 5.0), sharex=True, layout="constrained")
r_nm = result.r * xi_nm
top.plot(r_nm, result.current, color="C0", label=f"T = {T} K")
top.set_ylabel(r"$j_\varphi$ ($\sigma_N \Delta(T) / e\,\xi(T)$)")
top.legend()
bottom.plot(r_nm, result.spin, color="C3", label=r"$S_r$, $\gamma_o = D/\xi(T)$")
bottom.set_ylabel(r"$S_r$ ($\nu D / \xi(T)^2$)")
bottom.set_xlabel("distance from the vortex axis r (nm)")
bottom.set_xlim(0, 10 * xi_nm)
bottom.legend()
plt.show()
