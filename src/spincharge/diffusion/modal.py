"""Exact solution of the 1D spin-charge diffusion equations of a layered conductor (paper 003, Eqs. S10-S13).

The fields u = (mu, S^x, S^y, S^z) depend on one coordinate s along ``axis`` (a film's thickness, or a
channel's length). A uniform gradient of mu perpendicular to the axis (an applied in-plane field,
``grad_mu_in_plane``) may drive in-plane currents; the spin Hall effect turns it into spin flux along
the axis. Along the axis the flux J = (j_s, j_sl) and u obey, in each layer, a linear first-order
system with constant coefficients,

    J = -P u' + Q u + f,        J' = W u' + V u + t,

whose coefficients are read off :func:`spincharge.diffusion.equations.currents` and ``torque`` (both
affine in the fields). With y = (u, J) this is y' = M y + c, solved *exactly* by matrix exponentials:
each layer is cut into pieces over which no mode grows by more than ``exp(max_growth)``, so the global
system (one 8-vector per piece, continuity or jump conditions between pieces, boundary conditions at
the ends) is well conditioned however thick the layer. There is no discretisation error; the error
estimate compares the solution with one on pieces half as long (round-off only).

This is the second, independent discretisation of the finite-element solver, and the reference for
the 1D literature results (Hanle, spin Hall magnetoresistance, spin Hall accumulation).

Boundary and contact conditions (n is the outward normal, n.J the flux leaving the conductor):

* :class:`Insulating`: n.J = 0 for charge and every spin component.
* :class:`Ohmic`: mu = potential and S = 0 (a spin sink at fixed potential).
* :class:`MagneticInsulator`: no charge flux; n.j_l = G_r (S - m (m.S))_l - G_i (m x S)_l, i.e. the
  spin current into the metal G_r m x (m x S) + G_i m x S of Chen et al. (PRB 87, 144411
  (2013), Eq. (9) in the units of this module; ``docs/conventions.md``, "Spin-charge diffusion").
* :class:`InjectedCurrent`: given charge and spin currents into the conductor.
* :class:`TunnelContact`: a ferromagnetic tunnel contact of conductance G, polarisation P, direction m,
  at fixed potential or fixed current (a floating detector has current 0). Spin-resolved conductances
  G(1 +- P)/2 between the contact at V and the spin-split potentials mu +- m.S give the currents into
  the conductor I = G (V - mu) - G P m.S and I_s = G P (V - mu) m - G S: the spin along m is carried by
  the two channels, the transverse spin by the real mixing conductance, G for a tunnel barrier
  (Brataas, Bauer and Kelly, Phys. Rep. 427, 157 (2006): Re G_mix = (G_up + G_down)/2 in the
  tunnelling limit; at P = 0 spin-rotation invariance alone forces I_s = -G S). Also placed *inside* a
  conductor at a position (a nonlocal spin valve's injector and detector).

Conductances are in units of D / length (the flux per unit potential difference), so a contact of
conductance G next to a conductor with D = 1 has contact resistance 1/G in the conductor's units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse
import scipy.sparse.linalg

from ..materials import Material
from ..results import CARTESIAN, Result
from .equations import EQUATIONS, LEVI_CIVITA, currents, torque
from .geometry import Interface

__all__ = [
    "InjectedCurrent",
    "Insulating",
    "Layer",
    "LayeredSolution",
    "MagneticInsulator",
    "Ohmic",
    "TunnelContact",
    "solve_layers",
]

_AXES = {"x": 0, "y": 1, "z": 2}


def _unit_vector(value, name: str) -> np.ndarray:
    v = np.asarray(value, dtype=float)
    if v.shape != (3,) or not np.all(np.isfinite(v)) or np.linalg.norm(v) == 0:
        raise ValueError(f"{name} must be a finite nonzero 3-vector, got {value!r}")
    return v / np.linalg.norm(v)


@dataclass(frozen=True)
class Layer:
    """A homogeneous layer: a material and its thickness (length along the axis, > 0)."""

    material: Material
    thickness: float

    def __post_init__(self):
        if not isinstance(self.material, Material):
            raise ValueError(f"material must be a spincharge.materials.Material, got {type(self.material).__name__}")
        if not (np.isfinite(self.thickness) and self.thickness > 0):
            raise ValueError(f"thickness must be > 0, got {self.thickness!r}")


@dataclass(frozen=True)
class Insulating:
    """A vacuum or insulating end: no charge or spin flux (paper 003, after Eq. S13)."""


@dataclass(frozen=True)
class Ohmic:
    """An ohmic spin-sink contact: mu = potential, S = 0."""

    potential: float = 0.0


@dataclass(frozen=True)
class InjectedCurrent:
    """Charge current and spin current (3-vector of spin components) injected into the conductor."""

    charge: float = 0.0
    spin: tuple = (0.0, 0.0, 0.0)

    def __post_init__(self):
        spin = np.asarray(self.spin, dtype=complex)
        if spin.shape != (3,) or not np.all(np.isfinite(spin)) or not np.isfinite(self.charge):
            raise ValueError(f"charge must be finite and spin a finite 3-vector, got {self.charge!r}, {self.spin!r}")


@dataclass(frozen=True)
class MagneticInsulator:
    """Interface to a magnetic insulator with magnetisation m and spin-mixing conductance G_r + i G_i."""

    magnetization: tuple
    mixing_conductance: complex

    def __post_init__(self):
        object.__setattr__(self, "magnetization", tuple(_unit_vector(self.magnetization, "magnetization")))
        g = complex(self.mixing_conductance)
        if not (np.isfinite(g) and g.real >= 0):
            raise ValueError(f"mixing_conductance must be finite with real part G_r >= 0, got {self.mixing_conductance!r}")


@dataclass(frozen=True)
class TunnelContact:
    """A (ferromagnetic) tunnel contact: conductance G > 0, polarisation 0 <= |P| < 1, direction m.

    Exactly one of ``potential`` (a voltage-biased contact) and ``current`` (current into the
    conductor; 0 for a floating voltage probe) is given.
    """

    conductance: float
    polarization: float = 0.0
    magnetization: tuple = (0.0, 0.0, 1.0)
    potential: float | None = None
    current: float | None = None

    def __post_init__(self):
        if not (np.isfinite(self.conductance) and self.conductance > 0):
            raise ValueError(f"conductance must be > 0, got {self.conductance!r}")
        if not (np.isfinite(self.polarization) and abs(self.polarization) < 1):
            raise ValueError(f"polarization must lie in (-1, 1), got {self.polarization!r}")
        if (self.potential is None) == (self.current is None):
            raise ValueError("give exactly one of potential and current for a TunnelContact")
        object.__setattr__(self, "magnetization", tuple(_unit_vector(self.magnetization, "magnetization")))


_EndCondition = Insulating | Ohmic | InjectedCurrent | MagneticInsulator | TunnelContact


@dataclass(frozen=True)
class LayeredSolution(Result):
    """Fields and currents of a layered 1D conductor (:func:`solve_layers`).

    ``mu[s]``, ``spin[s, l]``, ``current[s, k]`` (charge current j_k), ``spin_current[s, k, l]`` (j_kl);
    ``layer[s]`` is the index of the layer each sample lies in (interfaces appear twice, once per
    side). Terminal quantities: ``terminal_potential`` and ``terminal_current`` (charge current into
    the conductor) for the left end, the right end and each interior contact, in that order.
    """

    s: np.ndarray
    mu: np.ndarray
    spin: np.ndarray
    current: np.ndarray
    spin_current: np.ndarray
    layer: np.ndarray
    terminal: tuple
    terminal_potential: np.ndarray
    terminal_current: np.ndarray
    error: float
    settings: dict = field(default_factory=dict)

    _attrs = ("terminal", "settings")
    _dims = {
        "s": ("s",),
        "mu": ("s",),
        "spin": ("s", "component"),
        "current": ("s", "direction"),
        "spin_current": ("s", "direction", "component"),
        "layer": ("s",),
        "terminal_potential": ("terminal",),
        "terminal_current": ("terminal",),
    }
    _labels = {"component": CARTESIAN, "direction": CARTESIAN}
    _units = {"s": "L0", "mu": "E0", "spin": "E0", "current": "E0 L0 (D mu / length)"}

    def _coordinates(self):
        return {"terminal": list(self.terminal)}

    def at(self, position: float):
        """(mu, spin) at a position, linearly interpolated between samples (exact at the samples)."""
        return np.interp(position, self.s, self.mu), np.array(
            [np.interp(position, self.s, self.spin[:, i]) for i in range(3)]
        )


def _affine_coefficients(material: Material, axis: int, grad_in_plane: np.ndarray, frequency: float, equations: str):
    """P, Q, f, W, V, t of the module docstring, read off the affine maps currents() and torque()."""

    def fields(u, du, with_background):
        grad_mu = np.zeros(3, dtype=complex)
        grad_mu[axis] = du[0]
        if with_background:
            grad_mu += grad_in_plane
        grad_spin = np.zeros((3, 3), dtype=complex)
        grad_spin[axis] = du[1:]
        return grad_mu, u[1:], grad_spin

    def flux_and_source(u, du, with_background):
        grad_mu, spin, grad_spin = fields(u, du, with_background)
        j, js = currents(material, grad_mu, spin, grad_spin)
        source = np.concatenate([[1j * frequency * u[0]], 1j * frequency * spin + torque(material, grad_mu, spin, grad_spin, equations=equations)])
        return np.concatenate([[j[axis]], js[axis]]), source

    zero = np.zeros(4, dtype=complex)
    f, t = flux_and_source(zero, zero, True)
    P, Q, W, V = (np.zeros((4, 4), dtype=complex) for _ in range(4))
    for a in range(4):
        e = np.zeros(4, dtype=complex)
        e[a] = 1.0
        flux, source = flux_and_source(zero, e, False)
        P[:, a], W[:, a] = -flux, source
        flux, source = flux_and_source(e, zero, False)
        Q[:, a], V[:, a] = flux, source
    return P, Q, f, W, V, t


def _propagator(material, axis, grad_in_plane, frequency, equations):
    """The 9x9 augmented generator [[M, c], [0, 0]] of y' = M y + c, y = (u, J)."""
    P, Q, f, W, V, t = _affine_coefficients(material, axis, grad_in_plane, frequency, equations)
    if frequency == 0:  # a real generator: expm of a real 9x9 matrix is ~15x faster than of a complex one
        P, Q, f, W, V, t = (np.real(a) for a in (P, Q, f, W, V, t))
    P_inv = np.linalg.inv(P)
    generator = np.zeros((9, 9), dtype=P.dtype)
    generator[:4, :4], generator[:4, 4:8], generator[:4, 8] = P_inv @ Q, -P_inv, P_inv @ f
    generator[4:8, :4] = W @ P_inv @ Q + V
    generator[4:8, 4:8], generator[4:8, 8] = -W @ P_inv, W @ P_inv @ f + t
    return generator


