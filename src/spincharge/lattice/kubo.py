"""Disordered TI-surface lattice: Kubo conductivities at the Fermi energy by Chebyshev expansion with
stochastic traces, a non-perturbative witness of paper 002's ladder + crossed responses (issue 12, point 3).

Model. ``TISurfaceLattice`` (one Wilson-regularised Dirac cone, :mod:`.square`) with the uniform exchange
mass -Delta_z sigma_z on every site (M = Delta_z z: paper 002, Eq. 2 with m = z) and the on-site scalar
disorder V_r, independent Gaussians of variance w^2 on every site r, the lattice form of paper 002, Eq. (5):

    <V_r V_r'> = w^2 delta_rr'  ->  w^2 a^2 delta(r - r')  (one site per area a^2),   so
    w^2 a^2 = 2 pi alpha v^2,   w = v sqrt(2 pi alpha) / a    (``disorder_strength``).

The Born self-energy of either is the same functional, Sigma = (w^2 a^2) int d^2k/(2 pi)^2 G(k); with the lattice
G near the cone its imaginary part at E is that of the continuum, Im Sigma_0 = -pi alpha E / 2 (paper 002,
after Eq. 7), which :func:`lattice_born_self_energy` checks on the lattice Brillouin zone.

Conductivity. The Fermi-surface (Kubo-Streda) term at the Fermi energy E (Crepieux and Bruno, PRB 64, 014416
(2001), Eq. 15a; paper 002, Eq. s7), hbar = e = 1, in units of e^2 / h, with R = (E + i eta - H)^-1, A = R^dagger:

    sigma_xx = (1/Omega) [Tr(v_x R v_x A) - Re Tr(v_x R v_x R)] = (2 pi^2 / Omega) Tr[v_x delta v_x delta]
               (Kubo-Greenwood with Lorentzian delta_eta = -Im R / pi),
    sigma_xy = (1/Omega) [Tr(v_x R v_y A) - Tr(v_y R v_x A)] / 2      (the R-R terms are symmetric in x, y),

the quantities the continuum computes: ``dc_conductivity(...).kubo_longitudinal`` and the ladder + crossed
``anomalous_hall_conductivity(...).total`` are their disorder averages in the self-consistent Born + ladder
(+ X, Psi) approximation, K_xy = sigma_xy with the same (1/Omega) Tr[v_x G^R v_y G^A] convention. v_a = i [H, r_a]
(minimum-image bond vectors on the torus). The Fermi-sea (Streda) term sigma^II of the Kubo-Bastin formula is
not in it; in the continuum it vanishes for E in the band (paper 002, text after Eq. s8), on the lattice the
filled doubler bands put their Berry curvature there (see ``TISurfaceLattice``): a Fermi-sea constant that the
Fermi-surface term does not see.

Traces. Tr O ~ <r|O|r> over random-phase vectors r (|r_i| = 1, E[r r^dagger] = 1). With X = [r, v_x r, v_y r],
one Chebyshev recursion on the block gives A X and R X = (sum_n conj(c_n) T_n) X together, and

    Tr(v_a R v_b A) ~ <A v_a r | v_b A r>,    Tr(v_a R v_a R) ~ <A v_a r | v_a R r>.

The resolvent's Chebyshev series is exact, with no kernel: for H~ = H / s (s >= spectral radius, Gershgorin)
and z = (E - i eta) / s, 1/(z - x) = sum_n (2 - delta_n0) t^n T_n(x) / sqrt(z^2 - 1), t = z - sqrt(z^2 - 1),
|t| < 1, so the truncation error after K terms is about 2 |t|^K / |t^-1 - t| relative to max |G| = 1 / eta
(uniformly on [-1, 1]; ``resolvent_coefficients``).
eta is a Lorentzian broadening: an extra uniform dephasing rate, like Gamma -> Gamma + eta in the Born
rate; several eta share the recursion (``multiples``), and sigma(eta -> 0) is extrapolated linearly from eta and
2 eta (their difference is stated as the broadening error); a third eta tests that form (docs/conventions.md).

Error bars: the standard error over disorder realisations of the realisation means (over random vectors);
with one realisation, over the vectors (stochastic part only).

Self-energy. The same recursion on plane-wave spinors |k s> gives the disorder-averaged G(k) and so the exact
Sigma(k) = E + i eta - h(k) - <G(k)>^-1 (``averaged_self_energy``), the witness of the SCBA's real parts (on which
the counterterms rest) and rate; ``crossed_self_energy`` is the first diagram the SCBA omits.

Approximations to compare with. ``ladder_kubo_conductivity``: the lattice's own SCBA + ladder at the same E + i eta;
``crossed_kubo_conductivity``: its crossed X and Psi diagrams on the same propagators and vertices (paper 002,
Fig. 2(b-d)), so that the exact average tests SCBA + ladder and SCBA + ladder + crossed on the same lattice.
"""

from __future__ import annotations

import contextlib
import functools
import math
import time
from dataclasses import dataclass, field, replace

import numba
import numpy as np
import scipy.sparse as sp

from ..results import Result
from .model import PAULI, _require, require_integer
from .square import SquareSystem, TISurfaceLattice

__all__ = [
    "DisorderedTILattice",
    "LatticeSelfEnergy",
    "lattice_born_self_energy",
    "counterterm_lattice",
    "KuboConductivity",
    "disorder_strength",
    "velocity_operators",
    "resolvent_coefficients",
    "kubo_conductivity",
    "exact_kubo_conductivity",
    "bloch_kubo_conductivity",
    "LatticeLadderConductivity",
    "ladder_kubo_conductivity",
    "LatticeCrossedConductivity",
    "crossed_kubo_conductivity",
    "trace_estimates",
    "AveragedSelfEnergy",
    "averaged_self_energy",
    "CrossedSelfEnergy",
    "crossed_self_energy",
]


def disorder_strength(alpha: float, v: float, spacing: float) -> float:
    """On-site standard deviation w of the lattice white noise matching paper 002, Eq. (5): w = v sqrt(2 pi alpha) / a."""
    _require("alpha", alpha, alpha > 0, "finite and > 0")
    _require("v", v, v > 0, "finite and > 0")
    _require("spacing", spacing, spacing > 0, "finite and > 0")
    return v * math.sqrt(2 * math.pi * alpha) / spacing


