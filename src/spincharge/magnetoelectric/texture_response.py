"""Currents and spin densities induced by magnetization textures (paper 000, Eqs. 2-3).

With hbar = e = 1 and M the exchange field of paper 000, Eq. (4) (energy units):

* paper 000, Eq. (2): ``J = -chi curl(z_hat M_z) = -chi (d_y M_z, -d_x M_z) = chi z_hat x grad M_z``,
  a sheet current density (``chi M_z`` is its stream function, so ``div J = 0``);
* paper 000, Eq. (3): ``S = g_spin grad M_z`` (in-plane) and ``S_z = -g_spin (d_x M_x + d_y M_y)``,
  the density of the Pauli spin ``sigma`` (spin in units of hbar/2) per area.

Both follow from paper 000, Eq. (1), ``S = -dE/dM``, ``J = -dE/dA``, with the free-energy density
``chi M_z B_z + g_spin M_z div M`` of the supplement (Sec. A). For a rotationally symmetric
``M_z(rho)`` they give ``J = chi M_z'(rho) phi_hat`` (as the paper's text after Eq. (3) says) and
``S = +g_spin M_z'(rho) rho_hat`` (the text prints ``-g_spin``; see docs/conventions.md).
The magnetic-field term ``S_z = -chi B_z`` of Eq. (2) is not included: textures carry no field here.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..textures import Texture
from ..textures.derivatives import gradient

__all__ = ["induced_response"]

_INTERNAL_UNITS = "internal (hbar = e = 1; energy unit E0, length unit L0)"


def _coefficient(coefficients, name: str) -> float:
    try:
        value = getattr(coefficients, name)
    except AttributeError:
        raise ValueError(
            f"coefficients must have a float attribute {name!r} (e.g. the result of "
            f"spincharge.magnetoelectric.coefficients), got {type(coefficients).__name__}"
        ) from None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"coefficients.{name} must be a finite real number, got {value!r}")
    return float(value)


def induced_response(texture: Texture, coefficients, *, derivative: str = "auto", order: int = 6, units=None):
    """Current ``J(r)`` and spin density ``S(r)`` induced by ``texture`` (paper 000, Eqs. 2-3).

    Parameters
    ----------
    texture : spincharge.textures.Texture
        The magnetization (exchange field, energy units) on its grid.
    coefficients
        Any object with float attributes ``chi`` and ``g_spin`` in internal units (hbar = e = 1), e.g.
        the result of ``spincharge.magnetoelectric.coefficients(model)``.
    derivative : {"auto", "spectral", "finite_difference", "analytic"}
        How grad M is computed: ``"auto"`` (default) uses spectral derivatives along periodic axes and
        finite differences of ``order`` along the others; ``"analytic"`` uses the texture's closed-form
        Jacobian (error estimate 0).
    order : int
        Finite-difference order, 2, 4, 6 or 8 (see :mod:`spincharge.textures.derivatives`).
    units : spincharge.units.UnitSystem, optional
        If given, everything is returned in SI: x, y in m, M in J, J in A/m, S in 1/m^2, chi in A/J,
        g_spin in 1/(J m). Otherwise internal units.

    Returns
    -------
    xarray.Dataset
        Variables ``M_x, M_y, M_z, J_x, J_y, S_x, S_y, S_z`` on coordinates ``(y, x)``; attributes
        ``chi``, ``g_spin``, ``units``, ``derivative``, ``order``, ``texture`` and the error estimates
        ``J_error``, ``S_error`` (max-norm, from the derivative error estimate).
    """
    import xarray as xr

    from ..units import SI_UNIT_NAMES, UnitSystem

    if not isinstance(texture, Texture):
        raise ValueError(f"texture must be a spincharge.textures.Texture, got {type(texture).__name__}")
    if units is not None and not isinstance(units, UnitSystem):
        raise ValueError(f"units must be a spincharge.units.UnitSystem or None, got {type(units).__name__}")
    chi, g_spin = _coefficient(coefficients, "chi"), _coefficient(coefficients, "g_spin")
    if derivative == "analytic":
        if texture.jacobian is None:
            raise ValueError(
                f"derivative='analytic' needs a texture with a closed-form jacobian; {texture.name!r} has none"
            )
        jacobian, gradient_error = texture.jacobian, 0.0
    else:
        jacobian, gradient_error = gradient(texture.magnetization, texture.grid, derivative=derivative, order=order)
    d_mz = jacobian[2]
    fields = {
        "M": (texture.magnetization, "energy"),
        "J": (chi * np.stack([-d_mz[1], d_mz[0]]), "sheet_current_density"),
        "S": (g_spin * np.stack([d_mz[0], d_mz[1], -(jacobian[0, 0] + jacobian[1, 1])]), "areal_density"),
        "x": (texture.grid.x, "length"),
        "y": (texture.grid.y, "length"),
        "chi": (chi, "chi"),
        "g_spin": (g_spin, "g_spin"),
        "J_error": (abs(chi) * gradient_error, "sheet_current_density"),
        "S_error": (2 * abs(g_spin) * gradient_error, "areal_density"),
    }
    if units is None:
        values = {name: value for name, (value, _) in fields.items()}
        unit_names = {"M": "E0", "J": "e E0/(hbar L0)", "S": "1/L0^2", "x": "L0", "y": "L0"}
    else:
        values = {name: units.to_si(value, quantity) for name, (value, quantity) in fields.items()}
        unit_names = {name: SI_UNIT_NAMES[fields[name][1]] for name in ("M", "J", "S", "x", "y")}

    dims = ("y", "x")
    data = {
        f"{name}_{component}": (dims, values[name][i], {"units": unit_names[name]})
        for name in ("M", "J", "S")
        for i, component in enumerate("xyz"[: len(values[name])])
    }
    coords = {axis: (axis, values[axis], {"units": unit_names[axis]}) for axis in ("x", "y")}
    attrs = {name: float(values[name]) for name in ("chi", "g_spin", "J_error", "S_error")}
    attrs |= {
        "units": "SI" if units is not None else _INTERNAL_UNITS,
        "derivative": derivative,
        "order": order,
        # the texture's name gives its lengths in L0: say what L0 is when the maps are in SI
        "texture": texture.name if units is None else f"{texture.name}, L0 = {units.length_m * 1e9:.3g} nm",
    }
    return xr.Dataset(data, coords=coords, attrs=attrs)