def _expm(matrix: np.ndarray) -> np.ndarray:
    """exp(A) by scaling and squaring of a Taylor series (||A / 2^s|| <= 1/2, 20 terms: error < 1e-25
    before squaring). For the 9x9 generators this is ~50x faster than scipy.linalg.expm at small norms,
    where scipy's norm estimation dominates."""
    norm = np.abs(matrix).sum(axis=0).max()
    squarings = max(0, int(np.ceil(np.log2(norm / 0.5)))) if norm > 0.5 else 0
    scaled = matrix / 2.0**squarings
    result = term = np.eye(len(matrix), dtype=matrix.dtype)
    for k in range(1, 21):
        term = term @ scaled / k
        result = result + term
    for _ in range(squarings):
        result = result @ result
    return result


def _end_rows(condition, outward: float):
    """Rows [A | B | C_V] and rhs of A u + B J + C_V V = rhs at an end (outward = +-1: n.J = outward J)."""
    a, b, cv, rhs = np.zeros((4, 4), complex), np.zeros((4, 4), complex), np.zeros((4, 1), complex), np.zeros(4, complex)
    if isinstance(condition, Insulating):
        b[:] = outward * np.eye(4)
    elif isinstance(condition, Ohmic):
        a[:] = np.eye(4)
        rhs[0] = condition.potential
    elif isinstance(condition, InjectedCurrent):
        b[:] = outward * np.eye(4)
        rhs[:] = -np.concatenate([[condition.charge], np.asarray(condition.spin, complex)])
    elif isinstance(condition, MagneticInsulator):
        m = np.asarray(condition.magnetization)
        g = complex(condition.mixing_conductance)
        b[:] = outward * np.eye(4)
        cross = np.einsum("lmr,m->lr", LEVI_CIVITA, m)  # (m x S)_l = cross[l, r] S^r
        a[1:, 1:] = -(g.real * (np.eye(3) - np.outer(m, m)) - g.imag * cross)
    else:  # TunnelContact: n.J = -(current into the conductor)
        injection_u, injection_v = _tunnel_injection(condition)
        b[:] = outward * np.eye(4)
        a[:], cv[:, 0] = injection_u, injection_v
        if condition.potential is not None:
            rhs[:] = -injection_v * condition.potential
            cv[:] = 0
    return a, b, cv, rhs


