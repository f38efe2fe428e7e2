"""Magnetization textures M(r) on a grid, with closed-form derivatives where the profile is analytic.

``M`` is the exchange field of paper 000, Eq. (4) (the electrons feel ``-M . sigma``), so it carries
energy units (internal energy unit E0; joule in SI). Arrays are indexed ``M[i, iy, ix]`` with
``i = 0, 1, 2`` for ``x, y, z``; the Jacobian is ``jacobian[i, a, iy, ix] = d M_i / d x_a`` with
``a = 0, 1`` for ``x, y``.

Profiles (``rho = |r - center|``, ``phi`` the polar angle about ``center``, ``M0 = amplitude``):

* skyrmion (:meth:`Texture.skyrmion`, Neel ``helicity = 0``, Bloch ``helicity = pi/2``): the
  "360-degree domain wall" profile ``theta(rho) = 2 arctan[sinh(R/w) / sinh(rho/w)]`` of radius ``R``
  and wall width ``w``. With ``ell(rho) = ln sinh(rho/w) - ln sinh(R/w)`` it reads
  ``cos theta = tanh(ell)``, ``sin theta = sech(ell)``, and
  ``M = M0 (sech(ell) [cos(gamma) rho_hat + sin(gamma) phi_hat], -p tanh(ell))``
  where ``p = core_polarity`` is the sign of ``M_z`` at the core (``M_z(0) = p M0``,
  ``M_z(infinity) = -p M0``). The profile is analytic in ``x, y`` (also at the core) and approaches the
  background as ``exp(-rho/w)``; ``M_z(R) = 0``.
  ``d theta/d rho = -sech(ell) coth(rho/w)/w``, so ``dM_z/d rho = -p M0 sech(ell)^2 coth(rho/w)/w``.
* Gaussian bubble (:meth:`Texture.gaussian_bubble`): ``M = (0, 0, background + M0 exp(-rho^2/2w^2))``.
* domain wall (:meth:`Texture.domain_wall`), coordinate ``u = (r - center) . n`` across the wall,
  ``n = (cos alpha, sin alpha)``:
  ``M = M0 (sech(u/w) [cos(gamma) n + sin(gamma) z_hat x n], tanh(u/w))``, Neel ``gamma = 0``, Bloch
  ``gamma = pi/2``.
* out-of-plane gradient (:meth:`Texture.out_of_plane_gradient`, the diode set-up of paper 000,
  Fig. 1(c)): ``M = (0, 0, offset + G . (r - center))``.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from .grid import Grid

__all__ = ["Texture"]


def _positive(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite positive number, got {value!r}")
    return float(value)


def _finite(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    return float(value)


def _polarity(value) -> int:
    if value not in (1, -1) or isinstance(value, bool):
        raise ValueError(f"core_polarity must be +1 or -1, got {value!r}")
    return int(value)


def _center(grid: Grid, center) -> tuple[float, float]:
    center = grid.center if center is None else center
    if np.ndim(center) != 1 or len(center) != 2 or not np.all(np.isfinite(center)):
        raise ValueError(f"center must be a finite pair (x, y), got {center!r}")
    return float(center[0]), float(center[1])


def _readonly(array) -> np.ndarray:
    array = np.array(array, dtype=float)
    array.flags.writeable = False
    return array


def _log_sinh(x: np.ndarray) -> np.ndarray:
    """ln sinh(x) for x > 0, without overflow: x + ln(1 - exp(-2x)) - ln 2."""
    return x + np.log(-np.expm1(-2 * x)) - np.log(2.0)


def _sech(x: np.ndarray) -> np.ndarray:
    """sech(x) = 2 exp(-|x|) / (1 + exp(-2|x|)), without overflow."""
    decay = np.exp(-np.abs(x))
    return 2 * decay / (1 + decay**2)


def _radial(grid: Grid, center, mz, dmz, inplane, dinplane, inplane_over_rho_at_0: float, helicity: float):
    """M and its Jacobian for ``M = (f(rho) e_gamma, M_z(rho))`` with ``e_gamma`` the radial unit vector
    rotated by ``helicity``. ``mz, dmz, inplane, dinplane`` are functions of rho > 0 giving ``M_z``,
    ``M_z'``, ``f``, ``f'``; ``inplane_over_rho_at_0 = lim f(rho)/rho`` (f(0) = 0, M_z'(0) = 0).

    ``d_a M_i = M_z' rho_a/rho`` for ``i = z`` and, writing ``F = (f/rho) R r``,
    ``d_a F_i = (f' - f/rho) (R rho_hat)_i rho_a/rho + (f/rho) R_ia``.
    """
    X, Y = grid.mesh()
    rx, ry = X - center[0], Y - center[1]
    rho = np.hypot(rx, ry)
    core = rho == 0
    rho_safe = np.where(core, 1.0, rho)
    unit = np.stack([np.where(core, 0.0, rx / rho_safe), np.where(core, 0.0, ry / rho_safe)])
    f = np.where(core, 0.0, inplane(rho_safe))
    f_over_rho = np.where(core, inplane_over_rho_at_0, f / rho_safe)
    f_prime_minus = np.where(core, 0.0, dinplane(rho_safe) - f_over_rho)
    dmz_values = np.where(core, 0.0, dmz(rho_safe))
    c, s = np.cos(helicity), np.sin(helicity)
    rotation = np.array([[c, -s], [s, c]])
    rotated_unit = np.einsum("ij,jyx->iyx", rotation, unit)
    magnetization = np.concatenate([f * rotated_unit, mz(rho)[None]])
    jacobian = np.empty((3, 2) + grid.shape)
    jacobian[:2] = f_prime_minus * rotated_unit[:, None] * unit[None, :] + (
        f_over_rho * rotation[:, :, None, None]
    )
    jacobian[2] = dmz_values * unit
    return magnetization, jacobian


@dataclass(frozen=True, eq=False)
class Texture:
    """A magnetization texture ``M(r)`` (energy units, shape ``(3, ny, nx)``) on ``grid``.

    ``jacobian`` (shape ``(3, 2, ny, nx)``, ``d M_i/d x_a``) holds the closed-form derivatives of the
    built-in profiles (``None`` for user arrays). Frozen: the arrays are read-only copies.
    Build with the class methods (profiles in the module docstring) or :meth:`from_array`.
    """

    grid: Grid
    magnetization: np.ndarray = field(repr=False)
    jacobian: np.ndarray | None = field(default=None, repr=False)
    name: str = "user array"

    def __post_init__(self):
        if not isinstance(self.grid, Grid):
            raise ValueError(f"grid must be a spincharge.textures.Grid, got {type(self.grid).__name__}")
        magnetization = np.asarray(self.magnetization)
        if not np.issubdtype(magnetization.dtype, np.number) or np.iscomplexobj(magnetization):
            raise ValueError(f"magnetization must be a real numeric array, got dtype {magnetization.dtype}")
        expected = (3,) + self.grid.shape
        if magnetization.shape != expected:
            raise ValueError(f"magnetization must have shape {expected} (3, ny, nx), got {magnetization.shape}")
        if not np.all(np.isfinite(magnetization)):
            raise ValueError("magnetization must be finite everywhere (found NaN or inf)")
        object.__setattr__(self, "magnetization", _readonly(magnetization))
        if self.jacobian is not None:
            jacobian = np.asarray(self.jacobian, dtype=float)
            if jacobian.shape != (3, 2) + self.grid.shape:
                raise ValueError(f"jacobian must have shape {(3, 2) + self.grid.shape}, got {jacobian.shape}")
            if not np.all(np.isfinite(jacobian)):
                raise ValueError("jacobian must be finite everywhere (found NaN or inf)")
            object.__setattr__(self, "jacobian", _readonly(jacobian))

    # components -------------------------------------------------------------------------------
    @property
    def mx(self) -> np.ndarray:
        return self.magnetization[0]

    @property
    def my(self) -> np.ndarray:
        return self.magnetization[1]

    @property
    def mz(self) -> np.ndarray:
        return self.magnetization[2]

    def to_dataset(self):
        """``M_x, M_y, M_z`` (units E0) on coordinates ``y, x`` (units L0), the name in the attributes."""
        import xarray as xr

        data = {f"M_{c}": (("y", "x"), self.magnetization[i], {"units": "E0"}) for i, c in enumerate("xyz")}
        coords = {axis: (axis, getattr(self.grid, axis), {"units": "L0"}) for axis in ("x", "y")}
        return xr.Dataset(data, coords=coords, attrs={"texture": self.name})

    # constructors -----------------------------------------------------------------------------
    @classmethod
    def from_array(cls, grid: Grid, magnetization, *, jacobian=None, name: str = "user array") -> Texture:
        """Any user array ``magnetization`` of shape ``(3, ny, nx)`` (energy units) on ``grid``."""
        return cls(grid, magnetization, jacobian, name)

    @classmethod
    def skyrmion(
        cls,
        grid: Grid,
        *,
        radius: float,
        wall_width: float,
        amplitude: float = 1.0,
        helicity: float = 0.0,
        core_polarity: int = -1,
        center=None,
    ) -> Texture:
        """Skyrmion with the 360-degree domain-wall profile (module docstring); ``M_z(radius) = 0``.

        ``helicity`` 0 gives a Neel (hedgehog) skyrmion, pi/2 a Bloch skyrmion.
        """
        radius, width = _positive(radius, "radius"), _positive(wall_width, "wall_width")
        amplitude, helicity = _positive(amplitude, "amplitude"), _finite(helicity, "helicity")
        polarity, center = _polarity(core_polarity), _center(grid, center)
        shift = _log_sinh(radius / width)

        def ell(rho):
            with np.errstate(divide="ignore"):  # ln sinh(0) = -inf: the core, where tanh = -1
                return _log_sinh(rho / width) - shift

        def sech_coth(rho):  # sech(ell) coth(rho/w)
            return _sech(ell(rho)) / np.tanh(rho / width)

        magnetization, jacobian = _radial(
            grid,
            center,
            mz=lambda rho: -polarity * amplitude * np.tanh(ell(rho)),
            dmz=lambda rho: -polarity * amplitude * sech_coth(rho) * _sech(ell(rho)) / width,
            inplane=lambda rho: amplitude * _sech(ell(rho)),
            dinplane=lambda rho: -amplitude * np.tanh(ell(rho)) * sech_coth(rho) / width,
            inplane_over_rho_at_0=2 * amplitude * np.exp(-shift) / width,
            helicity=helicity,
        )
        kind = {0.0: "Neel", float(np.pi / 2): "Bloch"}.get(helicity, f"helicity {helicity:.3g}")
        return cls(grid, magnetization, jacobian, f"{kind} skyrmion (R={radius:g} L0, w={width:g} L0)")

    @classmethod
    def neel_skyrmion(cls, grid: Grid, **kwargs) -> Texture:
        """:meth:`skyrmion` with helicity 0 (in-plane M along rho_hat)."""
        return cls.skyrmion(grid, helicity=0.0, **kwargs)

    @classmethod
    def bloch_skyrmion(cls, grid: Grid, **kwargs) -> Texture:
        """:meth:`skyrmion` with helicity pi/2 (in-plane M along phi_hat)."""
        return cls.skyrmion(grid, helicity=np.pi / 2, **kwargs)

    @classmethod
    def gaussian_bubble(
        cls, grid: Grid, *, width: float, amplitude: float = 1.0, background: float = 0.0, center=None
    ) -> Texture:
        """``M_z = background + amplitude * exp(-rho^2 / 2 width^2)``, no in-plane component."""
        width = _positive(width, "width")
        amplitude, background = _finite(amplitude, "amplitude"), _finite(background, "background")
        center = _center(grid, center)

        def bump(rho):
            return amplitude * np.exp(-(rho**2) / (2 * width**2))

        magnetization, jacobian = _radial(
            grid,
            center,
            mz=lambda rho: background + bump(rho),
            dmz=lambda rho: -rho * bump(rho) / width**2,
            inplane=np.zeros_like,
            dinplane=np.zeros_like,
            inplane_over_rho_at_0=0.0,
            helicity=0.0,
        )
        return cls(grid, magnetization, jacobian, f"Gaussian bubble (w={width:g} L0)")

    @classmethod
    def domain_wall(
        cls,
        grid: Grid,
        *,
        width: float,
        kind: str = "neel",
        amplitude: float = 1.0,
        normal_angle: float = 0.0,
        center=None,
    ) -> Texture:
        """Straight wall ``M_z = amplitude * tanh(u/width)`` across ``u = (r - center) . n``.

        ``kind`` is ``"neel"`` (in-plane M along n) or ``"bloch"`` (along z_hat x n). The wall's
        profile is not periodic, so the grid must not be periodic along a direction in which it varies.
        """
        width, amplitude = _positive(width, "width"), _positive(amplitude, "amplitude")
        angle, center = _finite(normal_angle, "normal_angle"), _center(grid, center)
        helicities = {"neel": 0.0, "bloch": np.pi / 2}
        if kind not in helicities:
            raise ValueError(f"kind must be 'neel' or 'bloch', got {kind!r}")
        normal = np.array([np.cos(angle), np.sin(angle)])
        _check_not_periodic(grid, normal, "domain_wall")
        gamma = helicities[kind]
        direction = np.cos(gamma) * normal + np.sin(gamma) * np.array([-normal[1], normal[0]])
        X, Y = grid.mesh()
        u = ((X - center[0]) * normal[0] + (Y - center[1]) * normal[1]) / width
        sech, tanh = _sech(u), np.tanh(u)
        magnetization = amplitude * np.stack([sech * direction[0], sech * direction[1], tanh])
        d_inplane = -amplitude * sech * tanh / width
        d_mz = amplitude * sech**2 / width
        jacobian = np.empty((3, 2) + grid.shape)
        for a in range(2):
            jacobian[0, a], jacobian[1, a] = d_inplane * direction[0] * normal[a], d_inplane * direction[1] * normal[a]
            jacobian[2, a] = d_mz * normal[a]
        return cls(grid, magnetization, jacobian, f"{kind.capitalize()} domain wall (w={width:g} L0)")

    @classmethod
    def out_of_plane_gradient(cls, grid: Grid, *, gradient, offset: float = 0.0, center=None) -> Texture:
        """``M_z = offset + gradient . (r - center)``: the diode set-up of paper 000, Fig. 1(c).

        ``gradient`` is ``(dM_z/dx, dM_z/dy)`` (energy per length); its component along a periodic axis
        must vanish (a linear ramp is not periodic).
        """
        if np.ndim(gradient) != 1 or len(gradient) != 2 or not np.all(np.isfinite(gradient)):
            raise ValueError(f"gradient must be a finite pair (dMz/dx, dMz/dy), got {gradient!r}")
        gradient = np.asarray(gradient, dtype=float)
        offset, center = _finite(offset, "offset"), _center(grid, center)
        _check_not_periodic(grid, gradient, "out_of_plane_gradient")
        X, Y = grid.mesh()
        magnetization = np.zeros((3,) + grid.shape)
        magnetization[2] = offset + gradient[0] * (X - center[0]) + gradient[1] * (Y - center[1])
        jacobian = np.zeros((3, 2) + grid.shape)
        jacobian[2, 0], jacobian[2, 1] = gradient
        return cls(grid, magnetization, jacobian, f"out-of-plane gradient ({gradient[0]:g}, {gradient[1]:g})")


def _check_not_periodic(grid: Grid, direction: np.ndarray, what: str) -> None:
    for axis, name in enumerate("xy"):
        if grid.periodic[axis] and abs(direction[axis]) > 1e-12 * np.max(np.abs(direction)):
            raise ValueError(
                f"{what} varies along {name}, but the grid is periodic along {name}: "
                f"use a grid with periodic[{axis}] = False"
            )