@dataclass(frozen=True)
class DisorderedTILattice:
    """An n x n periodic ``TISurfaceLattice`` (mu = 0, no pairing) with exchange mass Delta_z and disorder alpha.

    Parameters
    ----------
    n : int
        Sites per side (>= 3), periodic along both axes; 2 n^2 orbitals.
    exchange_z : float
        Delta_z (electrons feel -Delta_z sigma_z, paper 002, Eq. 2 with m = z).
    disorder_alpha : float
        alpha >= 0 of paper 002, Eq. (5); on-site Gaussian noise of standard deviation ``disorder_strength``.
    v, spacing : float
        Dirac velocity and lattice spacing a.
    wilson : float, optional
        Wilson mass (default v / a, ``TISurfaceLattice``).
    """

    n: int
    exchange_z: float
    disorder_alpha: float
    v: float = 1.0
    spacing: float = 1.0
    wilson: float | None = None
    model: TISurfaceLattice = field(init=False, repr=False)

    def __post_init__(self):
        require_integer("n", self.n, 3)
        _require("exchange_z", self.exchange_z, True, "finite")
        _require("disorder_alpha", self.disorder_alpha, self.disorder_alpha >= 0, "finite and >= 0")
        object.__setattr__(self, "model", TISurfaceLattice(v=self.v, mu=0.0, delta=0.0, spacing=self.spacing,
                                                          wilson=self.wilson))

    @property
    def disorder_std(self) -> float:
        """w, the on-site standard deviation (0 when clean)."""
        return 0.0 if self.disorder_alpha == 0 else disorder_strength(self.disorder_alpha, self.v, self.spacing)

    @property
    def area(self) -> float:
        return (self.n * self.spacing) ** 2

    def clean_hamiltonian(self) -> sp.csr_matrix:
        field_ = np.zeros((3, self.n, self.n))
        field_[2] = self.exchange_z
        return SquareSystem(self.model, field_, periodic=True).normal_hamiltonian()

    def hamiltonian(self, rng: np.random.Generator) -> tuple[sp.csr_matrix, float]:
        """H_clean + diag(V_r) (both spins), V_r ~ N(0, w^2) drawn from ``rng``, and a bound on ||H||_2:

        ||H|| <= max_k |d(k)| + max_r |V_r|, |d(k)|^2 <= 2 v^2 / a^2 + (4 W + |Delta_z|)^2 (the Bloch bands are
        -+|d(k)|, h(k) = d(k) . sigma), tighter than Gershgorin by the disorder's share.
        """
        h = self.clean_hamiltonian()
        bound = math.hypot(math.sqrt(2) * self.v / self.spacing, 4 * self.model.wilson + abs(self.exchange_z))
        if self.disorder_alpha == 0:
            return h, bound
        potential = rng.normal(0.0, self.disorder_std, self.n * self.n)
        return (h + sp.diags(np.repeat(potential, 2))).tocsr(), bound + float(np.abs(potential).max())

    def velocities(self, hamiltonian) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        return velocity_operators(hamiltonian, self.n, self.n, self.spacing)


@dataclass(frozen=True)
class LatticeSelfEnergy(Result):
    """Self-consistent Born self-energy Sigma = sigma_0 Sigma_0 + sigma_z Sigma_z of the disordered lattice.

    Sigma = w^2 (1/N) sum_k G(k), G(k) = (E - Sigma - h(k))^-1 over the whole Brillouin zone (``n_k`` x ``n_k``);
    ``residual``: |Sigma_(n+1) - Sigma_n| at the last iteration.
    """
    _units = {"energy": "E0", "sigma_0": "E0", "sigma_z": "E0"}

    energy: float
    sigma_0: complex
    sigma_z: complex
    residual: float
    iterations: int
    n_k: int


def lattice_born_self_energy(lattice: DisorderedTILattice, energy: float, *, n_k: int = 512, tol: float = 1e-10,
                             max_iterations: int = 300, initial: LatticeSelfEnergy | None = None,
                             broadening: float = 0.0) -> LatticeSelfEnergy:
    """SCBA Sigma^R(E) of ``lattice`` (the lattice form of paper 002, Eq. s10; module docstring).

    With h(k) = d(k) . sigma and D = d + Sigma_z z: G = (eps + D . sigma)/(eps^2 - D^2), eps = E - Sigma_0, so
    Sigma_0 = w^2 <eps / (eps^2 - D^2)>, Sigma_z = w^2 <D_z / (eps^2 - D^2)> (the in-plane parts average out).
    The continuum's Im Sigma_0 -> -pi alpha E / 2 is the Born-rate check of w^2 a^2 = 2 pi alpha v^2; the real
    part of Sigma_z at Delta_z = 0 is a mass the Wilson term makes from the disorder (the continuum has none).
    ``initial``: a starting point for the iteration (default: the continuum's leading-order rate).
    ``broadening``: the self-consistency at the complex energy E + i eta, the SCBA of the averaged (E + i eta - H)^-1
    that the Chebyshev engine computes (``ladder_kubo_conductivity``).
    """
    require_integer("n_k", n_k, 4)
    _require("broadening", broadening, broadening >= 0, "finite and >= 0")
    if lattice.disorder_alpha == 0:
        raise ValueError("disorder_alpha must be > 0 for a self-energy")
    model, a = lattice.model, lattice.spacing
    k = 2 * np.pi * (np.arange(n_k) + 0.5) / (n_k * a)
    kx, ky = np.meshgrid(k, k, indexing="xy")
    in_plane = (lattice.v / a) ** 2 * (np.sin(kx * a) ** 2 + np.sin(ky * a) ** 2)
    mass = model.wilson * (2 - np.cos(kx * a) - np.cos(ky * a)) - lattice.exchange_z
    w2 = lattice.disorder_std**2
    sigma = np.array([-0.5j * math.pi * lattice.disorder_alpha * abs(energy) - 1e-3j, 0.0])
    if initial is not None:
        sigma = np.array([initial.sigma_0, initial.sigma_z])
    for iteration in range(1, max_iterations + 1):
        eps = energy + 1j * broadening - sigma[0]
        dz = mass + sigma[1]
        denominator = eps**2 - in_plane - dz**2
        new = w2 * np.array([np.mean(eps / denominator), np.mean(dz / denominator)])
        residual = float(np.abs(new - sigma).max())
        sigma = new
        if residual < tol:
            break
    else:
        raise ValueError(f"lattice SCBA did not converge in max_iterations={max_iterations}")
    return LatticeSelfEnergy(float(energy), complex(sigma[0]), complex(sigma[1]), residual, iteration, n_k)


def counterterm_lattice(lattice: DisorderedTILattice, renormalised_energy: float, renormalised_exchange: float, *,
                        n_k: int = 512, tol: float = 1e-8, max_iterations: int = 100
                        ) -> tuple[DisorderedTILattice, float, LatticeSelfEnergy]:
    """(lattice, E) whose SCBA renormalised Re(E - Sigma_0) and Re(Delta_z - Sigma_z) are the given values.

    The Wilson term turns the disorder into a mass Re Sigma_z ~ -alpha v / a even in Delta_z (``lattice_born_self_energy``),
    which the continuum lacks (paper 002, Eq. s10: Delta^R = Delta_z / (1 - alpha l / 2), odd), and the Brillouin
    zone shifts Re Sigma_0 by more than the continuum's cutoff does. Matching the renormalised eps^R and Delta^R to
    the continuum's (fixed point E = eps + Re Sigma_0, Delta_z = Delta + Re Sigma_z, a contraction of factor
    ~ alpha) are the two counterterms that make the low-energy theories the same; the imaginary parts (the
    rates) are then predictions, not inputs.
    """
    _require("renormalised_energy", renormalised_energy, True, "finite")
    _require("renormalised_exchange", renormalised_exchange, True, "finite")
    energy, bare, se = renormalised_energy, renormalised_exchange, None
    for _ in range(max_iterations):
        se = lattice_born_self_energy(replace(lattice, exchange_z=bare), energy, n_k=n_k, initial=se)
        new_energy, new = renormalised_energy + se.sigma_0.real, renormalised_exchange + se.sigma_z.real
        if max(abs(new - bare), abs(new_energy - energy)) < tol:
            return replace(lattice, exchange_z=new), new_energy, se
        energy, bare = new_energy, new
    raise ValueError(f"counterterms did not converge in max_iterations={max_iterations}")