def _tunnel_injection(contact: TunnelContact):
    """(K, k): the currents into the conductor (I, I_s m) = K u + k V of a tunnel contact at V."""
    g, p, m = contact.conductance, contact.polarization, np.asarray(contact.magnetization)
    direction = np.concatenate([[1.0], p * m])  # charge row, then spin rows (times P m)
    k_u = np.zeros((4, 4), complex)
    k_u[0, 0], k_u[0, 1:] = -g, -g * p * m
    k_u[1:, 0], k_u[1:, 1:] = -g * p * m, -g * np.eye(3)  # transverse spin: Re G_mix = G (module docstring)
    return k_u, g * direction


def _terminal_current_rows(contact: TunnelContact):
    """Rows (on u, on V) and rhs of the extra equation I = given of a current-biased contact."""
    k_u, k_v = _tunnel_injection(contact)
    return k_u[0], k_v[0], contact.current


def solve_layers(
    layers: Sequence[Layer],
    *,
    axis: str = "z",
    left: _EndCondition = Insulating(),
    right: _EndCondition = Insulating(),
    interface_resistance: Sequence[float] | None = None,
    interfaces: Sequence[Interface | None] | None = None,
    contacts: Sequence[tuple[float, TunnelContact]] = (),
    grad_mu_in_plane=(0.0, 0.0, 0.0),
    frequency: float = 0.0,
    points_per_layer: int = 101,
    max_growth: float = 1.0,
    reference_potential: float | None = None,
    equations: str = "onsager",
) -> LayeredSolution:
    """Exact steady-state (or time-harmonic, e^{-i omega t}) fields of a layered 1D conductor.

    Parameters
    ----------
    layers : sequence of Layer
        From s = 0 (``left``) to s = sum of thicknesses (``right``).
    axis : {"x", "y", "z"}
        The coordinate the fields depend on.
    left, right : end conditions (module docstring).
    interface_resistance : sequence of float, optional
        Spin-independent resistance r >= 0 of each internal interface (J continuous, u_left - u_right =
        r J); zero (continuity) by default.
    interfaces : sequence of Interface or None, optional
        Instead of ``interface_resistance``: each internal interface continuous (None) or a spin-active
        conductance, J continuous and J = G4 (u_left - u_right) with G4 of :class:`Interface`.
    contacts : sequence of (position, TunnelContact)
        Contacts strictly inside the conductor (a channel's injector and detectors).
    grad_mu_in_plane : 3-vector
        Uniform d_j mu perpendicular to the axis (its component along the axis must be zero).
    frequency : float
        omega of the time-harmonic response (fields are amplitudes of e^{-i omega t}); 0 for steady state.
    points_per_layer : int
        Samples of the returned fields per layer (the solution itself is exact between samples).
    max_growth : float
        Largest exponent growth of any mode over one piece (conditioning; 0.1 .. 5).
    reference_potential : float, optional
        mu(0) when no contact fixes the potential in a steady state (then the left end's zero charge
        flux, implied by charge conservation and the right end, is replaced by mu(0) = this value).
    equations : {"onsager", "printed"}
        The sign of the spin-generation term (:func:`spincharge.diffusion.equations.torque`).
    """
    layers = tuple(layers)
    if not layers:
        raise ValueError("layers must contain at least one Layer")
    if axis not in _AXES:
        raise ValueError(f"axis must be one of 'x', 'y', 'z', got {axis!r}")
    c = _AXES[axis]
    grad = np.asarray(grad_mu_in_plane, dtype=float)
    if grad.shape != (3,) or not np.all(np.isfinite(grad)) or grad[c] != 0:
        raise ValueError(f"grad_mu_in_plane must be a finite 3-vector with zero {axis} component, got {grad_mu_in_plane!r}")
    if not (isinstance(points_per_layer, int) and points_per_layer >= 2):
        raise ValueError(f"points_per_layer must be an integer >= 2, got {points_per_layer!r}")
    if not (0.1 <= max_growth <= 5):
        raise ValueError(f"max_growth must lie in [0.1, 5], got {max_growth!r}")
    if equations not in EQUATIONS:
        raise ValueError(f"equations must be one of {EQUATIONS}, got {equations!r}")
    if not np.isfinite(frequency):
        raise ValueError(f"frequency must be finite, got {frequency!r}")
    resistances = np.zeros(len(layers) - 1) if interface_resistance is None else np.asarray(interface_resistance, float)
    if resistances.shape != (len(layers) - 1,) or np.any(~np.isfinite(resistances)) or np.any(resistances < 0):
        raise ValueError(f"interface_resistance must hold {len(layers) - 1} finite values >= 0, got {interface_resistance!r}")
    if interfaces is not None:
        if interface_resistance is not None:
            raise ValueError("give interface_resistance or interfaces, not both")
        interfaces = list(interfaces)
        if len(interfaces) != len(layers) - 1 or not all(i is None or isinstance(i, Interface) for i in interfaces):
            raise ValueError(f"interfaces must hold {len(layers) - 1} entries, each an Interface or None")
        couplings = [None if i is None else i.matrix() for i in interfaces]
    else:
        couplings = [np.eye(4) / r if r > 0 else None for r in resistances]
    total = sum(layer.thickness for layer in layers)
    contacts = tuple(sorted(contacts, key=lambda item: item[0]))
    for position, contact in contacts:
        if not isinstance(contact, TunnelContact):
            raise ValueError(f"contacts must be (position, TunnelContact) pairs, got {contact!r}")
        if not 0 < position < total:
            raise ValueError(f"contact position {position!r} lies outside the conductor (0, {total:g}); "
                             "put contacts at the ends as left= or right=")  # fmt: skip
    anchor = None
    if frequency == 0 and not _potential_fixed(left, right, contacts):
        if reference_potential is None:
            raise ValueError("no contact fixes the potential (steady state): make an end Ohmic(potential=...), give a "
                             "TunnelContact a potential, or pass reference_potential= to fix mu(0) (a film driven "
                             "in-plane, whose fields do not depend on the constant)")  # fmt: skip
        if not (isinstance(left, Insulating | MagneticInsulator) or (isinstance(left, InjectedCurrent) and left.charge == 0)):
            raise ValueError("reference_potential needs a left end without charge flux (Insulating, MagneticInsulator "
                             "or InjectedCurrent with charge=0)")  # fmt: skip
        anchor = float(reference_potential)
    settings = dict(axis=axis, frequency=frequency, points_per_layer=points_per_layer, max_growth=max_growth,
                    grad_mu_in_plane=tuple(grad), equations=equations)  # fmt: skip
    solution = _solve(layers, c, left, right, couplings, contacts, grad, frequency, points_per_layer, max_growth, anchor, equations)
    check = _solve(layers, c, left, right, couplings, contacts, grad, frequency, 2, max_growth / 2, anchor, equations)
    scale = max(np.max(np.abs(check[0])), 1e-300)
    error = float(np.max(np.abs(solution[0][[0, -1]] - check[0][[0, -1]])) / scale)
    (y_ends, s, y, layer_index, terminal, potentials, terminal_currents) = solution
    u, flux = y[:, :4], y[:, 4:]
    mu, spin = u[:, 0], u[:, 1:]
    grad_mu, grad_spin = _gradients(layers, layer_index, c, grad, u, flux, frequency, equations)
    j, js = currents_from_samples(layers, layer_index, grad_mu, spin, grad_spin)
    real = lambda a: a.real if frequency == 0 else a  # noqa: E731 - steady fields are real
    return LayeredSolution(
        s=s, mu=real(mu), spin=real(spin), current=real(j), spin_current=real(js), layer=layer_index,
        terminal=terminal, terminal_potential=real(potentials), terminal_current=real(terminal_currents),
        error=error, settings=settings,
    )  # fmt: skip


