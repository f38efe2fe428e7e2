"""Homogeneous superconducting films with a phase gradient: depairing currents and the diode effect.

Paper 003, Eqs. (4), (7)-(9) and (S3)-(S5) (the operator of :mod:`spincharge.usadel.operator`, torque sign
fixed by g^2 = 1) for a state g(x) = U g U^+, U = exp(i q.x tau3 / 2) (pair potential Delta e^{i q.x}),
with every tensor of a :class:`~spincharge.materials.Material`: D_kj, Gamma_jk (the Gamma of Eq. (7); the
D A A relaxation of the gauge field follows from the covariant derivative of the diffusion current),
alpha_jk (SU(2) field A = alpha D^-1, Eq. (4)), gamma_lk (Eqs. (8)-(9)), theta and kappa (Eqs. (S4),
(S37), (S45)) and the exchange field h, all nonlinear. theta and kappa drop out of the equation of a
state with one gradient direction (eps_jkl d_j g d_k g = 0 and n.J^theta = n.J^kappa = 0; checked with
every term evaluated, ``full``) and carry no charge current either (Tr tau3 J^theta = Tr tau3 J^kappa = 0).

In the twisted frame d_k -> (i q_k / 2)[tau3, .], so the equation is local and is solved at all
Matsubara frequencies at once by a batched Newton iteration on the Riccati amplitudes (a, b: two 2x2
complex matrices, Eq. (S6), g^2 = 1 exactly), bordered by the cutoff-free gap equation (the ln(Tc/T) form
of :func:`~spincharge.usadel.gap.bcs_gap`)

    Delta ln(Tc/T) = pi T sum_{n in Z} [Delta / |omega_n| - f_n],   f_n = Tr[tau1 g(omega_n)] / 4,

for a self-consistent |Delta|(q) (the tau2 part Tr[tau2 g] vanishes at every frequency of a solution:
Tr[tau3 E] = 2 i Delta Tr[tau2 g], charge conservation of a homogeneous state).

Units (as :mod:`~spincharge.usadel.junction`): energies (Delta, h, Gamma, omega) in Delta0, T in Tc,
lengths in xi0 = sqrt(D0 / Delta0), D in D0, alpha and gamma in D0 / xi0, q in 1/xi0. Observables:

    j_k     = -(i/4) pi T sum_{n in Z} Tr[tau3 J_k]      in sigma_0 Delta0 / (e xi0), sigma_0 = 2 e^2 nu D0,
    delta S_i = (i/4) pi T sum_{n in Z} Tr[tau3 sigma_i g]   in nu Delta0,

(the vortex conventions, docs/conventions.md "Films and the diode effect"): j is along q for gamma = 0
(j = (pi/2) Delta tanh(Delta/2T) D q for small q) and a Zeeman field lowers the spin, delta S = -nu X h.
Frequencies: omega > 0 only (g(-omega) = -tau3 g(omega)^+ tau3), explicit up to ``cutoff`` times the
largest energy (Delta0, |h|, Gamma, D q^2), the rest by Gauss-Laguerre in log omega
(:func:`~spincharge.numerics.matsubara.matsubara_nodes`) with end corrections that make the sum exact for
omega^-2 .. omega^-5 tails; the error estimate is the difference from two lower-order rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..materials import Material
from ..numerics.matsubara import MatsubaraRule
from ..results import CARTESIAN, Result
from .gap import GAP0_OVER_TC, bcs_gap, gap_equation
from .operator import (
    TORQUE_SIGN,
    Algebra,
    comm,
    gauge_matrix,
    local_terms,
    matrix_current,
    matrix_torque,
    riccati_frame,
    riccati_g,
)
from .riccati import bulk_superconductor, inverse

_ALG = Algebra("numpy")
TAU, SIGMA = _ALG.tau, _ALG.sigma
#: forward-difference step of the holomorphic Jacobian (Newton still converges to round-off)
_STEP = 1e-7


class FilmConvergenceError(RuntimeError):
    """Newton's method for the film state failed; the message gives the residual and what to try."""


