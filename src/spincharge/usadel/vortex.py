"""Vortex in a gyrotropic diffusive superconductor: current and spin density (paper 003, Appendix E).

All Matsubara frequencies are solved together: the singlet Riccati equation by Newton's method on one
stacked, tridiagonal system (frequency-major; the frequencies do not couple because Delta is not
self-consistent, as in the paper), the linear triplet equations by one banded solve with (a_1, a_2)
interleaved. The radial grid is rho = R sinh(beta x) / sinh(beta), x uniform in [0, 1] (dense at the
core), with second-order central differences in x. For n != 0 and uniform |Delta| the Newton
unknown is a_s - P_lin, P_lin = p_n(sqrt(w) r)/w the closed-form high-frequency core solution of
winding n (``core``): the core size sqrt(D/omega) of the high frequencies is below any grid spacing, and
without this the current converged only as h^1 at the first grid points (n = 1, I ~ r ln r) and n = 2
reached 4e-6 at T/Tc = 0.05. The solutions on ``points`` and 2 * ``points`` intervals are
Richardson-extrapolated; the grid error estimate is the difference from the same extrapolation of
``points``/2 and ``points`` (the error of the coarser extrapolation, on their common points). The
outer-radius estimate compares R with the ``points``/2 grid cut at rho ~ 2R/3 (same points, no
interpolation) for r <= 2R/9. Boundary conditions: a_s(0) = 0 and regular triplets at the core (see ``_solve_triplet``);
at rho = R the local (gradient-free) solution of the same equations, which has a_s' = O(R^-3) -> 0.

Frequency sums (``matsubara_nodes``, ``_observables``): explicit positive frequencies up to
``frequency_cutoff`` Delta (at least 32), the rest by the midpoint rule as an integral over omega, done
by Gauss-Laguerre in log(omega) for everything but the linear core part of the current, whose tail
integral is closed-form (``core.core_current_integral``) with its Euler-Maclaurin term; the estimate is
the difference from half as many Gauss-Laguerre nodes plus the size of the midpoint-rule term.

Error norm (all ``*_error`` fields): max over r <= R/2 of |error(r)| / max over r <= R/2 of |X(r)|, for
X = current and spin separately.

Observables (conventions in docs/conventions.md, "Usadel equation (paper 003)"):
    current  j_phi = (sigma_N Delta / e xi) I(rho),  I = (2 pi T/Delta) sum_{omega_n>0} F^2 n/rho
    spin     S_r   = (nu gamma_o / xi) S(rho),       S = (4 pi T/Delta) sum_{omega_n>0} P a_1/(1+P^2)^2
for the derived equations (radial spin for gamma_xy = -gamma_yx = gamma_o, a_1 in units of
gamma_o xi/D); the printed variant uses the printed summands with the same prefactors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_bvp
from scipy.interpolate import CubicSpline
from scipy.linalg import lapack, solve_banded
from scipy.sparse.linalg import LinearOperator, gmres

from ..numerics.matsubara import matsubara_nodes
from ..results import Result
from .gap import GAP0_OVER_TC, bcs_gap
from .core import core_current_integral, core_profile
from .radial import EQUATIONS


@dataclass(frozen=True)
class VortexResult(Result):
    """Current and spin density around a vortex (paper 003, Appendix E, Figs. 1 and 3).

    ``r`` in units of xi(T) = sqrt(D / 2 Delta(T)); ``current`` j_phi in sigma_N Delta(T) / (e xi(T));
    ``spin`` S_r (radial; S_phi = 0 for this gamma) in nu D / xi(T)^2, i.e. nu gamma_o / xi(T) times the
    value of ``gamma_o`` (which is in units of D / xi(T)). ``frequencies`` are omega/Delta(T) (explicit
    ones, then the quadrature nodes), ``amplitude`` (frequency, r) is a_s, ``triplet`` (2, frequency, r)
    is (a_1, a_2) in units of xi/D times gamma (the paper's ansatz, see ``radial``); ``pair_potential`` is
    |Delta(r)|/Delta(T) (ones unless self-consistent). Errors are relative to the maximum of |current|
    or |spin| over r <= R/2; ``error`` is their sum.
    """
    _dims = {
        "r": ("r",), "current": ("r",), "spin": ("r",), "pair_potential": ("r",), "frequencies": ("frequency",),
        "amplitude": ("frequency", "r"), "triplet": ("triplet_component", "frequency", "r"),
        "grid_error": ("observable",), "radius_error": ("observable",), "frequency_error": ("observable",),
    }  # fmt: skip
    _labels = {"triplet_component": ("a_1", "a_2"), "observable": ("current", "spin")}
    _units = {
        "r": "xi(T)", "current": "sigma_N Delta(T) / (e xi(T))", "spin": "nu D / xi(T)^2",
        "frequencies": "Delta(T)", "pair_potential": "Delta(T)", "gap": "Delta0", "gamma_o": "D / xi(T)",
        "outer_radius": "xi(T)", "amplitude": "1", "triplet": "xi(T) / D",
    }  # fmt: skip

    def _coordinates(self):
        return {"frequency": self.frequencies}

    t: float
    winding: int
    delta0_tau_so: float
    gamma_o: float
    equations: str
    gap: float
    r: np.ndarray
    current: np.ndarray
    spin: np.ndarray
    frequencies: np.ndarray
    amplitude: np.ndarray
    triplet: np.ndarray
    grid_error: tuple[float, float]
    radius_error: tuple[float, float]
    frequency_error: tuple[float, float]
    newton_iterations: int
    outer_radius: float
    points: int
    grading: float
    frequency_cutoff: float
    pair_potential: np.ndarray
    self_consistency_cycles: int

    _attrs = ("equations", "outer_radius", "points", "grading", "frequency_cutoff")

    def peak_radius(self, quantity: str = "current") -> float:
        """Radius (units of xi(T)) of the maximum of |current| or |spin|, from a cubic spline."""
        return peak_radius(self.r, getattr(self, quantity))

    @property
    def error(self) -> tuple[float, float]:
        """Total relative error estimate (current, spin): grid + outer radius + frequency cutoff."""
        return tuple(g + r + f for g, r, f in zip(self.grid_error, self.radius_error, self.frequency_error))


def peak_radius(r: np.ndarray, profile: np.ndarray) -> float:
    """Position of the maximum of |profile| (a cubic spline through the grid values near the top)."""
    values = np.abs(profile)
    top = int(np.argmax(values))
    if top in (0, r.size - 1):
        raise ValueError("the profile has its maximum at the end of the grid; enlarge outer_radius")
    window = slice(max(top - 3, 0), min(top + 4, r.size))
    spline = CubicSpline(r[window], values[window])
    roots = [x for x in spline.derivative().roots(extrapolate=False) if r[top - 1] <= x <= r[top + 1]]
    return float(max(roots, key=spline)) if roots else float(r[top])


@dataclass(frozen=True)
class _Grid:
    rho: np.ndarray  # all points, rho[0] = 0, rho[-1] = R
    jacobian: np.ndarray  # d rho / dx at all points
    d2: np.ndarray  # d^2 rho / dx^2 at the interior points
    h: float

    @classmethod
    def sinh_map(cls, radius, points, grading):
        x = np.linspace(0.0, 1.0, points + 1)
        scale = radius / np.sinh(grading)
        rho = scale * np.sinh(grading * x)
        return cls(rho, scale * grading * np.cosh(grading * x), scale * grading**2 * np.sinh(grading * x[1:-1]), 1 / points)

    @property
    def d1(self):
        """d rho / dx at the interior points."""
        return self.jacobian[1:-1]

    def stencils(self, drift):
        """(lower, diagonal, upper) weights of f'' + drift f' on the interior points (rho units)."""
        second = 1 / (self.h * self.d1) ** 2
        curvature = self.d2 / (2 * self.h * self.d1**3)
        first = drift / (2 * self.h * self.d1)
        return second + curvature - first, -2 * second, second - curvature + first

    def derivative(self, f):
        """df/drho at the interior points of f given on all points (last axis)."""
        return (f[..., 2:] - f[..., :-2]) / (2 * self.h * self.d1)

    def slope(self, f):
        """df/drho on all points: centred inside, one-sided (second order) at both ends."""
        first = (-3 * f[..., 0] + 4 * f[..., 1] - f[..., 2]) / (2 * self.h * self.jacobian[0])
        last = (3 * f[..., -1] - 4 * f[..., -2] + f[..., -3]) / (2 * self.h * self.jacobian[-1])
        return np.concatenate([first[..., None], self.derivative(f), last[..., None]], axis=-1)

    def truncated(self, last):
        """The same points up to index ``last`` (outer radius rho[last]): compared without interpolation."""
        return _Grid(self.rho[: last + 1], self.jacobian[: last + 1], self.d2[: last - 1], self.h)


def _banded(diagonals: dict[int, np.ndarray], size: int):
    """Banded storage for solve_banded from row-aligned diagonals {offset: d}, d[i] = A[i, i + offset]."""
    width = max(abs(k) for k in diagonals)
    ab = np.zeros((2 * width + 1, size))
    for k, d in diagonals.items():
        if k >= 0:
            ab[width - k, k:] = d[: size - k]
        else:
            ab[width - k, : size + k] = d[-k:]
    return (width, width), ab


def _local_singlet(equation, w, rho, n, delta=1.0, bisections=60):
    """Gradient-free solution: G(P, 0, rho) = 0 by bisection on [0, min(1, delta/2w)] (G(0) = delta/2 >= 0,
    G <= 0 at the upper end), i.e. to relative precision even where a_s ~ 1/(2w) is tiny; ``bisections``
    halvings of the bracket (fewer for a Newton starting guess)."""
    shape = np.broadcast(w, rho, delta).shape
    low = np.zeros(shape)
    high = np.broadcast_to(np.minimum(1.0, np.asarray(delta) / (2 * np.asarray(w))), shape).copy()
    for _ in range(bisections):
        mid = 0.5 * (low + high)
        positive = equation.singlet(mid, 0.0, rho, w, n, delta).value > 0
        low, high = np.where(positive, mid, low), np.where(positive, high, mid)
    return 0.5 * (low + high)


def _core_part(w, rho, n, uniform):
    """P_lin = p_n(sqrt(w) r)/w, its slope and P_lin'' on all points (``core``; zeros for n = 0 or a
    non-uniform |Delta|): the linear high-frequency solution that the Newton iteration subtracts."""
    if n == 0 or not uniform:
        zero = np.zeros((w.size, rho.size))
        return zero, zero, zero
    k = np.sqrt(w)[:, None]
    p, dp = core_profile(k * rho, n)
    value, slope = p / k**2, dp / k
    # P_lin'' = n^2 P_lin/r^2 + w P_lin - 1/2 - P_lin'/r (the value at r = 0 is not used: the Newton rows
    # are the interior points)
    curvature = np.zeros_like(value)
    r = rho[1:]
    curvature[:, 1:] = n**2 * value[:, 1:] / r**2 + k**2 * value[:, 1:] - 0.5 - slope[:, 1:] / r
    return value, slope, curvature


def _solve_singlet(equation, w, grid, n, tolerance, max_iterations, delta, core, initial=None):
    """a_s and a_s' at all frequencies (rows) and points; ``delta`` = |Delta(r)|/Delta(T) on all points.

    Newton iteration on the remainder a_s - P_lin, ``core`` = (P_lin, P_lin', P_lin'') on all points from
    ``_core_part`` (closed form), so that at high frequency only the remainder, a relative O(a_s^2),
    meets the finite differences.
    """
    rho = grid.rho[1:-1]
    core_value, core_slope, core_curvature = (c[:, 1:-1] for c in core)
    outer = _local_singlet(equation, w, grid.rho[-1], n, delta[-1])
    guess = _local_singlet(equation, w[:, None], rho, n, delta[1:-1], 16) if initial is None else initial[:, 1:-1]
    remainder = np.concatenate([-core[0][:, :1], guess - core_value, outer[:, None] - core[0][:, -1:]], axis=1)
    m, k = core_value.shape
    for iteration in range(1, max_iterations + 1):
        slope = grid.derivative(remainder) + core_slope
        terms = equation.singlet(remainder[:, 1:-1] + core_value, slope, rho, w[:, None], n, delta[1:-1])
        lower, diagonal, upper = grid.stencils(1 / rho + terms.d_slope)
        second = (remainder[:, 2:] - 2 * remainder[:, 1:-1] + remainder[:, :-2]) / (grid.h * grid.d1) ** 2
        curvature = grid.d2 / grid.d1**2 * grid.derivative(remainder)
        residual = second - curvature + core_curvature + slope / rho + terms.value
        lower[:, 0] = 0.0
        upper[:, -1] = 0.0
        band = _banded({-1: lower.ravel(), 0: (diagonal + terms.d_amplitude).ravel(), 1: upper.ravel()}, m * k)
        step = solve_banded(*band, -residual.ravel(), check_finite=False).reshape(m, k)
        remainder[:, 1:-1] += step
        if np.max(np.abs(step)) < tolerance:
            break
    else:
        raise RuntimeError(f"singlet Newton iteration did not converge in {max_iterations} steps")
    return remainder + core[0], grid.slope(remainder) + core[1], iteration


def _solve_triplet(equation, amplitude, slope, w, g, grid, n, delta):
    """(a_1, a_2) on all points (a_s and a_s' given on all points); unknowns at rho = 0 .. R^- interleaved per point, frequency-major.

    Core: the lab-frame components (a_1 -+ a_2) carry angular momentum n -+ 1, so a_1 + sigma a_2 = 0
    and, for |n| = 1, (a_1 - sigma a_2)'(0) = 0 (sigma = sign n; one-sided second-order difference,
    with the j = 2 values eliminated through the j = 1 equations to keep the band), otherwise
    a_1 = a_2 = 0. Outer end: the local (gradient-free) solution.
    """
    rho = grid.rho[1:-1]
    m, k = amplitude.shape[0], rho.size + 1
    terms = equation.triplet(amplitude[:, 1:-1], slope[:, 1:-1], rho, w[:, None], g, n, delta[1:-1])
    outer = equation.triplet(amplitude[:, -1], slope[:, -1], grid.rho[-1], w, g, n, delta[-1])
    det = outer.c11 * outer.c22 - outer.c12 * outer.c21
    outer_values = (
        (outer.s1 * outer.c22 - outer.c12 * outer.s2) / det,
        (outer.c11 * outer.s2 - outer.c21 * outer.s1) / det,
    )
    zero = np.zeros((m, k))
    bands = {offset: np.zeros((m, k, 2)) for offset in (-2, -1, 0, 1, 2)}
    rhs = np.zeros((m, k, 2))
    rows = []
    for slot, (drift, own, other, source, boundary) in enumerate(
        (
            (terms.p1, terms.c11, terms.c12, terms.s1, outer_values[0]),
            (terms.p2, terms.c22, terms.c21, terms.s2, outer_values[1]),
        )
    ):
        lower, diagonal, upper = grid.stencils(drift)
        source = source + zero[:, 1:]
        source[:, -1] -= upper[:, -1] * boundary
        rows.append((lower, diagonal + own, upper, other + zero[:, 1:], source))
        bands[-2][:, 1:, slot] = lower
        bands[0][:, 1:, slot] = diagonal + own
        bands[1 - 2 * slot][:, 1:, slot] = other
        bands[2][:, 1:, slot] = np.where(np.arange(1, k) < k - 1, upper, 0.0)
        rhs[:, 1:, slot] = source
    bands[0][:, 0, :] = 1.0
    if abs(n) == 1:
        sigma = float(np.sign(n))
        bands[1][:, 0, 0] = sigma  # a_1(0) + sigma a_2(0) = 0
        (lu, du, uu, cu, ru), (lv, dv, uv, cv, rv) = [[c[:, 0] for c in row] for row in rows]
        # -3 d_0 + 4 d_1 - d_2 = 0, d = a_1 - sigma a_2, d_2 from the j = 1 equations
        bands[-1][:, 0, 1] = -3 + lu / uu
        bands[0][:, 0, 1] = sigma * (3 - lv / uv)
        bands[1][:, 0, 1] = 4 + du / uu - sigma * cv / uv
        bands[2][:, 0, 1] = -4 * sigma + cu / uu - sigma * dv / uv
        rhs[:, 0, 1] = ru / uu - sigma * rv / uv
    size = 2 * m * k
    band = _banded({offset: d.ravel() for offset, d in bands.items()}, size)
    solution = solve_banded(*band, rhs.ravel(), check_finite=False).reshape(m, k, 2)
    triplet = np.zeros((2, m, k + 1))
    triplet[:, :, :-1] = np.moveaxis(solution, -1, 0)
    triplet[0, :, -1], triplet[1, :, -1] = outer_values
    return triplet


def _gap_response(equation, w, gains, grid, n, delta, amplitude):
    """v -> (d Phi / d delta) v for Phi = sum_w gains_w f(a_w), f = 2a/(1 + a^2), at a converged ``amplitude``
    of :func:`_solve_singlet` (no core subtraction): the linear response of the singlet problem.

    Per frequency, the interior rows solve A da = -(dG/d delta) v with A the Newton matrix of
    :func:`_solve_singlet` (exact, so da is exact to rounding); the outer value follows the local solution,
    da(R) = -(dG/d delta)/(dG/da) v(R), and enters the last interior row through A's upper stencil; a(0) is
    fixed. The equations are linear in delta (source delta (1 - a^2)/2), so dG/d delta is the difference of
    G at delta = 1 and 0. One LU factorisation, then one tridiagonal solve (all frequencies) per product.
    """
    rho = grid.rho[1:-1]
    interior, slope = amplitude[:, 1:-1], grid.derivative(amplitude)
    terms = equation.singlet(interior, slope, rho, w[:, None], n, delta[1:-1])
    lower, diagonal, upper = grid.stencils(1 / rho + terms.d_slope)
    source = (equation.singlet(interior, slope, rho, w[:, None], n, 1.0).value
              - equation.singlet(interior, slope, rho, w[:, None], n, 0.0).value)
    outer_a, radius = amplitude[:, -1], grid.rho[-1]
    outer_source = equation.singlet(outer_a, 0.0, radius, w, n, 1.0).value - equation.singlet(outer_a, 0.0, radius, w, n, 0.0).value
    outer = -outer_source / equation.singlet(outer_a, 0.0, radius, w, n, delta[-1]).d_amplitude
    coupling = upper[:, -1] * outer
    gain = gains[:, None] * 2 * (1 - amplitude**2) / (1 + amplitude**2) ** 2
    lower[:, 0] = 0.0
    upper[:, -1] = 0.0
    # one tridiagonal matrix for all frequencies (uncoupled), factorised once for all products
    factors = lapack.dgttrf(lower.ravel()[1:], (diagonal + terms.d_amplitude).ravel(), upper.ravel()[:-1])
    if factors[-1] != 0:
        raise RuntimeError("the singlet Newton matrix is singular")

    def apply(v):
        rhs = -source * v[1:-1]
        rhs[:, -1] -= coupling * v[-1]
        response = lapack.dgttrs(*factors[:-1], rhs.ravel())[0].reshape(rhs.shape)
        out = np.zeros_like(v)
        out[1:-1] = np.einsum("ij,ij->j", gain[:, 1:-1], response)
        out[-1] = gain[:, -1] @ outer * v[-1]
        return out

    return apply


def _self_consistent(equation, w, weights, temperature, t, grid, n, tolerance, max_iterations, gap_tolerance):
    """|Delta(r)| from the cutoff-free gap equation (units of Delta(T)).

    R(r) = K delta - Phi(r) = delta ln(T/Tc) + 2 pi T sum_{omega_n>0} [delta/w_n - f_n(r)] = 0 with
    f = 2 a_s/(1 + a_s^2), K = ln(T/Tc) + 2 pi T sum 1/w_n and Phi = 2 pi T sum f_n, both with the
    weights of ``matsubara_nodes`` (each diverges, R converges). Newton's method on the fixed-point residual
    Phi(delta)/K - delta (delta(0) = 0 for n != 0) with the exact, nonlocal Jacobian (:func:`_gap_response`,
    matrix-free in GMRES to 1e-6 relative),
    halving a step that does not reduce the residual; stops when the residual is below ``gap_tolerance``.
    (Near Tc a whole band of long-wavelength modes is nearly marginal for the fixed point: Anderson mixing
    took 1500-2100 iterations at T/Tc = 0.98, Newton 4-5 steps; a local, bulk-stiffness Jacobian
    overshoots at the core.) Returns (delta, Newton iterations).
    """
    scale = 2 * np.pi * temperature / (np.log(t) + 2 * np.pi * temperature * (weights @ (1 / w)))
    no_core = _core_part(w, grid.rho, n, uniform=False)
    free = slice(1, None) if n != 0 else slice(None)

    def residual_at(delta, initial):
        amplitude, _, _ = _solve_singlet(equation, w, grid, n, tolerance, max_iterations, delta, no_core, initial)
        residual = scale * (weights @ (2 * amplitude / (1 + amplitude**2))) - delta
        if n != 0:
            residual[0] = 0.0
        return amplitude, residual

    delta = np.ones(grid.rho.size)
    delta[0] = 0.0 if n != 0 else 1.0
    amplitude, residual = residual_at(delta, None)
    for iteration in range(1, 101):
        size = np.max(np.abs(residual))
        if size < gap_tolerance:
            return delta, iteration
        response = _gap_response(equation, w, scale * weights, grid, n, delta, amplitude)
        count = delta[free].size

        def jacobian(v, response=response, count=count):
            full = np.zeros(delta.size)
            full[free] = v
            return (response(full) - full)[free]

        operator = LinearOperator((count, count), matvec=jacobian, dtype=float)
        step = np.zeros_like(delta)
        step[free] = gmres(operator, -residual[free], rtol=1e-6, atol=0.0, restart=200, maxiter=5)[0]
        fraction = 1.0
        while True:
            trial = delta + fraction * step
            if np.all(trial[free] > 0):
                trial_amplitude, trial_residual = residual_at(trial, amplitude)
                if np.max(np.abs(trial_residual)) < size:
                    break
            fraction /= 2
            if fraction < 1e-6:
                raise RuntimeError("the self-consistency Newton step does not reduce the gap-equation residual")
        delta, amplitude, residual = trial, trial_amplitude, trial_residual
    raise RuntimeError("the self-consistent pair potential did not converge in 100 Newton iterations")


def _profiles(equation, t, n, g, gamma_o, grid, cutoff, tolerance, max_iterations, self_consistent):
    """Profiles (a_s, a_1, a_2) and observables on one grid; see ``_observables``."""
    gap = float(bcs_gap(t).gap)
    temperature = t / (gap * GAP0_OVER_TC)  # T / Delta(T)
    w, weights, alternative = matsubara_nodes(temperature, cutoff)
    delta, cycles = np.ones(grid.rho.size), 0
    if self_consistent:
        delta, cycles = _self_consistent(equation, w, weights, temperature, t, grid, n, tolerance, max_iterations, 1e-10)
    core = _core_part(w, grid.rho, n, uniform=not self_consistent)
    amplitude, slope, iterations = _solve_singlet(equation, w, grid, n, tolerance, max_iterations, delta, core)
    triplet = gamma_o * _solve_triplet(equation, amplitude, slope, w, g, grid, n, delta)
    out = dict(gap=gap, rho=grid.rho, w=w, amplitude=amplitude, triplet=triplet, iterations=iterations)
    out.update(delta=delta, cycles=cycles)
    out.update(_observables(equation, n, temperature, (w, weights, alternative), grid.rho, amplitude, triplet[0], core[0]))
    return out


def _observables(equation, n, temperature, nodes, rho, amplitude, a1, core_value):
    """Current and spin sums with their frequency-error estimates (``_cutoff``) from a_s, a_1 on ``rho``.

    Current: explicit frequencies + Gauss-Laguerre tail of (summand - linear core part c n P_lin^2/r)
    + the closed form of the linear core part's tail, 2 c n r G(sqrt(a) r) (``core``), + its
    Euler-Maclaurin midpoint terms (h^2/24) f'(a) - (7 h^4/5760) f'''(a), f = c n P_lin^2/r, h = 2 pi T
    (h sum_m f(a + (m + 1/2) h) = int_a^inf f + (h^2/24) f'(a) - (7 h^4/5760) f'''(a) + ...). The spin
    has no singular core and is summed directly. Error estimate: |Gauss-Laguerre(20) - (10)| + the size
    of the first midpoint term of the remainder (summand - linear part; the spin), (h/24) |f_{N-1} -
    f_{N-2}| from the last two explicit summands, + the size of the applied h^4 term (current).
    """
    w, weights, alternative = nodes
    step = 2 * np.pi * temperature
    explicit = np.flatnonzero((weights == 1) & (alternative == 1))
    tail = np.ones(w.size)
    tail[explicit] = 0.0
    start = w[explicit[-1]] + step / 2
    inside = rho > 0
    safe = np.where(inside, rho, 1.0)
    linear = np.where(inside, equation.current_small_amplitude * n * core_value**2 / safe, 0.0)
    closed, third_order = np.zeros(rho.size), np.zeros(rho.size)
    if np.any(core_value):
        r = rho[inside]
        x = np.sqrt(start) * r
        p, dp = core_profile(x, n)
        derivative = 2 * (p / start) * (dp * r / (2 * start**1.5) - p / start**2)  # d P_lin^2 / dw at a
        shift = 0.05 * start  # d^3 P_lin^2 / dw^3 by a central difference of the closed form
        squares = [(core_profile(np.sqrt(start + k * shift) * r, n)[0] / (start + k * shift)) ** 2 for k in (-2, -1, 1, 2)]
        third = (squares[3] - 2 * squares[2] + 2 * squares[1] - squares[0]) / (2 * shift**3)
        factor = equation.current_small_amplitude * n / r
        third_order[inside] = -7 * step**4 / 5760 * factor * third
        closed[inside] = factor * (2 * r**2 * core_current_integral(x, n) + step**2 / 24 * derivative) + third_order[inside]
    current = np.where(inside, equation.current_summand(amplitude, safe, n), 0.0)
    summands = {"current": current - linear * tail[:, None], "spin": 2 * equation.spin_summand(amplitude, a1)}
    remainders = {"current": current - linear, "spin": summands["spin"]}
    out = {}
    for key, summand in summands.items():
        out[key] = step * (weights @ summand) + (closed if key == "current" else 0.0)
        last = remainders[key][explicit[-2:]]
        out[key + "_cutoff"] = step * np.abs((weights - alternative) @ summand) + step / 24 * np.abs(last[1] - last[0])
    out["current_cutoff"] += np.abs(third_order)
    return out


def _relative(difference, reference, mask):
    return float(np.max(np.abs(difference[mask])) / max(np.max(np.abs(reference[mask])), np.finfo(float).tiny))


def vortex(
    t: float,
    winding: int = 1,
    delta0_tau_so: float = 0.1,
    equations: str = "derived",
    *,
    gamma_o: float = 1.0,
    outer_radius: float = 40.0,
    points: int = 600,
    grading: float = 7.0,
    frequency_cutoff: float = 20.0,
    tolerance: float = 1e-12,
    max_iterations: int = 50,
    self_consistent: bool = False,
) -> VortexResult:
    """Current I(r) and excess spin S(r) around a vortex of winding n at t = T/Tc (paper 003, App. E).

    Pair potential |Delta| = Delta(T) (``bcs_gap``, the paper's non-self-consistent model) with phase
    winding n, or with ``self_consistent`` |Delta(r)| from the cutoff-free gap equation
    Delta(r) ln(T/Tc) + 2 pi T sum_{omega_n>0} [Delta(r)/omega_n - f_n(r)] = 0, f = 2 a_s/(1 + a_s^2)
    (Newton's method with the exact nonlocal Jacobian, residual < 1e-10; gamma does not change Delta at first order); isotropic
    spin relaxation Gamma = 1/tau_so (Gamma_jk = Gamma delta_jk in Eq. (S3); Delta0 tau_so given), the
    Rashba-like spin-galvanic tensor gamma_xy = -gamma_yx = gamma_o (``gamma_o`` in units of D/xi(T);
    the spin is linear in it), first order in gamma. ``equations`` = "derived" (default; from Eqs.
    (S3)-(S5), see ``spincharge.usadel.radial.DerivedEquations``) or "paper" (Eqs. (S11), (S12),
    (S17), (S18) as printed). For n = 0 the core condition a_s(0) = 0 describes a non-winding
    suppression (e.g. a columnar defect): current and spin then vanish, a_2 does not.

    Accuracy (module docstring for the norm): the defaults give I and S at T/Tc = 0.05 within 1.3e-9 and
    1.5e-7 (n = 1; estimates 2.5e-9, 2.5e-7) and 1.4e-9 and 1.6e-7 (n = +-2, 3; estimates 3.1e-9, 5.1e-7
    and 3.8e-9, 8.7e-7) of a reference with 4x the points and explicit frequencies to 80 Delta
    (tests/usadel/test_core.py). The closed-form core subtraction (``core``, order-n solution p_n)
    applies for any n != 0 and uniform |Delta|; with ``self_consistent`` Delta(r) ~ r removes the
    singular core; n = 0 carries no current. ``points`` must be even (the estimate uses ``points``/2).
    """
    if not (np.isfinite(t) and 0 < t < 1):
        raise ValueError(f"t = T/Tc must be in (0, 1), got {t!r}")
    if int(winding) != winding or abs(winding) > 4:
        raise ValueError(f"winding must be an integer with |n| <= 4, got {winding!r}")
    if not (np.isfinite(delta0_tau_so) and delta0_tau_so > 0):
        raise ValueError(f"delta0_tau_so must be > 0, got {delta0_tau_so!r}")
    if equations not in EQUATIONS:
        raise ValueError(f"equations must be one of {sorted(EQUATIONS)}, got {equations!r}")
    if not (np.isfinite(outer_radius) and outer_radius >= 10):
        raise ValueError(f"outer_radius must be >= 10 (units of xi), got {outer_radius!r}")
    if not (int(points) == points and points % 2 == 0 and 50 <= points <= 20000):
        raise ValueError(f"points must be an even integer in [50, 20000], got {points!r}")
    if not 0 < grading <= 10:
        raise ValueError(f"grading must be in (0, 10], got {grading!r}")
    if not 5 <= frequency_cutoff <= 1e4:
        raise ValueError(f"frequency_cutoff must be in [5, 1e4] (units of Delta(T)), got {frequency_cutoff!r}")
    if not np.isfinite(gamma_o):
        raise ValueError(f"gamma_o must be finite, got {gamma_o!r}")
    n = int(winding)
    equation = EQUATIONS[equations]
    gap = float(bcs_gap(t).gap)
    g = 1 / (delta0_tau_so * 2 * gap)  # Gamma / (2 Delta(T)) with Gamma = 1/tau_so
    common = (equation, t, n, g, gamma_o)
    numerics = (frequency_cutoff, tolerance, max_iterations, bool(self_consistent))
    half = _Grid.sinh_map(outer_radius, points // 2, grading)
    last = int(np.searchsorted(half.rho, 2 * outer_radius / 3))
    rough = _profiles(*common, half, *numerics)
    coarse = _profiles(*common, _Grid.sinh_map(outer_radius, points, grading), *numerics)
    fine = _profiles(*common, _Grid.sinh_map(outer_radius, 2 * points, grading), *numerics)
    inner = _profiles(*common, half.truncated(last), *numerics)

    mask = coarse["rho"] <= outer_radius / 2
    extrapolated = {key: (4 * fine[key][::2] - coarse[key]) / 3 for key in ("current", "spin")}
    # the same extrapolation from the grids with half the points, on their common points
    previous = {key: (4 * coarse[key][::2] - rough[key]) / 3 for key in ("current", "spin")}
    grid_error = tuple(
        _relative(extrapolated[key][::2] - previous[key], extrapolated[key][::2], mask[::2]) for key in ("current", "spin")
    )
    current, spin = extrapolated["current"], extrapolated["spin"]
    near = rough["rho"][: last + 1] <= half.rho[last] / 3
    radius_error = tuple(
        _relative(inner[key] - rough[key][: last + 1], rough[key][: last + 1], near) for key in ("current", "spin")
    )
    frequency_error = tuple(_relative(fine[key + "_cutoff"][::2], fine[key][::2], mask) for key in ("current", "spin"))
    return VortexResult(
        t=float(t),
        winding=n,
        delta0_tau_so=float(delta0_tau_so),
        gamma_o=float(gamma_o),
        equations=equations,
        gap=float(coarse["gap"]),
        r=coarse["rho"],
        current=current,
        spin=spin,
        frequencies=coarse["w"],
        amplitude=fine["amplitude"][:, ::2],
        triplet=fine["triplet"][:, :, ::2],
        grid_error=grid_error,
        radius_error=radius_error,
        frequency_error=frequency_error,
        newton_iterations=int(max(coarse["iterations"], fine["iterations"])),
        outer_radius=float(outer_radius),
        points=int(points),
        grading=float(grading),
        frequency_cutoff=float(frequency_cutoff),
        pair_potential=(4 * fine["delta"][::2] - coarse["delta"]) / 3,
        self_consistency_cycles=int(max(coarse["cycles"], fine["cycles"])),
    )


def single_frequency_bvp(equation, w, winding, g, radius, *, start=1e-4, tol=1e-6, max_nodes=100000):
    """Reference: scipy.integrate.solve_bvp for one frequency w = omega/Delta (singlet, then triplet).

    The frequency-by-frequency approach of paper 003 (MATLAB bvp5c); the benchmark baseline and an
    independent check of the batched solver. Same equations and outer conditions as ``vortex``, written
    in s = ln r (a scaled variable: the core of size 1/sqrt(w) is a unit-width feature in s at any w),
    y = (a, r a'):  a_s = r a',  (r a')_s = -r^2 G for the singlet, (r a_k')_s = (1 - r p_k) r a_k' +
    r^2 (s_k - C_kl a_l) for the triplet, on [ln r_0, ln R] with r_0 = start / sqrt(max(w, 1)) and the core
    conditions a_s = r a_s', a_1 + sign(n) a_2 = 0 and (a_1 - sign(n) a_2)' = 0 (|n| = 1). Returns the two
    solve_bvp solutions as functions of s = ln r (``sol.sol(np.log(r))``: a_s, r a_s' and a_1, r a_1',
    a_2, r a_2'; a_1 in units of gamma_o xi / D for gamma_o = 1). Raises RuntimeError if either fails.
    """
    if abs(winding) != 1:
        raise ValueError(f"winding must be +-1 for the reference solver, got {winding!r}")
    sigma = float(np.sign(winding))

    def singlet(s, y):
        r = np.exp(s)
        return np.vstack([y[1], -(r**2) * equation.singlet(y[0], y[1] / r, r, w, winding).value])

    outer = _local_singlet(equation, w, radius, winding)
    r = np.geomspace(start / np.sqrt(max(w, 1.0)), radius, 400)
    guess = _local_singlet(equation, w, r, winding) * np.tanh(np.sqrt(w + 1) * r)
    sol = solve_bvp(
        singlet,
        lambda a, b: np.array([a[0] - a[1], b[0] - outer]),
        np.log(r),
        np.vstack([guess, np.gradient(guess, np.log(r))]),
        tol=tol,
        max_nodes=max_nodes,
    )

    def coefficients(s):
        r = np.exp(s)
        amplitude, slope = sol.sol(s)
        return r, equation.triplet(amplitude, slope / r, r, w, g, winding)

    def triplet(s, y):
        r, t = coefficients(s)
        return np.vstack(
            [
                y[1],
                (1 - r * t.p1) * y[1] + r**2 * (t.s1 - t.c11 * y[0] - t.c12 * y[2]),
                y[3],
                (1 - r * t.p2) * y[3] + r**2 * (t.s2 - t.c22 * y[2] - t.c21 * y[0]),
            ]
        )

    _, t = coefficients(np.log(radius))
    det = t.c11 * t.c22 - t.c12 * t.c21
    a1, a2 = (t.s1 * t.c22 - t.c12 * t.s2) / det, (t.c11 * t.s2 - t.c21 * t.s1) / det

    def boundary(a, b):
        return np.array([a[0] + sigma * a[2], a[1] - sigma * a[3], b[0] - a1, b[2] - a2])

    trip = solve_bvp(triplet, boundary, sol.x, np.zeros((4, sol.x.size)), tol=tol, max_nodes=max_nodes)
    if sol.status != 0 or trip.status != 0:
        raise RuntimeError(f"solve_bvp failed at w = {w:.3g}: {sol.message} / {trip.message}")
    return sol, trip