def _potential_fixed(left, right, contacts) -> bool:
    """Whether a contact fixes mu (otherwise the steady state has mu only up to a constant)."""
    fixing = [c for c in (left, right) if isinstance(c, Ohmic) or (isinstance(c, TunnelContact) and c.potential is not None)]
    return bool(fixing) or any(c.potential is not None for _, c in contacts)


def _gradients(layers, layer_index, c, grad, u, flux, frequency, equations):
    """d_j mu and d_j S^l at the samples from u and the axial flux (u' = P^-1 (Q u + f - J))."""
    grad_mu = np.tile(grad.astype(complex), (len(u), 1))
    grad_spin = np.zeros((len(u), 3, 3), complex)
    for index, layer in enumerate(layers):
        P, Q, f, *_ = _affine_coefficients(layer.material, c, grad, frequency, equations)
        rows = layer_index == index
        du = np.linalg.solve(P, (u[rows] @ Q.T + f - flux[rows]).T).T
        grad_mu[rows, c] = du[:, 0]
        grad_spin[rows, c, :] = du[:, 1:]
    return grad_mu, grad_spin


def currents_from_samples(layers, layer_index, grad_mu, spin, grad_spin):
    """Eqs. (S12)-(S13) at samples that belong to different layers."""
    j = np.zeros((len(spin), 3), complex)
    js = np.zeros((len(spin), 3, 3), complex)
    for index, layer in enumerate(layers):
        rows = layer_index == index
        j[rows], js[rows] = currents(layer.material, grad_mu[rows], spin[rows], grad_spin[rows])
    return j, js