@dataclass(frozen=True)
class FilmTensors:
    """The tensors of a homogeneous state (units of the module docstring); alpha and gamma spin index first,
    theta and kappa stored times D (Tr D / 3), as the operator's spin Hall terms take them with D = 1."""

    diffusion: np.ndarray
    relaxation: np.ndarray
    alpha: np.ndarray
    gamma: np.ndarray
    theta: np.ndarray
    kappa: np.ndarray
    exchange: np.ndarray

    @classmethod
    def of(cls, material, h=None) -> FilmTensors:
        """From a ``Material`` or a mapping with keys among D, Gamma, alpha, gamma, theta, kappa, h (scalars mean
        isotropic; D defaults to 1, the rest to 0: unlike ``Material``, Gamma = 0 is allowed); ``h`` replaces
        its field."""
        names = ("D", "Gamma", "alpha", "gamma", "theta", "kappa", "h")
        if isinstance(material, Material):
            values = {name: getattr(material, name) for name in names}
        else:
            values = dict(material)
            unknown = sorted(set(values) - set(names))
            if unknown:
                raise ValueError(f"material: unknown tensors {unknown}; a film takes {', '.join(names)}")
        if h is not None:
            values["h"] = h
        tensors = {}
        for name, default in (("D", 1.0), ("Gamma", 0.0), ("alpha", 0.0), ("gamma", 0.0), ("theta", 0.0), ("kappa", 0.0)):
            value = np.array(values.get(name, default), dtype=float)
            value = value * np.eye(3) if value.ndim == 0 else value
            if value.shape != (3, 3) or not np.all(np.isfinite(value)):
                raise ValueError(f"{name} must be a finite 3x3 array or a scalar, got shape {value.shape}")
            tensors[name] = value
        for name, bound in (("D", 0.0), ("Gamma", -1e-14)):
            value = tensors[name]
            if not (np.allclose(value, value.T) and np.linalg.eigvalsh(value).min() > bound * max(1, np.abs(value).max())):
                kind = "positive definite" if name == "D" else "positive semi-definite"
                raise ValueError(f"{name} must be symmetric and {kind}, got {value.tolist()}")
        exchange = np.array(values.get("h", np.zeros(3)), dtype=float)
        if exchange.shape != (3,) or not np.all(np.isfinite(exchange)):
            raise ValueError(f"h must be a finite 3-vector (units of Delta0), got {values.get('h')!r}")
        # theta and kappa multiply D (Eqs. S4, S45, S37); with a tensor D, its mean Tr D / 3
        mean = np.trace(tensors["D"]) / 3
        return cls(tensors["D"], tensors["Gamma"], tensors["alpha"], tensors["gamma"], mean * tensors["theta"],
                   mean * tensors["kappa"], exchange)  # fmt: skip

    @property
    def gauge(self) -> np.ndarray:
        """A_jk = (alpha D^-1)_jk: alpha_jk = A_jl D_lk (operator module)."""
        return self.alpha @ np.linalg.inv(self.diffusion)

    def energy_scale(self, q) -> float:
        """The largest energy of the problem (Delta0 = 1, |h|, Gamma, q.D.q, D A^2): sets the explicit frequencies."""
        q = np.asarray(q, dtype=float)
        gauge = self.gauge
        return float(max(1.0, np.linalg.norm(self.exchange), np.abs(self.relaxation).max(), q @ self.diffusion @ q,
                         np.abs(self.alpha).max() * np.abs(gauge).max()))  # fmt: skip


def mirrored(g):
    """g(-omega) = -tau3 g(omega)^+ tau3: the frequency symmetry of the twisted-frame equation with real Delta
    (every tensor, h and alpha; checked by the residual at -omega in the tests), so only omega > 0 is solved."""
    return -TAU[3] @ np.conj(np.swapaxes(g, -1, -2)) @ TAU[3]


def _amplitudes(z):
    """(..., 8) complex -> a, b (..., 2, 2)."""
    return z[..., :4].reshape(*z.shape[:-1], 2, 2), z[..., 4:].reshape(*z.shape[:-1], 2, 2)


def _twist(m, q_k):
    return 0.5j * q_k * comm(TAU[3], m)


def _gradients(g, q, tensors):
    """d_k g = (i q_k/2)[tau3, g] and the diffusion currents J^D_k = -D_kl g D~_l g (k = x, y, z).

    With the tensor D, sum_l D_kl D~_l g = (i (D q)_k / 2)[tau3, g] - i[alpha_.k, g] (sum_l D_kl A_l = alpha_.k),
    so the operator's scalar-D current runs with D = 1 along (D q)_k and the gauge alpha[:, k]."""
    dq = tensors.diffusion @ q
    gauge = [tensors.alpha[:, k] if np.any(tensors.alpha) else None for k in range(3)]
    dg = [_twist(g, q[k]) for k in range(3)]
    diffusive = [matrix_current(_ALG, g, _twist(g, dq[k]), k, None, 1.0, gauge[k]) for k in range(3)]
    return dg, diffusive


