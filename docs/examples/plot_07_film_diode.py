r"""
Depairing currents and the diode effect of a Rashba-like film
=============================================================

A superconducting film of point group :math:`C_{4v}` carries a supercurrent along :math:`x`; an in-plane
exchange (Zeeman) field :math:`h` along :math:`y` couples to the phase gradient through the Lifshitz
invariant :math:`F_L \propto \gamma (h_x \partial_y\varphi - h_y \partial_x\varphi)` (paper 003, Appendix F),
so the critical currents in the two directions differ. :func:`spincharge.usadel.depairing` solves the full
nonlinear Usadel equation (paper 003, Eqs. S3-S5) of the homogeneous state with phase gradient :math:`q`
and the self-consistent gap, and returns :math:`j(q)`, :math:`j_{c\pm}` and the efficiency
:math:`\eta = (j_{c+} - |j_{c-}|)/(j_{c+} + |j_{c-}|)`. Units: :math:`\Delta_0`, :math:`\xi_0 = \sqrt{D/\Delta_0}`,
currents in :math:`\sigma \Delta_0 / (e \xi_0)`.
"""

import matplotlib.pyplot as plt
import numpy as np

from spincharge.materials import Material
from spincharge.usadel import depairing

# %%
# A Rashba-like film: D = 1, spin relaxation Gamma = diag(2, 2, 3) Delta0, spin-galvanic gamma_xy = 0.1 D/xi0.
film = Material.from_point_group("C4v", D_xx=1, D_zz=1, Gamma_xx=2.0, Gamma_zz=3.0, gamma_xy=0.1)
coarse = dict(cutoff=10.0, nodes=8, minimum_frequencies=8)  # agrees with the defaults to 1e-11 in eta

results = {h: depairing(film, 0.5, (1, 0, 0), h=(0, h, 0), **coarse) for h in (0.0, 0.2, -0.2)}
for h, result in results.items():
    print(f"h_y = {h:+.1f} Delta0: j_c+ = {result.critical_plus:.5f}, j_c- = {result.critical_minus:.5f}, "
          f"eta = {result.efficiency:.2e}")

# %%
# The efficiency is odd in h and of first order in h (and gamma): eta / h tends to a constant.
fields = np.array([0.05, 0.1, 0.2])
eta = [depairing(film, 0.5, (1, 0, 0), h=(0, h, 0), **coarse).efficiency for h in fields[:2]] + [results[0.2].efficiency]
print(f"eta(h) + eta(-h) = {results[0.2].efficiency + results[-0.2].efficiency:.1e}; eta / h = {np.array(eta) / fields}")

# %%
# The figure (drawn in one block, so that the gallery shows it complete): j(q) with the critical currents
# marked, and eta / h.
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
for (h, result), colour in zip(results.items(), ("k", "C0", "C3")):
    left.plot(result.q, result.current, "o-", ms=3, color=colour, label=f"h_y = {h} Delta0, eta = {result.efficiency:.2e}")
    left.plot([result.q_plus, result.q_minus], [result.critical_plus, result.critical_minus], "x", color=colour, ms=8)
left.plot([], [], "x", color="0.35", label="critical currents j_c+, j_c-")
left.set_xlabel("phase gradient q xi0 (along x)")
left.set_ylabel("j (sigma Delta0 / e xi0)")
left.legend(fontsize=7)
right.plot(fields, np.array(eta) / fields, "o-", label="depairing currents")
right.set_xlabel("h_y / Delta0")
right.set_ylabel("eta / (h_y / Delta0) (dimensionless)")
right.legend(fontsize=7)
plt.show()
