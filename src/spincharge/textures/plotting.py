"""Figures of texture-induced currents and spin densities (paper 000, Eqs. 2-3 and Fig. 1(c)).

Each function takes the ``xarray.Dataset`` returned by
``spincharge.magnetoelectric.induced_response`` (variables ``M_z, J_x, J_y, S_x, S_y``) and returns a
new matplotlib ``Figure``.
"""

from __future__ import annotations

import numpy as np
from scipy import constants

__all__ = ["plot_current_streamlines", "plot_spin_arrows", "plot_diode_current"]


#: SI units shown in friendlier ones: unit -> (factor, shown unit)
_DISPLAY = {"m": (1e9, "nm"), "J": (1 / constants.eV * 1e3, "meV")}


def _shown(variable):
    """Values of a DataArray in display units, and the unit's name."""
    unit = variable.attrs.get("units", "")
    factor, shown = _DISPLAY.get(unit, (1.0, unit))
    return variable.values * factor, shown


def _magnetization_map(fig, ax, response):
    """Colour map of M_z (symmetric diverging scale) with its colour bar, axes in display units."""
    mz, mz_unit = _shown(response["M_z"])
    (x, unit), (y, _) = _shown(response["x"]), _shown(response["y"])
    limit = float(np.max(np.abs(mz))) or 1.0
    mesh = ax.pcolormesh(x, y, mz, cmap="RdBu_r", vmin=-limit, vmax=limit, shading="auto")
    fig.colorbar(mesh, ax=ax, label=f"$M_z$ [{mz_unit}]")
    ax.set_xlabel(f"x [{unit}]")
    ax.set_ylabel(f"y [{unit}]")
    ax.set_aspect("equal")
    return x, y


def _arrows(ax, response, name: str, arrows: int):
    """Quiver of (name_x, name_y) on a coarse sub-grid; the longest arrow spans 0.9 arrow spacings."""
    coarse = _subsample(response, arrows)
    (x, _), (y, _) = _shown(coarse["x"]), _shown(coarse["y"])
    u, v = coarse[f"{name}_x"].values, coarse[f"{name}_y"].values
    spacing = max(abs(x[1] - x[0]) if x.size > 1 else 1.0, abs(y[1] - y[0]) if y.size > 1 else 1.0)
    longest = float(np.max(np.hypot(u, v))) or 1.0
    scale = longest / (0.9 * spacing)
    return ax.quiver(x, y, u, v, pivot="middle", color="k", angles="xy", scale_units="xy", scale=scale)


def _subsample(response, arrows: int):
    step_x = max(1, response.sizes["x"] // arrows)
    step_y = max(1, response.sizes["y"] // arrows)
    return response.isel(x=slice(step_x // 2, None, step_x), y=slice(step_y // 2, None, step_y))


def _vector_over_mz(response, name: str, description: str):
    """A figure with the M_z map, titled with ``description``, the texture and max |name|."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 5.0), layout="constrained")
    x, y = _magnetization_map(fig, ax, response)
    magnitude = np.hypot(response[f"{name}_x"].values, response[f"{name}_y"].values)
    ax.set_title(
        f"{description}: {response.attrs.get('texture', '')}\n"
        f"max |{name}| = {magnitude.max():.3g} {response[f'{name}_x'].attrs.get('units', '')}",
        fontsize=9,
    )
    return fig, ax, x, y, magnitude


def plot_current_streamlines(response, *, density: float = 1.3):
    """Streamlines of J = -chi curl(z_hat M_z) (paper 000, Eq. 2), line width ~ |J|, over M_z."""
    fig, ax, x, y, speed = _vector_over_mz(response, "J", "current (paper 000, Eq. 2; line width ~ |J|)")
    jx, jy = response["J_x"].values, response["J_y"].values
    ax.streamplot(x, y, jx, jy, color="k", density=density, linewidth=0.2 + 2.5 * speed / (speed.max() or 1.0))
    return fig


def plot_spin_arrows(response, *, arrows: int = 24):
    """In-plane spin density S = g_spin grad M_z (paper 000, Eq. 3) as arrows over M_z."""
    fig, ax, *_ = _vector_over_mz(response, "S", "in-plane spin density (paper 000, Eq. 3)")
    _arrows(ax, response, "S", arrows)
    return fig


def plot_diode_current(response, *, arrows: int = 12):
    """The diode set-up of paper 000, Fig. 1(c): a uniform gradient of M_z drives a uniform current.

    Left: M_z with current arrows; right: a cut along y through the centre column of M_z and J_x.
    """
    import matplotlib.pyplot as plt

    fig, (ax_map, ax_cut) = plt.subplots(1, 2, figsize=(10.0, 4.2), layout="constrained")
    _magnetization_map(fig, ax_map, response)
    _arrows(ax_map, response, "J", arrows)
    ax_map.set_title("uniform current from a uniform $\\nabla M_z$", fontsize=9)
    column = response.isel(x=response.sizes["x"] // 2)
    y, y_unit = _shown(column["y"])
    ax_cut.plot(y, column["J_x"], label="$J_x$")
    ax_cut.plot(y, column["J_y"], "--", label="$J_y$")
    ax_cut.set_xlabel(f"y [{y_unit}]")
    ax_cut.set_ylabel(f"J [{response['J_x'].attrs.get('units', '')}]")
    twin = ax_cut.twinx()
    mz, mz_unit = _shown(column["M_z"])
    twin.plot(y, mz, color="gray", lw=1, label="$M_z$ (right axis)")
    twin.set_ylabel(f"$M_z$ [{mz_unit}]", color="gray")
    (h_cut, l_cut), (h_twin, l_twin) = ax_cut.get_legend_handles_labels(), twin.get_legend_handles_labels()
    ax_cut.legend(h_cut + h_twin, l_cut + l_twin, loc="center left")
    ax_cut.set_title("cut at the centre column", fontsize=9)
    return fig