def _currents(g, q, tensors):
    """J_k (k = x, y, z) of Eq. (8)/(S4) with every tensor: the diffusion current plus the gamma, theta and
    kappa currents (plain gradients, as in the action, Eqs. (5)-(6))."""
    dg, diffusive = _gradients(g, q, tensors)
    zero = 0 * g
    return [J + matrix_current(_ALG, g, zero, k, tensors.gamma, 0.0, theta=tensors.theta, kappa=tensors.kappa, dg=dg)
            for k, J in enumerate(diffusive)]  # fmt: skip


def _operator(g, frequencies, pair_potential, q, tensors, full=False):
    """E[g] of paper 003, Eq. (S3) with (S4)-(S5) in the twisted frame (d_k -> (i q_k/2)[tau3, .]), in the
    operator module's form: d_k J_k + sum_k G_k + local terms + T, G_k = -i[A_k, J^D_k] (A = alpha D^-1).

    Without alpha only n.J (n = q/|q|) enters the divergence, and the torque only through gamma n: one
    current instead of three (J_n has the table gamma n and D -> n.D.q/|q|). theta and kappa then drop out
    exactly: n.J^theta, n.J^kappa and their torques carry eps_jkl n_j n_k = 0. ``full`` evaluates all three
    currents and every torque anyway (the check that they drop out)."""
    E = local_terms(_ALG, g, pair_potential * TAU[1], frequencies, tensors.relaxation, tensors.exchange)
    size = np.linalg.norm(q)
    if np.any(tensors.alpha) or full:
        dg, diffusive = _gradients(g, q, tensors)
        zero = 0 * g
        for k, J in enumerate(diffusive):
            rest = matrix_current(_ALG, g, zero, k, tensors.gamma, 0.0, theta=tensors.theta, kappa=tensors.kappa, dg=dg)
            E = E + _twist(J + rest, q[k])
            if np.any(tensors.alpha):
                E = E - 1j * comm(gauge_matrix(_ALG, tensors.gauge[:, k]), J)
        return E + TORQUE_SIGN * matrix_torque(_ALG, g, dg, tensors.gamma, theta=tensors.theta, kappa=tensors.kappa)
    if size > 0:
        n = q / size
        gamma = (tensors.gamma @ n)[:, None]
        J = matrix_current(_ALG, g, _twist(g, n @ tensors.diffusion @ q), 0, gamma, 1.0)
        E = E + _twist(J, size)
        if np.any(gamma):
            E = E + TORQUE_SIGN * matrix_torque(_ALG, g, [_twist(g, size)], gamma)
    return E


def _residual(z, frequencies, pair_potential, q, tensors):
    """Off-diagonal blocks of M^-1 E M (M: Riccati frame) as 8 complex numbers; holomorphic in z.

    M M = diag(1 + ab, 1 + ba), so M^-1 = diag(N, N~) M with the Riccati N = (1 + ab)^-1."""
    a, b = _amplitudes(z)
    g = riccati_g(_ALG, a, b, 1, inverse)  # omega > 0 only
    E = _operator(g, frequencies, pair_potential, q, tensors)
    M = riccati_frame(_ALG, a, b, 1)
    X = M @ E @ M
    upper = inverse(_ALG.eye2 + a @ b) @ X[..., :2, 2:]
    lower = inverse(_ALG.eye2 + b @ a) @ X[..., 2:, :2]
    shape = X.shape[:-2]
    return np.concatenate([upper.reshape(*shape, 4), lower.reshape(*shape, 4)], axis=-1), g


def _singlet(g):
    return np.trace(TAU[1] @ g, axis1=-2, axis2=-1) / 4


def _bcs_amplitudes(frequencies, gap):
    """Riccati amplitudes a = b = Delta / (|omega| + sqrt(omega^2 + Delta^2)) (unit 2x2) of the BCS state."""
    a, b = bulk_superconductor(frequencies.omega, gap, 0.0, 2)
    return np.concatenate([a.reshape(-1, 4), b.reshape(-1, 4)], axis=-1)


class Solution(NamedTuple):
    """A converged state: Riccati amplitudes z, |Delta|, residual, Newton steps, the gap equation's total
    slope in Delta (0 for a fixed gap) and the linearisation (reused as the next solve's chord Jacobian)."""

    z: np.ndarray
    gap: float
    residual: float
    iterations: int
    slope: float
    linear: tuple


