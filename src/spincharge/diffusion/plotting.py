"""Maps of diffusion results (matplotlib)."""

from __future__ import annotations

import numpy as np

from .results import DiffusionResult

__all__ = ["plot_map"]

_COMPONENT = {"x": 0, "y": 1, "z": 2}


def plot_map(result: DiffusionResult, field: str = "S_z", *, ax=None, arrows: str | None = "j", cmap: str = "RdBu_r",
             scale: float = 1.0, label: str | None = None):
    """A colour map of ``field`` ("mu", "S_x", "S_y", "S_z", "j_x", "j_y") on a 2D result, with arrows of
    the in-plane charge current (``arrows="j"``) or of the spin current of one spin component
    (``arrows="j_s_z"``); returns the matplotlib Axes.

    The colour shows ``field / scale``; the colour bar is labelled ``label``, by default the field in the
    internal units of docs/conventions.md ("Units and terminals"): mu and S in E0, currents in D E0 / L0.
    """
    import matplotlib.pyplot as plt
    from matplotlib.tri import Triangulation

    if result.coordinates.shape[1] != 2:
        raise ValueError("plot_map needs a 2D result (a triangle mesh)")
    if not (np.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive finite number, got {scale!r}")
    values = _field(result, field) / scale
    if ax is None:
        _, ax = plt.subplots()
    tri = Triangulation(result.coordinates[:, 0], result.coordinates[:, 1], result.cells)
    scale = np.max(np.abs(values)) or 1.0
    image = ax.tripcolor(tri, values, shading="gouraud", cmap=cmap, vmin=-scale if cmap == "RdBu_r" else None,
                         vmax=scale if cmap == "RdBu_r" else None)  # fmt: skip
    ax.figure.colorbar(image, ax=ax, label=label or f"{field} ({'D E0 / L0' if field.startswith('j') else 'E0'})")
    if arrows is not None:
        if arrows == "j":
            vx, vy = np.real(result.j[0]), np.real(result.j[1])
        elif arrows.startswith("j_s_") and arrows[-1] in _COMPONENT:
            vx, vy = (np.real(result.j_s[k, _COMPONENT[arrows[-1]]]) for k in (0, 1))
        else:
            raise ValueError(f"arrows must be None, 'j' or 'j_s_x|y|z', got {arrows!r}")
        step = max(1, len(vx) // 400)
        xy = result.coordinates[::step]
        ax.quiver(xy[:, 0], xy[:, 1], vx[::step], vy[::step], color="k", alpha=0.6)
    ax.set_aspect("equal")
    ax.set_xlabel(result.axes[0])
    ax.set_ylabel(result.axes[1])
    return ax


def _field(result, name):
    if name == "mu":
        return np.real(result.mu)
    kind, _, comp = name.partition("_")
    if kind in ("S", "j") and comp in _COMPONENT:
        return np.real(getattr(result, kind)[_COMPONENT[comp]])
    raise ValueError(f"field must be 'mu', 'S_x|y|z' or 'j_x|y|z', got {name!r}")
