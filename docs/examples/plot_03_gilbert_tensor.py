r"""
Gilbert damping tensor of a TI/ferromagnet bilayer
==================================================

Electrons of a disordered topological-insulator surface, exchange-coupled to a ferromagnet, add an
anisotropic Gilbert damping to the magnet's dynamics (paper 002, Eq. (17)): in-plane components set
by the longitudinal conductivity, off-diagonal ones by the anomalous Hall conductivity, and no
damping of the out-of-plane component. Here the tensor is computed from the paper's closed-form
conductivities (leading order in the disorder strength alpha) and from the numerical Kubo ladder
(paper 002, Eqs. (s7)-(s23)), which differs from it at order alpha, as the magnetization tilts away
from the normal.
"""

import matplotlib.pyplot as plt
import numpy as np

from spincharge.diffusive import gilbert_damping
from spincharge.models import DiracFerromagnet

# Energies in units of the Fermi energy; alpha is the dimensionless disorder strength.
magnet = DiracFerromagnet(v=1.0, fermi_energy=1.0, exchange=0.4, m=(0.0, 0.0, 1.0), disorder_alpha=0.005)
G = gilbert_damping(magnet)
print(G)
print("G (units of J_sd A Delta_sd / (2 pi hbar v^2) x e^2/h):")
print(np.array2string(G.tensor / G.prefactor, precision=4, suppress_small=True))

ladder = gilbert_damping(magnet, source="ladder")
print(f"sigma_xx: closed form {G.longitudinal:.5f}, Kubo ladder {ladder.longitudinal:.5f} (e^2/h)")
print(f"sigma_H : closed form {G.hall:.5f}, Kubo ladder {ladder.hall:.5f} (e^2/h)")
print(f"relative differences {ladder.longitudinal / G.longitudinal - 1:.1e}, {ladder.hall / G.hall - 1:.1e}"
      f" (alpha = {magnet.disorder_alpha})")

# %%
# The components against the polar angle theta of m (in the xz plane): the exchange gap
# Delta_z = Delta_sd m_z closes as m turns into the plane, and the Hall part vanishes with it.
thetas = np.linspace(0.0, 0.45 * np.pi, 10)
tensors = np.array([gilbert_damping(magnet, m=(np.sin(t), 0.0, np.cos(t))).tensor / G.prefactor for t in thetas])
ladder_points = thetas[::3]
ladder_tensors = np.array([
    gilbert_damping(magnet, m=(np.sin(t), 0.0, np.cos(t)), source="ladder").tensor / G.prefactor
    for t in ladder_points
])

fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.6), layout="constrained")
degrees = np.degrees(thetas)
for ax, (i, j), name, color in ((left, (0, 0), "G_{xx} = G_{yy}", "C0"), (right, (0, 1), "G_{xy} = -G_{yx}", "C1")):
    ax.plot(degrees, tensors[:, i, j], "-", color=color, label="closed form (Eq. 10)")
    ax.plot(np.degrees(ladder_points), ladder_tensors[:, i, j], "o", color=color, label="Kubo ladder")
    ax.set_xlabel(r"polar angle of $\mathbf{m}$ (degrees)")
    ax.set_ylabel(rf"${name}$ ($J_{{sd}} A \Delta_{{sd}} / 2\pi\hbar v^2$, $e^2/h$)")
    ax.legend()
plt.show()