def _linearise(z, gap, frequencies, q, tensors):
    """((J^-1, d f/d z, J^-1 dR/dDelta), R, g): forward differences of the holomorphic residual in the 8
    complex unknowns and (exactly: E is linear in Delta) in Delta, with R itself, in one stacked evaluation."""
    shifts = np.concatenate([np.zeros((1, 1, 8)), _STEP * np.eye(8)[:, None, :], np.zeros((1, 1, 8))])
    potential = np.full((10, 1, 1, 1), gap)
    potential[-1] += 1.0
    residual, g = _residual(z[None] + shifts, frequencies.omega[:, None, None], potential, q, tensors)
    base = residual[0]
    jacobian_inverse = np.linalg.inv(np.moveaxis((residual[1:9] - base) / _STEP, 0, -1))  # (n, 8 residuals, 8 unknowns)
    df_dz = (_singlet(g[1:9]) - _singlet(g[0])).T / _STEP
    v = np.einsum("nij,nj->ni", jacobian_inverse, residual[9] - base)
    return (jacobian_inverse, df_dz, v), base, g[0]


def newton(z, gap, frequencies, q, tensors, *, self_consistent, log_ratio=0.0, tolerance=1e-12, max_iterations=40,
           linear=None) -> Solution:  # fmt: skip
    """Batched Newton (chord) iteration on the Riccati amplitudes z (frequencies x 8), bordered by the gap
    equation when ``self_consistent`` (``log_ratio`` = ln(Tc/T)).

    The Jacobian (``_linearise``; ``linear`` from a neighbouring solution if given) is kept while each step
    shrinks by 20 and recomputed otherwise; ``residual`` of the result is the largest entry before the last
    step (of size < ``tolerance``); the gap row is eliminated by the Schur complement, whose
    per-frequency entries 1/|omega| - d f/d Delta decay at large omega."""
    omega = frequencies.omega[:, None, None]
    w_abs, weights = frequencies.omega, 2 * frequencies.weights  # Re f is even in omega
    previous, fresh, base = np.inf, False, None
    for iteration in range(1, max_iterations + 1):
        if linear is None:
            linear, base, g = _linearise(z, gap, frequencies, q, tensors)
            fresh = True
        elif base is None:
            base, g = _residual(z, omega, gap, q, tensors)
        jacobian_inverse, df_dz, v = linear
        u = np.einsum("nij,nj->ni", jacobian_inverse, base)
        if self_consistent:
            value = gap_equation(gap, _singlet(g).real, frequencies, log_ratio)[0]
            slope = log_ratio - (1 / w_abs + np.einsum("nm,nm->n", df_dz, v).real) @ weights
            change = (np.einsum("nm,nm->n", df_dz, u).real @ weights - value) / slope
            step = -u - v * change
        else:
            change, step, slope = 0.0, -u, 0.0
        size = max(np.max(np.abs(step)), abs(change))
        if not np.isfinite(size):
            break
        if size > previous / 20 and not fresh:  # the chord Jacobian is stale: recompute it here
            linear = None
            continue
        residual = float(np.max(np.abs(base)))
        z, gap, previous, fresh, base = z + step, gap + change, size, False, None
        if self_consistent and gap <= 0:
            raise FilmConvergenceError(
                f"the gap collapsed (Delta = {gap:.3g} Delta0 after {iteration} Newton steps): the state is beyond the "
                "superconducting branch (smaller q or h), or continue in q from a converged state"
            )
        if size < tolerance:
            return Solution(z, float(gap), residual, iteration, float(slope), linear)
    residual = np.max(np.abs(_residual(z, omega, gap, q, tensors)[0])) if np.all(np.isfinite(z)) else np.inf
    raise FilmConvergenceError(
        f"Newton's method for the film state did not converge in {max_iterations} steps (residual {residual:.3g}, "
        f"{omega.shape[0]} frequencies): continue in q from a converged state (depairing does), or raise max_iterations"
    )


@dataclass(frozen=True)
class FilmState(Result):
    """Homogeneous film at phase gradient q: self-consistent (or fixed) |Delta|, current, spin (module units).

    ``gap_error``, ``current_error``, ``spin_error``: frequency-quadrature error estimates (the gap's through
    the gap equation's slope); ``residual``: the largest off-diagonal |M^-1 E M| left by Newton's method;
    ``gap_phase``: |pi T sum Tr[tau2 g]/4| / Delta, zero in an exact solution (a check, not an input).
    """
    _dims = {"phase_gradient": ("gradient_axis",), "current": ("gradient_axis",), "current_error": ("gradient_axis",),
             "spin": ("spin_axis",), "spin_error": ("spin_axis",), "exchange": ("spin_axis",)}  # fmt: skip
    _labels = {"spin_axis": CARTESIAN, "gradient_axis": CARTESIAN}
    _units = {"t": "Tc", "phase_gradient": "1 / xi0", "gap": "Delta0", "gap_error": "Delta0", "exchange": "Delta0",
              "current": "sigma_0 Delta0 / (e xi0)", "current_error": "sigma_0 Delta0 / (e xi0)",
              "spin": "nu Delta0", "spin_error": "nu Delta0"}  # fmt: skip
    _attrs = ("self_consistent", "cutoff", "nodes", "minimum_frequencies", "tolerance")

    t: float
    phase_gradient: np.ndarray
    exchange: np.ndarray
    gap: float
    gap_error: float
    current: np.ndarray
    current_error: np.ndarray
    spin: np.ndarray
    spin_error: np.ndarray
    residual: float
    gap_phase: float
    iterations: int
    frequency_count: int
    self_consistent: bool
    cutoff: float
    nodes: int
    minimum_frequencies: int
    tolerance: float


