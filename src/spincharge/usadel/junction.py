"""Josephson junctions and proximity stacks: the nonlinear 1D Usadel equation in Riccati form.

Paper 003, Eqs. (4), (7)-(9), (S4), (S5) in one dimension, exact g^2 = 1 through the Riccati matrices of
``riccati``. Geometry: layers (normal metal, ferromagnet with exchange field h, superconductor with a fixed
pair potential Delta e^(i phi), each with D, Gamma_jk, an SU(2) gauge field A_j = alpha_jx / D and the
spin-galvanic column gamma_jx, nonlinear in all of them; theta and kappa are accepted and inactive: in 1D
they give no torque and no J_x, ``operator``) between two ends, each a bulk BCS reservoir or vacuum; interfaces
transparent (r = 0) or Kupriyanov-Lukichev with r = R_B sigma_0 / xi0 (``riccati`` for the conditions;
with G_B/G_N of a layer of length L, r = L / (G_B/G_N)). Reservoir phases -phi/2 (left), +phi/2 (right).

Self-consistent superconductors (``Layer(gap=SELF_CONSISTENT)``): complex Delta(x) at the layer's nodes from the
cutoff-free gap equation (``gap.gap_equation``; paper 003, App. E uses its bulk solution) by Newton's method on
the node values, the Usadel states re-solved at each step (``_self_consistent``; docs/conventions.md, Junctions).

Units: energies in Delta0 (the weak-coupling gap at T = 0, ``bcs_gap``), T in Tc, lengths in
xi0 = sqrt(D0/Delta0), D in D0, conductivities sigma = sigma_0 D (one density of states). The current is
e I R_N / Delta0 with R_N = sum_layers L/D (the layers' normal resistance, interfaces excluded), from the full
matrix current J_x = -D g D~g + J^gamma_x (paper 003, Eq. (8)):

    e I R_N = -(i/4) R_N pi T sum_{n in Z} Tr[tau3 J_x]   (= (i/4) D R_N pi T sum Tr[tau3 g D~g] without gamma,
                                                           the vortex convention, docs/conventions.md),

positive for a phase rising to the right, evaluated at every node (constant in an exact solution; its
spread over the nodes is the grid-error estimate) and averaged with Clenshaw-Curtis weights. The spin
current along x is the same expression with tau3 -> sigma_l (paper 003, Eqs. (S47)-(S50): j_k = Tr tau3 J_k,
j_kl = Tr sigma_l J_k), in the same units; the spin density delta S_l = (i nu/4) pi T sum_n Tr[tau3 sigma_l g]
(units nu Delta0, the convention in which a Zeeman field h reduces the spin, delta S = -nu X h).

Numerics: Chebyshev-Lobatto collocation in each layer (``points`` + 1 nodes), the boundary and interface
conditions replacing the end rows; all Matsubara frequencies and all phases in one batched Newton
iteration (dense per (phase, frequency) system, chunked to bound memory) with the Jacobian assembled from
pointwise derivatives of the collocation residual (spinful: exact, forward mode in compiled code,
``pointwise``; spin-scalar: forward differences of the holomorphic residual in the complex unknowns, step
1e-7; boundary rows: forward differences), LU-factorised in the first iteration and again whenever a step
fails to shrink by 0.3 (chord steps with the kept factors otherwise). Start: a = b = 0,
whose first Newton step is the linearised (weak-proximity) solution. At low T and low omega that start can
reach other roots of the nonlinear collocation equations (phase-slip-like states with norm(ab) > 1, whose
spectral current is conserved and so invisible in the current's spread, and unresolved roots); every (phase,
omega) root is therefore checked for spectral positivity, norm(ab) <= 1 (spectral norm), and for a spectral
current Tr[tau3 J_x] constant over each layer without pair potential (``_defects``); a root that fails either,
or does not converge, is continued in omega from the nearest higher frequency of the same phase whose root
passes (at high omega the proximity effect is weak), or in phase from phi = 0 where there is none (``continued``
counts them; docs/conventions.md, "Which root"). Only omega > 0 is solved: charge conjugation (paper 003,
Eq. (2); in Matsubara form
g(-omega) = C g(omega)^T C^-1 with C = tau1 sigma_y, found to 4e-16 on a solution with h, Gamma_jk, alpha and
gamma all generic, ``test_negative_frequencies_are_the_charge_conjugates``) gives a(-omega) = -s_y a(omega)^T s_y
and b(-omega) = -s_y b(omega)^T s_y; in the spin-scalar case (h = A = gamma = 0 everywhere) a, b are 1x1 and
a(-omega) = -a(omega). Frequencies: explicit up to ``frequency_cutoff``, the rest by Gauss-Laguerre in log omega
(``numerics.matsubara.matsubara_nodes``); frequencies whose decay factor exp(-sum_layers L sqrt(2 omega / D)) between the
reservoirs is below e^-``decay_cutoff`` (36) are left out of everything (their current summand is below 1e-15
of the first; local sums such as the spin density need ``decay_cutoff=None`` in long stacks).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import scipy.linalg.lapack
from scipy.interpolate import BarycentricInterpolator
from threadpoolctl import threadpool_limits

from ..numerics.matsubara import MatsubaraRule, matsubara_nodes
from ..results import CARTESIAN, Result
from . import pointwise, riccati
from .gap import GAP0_OVER_TC, bcs_gap, gap_equation

#: Reservoir-to-reservoir decay exponent above which a frequency is left out of the current sum.
DECAY_CUTOFF = 36.0
_STEP = 1e-7
#: Highest Matsubara frequency (Delta0) of the gap equation: the end-node amplitudes are solved to ~1e-16
#: absolute, which the tail weights (~omega/2) would raise above 1e-10 beyond it; the tail left out is
#: -D Delta''/(2 omega) at most (local expansion F = Delta/omega + D Delta''/(2 omega^2) + ...).
GAP_CEILING = 1e6
_CHUNK_BYTES = 2e7


class ConvergenceError(RuntimeError):
    """The Newton iteration (with phase continuation) did not converge; the message says what to try."""


@dataclass(frozen=True)
class Layer:
    """One layer: ``length`` (xi0), ``diffusion`` D/D0, ``exchange`` h/Delta0 (3-vector), ``relaxation``
    Gamma/Delta0 (number: Gamma delta_jk, or 3x3 Gamma_jk of Eq. (7)), ``gauge`` A_j = alpha_jx/D (1/xi0, spin
    components of the SU(2) field along x, Eq. (4)), ``gamma`` the spin-galvanic column gamma_jx (D0/xi0, spin
    index j; Eqs. (8), (9)), ``theta`` and ``kappa`` (3x3, dimensionless; inactive in 1D, module docstring),
    the pair potential ``gap`` (Delta0) times e^(i ``phase``): a number |Delta| (fixed, uniform),
    ``SELF_CONSISTENT`` (Delta(x), phase included, from the cutoff-free gap equation, ``junction``; ``phase`` is
    then the start only), or a fixed profile: complex Delta at m + 1 >= 2 Chebyshev-Lobatto nodes
    x_j = L (1 - cos(pi j/m))/2 of the layer (ascending; a layer's part of ``JunctionResult.pair_potential``
    is one), interpolated (barycentric, exact for polynomials of degree m) onto the solver's nodes."""

    length: float
    diffusion: float = 1.0
    exchange: tuple = (0.0, 0.0, 0.0)
    relaxation: float | tuple = 0.0
    gauge: tuple = (0.0, 0.0, 0.0)
    gamma: tuple = (0.0, 0.0, 0.0)
    theta: float | tuple = 0.0
    kappa: float | tuple = 0.0
    gap: float | str | tuple = 0.0
    phase: float = 0.0

    def __post_init__(self):
        if not (np.isfinite(self.length) and self.length > 0):
            raise ValueError(f"length must be > 0 (units of xi0), got {self.length!r}")
        if not (np.isfinite(self.diffusion) and self.diffusion > 0):
            raise ValueError(f"diffusion must be > 0 (units of D0), got {self.diffusion!r}")
        for name in ("exchange", "gauge", "gamma"):
            value = np.asarray(getattr(self, name), dtype=float)
            if value.shape != (3,) or not np.all(np.isfinite(value)):
                raise ValueError(f"{name} must be a finite 3-vector, got {getattr(self, name)!r}")
        for name in ("theta", "kappa"):
            value = np.asarray(getattr(self, name), dtype=float)
            if value.shape not in ((), (3, 3)) or not np.all(np.isfinite(value)):
                raise ValueError(f"{name} must be a finite number or 3x3 table, got {getattr(self, name)!r}")
        table = self.relaxation_table
        if not (np.all(np.isfinite(table)) and np.allclose(table, table.T) and np.linalg.eigvalsh(table).min() >= 0):
            raise ValueError(f"relaxation must be >= 0 or a symmetric positive semi-definite 3x3, got {self.relaxation!r}")
        if isinstance(self.gap, str):
            if self.gap != SELF_CONSISTENT:
                raise ValueError(f"gap must be a number >= 0, {SELF_CONSISTENT!r} or a profile, got {self.gap!r}")
        elif np.ndim(self.gap) == 1:
            profile = np.asarray(self.gap, dtype=complex)
            if profile.size < 2 or not np.all(np.isfinite(profile)):
                raise ValueError(f"a gap profile needs >= 2 finite values (Delta0 at Chebyshev nodes), got {self.gap!r}")
            object.__setattr__(self, "gap", tuple(profile.tolist()))  # immutable, like the layer
        elif not (np.ndim(self.gap) == 0 and np.isfinite(self.gap) and self.gap >= 0):
            raise ValueError(f"gap must be >= 0 (units of Delta0), {SELF_CONSISTENT!r} or a profile, got {self.gap!r}")
        if not np.isfinite(self.phase):
            raise ValueError(f"phase must be finite (rad), got {self.phase!r}")

    @property
    def relaxation_table(self) -> np.ndarray:
        value = np.asarray(self.relaxation, dtype=float)
        return value * np.eye(3) if value.ndim == 0 else value

    @property
    def self_consistent(self) -> bool:
        return isinstance(self.gap, str)

    @property
    def paired(self) -> bool:
        """Whether the layer has a pair potential (fixed nonzero, a nonzero profile, or self-consistent)."""
        return self.self_consistent or bool(np.any(np.asarray(self.gap) != 0))

    def pair_potential(self, x) -> np.ndarray:
        """Delta e^(i phase) at positions ``x`` in [0, length] (a fixed gap or profile; class docstring)."""
        if self.self_consistent:
            raise ValueError("a self-consistent layer has no fixed pair potential (junction solves for it)")
        x = np.asarray(x, dtype=float)
        if np.ndim(self.gap) == 0:
            return np.full(x.shape, self.gap * np.exp(1j * self.phase))
        values = np.asarray(self.gap) * np.exp(1j * self.phase)
        return BarycentricInterpolator(_chebyshev(values.size - 1, self.length)[0], values)(x)

    @property
    def spinful(self) -> bool:
        return bool(np.any(self.exchange) or np.any(self.gauge) or np.any(self.gamma))

    @classmethod
    def from_material(cls, material, length, *, gap=0.0, phase=0.0, axis=0):
        """The layer of a ``spincharge.materials.Material`` of any crystal class (its tensors already checked
        against its point group; units Delta0, xi0, D0) with the stack direction x along ``axis`` (0, 1, 2 or a
        3-vector n in crystal coordinates): D = n.D.n, Gamma, h, A_j = (alpha n)_j / D and gamma_j = (gamma n)_j
        (spin index first, spin components in crystal coordinates); theta and kappa are kept (inactive in 1D)."""
        if np.ndim(axis) == 0:
            if axis not in (0, 1, 2):
                raise ValueError(f"axis must be 0, 1, 2 or a nonzero 3-vector, got {axis!r}")
            direction = np.eye(3)[int(axis)]
        else:
            direction = np.asarray(axis, dtype=float)
            if direction.shape != (3,) or not np.all(np.isfinite(direction)) or not np.linalg.norm(direction) > 0:
                raise ValueError(f"axis must be 0, 1, 2 or a nonzero 3-vector, got {axis!r}")
            direction = direction / np.linalg.norm(direction)
        diffusion = float(direction @ material.D @ direction)
        return cls(length=length, diffusion=diffusion, exchange=tuple(material.h), relaxation=tuple(map(tuple, material.Gamma)),
                   gauge=tuple(material.alpha @ direction / diffusion), gamma=tuple(material.gamma @ direction),
                   theta=tuple(map(tuple, material.theta)), kappa=tuple(map(tuple, material.kappa)), gap=gap, phase=phase)