def velocity_operators(hamiltonian, nx: int, ny: int, spacing: float) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """v_a = i [H, r_a] of a periodic nx x ny lattice (orbital 2 s + sigma, s = iy nx + ix), hbar = 1.

    (v_a)_ij = i (r_j - r_i)_a H_ij with the minimum-image bond vector (nearest-neighbour bonds, n >= 3).
    """
    h = sp.coo_matrix(hamiltonian)
    si, sj = h.row // 2, h.col // 2
    out = []
    for size, coordinate in ((nx, lambda s: s % nx), (ny, lambda s: s // nx)):
        d = coordinate(sj) - coordinate(si)
        d = (d + size // 2) % size - size // 2  # minimum image, |d| <= 1 for the nearest-neighbour bonds
        out.append(sp.csr_matrix((1j * spacing * d * h.data, (h.row, h.col)), shape=h.shape))
    return out[0], out[1]


def resolvent_coefficients(energy: float, broadening: float, scale: float, *, tolerance: float = 1e-7,
                           max_order: int = 200000) -> np.ndarray:
    """c_n with (E - i eta - H)^-1 = sum_n c_n T_n(H / scale) (module docstring), truncated at relative error
    ``tolerance``; the retarded R = (E + i eta - H)^-1 has coefficients conj(c_n)."""
    _require("broadening", broadening, broadening > 0, "finite and > 0")
    _require("scale", scale, scale > abs(energy), f"> |energy| = {abs(energy)!r}")
    z = complex(energy, -broadening) / scale
    t = z - np.sqrt(z * z - 1)
    if abs(t) > 1:
        t = 1 / t
    order = int(math.ceil(math.log(tolerance * abs(1 / t - t) / 2) / math.log(abs(t)))) + 1
    if order > max_order:
        raise ValueError(f"broadening {broadening!r} needs {order} > max_order = {max_order} Chebyshev terms")
    n = np.arange(max(order, 2))
    coefficients = 2 * t**n / ((1 / t - t) / 2) / scale
    coefficients[0] /= 2
    return coefficients


@functools.lru_cache(maxsize=None)
def _chebyshev_step(m: int):
    """The recursion step y <- 2 H x - y, acc[:, k] += coefficients[k] y, rows in parallel, compiled for m columns.

    m is a compile-time constant so that the loops over the columns unroll and vectorise (real and imaginary parts
    kept apart); this is 1.5x faster than a runtime m at 10^6 orbitals (CPU time, docs/benchmarks.md).
    """

    @numba.njit(parallel=True, fastmath=True)
    def step(indptr, indices, data, x, y, acc, coefficients):  # pragma: no cover - compiled
        n_k = acc.shape[1]
        for i in numba.prange(y.shape[0]):
            s_re, s_im = np.zeros(m), np.zeros(m)
            for c in range(m):
                s_re[c], s_im[c] = -y[i, c].real, -y[i, c].imag
            for p in range(indptr[i], indptr[i + 1]):
                a_re, a_im = 2.0 * data[p].real, 2.0 * data[p].imag
                j = indices[p]
                for c in range(m):
                    x_re, x_im = x[j, c].real, x[j, c].imag
                    s_re[c] += a_re * x_re - a_im * x_im
                    s_im[c] += a_re * x_im + a_im * x_re
            for c in range(m):
                y[i, c] = complex(s_re[c], s_im[c])
            for k in range(n_k):
                ck = coefficients[k]
                for c in range(m):
                    acc[i, k, c] += complex(ck * s_re[c], ck * s_im[c])

    return step


def chebyshev_series(scaled, block: np.ndarray, coefficients: np.ndarray) -> np.ndarray:
    """sum_n coefficients[k, n] T_n(H~) block for every row k of real coefficients, one fused recursion.

    ``scaled``: CSR H~ with spectrum in [-1, 1]; ``block``: (N, m) complex (not modified). Returns (N, n_k, m).
    """
    coefficients = np.asarray(coefficients, dtype=np.float64)
    if coefficients.shape[1] < 2:
        raise ValueError(f"coefficients needs >= 2 columns (T_0, T_1), got {coefficients.shape[1]}")
    indptr, indices = scaled.indptr.astype(np.int64), scaled.indices.astype(np.int64)
    data = scaled.data.astype(np.complex128)
    x_prev = np.array(block, dtype=np.complex128, order="C")
    x_curr = np.ascontiguousarray(scaled @ x_prev, dtype=np.complex128)
    acc = (coefficients[None, :, 0, None] * x_prev[:, None, :] + coefficients[None, :, 1, None] * x_curr[:, None, :])
    step = _chebyshev_step(x_prev.shape[1])
    for n in range(2, coefficients.shape[1]):
        step(indptr, indices, data, x_curr, x_prev, acc, np.ascontiguousarray(coefficients[:, n]))
        x_prev, x_curr = x_curr, x_prev
    return acc


@contextlib.contextmanager
def _numba_threads(threads: int | None):
    """Run the block with ``threads`` numba threads (None: numba's setting), restoring the previous count."""
    if threads is None:
        yield
        return
    require_integer("threads", threads, 1)
    previous = numba.get_num_threads()
    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    try:
        yield
    finally:
        numba.set_num_threads(previous)


def spectral_scale(hamiltonian) -> float:
    """1.01 x the Gershgorin bound max_i sum_j |H_ij| >= spectral radius."""
    return 1.01 * float(np.abs(hamiltonian).sum(axis=1).max())


def _resolvent_blocks(hamiltonian, energy: float, broadenings, block: np.ndarray, tolerance: float,
                      bound: float | None) -> tuple[np.ndarray, np.ndarray, int]:
    """(A X, R X), each [eta, N, m], for every broadening from one fused recursion on X = ``block``, and the
    number of Chebyshev moments (module docstring; ``bound`` as in ``trace_estimates``)."""
    scale = spectral_scale(hamiltonian) if bound is None else 1.01 * bound
    series = [resolvent_coefficients(energy, eta, scale, tolerance=tolerance) for eta in broadenings]
    order = max(s.size for s in series)
    padded = np.zeros((len(series), order), dtype=complex)
    for k, s in enumerate(series):
        padded[k, : s.size] = s
    # real and imaginary parts as separate real series: A X = S_re + i S_im, R X = S_re - i S_im
    acc = chebyshev_series((hamiltonian / scale).tocsr(), block, np.concatenate([padded.real, padded.imag]))
    real, imag = np.moveaxis(acc[:, : len(series)], 1, 0), np.moveaxis(acc[:, len(series) :], 1, 0)
    return real + 1j * imag, real - 1j * imag, order


def trace_estimates(hamiltonian, vx, vy, energy: float, broadenings, vectors: np.ndarray, *,
                    tolerance: float = 1e-7, bound: float | None = None) -> np.ndarray:
    """Per-vector estimates [eta, vector, (xx, xy)] of Omega sigma (module docstring) from the vectors' columns,
    and the number of Chebyshev moments used.

    ``vectors``: (N, n_vec) random-phase (or basis) vectors; the estimates average to the traces.
    ``bound``: an upper bound on ||H||_2 (default: Gershgorin); the series uses scale = 1.01 bound.
    """
    m = vectors.shape[1]
    block = np.concatenate([vectors, vx @ vectors, vy @ vectors], axis=1)
    advanced, retarded, order = _resolvent_blocks(hamiltonian, energy, broadenings, block, tolerance, bound)
    out = np.empty((len(advanced), m, 2))
    for k, (adv, ret) in enumerate(zip(advanced, retarded)):
        a_r, a_vx, a_vy = adv[:, :m], adv[:, m : 2 * m], adv[:, 2 * m :]
        r_r = ret[:, :m]
        vx_ar = vx @ a_r

        def dot(left, right):
            return np.einsum("ic,ic->c", left.conj(), right)

        out[k, :, 0] = (dot(a_vx, vx_ar) - dot(a_vx, vx @ r_r).real).real
        out[k, :, 1] = (0.5 * (dot(a_vx, vy @ a_r) - dot(a_vy, vx_ar))).real
    return out, order


def random_phase_vectors(size: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """(size, count) vectors of unit-modulus entries with uniform random phases: E[r r^dagger] = 1."""
    return np.exp(2j * np.pi * rng.random((size, count)))


def exact_kubo_conductivity(hamiltonian, vx, vy, energy: float, broadening: float, area: float) -> tuple[float, float]:
    """(sigma_xx, sigma_xy) in e^2/h of the module docstring by dense diagonalisation (the KPM's witness):

    Tr(v_a R v_b A) = sum_mn (v_a)_mn (v_b)_nm R_n A_m, R_n = 1/(E + i eta - E_n), A_m = conj(R_m).
    """
    e, u = np.linalg.eigh(hamiltonian.toarray() if sp.issparse(hamiltonian) else hamiltonian)
    wx = u.conj().T @ (vx @ u)
    wy = u.conj().T @ (vy @ u)
    r = 1 / (energy + 1j * broadening - e)
    a = r.conj()

    def trace(p, q, left, right):  # sum_mn p_mn q_nm left_n right_m
        return np.einsum("mn,nm,n,m->", p, q, left, right)

    xx = trace(wx, wx, r, a) - trace(wx, wx, r, r).real
    xy = 0.5 * (trace(wx, wy, r, a) - trace(wy, wx, r, a))
    return float(xx.real / area), float(xy.real / area)


def bloch_kubo_conductivity(lattice: DisorderedTILattice, energy: float, broadening: float, n_k: int | None = None,
                            *, chunk: int = 1 << 18) -> tuple[float, float]:
    """(sigma_xx, sigma_xy) in e^2/h of the *clean* lattice from its Bloch Hamiltonian on an n_k x n_k k grid.

    The module docstring's traces as sums over k of 2 x 2 traces, with v_a(k) = dh/dk_a in closed form:
    at n_k = lattice.n it is the real-space trace of the clean torus (the witness of ``velocity_operators``
    and of the real-space assembly); at large n_k the clean infinite lattice at broadening eta.
    """
    n_k = lattice.n if n_k is None else n_k
    require_integer("n_k", n_k, 1)
    kx, ky = _k_grid(lattice, n_k)
    total = np.zeros(2)
    for start in range(0, kx.size, chunk):
        qx, qy = kx[start : start + chunk], ky[start : start + chunk]
        h, vx, vy = _bloch_operators(lattice, qx, qy)
        r = np.linalg.inv((energy + 1j * broadening) * np.eye(2) - h)
        adv = np.conj(np.swapaxes(r, -1, -2))

        def tr(*ms):
            out = ms[0]
            for m_ in ms[1:]:
                out = out @ m_
            return np.trace(out, axis1=-2, axis2=-1).sum()

        total[0] += (tr(vx, r, vx, adv) - tr(vx, r, vx, r).real).real
        total[1] += (0.5 * (tr(vx, r, vy, adv) - tr(vy, r, vx, adv))).real
    area = (n_k * lattice.spacing) ** 2
    return float(total[0] / area), float(total[1] / area)




def _k_grid(lattice: DisorderedTILattice, n_k: int) -> tuple[np.ndarray, np.ndarray]:
    k = 2 * np.pi * np.arange(n_k) / (n_k * lattice.spacing)
    return tuple(g.ravel() for g in np.meshgrid(k, k, indexing="xy"))


def _bloch_operators(lattice: DisorderedTILattice, qx: np.ndarray, qy: np.ndarray):
    """h(k) (with the exchange) and v_a(k) = dh/dk_a in closed form, each (n, 2, 2)."""
    model, a = lattice.model, lattice.spacing
    h = model.normal_hamiltonian(qx, qy) - lattice.exchange_z * PAULI[3]
    vx = (lattice.v * np.cos(qx * a))[:, None, None] * PAULI[2] + (model.wilson * a * np.sin(qx * a))[:, None, None] * PAULI[3]
    vy = -(lattice.v * np.cos(qy * a))[:, None, None] * PAULI[1] + (model.wilson * a * np.sin(qy * a))[:, None, None] * PAULI[3]
    return h, vx, vy


@dataclass(frozen=True)
class LatticeLadderConductivity(Result):
    """SCBA + ladder (``sigma_xx``, ``sigma_xy``) and bare-bubble (``bare_xx``, ``bare_xy``) conductivities (e^2/h)
    of the disordered lattice at E + i eta (``ladder_kubo_conductivity``); ``self_energy``: the SCBA used."""
    _units = {"energy": "E0", "broadening": "E0", "sigma_xx": "e^2 / h", "sigma_xy": "e^2 / h",
              "bare_xx": "e^2 / h", "bare_xy": "e^2 / h"}
    _attrs = ("settings",)

    energy: float
    broadening: float
    sigma_xx: float
    sigma_xy: float
    bare_xx: float
    bare_xy: float
    settings: dict


def _scba_propagators(lattice: DisorderedTILattice, energy: float, broadening: float, n_k: int):
    """The lattice SCBA at E + i eta and, on the n_k x n_k Bloch grid [q_y, q_x] (flattened), G^R(k), G^A(k), v_x(k),
    v_y(k), each (n_k^2, 2, 2)."""
    require_integer("n_k", n_k, 4)
    _require("energy", energy, True, "finite")
    _require("broadening", broadening, broadening >= 0, "finite and >= 0")
    se = lattice_born_self_energy(lattice, energy, n_k=n_k, broadening=broadening)
    kx, ky = _k_grid(lattice, n_k)
    h, vx, vy = _bloch_operators(lattice, kx, ky)
    z = energy + 1j * broadening - se.sigma_0
    retarded = np.linalg.inv(z * np.eye(2) - se.sigma_z * PAULI[3] - h)
    return se, retarded, np.conj(np.swapaxes(retarded, -1, -2)), vx, vy


def _dressed_vertex(w2: float, v, left, right):
    """J = v + Lambda with Lambda = w^2 <left J right>_BZ (white noise: Lambda is k-independent), by one 4 x 4 solve:
    vec(Lambda) = (1 - L)^-1 vec(w^2 <left v right>),  L[(i j), (k l)] = w^2 <left_ik right_lj>."""
    superoperator = w2 * np.einsum("nik,nlj->ijkl", left, right).reshape(4, 4) / len(left)
    source = w2 * np.einsum("nik,nkl,nlj->ij", left, v, right).reshape(4) / len(left)
    return v + np.linalg.solve(np.eye(4) - superoperator, source).reshape(2, 2)


def _ladder_traces(lattice: DisorderedTILattice, retarded, advanced, vx, vy) -> tuple[float, float, float, float]:
    """(sigma_xx, sigma_xy) with the ladder vertex and bare, from the Bloch-grid propagators (``ladder_kubo_conductivity``)."""
    w2 = lattice.disorder_std**2

    def trace(left, vertex, right):
        return np.einsum("nij,njk,nkl,nli->", left, retarded, vertex, right) / len(left) / lattice.spacing**2

    jx, jy = (_dressed_vertex(w2, v, retarded, advanced) for v in (vx, vy))
    jx_rr = _dressed_vertex(w2, vx, retarded, retarded)
    sigma_xx = (trace(vx, jx, advanced) - trace(vx, jx_rr, retarded).real).real
    sigma_xy = (0.5 * (trace(vx, jy, advanced) - trace(vy, jx, advanced))).real
    bare_xx = (trace(vx, vx, advanced) - trace(vx, vx, retarded).real).real
    bare_xy = (0.5 * (trace(vx, vy, advanced) - trace(vy, vx, advanced))).real
    return float(sigma_xx), float(sigma_xy), float(bare_xx), float(bare_xy)


def ladder_kubo_conductivity(lattice: DisorderedTILattice, energy: float, broadening: float = 0.0, *,
                             n_k: int = 512) -> LatticeLadderConductivity:
    """The conserving SCBA + ladder approximation of the *lattice's* Kubo traces (module docstring) at E + i eta.

    The lattice form of paper 002, Eqs. (s10), (s14): Sigma = w^2 <G(k)>_BZ self-consistent at E + i eta
    (``lattice_born_self_energy``), and, white noise making the vertex correction k-independent, the dressed
    vertex J_b = v_b(k) + Lambda_b with Lambda_b = w^2 <G^R (v_b + Lambda_b) G^A'> (a 4 x 4 linear system; G^A' = G^A
    for the R-A term, G^R for the R-R term), so that sigma_xx = <tr v_x G^R J_x G^A> - Re <tr v_x G^R J_x^RR G^R>,
    sigma_xy = (<tr v_x G^R J_y G^A> - <tr v_y G^R J_x G^A>)/2, per area a^2. It is what the Chebyshev engine
    averages exactly (same eta entering the propagators and the self-consistency), so the two compare at each eta
    with no extrapolation; without the ladder (``bare_*``) and at w -> 0 it is ``bloch_kubo_conductivity``.
    The crossed diagrams on the same propagators and vertices: ``crossed_kubo_conductivity``.
    """
    se, retarded, advanced, vx, vy = _scba_propagators(lattice, energy, broadening, n_k)
    sigma_xx, sigma_xy, bare_xx, bare_xy = _ladder_traces(lattice, retarded, advanced, vx, vy)
    settings = dict(n_k=n_k, sigma_0=str(se.sigma_0), sigma_z=str(se.sigma_z), exchange_z=lattice.exchange_z,
                    disorder_alpha=lattice.disorder_alpha, wilson=lattice.model.wilson)
    return LatticeLadderConductivity(float(energy), float(broadening), float(sigma_xx), float(sigma_xy),
                                     float(bare_xx), float(bare_xy), settings)


@dataclass(frozen=True)
class LatticeCrossedConductivity(Result):
    """The crossed X and Psi diagrams of the disordered lattice's Kubo traces at E + i eta
    (``crossed_kubo_conductivity``), in e^2/h.

    ``hall``: sigma_xy parts [diagram (X, Psi_R, Psi_A)], ``longitudinal``: their R-A sigma_xx parts (the R-R crossed
    terms are not computed; for sigma_xy they cancel identically); ``tensor``: each diagram's complex
    (1/Omega) Tr[v_a R v_b A] part [diagram, a, b]. ``crossed_xy`` = sum of ``hall``; ``ladder_xy``,
    ``ladder_xx``: ``ladder_kubo_conductivity`` on the same propagators, so ``sigma_xy`` = ladder + crossed.
    ``error``: |crossed_xy(n_k) - crossed_xy(coarser grid)| (the Bloch-grid convergence). ``self_energy``: the lattice
    SCBA (Sigma_0, Sigma_z) the propagators use.
    """
    _dims = {"hall": ("diagram",), "longitudinal": ("diagram",), "tensor": ("diagram", "a", "b"),
             "self_energy": ("scba_component",)}
    _labels = {"diagram": ("X", "Psi_R", "Psi_A"), "scba_component": ("0", "z"), "a": ("x", "y"), "b": ("x", "y")}
    _units = {"energy": "E0", "broadening": "E0", "hall": "e^2 / h", "longitudinal": "e^2 / h",
              "crossed_xy": "e^2 / h", "ladder_xy": "e^2 / h", "ladder_xx": "e^2 / h", "sigma_xy": "e^2 / h",
              "error": "e^2 / h", "self_energy": "E0", "tensor": "e^2 / h"}
    _attrs = ("settings",)

    energy: float
    broadening: float
    hall: np.ndarray
    longitudinal: np.ndarray
    tensor: np.ndarray
    crossed_xy: float
    ladder_xy: float
    ladder_xx: float
    sigma_xy: float
    error: float
    self_energy: np.ndarray
    settings: dict


def _crossed_diagrams(lattice: DisorderedTILattice, retarded, advanced, vx, vy) -> np.ndarray:
    """X, Psi_R, Psi_A [diagram, a, b] for the vertex pair (v_a left, v_b right), a, b in (x, y), from the Bloch-grid
    propagators (``_scba_propagators``).

    Real-space form (docstring of ``crossed_kubo_conductivity``): FFTs of G^R, G^A and the vertex blocks
    P_a = G^A J~_a G^R, Q_b = G^R J_b G^A, then one sum over the separation r of the two paired sites.
    """
    w2 = lattice.disorder_std**2
    n_k = math.isqrt(len(retarded))
    shape = (n_k, n_k, 2, 2)

    def real_space(f):  # f(r) = (1/N) sum_k e^{i k . r} f(k), [r_y, r_x]
        return np.fft.ifft2(f.reshape(shape), axes=(0, 1))

    def reflected(f):  # f(-r)
        return np.roll(f[::-1, ::-1], 1, axis=(0, 1))

    g_r, g_a = real_space(retarded), real_space(advanced)
    g_r_minus, g_a_minus = reflected(g_r), reflected(g_a)
    p_minus = [reflected(real_space(advanced @ _dressed_vertex(w2, v, advanced, retarded) @ retarded)) for v in (vx, vy)]
    q = [real_space(retarded @ _dressed_vertex(w2, v, retarded, advanced) @ advanced) for v in (vx, vy)]
    q_minus = [reflected(f) for f in q]
    out = np.zeros((3, 2, 2), dtype=complex)
    for a in range(2):
        for b in range(2):
            out[0, a, b] = np.einsum("yxij,yxjk,yxkl,yxli->", g_r, q_minus[b], g_a, p_minus[a])
            out[1, a, b] = np.einsum("yxij,yxjk,yxkl,yxli->", p_minus[a], g_r, g_r_minus, q[b])
            out[2, a, b] = np.einsum("yxij,yxjk,yxkl,yxli->", p_minus[a], q[b], g_a_minus, g_a)
    return w2**2 / lattice.spacing**2 * out


def _hall_parts(diagrams: np.ndarray) -> np.ndarray:
    """sigma_xy parts (C_xy - C_yx) / 2 of [diagram, a, b]."""
    return (0.5 * (diagrams[:, 0, 1] - diagrams[:, 1, 0])).real


def crossed_kubo_conductivity(lattice: DisorderedTILattice, energy: float, broadening: float = 0.0, *,
                              n_k: int = 512) -> LatticeCrossedConductivity:
    """The crossed X and Psi diagrams (two disorder lines crossing, dressed vertices; paper 002, Fig. 2(b-d), its
    Ref. 55) of the lattice's Kubo traces, on the SCBA propagators and ladder vertices of ``ladder_kubo_conductivity``.

    For white noise each disorder line pairs a site with itself, so with the vertex blocks (translation-invariant
    operators) P_a = G^A J~_a G^R (the left vertex, its ladder J~_a = v_a + w^2 <G^A J~_a G^R>) and
    Q_b = G^R J_b G^A (the right vertex, J_b = v_b + w^2 <G^R J_b G^A>), the three diagrams of
    (1/Omega) Tr[v_a R v_b A] with two crossed lines at sites a, b are, F(a, b) = f(a - b),

        X     = (w^4 / a^2) sum_r tr[g^R(r) q_b(-r) g^A(r) p_a(-r)],
        Psi_R = (w^4 / a^2) sum_r tr[p_a(-r) g^R(r) g^R(-r) q_b(r)],     (three impurity vertices on the R line)
        Psi_A = (w^4 / a^2) sum_r tr[p_a(-r) q_b(r) g^A(-r) g^A(r)],     (three on the A line)

    the lattice form of the continuum's momentum integrals (:mod:`spincharge.diffusive.crossed`), each f(r) the FFT
    of f(k) on the ``n_k`` x ``n_k`` Bloch grid (so exactly the triple momentum sum on that grid; the on-site
    pairing a = b is part of it, <V^4> = 3 w^4). sigma_xy parts (C_xy - C_yx)/2, sigma_xx parts C_xx (R-A).
    ``error``: the change of crossed_xy from a grid of 2 n_k / 3 points (rounded to even).
    """
    require_integer("n_k", n_k, 6)
    se, *propagators = _scba_propagators(lattice, energy, broadening, n_k)
    diagrams = _crossed_diagrams(lattice, *propagators)
    ladder_xx, ladder_xy, _, _ = _ladder_traces(lattice, *propagators)
    coarse = _crossed_diagrams(lattice, *_scba_propagators(lattice, energy, broadening, max(4, 2 * (n_k // 3)))[1:])
    hall = _hall_parts(diagrams)
    crossed = float(hall.sum())
    settings = dict(n_k=n_k, exchange_z=lattice.exchange_z, disorder_alpha=lattice.disorder_alpha,
                    wilson=lattice.model.wilson)
    return LatticeCrossedConductivity(float(energy), float(broadening), hall, diagrams[:, 0, 0].real, diagrams,
                                      crossed, ladder_xy, ladder_xx, ladder_xy + crossed,
                                      abs(crossed - float(_hall_parts(coarse).sum())),
                                      np.array([se.sigma_0, se.sigma_z]), settings)


_SELF_ENERGY_COMPONENTS = ("0", "x", "y", "z")


def _pauli_components(matrices):
    """(..., 2, 2) -> (..., 4): the coefficients s_mu of sum_mu s_mu tau_mu (tau_0 = 1, Pauli x, y, z)."""
    return 0.5 * np.einsum("...ij,mji->...m", matrices, PAULI)
_SHELL_COMPONENTS = ("0", "z", "parallel", "perpendicular")


@dataclass(frozen=True)
class CrossedSelfEnergy(Result):
    """The fourth-order crossed self-energy of the white-noise lattice with SCBA propagators
    (``crossed_self_energy``): ``sigma`` [momentum, component (0, x, y, z)] complex; ``scba``: the SCBA
    (Sigma_0, Sigma_z) it is built on."""
    _dims = {"momenta": ("momentum", "axis"), "sigma": ("momentum", "component"), "scba": ("scba_component",)}
    _labels = {"component": _SELF_ENERGY_COMPONENTS, "axis": ("x", "y"), "scba_component": ("0", "z")}
    _units = {"energy": "E0", "broadening": "E0", "momenta": "1 / a", "sigma": "E0", "scba": "E0"}
    _attrs = ("settings",)

    energy: float
    broadening: float
    momenta: np.ndarray
    sigma: np.ndarray
    scba: np.ndarray
    settings: dict


def crossed_self_energy(lattice: DisorderedTILattice, energy: float, momenta, broadening: float = 0.0, *,
                        n_k: int = 512) -> CrossedSelfEnergy:
    """The first self-energy diagram the SCBA leaves out: the two disorder lines crossed (fourth order in w),

        Sigma_X(k) = w^4 (1/N^2) sum_{q, q'} G(q) G(q + q' - k) G(q') = w^4 sum_r e^{-i k . r} G(r) G(-r) G(r),

    with the SCBA propagators G(q) = (E + i eta - Sigma - h(q))^-1 (``lattice_born_self_energy``) on the periodic
    ``n_k`` x ``n_k`` grid, G(r) their Fourier transform (FFT; r on the minimum image, so k need not be on the grid).
    For white noise the on-site pairing (r = 0) is part of the sum (Gaussian Wick pairings, <V^4> = 3 w^4). The
    continuum analogue is the crossed diagram that makes the disorder strength of a Dirac cone run
    logarithmically (Ostrovsky, Gornyi and Mirlin, PRB 74, 235443 (2006), Sec. III), which the SCBA of paper 002,
    Eq. (s10), omits. ``momenta``: (m, 2) array of (k_x, k_y) in 1/a.
    """
    require_integer("n_k", n_k, 4)
    momenta = np.asarray(momenta, dtype=float)
    if momenta.ndim != 2 or momenta.shape[1] != 2 or not np.all(np.isfinite(momenta)):
        raise ValueError(f"momenta must be a finite (m, 2) array, got {momenta!r}")
    se = lattice_born_self_energy(lattice, energy, n_k=n_k, broadening=broadening)
    kx, ky = _k_grid(lattice, n_k)
    h = _bloch_operators(lattice, kx, ky)[0]
    z = energy + 1j * broadening - se.sigma_0
    g = np.linalg.inv(z * np.eye(2) - se.sigma_z * PAULI[3] - h).reshape(n_k, n_k, 2, 2)  # [q_y, q_x]
    g_r = np.fft.ifft2(g, axes=(0, 1))  # G(r) = (1/N) sum_q G(q) e^{i q . r}, [r_y, r_x]
    g_minus = np.roll(g_r[::-1, ::-1], 1, axis=(0, 1))  # G(-r)
    kernel = lattice.disorder_std**4 * g_r @ g_minus @ g_r
    r = ((np.arange(n_k) + n_k // 2) % n_k - n_k // 2) * lattice.spacing  # minimum image
    phase = np.exp(-1j * (momenta[:, 1, None, None] * r[None, :, None] + momenta[:, 0, None, None] * r[None, None, :]))
    sigma = np.einsum("myx,yxij->mij", phase, kernel)
    components = _pauli_components(sigma)
    settings = dict(n_k=n_k, exchange_z=lattice.exchange_z, disorder_alpha=lattice.disorder_alpha,
                    wilson=lattice.model.wilson)
    return CrossedSelfEnergy(float(energy), float(broadening), momenta, components,
                             np.array([se.sigma_0, se.sigma_z]), settings)


@dataclass(frozen=True)
class KuboConductivity(Result):
    """sigma_xx, sigma_xy (e^2/h) of a disordered lattice at one energy, per broadening and extrapolated.

    ``sigma_xx``/``sigma_xy``: [eta] means over realisations x vectors, ``*_error`` their standard errors;
    ``*_extrapolated``: the linear eta -> 0 extrapolation from the two smallest eta (eta and 2 eta),
    ``*_extrapolated_error``: its standard error (per sample, so correlations are kept); ``*_broadening_error``:
    |extrapolated - value at the smallest eta|. ``samples``: [realisation, vector, eta, (xx, xy)].
    """
    _dims = {"broadening": ("broadening",), "sigma_xx": ("broadening",), "sigma_xy": ("broadening",),
             "sigma_xx_error": ("broadening",), "sigma_xy_error": ("broadening",),
             "samples": ("realisation", "vector", "broadening", "component")}
    _labels = {"component": ("xx", "xy")}
    _units = {"broadening": "E0", "sigma_xx": "e^2 / h", "sigma_xy": "e^2 / h", "energy": "E0"}
    _attrs = ("settings",)

    energy: float
    broadening: np.ndarray
    sigma_xx: np.ndarray
    sigma_xy: np.ndarray
    sigma_xx_error: np.ndarray
    sigma_xy_error: np.ndarray
    sigma_xx_extrapolated: float
    sigma_xy_extrapolated: float
    sigma_xx_extrapolated_error: float
    sigma_xy_extrapolated_error: float
    sigma_xx_broadening_error: float
    sigma_xy_broadening_error: float
    samples: np.ndarray
    settings: dict


def _standard_error(samples: np.ndarray) -> np.ndarray:
    """Standard error over realisations of the realisation means (axis 0), or over vectors if only one."""
    means = samples.mean(axis=1)
    if samples.shape[0] > 1:
        return means.std(axis=0, ddof=1) / math.sqrt(samples.shape[0])
    if samples.shape[1] > 1:
        return samples[0].std(axis=0, ddof=1) / math.sqrt(samples.shape[1])
    raise ValueError("an error bar needs realisations * vectors >= 2")


def kubo_conductivity(
    lattice: DisorderedTILattice,
    energy: float,
    *,
    broadening: float | None = None,
    realisations: int = 4,
    vectors: int = 2,
    seed: int = 0,
    tolerance: float = 1e-4,
    multiples: tuple[float, ...] = (1.0, 2.0),
    threads: int | None = None,
) -> KuboConductivity:
    """Disorder-averaged Fermi-surface sigma_xx, sigma_xy of ``lattice`` at ``energy`` (module docstring).

    Parameters
    ----------
    broadening : float, optional
        The smallest Lorentzian eta (E0); 2 eta is computed too, for the eta -> 0 extrapolation. Default: a
        quarter of the continuum Born rate pi alpha |E| / 2 (or 1e-2 |E| + 1e-3 when clean). It should exceed
        the level spacing 2 pi v^2 / (|E| Omega) and v / L (finite size).
    realisations, vectors : int
        Disorder realisations and random-phase vectors per realisation (realisations x vectors >= 2).
    tolerance : float
        Relative truncation error of the resolvent series (sets the number of Chebyshev moments).
    multiples : tuple of float
        The broadenings computed, in units of ``broadening``: 1 and 2 first (the extrapolation), then any others
        (> 0; they share the recursion, whose length the smallest sets), e.g. (1, 2, 4) to test the form of
        sigma(eta).
    threads : int, optional
        numba threads (default: numba's).
    """
    require_integer("realisations", realisations, 1)
    require_integer("vectors", vectors, 1)
    if realisations * vectors < 2:
        raise ValueError(f"realisations * vectors must be >= 2 for an error bar, got {realisations * vectors}")
    _require("energy", energy, True, "finite")
    if broadening is None:
        broadening = 0.25 * math.pi * lattice.disorder_alpha * abs(energy) / 2 or 1e-2 * abs(energy) + 1e-3
    _require("broadening", broadening, broadening > 0, "finite and > 0")
    if len(multiples) < 2 or tuple(multiples[:2]) != (1.0, 2.0) or min(multiples) <= 0:
        raise ValueError(f"multiples must start with (1, 2) and be > 0, got {multiples!r}")
    with _numba_threads(threads):
        started = time.perf_counter()
        rng = np.random.default_rng(seed)
        etas = broadening * np.asarray(multiples, dtype=float)
        samples = []
        for _ in range(realisations):
            h, bound = lattice.hamiltonian(rng)
            vx, vy = lattice.velocities(h)
            phases = random_phase_vectors(h.shape[0], vectors, rng)
            estimates, moments = trace_estimates(h, vx, vy, energy, etas, phases, tolerance=tolerance, bound=bound)
            samples.append(estimates.transpose(1, 0, 2))
        elapsed = time.perf_counter() - started
    samples = np.asarray(samples) / lattice.area  # [realisation, vector, eta, component]
    mean = samples.mean(axis=(0, 1))
    error = _standard_error(samples)
    extrapolated = 2 * samples[:, :, 0] - samples[:, :, 1]
    ext_mean = extrapolated.mean(axis=(0, 1))
    ext_error = _standard_error(extrapolated[:, :, None])[0]
    settings = dict(
        n=lattice.n, orbitals=2 * lattice.n**2, exchange_z=lattice.exchange_z, disorder_alpha=lattice.disorder_alpha,
        disorder_std=lattice.disorder_std, wilson=lattice.model.wilson, v=lattice.v, spacing=lattice.spacing,
        realisations=realisations, vectors=vectors, seed=seed, tolerance=tolerance,
        moments=moments, seconds=elapsed,
    )
    return KuboConductivity(
        float(energy), etas, mean[:, 0], mean[:, 1], error[:, 0], error[:, 1], float(ext_mean[0]),
        float(ext_mean[1]), float(ext_error[0]), float(ext_error[1]), float(abs(ext_mean[0] - mean[0, 0])),
        float(abs(ext_mean[1] - mean[0, 1])), samples, settings,
    )




@dataclass(frozen=True)
class AveragedSelfEnergy(Result):
    """Disorder-averaged self-energy Sigma(k, E + i eta) = E + i eta - h(k) - <G(k)>^-1 of a lattice, exactly
    (``averaged_self_energy``), to compare with its SCBA (``lattice_born_self_energy``: paper 002, Eq. s10).

    ``sigma``: [eta, momentum, component] complex, Sigma = sum_mu sigma_mu tau_mu (tau_0 = 1, Pauli x, y, z);
    ``shell``: [eta, component] the means over the momenta of Sigma_0, Sigma_z and of the in-plane part along
    (``parallel``, a velocity renormalisation: the in-plane d(k) -> d(k) + Sigma_par d^(k)) and across
    (``perpendicular``) the unit in-plane d^(k) of h(k) = d(k) . tau. ``*_error``: jackknife standard errors over
    realisations, of the real part in the real part and of the imaginary part in the imaginary part;
    ``shell_jackknife``: [realisation, eta, component] the leave-one-out shell means they come from (to propagate the
    error into a function f of Sigma: sqrt((R - 1)/R sum_r (f_r - mean f)^2)).
    ``green``: [realisation, eta, momentum, spin, spin'] the per-realisation G(k) = <k s|R|k s'>, as drawn (before
    the control variate); ``shifts``: each realisation's mean potential (``averaged_self_energy``).
    """
    _dims = {"broadening": ("broadening",), "momenta": ("momentum", "axis"),
             "sigma": ("broadening", "momentum", "component"), "sigma_error": ("broadening", "momentum", "component"),
             "shell": ("broadening", "shell_component"), "shell_error": ("broadening", "shell_component"),
             "shell_jackknife": ("realisation", "broadening", "shell_component"),
             "green": ("realisation", "broadening", "momentum", "spin", "spin_"), "shifts": ("realisation",)}
    _labels = {"component": _SELF_ENERGY_COMPONENTS, "shell_component": _SHELL_COMPONENTS, "axis": ("x", "y")}
    _units = {"energy": "E0", "broadening": "E0", "momenta": "1 / a", "sigma": "E0", "sigma_error": "E0",
              "shell": "E0", "shell_error": "E0", "shifts": "E0"}
    _attrs = ("settings",)

    energy: float
    broadening: np.ndarray
    momenta: np.ndarray
    sigma: np.ndarray
    sigma_error: np.ndarray
    shell: np.ndarray
    shell_error: np.ndarray
    shell_jackknife: np.ndarray
    green: np.ndarray
    shifts: np.ndarray
    realisations: int
    settings: dict


def _self_energy_components(lattice: DisorderedTILattice, energy: float, etas: np.ndarray, momenta: np.ndarray,
                            green: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(per-momentum Pauli components [eta, k, 4], shell means [eta, 4]) of E + i eta - h(k) - green^-1."""
    h, _, _ = _bloch_operators(lattice, momenta[:, 0], momenta[:, 1])
    z = (energy + 1j * etas)[:, None, None, None] * np.eye(2)
    sigma = z - h[None] - np.linalg.inv(green)
    components = _pauli_components(sigma)
    d = h[:, 1, 0]  # d_x + i d_y of the in-plane part
    unit = d / np.abs(d)
    along = components[..., 1] * unit.real + components[..., 2] * unit.imag
    across = components[..., 2] * unit.real - components[..., 1] * unit.imag
    shell = np.stack([components[..., 0], components[..., 3], along, across], axis=-1).mean(axis=1)
    return components, shell


def averaged_self_energy(lattice: DisorderedTILattice, energy: float, broadening: float, modes, *,
                         multiples: tuple[float, ...] = (1.0,), realisations: int = 4, seed: int = 0,
                         tolerance: float = 1e-4, threads: int | None = None) -> AveragedSelfEnergy:
    """The exact disorder-averaged self-energy at momenta on the torus grid, the witness of the lattice SCBA's.

    The averaged Green function at the plane-wave spinors |k s> (k = 2 pi ``modes`` / (n a), the orbital's amplitude
    e^{i k . r} / n), G_ss'(k) = <k s|(E + i eta - H)^-1|k s'>, by the resolvent's exact Chebyshev series
    (``resolvent_coefficients``, the recursion of ``kubo_conductivity``: one block of 2 columns per momentum), averaged
    over ``realisations``; then Sigma(k) = E + i eta - h(k) - <G(k)>^-1 (2 x 2; h(k) the clean Bloch Hamiltonian with
    the exchange). Averaging restores translation invariance, so <G> is diagonal in k and this is the Dyson
    self-energy of the ensemble; at w -> 0 it is w^2 (1/N) sum_q G_0(q) over the torus grid (second-order
    perturbation theory), and its SCBA is ``lattice_born_self_energy`` (paper 002, Eq. s10 on the lattice).

    A plane-wave diagonal element self-averages (relative spread ~ 1/sqrt(states within the rate)), but the mean
    potential V_bar = (1/N) sum_r V_r of each realisation is an exact uniform shift, G(E; V) = G(E - V_bar; V - V_bar),
    that enters Re Sigma_0 at first order (spread w / n). It is removed by a control variate: realisation r counts
    G_r - V_bar_r B_r with B_r = G_(-r)^2, G_(-r) the mean over the other realisations (independent of V_bar_r, so
    the estimate stays unbiased; G^2 = -dG/dE is the response to the shift).

    Parameters
    ----------
    broadening : float
        eta > 0 (E0), the smallest broadening; ``multiples`` (> 0, sharing the recursion) give the others.
    modes : array_like of int, shape (m, 2)
        The momenta's integer components (m_x, m_y) on the n x n torus grid.
    realisations : int
        Disorder realisations (>= 2: the jackknife error bar), drawn as in ``kubo_conductivity`` from ``seed``.
    tolerance : float
        Relative truncation error of the resolvent series.
    threads : int, optional
        numba threads (default: numba's).
    """
    require_integer("realisations", realisations, 2)
    _require("energy", energy, True, "finite")
    _require("broadening", broadening, broadening > 0, "finite and > 0")
    if not multiples or min(multiples) <= 0:
        raise ValueError(f"multiples must be non-empty and > 0, got {multiples!r}")
    modes = np.asarray(modes)
    if modes.ndim != 2 or modes.shape[1] != 2 or modes.shape[0] < 1 or not np.issubdtype(modes.dtype, np.integer):
        raise ValueError(f"modes must be an (m, 2) integer array, got {modes!r}")
    n = lattice.n
    momenta = 2 * np.pi * modes / (n * lattice.spacing)
    if np.any(np.abs(_bloch_operators(lattice, momenta[:, 0], momenta[:, 1])[0][:, 1, 0]) == 0):
        raise ValueError("modes must have a non-zero in-plane d(k) (not Gamma, X, Y or M)")
    iy, ix = np.divmod(np.arange(n * n), n)
    phases = np.exp(1j * (np.outer(ix, modes[:, 0]) + np.outer(iy, modes[:, 1])) * 2 * np.pi / n) / n
    block = np.zeros((2 * n * n, 2 * len(modes)), dtype=complex)
    for s in range(2):  # column 2 j + s: momentum j, spin s on orbitals 2 site + s
        block[s::2, s::2] = phases
    etas = broadening * np.asarray(multiples, dtype=float)
    with _numba_threads(threads):
        started = time.perf_counter()
        rng = np.random.default_rng(seed)
        clean = lattice.clean_hamiltonian().diagonal()
        green, shifts = [], []
        for _ in range(realisations):
            h, bound = lattice.hamiltonian(rng)
            shifts.append(float((h.diagonal() - clean).real.mean()))
            _, retarded, moments = _resolvent_blocks(h, energy, etas, block, tolerance, bound)
            g = np.einsum("ic,eid->ecd", block.conj(), retarded)  # [eta, column, column]
            green.append(np.stack([g[:, 2 * j : 2 * j + 2, 2 * j : 2 * j + 2] for j in range(len(modes))], axis=1))
        elapsed = time.perf_counter() - started
    green, shifts = np.asarray(green), np.asarray(shifts)
    others = (green.sum(axis=0)[None] - green) / (realisations - 1)
    corrected = green - shifts[:, None, None, None, None] * (others @ others)
    sigma, shell = _self_energy_components(lattice, energy, etas, momenta, corrected.mean(axis=0))
    leave_one_out = [_self_energy_components(lattice, energy, etas, momenta, np.delete(corrected, r, axis=0).mean(axis=0))
                     for r in range(realisations)]

    def jackknife(samples):
        spread = samples - samples.mean(axis=0)
        factor = (realisations - 1) / realisations
        return np.sqrt(factor * (spread.real**2).sum(axis=0)) + 1j * np.sqrt(factor * (spread.imag**2).sum(axis=0))

    settings = dict(n=n, exchange_z=lattice.exchange_z, disorder_alpha=lattice.disorder_alpha,
                    disorder_std=lattice.disorder_std, wilson=lattice.model.wilson, v=lattice.v,
                    spacing=lattice.spacing, seed=seed, tolerance=tolerance, moments=moments, seconds=elapsed)
    shells = np.array([s for _, s in leave_one_out])
    return AveragedSelfEnergy(float(energy), etas, momenta, sigma, jackknife(np.array([s for s, _ in leave_one_out])),
                              shell, jackknife(shells), shells, green, shifts, realisations, settings)