class _Film:
    """One material at one temperature: frequencies, tensors and warm-started solves along q."""

    def __init__(self, material, t, h, *, gap, q_scale, cutoff, nodes, minimum_frequencies, tolerance, max_iterations):
        if not (np.isfinite(t) and 0 < t < 1):
            raise ValueError(f"t = T/Tc must be in (0, 1), got {t!r}")
        if gap is not None and not (np.isfinite(gap) and gap > 0):
            raise ValueError(f"gap must be None (self-consistent) or > 0 (units of Delta0), got {gap!r}")
        if not cutoff >= 5:
            raise ValueError(f"cutoff must be >= 5 (explicit frequencies up to cutoff x the largest energy), got {cutoff!r}")
        if not 4 <= nodes <= 60:
            raise ValueError(f"nodes must be in [4, 60] (Gauss-Laguerre tail), got {nodes!r}")
        if not 6 <= minimum_frequencies <= 10000:
            raise ValueError(f"minimum_frequencies must be in [6, 10000], got {minimum_frequencies!r}")
        self.tensors = FilmTensors.of(material, h)
        self.t, self.self_consistent = float(t), gap is None
        self.temperature = t / GAP0_OVER_TC  # units of Delta0
        self.log_ratio = -np.log(t)
        self.fixed_gap = gap
        self.settings = dict(cutoff=float(cutoff), nodes=int(nodes), minimum_frequencies=int(minimum_frequencies),
                             tolerance=float(tolerance))  # fmt: skip
        self.max_iterations = max_iterations
        self.frequencies = MatsubaraRule(self.temperature, self.tensors.energy_scale(q_scale), cutoff, nodes,
                                        minimum_frequencies)  # fmt: skip

    def start(self):
        """The BCS amplitudes at |Delta| = Delta(T) (or the fixed gap): the q = 0 guess."""
        gap = float(bcs_gap(self.t).gap) if self.fixed_gap is None else self.fixed_gap
        return _bcs_amplitudes(self.frequencies, gap), gap

    def solve(self, q, guess):
        """Newton from ``guess``: (z, gap), or a ``Solution`` (its Jacobian is reused)."""
        linear = guess.linear if isinstance(guess, Solution) else None
        return newton(guess[0], guess[1], self.frequencies, np.asarray(q, dtype=float), self.tensors,
                      self_consistent=self.self_consistent, log_ratio=self.log_ratio,
                      tolerance=self.settings["tolerance"], max_iterations=self.max_iterations, linear=linear)  # fmt: skip

    def continued(self, q):
        """Solve at q from the BCS guess, or by continuation in 8 steps from q = 0 when that fails."""
        q = np.asarray(q, dtype=float)
        try:
            return self.solve(q, self.start())
        except FilmConvergenceError:
            solution = self.solve(np.zeros(3), self.start())
        for fraction in np.linspace(0, 1, 9)[1:]:
            solution = self.solve(fraction * q, solution)
        return solution

    def observables(self, solution, q):
        """(current, current error, spin, spin error, gap error, gap phase) of a converged state."""
        freq, tensors, gap = self.frequencies, self.tensors, solution.gap
        a, b = _amplitudes(solution.z)
        g = riccati_g(_ALG, a, b, 1, inverse)
        g = np.stack([g, mirrored(g)])  # omega > 0 and omega < 0

        def pair_sum(values):  # f(omega) + f(-omega)
            return values.sum(axis=-2)

        currents = _currents(g, q, tensors)
        j_summand = np.stack([pair_sum((-0.25j * np.trace(TAU[3] @ J, axis1=-2, axis2=-1)).real) for J in currents])
        s_summand = np.stack([pair_sum((0.25j * np.trace(TAU[3] @ s @ g, axis1=-2, axis2=-1)).real) for s in SIGMA])
        current, current_error = freq.total(j_summand)
        spin, spin_error = freq.total(s_summand)
        phase = abs(pair_sum(np.trace(TAU[2] @ g, axis1=-2, axis2=-1)) / 4 @ freq.weights) / gap
        gap_error = 0.0
        if self.self_consistent:  # the gap equation's quadrature error over its slope in Delta
            gap_error = float(gap_equation(gap, _singlet(g[0]).real, freq, self.log_ratio)[1]) / abs(solution.slope)
        return current, current_error, spin, spin_error, gap_error, float(phase)

    def state(self, q, solution):
        q = np.asarray(q, dtype=float)
        current, current_error, spin, spin_error, gap_error, phase = self.observables(solution, q)
        return FilmState(
            t=self.t, phase_gradient=q, exchange=self.tensors.exchange, gap=solution.gap, gap_error=gap_error,
            current=current, current_error=current_error, spin=spin, spin_error=spin_error, residual=solution.residual,
            gap_phase=phase, iterations=solution.iterations, frequency_count=2 * self.frequencies.omega.size,
            self_consistent=self.self_consistent, **self.settings,
        )  # fmt: skip


