"""Spin textures induced around a superconducting vortex by the spin-galvanic tensor gamma.

Paper 003, Appendix E: around a vortex of winding n the phase gradient d_k phi = n phi_hat_k / r enters
the Usadel equation through the torque of Eq. (S5), T = gamma_lk sigma_l d_k g for a singlet g, as an
effective exchange field along

    h_eff,l = n gamma_lk phi_hat_k,      phi_hat = (-sin phi, cos phi, 0),

with the spin index l first, as in the action (Eq. 6), in Eqs. (10)-(12) and in Appendix F.  Eq. (S2) of
the paper prints the transpose, n phi_hat_k gamma_kj; the two differ for the antisymmetric (Rashba-like)
part, and the paper's own statement that the spin points radially outward for n gamma_xy > 0 holds for
the spin-first order only (docs/conventions.md, "Point-group symmetry", records the check).

The in-plane 2x2 block of gamma splits into the three classes of Appendix E:
Rashba-like (gamma_xy = -gamma_yx: spin radial), chiral (gamma_xx = gamma_yy: spin tangential) and
Dresselhaus-like (gamma_xx = -gamma_yy or gamma_xy = gamma_yx: the spin winds opposite to the path).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..results import CARTESIAN, Result
from .groups import PointGroup, point_group
from .tensors import allowed_form

__all__ = [
    "TEXTURE_CLASSES",
    "texture_class_weights",
    "texture_classes",
    "VortexSpinTexture",
    "vortex_spin_texture",
    "group_gamma",
    "plot_vortex_spin_textures",
    "spin_galvanic_torque",
    "torque_exchange_field",
]

TEXTURE_CLASSES = ("Rashba-like", "chiral", "Dresselhaus-like")


def texture_class_weights(gamma) -> dict[str, float]:
    """Norms of the Rashba-like, chiral and Dresselhaus-like parts of the in-plane block of ``gamma``.

    With A the xy block: Rashba-like (A_xy - A_yx)/2, chiral (A_xx + A_yy)/2, Dresselhaus-like the
    symmetric traceless part ((A_xx - A_yy)/2, (A_xy + A_yx)/2) (paper 003, Appendix E).  The three parts
    are orthogonal and A = rashba [[0, 1], [-1, 0]] + chiral 1 + dresselhaus part.
    """
    a = np.asarray(gamma, dtype=float)[:2, :2]
    return {
        "Rashba-like": abs(a[0, 1] - a[1, 0]) / 2,
        "chiral": abs(a[0, 0] + a[1, 1]) / 2,
        "Dresselhaus-like": float(np.hypot(a[0, 0] - a[1, 1], a[0, 1] + a[1, 0])) / 2,
    }


def texture_classes(group: str | PointGroup, *, tolerance: float = 1e-8) -> tuple[str, ...]:
    """Which of the three texture classes the allowed gamma of ``group`` contains (Appendix E)."""
    form = allowed_form(group, "gamma")
    present = {name for element in form.basis for name, w in texture_class_weights(element).items() if w > tolerance}
    return tuple(name for name in TEXTURE_CLASSES if name in present)


@dataclass(frozen=True, repr=False, eq=False)
class VortexSpinTexture(Result):
    """Direction of the effective exchange field h_eff = n gamma phi_hat around a vortex (paper 003, Eq. S2).

    ``angles`` phi on the circle, ``field`` h_eff at each angle, shape (n_angles, 3) (the direction does not
    depend on r; the radial profile comes from the Usadel solution, paper 003 Fig. 3).
    ``in_plane_winding`` is the number of turns of the in-plane spin (h_x, h_y) while phi goes once around
    counter-clockwise (+1 Rashba-like and chiral, -1 Dresselhaus-like; 0 when the in-plane field vanishes
    somewhere on the circle).  ``current_spin_angle`` is the signed angle from the supercurrent direction
    sign(n) phi_hat to the in-plane spin (-pi/2 Rashba-like with n gamma_xy > 0, i.e. spin radially outward;
    0 chiral with n gamma_xx > 0; 0 at angles where the in-plane spin vanishes).
    """
    _dims = {"gamma": ("spin_axis", "gradient_axis"), "angles": ("angles",), "field": ("angles", "spin_axis"),
             "current_spin_angle": ("angles",)}  # fmt: skip
    _labels = {"spin_axis": CARTESIAN, "gradient_axis": CARTESIAN}
    _units = {"angles": "rad", "current_spin_angle": "rad"}

    gamma: np.ndarray
    vorticity: int
    angles: np.ndarray
    field: np.ndarray
    in_plane_winding: int
    current_spin_angle: np.ndarray

    _attrs = ("vorticity",)


_PAULI = (np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]), np.diag([1.0 + 0j, -1.0]))
_LEVI_CIVITA = np.zeros((3, 3, 3))
for _i, _j, _k in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
    _LEVI_CIVITA[_i, _j, _k], _LEVI_CIVITA[_j, _i, _k] = 1.0, -1.0


def _commutator(a, b):
    return a @ b - b @ a


def _anticommutator(a, b):
    return a @ b + b @ a


def spin_galvanic_torque(
    gamma, phase_gradient, *, pair_amplitude: float = 0.8, phase: float = 0.7, equation: str = "S5"
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """The gamma part of the matrix torque for a phase-twisted singlet g (4x4, spin x Nambu).

    g = e^{-i phase tau3/2} (g0 tau3 + f0 tau2) e^{i phase tau3/2} with f0 = ``pair_amplitude``,
    g0 = sqrt(1 - f0^2) (paper 003, Eq. S1), so that d_k g = -(i/2) d_k phase [tau3, g].
    ``equation="S5"``: T = -(i/8) eps_ijl gamma_lk [{d_k g, g sigma_i g}, sigma_j] (paper 003, Eq. S5);
    ``equation="9"``: T = -(i/8) eps_ijl gamma_lk {[d_k g, g sigma_i g], sigma_j}, the bracket order
    printed in Eq. (9).  Returns (T, g, [d_k g]).
    """
    gamma, phase_gradient = np.asarray(gamma, dtype=float), np.asarray(phase_gradient, dtype=float)
    if gamma.shape != (3, 3) or phase_gradient.shape != (3,):
        raise ValueError("gamma must have shape (3, 3) and phase_gradient shape (3,)")
    if not 0.0 < pair_amplitude < 1.0:
        raise ValueError(f"pair_amplitude must lie in (0, 1), got {pair_amplitude}")
    if equation not in ("S5", "9"):
        raise ValueError(f"equation must be 'S5' or '9', got {equation!r}")
    one = np.eye(2)
    sigma = [np.kron(p, one) for p in _PAULI]
    tau2, tau3 = np.kron(one, _PAULI[1]), np.kron(one, _PAULI[2])
    twist = np.kron(one, np.diag(np.exp([-0.5j * phase, 0.5j * phase])))
    g = twist @ (np.sqrt(1.0 - pair_amplitude**2) * tau3 + pair_amplitude * tau2) @ twist.conj().T
    dg = [-0.5j * d * _commutator(tau3, g) for d in phase_gradient]
    inner, outer = (_anticommutator, _commutator) if equation == "S5" else (_commutator, _anticommutator)
    torque = np.zeros((4, 4), complex)
    for i, j, l in zip(*np.nonzero(_LEVI_CIVITA)):
        for k in range(3):
            torque += -1j / 8 * _LEVI_CIVITA[i, j, l] * gamma[l, k] * outer(inner(dg[k], g @ sigma[i] @ g), sigma[j])
    return torque, g, dg


def torque_exchange_field(gamma, phase_gradient, **kwargs) -> np.ndarray:
    """The exchange-field direction h_l with T = sum_l h_l sigma_l d_phase g, from Eq. (S5) numerically.

    The torque of :func:`spin_galvanic_torque` is projected on the matrices sigma_l [tau3, g] that an
    exchange field along l produces (paper 003, Appendix E); the analytic contraction predicts
    h_l = gamma_lk d_k phase (spin index first).  Keyword arguments go to :func:`spin_galvanic_torque`.
    """
    torque, g, _ = spin_galvanic_torque(gamma, phase_gradient, **kwargs)
    one = np.eye(2)
    tau3 = np.kron(one, _PAULI[2])
    directions = [-0.5j * np.kron(p, one) @ _commutator(tau3, g) for p in _PAULI]
    gram = np.array([[np.vdot(a, b) for b in directions] for a in directions])
    overlaps = np.array([np.vdot(a, torque) for a in directions])
    return np.real(np.linalg.solve(gram, overlaps))


def _azimuthal(angles: np.ndarray) -> np.ndarray:
    return np.stack([-np.sin(angles), np.cos(angles), np.zeros_like(angles)], axis=-1)


def vortex_spin_texture(gamma, *, vorticity: int = 1, n_angles: int = 64) -> VortexSpinTexture:
    """h_eff,l(phi) = n gamma_lk phi_hat_k on ``n_angles`` points of a circle around the vortex.

    Paper 003, Eq. (S2), with the spin index of gamma first (module docstring).  The in-plane winding is
    the sum of the wrapped angle steps of (h_x, h_y) along the closed circle.
    """
    gamma = np.asarray(gamma, dtype=float)
    if gamma.shape != (3, 3) or not np.all(np.isfinite(gamma)):
        raise ValueError("gamma must be a finite 3x3 array")
    if int(vorticity) != vorticity or vorticity == 0:
        raise ValueError(f"vorticity must be a non-zero integer, got {vorticity}")
    if n_angles < 8:
        raise ValueError(f"n_angles must be at least 8, got {n_angles}")
    angles = np.linspace(0.0, 2.0 * np.pi, n_angles, endpoint=False)
    phi_hat = _azimuthal(angles)
    field = vorticity * phi_hat @ gamma.T
    in_plane = field[:, 0] + 1j * field[:, 1]
    singular_values = np.linalg.svd(gamma[:2, :2], compute_uv=False)
    if singular_values[1] <= 1e-12 * singular_values[0] or singular_values[0] == 0.0:
        winding = 0  # the in-plane field n A phi_hat vanishes somewhere on the circle (det A = 0)
    else:
        # the angle of A phi_hat is monotonic and turns by pi per half circle, so steps of less than
        # half a circle are below pi and their wrapped sum counts the turns exactly
        steps = np.angle(np.roll(in_plane, -1) / in_plane)
        winding = int(round(np.sum(steps) / (2.0 * np.pi)))
    current = np.sign(vorticity) * (phi_hat[:, 0] + 1j * phi_hat[:, 1])
    current_spin_angle = np.angle(in_plane * np.conj(current))  # np.angle(0) = 0 where the spin is along z
    return VortexSpinTexture(gamma, int(vorticity), angles, field, winding, current_spin_angle)


def group_gamma(group: str | PointGroup, values: Mapping[str, float] | None = None) -> np.ndarray:
    """A numerical gamma allowed by ``group``: ``values`` of its named parameters.

    Without ``values`` the i-th parameter (in the order of ``allowed_form(group, "gamma").parameters``)
    is 1 / (i + 1): one parameter is 1, and mixtures of several are generic (no accidental degeneracy).
    """
    form = allowed_form(group, "gamma")
    if not form.is_allowed:
        raise ValueError(f"group {form.group} is not gyrotropic: gamma vanishes, there is no vortex spin texture")
    if values is None:
        values = {name: 1.0 / (i + 1) for i, name in enumerate(form.parameters)}
    return form.evaluate(values)


def plot_vortex_spin_textures(
    groups: Sequence[str | PointGroup] = ("C4v", "O", "D2d"),
    *,
    values: Mapping[str, Mapping[str, float]] | None = None,
    vorticity: int = 1,
    n_angles: int = 16,
    radii: Sequence[float] = (1.0, 2.0, 3.0),
):
    """Fig. 2 of paper 003 for any groups: in-plane spin directions on circles around a vortex.

    One panel per group, with gamma from :func:`group_gamma` (``values[group.name]`` or its default);
    arrows show the in-plane direction of h_eff, their colour its z component relative to |h_eff|, and
    the grey circles carry the supercurrent (along sign(n) phi_hat).  Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    groups = [point_group(g) for g in groups]
    if not groups:
        raise ValueError("groups must name at least one point group")
    fig, axes = plt.subplots(1, len(groups), figsize=(3.6 * len(groups), 4.0), squeeze=False)
    for ax, group in zip(axes[0], groups):
        gamma = group_gamma(group, None if values is None else values.get(group.name))
        texture = vortex_spin_texture(gamma, vorticity=vorticity, n_angles=n_angles)
        field = texture.field / np.linalg.norm(texture.field, axis=1, keepdims=True).clip(min=1e-300)
        for radius in radii:
            x, y = radius * np.cos(texture.angles), radius * np.sin(texture.angles)
            ax.add_patch(plt.Circle((0, 0), radius, fill=False, color="0.8", lw=0.8))
            arrows = ax.quiver(
                x, y, field[:, 0], field[:, 1], field[:, 2], cmap="viridis", clim=(-1, 1),
                pivot="middle", angles="xy", scale_units="xy", scale=1.4, width=0.014,
            )
        ax.plot(0, 0, "ko", ms=6)
        weights = texture_class_weights(gamma)
        kinds = ", ".join(name for name in TEXTURE_CLASSES if weights[name] > 1e-8)
        ax.set_title(f"{group.name} ({group.hermann_mauguin})\n{kinds}\nwinding {texture.in_plane_winding:+d}", fontsize=9)
        limit = 1.25 * max(radii)
        # the direction of h_eff depends on the angle only (Eq. S2), so the radii are a drawing scale
        ax.set(xlim=(-limit, limit), ylim=(-limit, limit), aspect="equal", xticks=[], yticks=[],
               xlabel="x (arbitrary units)", ylabel="y (arbitrary units)")  # fmt: skip
    fig.colorbar(arrows, ax=axes[0].tolist(), shrink=0.7, label="h_z / |h_eff| (dimensionless)")
    handles = [
        Line2D([], [], color="k", marker="o", ls="none", ms=6, label="vortex core"),
        Line2D([], [], color="0.8", lw=0.8, label="supercurrent path (along sign(n) phi_hat)"),
        Line2D([], [], color=plt.get_cmap("viridis")(0.5), marker=r"$\rightarrow$", ls="none", ms=12,
               label="in-plane direction of h_eff (colour: h_z / |h_eff|)"),
    ]  # fmt: skip
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False)
    return fig
