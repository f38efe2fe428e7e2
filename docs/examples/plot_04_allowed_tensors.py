r"""
Allowed tensors of a crystal
============================

Which spin-orbit responses a crystal can have follows from its point group alone (paper 003,
Eqs. (4)-(6)): the diffusion tensor D, the spin relaxation Gamma, the spin-galvanic gamma and
alpha, theta, kappa and beta. :func:`spincharge.symmetry.allowed_form` returns the most general
tensor that every element of the group leaves invariant, with named free parameters.

Take a (001) zinc-blende quantum well under uniaxial strain, point group C2v, with the mirrors
normal to x and y: both a Rashba-like and a Dresselhaus-like spin-galvanic term are allowed.
"""

import matplotlib.pyplot as plt
import numpy as np

from spincharge.symmetry import TENSORS, allowed_form, invariant_count, point_group, point_group_names, transform

gamma = allowed_form("C2v", "gamma")
print(gamma.matrix)
print(f"free parameters {gamma.parameters}, invariance residual {gamma.invariance_residual:.1e}")

# %%
# Witness: give the free parameters random values and apply every group element to the tensor.
# An allowed tensor is unchanged; a generic tensor is not.
rng = np.random.default_rng(1)
group = point_group("C2v")
tensor = np.tensordot(rng.normal(size=gamma.dimension), gamma.basis, axes=1)
generic = rng.normal(size=(3, 3))
print("max change of the allowed tensor:", max(np.abs(transform("gamma", g, tensor) - tensor).max() for g in group.elements))
print("max change of a generic tensor:  ", max(np.abs(transform("gamma", g, generic) - generic).max() for g in group.elements))

# %%
# The number of free parameters of every tensor in all 32 crystallographic point groups.
groups = point_group_names()
counts = np.array([[invariant_count(g, t) for t in TENSORS] for g in groups])

fig, ax = plt.subplots(figsize=(9.0, 3.4), layout="constrained")
image = ax.imshow(counts.T, cmap="viridis", aspect="auto")
ax.set_xticks(range(len(groups)), groups, rotation=90, fontsize="small")
ax.set_yticks(range(len(TENSORS)), TENSORS)
ax.set_xlabel("point group (Schoenflies)")
ax.set_ylabel("tensor (paper 003)")
fig.colorbar(image, ax=ax, label="number of free parameters")
plt.show()
