r"""
Currents around a skyrmion
==========================

A Néel skyrmion in a ferromagnet on a gapped topological-insulator surface drives a charge current
and a spin density in the surface (paper 000, Eqs. (2)-(3)); their size is set by the coefficients
chi and g_spin of the surface (Eqs. (6)-(8)). Everything is returned in SI units here: the exchange
field in J, the sheet current density in A/m, the spin density in 1/m^2.
"""

import matplotlib.pyplot as plt
import numpy as np

from spincharge.magnetoelectric import coefficients, induced_response
from spincharge.models import TISurface
from spincharge.textures import Grid, Texture
from spincharge.units import UnitSystem

units = UnitSystem.from_velocity(energy_eV=0.010, velocity_m_s=5e5)  # 10 meV, v = 5e5 m/s
surface = coefficients(TISurface(v=1.0, mu=1.0, delta=0.3))

# A 40 x 40 L0 periodic box (L0 = 33 nm), skyrmion radius 6 L0, wall width 2 L0.
grid = Grid.square(96, 40.0)
texture = Texture.neel_skyrmion(grid, radius=6.0, wall_width=2.0)
response = induced_response(texture, surface, units=units)
print(response)

# %%
# The spectral derivative is checked against the texture's closed-form Jacobian.
exact = induced_response(texture, surface, units=units, derivative="analytic")
J = np.hypot(response.J_x, response.J_y)
difference = np.hypot(response.J_x - exact.J_x, response.J_y - exact.J_y)
print(f"max |J| = {float(J.max()):.3e} A/m")
print(f"max |J_spectral - J_analytic| / max |J| = {float(difference.max() / J.max()):.1e}")
print(f"error estimate J_error = {response.attrs['J_error']:.1e} A/m")

# %%
# The figure: the current (arrows) over the out-of-plane magnetization, and the spin density S_z.
x_nm, y_nm = response.x * 1e9, response.y * 1e9
fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 4.0), layout="constrained")
image = left.pcolormesh(x_nm, y_nm, response.M_z / units.energy_J, cmap="RdBu_r", shading="auto")
fig.colorbar(image, ax=left, label=r"$M_z$ ($E_0$ = 10 meV)")
step = 6
quiver = left.quiver(x_nm[::step], y_nm[::step], response.J_x[::step, ::step], response.J_y[::step, ::step],
                     color="k", label="current J")
left.quiverkey(quiver, 0.2, 1.04, float(J.max()), f"max |J| = {float(J.max()):.2f} A/m", labelpos="E")
left.set_xlabel("x (nm)")
left.set_ylabel("y (nm)")
left.legend(loc="lower left")
left.set_aspect("equal")
image = right.pcolormesh(x_nm, y_nm, response.S_z, cmap="PuOr", shading="auto")
fig.colorbar(image, ax=right, label=r"$S_z$ (1/m$^2$)")
right.set_xlabel("x (nm)")
right.set_ylabel("y (nm)")
right.set_title("induced spin density")
right.set_aspect("equal")
plt.show()