@dataclass(frozen=True)
class Reservoir:
    """Bulk BCS superconductor at an end: ``gap`` |Delta|/Delta0 (None: bcs_gap(t)), extra ``phase``."""

    gap: float | None = None
    phase: float = 0.0


VACUUM = "vacuum"
#: ``Layer(gap=SELF_CONSISTENT)``: Delta(x) from the cutoff-free gap equation (``junction``).
SELF_CONSISTENT = "self-consistent"


@dataclass(frozen=True)
class JunctionResult(Result):
    """Current-phase relation e I R_N/Delta0 (module docstring) on ``phases``, with error estimates:
    ``grid_error`` = spread of I(x) over the nodes, ``frequency_error`` = |Gauss-Laguerre(20) - (10)| plus
    the first midpoint-rule term; ``error`` their sum. On the nodes x: ``current_profile`` (phase, x) is I(x),
    ``spin_current`` (phase, spin, x) the spin current along x (same units, module docstring),
    ``spin_density`` (phase, spin, x) delta S/(nu Delta0); ``singlet`` (phase, x) f_s = Tr[g12]/2n and
    ``triplet`` (phase, spin, x) Tr[sigma_l g12]/2n at the lowest Matsubara frequency; ``pair_potential``
    (phase, x) the complex Delta(x)/Delta0 (fixed layers as given, 0 in normal layers, self-consistent ones as
    solved), with ``gap_residual`` (phase) the largest |R| left in the gap equation (``gap.gap_equation``, Delta0),
    ``gap_error`` (phase) the frequency-quadrature error estimate of its sum (largest over the nodes) and
    ``gap_iterations`` the Newton steps on Delta (all three 0 without a self-consistent layer);
    ``refinement_error`` (phase) |I - I(2/3 the points)| where a self-consistent layer meets another pair potential
    through a transparent interface (Delta(x) is logarithmically singular there and the spread of I(x) misses the
    algebraic grid convergence; 0 elsewhere), included in ``error``; ``dynes`` the
    broadening eta (Delta0) the Matsubara frequencies were shifted by (``junction``)."""

    _dims = {"phases": ("phase",), "current": ("phase",), "error": ("phase",), "grid_error": ("phase",),
             "frequency_error": ("phase",), "x": ("x",), "current_profile": ("phase", "x"), "singlet": ("phase", "x"),
             "triplet": ("phase", "spin", "x"), "spin_current": ("phase", "spin", "x"),
             "spin_density": ("phase", "spin", "x"), "pair_potential": ("phase", "x"), "gap_residual": ("phase",),
             "gap_error": ("phase",), "refinement_error": ("phase",)}
    _labels = {"spin": CARTESIAN}
    _units = {"phases": "rad", "current": "Delta0 / (e R_N)", "refinement_error": "Delta0 / (e R_N)", "x": "xi0",
              "t": "Tc", "resistance": "R_xi0", "spin_current": "Delta0 / (e R_N)", "spin_density": "nu Delta0",
              "pair_potential": "Delta0", "gap_residual": "Delta0", "gap_error": "Delta0"}
    _attrs = ("points", "frequency_cutoff", "frequency_count", "newton_iterations", "continued", "gap_iterations",
              "dynes")

    t: float
    phases: np.ndarray
    current: np.ndarray
    error: np.ndarray
    grid_error: np.ndarray
    frequency_error: np.ndarray
    x: np.ndarray
    current_profile: np.ndarray
    spin_current: np.ndarray
    spin_density: np.ndarray
    singlet: np.ndarray
    triplet: np.ndarray
    resistance: float
    points: int
    frequency_cutoff: float
    frequency_count: int
    newton_iterations: int
    continued: int
    pair_potential: np.ndarray
    gap_residual: np.ndarray
    gap_error: np.ndarray
    gap_iterations: int
    refinement_error: np.ndarray
    dynes: float = 0.0

    def critical_current(self) -> float:
        """max |I| over the phases (``critical_currents``)."""
        return float(max(np.abs(self.critical_currents())))

    def critical_currents(self) -> tuple[float, float]:
        """(I_c+, I_c-) = (max I, min I) over the phase: on a uniform grid covering one period the maximum
        and minimum of the trigonometric interpolant (spectrally accurate for the smooth CPR), otherwise the
        parabola through the extreme point and its neighbours."""
        if _uniform_period(self.phases):
            return _fourier_extremes(self.phases, self.current)
        return _parabola_extreme(self.phases, self.current, 1), _parabola_extreme(self.phases, self.current, -1)

    def diode_efficiency(self) -> float:
        """(I_c+ - |I_c-|)/(I_c+ + |I_c-|) of the junction diode effect (issue 10, point 3)."""
        plus, minus = self.critical_currents()
        if not (plus > 0 > minus):
            raise ValueError("the current must change sign over phases for a diode efficiency (give a full period)")
        return float((plus - abs(minus)) / (plus + abs(minus)))


def _uniform_period(phases) -> bool:
    steps = np.diff(phases)
    return phases.size >= 4 and np.allclose(steps, 2 * np.pi / phases.size, rtol=1e-9, atol=0)