class _BlockSystem:
    """A sparse system assembled from dense blocks (COO triplets: no per-entry Python indexing)."""

    def __init__(self, size):
        self.rows, self.cols, self.vals = [], [], []
        self.rhs = np.zeros(size, complex)
        self.size = size

    _grids: dict = {}

    def put(self, row, col, block):
        block = np.atleast_2d(block)
        if block.shape not in self._grids:
            self._grids[block.shape] = [g.ravel() for g in np.indices(block.shape)]
        r, c = self._grids[block.shape]
        self.rows.append(r + row)
        self.cols.append(c + col)
        self.vals.append(block.ravel())

    def solve(self):
        matrix = scipy.sparse.csc_matrix(
            (np.concatenate(self.vals), (np.concatenate(self.rows), np.concatenate(self.cols))), shape=(self.size,) * 2
        )
        x = scipy.sparse.linalg.spsolve(matrix, self.rhs)
        residual = np.abs(matrix @ x - self.rhs).max() / max(np.abs(self.rhs).max(), 1e-300)
        if not np.all(np.isfinite(x)) or residual > 1e-8:
            raise ValueError(f"the layered system is singular or ill-posed (residual {residual:.2e}): check that the "
                             "contacts fix the potential and that no region is cut off")  # fmt: skip
        return x