def _check_q(q, name="q"):
    q = np.asarray(q, dtype=float)
    if q.shape != (3,) or not np.all(np.isfinite(q)):
        raise ValueError(f"{name} must be a finite 3-vector (units of 1/xi0), got {q!r}")
    return q


def film_state(material, t: float, q, *, h=None, gap: float | None = None, cutoff: float = 20.0, nodes: int = 20,
               minimum_frequencies: int = 16, tolerance: float = 1e-12, max_iterations: int = 40) -> FilmState:  # fmt: skip
    """The homogeneous state of a film with phase gradient ``q`` (paper 003, Eqs. (S3)-(S5), all orders).

    ``material``: a :class:`~spincharge.materials.Material` (units: Delta0, xi0; module docstring) or a
    mapping of its tensors; ``h`` replaces material.h when given; ``gap`` None solves the cutoff-free gap
    equation with the state (self-consistent |Delta|(q)), a number fixes |Delta| (Delta0 units). Newton
    starts from the BCS amplitudes and continues in q from q = 0 if that fails.
    """
    q = _check_q(q)
    film = _Film(material, t, h, gap=gap, q_scale=q, cutoff=cutoff, nodes=nodes,
                 minimum_frequencies=minimum_frequencies, tolerance=tolerance,
                 max_iterations=max_iterations)  # fmt: skip
    return film.state(q, film.continued(q))


@dataclass(frozen=True)
class Depairing(Result):
    """j(q) along one direction, the depairing currents j_c+ = max j, j_c- = min j and the diode efficiency.

    ``q``: the sampled phase gradients (signed, along ``direction``, 1/xi0), ``current`` j . direction
    and ``gap`` |Delta| there; ``q_plus``, ``q_minus``: the refined roots of dj/dq; ``critical_error``:
    frequency-quadrature plus root-finding error of j_c+-; ``efficiency`` eta = (j_c+ - |j_c-|) /
    (j_c+ + |j_c-|) and its error (propagated, an upper bound: the two quadrature errors are correlated).
    """
    _dims = {"q": ("q",), "current": ("q",), "gap": ("q",), "direction": ("gradient_axis",),
             "exchange": ("spin_axis",), "critical_error": ("branch",)}  # fmt: skip
    _labels = {"gradient_axis": CARTESIAN, "spin_axis": CARTESIAN, "branch": ("plus", "minus")}
    _units = {"t": "Tc", "q": "1 / xi0", "current": "sigma_0 Delta0 / (e xi0)", "gap": "Delta0", "exchange": "Delta0",
              "critical_plus": "sigma_0 Delta0 / (e xi0)", "critical_minus": "sigma_0 Delta0 / (e xi0)",
              "critical_error": "sigma_0 Delta0 / (e xi0)", "q_plus": "1 / xi0", "q_minus": "1 / xi0"}  # fmt: skip
    _attrs = ("self_consistent", "cutoff", "nodes", "minimum_frequencies", "tolerance", "q_step", "derivative_step")

    t: float
    direction: np.ndarray
    exchange: np.ndarray
    q: np.ndarray
    current: np.ndarray
    gap: np.ndarray
    critical_plus: float
    critical_minus: float
    q_plus: float
    q_minus: float
    critical_error: np.ndarray
    efficiency: float
    efficiency_error: float
    self_consistent: bool
    cutoff: float
    nodes: int
    minimum_frequencies: int
    tolerance: float
    q_step: float
    derivative_step: float