def trigonometric_interpolant(phases, values):
    """f(phase, derivative=0): the trigonometric interpolant through ``values`` on a uniform grid ``phases``
    over one period (the Nyquist term of an even grid split between +-count/2), and its derivatives."""
    count = phases.size
    coefficients = np.fft.rfft(values) / count
    if count % 2 == 0:
        coefficients[-1] /= 2
    orders = np.arange(coefficients.size)
    scale = np.where(orders == 0, 1.0, 2.0)

    def interpolant(phase, derivative=0):
        phase = np.asarray(phase, dtype=float)
        terms = scale * coefficients * (1j * orders) ** derivative * np.exp(1j * orders * (phase[..., None] - phases[0]))
        return terms.sum(-1).real

    return interpolant


def _fourier_extremes(phases, values):
    """(max, min) of the trigonometric interpolant through values on a uniform grid over one period."""
    count = phases.size
    interpolant = trigonometric_interpolant(phases, values)
    dense = phases[0] + np.linspace(0, 2 * np.pi, 64 * count, endpoint=False)
    out = []
    for sign in (1, -1):
        x = np.array(dense[np.argmax(sign * interpolant(dense))])
        for _ in range(20):  # Newton on the derivative
            x = x - interpolant(x, 1) / interpolant(x, 2)
        out.append(float(interpolant(x)))
    return tuple(out)


def _parabola_extreme(phases, values, sign):
    top = int(np.argmax(sign * values))
    if 0 < top < values.size - 1:
        c2, c1, c0 = np.polyfit(phases[top - 1: top + 2], values[top - 1: top + 2], 2)
        if sign * c2 < 0:
            return float(c0 - c1**2 / (4 * c2))
    return float(values[top])


def _chebyshev(count, length):
    """Nodes on [0, L] (ascending) and the first-derivative matrix (Trefethen's cheb, mapped)."""
    j = np.arange(count + 1)
    x = np.cos(np.pi * j / count)
    c = np.where((j == 0) | (j == count), 2.0, 1.0) * (-1.0) ** j
    dx = x[:, None] - x[None, :]
    d = np.outer(c, 1 / c) / (dx + np.eye(count + 1))
    d -= np.diag(d.sum(axis=1))
    return length * (1 - x) / 2, -2 / length * d