def _solve(layers, c, left, right, couplings, contacts, grad, frequency, points_per_layer, max_growth, anchor, equations):
    # pieces: (layer index, start, length, contact index or None at its left end); contacts split pieces
    pieces, start = [], 0.0
    generators = [_propagator(layer.material, c, grad, frequency, equations) for layer in layers]
    positions = [position for position, _ in contacts]
    for index, layer in enumerate(layers):
        growth = np.max(np.abs(np.linalg.eigvals(generators[index][:8, :8]).real))
        inside = [k for k, x in enumerate(positions) if start < x < start + layer.thickness]
        edges = [start, *[positions[k] for k in inside], start + layer.thickness]
        owners = [None, *inside]
        for a, b, owner in zip(edges[:-1], edges[1:], owners):
            n = max(1, int(np.ceil(growth * (b - a) / max_growth)))
            pieces += [(index, a + (b - a) * i / n, (b - a) / n, owner if i == 0 else None) for i in range(n)]
        start += layer.thickness
    n_pieces = len(pieces)
    cache = {}

    def step(index, length):  # the affine propagator over a length, expm shared by equal pieces
        key = (index, length)
        if key not in cache:
            cache[key] = _expm(generators[index] * length)
        return cache[key]

    propagators = [step(index, length) for index, _, length, _ in pieces]
    biased = [cond for cond in (left, right) if isinstance(cond, TunnelContact) and cond.current is not None]
    n_v = len(biased) + sum(contact.current is not None for _, contact in contacts)
    system = _BlockSystem(8 * n_pieces + n_v)
    v_column = iter(range(8 * n_pieces, system.size))
    voltage_column = {}  # "left", "right" or a contact index -> column of its unknown potential
    row = 0

    def place_end(condition, piece, name, outward):
        nonlocal row
        a, b, cv, r = _end_rows(condition, outward)
        coefficient = np.hstack([a, b])  # on y at the end
        if name == "left" and anchor is not None:  # mu(0) = anchor replaces the redundant zero charge flux
            coefficient[0], r[0] = np.eye(8)[0], anchor
        if name == "right":
            r = r - coefficient @ propagators[piece][:8, 8]
            coefficient = coefficient @ propagators[piece][:8, :8]
        system.put(row, 8 * piece, coefficient)
        system.rhs[row : row + 4] = r
        if isinstance(condition, TunnelContact) and condition.current is not None:
            col = voltage_column[name] = next(v_column)
            system.put(row, col, cv)
            i_u, i_v, given = _terminal_current_rows(condition)
            extra = np.concatenate([i_u, np.zeros(4)])
            if name == "right":
                given = given - extra @ propagators[piece][:8, 8]
                extra = extra @ propagators[piece][:8, :8]
            system.put(col, 8 * piece, extra)  # the extra equation I = given has row index col
            system.put(col, col, i_v)
            system.rhs[col] = given
        row += 4

    place_end(left, 0, "left", -1.0)
    for p in range(n_pieces - 1):
        prop = propagators[p]
        left_rows = np.zeros((8, 8), complex)  # on y_p^R
        right_rows = np.zeros((8, 8), complex)  # on y_{p+1}^L
        node_rhs = np.zeros(8, complex)
        k = pieces[p + 1][3]
        if k is not None:
            contact = contacts[k][1]
            k_u, k_v = _tunnel_injection(contact)
            left_rows[:], right_rows[:] = -np.eye(8), np.eye(8)
            left_rows[4:, :4] = -k_u
            if contact.potential is not None:
                node_rhs[4:] = k_v * contact.potential
            else:
                col = voltage_column[k] = next(v_column)
                system.put(row + 4, col, -k_v[:, None])
                extra = np.concatenate([k_u[0], np.zeros(4)])
                system.put(col, 8 * p, extra @ prop[:8, :8])
                system.put(col, col, k_v[0])
                system.rhs[col] = contact.current - extra @ prop[:8, 8]
        elif pieces[p][0] != pieces[p + 1][0] and couplings[pieces[p][0]] is not None:
            g4 = couplings[pieces[p][0]]  # G4 (u_left - u_right) = J
            left_rows[:4, :4], right_rows[:4, :4], left_rows[:4, 4:] = g4, -g4, -np.eye(4)
            left_rows[4:, 4:], right_rows[4:, 4:] = -np.eye(4), np.eye(4)
        else:
            left_rows[:], right_rows[:] = -np.eye(8), np.eye(8)
        system.put(row, 8 * p, left_rows @ prop[:8, :8])
        system.put(row, 8 * (p + 1), right_rows)
        system.rhs[row : row + 8] = node_rhs - left_rows @ prop[:8, 8]
        row += 8
    place_end(right, n_pieces - 1, "right", 1.0)
    x = system.solve()
    y_left = x[: 8 * n_pieces].reshape(n_pieces, 8)

    # samples: m equal steps per piece (at least points_per_layer per layer) and the layer's far end
    samples, values, owner = [], [], []
    for index, layer in enumerate(layers):
        members = [p for p, piece in enumerate(pieces) if piece[0] == index]
        m = max(1, int(np.ceil((points_per_layer - 1) / len(members))))
        sub_step = step(index, pieces[members[0]][2] / m)  # powers of one expm: round-off ~ m eps
        for p in members:
            _, s0, length, _ = pieces[p]
            if length != pieces[members[0]][2]:
                sub_step = step(index, length / m)
            y_p = np.append(y_left[p], 1.0)
            for t in range(m):
                samples.append(s0 + length * t / m)
                values.append(y_p)
                owner.append(index)
                y_p = sub_step @ y_p
        samples.append(pieces[members[-1]][1] + pieces[members[-1]][2])
        values.append(propagators[members[-1]] @ np.append(y_left[members[-1]], 1.0))
        owner.append(index)
    samples, owner, y = np.array(samples), np.array(owner), np.array(values)[:, :8]
    y_ends = np.array([y[0], y[-1]])

    # terminals: left end, right end, interior contacts; current into the conductor and potential
    names, potentials, currents_in = ["left", "right"], [], []
    for condition, y_end, outward, name in ((left, y[0], -1.0, "left"), (right, y[-1], 1.0, "right")):
        currents_in.append(-outward * y_end[4])
        if name in voltage_column:
            potentials.append(x[voltage_column[name]])
        elif isinstance(condition, Ohmic | TunnelContact):
            potentials.append(condition.potential)
        else:
            potentials.append(y_end[0])  # an open end: the conductor's own potential there
    for k, (position, contact) in enumerate(contacts):
        names.append(f"contact{k}@{position:g}")
        potentials.append(contact.potential if contact.potential is not None else x[voltage_column[k]])
        p = next(i for i, piece in enumerate(pieces) if piece[3] == k)
        currents_in.append(y_left[p][4] - (propagators[p - 1] @ np.append(y_left[p - 1], 1.0))[4])
    return (y_ends, samples, y, owner, tuple(names), np.array(potentials, complex),
            np.array(currents_in, complex))  # fmt: skip