def _branch(film, direction, sign, origin, q_step, limit):
    """Continuation from q = 0 along sign * direction (linear predictor) until j . direction turns."""
    samples = [origin]
    while True:
        q = samples[-1][0] + sign * q_step
        if abs(q) > limit:
            raise FilmConvergenceError(
                f"no extremum of j(q) for |q| <= {limit:.3g} / xi0 along {direction.tolist()}: raise q_limit"
            )
        last = samples[-1][1]
        guess = last if len(samples) < 2 else last._replace(z=2 * last.z - samples[-2][1].z, gap=2 * last.gap - samples[-2][1].gap)
        try:
            solution = film.solve(q * direction, guess)
        except FilmConvergenceError:
            if len(samples) >= 3:  # the branch ended (gap collapse) beyond the extremum region
                break
            raise
        samples.append((q, solution, film.observables(solution, q * direction)[0] @ direction))
        if len(samples) >= 3 and sign * (samples[-1][2] - samples[-2][2]) < 0:
            break
    return samples


def _extremum(film, direction, samples, sign, derivative_step, xtol, max_steps=8):
    """Root of dj/dq by Newton's method on central differences (j at q and q +- delta, warm-started from the
    nearest sample), starting at the vertex of the parabola through the samples around the extremum."""
    values = np.array([c for _, _, c in samples])
    k = min(max(int(np.argmax(sign * values)), 1), len(samples) - 2)
    (q0, _, j0), (q1, _, j1), (q2, _, j2) = samples[k - 1 : k + 2]
    first, second = (j2 - j0) / (q2 - q0), ((j2 - j1) / (q2 - q1) - (j1 - j0) / (q1 - q0)) / (q2 - q0)
    root = (q0 + q2) / 2 - first / (2 * second)

    def current(q):
        guess = min(samples, key=lambda sample: abs(sample[0] - q))[1]
        j, j_error = film.observables(film.solve(q * direction, guess), q * direction)[:2]
        return j @ direction, np.abs(j_error) @ np.abs(direction)

    for _ in range(max_steps):
        (low, _), (value, error), (high, _) = (current(root + d) for d in (-derivative_step, 0.0, derivative_step))
        slope, curvature = (high - low) / (2 * derivative_step), (high - 2 * value + low) / derivative_step**2
        if not sign * curvature < 0:
            raise FilmConvergenceError(f"j(q) is not {'concave' if sign > 0 else 'convex'} at q = {root:.6g} / xi0: "
                                       "lower q_step")  # fmt: skip
        move = -slope / curvature
        root += move
        if abs(move) < xtol:
            # j at a root misplaced by eps is off by j'' eps^2 / 2: eps from the last move and from the
            # O(delta^2) bias of the central difference
            return root, value, error + abs(curvature) * (move**2 + derivative_step**4) / 2
    raise FilmConvergenceError(f"the extremum of j(q) was not located to {xtol:.1g} in {max_steps} Newton steps")


def depairing(material, t: float, direction=(1.0, 0.0, 0.0), *, h=None, gap: float | None = None, q_step: float | None = None,
              q_limit: float = 3.0, derivative_step: float = 1e-4, xtol: float = 1e-6, cutoff: float = 20.0,
              nodes: int = 20, minimum_frequencies: int = 16, tolerance: float = 1e-12,
              max_iterations: int = 40) -> Depairing:  # fmt: skip
    """Depairing currents and diode efficiency of a film for currents along ``direction`` (paper 003, Eqs. (S3)-(S5)).

    j(q) = j(q n) . n with q n the phase gradient (``film_state`` units), from Newton continuation in q
    (steps ``q_step`` / xi0, default 0.1 |Delta(q = 0)| / Delta0; self-consistent |Delta|(q) unless ``gap``
    is given) in both directions until
    j turns; j_c+ = max j and j_c- = min j at the roots of dj/dq (central differences with
    ``derivative_step``, Newton's method to ``xtol``), eta = (j_c+ - |j_c-|) / (j_c+ + |j_c-|).
    """
    direction = _check_q(direction, "direction")
    if not np.linalg.norm(direction) > 0:
        raise ValueError("direction must be a nonzero 3-vector")
    direction = direction / np.linalg.norm(direction)
    if q_step is not None and not (np.isfinite(q_step) and 0 < q_step <= 0.5):
        raise ValueError(f"q_step must be None or in (0, 0.5] (1/xi0), got {q_step!r}")
    # the frequencies are fixed along the curve; D q^2 ~ 1 at the depairing extremum (q ~ 1/xi0)
    scale = direction / np.sqrt(direction @ FilmTensors.of(material, h).diffusion @ direction)
    film = _Film(material, t, h, gap=gap, q_scale=scale, cutoff=cutoff, nodes=nodes,
                 minimum_frequencies=minimum_frequencies, tolerance=tolerance,
                 max_iterations=max_iterations)  # fmt: skip
    solution = film.solve(np.zeros(3), film.start())
    origin = (0.0, solution, film.observables(solution, np.zeros(3))[0] @ direction)
    # the extremum lies near D q^2 / 2 ~ Delta / 4: ten or more steps below it
    q_step = 0.1 * solution.gap if q_step is None else q_step
    if not (np.isfinite(q_limit) and q_limit > q_step):
        raise ValueError(f"q_limit must exceed q_step, got {q_limit!r}")
    if not 0 < derivative_step < q_step / 4:
        raise ValueError(f"derivative_step must be in (0, q_step/4), got {derivative_step!r}")
    branches = [_branch(film, direction, sign, origin, q_step, q_limit) for sign in (1, -1)]
    (q_plus, j_plus, e_plus), (q_minus, j_minus, e_minus) = (
        _extremum(film, direction, samples, sign, derivative_step, xtol) for samples, sign in zip(branches, (1, -1))
    )
    if not (j_plus > 0 > j_minus):
        raise FilmConvergenceError(f"j_c+ = {j_plus:.6g} and j_c- = {j_minus:.6g} do not bracket zero current")
    total = j_plus - j_minus
    efficiency = (j_plus + j_minus) / total
    efficiency_error = 2 * (abs(j_minus) * e_plus + j_plus * e_minus) / total**2
    ordered = sorted(branches[1][1:], key=lambda s: s[0]) + branches[0]
    return Depairing(
        t=float(t), direction=direction, exchange=film.tensors.exchange,
        q=np.array([s[0] for s in ordered]), current=np.array([s[2] for s in ordered]),
        gap=np.array([s[1].gap for s in ordered]), critical_plus=float(j_plus), critical_minus=float(j_minus),
        q_plus=float(q_plus), q_minus=float(q_minus), critical_error=np.array([e_plus, e_minus]),
        efficiency=float(efficiency), efficiency_error=float(efficiency_error), self_consistent=film.self_consistent,
        q_step=float(q_step), derivative_step=float(derivative_step), **film.settings,
    )  # fmt: skip


