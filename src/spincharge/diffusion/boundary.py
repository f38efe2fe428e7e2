"""Boundary conditions of the spin-charge diffusion solver (docs/conventions.md, "Spin-charge diffusion").

Fluxes are outward normal currents n.J with J = (j_k, j_kl) of paper 003, Eqs. (S12)-(S13); an edge
with no condition is insulating (n.j = 0, n.j_l = 0, the paper's vacuum boundary after Eq. S13). Where
a condition is selected (``where``): 'left', 'right', 'bottom', 'top' (the extremes of the mesh's
bounding box), a box (x0, x1) in 1D or (x0, x1, y0, y1) in 2D (facets whose midpoints lie in it,
boundary facets only in 2D; in 1D interior nodes too, for point contacts on a channel), or a callable
taking facet midpoints (dim, n) and returning a boolean mask.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .geometry import Interface, _unit

__all__ = ["Contact", "Injection", "MagneticInsulator", "Fixed", "select_facets"]

Where = str | Sequence[float] | Callable


@dataclass(frozen=True)
class Contact:
    """A terminal: an ohmic contact held at ``potential`` or fed with ``current`` (into the device).

    With ``potential`` None the contact is current-driven (``current = 0``: a floating voltage probe) and
    its potential is solved for. ``conductance`` None: a transparent normal contact, mu = V and S = 0 on
    its facets (the contact absorbs spin). A finite ``conductance`` G (per unit length in 2D, per unit
    area in 1D) with ``polarization`` P and ``magnetization`` m: outward flux n.J = G4 (u - (V, 0, 0, 0)),
    G4 = G [[1, P m^T], [P m, 1]] (a ferromagnetic reservoir with spin channels of conductance
    G (1 +- P) along m, :class:`spincharge.diffusion.Interface`); P = 0 is a spin-absorbing tunnel contact.
    """

    name: str
    where: Where
    potential: float | None = None
    current: float = 0.0
    conductance: float | None = None
    polarization: float = 0.0
    magnetization: Sequence[float] = (0.0, 0.0, 1.0)

    def __post_init__(self):
        if self.potential is not None and not np.isfinite(self.potential):
            raise ValueError(f"contact {self.name!r}: potential must be finite, got {self.potential!r}")
        if not np.isfinite(self.current):
            raise ValueError(f"contact {self.name!r}: current must be finite, got {self.current!r}")
        if self.conductance is None:
            if self.polarization != 0.0:
                raise ValueError(f"contact {self.name!r}: a polarized (ferromagnetic) contact needs a finite conductance")
        else:
            Interface(self.conductance, self.polarization, self.magnetization)  # validates
        object.__setattr__(self, "magnetization", _unit(self.magnetization, "magnetization"))

    @property
    def voltage_driven(self) -> bool:
        return self.potential is not None

    def matrix(self) -> np.ndarray:
        return Interface(self.conductance, self.polarization, self.magnetization).matrix()


@dataclass(frozen=True)
class Injection:
    """Given currents into the device through the selected facets (Neumann data), spread uniformly:
    total charge current ``charge`` and spin current ``spin`` (3-vector, spin components), inward."""

    where: Where
    charge: float = 0.0
    spin: Sequence[float] = (0.0, 0.0, 0.0)

    def __post_init__(self):
        s = np.asarray(self.spin, dtype=float)
        if s.shape != (3,) or not np.all(np.isfinite(s)) or not np.isfinite(self.charge):
            raise ValueError("Injection: charge must be a finite number and spin a finite 3-vector")

    def inflow(self) -> np.ndarray:
        return np.concatenate([[self.charge], np.asarray(self.spin, dtype=float)])


@dataclass(frozen=True)
class MagneticInsulator:
    """Interface to a magnetic insulator with spin-mixing conductance G_r + i G_i and magnetisation m.

    Outward spin flux n.j_s = G_r S_perp - G_i m x S, i.e. the spin current into the metal is
    G_r m x (m x S) + G_i m x S (Chen et al., PRB 87, 144411 (2013), Eq. 7, with their mu_s our S in
    the paper's normalisation; G_r, G_i per unit area in our units). No charge flows (n.j = 0).
    """

    where: Where
    g_r: float
    g_i: float = 0.0
    magnetization: Sequence[float] = (0.0, 0.0, 1.0)

    def __post_init__(self):
        if not (np.isfinite(self.g_r) and self.g_r >= 0 and np.isfinite(self.g_i)):
            raise ValueError(f"MagneticInsulator: g_r must be finite and >= 0 and g_i finite, got {self.g_r!r}, {self.g_i!r}")
        object.__setattr__(self, "magnetization", _unit(self.magnetization, "magnetization"))

    def matrix(self) -> np.ndarray:
        m = np.asarray(self.magnetization)
        cross = np.array([[0, -m[2], m[1]], [m[2], 0, -m[0]], [-m[1], m[0], 0]])  # (m x S) = cross @ S
        g4 = np.zeros((4, 4))
        g4[1:, 1:] = self.g_r * (np.eye(3) - np.outer(m, m)) - self.g_i * cross
        return g4


@dataclass(frozen=True)
class Fixed:
    """Dirichlet data: mu and/or S fixed on the selected facets (numbers or callables of the coordinates
    (dim, n) -> (n,) for mu, (3, n) for S; None leaves that field free)."""

    where: Where
    mu: float | Callable | None = 0.0
    S: Sequence[float] | Callable | None = (0.0, 0.0, 0.0)


def select_facets(mesh, where: Where, label: str, *, exclude=()) -> np.ndarray:
    """Facet indices selected by ``where`` (module docstring); ValueError if none is selected.

    ``exclude``: facets never selected (the two sides of an internal interface, which are boundary
    facets of the split mesh but not edges of the device)."""
    mid = mesh.p[:, mesh.facets].mean(axis=1)
    boundary = np.zeros(mesh.nfacets, bool)
    boundary[mesh.boundary_facets()] = True
    boundary[np.asarray(exclude, dtype=int)] = False
    lo, hi = mesh.p.min(axis=1), mesh.p.max(axis=1)
    tol = 1e-9 * np.max(hi - lo)
    if isinstance(where, str):
        sides = {"left": (0, lo[0]), "right": (0, hi[0])}
        if mesh.dim() == 2:
            sides |= {"bottom": (1, lo[1]), "top": (1, hi[1])}
        if where not in sides:
            raise ValueError(f"{label}: where={where!r} is not one of {sorted(sides)}")
        axis, value = sides[where]
        mask = boundary & (np.abs(mid[axis] - value) <= tol)
    elif callable(where):
        mask = np.asarray(where(mid), dtype=bool)
        if mask.shape != (mesh.nfacets,):
            raise ValueError(f"{label}: the where callable must return one bool per facet ({mesh.nfacets})")
        mask = mask & (boundary | (mesh.dim() == 1))
        mask[np.asarray(exclude, dtype=int)] = False
    else:
        box = np.asarray(where, dtype=float).ravel()
        if box.shape != (2 * mesh.dim(),) or not np.all(np.isfinite(box)):
            raise ValueError(f"{label}: where must be a box of {2 * mesh.dim()} numbers (x0, x1{', y0, y1' if mesh.dim() == 2 else ''}), got {where!r}")
        mask = np.ones(mesh.nfacets, bool) if mesh.dim() == 1 else boundary.copy()
        mask[np.asarray(exclude, dtype=int)] = False
        for d in range(mesh.dim()):
            mask &= (mid[d] >= box[2 * d] - tol) & (mid[d] <= box[2 * d + 1] + tol)
    facets = np.flatnonzero(mask)
    if not len(facets):
        bbox = ", ".join(f"[{a:.6g}, {b:.6g}]" for a, b in zip(lo, hi))
        raise ValueError(f"{label}: where={where!r} selects no {'node' if mesh.dim() == 1 else 'boundary edge'} of the "
                         f"mesh (bounding box {bbox}); move it onto the domain's boundary")  # fmt: skip
    return facets
