"""Cosine textures of M_z on the lattice, and chi, g_spin read off the induced J_y(x) and S_x(x).

Paper 000, Eqs. (2)-(3) (with S = +g_spin grad M_z, docs/conventions.md) for M_z(x) = m0 cos(q x):

    J = -chi curl(z_hat M_z) = chi z_hat x grad M_z   ->   J_y(x) = chi dM_z/dx = -chi m0 q sin(q x),
    S = g_spin grad M_z                               ->   S_x(x) = g_spin dM_z/dx = -g_spin m0 q sin(q x).

On the lattice the responses at wavenumber q define

    chi(q) = -J_y(q) / (m0 q),    g_spin(q) = -S_x(q) / (m0 q),    F(q) = (2/N) sum_j F(x_j) sin(q x_j),

which tend to the paper's chi and g_spin for q -> 0 (even in q: chi(q) = chi + c_2 q^2 + c_4 q^4 + ...)
and a -> 0. Both responses are odd in M (time reversal maps M -> -M, J -> -J, S -> -S), so the linear
response has O(m0^2) relative corrections. Several harmonics q_p = 2 pi p / L, p = 1..P, of the supercell
length L are put in one texture, M_z = m0 sum_p cos(q_p x): in linear response each harmonic answers at
its own wavenumber (the lattice is translation invariant), so one diagonalisation gives chi(q_p) at all
of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..results import Result
from .ground_state import BlochGrid, ground_state_densities
from .model import RashbaLattice, require_integer

__all__ = [
    "LatticeTextureResponse",
    "LatticeCoefficients",
    "ContinuumLimit",
    "texture_response",
    "extract_coefficients",
    "extrapolate_to_zero",
    "continuum_limit",
]


@dataclass(frozen=True)
class LatticeTextureResponse(Result):
    """Densities induced by M_z(x) = m0 sum_{p=1..P} cos(q_p x), q_p = 2 pi p / (N a), on the lattice.

    ``current_y`` = J_y(x_j) (charge current per length, e = 1); ``spin_x``, ``spin_y``, ``spin_z`` = S_a(x_j)
    (Pauli spin per area); ``chi_at_q``, ``g_spin_at_q``: the ratios defined in the module docstring at each
    ``wavenumbers`` q_p; ``*_error``: their change when every other k_y (and k_x) is dropped, an estimate
    (generous for the exponentially converging gapped sums) of the Bloch-sampling error.
    """
    _dims = {name: ("x",) for name in ("x", "exchange_z", "current_y", "spin_x", "spin_y", "spin_z")} | {
        name: ("wavenumbers",) for name in ("wavenumbers", "chi_at_q", "g_spin_at_q", "chi_at_q_error", "g_spin_at_q_error")
    }  # fmt: skip
    _units = {"x": "a (lattice spacing)", "wavenumbers": "1 / a", "exchange_z": "t", "temperature": "t"}

    x: np.ndarray
    exchange_z: np.ndarray
    current_y: np.ndarray
    spin_x: np.ndarray
    spin_y: np.ndarray
    spin_z: np.ndarray
    wavenumbers: np.ndarray
    chi_at_q: np.ndarray
    g_spin_at_q: np.ndarray
    chi_at_q_error: np.ndarray
    g_spin_at_q_error: np.ndarray
    amplitude: float
    lattice: RashbaLattice
    temperature: float
    settings: dict[str, Any] = field(default_factory=dict)

    _attrs = ("lattice", "settings")


def texture_response(
    lattice: RashbaLattice,
    m0: float,
    n_cells: int,
    n_ky: int,
    temperature: float = 0.0,
    *,
    n_kx: int = 1,
    harmonics: int = 1,
) -> LatticeTextureResponse:
    """J_y(x), S(x) of the lattice BdG state with M_z(x) = m0 sum_{p<=harmonics} cos(2 pi p x / (n_cells a)).

    Paper 000, Eqs. (1)-(3): the densities are the Hellmann-Feynman derivatives of the grand potential
    (``ground_state_densities``) on a supercell of ``n_cells`` sites with ``n_kx`` Bloch momenta across it
    and ``n_ky`` along y (even, for the error estimate). ``harmonics`` <= n_cells / 4 keeps the
    wavenumbers well below the lattice cut-off pi / a. ``m0`` should be small against Delta: the ratios have
    O(m0^2) relative corrections (5 m0^2 measured at m = mu = 1, v = Delta = 0.7). With a supercell several
    coherence lengths xi = v_F / Delta long, n_kx = 1 suffices (n_kx = 2 changed chi(q) by 2e-6 at L = 8 xi).
    """
    if not (math.isfinite(m0) and m0 != 0):
        raise ValueError(f"m0 must be finite and nonzero, got {m0!r}")
    require_integer("n_cells", n_cells, 4)
    require_integer("n_ky", n_ky, 2, even=True)
    require_integer("n_kx", n_kx, 1)
    require_integer("harmonics", harmonics, 1)
    if 4 * harmonics > n_cells:
        raise ValueError(f"harmonics must be <= n_cells / 4 = {n_cells // 4}, got {harmonics!r}")
    a = lattice.spacing
    x = a * np.arange(n_cells)
    orders = np.arange(1, harmonics + 1)
    q = 2 * math.pi * orders / (n_cells * a)
    exchange = np.zeros((3, n_cells))
    exchange[2] = m0 * np.cos(np.outer(q, x)).sum(axis=0)
    (current, spin), (current_half, spin_half) = ground_state_densities(
        lattice, exchange, np.zeros(n_cells), BlochGrid(n_kx, n_ky), temperature, subgrid=True
    )
    projector = 2.0 / n_cells * np.sin(np.outer(q, x))  # (P, N)

    def ratio(density):
        return -(projector @ density) / (m0 * q)

    chi, g_spin = ratio(current), ratio(spin[0])
    return LatticeTextureResponse(
        x=x,
        exchange_z=exchange[2],
        current_y=current,
        spin_x=spin[0],
        spin_y=spin[1],
        spin_z=spin[2],
        wavenumbers=q,
        chi_at_q=chi,
        g_spin_at_q=g_spin,
        chi_at_q_error=np.abs(chi - ratio(current_half)),
        g_spin_at_q_error=np.abs(g_spin - ratio(spin_half[0])),
        amplitude=float(m0),
        lattice=lattice,
        temperature=float(temperature),
        settings=dict(n_cells=n_cells, n_ky=n_ky, n_kx=n_kx, harmonics=harmonics),
    )


@dataclass(frozen=True)
class _FittedCoefficients(Result):
    """chi, g_spin at q -> 0 with their error estimates, and the finite-q data they were fitted to."""
    _dims = {name: ("wavenumbers",) for name in ("wavenumbers", "chi_at_q", "g_spin_at_q")}

    chi: float
    g_spin: float
    chi_error: float
    g_spin_error: float
    wavenumbers: np.ndarray
    chi_at_q: np.ndarray
    g_spin_at_q: np.ndarray


@dataclass(frozen=True)
class LatticeCoefficients(_FittedCoefficients):
    """chi and g_spin of one lattice at q -> 0 (polynomial fit in q^2), with error estimates and the data.

    ``chi_error`` (``g_spin_error``): |fit of degree ``degree`` - fit of degree ``degree`` + 1| at q = 0 (the
    size of the next term) plus the Bloch-sampling errors of the points propagated through the fit,
    sum_i |w_i| e_i (c_0 = sum_i w_i chi(q_i)).
    """

    lattice: RashbaLattice
    settings: dict[str, Any] = field(default_factory=dict)

    _attrs = ("lattice",)


def extrapolate_to_zero(x2, values, errors, degree: int) -> tuple[float, float]:
    """Value at x^2 = 0 of the least-squares polynomial in x^2 of degree ``degree`` through ``values``.

    Returns (value, error): error = |value - value of the degree + 1 fit| + sum_i |w_i| errors_i, with w_i
    the weights of the fitted constant, value = sum_i w_i values_i. Needs len(x2) >= degree + 2.
    """
    x2, values, errors = (np.asarray(z, dtype=float) for z in (x2, values, errors))
    fits = []
    for d in (degree, degree + 1):
        weights = np.linalg.pinv(np.vander(x2, d + 1, increasing=True))[0]
        fits.append((weights @ values, weights))
    (value, weights), (higher, _) = fits
    return float(value), float(abs(value - higher) + np.abs(weights) @ errors)


def _check_fit_points(name: str, available: int, degree: int) -> None:
    if available < degree + 2:
        raise ValueError(f"{name} must leave at least degree + 2 = {degree + 2} points for the fit, got {available}")


def extract_coefficients(
    response: LatticeTextureResponse,
    *,
    max_wavenumber: float | None = None,
    degree: int = 2,
) -> LatticeCoefficients:
    """Extrapolate chi(q), g_spin(q) of a multi-harmonic ``texture_response`` to q -> 0.

    Fits c_0 + c_2 q^2 + ... + c_{2 degree} q^{2 degree} (least squares) to the harmonics with
    q <= ``max_wavenumber`` (default: all); c_0 is chi (g_spin) of paper 000, Eqs. (2)-(3) on this lattice.
    Needs at least degree + 2 wavenumbers (the error estimate uses the fit of degree + 1).
    """
    require_integer("degree", degree, 0)
    q = response.wavenumbers
    use = q <= (max_wavenumber if max_wavenumber is not None else np.inf)
    _check_fit_points("max_wavenumber", int(use.sum()), degree)
    q2 = q[use] ** 2
    chi, chi_error = extrapolate_to_zero(q2, response.chi_at_q[use], response.chi_at_q_error[use], degree)
    g_spin, g_spin_error = extrapolate_to_zero(
        q2, response.g_spin_at_q[use], response.g_spin_at_q_error[use], degree
    )
    return LatticeCoefficients(
        chi=chi,
        g_spin=g_spin,
        chi_error=chi_error,
        g_spin_error=g_spin_error,
        wavenumbers=q[use],
        chi_at_q=response.chi_at_q[use],
        g_spin_at_q=response.g_spin_at_q[use],
        lattice=response.lattice,
        settings=dict(
            response.settings,
            degree=degree,
            max_wavenumber=max_wavenumber,
            temperature=response.temperature,
            amplitude=response.amplitude,
        ),
    )


@dataclass(frozen=True)
class ContinuumLimit(_FittedCoefficients):
    """chi and g_spin of paper 000 from lattices of decreasing spacing: q -> 0, then a -> 0 (fit in a^2).

    ``chi_at_spacing`` etc.: the q -> 0 values of each lattice (``extract_coefficients``) and their errors;
    ``chi_error`` = |a^2 fit of degree ``degree`` - degree + 1 at a = 0| + propagated per-lattice errors
    (``extrapolate_to_zero``). ``wavenumbers``, ``chi_at_q``, ``g_spin_at_q``: shape (spacings, harmonics),
    the finite-q data of each lattice. ``finest``: the texture response on the finest lattice.
    """

    spacings: np.ndarray
    chi_at_spacing: np.ndarray
    g_spin_at_spacing: np.ndarray
    chi_at_spacing_error: np.ndarray
    g_spin_at_spacing_error: np.ndarray
    finest: LatticeTextureResponse
    settings: dict[str, Any] = field(default_factory=dict)

    _attrs = ("finest",)
    _dims = {
        **{name: ("spacings",) for name in ("spacings", "chi_at_spacing", "g_spin_at_spacing", "chi_at_spacing_error",
                                             "g_spin_at_spacing_error")},
        **{name: ("spacings", "harmonic") for name in ("wavenumbers", "chi_at_q", "g_spin_at_q")},
    }  # fmt: skip
    _units = {"spacings": "L0", "wavenumbers": "1/L0"}


def continuum_limit(
    mass: float,
    mu: float,
    v: float,
    delta: float,
    *,
    spacings=(0.4, 0.32, 0.25, 0.2),
    length: float | None = None,
    transverse_length: float | None = None,
    m0: float = 1e-3,
    harmonics: int = 6,
    temperature: float = 0.0,
    n_kx: int = 1,
    q_degree: int = 2,
    degree: int = 1,
) -> ContinuumLimit:
    """chi, g_spin of the continuum model (mass, mu, v, delta) of paper 000, Eq. (5), from the lattice.

    For each spacing a: a supercell of round(length / a) sites with ``harmonics`` cosine harmonics of
    M_z (amplitude ``m0`` each), round(transverse_length / a) (even) columns along y, chi(q) and
    g_spin(q) extrapolated to q -> 0 in q^2 (degree ``q_degree``, ``extract_coefficients``); then the
    values are extrapolated to a -> 0 in a^2 (degree ``degree``; lattice corrections are O((k a)^2)).
    Default lengths: 16 and 10 coherence lengths xi = v_F / Delta (with v_F = sqrt(2 mu / m)): the k_y sum
    then converges to about 3e-4 relative (measured at m = mu = 1, v = Delta = 0.7) and q_1 xi = 0.39.
    """
    spacings = np.sort(np.asarray(spacings, dtype=float))[::-1]
    _check_fit_points("spacings", len(set(spacings.tolist())), degree)
    if length is None or transverse_length is None:
        if not delta > 0:
            raise ValueError(f"length and transverse_length are required when delta = 0, got delta = {delta!r}")
        coherence = math.sqrt(2.0 * mu / mass) / delta
        length = 16 * coherence if length is None else length
        transverse_length = 10 * coherence if transverse_length is None else transverse_length
    for name, value in (("length", length), ("transverse_length", transverse_length)):
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    results = []
    for a in spacings:
        lattice = RashbaLattice(mass=mass, mu=mu, v=v, delta=delta, spacing=float(a))
        n_ky = 2 * max(1, round(transverse_length / (2 * a)))
        response = texture_response(
            lattice, m0, max(4 * harmonics, round(length / a)), n_ky, temperature, n_kx=n_kx, harmonics=harmonics
        )
        results.append((response, extract_coefficients(response, degree=q_degree)))
    per = {
        name: np.array([getattr(c, name) for _, c in results])
        for name in ("chi", "g_spin", "chi_error", "g_spin_error")
    }
    chi, chi_error = extrapolate_to_zero(spacings**2, per["chi"], per["chi_error"], degree)
    g_spin, g_spin_error = extrapolate_to_zero(spacings**2, per["g_spin"], per["g_spin_error"], degree)
    return ContinuumLimit(
        chi=chi,
        g_spin=g_spin,
        chi_error=chi_error,
        g_spin_error=g_spin_error,
        spacings=spacings,
        chi_at_spacing=per["chi"],
        g_spin_at_spacing=per["g_spin"],
        chi_at_spacing_error=per["chi_error"],
        g_spin_at_spacing_error=per["g_spin_error"],
        wavenumbers=np.array([r.wavenumbers for r, _ in results]),
        chi_at_q=np.array([r.chi_at_q for r, _ in results]),
        g_spin_at_q=np.array([r.g_spin_at_q for r, _ in results]),
        finest=results[-1][0],
        settings=dict(
            mass=mass, mu=mu, v=v, delta=delta, length=length, transverse_length=transverse_length, m0=m0,
            harmonics=harmonics, temperature=temperature, n_kx=n_kx, q_degree=q_degree, degree=degree,
        ),
    )
