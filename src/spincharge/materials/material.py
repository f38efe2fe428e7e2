"""A diffusive conductor's spin-orbit tensors, validated against its point group (paper 003).

Index conventions are those of :mod:`spincharge.symmetry.tensors` (``allowed_form(group, name)``):
``D[k, j]`` (gradient, gradient), ``Gamma[k, j]`` (spin, spin), ``alpha[k, j]``, ``gamma[k, j]``,
``theta[k, j]`` and ``kappa[k, j]`` as the symmetry module's specs list them. In the normal state they
enter paper 003, Eqs. (S10)-(S13), as :mod:`spincharge.diffusion.equations` states them (with the
precession 2 h x S, the spin Hall index of (S13) and the Edelstein sign of (S11) corrected there),
with Gamma_0 = Tr Gamma, so the relaxation torque is -R S with R = (Gamma_0 1 - Gamma) / 2
(:func:`relaxation_matrix`; isotropic Gamma = Gamma_0 1 / 3 gives R = Gamma_0 / 3, 1/tau_s). Units
(internal, hbar = e = 1, energy E0, length L0): D in E0 L0^2 (diffusion constant), Gamma and h in E0
(rates), alpha and gamma in E0 L0 (velocities: D per length), theta and kappa dimensionless (the spin
Hall angle and the swapping coefficient multiply D).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import constants as sc

from ..symmetry import allowed_form, point_group
from ..units import UnitSystem

__all__ = ["Material", "TENSOR_NAMES", "relaxation_matrix"]

TENSOR_NAMES = ("D", "Gamma", "alpha", "gamma", "theta", "kappa")
_POSITIVE = ("D", "Gamma")
_SI_QUANTITY = {"D": "diffusion_constant", "Gamma": "angular_frequency", "alpha": "velocity", "gamma": "velocity"}
_TOLERANCE = 1e-10


def relaxation_matrix(gamma_tensor) -> np.ndarray:
    """R = (Tr Gamma 1 - Gamma) / 2: the spin-relaxation torque of paper 003, Eq. (S11), is -R S."""
    gamma_tensor = np.asarray(gamma_tensor, dtype=float)
    return 0.5 * (np.trace(gamma_tensor) * np.eye(3) - gamma_tensor)


def _component(index) -> str:
    return "".join("xyz"[i] for i in index)


@dataclass(frozen=True)
class Material:
    """Frozen, validated spin-orbit tensors of one material (module docstring for equations and units).

    Parameters
    ----------
    D, Gamma, alpha, gamma, theta, kappa : array (3, 3)
        The tensors of paper 003 (zero when omitted, except D and Gamma, which are required and must be
        symmetric positive definite).
    h : array (3,)
        Exchange or Zeeman field (energy), precession eps_lmr h_m S^r in Eq. (S11).
    group : str, optional
        Point group (any name :func:`spincharge.symmetry.point_group` accepts). Every tensor must then
        have the group's allowed form; a forbidden component raises ValueError naming it.
    name : str
        A label for reports.
    """

    D: np.ndarray
    Gamma: np.ndarray
    alpha: np.ndarray = field(default_factory=lambda: np.zeros((3, 3)))
    gamma: np.ndarray = field(default_factory=lambda: np.zeros((3, 3)))
    theta: np.ndarray = field(default_factory=lambda: np.zeros((3, 3)))
    kappa: np.ndarray = field(default_factory=lambda: np.zeros((3, 3)))
    h: np.ndarray = field(default_factory=lambda: np.zeros(3))
    group: str | None = None
    name: str = "material"

    def __post_init__(self):
        for tensor in TENSOR_NAMES:
            value = np.array(getattr(self, tensor), dtype=float)
            if value.ndim == 0:  # a scalar means an isotropic tensor
                value = value * np.eye(3)
            if value.shape != (3, 3) or not np.all(np.isfinite(value)):
                raise ValueError(f"{tensor} must be a finite 3x3 array (or a scalar), got shape {value.shape}")
            value.flags.writeable = False
            object.__setattr__(self, tensor, value)
        h = np.array(self.h, dtype=float)
        if h.shape != (3,) or not np.all(np.isfinite(h)):
            raise ValueError(f"h must be a finite 3-vector, got {self.h!r}")
        h.flags.writeable = False
        object.__setattr__(self, "h", h)
        for tensor in _POSITIVE:
            value = getattr(self, tensor)
            if np.max(np.abs(value - value.T)) > _TOLERANCE * max(1.0, np.max(np.abs(value))):
                raise ValueError(f"{tensor} must be symmetric, got {value.tolist()}")
            smallest = np.linalg.eigvalsh(value).min()
            if not smallest > 0:
                raise ValueError(f"{tensor} must be positive definite (smallest eigenvalue {smallest:.3g} <= 0)")
        if self.group is not None:
            point_group(self.group)  # an unknown name raises, listing the accepted ones
            for tensor in TENSOR_NAMES:
                self._check_allowed(tensor)

    def _check_allowed(self, tensor: str) -> None:
        form = allowed_form(self.group, tensor)
        value = getattr(self, tensor)
        basis = form.basis.reshape(len(form.basis), -1)
        if len(basis):
            coefficients, *_ = np.linalg.lstsq(basis.T, value.ravel(), rcond=None)
            residual = value.ravel() - basis.T @ coefficients
        else:
            residual = value.ravel()
        scale = max(1.0, np.max(np.abs(value)))
        worst = int(np.argmax(np.abs(residual)))
        if abs(residual[worst]) > 1e-9 * scale:
            component = _component(np.unravel_index(worst, value.shape))
            allowed = ", ".join(form.parameters) or "none (the tensor is forbidden)"
            raise ValueError(
                f"{tensor}_{component} = {value.ravel()[worst]:.6g} is forbidden by point group {self.group} "
                f"(this component deviates from the allowed form by {residual[worst]:.3g}); allowed parameters "
                f"of {tensor}: {allowed}"
            )

    @classmethod
    def from_point_group(cls, group: str, *, h=(0.0, 0.0, 0.0), name: str | None = None, **parameters) -> Material:
        """The material whose tensors are sum_i p_i basis_i, with the named parameters of ``allowed_form``.

        ``Material.from_point_group("C4v", D_xx=1, D_zz=1, Gamma_xx=0.1, Gamma_zz=0.2, gamma_xy=0.05)``.
        A name the group does not allow raises ValueError listing the allowed names of that tensor.
        """
        values = {}
        for tensor in TENSOR_NAMES:
            form = allowed_form(group, tensor)
            given = {k: v for k, v in parameters.items() if k.split("_", 1)[0] == tensor}
            unknown = sorted(set(given) - set(form.parameters))
            if unknown:
                allowed = ", ".join(form.parameters) or "none (the tensor is forbidden)"
                raise ValueError(
                    f"{', '.join(unknown)}: not a free parameter of {tensor} in point group {group}; "
                    f"allowed: {allowed}"
                )
            values[tensor] = form.evaluate(given) if given else np.zeros((3, 3))
        stray = sorted(k for k in parameters if k.split("_", 1)[0] not in TENSOR_NAMES)
        if stray:
            raise ValueError(f"{', '.join(stray)}: parameters must be named <tensor>_<component> with tensor one of "
                             f"{', '.join(TENSOR_NAMES)}")  # fmt: skip
        return cls(**values, h=h, group=group, name=name or f"{group} material")

    @classmethod
    def from_si(
        cls,
        units: UnitSystem,
        *,
        diffusion_m2_s: float,
        spin_lifetime_s: float | None = None,
        spin_diffusion_length_m: float | None = None,
        spin_hall_angle: float = 0.0,
        field_tesla=(0.0, 0.0, 0.0),
        g_factor: float = 2.0,
        name: str = "material",
    ) -> Material:
        """An isotropic conductor from SI quantities (D, tau_s or lambda_s = sqrt(D tau_s), theta_SH, B).

        Gamma = (1 / tau_s) 1, so that R = (Tr Gamma - Gamma) / 2 = 1/tau_s (module docstring); theta = theta_SH 1 (Eq. S12
        multiplies theta by D); the Zeeman field h = g mu_B B / 2 as an energy.
        """
        if (spin_lifetime_s is None) == (spin_diffusion_length_m is None):
            raise ValueError("give exactly one of spin_lifetime_s and spin_diffusion_length_m")
        if not (np.isfinite(diffusion_m2_s) and diffusion_m2_s > 0):
            raise ValueError(f"diffusion_m2_s must be > 0, got {diffusion_m2_s!r}")
        if spin_lifetime_s is None:
            if not (np.isfinite(spin_diffusion_length_m) and spin_diffusion_length_m > 0):
                raise ValueError(f"spin_diffusion_length_m must be > 0, got {spin_diffusion_length_m!r}")
            spin_lifetime_s = spin_diffusion_length_m**2 / diffusion_m2_s
        if not (np.isfinite(spin_lifetime_s) and spin_lifetime_s > 0):
            raise ValueError(f"spin_lifetime_s must be > 0, got {spin_lifetime_s!r}")
        d = float(units.from_si(diffusion_m2_s, "diffusion_constant"))
        rate = float(units.from_si(1.0 / spin_lifetime_s, "angular_frequency"))
        zeeman = g_factor * sc.physical_constants["Bohr magneton"][0] * np.asarray(field_tesla, dtype=float) / 2
        h = units.from_si(zeeman, "energy")
        return cls(D=d * np.eye(3), Gamma=rate * np.eye(3), theta=spin_hall_angle * np.eye(3), h=h, name=name)

    @property
    def relaxation(self) -> np.ndarray:
        """R = (Tr Gamma 1 - Gamma) / 2, the spin-relaxation matrix (torque -R S)."""
        return relaxation_matrix(self.Gamma)

    def to_si(self, units: UnitSystem) -> dict[str, np.ndarray]:
        """The tensors in SI: D in m^2/s, Gamma and relaxation in 1/s, alpha and gamma in m/s, theta and
        kappa dimensionless, h in J."""
        out = {t: np.asarray(units.to_si(getattr(self, t), _SI_QUANTITY[t])) for t in _SI_QUANTITY}
        out |= {"theta": self.theta.copy(), "kappa": self.kappa.copy(), "h": np.asarray(units.to_si(self.h, "energy"))}
        out["relaxation"] = np.asarray(units.to_si(self.relaxation, "angular_frequency"))
        return out