def diode_sweep(material, direction=(1.0, 0.0, 0.0), *, t=0.5, field=0.2, angle=0.0, axes=((1.0, 0.0, 0.0), (0.0, 1.0, 0.0)),
                **options):  # fmt: skip
    """Diode efficiency and depairing currents on a grid of temperatures, field magnitudes and field angles.

    h = field (cos(angle) e1 + sin(angle) e2) with (e1, e2) = ``axes`` (orthonormalised); ``t``, ``field``
    (Delta0) and ``angle`` (rad) are scalars or 1D arrays; ``options`` go to :func:`depairing`. Returns an
    ``xarray.Dataset`` with dimensions (t, field, angle): efficiency, its error, j_c+ and j_c- (units in the
    attributes), and the zero-field gap at each t.
    """
    import xarray as xr

    e1, e2 = (np.asarray(a, dtype=float) for a in axes)
    if e1.shape != (3,) or e2.shape != (3,) or not np.linalg.norm(np.cross(e1, e2)) > 1e-12:
        raise ValueError(f"axes must be two non-parallel 3-vectors, got {axes!r}")
    e1 = e1 / np.linalg.norm(e1)
    e2 = e2 - (e2 @ e1) * e1
    e2 = e2 / np.linalg.norm(e2)
    grids = {name: np.atleast_1d(np.asarray(value, dtype=float)) for name, value in (("t", t), ("field", field), ("angle", angle))}
    shape = tuple(v.size for v in grids.values())
    names = ("efficiency", "efficiency_error", "critical_plus", "critical_minus")
    out = {name: np.empty(shape) for name in names}
    for i, ti in enumerate(grids["t"]):
        for j, magnitude in enumerate(grids["field"]):
            for k, phi in enumerate(grids["angle"]):
                result = depairing(material, ti, direction, h=magnitude * (np.cos(phi) * e1 + np.sin(phi) * e2), **options)
                for name in names:
                    out[name][i, j, k] = getattr(result, name)
    current = "sigma_0 Delta0 / (e xi0)"
    units = {"efficiency": "1", "efficiency_error": "1", "critical_plus": current, "critical_minus": current}
    data = {name: (("t", "field", "angle"), out[name], {"units": units[name]}) for name in names}
    coords = {"t": ("t", grids["t"], {"units": "Tc"}), "field": ("field", grids["field"], {"units": "Delta0"}),
              "angle": ("angle", grids["angle"], {"units": "rad"})}  # fmt: skip
    attrs = {"direction": str(np.asarray(direction, dtype=float).tolist()), "axis_1": str(e1.tolist()), "axis_2": str(e2.tolist())}
    return xr.Dataset(data, coords=coords, attrs=attrs)
