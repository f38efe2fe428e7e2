r"""
chi of your own material, in SI units
=====================================

The magnetoelectric coefficient chi of a topological-insulator surface with a proximity-induced
s-wave gap (paper 000, Eqs. (6)-(8)) sets the current that a magnetization gradient drives
(paper 000, Eq. (2)).
spincharge works with :math:`\hbar = e = 1`; :class:`spincharge.units.UnitSystem` turns the
numbers into SI once you say what one energy unit and one length unit are.

Here the material is a Bi2Se3-like surface: Dirac velocity :math:`v = 5\times10^5` m/s,
chemical potential 100 meV, and an induced gap swept from 5 to 60 meV. The direct Green-function
integral is checked against the paper's closed form (Eqs. (11)-(16)) at every point.
"""

import matplotlib.pyplot as plt
import numpy as np

from spincharge.magnetoelectric import coefficients
from spincharge.models import TISurface
from spincharge.units import SI_UNIT_NAMES, UnitSystem

# %%
# Choose the units: 10 meV of energy, and the length that makes v = 1.
units = UnitSystem.from_velocity(energy_eV=0.010, velocity_m_s=5e5)
print(f"energy unit E0 = {units.energy_J:.3e} J, length unit L0 = {units.length_m * 1e9:.2f} nm")

mu_meV = 100.0
gaps_meV = np.linspace(5.0, 60.0, 12)
chi_numeric, chi_closed, chi_error = [], [], []
for gap in gaps_meV:
    model = TISurface(v=1.0, mu=mu_meV / 10.0, delta=gap / 10.0)
    numeric = coefficients(model)
    chi_numeric.append(units.to_si(numeric.chi, "chi"))
    chi_error.append(units.to_si(numeric.error["chi"], "chi"))
    chi_closed.append(units.to_si(coefficients(model, method="closed_form").chi, "chi"))
chi_numeric, chi_closed = np.array(chi_numeric), np.array(chi_closed)

# Without a gap the clean normal state keeps its Fermi-surface terms: chi at Delta = 0 is not the
# Delta -> 0+ limit of the curve (docs/conventions.md, paper 000).
chi_normal = units.to_si(coefficients(TISurface(v=1.0, mu=mu_meV / 10.0)).chi, "chi")

print(f"chi at Delta = 0: {chi_normal:.4e}, at Delta = 30 meV: {chi_numeric[5]:.4e} {SI_UNIT_NAMES['chi']}")
print(f"max |numeric - closed form| / max |chi| = {np.max(np.abs(chi_numeric - chi_closed)) / np.max(np.abs(chi_closed)):.1e}")
print(f"largest error estimate of the numeric integral: {max(chi_error):.1e} {SI_UNIT_NAMES['chi']}")

# %%
# The figure: chi in A/J against the induced gap.
fig, ax = plt.subplots(figsize=(5.5, 3.6), layout="constrained")
ax.plot(gaps_meV, chi_closed, "-", color="0.6", label="closed form (Eqs. 11-16)")
ax.plot(gaps_meV, chi_numeric, "o", color="C0", label="Green-function integral (Eqs. 6-8)")
ax.plot([0.0], [chi_normal], "D", color="C3", label=r"normal state, $\Delta = 0$")
ax.set_xlabel(r"induced gap $\Delta$ (meV)")
ax.set_ylabel(r"$\chi$ (A/J)")
ax.set_title(rf"TI surface, $v = 5\times10^5$ m/s, $\mu$ = {mu_meV:.0f} meV")
ax.legend()
plt.show()