def _clenshaw_curtis(count, length):
    """Clenshaw-Curtis weights for the nodes of ``_chebyshev`` (exact for polynomials of degree <= count)."""
    theta = np.pi * np.arange(count + 1) / count
    w = np.zeros(count + 1)
    v = np.ones(count - 1)
    inner = slice(1, count)
    if count % 2 == 0:
        w[0] = w[-1] = 1 / (count**2 - 1)
        for k in range(1, count // 2):
            v -= 2 * np.cos(2 * k * theta[inner]) / (4 * k * k - 1)
        v -= np.cos(count * theta[inner]) / (count**2 - 1)
    else:
        w[0] = w[-1] = 1 / count**2
        for k in range(1, (count - 1) // 2 + 1):
            v -= 2 * np.cos(2 * k * theta[inner]) / (4 * k * k - 1)
    w[inner] = 2 * v / count
    return w * length / 2


def _charge_conjugate(z):
    """Unknowns at -omega from those at omega (n = 2): a -> -s_y a^T s_y, b -> -s_y b^T s_y (module docstring)."""
    shape = z.shape[:-1] + (2, 2)
    sy = riccati.spin_matrix((0, 1, 0))
    a, b = (-sy @ np.swapaxes(u.reshape(shape), -1, -2) @ sy for u in (z[..., :4], z[..., 4:]))
    return np.concatenate([a.reshape(z.shape[:-1] + (4,)), b.reshape(z.shape[:-1] + (4,))], -1)


def _layer_fields(layer, n):
    """(gauge A as 2x2, relaxation table, gamma column) of a layer for the Riccati functions (None: absent)."""
    if n == 1:
        return None, None, None
    table = layer.relaxation_table
    return (riccati.spin_matrix(layer.gauge) if np.any(layer.gauge) else None, table if np.any(table) else None,
            tuple(layer.gamma) if np.any(layer.gamma) else None)


@dataclass
class _Stack:
    """Discretised stack for one chunk of (phase, frequency) systems."""

    layers: list
    ends: tuple  # (left, right): Reservoir or VACUUM
    interfaces: np.ndarray
    points: int
    n: int
    omega: np.ndarray  # (B,) complex
    phase: np.ndarray  # (B,) junction phase difference
    gaps: tuple  # reservoir gaps (left, right)
    grids: list = field(default_factory=list)

    def __post_init__(self):
        self.c = 2 * self.n * self.n
        self.s = np.where(self.omega.real >= 0, 1.0, -1.0)[:, None, None, None]
        self.grids = [_chebyshev(self.points, layer.length) for layer in self.layers]
        eye = np.eye(self.n)
        self.local = []
        w = self.omega[:, None, None, None]
        for layer, (x, _) in zip(self.layers, self.grids):
            x11 = w * eye + (1j * riccati.spin_matrix(layer.exchange) if self.n == 2 else 0)
            pair = layer.pair_potential(x)[:, None, None]  # Delta(x) at the nodes, broadcast over the batch
            self.local.append((x11, pair * eye + 0 * w, np.conj(pair) * eye + 0 * w, -x11))
        self.gauge, self.relax, self.gamma = zip(*(_layer_fields(layer, self.n) for layer in self.layers))
        self.reservoir = []
        for side, end, gap in zip((-1, 1), self.ends, self.gaps):
            if end == VACUUM:
                self.reservoir.append(None)
                continue
            a, b = riccati.bulk_superconductor(self.omega, gap, side * self.phase / 2 + end.phase, self.n)
            self.reservoir.append((a, b, riccati.green_blocks(a, b, self.s[:, 0])))

    def subset(self, index):
        """The same stack for the systems ``index`` of the batch."""
        return _Stack(self.layers, self.ends, self.interfaces, self.points, self.n, self.omega[index],
                      self.phase[index], self.gaps)

    # unknowns z: (B, layers, nodes, c); a = z[..., :n^2], b = z[..., n^2:]
    def split(self, u):
        n = self.n
        shape = u.shape[:-1] + (n, n)
        return u[..., : n * n].reshape(shape), u[..., n * n:].reshape(shape)

    def join(self, a, b):
        return np.concatenate([a.reshape(a.shape[:-2] + (-1,)), b.reshape(b.shape[:-2] + (-1,))], axis=-1)

    def derivatives(self, z):
        d1 = np.stack([d @ z[:, k] for k, (_, d) in enumerate(self.grids)], 1)
        d2 = np.stack([d @ d1[:, k] for k, (_, d) in enumerate(self.grids)], 1)
        return d1, d2

    def pointwise(self, k, u, du, d2u):
        """Collocation residual (F_a, F_b) of layer k at all its nodes, joined to (B, nodes, c)."""
        layer = self.layers[k]
        if self.n == 2:
            return pointwise.residual(u, du, d2u, self.s, self.local[k], layer.diffusion, self.gauge[k], self.relax[k],
                                      self.gamma[k])
        (a, b), (da, db), (d2a, d2b) = self.split(u), self.split(du), self.split(d2u)
        Fa, Fb = riccati.residual(a, b, da, db, d2a, d2b, self.s, self.local[k], layer.diffusion, self.gauge[k],
                                  self.relax[k], self.gamma[k])
        return self.join(Fa, Fb)

    def current_blocks(self, k, u, du, s):
        """(K_a, K_b) of the full current J_x (``riccati.current_blocks``) in layer k."""
        (a, b), (da, db) = self.split(u), self.split(du)
        return riccati.current_blocks(a, b, da, db, s, self.layers[k].diffusion, self.gauge[k], self.gamma[k])

    def end_condition(self, k, side, u, du, u_other, du_other):
        """Boundary/interface residual (B, c) at the ``side`` (-1 left, +1 right) end of layer k."""
        s = self.s[:, 0]
        a, b = self.split(u)
        neighbour = k + side
        r = self.interfaces[k + (side + 1) // 2]
        if 0 <= neighbour < len(self.layers):
            ao, bo = self.split(u_other)
            if r == 0:
                if side == 1:
                    return u - u_other
                Ka, Kb = self.current_blocks(k, u, du, s)
                Kao, Kbo = self.current_blocks(neighbour, u_other, du_other, s)
                return self.join(Ka - Kao, Kb - Kbo)
            blocks = riccati.green_blocks(ao, bo, s)
        else:
            end = self.reservoir[(side + 1) // 2]
            if end is None:
                return self.join(*self.current_blocks(k, u, du, s))
            if r == 0:  # no current needed (the Jacobian's differences call this often)
                return u - self.join(end[0], end[1])
            blocks = end[2]
        Ka, Kb = self.current_blocks(k, u, du, s)
        Ra, Rb = riccati.project(blocks, a, b)
        return self.join(2 * r * Ka + side * s * Ra, 2 * r * Kb + side * s * Rb)

    def residual(self, z):
        d1, d2 = self.derivatives(z)
        out = np.stack([self.pointwise(k, z[:, k], d1[:, k], d2[:, k]) for k in range(len(self.layers))], 1)
        for k, side, e, ko, eo in self._ends():
            out[:, k, e] = self.end_condition(k, side, z[:, k, e], d1[:, k, e], z[:, ko, eo], d1[:, ko, eo])
        return out

    def _ends(self):
        """(layer, side, end node, neighbour layer, its node) for every layer end (neighbour = self if none)."""
        last = self.points
        for k in range(len(self.layers)):
            for side, e in ((-1, 0), (1, last)):
                ko = k + side
                inside = 0 <= ko < len(self.layers)
                yield k, side, e, (ko if inside else k), ((last if side == -1 else 0) if inside else e)

    def _pointwise_derivatives(self, k, inputs):
        """(dF/du, dF/du') of layer k's collocation residual at its nodes, (B, P, c, c) [output, input]: exact
        (``pointwise.jacobian``) for n = 2; forward differences in each complex unknown, all columns in one
        stacked evaluation, for n = 1."""
        if self.n == 2:
            layer = self.layers[k]
            return pointwise.jacobian(*inputs, self.s, self.local[k], layer.diffusion, self.gauge[k], self.relax[k],
                                      self.gamma[k])[1:]
        base = self.pointwise(k, *inputs)
        steps = _STEP * np.eye(self.c)
        parts = []
        for slot in range(2):
            args = [v[None] for v in inputs]
            args[slot] = inputs[slot][None] + steps[:, None, None, :]
            parts.append(np.moveaxis((self.pointwise(k, *args) - base) / _STEP, 0, -1))
        return parts

    def jacobian(self, z):
        """Pointwise derivatives (``_pointwise_derivatives``) through the collocation matrices; forward
        differences in the boundary and interface conditions (few rows)."""
        B, K, P, c = z.shape
        d1, d2 = self.derivatives(z)
        J = np.zeros((B, K, P, c, K, P, c), dtype=complex)
        steps = _STEP * np.eye(c)
        for k, (_, D1) in enumerate(self.grids):
            parts = self._pointwise_derivatives(k, [z[:, k], d1[:, k], d2[:, k]])
            # F is D u'' + (terms without u''), so d F / d u'' = D exactly (added on the c diagonal only)
            curvature = self.layers[k].diffusion * (D1 @ D1)
            block = J[:, k, :, :, k, :, :]
            np.multiply(parts[1][:, :, :, None, :], D1[None, :, None, :, None], out=block)
            for o in range(c):
                block[:, :, o, :, o] += curvature
            nodes = np.arange(P)
            block[:, nodes, :, nodes, :] += parts[0].transpose(1, 0, 2, 3)
        for k, side, e, ko, eo in self._ends():
            inputs = [z[:, k, e], d1[:, k, e], z[:, ko, eo], d1[:, ko, eo]]
            base = self.end_condition(k, side, *inputs)
            J[:, k, e] = 0
            for slot in range(4):
                args = [v[None] for v in inputs]
                args[slot] = inputs[slot][None] + steps[:, None, :]
                column = (self.end_condition(k, side, *args) - base) / _STEP  # (c_in, B, c_out)
                layer, node = (k, e) if slot < 2 else (ko, eo)
                if slot % 2 == 0:
                    J[:, k, e, :, layer, node, :] += column.transpose(1, 2, 0)
                else:
                    J[:, k, e, :, layer, :, :] += np.einsum("qbo,n->bonq", column, self.grids[layer][1][node])
        return J.reshape(B, K * P * c, K * P * c)


class _Factored:
    """LU factors of a stack of Jacobians (B, N, N), kept for the chord steps (a step then costs O(N^2), not
    a new factorisation); LAPACK getrf/getrs called directly (scipy's wrappers cost more than a 200 x 200
    solve); a singular or non-finite system gives a NaN step."""

    def __init__(self, matrices=None, factors=None):
        if factors is None:
            factors = []
            for m in matrices:
                # the transpose of a C-ordered matrix is Fortran-ordered: LAPACK factors it in place
                lu, pivots, info = _GETRF(m.T, overwrite_a=1)
                factors.append((lu, pivots) if info == 0 and np.all(np.isfinite(lu)) else None)
        self.factors = factors

    def __getitem__(self, index):
        return _Factored(factors=[self.factors[i] for i in index])

    def solve(self, rhs):
        out = np.full_like(rhs, np.nan)
        for i, factor in enumerate(self.factors):
            if factor is not None:
                out[i] = _GETRS(*factor, rhs[i], trans=1)[0]  # (m^T)^T x = rhs
        return out


_GETRF, _GETRS = scipy.linalg.lapack.zgetrf, scipy.linalg.lapack.zgetrs


def _newton(stack, z, tolerance, max_iterations, fresh=1, contraction=0.3):
    """Batched Newton iteration on the systems not yet converged (each system is independent); returns
    (z, converged mask, residual max per system, iterations). The Jacobian (exact in the spinful case,
    ``pointwise``) is factorised in the first ``fresh`` iterations and afterwards only when a step fails to
    shrink by ``contraction`` (chord steps with the kept LU factors otherwise: the tolerance on the step still
    holds; with the exact Jacobian one fresh factorisation and the adaptive rebuild took 9 instead of 15
    iterations and 20 % less time on the every-tensor benchmark)."""
    B = z.shape[0]
    converged = np.zeros(B, dtype=bool)
    active = np.arange(B)
    iteration, jacobian, previous, rebuild = 0, None, None, True
    for iteration in range(1, max_iterations + 1):
        sub = stack.subset(active)
        F = sub.residual(z[active]).reshape(active.size, -1)
        if rebuild or iteration <= fresh:
            jacobian, kept = _Factored(sub.jacobian(z[active])), active
        else:  # chord: the last Jacobian, restricted to the systems still active
            jacobian, kept = jacobian[np.searchsorted(kept, active)], active
        step = jacobian.solve(-F)
        bad = ~np.all(np.isfinite(step), axis=1)
        step[bad] = 0
        z[active] += step.reshape((active.size,) + z.shape[1:])
        size = np.max(np.abs(step), axis=1)
        rebuild = previous is not None and bool(np.any(size > contraction * previous))
        done = (size < tolerance) & ~bad
        converged[active[done]] = True
        keep = ~done & ~bad
        active, previous = active[keep], size[keep]
        if active.size == 0:
            break
    F = stack.residual(z).reshape(B, -1)
    residual = np.where(np.all(np.isfinite(F), 1), np.max(np.abs(F), axis=1), np.inf)
    return z, converged & np.isfinite(residual) & (np.max(np.abs(z).reshape(B, -1), 1) < 1e6), residual, iteration


def _continued(stacks, z, tolerance, max_iterations, where, advice):
    """Newton along a sequence of stacks (a continuation path), each step starting from the last solution;
    a failure raises ConvergenceError with the worst system (``where(index, step)``), its residual and ``advice``.
    Returns (z, iterations)."""
    iterations = 0
    for step, stack in enumerate(stacks):
        z, ok, residual, used = _newton(stack, z, tolerance, max_iterations)
        iterations = max(iterations, used)
        if not np.all(ok):
            worst = int(np.argmax(np.where(ok, -np.inf, residual)))
            raise ConvergenceError(f"Newton iteration failed at {where(worst, step)}, residual {residual[worst]:.3g} "
                                   f"after {max_iterations} steps; try {advice}")
    return z, iterations


def _validated(layers, ends, interfaces, t):
    if not layers:
        raise ValueError("layers must hold at least one Layer")
    for layer in layers:
        if not isinstance(layer, Layer):
            raise ValueError(f"layers must be Layer objects, got {layer!r}")
    if not (np.isfinite(t) and t > 0):
        raise ValueError(f"t = T/Tc must be > 0, got {t!r}")
    gaps = []
    for name, end in zip(("left", "right"), ends):
        if end == VACUUM:
            gaps.append(0.0)
            continue
        if not isinstance(end, Reservoir):
            raise ValueError(f"{name} must be a Reservoir or VACUUM, got {end!r}")
        if end.gap is None:
            if t >= 1:
                raise ValueError(f"t = T/Tc must be < 1 for a BCS reservoir ({name}), got {t!r}")
            gaps.append(float(bcs_gap(t).gap))
        else:
            if not (np.isfinite(end.gap) and end.gap > 0):
                raise ValueError(f"{name}.gap must be > 0 (units of Delta0), got {end.gap!r}")
            if t >= 1:
                raise ValueError(f"t = T/Tc must be < 1 with a fixed {name}.gap > 0 (no superconductivity at T >= Tc), got {t!r}")
            gaps.append(float(end.gap))
    if t >= 1 and any(layer.paired and not layer.self_consistent for layer in layers):
        raise ValueError(f"t = T/Tc must be < 1 with a fixed layer gap > 0, got {t!r}")
    if interfaces is None:
        interfaces = np.zeros(len(layers) + 1)
    interfaces = np.asarray(interfaces, dtype=float)
    if interfaces.shape != (len(layers) + 1,) or not np.all(np.isfinite(interfaces)) or np.any(interfaces < 0):
        raise ValueError(f"interfaces must be {len(layers) + 1} interface resistances r >= 0 (0: transparent), "
                         f"got {interfaces!r}")
    return gaps, interfaces


def _solve(layers, ends, gaps, interfaces, omega, phase, points, tolerance, max_iterations, continuation_steps,
           max_spread=0.05):
    """Solve every (phase, omega) pair (flat arrays); returns (n, z, iterations, continued). Newton from the zero
    start for all; a system that fails or whose root is not admissible (``_defects``: spectral positivity, and its
    spectral current varying along a layer without pair potential by more than ``max_spread`` x the largest of its
    phase) is continued (``_paths``); a continued root that is still not admissible raises ConvergenceError."""
    n = 2 if any(layer.spinful for layer in layers) else 1
    size = len(layers) * (points + 1) * 2 * n * n
    chunk = max(1, int(_CHUNK_BYTES / (16 * size * size * 2)))
    solutions, converged, unphysical, spread, scale, iterations = [], [], [], [], [], 0
    for start in range(0, omega.size, chunk):
        part = slice(start, start + chunk)
        stack = _Stack(list(layers), ends, interfaces, points, n, omega[part], phase[part], gaps)
        z0 = np.zeros((omega[part].size, len(layers), points + 1, 2 * n * n), dtype=complex)
        z, ok, residual, used = _newton(stack, z0, tolerance, max_iterations)
        iterations = max(iterations, used)
        for values, new in zip((solutions, converged, unphysical, spread, scale), (z, ok) + _defects(stack, z)):
            values.append(new)
    z, converged, unphysical, spread, scale = map(np.concatenate, (solutions, converged, unphysical, spread, scale))

    def unresolved():
        return ~(spread <= max_spread * _phase_maximum(phase, scale) + 1e-8)

    redo = np.flatnonzero(~converged | unphysical | unresolved())
    for start in range(0, redo.size, chunk):
        index = redo[start: start + chunk]
        w0, ph0, z0 = _paths(omega, phase, ~np.isin(np.arange(omega.size), redo), z, index)
        w, ph = omega[index], phase[index]
        path = [_Stack(list(layers), ends, interfaces, points, n, w0 + (w - w0) * k / continuation_steps,
                       ph0 + (ph - ph0) * k / continuation_steps, gaps) for k in range(continuation_steps + 1)]
        z[index], used = _continued(
            path, z0, tolerance, max_iterations,
            lambda i, k: (f"omega = {(w0[i] + (w[i] - w0[i]) * k / continuation_steps).real:.4g} Delta0, phase = "
                          f"{ph0[i] + (ph[i] - ph0[i]) * k / continuation_steps:.4g} (continuation step {k} of "
                          f"{continuation_steps} from omega = {w0[i].real:.4g}, phase = {ph0[i]:.4g})"),
            "more continuation_steps, more points, or larger max_iterations")
        iterations = max(iterations, used)
        unphysical[index], spread[index], scale[index] = _defects(path[-1], z[index])
    for mask, what in ((unphysical, "violates spectral positivity (||ab|| > 1)"),
                       (unresolved(), "has a spectral current that varies along the stack")):
        wrong = redo[mask[redo]]
        if wrong.size:
            raise ConvergenceError(f"the root continued to omega = {omega[wrong[0]].real:.4g} Delta0, phase = "
                                   f"{phase[wrong[0]]:.4g} {what}: Newton converged to an inadmissible root; try "
                                   "more points or more continuation_steps")
    return n, z, iterations, redo.size


def _phase_maximum(phase, values):
    """max of ``values`` over the systems of the same phase, for each system."""
    groups = np.unique(phase, return_inverse=True)[1]
    maximum = np.zeros(groups.max() + 1)
    np.maximum.at(maximum, groups, values)
    return maximum[groups]


def _defects(stack, z):
    """(unphysical, spread, scale) per system: ``_unphysical``, and the variation (max - min) over the nodes of
    each layer without pair potential of the spectral current Tr[tau3 J_x] at this omega, and its largest |value|
    there (0 and 0 without such a layer). Tr tau3 of the Usadel equation, d/dx Tr[tau3 J_x] = -Tr tau3[X, g],
    vanishes without pair potential (with omega, h, A, Gamma_jk and gamma: checked in
    tests/usadel/test_junction_branches.py), so a resolved root conserves it there."""
    d1, _ = stack.derivatives(z)
    spread, scale = np.zeros(z.shape[0]), np.zeros(z.shape[0])
    for k, layer in enumerate(stack.layers):
        if layer.paired:
            continue
        a, b = stack.split(z[:, k])
        trace = riccati.current_trace(a, b, *stack.current_blocks(k, z[:, k], d1[:, k], stack.s))
        spread = np.maximum(spread, np.ptp(trace.real, axis=1) + np.ptp(trace.imag, axis=1))
        scale = np.maximum(scale, np.max(np.abs(trace), axis=1))
    return _unphysical(z, stack.n), spread, scale


#: Margin on ||a b|| <= 1 (spectral positivity, ``_unphysical``) that absorbs collocation and rounding errors.
_POSITIVITY_MARGIN = 1e-3


def _unphysical(z, n):
    """Mask of the systems (leading axis of z) whose amplitudes violate spectral positivity at some node.

    For Re omega > 0, g11(omega) = g11^R(i omega) is the Poisson integral of the spectral density Herm g11^R(E) >= 0
    (the density-of-states matrix), so Herm(s g11) >= 0, and likewise for omega < 0 with the advanced function. As
    s g11 = (1 + ab)^-1 (1 - ab) (``riccati.green_blocks``) is the Cayley transform of W = ab, this holds iff
    ||ab||_2 <= 1 (|ab| <= 1 for n = 1: tan^2(theta/2) <= 1 in the theta parametrisation). Other roots of the
    nonlinear collocation equations that Newton can reach at low omega (phase-slip-like states) break it."""
    a, b = (z[..., : n * n].reshape(z.shape[:-1] + (n, n)), z[..., n * n:].reshape(z.shape[:-1] + (n, n)))
    product = a @ b
    if n == 1:
        norm = np.abs(product[..., 0, 0])
    else:  # largest singular value of a 2x2: s^2 = (|W|_F^2 + sqrt(|W|_F^4 - 4 |det W|^2)) / 2
        frobenius = np.sum(np.abs(product) ** 2, axis=(-2, -1))
        det = np.abs(product[..., 0, 0] * product[..., 1, 1] - product[..., 0, 1] * product[..., 1, 0])
        norm = np.sqrt((frobenius + np.sqrt(np.maximum(frobenius**2 - 4 * det**2, 0))) / 2)
    return ~(np.max(norm.reshape(z.shape[0], -1), axis=1) <= 1 + _POSITIVITY_MARGIN)


def _paths(omega, phase, physical, z, index):
    """Starts (omega0, phase0, z0) of the continuation of the systems ``index``: the physical root at the nearest
    higher |omega| of the same phase and sign (a continuation in omega: at high |omega| the proximity effect is
    weak and the zero start reaches the physical root), else the zero start at phase 0 (a continuation in phase)."""
    good = np.flatnonzero(physical)
    w0, ph0, z0 = omega[index].copy(), np.zeros(index.size), np.zeros((index.size,) + z.shape[1:], dtype=complex)
    for j, i in enumerate(index):
        above = good[(phase[good] == phase[i]) & (np.sign(omega[good].real) == np.sign(omega[i].real))
                     & (np.abs(omega[good]) > abs(omega[i]))]
        if above.size:
            source = above[np.argmin(np.abs(omega[above]))]
            w0[j], ph0[j], z0[j] = omega[source], phase[i], z[source]
    return w0, ph0, z0


def _pinned(layers, free, delta):
    """The layers with the self-consistent ones (indices ``free``) fixed at the node values ``delta[i]``."""
    out = list(layers)
    for i, k in enumerate(free):
        out[k] = replace(layers[k], gap=tuple(delta[i]), phase=0.0)
    return out


def _pair_amplitude(stack, z, k):
    """F = Tr[g12]/n = (2/n) Tr[N a] (omega > 0) in layer k, (B, nodes), and its gradients in a and b: dF =
    sum(G_a da) + sum(G_b db) with G_a = (2/n) (Nt N)^T, G_b = -(2/n) (N a N a)^T (d(N a) = N da Nt - N a db N a)."""
    a, b = stack.split(z[:, k])
    N, Nt = riccati.normalisers(a, b)
    Na = N @ a
    scale = 2 / stack.n
    return (scale * np.trace(Na, axis1=-2, axis2=-1), scale * np.swapaxes(Nt @ N, -1, -2),
            -scale * np.swapaxes(Na @ Na, -1, -2))


def _gap_jacobian(stack, z, layers, free, delta, rule, log_ratio):
    """d R / d (Re Delta, Im Delta) of the gap equation (``gap.gap_equation``) at the free nodes, as a real
    (2m, 2m) matrix (rows Re R, Im R). Per frequency, dz = -J^-1 (dF_z/dp) with the Usadel Jacobian J at the
    solution and the exact d residual / d p (the residual is affine in Delta and Delta*: one shifted evaluation
    for each of Delta + 1 and Delta + i); then dF = G_a da + G_b db (``_pair_amplitude``)."""
    B, K, P, c = z.shape
    m = len(free) * P
    size = K * P * c
    chunk = max(1, int(_CHUNK_BYTES / (16 * size * size * 2)))
    response = np.zeros((len(free), P, 2 * m), dtype=complex)  # sum_f 2 w_f dF_f / dp
    eye = np.eye(P)
    for start in range(0, B, chunk):
        index = np.arange(start, min(start + chunk, B))
        sub, zs = stack.subset(index), z[index]
        base = sub.residual(zs)
        columns = np.zeros((index.size, K, P, c, 2, len(free), P), dtype=complex)
        for u, unit in enumerate((1.0, 1j)):
            shifted = _Stack(_pinned(layers, free, delta + unit), sub.ends, sub.interfaces, sub.points, sub.n,
                             sub.omega, sub.phase, sub.gaps)
            change = shifted.residual(zs) - base  # zero on the end rows: they hold no Delta
            for i, k in enumerate(free):
                columns[:, k, :, :, u, i, :] = change[:, k, :, :, None] * eye[None, :, None, :]
        dz = -np.linalg.solve(sub.jacobian(zs), columns.reshape(index.size, size, 2 * m))
        dz = dz.reshape(index.size, K, P, c, 2 * m)
        nn = sub.n * sub.n
        for i, k in enumerate(free):
            _, Ga, Gb = _pair_amplitude(sub, zs, k)
            dF = (np.einsum("bpx,bpxq->bpq", Ga.reshape(index.size, P, nn), dz[:, k, :, :nn])
                  + np.einsum("bpx,bpxq->bpq", Gb.reshape(index.size, P, nn), dz[:, k, :, nn:]))
            response[i] += np.einsum("b,bpq->pq", 2 * rule.weights[index], dF)
    response = response.reshape(m, 2 * m)
    stiffness = log_ratio - 2 * rule.weights @ (1 / rule.omega)  # d/dDelta of Delta ln(Tc/T) - sum 2 w Delta/omega
    response[:, :m] += stiffness * np.eye(m)
    response[:, m:] += 1j * stiffness * np.eye(m)
    return np.concatenate([response.real, response.imag])


def _self_consistent(layers, ends, gaps, interfaces, t, rule, phase, points, tolerance, max_iterations,
                     continuation_steps, gap_tolerance, max_gap_iterations, start=None):
    """Delta(x) of the self-consistent layers at one reservoir phase difference: Newton's method on the complex
    node values (real and imaginary parts; the phase is free) for the cutoff-free gap equation R = 0
    (``gap.gap_equation`` with the end-corrected ``rule`` on the solver's frequencies), each step with the exact
    Jacobian (``_gap_jacobian``; least squares, so the global phase of a stack without reservoirs, a zero mode,
    stays put) and the Usadel states re-solved by Newton from the last ones; a step that does not lower max |R|
    is halved (5 times at most). Start: ``start`` = (Delta, z) of the last phase (Newton in phase from there), or
    bcs_gap(t) e^(i layer.phase) (0 for t >= 1: the normal state, R = 0) and the solution of ``_solve``.
    Returns (n, z, Usadel iterations, continued, delta (free, nodes), max |R|, quadrature error of R, steps)."""
    free = [k for k, layer in enumerate(layers) if layer.self_consistent]
    bulk = float(bcs_gap(t).gap) if t < 1 else 0.0
    delta, z = start or (np.array([np.full(points + 1, bulk * np.exp(1j * layers[k].phase)) for k in free]), None)
    omega = rule.omega.astype(complex)
    phases = np.full(omega.size, float(phase))
    log_ratio = -np.log(t)

    def stack(delta):
        return _Stack(_pinned(layers, free, delta), ends, interfaces, points, n, omega, phases, gaps)

    def states(delta, z=None):
        """Usadel solutions at Delta: Newton from z, else (or if that fails) _solve with its continuation."""
        if z is not None:
            z, ok, _, used = _newton(stack(delta), z.copy(), tolerance, max_iterations)
            if np.all(ok):
                return z, used, 0
        return _solve(_pinned(layers, free, delta), ends, gaps, interfaces, omega, phases, points, tolerance,
                      max_iterations, continuation_steps)[1:]

    def equation(z, delta):
        amplitude = np.stack([_pair_amplitude(stack(delta), z, k)[0] for k in free])  # (free, B, nodes)
        return gap_equation(delta, np.moveaxis(amplitude, 1, -1), rule, log_ratio)

    n = 2 if any(layer.spinful for layer in layers) else 1
    z, inner, continued = states(delta, z)
    residual, error = equation(z, delta)
    size, steps = np.max(np.abs(residual)), 0
    while size >= gap_tolerance:
        if steps == max_gap_iterations:
            worst = np.unravel_index(np.argmax(np.abs(residual)), residual.shape)
            raise ConvergenceError(
                f"the gap equation did not converge in {max_gap_iterations} Newton steps on Delta(x): residual "
                f"{size:.3g} Delta0 (layer {free[worst[0]]}, node {worst[1]}, phase {phase:.4g}); try more "
                "max_gap_iterations, a looser gap_tolerance, more points, or a temperature further from the "
                "stack's Tc (the gap equation is singular there)")
        jacobian = _gap_jacobian(stack(delta), z, layers, free, delta, rule, log_ratio)
        rhs = -np.concatenate([residual.real.ravel(), residual.imag.ravel()])
        step = np.linalg.lstsq(jacobian, rhs, rcond=None)[0]
        step = (step[: step.size // 2] + 1j * step[step.size // 2:]).reshape(delta.shape)
        for halving in range(6):
            trial = delta + step / 2**halving
            try:
                z_trial, used, more = states(trial, z)
            except ConvergenceError:
                continue
            trial_residual, trial_error = equation(z_trial, trial)
            if np.max(np.abs(trial_residual)) < size:
                break
        else:
            raise ConvergenceError(
                f"a Newton step on Delta(x) does not lower the gap-equation residual {size:.3g} Delta0 (phase "
                f"{phase:.4g}); try more points, or a temperature further from the stack's Tc")
        delta, z, residual, error = trial, z_trial, trial_residual, trial_error
        inner, continued, steps = max(inner, used), continued + more, steps + 1
        size = np.max(np.abs(residual))
    return n, z, inner, continued, delta, float(size), float(np.max(error)), steps


def junction(
    layers,
    t: float,
    phases=0.0,
    *,
    left=Reservoir(),
    right=Reservoir(),
    interfaces=None,
    points: int = 32,
    frequency_cutoff: float = 10.0,
    minimum_frequencies: int = 32,
    quadrature_nodes: int = 20,
    decay_cutoff: float | None = DECAY_CUTOFF,
    tolerance: float = 1e-11,
    max_grid_error: float = 0.05,
    max_iterations: int = 30,
    continuation_steps: int = 8,
    gap_tolerance: float = 1e-9,
    max_gap_iterations: int = 30,
    dynes: float = 0.0,
) -> JunctionResult:
    """Current-phase relation of a 1D stack between two ends (module docstring), all frequencies and phases in
    one batched Newton system. ``layers``: Layer objects, left to right; ``phases``: phase differences (rad);
    ``interfaces``: len(layers) + 1 Kupriyanov-Lukichev resistances r = R_B sigma_0/xi0 (left end, between
    layers, right end; 0 = transparent; ignored at a vacuum end). Raises ValueError on bad input and
    ConvergenceError when Newton fails even with continuation, when a continued root is still inadmissible (module
    docstring: norm(ab) > 1, or a spectral current varying along a layer without pair potential by more than
    ``max_grid_error`` x its largest value at that phase), or when the current varies along the stack by more than
    ``max_grid_error`` x max |I| (an unresolved solution). The low-T roots that Newton reaches from the zero start
    with Kupriyanov-Lukichev interfaces or h >> Delta are replaced by the continued ones: the short KL S/N/S junction
    at 0.01 Tc has KO-1's temperature change (tests/usadel/test_junction.py), and the roots equal those of a
    sequential continuation from high omega (tests/usadel/test_junction_branches.py).

    Layers with ``gap=SELF_CONSISTENT`` get Delta(x) (complex, ``pair_potential``) from the cutoff-free gap
    equation at each phase (``_self_consistent``: Newton on Delta to max |R| < ``gap_tolerance`` Delta0 in
    at most ``max_gap_iterations`` steps); every frequency is then kept (``decay_cutoff`` applies to the current
    of fixed-Delta stacks only: the gap equation needs the local high-frequency terms), and a VACUUM end is
    allowed (no current: the equilibrium state, e.g. an S/N bilayer). t >= 1 is allowed for such a stack
    between vacuum ends: Delta = 0, the normal state, is then the only solution and is returned.

    ``dynes`` = eta > 0 is a Dynes (inelastic) broadening E -> E + i eta of every Green function, layers and
    reservoirs alike, as real-energy codes use (GENEUS's ``scattering``): its Matsubara image is omega_n -> omega_n +
    eta sign(omega_n), since the retarded functions at E + i eta continue to i omega_n + i eta. With it the
    current of the long KL S/N/S junction equals GENEUS's to its printed digits (docs/benchmarks.md). Fixed-Delta
    stacks only (the gap equation is not defined with it)."""
    layers = list(layers) if not isinstance(layers, Layer) else [layers]
    options = dict(locals())
    result = _junction(**options)
    if _singular_interfaces(layers, interfaces):  # Delta -> 0 logarithmically at a transparent S/N interface
        coarse = _junction(**dict(options, points=max(8, (2 * int(points)) // 3)))
        change = np.abs(result.current - coarse.current)
        result = replace(result, refinement_error=change, error=result.error + change)
    return result.at_scalar("phase") if np.ndim(phases) == 0 else result


def _singular_interfaces(layers, interfaces) -> bool:
    """Whether a self-consistent layer meets a layer with a different pair potential through a transparent
    interface (there the cutoff-free Delta(x) has a logarithmic singularity, docs/conventions.md)."""
    r = np.zeros(len(layers) + 1) if interfaces is None else np.asarray(interfaces, dtype=float)
    return any((left.self_consistent or right.self_consistent) and r[k + 1] == 0
               and not (left.self_consistent and right.self_consistent)
               for k, (left, right) in enumerate(zip(layers[:-1], layers[1:])))


def _junction(layers, t, phases, *, left, right, interfaces, points, frequency_cutoff, minimum_frequencies,
              quadrature_nodes, decay_cutoff, tolerance, max_grid_error, max_iterations, continuation_steps,
              gap_tolerance, max_gap_iterations, dynes):
    """``junction`` on one grid (its docstring); ``layers`` a list."""
    ends = (left, right)
    gaps, interfaces = _validated(layers, ends, interfaces, t)
    self_consistent = any(layer.self_consistent for layer in layers)
    if VACUUM in ends and not self_consistent:
        raise ValueError("left and right must both be Reservoirs for a current-phase relation (a vacuum end is "
                         "allowed with a self-consistent layer)")
    if not (np.isfinite(dynes) and dynes >= 0):
        raise ValueError(f"dynes must be >= 0 (units of Delta0), got {dynes!r}")
    if dynes > 0 and self_consistent:
        raise ValueError("dynes > 0 needs fixed pair potentials (the gap equation has no Dynes broadening)")
    if not (np.isfinite(gap_tolerance) and gap_tolerance > 0):
        raise ValueError(f"gap_tolerance must be > 0 (units of Delta0), got {gap_tolerance!r}")
    if not (int(max_gap_iterations) == max_gap_iterations and 1 <= max_gap_iterations <= 200):
        raise ValueError(f"max_gap_iterations must be an integer in [1, 200], got {max_gap_iterations!r}")
    if not (np.isfinite(max_grid_error) and 0 < max_grid_error <= 1):
        raise ValueError(f"max_grid_error must be in (0, 1] (relative to max |I|), got {max_grid_error!r}")
    if not (int(points) == points and 8 <= points <= 400):
        raise ValueError(f"points must be an integer in [8, 400], got {points!r}")
    if not (np.isfinite(frequency_cutoff) and frequency_cutoff >= 1):
        raise ValueError(f"frequency_cutoff must be >= 1 (units of Delta0), got {frequency_cutoff!r}")
    for name, value, low in (("minimum_frequencies", minimum_frequencies, 2), ("quadrature_nodes", quadrature_nodes, 4)):
        if not (int(value) == value and low <= value <= 1000 and value % 2 == 0):
            raise ValueError(f"{name} must be an even integer in [{low}, 1000], got {value!r}")
    phases = np.atleast_1d(np.asarray(phases, dtype=float))
    if not np.all(np.isfinite(phases)):
        raise ValueError(f"phases must be finite, got {phases!r}")
    temperature = t / GAP0_OVER_TC  # T/Delta0
    w, weights, alternative = matsubara_nodes(temperature, frequency_cutoff, int(minimum_frequencies), int(quadrature_nodes))
    decay = sum(layer.length * np.sqrt(2 * w / layer.diffusion) for layer in layers)
    keep = decay <= (np.inf if decay_cutoff is None else decay_cutoff)
    if self_consistent:  # the gap equation's frequencies (``_self_consistent``), whatever their current
        keep = w <= GAP_CEILING
    w, weights, alternative = w[keep], weights[keep], alternative[keep]
    w = w + dynes
    P, F = np.meshgrid(phases, w, indexing="ij")
    gap_residual, gap_error, gap_iterations = np.zeros(phases.size), np.zeros(phases.size), 0
    with threadpool_limits(limits=1, user_api="blas"):  # many small solves: BLAS threads only contend
        if self_consistent:
            rule = MatsubaraRule(temperature, 1.0, frequency_cutoff, int(quadrature_nodes),
                                 int(minimum_frequencies)).below(GAP_CEILING)
            runs = []
            for phase in phases:  # each phase from the last one's Delta(x)
                runs.append(_self_consistent(layers, ends, gaps, interfaces, t, rule, phase, int(points), tolerance,
                                             max_iterations, continuation_steps, gap_tolerance, int(max_gap_iterations),
                                             (runs[-1][4], runs[-1][1]) if runs else None))
            n, z = runs[0][0], np.concatenate([run[1] for run in runs])
            iterations, continued = max(run[2] for run in runs), sum(run[3] for run in runs)
            deltas = iter(np.stack([run[4] for run in runs], 1))  # per self-consistent layer: (phase, nodes)
            gap_residual, gap_error = (np.array([run[i] for run in runs]) for i in (5, 6))
            gap_iterations = max(run[7] for run in runs)
        else:
            n, z, iterations, continued = _solve(layers, ends, gaps, interfaces, F.ravel().astype(complex),
                                                 P.ravel(), int(points), tolerance, max_iterations, continuation_steps,
                                                 max_grid_error)
    z = z.reshape(phases.size, w.size, len(layers), points + 1, -1)
    if n == 2:  # omega < 0 from charge conjugation (module docstring)
        z = np.concatenate([z, _charge_conjugate(z)], axis=1)
    omega = np.concatenate([w, -w]) if n == 2 else w
    weight = np.concatenate([weights, weights]) if n == 2 else 2 * weights
    weight_alt = np.concatenate([alternative, alternative]) if n == 2 else 2 * alternative
    resistance = sum(layer.length / layer.diffusion for layer in layers)
    sign = np.where(omega.real >= 0, 1.0, -1.0)
    prefactor = np.pi * temperature * weight  # pi T sum_n, per frequency
    fields = {name: [] for name in ("summand", "spin_current", "spin_density", "singlet", "triplet")}
    xs, cc, pair, offset = [], [], [], 0.0
    for k, layer in enumerate(layers):
        x, D1 = _chebyshev(points, layer.length)
        u = z[:, :, k]
        du = np.einsum("ij,pfjc->pfic", D1, u)
        a, b = (u[..., : n * n].reshape(u.shape[:-1] + (n, n)), u[..., n * n:].reshape(u.shape[:-1] + (n, n)))
        da, db = (du[..., : n * n].reshape(a.shape), du[..., n * n:].reshape(a.shape))
        s = sign[None, :, None, None, None]
        gauge, _, gamma = _layer_fields(layer, n)
        Ka, Kb = riccati.current_blocks(a, b, da, db, s, layer.diffusion, gauge, gamma)
        # charge current summand -(i/4) R_N pi T Tr[tau3 J_x] per frequency (phase, freq, x)
        fields["summand"].append(-0.25j * resistance * np.pi * temperature * riccati.current_trace(a, b, Ka, Kb))
        g11, g12, g21, g22 = riccati.green_blocks(a, b, s)
        fields["singlet"].append(np.trace(g12[:, 0], axis1=-2, axis2=-1) / (2 * n))
        if n == 2:
            J = riccati.matrix_current_4x4(a, b, Ka, Kb)
            spin_j = np.stack([np.trace(_SIGMA4[l] @ J, axis1=-2, axis2=-1) for l in range(3)], 2)  # (p, f, l, x)
            g = riccati.green(a, b, s)
            spin_g = np.stack([np.trace(_TAU3_SIGMA4[l] @ g, axis1=-2, axis2=-1) for l in range(3)], 2)
            fields["spin_current"].append(np.einsum("f,pflx->plx", prefactor, -0.25j * resistance * spin_j))
            fields["spin_density"].append(np.einsum("f,pflx->plx", prefactor, 0.25j * spin_g))
            fields["triplet"].append(np.stack([np.trace(_SIGMA2[l] @ g12[:, 0], axis1=-2, axis2=-1) / 4
                                               for l in range(3)], 1))
        else:
            zero = np.zeros((phases.size, 3, points + 1))
            fields["spin_current"].append(zero)
            fields["spin_density"].append(zero)
            fields["triplet"].append(zero.astype(complex))
        xs.append(offset + x)
        pair.append(next(deltas) if layer.self_consistent else np.broadcast_to(layer.pair_potential(x), (phases.size, x.size)))
        cc.append(_clenshaw_curtis(points, layer.length))
        offset += layer.length
    summand = np.concatenate(fields["summand"], axis=-1)  # (phase, freq, x)
    profile = np.einsum("f,pfx->px", weight, summand)
    spin_current, spin_density = (np.concatenate(fields[name], -1) for name in ("spin_current", "spin_density"))
    imaginary = max(np.max(np.abs(profile.imag)), np.max(np.abs(spin_current.imag)), np.max(np.abs(spin_density.imag)))
    if imaginary > 1e-6 * max(1.0, np.max(np.abs(profile.real))):
        raise ConvergenceError(f"the current or spin has an imaginary part {imaginary:.3g}: the solution is not "
                               "physical; try more points")
    profile = profile.real
    cc = np.concatenate(cc)
    current = profile @ cc / offset
    total = np.einsum("pfx,x->pf", summand, cc).real / offset  # per-frequency summand (phase, freq)
    explicit = np.flatnonzero((weights == 1) & (alternative == 1))
    last = 2 * total[:, explicit[-2:]]  # both signs of omega: the midpoint-rule term of the cut (vortex)
    frequency_error = np.abs(total @ (weight - weight_alt)) + np.abs(last[:, 1] - last[:, 0]) / 24
    grid_error = profile.max(axis=1) - profile.min(axis=1)
    # the total current of a resolved solution is constant along the stack (the per-frequency check in _solve
    # leaves out layers with a pair potential)
    worst = int(np.argmax(grid_error))
    # a gap-equation residual R leaves a current source ~ Im(Delta* R) per length (``_self_consistent``)
    if grid_error[worst] > max_grid_error * np.max(np.abs(current)) + 1e-10 + 10 * resistance * np.max(gap_residual):
        raise ConvergenceError(
            f"the current varies along the stack by {grid_error[worst]:.3g} (|I| = {abs(current[worst]):.3g}) at phase "
            f"{phases[worst]:.4g}: Newton converged to an unresolved solution; try more points, or reach this "
            "temperature, field or length by continuation from a case that converges")
    return JunctionResult(
        t=float(t), phases=phases, current=current, error=grid_error + frequency_error, grid_error=grid_error,
        frequency_error=frequency_error, x=np.concatenate(xs), current_profile=profile,
        spin_current=spin_current.real, spin_density=spin_density.real,
        singlet=np.concatenate(fields["singlet"], axis=-1), triplet=np.concatenate(fields["triplet"], axis=-1),
        resistance=float(resistance), points=int(points), frequency_cutoff=float(frequency_cutoff),
        frequency_count=int(w.size), newton_iterations=int(iterations), continued=int(continued),
        pair_potential=np.concatenate(pair, -1), gap_residual=gap_residual, gap_error=gap_error,
        gap_iterations=int(gap_iterations), refinement_error=np.zeros(phases.size), dynes=float(dynes))


_SIGMA2 = [riccati.spin_matrix(e) for e in np.eye(3)]
_SIGMA4 = [np.kron(np.eye(2), p) for p in _SIGMA2]
_TAU3_SIGMA4 = [np.kron(np.diag([1.0, -1.0]), p) for p in _SIGMA2]


@dataclass(frozen=True)
class SpectrumResult(Result):
    """Local density of states N(E, x)/N0 (per spin, spin-summed average) on real energies E + i eta."""

    _dims = {"energies": ("energy",), "x": ("x",), "density": ("energy", "x"), "singlet": ("energy", "x")}
    _units = {"energies": "Delta0", "x": "xi0", "density": "N0", "eta": "Delta0"}
    _attrs = ("points", "newton_iterations")

    energies: np.ndarray
    x: np.ndarray
    density: np.ndarray
    singlet: np.ndarray
    eta: float
    points: int
    newton_iterations: int


def spectrum(layers, energies, *, left=Reservoir(gap=1.0), right=VACUUM, interfaces=None, phase=0.0, eta=0.01,
             points: int = 32, tolerance: float = 1e-11, max_iterations: int = 40, t: float | None = None) -> SpectrumResult:
    """Local DOS of a stack at real energies: the Matsubara machinery at omega = eta - i E (retarded,
    s = +1), N(E, x)/N0 = Re Tr[g11]/n (the spin average of Re g^R_11; 1 in the normal state). Ends: Reservoir
    (``gap`` required: the spectrum does not depend on T) or VACUUM; ``phase`` is the reservoirs' phase
    difference. All energies are solved together, continued in the broadening from eta = 1 Delta0 down to
    ``eta`` (13 geometric steps). Self-consistent layers need ``t``: their Delta(x) is the equilibrium one of
    ``junction`` at t and ``phase`` (same ends, interfaces and points), then held fixed."""
    layers = list(layers) if not isinstance(layers, Layer) else [layers]
    scalar = np.ndim(energies) == 0
    energies = np.atleast_1d(np.asarray(energies, dtype=float))
    if not (np.isfinite(eta) and eta > 0):
        raise ValueError(f"eta must be > 0 (units of Delta0), got {eta!r}")
    if not np.all(np.isfinite(energies)):
        raise ValueError("energies must be finite")
    for name, end in (("left", left), ("right", right)):
        if isinstance(end, Reservoir) and end.gap is None:
            raise ValueError(f"{name}.gap must be given for a spectrum (units of Delta0)")
    free = [k for k, layer in enumerate(layers) if layer.self_consistent]
    if free:
        if t is None:
            raise ValueError("t = T/Tc must be given for a spectrum with a self-consistent layer (its Delta(x))")
        state = junction(layers, t, [phase], left=left, right=right, interfaces=interfaces, points=points)
        layers = _pinned(layers, free, state.pair_potential[0].reshape(len(layers), points + 1)[free])
    gaps, interfaces = _validated(layers, (left, right), interfaces, 0.5)
    omega = eta - 1j * energies
    n = 2 if any(layer.spinful for layer in layers) else 1
    with threadpool_limits(limits=1, user_api="blas"):
        # continuation in the broadening from eta = 1 Delta0 down: a direct start at small eta can converge
        # to an unphysical root (negative DOS at low E in a long N layer)
        z = np.zeros((omega.size, len(layers), points + 1, 2 * n * n), dtype=complex)
        dampings = np.geomspace(max(1.0, eta), eta, 13 if eta < 1 else 1)
        path = (_Stack(layers, (left, right), interfaces, int(points), n, damping - 1j * energies,
                       np.full(omega.size, float(phase)), gaps) for damping in dampings)
        z, iterations = _continued(path, z, tolerance, max_iterations,
                                   lambda i, k: f"E = {energies[i]:.4g} Delta0, eta = {dampings[k]:.3g} (continuation in eta)",
                                   "a larger eta or more points")
    xs, density, singlet, offset = [], [], [], 0.0
    for k, layer in enumerate(layers):
        u = z[:, k]
        a, b = u[..., : n * n].reshape(u.shape[:-1] + (n, n)), u[..., n * n:].reshape(u.shape[:-1] + (n, n))
        g11, g12, _, _ = riccati.green_blocks(a, b, 1.0)
        density.append(np.trace(g11, axis1=-2, axis2=-1).real / n)
        singlet.append(np.trace(g12, axis1=-2, axis2=-1) / (2 * n))
        xs.append(offset + _chebyshev(points, layer.length)[0])
        offset += layer.length
    result = SpectrumResult(energies=energies, x=np.concatenate(xs), density=np.concatenate(density, -1),
                            singlet=np.concatenate(singlet, -1), eta=float(eta), points=int(points),
                            newton_iterations=int(iterations))
    return result.at_scalar("energy") if scalar else result
